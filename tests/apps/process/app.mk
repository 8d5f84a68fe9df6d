# The fork area's helper program (helpers/ukl-helper.c, /bin/ukl-helper)
# and a shell for system() and popen() (/bin/sh).
APP_HELPERS := ukl-helper
APP_BUSYBOX := y
