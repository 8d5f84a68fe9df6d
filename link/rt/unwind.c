// SPDX-License-Identifier: GPL-2.0
/*
 * Stack unwinding for UKL apps, without unwind tables.
 *
 * glibc links libgcc_eh's unwinder for thread cancellation, pthread_exit,
 * backtrace() and the cleanup of its stdio locks when an exception passes.
 * Debian's libgcc_eh is built with the red zone and needs a GOT, and the
 * app's .eh_frame is not kept in vmlinux, so UKL links these instead (in
 * the baseline too, so both run the same code).
 *
 * Forced unwinding (pthread_exit, cancellation) is done without walking
 * frames.  glibc's stop function (nptl/unwind.c, unwind_stop), once told
 * that the stack has ended, runs the old-style cleanup handlers and
 * longjmps to the innermost cancellation buffer: that of a C
 * pthread_cleanup_push, whose handler then goes on with
 * __pthread_unwind_next, and last that of start_thread, which ends the
 * thread.  Those buffers are all the cleanups C code without -fexceptions
 * has, so the result is what a frame-by-frame walk would give.  What is
 * not supported: exceptions (C++, -fexceptions cleanups), which need
 * _Unwind_RaiseException and _Unwind_Resume.
 */
#include <stddef.h>
#include <unwind.h>

extern void __libc_fatal(const char *msg) __attribute__((noreturn));

void _Unwind_Resume(struct _Unwind_Exception *e)
{
	(void)e;
	__libc_fatal("ukl: _Unwind_Resume: exceptions (C++, -fexceptions) are not supported in UKL apps\n");
}

_Unwind_Reason_Code _Unwind_ForcedUnwind(struct _Unwind_Exception *e,
					 _Unwind_Stop_Fn stop, void *arg)
{
	stop(1, _UA_FORCE_UNWIND | _UA_CLEANUP_PHASE | _UA_END_OF_STACK,
	     e->exception_class, e, NULL, arg);
	/* glibc's stop function does not return at the end of the stack. */
	__libc_fatal("ukl: _Unwind_ForcedUnwind: the stop function returned\n");
}

/* backtrace() finds no frames. */
_Unwind_Reason_Code _Unwind_Backtrace(_Unwind_Trace_Fn fn, void *arg)
{
	(void)fn, (void)arg;
	return _URC_END_OF_STACK;
}

/* glibc's stop function asks for it; there is no frame (ctx is NULL). */
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
