APP_SRCS := lebench.c
# The kernel shortcut of the benchmark: ktime_t ktime_get(void).
APP_KERNEL_CALLS := ktime_get
