/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Included before glibc's soft-fp sources when link/ builds them outside
 * glibc's own build: the few internal definitions they expect.
 */
#include <endian.h>
#define strong_alias(name, aliasname) \
	extern __typeof(name) aliasname __attribute__((alias(#name)));
