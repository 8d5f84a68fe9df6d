/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the sub-programs of the proc test app: TAP 13 output,
 * clocks and deadlines, timed joins, and the file systems an init program
 * mounts for itself.
 */
#ifndef PROC_TAP_H
#define PROC_TAP_H

#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define NSEC_PER_MSEC	1000000LL
#define NSEC_PER_SEC	1000000000LL

/* TAP 13: a header, one line per check, "# " diagnostics, the plan. */
void tap_begin(void);
int check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void skip(const char *reason, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tap_end(void);	/* prints the plan; 0 if every check passed, else 1 */

/* Clocks, in nanoseconds. */
long long clock_ns(clockid_t clk);
static inline long long mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}
static inline long long deadline_ms(long ms)
{
	return mono_ns() + ms * NSEC_PER_MSEC;
}
static inline int past(long long deadline)
{
	return mono_ns() >= deadline;
}
long long ts_ns(const struct timespec *ts);
struct timespec ns_ts(long long ns);
/* An absolute time @ms from now on @clk, for the *timedwait functions. */
struct timespec abs_after_ms(clockid_t clk, long ms);

/* Sleeps @ms in full, even if signals interrupt it. */
void sleep_ms(long ms);

/* pthread_join with a time limit: 0, or ETIMEDOUT (the thread runs on). */
int join_ms(pthread_t t, void **ret, long ms);

/* The time stamp counter: a clock that needs no system call. */
static inline uint64_t tsc_now(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
uint64_t tsc_after_ms(long ms);	/* calibrated against CLOCK_MONOTONIC */

/* What an init program sets up for itself when it is missing. */
void need_tmp(void);
void need_proc(void);
void need_dev(void);
/* @rel ("self/maps") under wherever need_proc found or mounted procfs. */
const char *proc_path(const char *rel);

#endif /* PROC_TAP_H */
