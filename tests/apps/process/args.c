// SPDX-License-Identifier: GPL-2.0
/*
 * args: the arguments and environment reach the program unchanged.
 *   proc args "" "a b" 'x"y' "tab<TAB>here" -- last
 * with UKL_TEST_ENV="one two" in the environment.
 */
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

static const char *const want[] = { "", "a b", "x\"y", "tab\there", "--", "last" };
#define WANT	((int)(sizeof(want) / sizeof(want[0])))

/* Prints @s as a C string literal, so that every byte shows on one line. */
static void quoted(char *out, size_t size, const char *s)
{
	size_t o = 0;

	for (; *s && o + 5 < size; s++) {
		unsigned char c = *s;

		if (c == '\t')
			o += snprintf(out + o, size - o, "\\t");
		else if (c == '\n')
			o += snprintf(out + o, size - o, "\\n");
		else if (c == '"' || c == '\\')
			o += snprintf(out + o, size - o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += snprintf(out + o, size - o, "\\x%02x", c);
		else
			out[o++] = c;
	}
	out[o] = 0;
}

int proc_args(int argc, char **argv)
{
	const char *env;
	char buf[256];
	int i;

	tap_begin();
	for (i = 2; i < argc; i++) {
		quoted(buf, sizeof(buf), argv[i]);
		diag("argv[%d] = \"%s\" (length %zu)", i, buf, strlen(argv[i]));
	}
	check(argc - 2 == WANT, "%d arguments after the sub-program's name (%d)", WANT, argc - 2);
	for (i = 0; i < WANT; i++) {
		quoted(buf, sizeof(buf), want[i]);
		check(i + 2 < argc && !strcmp(argv[i + 2], want[i]), "argv[%d] is \"%s\"", i + 2, buf);
	}
	check(argv[argc] == NULL, "argv[argc] is NULL");

	env = getenv("UKL_TEST_ENV");
	if (env)
		quoted(buf, sizeof(buf), env);
	diag("UKL_TEST_ENV = %s%s%s", env ? "\"" : "", env ? buf : "(unset)", env ? "\"" : "");
	check(env && !strcmp(env, "one two"), "getenv(\"UKL_TEST_ENV\") is \"one two\"");
	return tap_end();
}
