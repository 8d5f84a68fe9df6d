# SPDX-License-Identifier: GPL-2.0
"""gdb support for UKL images (make debug, scripts/ukl-debug).

  ukl-break FUNCTION   a breakpoint on the app's FUNCTION: the app's symbols
                       are namespaced in vmlinux (app.FUNCTION, link/
                       namespace-app), so this works where the kernel has a
                       function of the same name (`break main' works too
                       when the name is the app's alone)

and an unwinder for the frames of the UKL syscall entry (ukl-lib/entry.S,
syscall-stubs.S), which have no CFI: the app calls a stub, which switches
to the task's kernel stack and calls the syscall's implementation with the
stack pointer at task_pt_regs(current).  The frame above such a frame is
the app's: its stack pointer is pt_regs->sp, which points at the return
address of the stub's call.  The full path (__ukl_syscall, then
ukl_syscall_frame) saved the app's
callee-saved registers in pt_regs; the bypass (ukl_bypass) leaves them in
the registers, where the kernel's own frames (with CFI) have put them back.
"""
import subprocess

import gdb
from gdb.unwinder import Unwinder


class FrameId:
    """A frame's identity for create_unwind_info() (gdb 13 has no class
    of its own for it: any object with sp and pc attributes; gdb 13 also
    reads special, and fails if there is no such attribute)."""

    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc
        self.special = None

# The entry code: symbol -> where the app's callee-saved registers are.
# __ukl_syscall switches stacks and jumps to ukl_syscall_frame, which
# builds pt_regs and calls do_syscall_64.
ENTRY_SYMBOLS = {'ukl_syscall_frame': 'pt_regs', 'ukl_bypass': 'registers'}
CALLEE_SAVED = (('rbx', 'bx'), ('rbp', 'bp'), ('r12', 'r12'), ('r13', 'r13'),
                ('r14', 'r14'), ('r15', 'r15'))


def read_symbols(path):
    """(start, end, symbol) of ENTRY_SYMBOLS, and the app's function
    symbols by their C name (nm -S of the ELF file path): the app's
    symbols are app.NAME, and gcc's clones app.NAME.constprop.0 and the
    like."""
    out = subprocess.run(['nm', '-S', '--defined-only', path], capture_output=True,
                         text=True, check=True).stdout
    ranges, app = [], {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4 and f[3] in ENTRY_SYMBOLS:
            start = int(f[0], 16)
            ranges.append((start, start + int(f[1], 16), f[3]))
        elif len(f) >= 3 and f[-2] in 'tTW' and f[-1].startswith('app.'):
            app.setdefault(f[-1][4:].split('.')[0], []).append(f[-1])
    return ranges, app


class UklEntryUnwinder(Unwinder):
    def __init__(self, ranges):
        super().__init__('ukl-entry')
        self.ranges = ranges
        self.pt_regs = None

    def __call__(self, pending):
        pc = int(pending.read_register('rip'))
        for start, end, sym in self.ranges:
            if start <= pc < end:
                break
        else:
            return None
        if self.pt_regs is None:
            self.pt_regs = gdb.lookup_type('struct pt_regs').pointer()
        sp = pending.read_register('rsp')
        regs = sp.cast(self.pt_regs).dereference()
        app_sp = int(regs['sp'])
        u64 = gdb.lookup_type('unsigned long')
        ret = gdb.Value(app_sp).cast(u64.pointer()).dereference()
        # gdb 13 takes the frame id's pc only as a pointer-typed value.
        pc_type = pending.read_register('rip').type
        info = pending.create_unwind_info(FrameId(sp, gdb.Value(start).cast(pc_type)))
        info.add_saved_register('rip', ret.cast(pc_type))
        info.add_saved_register('rsp', gdb.Value(app_sp + 8).cast(sp.type))
        for reg, field in CALLEE_SAVED:
            value = regs[field] if ENTRY_SYMBOLS[sym] == 'pt_regs' else pending.read_register(reg)
            info.add_saved_register(reg, value.cast(pending.read_register(reg).type))
        return info


class UklBreak(gdb.Command):
    """ukl-break FUNCTION: a breakpoint on the app's function FUNCTION (and
    on gcc's clones of it, FUNCTION.constprop.0 and the like)."""

    def __init__(self, app):
        super().__init__('ukl-break', gdb.COMMAND_BREAKPOINTS)
        self.app = app

    def invoke(self, arg, from_tty):
        name = arg.strip()
        if not name:
            raise gdb.GdbError('ukl-break: which app function?')
        syms = self.app.get(name)
        if not syms:
            raise gdb.GdbError(f'ukl-break: the app has no function {name} '
                               f'(no symbol app.{name} in the image)')
        for sym in syms:
            gdb.Breakpoint(f"'{sym}'")


def setup():
    objfile = gdb.current_progspace().filename
    if not objfile:
        raise gdb.GdbError('ukl.py: load the image (vmlinux) first')
    ranges, app = read_symbols(objfile)
    if len(ranges) != len(ENTRY_SYMBOLS):
        print('ukl.py: warning: %s lacks the UKL entry symbols %s; backtraces stop at the entry'
              % (objfile, ', '.join(sorted(ENTRY_SYMBOLS))))
    gdb.unwinder.register_unwinder(None, UklEntryUnwinder(ranges), replace=True)
    UklBreak(app)


setup()
