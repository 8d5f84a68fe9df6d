// SPDX-License-Identifier: GPL-2.0
/*
 * Stack unwinding for UKL apps: not supported yet, and loudly so.
 *
 * glibc links libgcc_eh's unwinder for thread cancellation, pthread_exit,
 * backtrace() and the cleanup of its stdio locks when an exception passes.
 * Debian's libgcc_eh is built with the red zone and needs a GOT, and the
 * app's .eh_frame is not kept in vmlinux, so UKL links these instead (in
 * the baseline too, so both run the same code).  A C program that neither
 * cancels nor exits threads never calls them.
 */
#include <stddef.h>
#include <unwind.h>

extern void __libc_fatal(const char *msg) __attribute__((noreturn));

void _Unwind_Resume(struct _Unwind_Exception *e)
{
	(void)e;
	__libc_fatal("ukl: _Unwind_Resume: stack unwinding is not supported in UKL apps\n");
}

_Unwind_Reason_Code _Unwind_ForcedUnwind(struct _Unwind_Exception *e,
					 _Unwind_Stop_Fn stop, void *arg)
{
	(void)e, (void)stop, (void)arg;
	__libc_fatal("ukl: _Unwind_ForcedUnwind: thread cancellation and pthread_exit "
		     "are not supported in UKL apps\n");
}

/* backtrace() finds no frames. */
_Unwind_Reason_Code _Unwind_Backtrace(_Unwind_Trace_Fn fn, void *arg)
{
	(void)fn, (void)arg;
	return _URC_END_OF_STACK;
}

_Unwind_Word _Unwind_GetCFA(struct _Unwind_Context *ctx)
{
	(void)ctx;
	return 0;
}

_Unwind_Ptr _Unwind_GetIP(struct _Unwind_Context *ctx)
{
	(void)ctx;
	return 0;
}

_Unwind_Reason_Code __gcc_personality_v0(int version, _Unwind_Action actions,
					 _Unwind_Exception_Class cls,
					 struct _Unwind_Exception *e,
					 struct _Unwind_Context *ctx)
{
	(void)version, (void)actions, (void)cls, (void)e, (void)ctx;
	return _URC_FATAL_PHASE1_ERROR;
}
