#include "config.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include "greet.h"

static void *worker(void *arg)
{
	greet(arg, 2.0);
	return NULL;
}

int main(int argc, char **argv)
{
	struct utsname u;
	pthread_t t;

	if (uname(&u) != 0 || pthread_create(&t, NULL, worker, "thread") != 0)
		return 1;
	pthread_join(t, NULL);
	greet(argc > 1 ? argv[1] : "world", 16.0);
	printf("autoconf-hello: HAVE_CLOCK_GETTIME=%d HAVE_GETRANDOM=%d kernel %s\n",
#ifdef HAVE_CLOCK_GETTIME
	       1,
#else
	       0,
#endif
#ifdef HAVE_GETRANDOM
	       1,
#else
	       0,
#endif
	       u.release);
	return 5;
}
