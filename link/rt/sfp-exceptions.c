// SPDX-License-Identifier: GPL-2.0
/*
 * Raise the floating-point exceptions a soft-fp routine (__letf2 and the
 * other _Float128 helpers, built from glibc's soft-fp/) reports.  libgcc's
 * own version uses the red zone; this one leaves the work to libm.
 * soft-fp's FP_EX_* bits are the x86 exception bits, as are FE_*.
 */
#include <fenv.h>

void __sfp_handle_exceptions(int fex);

void __sfp_handle_exceptions(int fex)
{
	feraiseexcept(fex & FE_ALL_EXCEPT);
}
