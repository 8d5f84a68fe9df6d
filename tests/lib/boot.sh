# SPDX-License-Identifier: GPL-2.0
# boot.sh - boot an app's image for a boot test; source after tap.sh.
#   UKL_TOP, UKL_O: the project and its build folder (set by make test)
#
#   boot_app ukl|ukl-entry|baseline APP_NAME "ARGS" LOG   (ARGS: shell-like words)
#       boots the already built image, console to LOG (ukl: bypass mode;
#       ukl-entry: the same image with ukl.bypass=0); sets BOOT_STATUS to
#       run-qemu's exit status (the app's status, or 124-127).  Kernel
#       parameters in $BOOT_KPARAMS go before the app's arguments; guest
#       memory is $BOOT_MEM and CPUs $BOOT_SMP if set (else qemu.conf's);
#       $BOOT_ENV holds
#       NAME=VALUE words for the app's environment.
#   boot_verdict LOG verdict.py-options...
#       ok/not ok from scripts/verdict.py (status, result lines, clean log)

: "${UKL_TOP:?}" "${UKL_O:?}"

boot_app() {
	_kind=$1 _app=$2 _args=$3 _log=$4
	_a=$UKL_O/apps/$_app
	_kp=${BOOT_KPARAMS:-}
	[ "$_kind" = ukl-entry ] && _kp="ukl.bypass=0${_kp:+ $_kp}"
	set -- "$UKL_TOP/scripts/run-qemu" --quiet --accel "${ACCEL:-auto}" \
		--probe-cache "$UKL_O/.accel-probe" --timeout "${TIMEOUT:-120}" --log "$_log" \
		${BOOT_MEM:+--mem "$BOOT_MEM"} ${BOOT_SMP:+--smp "$BOOT_SMP"} \
		--append "$_kp" \
		--app-args "$_args" --app-env "${BOOT_ENV:-}"
	case $_kind in
	ukl|ukl-entry) set -- "$@" --kernel "$_a/vmlinux" ;;
	baseline) set -- "$@" --kernel "$UKL_O/linux-base/vmlinux" --initrd "$_a/initramfs.cpio" ;;
	*)	tap_bail "boot_app: unknown kind $_kind" ;;
	esac
	BOOT_STATUS=0
	"$@" 2>"$_log.runner" || BOOT_STATUS=$?
}

boot_verdict() {
	_log=$1
	shift
	if _v=$(python3 "$UKL_TOP/scripts/verdict.py" --log "$_log" "$@" 2>&1); then
		tap_ok "verdict: $_v"
	else
		tap_fail "verdict: $(printf '%s\n' "$_v" | head -n 1)" "$_v" \
			"runner: $(cat "$_log.runner" 2>/dev/null)" "last console lines:" \
			"$(tail -n 25 "$_log")"
	fi
}
