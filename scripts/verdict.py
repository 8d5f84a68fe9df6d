#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Verdicts for UKL and baseline boots.

Pure functions over a serial log and QEMU's exit status, shared by
scripts/run-qemu, tests/run-tests and the host tests:

  decode_qemu_status()  the app status carried by isa-debug-exit
  crash_lines()         kernel crash signatures in a log
  init_exit_status()    the guest's "ukl: init exited with status N" line
  parse_tap_line(), parse_tap()   TAP 13 result lines
  run_outcome()         what one boot amounted to (run-qemu's exit code)
  verdict()             PASS / FAIL / CRASH / TIMEOUT / NO_TESTS

A missing result is never a pass: no status, a status QEMU and the console
disagree on, a missing TAP plan or a short TAP run all fail.

As a command:
  verdict.py --log FILE [--qemu-status N|timeout] [--expect-status S|any|ready]
             [--expect-line TEXT]... [--tap] [--name NAME]
prints one line "RESULT: NAME: reason" and exits 0 on PASS only
(1 FAIL, 2 bad usage, 3 CRASH, 4 NO_TESTS, 5 TIMEOUT).  Without
--qemu-status the status is read from the trailer run-qemu writes to the log.
--expect-status ready: a server's boot that run-qemu --ready stopped at its
ready line (trailer "qemu-status=ready ...", exit 123) is the pass.
"""

import argparse
import re
import sys
from typing import Iterable, List, NamedTuple, Optional, Tuple

PASS = 'PASS'
FAIL = 'FAIL'
CRASH = 'CRASH'
TIMEOUT = 'TIMEOUT'
NO_TESTS = 'NO_TESTS'

# run-qemu's own exit codes; anything else is the app's exit status.
EXIT_READY = 123            # run-qemu --ready: the line was seen, the guest stopped
EXIT_TIMEOUT = 124
EXIT_QEMU_ERROR = 125
EXIT_CRASH = 126
EXIT_NO_STATUS = 127

# Kinds of run_outcome().
EXITED = 'EXITED'
QEMU_ERROR = 'QEMU_ERROR'
READY = 'READY'
NO_STATUS = 'NO_STATUS'

# glibc's test skeleton exits 77 for "unsupported".
EXIT_UNSUPPORTED = 77

# Lines run-qemu itself writes to a log; they are never console output.
HOST_PREFIXES = ('run-qemu:', '  QEMU ', '  ACCEL ')
TRAILER = 'run-qemu: qemu-status='

# printk's "[    1.234567] " (and "[    1.234567][    T1] " with
# CONFIG_PRINTK_CALLER).  It may also appear in the middle of a line when
# the app wrote a partial line just before the kernel printed.
_KMSG_STAMP = re.compile(r'\[\s*\d+\.\d+\](?:\[\s*[CT]\d+\])?\s?')

# Each signature must start a kernel message: at the beginning of a line or
# right after a printk timestamp.  Anchoring keeps "WARNING:" in the middle
# of an app's output, a user-space "traps: app[1] general protection fault"
# report, and the "kasan: ... initialized" boot banner from counting.
_CRASH_SIGNATURES = re.compile('|'.join([
    r'Kernel panic - not syncing',
    r'Oops: ',
    r'(?:(?:watchdog|rcu|lockdep|traps): )?BUG: ',   # BUG: KASAN/KFENCE/KCSAN too
    r'BUG \S+ \((?:Not tainted|Tainted: [^)]*)\): ',  # SLUB_DEBUG: a cache's object damaged
    r'kernel BUG at ',
    r'WARNING: ',                      # WARN() and lockdep's "possible ..." splats
    r'general protection fault',
    r'(?:traps: )?PANIC: ',            # "PANIC: double fault, error_code: ..."
    r'double fault',
    r'UBSAN: ',
    r'(?:rcu: )?INFO: .*(?:detected stalls|self-detected stall)',
    r'INFO: task \S.* blocked for more than',
    r'INFO: trying to register non-static key',
    r'INFO: possible recursive locking',
    r'Unable to handle kernel ',
    r'.*Attempted to kill init',
]))

_OOM_NO_VICTIM = 'Out of memory and no killable processes...'

_INIT_EXIT = re.compile(r'ukl: init exited with status (\d+)')
_QEMU_SAYS = re.compile(r'^\S*qemu\S*: ')


def clean_line(line: str) -> str:
    """A log line without its line ending and carriage returns."""
    return line.rstrip('\n').replace('\r', '')


def is_host_line(line: str) -> bool:
    return line.startswith(HOST_PREFIXES)


def console_text(line: str) -> str:
    """The message of a console line, without a leading printk timestamp."""
    line = clean_line(line)
    m = _KMSG_STAMP.match(line)
    return line[m.end():] if m else line


def _messages(line: str) -> List[str]:
    """The starts of every kernel message within one console line."""
    return _KMSG_STAMP.split(clean_line(line))


def crash_lines(lines: Iterable[str]) -> List[str]:
    """Every console line carrying a crash signature, in log order."""
    found = []
    for line in lines:
        if is_host_line(line):
            continue
        for msg in _messages(line):
            if _CRASH_SIGNATURES.match(msg):
                found.append(msg.strip())
                break
    return found


def init_exit_status(lines: Iterable[str]) -> Optional[int]:
    """N from the last "ukl: init exited with status N" line, or None."""
    status = None
    for line in lines:
        if is_host_line(line):
            continue
        m = _INIT_EXIT.search(line)
        if m:
            status = int(m.group(1))
    return status


def decode_qemu_status(status: Optional[int]) -> Optional[int]:
    """The app status carried by isa-debug-exit, or None.

    QEMU exits with (N << 1) | 1, which the host truncates to 8 bits: an odd
    status carries N & 0x7f.  Even statuses (0: panic with -no-reboot, a
    triple fault, a clean shutdown) carry nothing; negative ones mean QEMU
    was killed by a signal.
    """
    if status is None or status < 0 or status % 2 == 0:
        return None
    return (status - 1) >> 1


def qemu_error_lines(lines: Iterable[str]) -> List[str]:
    """QEMU's own complaints ("qemu-system-x86_64: ...") in a log."""
    return [clean_line(l) for l in lines
            if not is_host_line(l) and _QEMU_SAYS.match(l)]


class Outcome(NamedTuple):
    code: int                   # run-qemu's exit code
    kind: str                   # EXITED, READY, TIMEOUT, CRASH, QEMU_ERROR, NO_STATUS
    summary: str                # one line for a human
    app_status: Optional[int] = None


def run_outcome(qemu_status: Optional[int], lines: List[str],
                timed_out: bool = False, timeout: Optional[float] = None,
                qemu_error: Optional[str] = None, ready: Optional[str] = None) -> Outcome:
    """What one boot amounted to.

    Timeout outranks everything, then a crash signature anywhere in the log,
    then the runner's stop at the ready line (ready: "after N.N s: LINE",
    given when run-qemu --ready stopped the guest), then QEMU failing to run.
    Otherwise the app status needs QEMU's odd exit status and the console's
    status line to agree.
    """
    crashes = crash_lines(lines)
    if timed_out:
        after = f' after {timeout:g} s' if timeout is not None else ''
        also = f' (log shows: {crashes[0]})' if crashes else ''
        return Outcome(EXIT_TIMEOUT, TIMEOUT, f'TIMEOUT{after}{also}')
    if crashes:
        if _OOM_NO_VICTIM in (console_text(l).strip() for l in lines):
            # Out of memory with only init (the app) to kill, which the OOM
            # killer never picks: the kernel panics.
            return Outcome(EXIT_CRASH, CRASH,
                           'CRASH: out of memory: the OOM killer found no process it may '
                           f'kill (the app is init), so the kernel panicked ({crashes[0]})')
        return Outcome(EXIT_CRASH, CRASH, f'CRASH: {crashes[0]}')
    if ready is not None:
        return Outcome(EXIT_READY, READY, f'ready line seen {ready}'.rstrip())
    if qemu_error:
        return Outcome(EXIT_QEMU_ERROR, QEMU_ERROR, f'QEMU FAILED: {qemu_error}')
    if qemu_status is None:
        return Outcome(EXIT_QEMU_ERROR, QEMU_ERROR, 'QEMU FAILED: no exit status')
    if qemu_status < 0:
        return Outcome(EXIT_QEMU_ERROR, QEMU_ERROR,
                       f'QEMU FAILED: killed by signal {-qemu_status}')

    said = init_exit_status(lines)
    carried = decode_qemu_status(qemu_status)
    if carried is None:
        why = (f'the console says status {said} but nothing reached isa-debug-exit'
               if said is not None else 'the app was never reached or never reported')
        return Outcome(EXIT_NO_STATUS, NO_STATUS,
                       f'NO STATUS: QEMU exited {qemu_status}; {why}')
    if said is None:
        complaints = qemu_error_lines(lines)
        if qemu_status == 1 and complaints:
            # QEMU's own error exit looks like "app status 0".
            return Outcome(EXIT_QEMU_ERROR, QEMU_ERROR, f'QEMU FAILED: {complaints[0]}')
        return Outcome(EXIT_NO_STATUS, NO_STATUS,
                       f'NO STATUS: QEMU exited {qemu_status} (status {carried}) '
                       'but the console has no "ukl: init exited" line')
    if said & 0x7f != carried:
        return Outcome(EXIT_NO_STATUS, NO_STATUS,
                       f'NO STATUS: QEMU exited {qemu_status} (status {carried}) '
                       f'but the console says status {said}')
    return Outcome(said, EXITED, f'app exited with status {said}', said)


# ---- TAP 13 ---------------------------------------------------------------

class TapResult(NamedTuple):
    ok: bool
    number: Optional[int]
    name: str
    directive: Optional[str]    # 'SKIP', 'TODO' or None
    reason: str

    @property
    def failed(self) -> bool:
        """A real failure: not ok without a SKIP or TODO directive."""
        return not self.ok and self.directive is None

    @property
    def xfail(self) -> bool:
        return not self.ok and self.directive == 'TODO'

    @property
    def skipped(self) -> bool:
        return self.directive == 'SKIP'


_TAP_RESULT = re.compile(r'(not )?ok(?= |$) *(\d+)? *(?:- *)?(.*)$')
_TAP_DIRECTIVE = re.compile(r'(?<!\\)# *(skip|todo)\w*:? *(.*)$', re.I)
_TAP_PLAN = re.compile(r'1\.\.(\d+) *(?:#(.*))?$')
_TAP_BAIL = re.compile(r'Bail out!(.*)$')


def parse_tap_line(line: str) -> Optional[Tuple]:
    """One TAP line: ('result', TapResult), ('plan', count, comment),
    ('bail', reason) or None.  Indented (subtest) lines are not results."""
    text = console_text(line)
    m = _TAP_RESULT.match(text)
    if m:
        desc = m.group(3)
        directive, reason = None, ''
        d = _TAP_DIRECTIVE.search(desc)
        if d:
            directive, reason = d.group(1).upper(), d.group(2).strip()
            desc = desc[:d.start()]
        number = int(m.group(2)) if m.group(2) else None
        return ('result', TapResult(m.group(1) is None, number,
                                    desc.strip().replace('\\#', '#'),
                                    directive, reason))
    m = _TAP_PLAN.match(text)
    if m:
        return ('plan', int(m.group(1)), (m.group(2) or '').strip())
    m = _TAP_BAIL.match(text)
    if m:
        return ('bail', m.group(1).strip())
    return None


class Tap(NamedTuple):
    plan: Optional[int]
    plan_comment: str
    results: List[TapResult]
    bail_out: Optional[str]

    @property
    def failures(self) -> List[TapResult]:
        return [r for r in self.results if r.failed]

    @property
    def all_skipped(self) -> bool:
        """Nothing ran: a "1..0" plan, or every result is a SKIP."""
        if self.plan == 0 and not self.results:
            return True
        return bool(self.results) and all(r.skipped for r in self.results)

    def problem(self) -> Optional[str]:
        """Why this TAP stream is not a complete, clean run, or None."""
        if self.bail_out is not None:
            return f'Bail out! {self.bail_out}'.rstrip()
        failures = self.failures
        if failures:
            first = failures[0]
            more = f' (and {len(failures) - 1} more)' if len(failures) > 1 else ''
            num = f' {first.number}' if first.number is not None else ''
            return f'not ok{num} - {first.name}{more}'
        if self.results and self.plan is None:
            return f'UNRESOLVED: no TAP plan after {len(self.results)} results'
        if self.plan is not None and self.plan != len(self.results):
            return f'UNRESOLVED: planned {self.plan} tests, {len(self.results)} reported'
        return None


def parse_tap(lines: Iterable[str]) -> Tap:
    plan, comment, results, bail = None, '', [], None
    for line in lines:
        if is_host_line(line):
            continue
        item = parse_tap_line(line)
        if item is None:
            continue
        if item[0] == 'result':
            results.append(item[1])
        elif item[0] == 'plan' and plan is None:
            plan, comment = item[1], item[2]
        elif item[0] == 'bail' and bail is None:
            bail = item[1]
    return Tap(plan, comment, results, bail)


# ---- the verdict -----------------------------------------------------------

def verdict(outcome: Outcome, lines: List[str], expect_status: Optional[int] = 0,
            expect_lines: Iterable[str] = (), tap: bool = False,
            expect_ready: bool = False) -> Tuple[str, str]:
    """(PASS|FAIL|CRASH|TIMEOUT|NO_TESTS, reason) for one boot.

    expect_status None accepts any status, as long as there is one.
    expect_ready: the pass is a guest that run-qemu --ready stopped at its
    ready line (a server); an app that exited before is a failure.
    """
    if outcome.kind == TIMEOUT:
        return TIMEOUT, outcome.summary
    if outcome.kind == CRASH:
        return CRASH, outcome.summary[len('CRASH: '):]
    if expect_ready or outcome.kind == READY:
        if outcome.kind == EXITED:
            return FAIL, f'app exited with status {outcome.app_status} before its ready line'
        if outcome.kind != READY:
            return FAIL, f'UNRESOLVED: {outcome.summary}'
        if not expect_ready:
            want = 'a status' if expect_status is None else f'status {expect_status}'
            return FAIL, f'{outcome.summary}; the runner stopped the guest, expected {want}'
        console = [clean_line(l) for l in lines if not is_host_line(l)]
        for want in expect_lines:
            if not any(want in l for l in console):
                return FAIL, f'missing expected line: {want}'
        return PASS, outcome.summary
    if outcome.kind != EXITED:
        return FAIL, f'UNRESOLVED: {outcome.summary}'
    status = outcome.app_status
    if status == EXIT_UNSUPPORTED and expect_status != EXIT_UNSUPPORTED:
        return NO_TESTS, f'unsupported (the app exited {EXIT_UNSUPPORTED})'

    counts = ''
    if tap:
        t = parse_tap(lines)
        problem = t.problem()
        if problem:
            return FAIL, problem
        if not t.results and t.plan is None:
            return NO_TESTS, f'no TAP results (app exited with status {status})'
        if t.all_skipped:
            why = t.plan_comment or (t.results[0].reason if t.results else '')
            return NO_TESTS, f'all tests skipped{": " + why if why else ""}'
        npass = sum(1 for r in t.results if r.ok and not r.skipped)
        nskip = sum(1 for r in t.results if r.skipped)
        nxfail = sum(1 for r in t.results if r.xfail)
        counts = f', {npass} ok'
        counts += f', {nskip} skipped' if nskip else ''
        counts += f', {nxfail} xfail' if nxfail else ''

    if expect_status is not None and status != expect_status:
        return FAIL, f'app exited with status {status}, expected {expect_status}'

    console = [clean_line(l) for l in lines if not is_host_line(l)]
    for want in expect_lines:
        if not any(want in l for l in console):
            return FAIL, f'missing expected line: {want}'
    return PASS, f'app exited with status {status}{counts}'


# ---- command line ----------------------------------------------------------

EXIT_CODES = {PASS: 0, FAIL: 1, CRASH: 3, NO_TESTS: 4, TIMEOUT: 5}


def read_trailer(lines: List[str]) -> Tuple[Optional[int], bool, Optional[str], Optional[str]]:
    """(qemu status, timed out, qemu error, ready) from run-qemu's log trailer
    ("ready after N.N s: LINE": the runner stopped the guest at its ready line)."""
    status, timed_out, error, ready = None, False, None, None
    for line in lines:
        if not line.startswith(TRAILER):
            continue
        value = clean_line(line)[len(TRAILER):]
        status, timed_out, error, ready = None, False, None, None
        if value == 'timeout':
            timed_out = True
        elif value.startswith('error'):
            error = value.partition(':')[2].strip() or 'QEMU could not run'
        elif value.split(' ', 1)[0] == 'ready':
            ready = value[len('ready'):].strip()
        else:
            status = int(value)
    return status, timed_out, error, ready


def main(argv: Optional[List[str]] = None) -> int:
    class Parser(argparse.ArgumentParser):
        def error(self, message):
            self.print_usage(sys.stderr)
            print(f'verdict.py: {message}', file=sys.stderr)
            sys.exit(2)

    p = Parser(description='Judge one QEMU boot from its serial log.')
    p.add_argument('--log', required=True, help='serial log (as written by run-qemu --log)')
    p.add_argument('--qemu-status', metavar='N|timeout',
                   help="QEMU's exit status (default: the trailer run-qemu wrote to the log)")
    p.add_argument('--expect-status', default='0', metavar='S|any|ready',
                   help='the exit status the app must report (default 0); ready: '
                        'run-qemu --ready stopped the guest at its ready line')
    p.add_argument('--expect-line', action='append', default=[], metavar='TEXT',
                   help='text some console line must contain (repeatable)')
    p.add_argument('--tap', action='store_true',
                   help='the app prints TAP: every result ok, plan complete')
    p.add_argument('--name', help='name to print (default: the log file name)')
    args = p.parse_args(argv)

    try:
        with open(args.log, encoding='utf-8', errors='replace') as f:
            lines = f.readlines()
    except OSError as e:
        print(f'verdict.py: {e}', file=sys.stderr)
        return 2

    ready = None
    if args.qemu_status is None:
        try:
            status, timed_out, error, ready = read_trailer(lines)
        except ValueError:
            p.error(f'{args.log}: unreadable run-qemu trailer')
        if status is None and not timed_out and error is None and ready is None:
            p.error(f'{args.log} has no run-qemu trailer; give --qemu-status')
    elif args.qemu_status == 'timeout':
        status, timed_out, error = None, True, None
    else:
        try:
            status, timed_out, error = int(args.qemu_status), False, None
        except ValueError:
            p.error(f'--qemu-status: not a number: {args.qemu_status}')

    expect_ready = args.expect_status == 'ready'
    if args.expect_status in ('any', 'ready'):
        expect = None
    else:
        try:
            expect = int(args.expect_status)
        except ValueError:
            p.error(f'--expect-status: not a number: {args.expect_status}')

    outcome = run_outcome(status, lines, timed_out=timed_out, qemu_error=error, ready=ready)
    result, reason = verdict(outcome, lines, expect, args.expect_line, args.tap, expect_ready)
    name = args.name or args.log.rsplit('/', 1)[-1]
    print(f'{result}: {name}: {reason}')
    return EXIT_CODES[result]


if __name__ == '__main__':
    sys.exit(main())
