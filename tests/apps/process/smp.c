// SPDX-License-Identifier: GPL-2.0
/*
 * smp: threads on several CPUs.  With two or more CPUs online, two
 * CPU-bound threads spinning for the same second of wall time must each get
 * most of a second of CPU time (they ran at the same time).  Then one
 * thread maps, touches and unmaps 64 KiB regions for 2 s while two others
 * malloc (each a fresh mapping), touch and free 1 MiB blocks: memory
 * management from several threads at once, with data checks.  Last, rseq:
 * the area glibc registers for each thread, and sched_getcpu(), which reads
 * it, must follow the thread to each CPU, also when a forked child moved
 * its waiting parent (glibc's tst-affinity-pid does that); the auxv gives
 * the rseq sizes that the ELF loader gives; and a critical section of app
 * code that a signal or a preemption interrupts restarts at its abort
 * handler (its descriptor and code are in the kernel image on UKL).
 */
#include "tap.h"

#include <errno.h>
#include <malloc.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/time.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"

/* two spinners */

static long long spin_end;
static sem_t spun, may_exit;

static void *spinner(void *arg)
{
	struct timespec abs;
	volatile unsigned long n = 0;

	(void)arg;
	while (!past(spin_end)) {
		unsigned long i;

		for (i = 0; i < 4096; i++)
			n++;
	}
	sem_post(&spun);
	/* stay alive so that main can read this thread's CPU clock */
	abs = abs_after_ms(CLOCK_REALTIME, 10000);
	while (sem_timedwait(&may_exit, &abs) && errno == EINTR)
		;
	return NULL;
}

static void parallel_spin(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct timespec abs;
	clockid_t clk[2];
	long long cpu[2] = { -1, -1 };
	pthread_t t[2];
	int i, n = 0, ok;

	diag("sysconf(_SC_NPROCESSORS_ONLN) = %ld", cpus);
	if (cpus < 2) {
		skip("only one CPU", "two spinning threads each get >= 0.6 s of CPU in 1 s");
		return;
	}
	sem_init(&spun, 0, 0);
	sem_init(&may_exit, 0, 0);
	spin_end = deadline_ms(1000);
	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, spinner, NULL) == 0)
			n++;
	ok = n == 2;
	abs = abs_after_ms(CLOCK_REALTIME, 10000);
	for (i = 0; i < n; i++)
		ok &= sem_timedwait(&spun, &abs) == 0;
	for (i = 0; i < n; i++) {
		struct timespec ts;

		if (pthread_getcpuclockid(t[i], &clk[i]) == 0 && clock_gettime(clk[i], &ts) == 0)
			cpu[i] = ts_ns(&ts);
	}
	for (i = 0; i < n; i++)
		sem_post(&may_exit);
	for (i = 0; i < n; i++)
		ok &= join_ms(t[i], NULL, 10000) == 0;
	diag("CPU time of the spinners: %lld ms and %lld ms", cpu[0] / NSEC_PER_MSEC,
	     cpu[1] / NSEC_PER_MSEC);
	check(ok && cpu[0] >= 600 * NSEC_PER_MSEC && cpu[1] >= 600 * NSEC_PER_MSEC,
	      "two threads spinning for the same second each get >= 0.6 s of CPU time");
}

/* mmap/munmap in one thread, malloc/free in two others */

#define REGION	(64 * 1024)
#define BLOCK	(1024 * 1024)

struct churn {
	int id;
	long rounds;
	long bad;
	int failed;	/* mmap or malloc returned an error */
};

static long long churn_end;

static void fill(uint64_t *p, size_t size, uint64_t seed, long page)
{
	size_t i, step = page / sizeof(*p);

	for (i = 0; i < size / sizeof(*p); i += step) {
		p[i] = seed + i;
		p[i + step - 1] = ~(seed + i);
	}
}

static long verify(const uint64_t *p, size_t size, uint64_t seed, long page)
{
	size_t i, step = page / sizeof(*p);
	long bad = 0;

	for (i = 0; i < size / sizeof(*p); i += step)
		bad += p[i] != seed + i || p[i + step - 1] != ~(seed + i);
	return bad;
}

static void *mapper(void *arg)
{
	struct churn *c = arg;
	long page = sysconf(_SC_PAGESIZE);

	while (!past(churn_end)) {
		void *p = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t seed = ((uint64_t)c->id << 48) + ((uint64_t)c->rounds << 20);

		if (p == MAP_FAILED) {
			c->failed = 1;
			break;
		}
		fill(p, REGION, seed, page);
		c->bad += verify(p, REGION, seed, page);
		if (munmap(p, REGION))
			c->failed = 1;
		c->rounds++;
	}
	return NULL;
}

static void *allocator(void *arg)
{
	struct churn *c = arg;
	long page = sysconf(_SC_PAGESIZE);

	while (!past(churn_end)) {
		uint64_t *p = malloc(BLOCK);
		uint64_t seed = ((uint64_t)c->id << 48) + ((uint64_t)c->rounds << 20);

		if (!p) {
			c->failed = 1;
			break;
		}
		/* malloc'ed memory is not page-aligned: check the whole block */
		fill(p, BLOCK - page, seed, page);
		c->bad += verify(p, BLOCK - page, seed, page);
		p[BLOCK / sizeof(*p) - 1] = seed;
		c->bad += p[BLOCK / sizeof(*p) - 1] != seed;
		free(p);
		c->rounds++;
	}
	return NULL;
}

static void memory_churn(void)
{
	static struct churn c[3] = { { .id = 1 }, { .id = 2 }, { .id = 3 } };
	pthread_t t[3];
	int i, n = 0, ok;
	int created[3] = { 0 };

	/* a fixed threshold: every 1 MiB block is a fresh mapping */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	churn_end = deadline_ms(2000);
	for (i = 0; i < 3; i++) {
		created[i] = pthread_create(&t[i], NULL, i ? allocator : mapper, &c[i]) == 0;
		n += created[i];
	}
	ok = n == 3;
	for (i = 0; i < 3; i++)
		if (created[i])
			ok &= join_ms(t[i], NULL, 20000) == 0;
	diag("rounds: mmap/munmap %ld, malloc/free %ld and %ld", c[0].rounds, c[1].rounds,
	     c[2].rounds);
	check(ok, "mmap thread and two malloc threads ran 2 s and finished");
	check(!c[0].failed && !c[1].failed && !c[2].failed && c[0].rounds && c[1].rounds &&
	      c[2].rounds, "every mmap, munmap and malloc succeeded");
	check(!c[0].bad && !c[1].bad && !c[2].bad, "data checks of every region and block pass");
}

/* rseq */

/* The calling thread's rseq area, which glibc registered. */
static struct rseq *rseq_area(void)
{
	return (void *)((char *)__builtin_thread_pointer() + __rseq_offset);
}

/*
 * 0 if the kernel (getcpu), glibc's rseq area and sched_getcpu() all say
 * @cpu; else a diagnostic and -1.
 */
static int on_cpu(int cpu, const char *when)
{
	unsigned int kcpu = ~0u, area = rseq_area()->cpu_id;
	int libc = sched_getcpu();

	if (syscall(SYS_getcpu, &kcpu, NULL, NULL) == 0 && (int)kcpu == cpu &&
	    (int)area == cpu && libc == cpu)
		return 0;
	diag("%s: want CPU %d: getcpu %u, rseq cpu_id %u, sched_getcpu() %d",
	     when, cpu, kcpu, area, libc);
	return -1;
}

static int pin(pid_t pid, int cpu)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(pid, sizeof(one), &one);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/*
 * Count @n down in a restartable sequence: 1 if the kernel moved the
 * thread to the abort handler before the count ended, 0 if it ended.
 * The signature precedes the handler as the operand of a ud1 (the x86
 * convention, so that it is no instruction anyone jumps to).
 */
static int rseq_countdown(unsigned long n)
{
	struct rseq *rs = rseq_area();
	int aborted;

	asm volatile(".pushsection .rodata\n\t"
		     ".balign 32\n"
		     "3:\t.long 0, 0\n\t"		/* version, flags */
		     ".quad 1f, 2f - 1f, 4f\n\t"	/* start, length, abort */
		     ".popsection\n\t"
		     "leaq 3b(%%rip), %%rax\n\t"
		     "movq %%rax, %[cs]\n"
		     "1:\tdecq %[n]\n\t"
		     "jnz 1b\n"
		     "2:\txorl %[ab], %[ab]\n\t"
		     "jmp 5f\n\t"
		     ".byte 0x0f, 0xb9, 0x3d\n\t"
		     ".long 0x53053053\n"		/* RSEQ_SIG */
		     "4:\tmovl $1, %[ab]\n"
		     "5:\n"
		     : [ab] "=r" (aborted), [n] "+r" (n), [cs] "=m" (rs->rseq_cs)
		     : : "rax", "memory", "cc");
	rs->rseq_cs = 0;
	return aborted;
}

static void rseq_restart(void)
{
	struct itimerval in20ms = { .it_value = { .tv_usec = 20000 } }, off = { 0 };
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	int aborted;

	sigaction(SIGALRM, &sa, &old);
	alarms = 0;
	setitimer(ITIMER_REAL, &in20ms, NULL);
	/*
	 * Seconds of counting under TCG: the signal comes long before, if
	 * no preemption (which aborts the section too) came first.
	 */
	aborted = rseq_countdown(1UL << 31);
	/* A preemption may have come first: then the timer is still armed. */
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	diag("signals during the critical section: %d (0: a preemption came first)",
	     (int)alarms);
	check(aborted,
	      "a signal or preemption in an rseq critical section: the thread resumes at its abort handler");
}

static void rseq_cpus(void)
{
	const char *platform = (const char *)getauxval(AT_PLATFORM);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu, bad = 0, status = -1;
	cpu_set_t all;
	pid_t pid;

	check(getauxval(AT_RSEQ_FEATURE_SIZE) == 28 && getauxval(AT_RSEQ_ALIGN) == 32 &&
	      platform && !strcmp(platform, "x86_64"),
	      "auxv: AT_RSEQ_FEATURE_SIZE %lu, AT_RSEQ_ALIGN %lu, AT_PLATFORM %s (28, 32, x86_64)",
	      getauxval(AT_RSEQ_FEATURE_SIZE), getauxval(AT_RSEQ_ALIGN),
	      platform ? platform : "(none)");
	if (!check(__rseq_size > 0, "glibc registered an rseq area (__rseq_size %u)", __rseq_size))
		return;
	if (cpus < 2) {
		skip("only one CPU", "rseq follows the thread to each CPU");
		return;
	}
	if (sched_getaffinity(0, sizeof(all), &all)) {
		check(0, "sched_getaffinity: %s", strerror(errno));
		return;
	}
	for (cpu = 0; cpu < cpus && cpu < CPU_SETSIZE; cpu++)
		if (pin(0, cpu) || on_cpu(cpu, "pinned"))
			bad++;
	check(!bad, "rseq cpu_id, sched_getcpu() and getcpu agree on each of %ld CPUs", cpus);

	/* The child moves its waiting parent to the other CPU. */
	cpu = sched_getcpu() == 0 ? 1 : 0;
	pid = fork();
	if (pid == 0)
		_exit(pin(getppid(), cpu) ? 1 : 0);
	if (pid > 0)
		waitpid(pid, &status, 0);
	check(pid > 0 && status == 0 && on_cpu(cpu, "moved by a child") == 0,
	      "a forked child moves its parent to CPU %d: the parent's rseq area says so", cpu);
	sched_setaffinity(0, sizeof(all), &all);
}

int proc_smp(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tap_begin();
	parallel_spin();
	memory_churn();
	rseq_cpus();
	if (__rseq_size)
		rseq_restart();
	return tap_end();
}
