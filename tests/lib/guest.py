# SPDX-License-Identifier: GPL-2.0
"""guest.py - a server image booted in the background for a host client.

Python twin of boot.sh for the network tests (tests/boot/net, redis,
nginx) and make bench-apps: the same run-qemu options, plus --ports.

    with Guest('ukl', 'net', log, ports=[(host, 7777)], args='7777') as g:
        g.wait_for(r'net: listening on')    # the console, polled
        ... clients on 127.0.0.1:host ...
        status = g.wait(30)                 # run-qemu's exit status

Leaving the block kills a guest that is still running (its whole process
group, as run-qemu's own timeout does).  UKL_TOP, UKL_O, ACCEL and TIMEOUT
come from the environment (make test sets them).
"""

import os
import re
import signal
import socket
import subprocess
import time

TOP = os.environ.get('UKL_TOP') or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__))))
O = os.environ.get('UKL_O') or os.path.join(TOP, 'build')
RUN_QEMU = os.path.join(TOP, 'scripts', 'run-qemu')
VERDICT = os.path.join(TOP, 'scripts', 'verdict.py')


def recipe(name, key):
    """The first value of KEY in tests/corpus/NAME.recipe ('' if none)."""
    with open(os.path.join(TOP, 'tests', 'corpus', f'{name}.recipe')) as f:
        for line in f:
            k, sep, v = line.partition('=')
            if sep and k.strip() == key:
                return v.strip()
    return ''


def make(*goal):
    """(ok, output) of make GOAL... in the project, on this build folder."""
    p = subprocess.run(['make', '-C', TOP, f'O={O}', '--no-print-directory'] + list(goal),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode == 0, p.stdout


def free_port():
    """A TCP port nothing on 127.0.0.1 uses now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def image_args(kind, app, prog=None):
    """run-qemu's --kernel/--initrd (and --append) for KIND: ukl (bypass),
    ukl-entry (the same image, ukl.bypass=0) or baseline.  APP: a folder
    under $UKL_O/apps, or PROG: an image file made by ukl-gcc's make run."""
    folder = os.path.join(O, 'apps', app)
    if kind in ('ukl', 'ukl-entry'):
        args = ['--kernel', os.path.join(folder, 'vmlinux')]
        return args + (['--append', 'ukl.bypass=0'] if kind == 'ukl-entry' else [])
    if kind == 'baseline':
        return ['--kernel', os.path.join(O, 'linux-base', 'vmlinux'),
                '--initrd', os.path.join(folder, 'initramfs.cpio')]
    raise ValueError(f'unknown kind {kind}')


def wait_for_line(log, regex, proc, seconds):
    """The first line of the file LOG matching REGEX (the kernel's echo of
    its command line aside), or None when PROC ended or SECONDS passed
    first."""
    pattern = re.compile(regex)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with open(log, encoding='utf-8', errors='replace') as f:
                text = f.read()
        except FileNotFoundError:
            text = ''
        for line in text.splitlines():
            if pattern.search(line) and 'Command line:' not in line:
                return line
        if proc.poll() is not None:
            return None
        time.sleep(0.1)
    return None


class Guest:
    """One boot in the background.  TAP: the NIC on that tap device instead
    of the user network; PREFIX: words the runner's command runs under
    (ip netns exec NS)."""

    def __init__(self, kind, app, log, ports=(), args='', env='', timeout=None, tap=None,
                 prefix=()):
        self.log = log
        self.timeout = float(timeout or os.environ.get('TIMEOUT') or 120)
        spec = ' '.join(f'{h}:{g}' for h, g in ports)
        self.cmd = list(prefix) + [
            RUN_QEMU, '--quiet', '--accel', os.environ.get('ACCEL', 'auto'),
            '--probe-cache', os.path.join(O, '.accel-probe'),
            '--timeout', str(self.timeout), '--log', log,
            '--app-args', args, '--app-env', env] + image_args(kind, app)
        if spec:
            self.cmd += ['--ports', spec]
        if tap:
            self.cmd += ['--tap', tap]
        self.proc = None
        self.status = None

    def __enter__(self):
        os.makedirs(os.path.dirname(os.path.abspath(self.log)), exist_ok=True)
        if os.path.exists(self.log):
            os.unlink(self.log)
        self.runner = open(self.log + '.runner', 'w')
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=self.runner,
                                     start_new_session=True)
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.runner.close()
        return False

    def console(self):
        try:
            with open(self.log, encoding='utf-8', errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def wait_for(self, regex, seconds=None):
        """The first console line matching REGEX, or None when the guest
        ended or SECONDS (default: the run's timeout) passed first."""
        return wait_for_line(self.log, regex, self.proc, seconds or self.timeout)

    def wait(self, seconds):
        """run-qemu's exit status, or None if it still runs after SECONDS."""
        try:
            self.status = self.proc.wait(seconds)
        except subprocess.TimeoutExpired:
            return None
        return self.status

    def runner_text(self):
        try:
            with open(self.log + '.runner', encoding='utf-8', errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def tail(self, n=25):
        return '\n'.join(self.console().splitlines()[-n:])


def verdict(log, *opts):
    """(ok, text) of scripts/verdict.py on LOG."""
    p = subprocess.run(['python3', VERDICT, '--log', log] + list(opts),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode == 0, p.stdout.strip()


class Tap:
    """TAP 13 as tests/lib/tap.sh writes it."""

    def __init__(self, plan=None):
        self.n = self.failed = 0
        self.plan = plan
        print('TAP version 13')
        if plan is not None:
            print(f'1..{plan}')

    def ok(self, cond, desc, *diag):
        self.n += 1
        print(f'{"ok" if cond else "not ok"} {self.n} - {desc}', flush=True)
        if not cond:
            self.failed += 1
            for d in diag:
                for line in str(d).splitlines():
                    print(f'# {line}')
        return cond

    def done(self):
        if self.plan is None:
            print(f'1..{self.n}')
        elif self.plan != self.n:
            print(f'# planned {self.plan} tests, ran {self.n}')
            self.failed += 1
        print(f'# Totals: pass:{self.n - self.failed} fail:{self.failed} xfail:0 xpass:0 '
              f'skip:0 error:0')
        return 1 if self.failed else 0
