APP_SRCS := smoke.c
