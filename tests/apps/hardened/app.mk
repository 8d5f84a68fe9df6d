# The app's own hardening flags, after the UKL flags (which say
# -fno-stack-protector): they win.
APP_CFLAGS := -fstack-protector-strong -D_FORTIFY_SOURCE=2
