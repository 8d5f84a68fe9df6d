#include "config.h"
#include <math.h>
#include <stdio.h>
#include "greet.h"

void greet(const char *who, double x)
{
	printf("autoconf-hello: hello, %s: sqrt(%g) = %.4f, sizeof(long) = %d\n",
	       who, x, sqrt(x), SIZEOF_LONG);
}
