# The fork area's helper program (helpers/ukl-helper.c, /bin/ukl-helper)
# and a shell for system() and popen() (/bin/sh).
APP_HELPERS := ukl-helper
APP_BUSYBOX := y
# exit-bad-ip and its kin write a thread's saved registers with the kernel's own
# ptrace code (exit.c).
APP_KERNEL_CALLS := find_get_task_by_vpid arch_ptrace
