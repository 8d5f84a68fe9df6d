APP_SRCS := net.c
