# tests/boot/debug: the gdb side (make debug GDB_CMDS=this file).  Each
# "echo @@" line marks a step for the test to find in gdb's output.
ukl-break debug_write
continue
echo @@ stop in the app\n
bt
break ksys_write
continue
echo @@ stop in the kernel\n
bt
frame function debug_write
echo @@ local\n
print answer
echo @@ helpers\n
lx-ps
lx-dmesg
echo @@ continue to the end\n
delete
continue
