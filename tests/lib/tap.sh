# SPDX-License-Identifier: GPL-2.0
# tap.sh - TAP 13 output for sh test programs; source it, then:
#
#   tap_plan N                    "TAP version 13" and "1..N" (optional: without
#                                 it tap_done prints the plan at the end)
#   tap_ok "desc"                 ok N - desc
#   tap_fail "desc" [diag...]     not ok N - desc, each diag line as "# ..."
#   tap_skip "desc" "reason"      ok N - desc # SKIP reason
#   tap_todo "desc" "reason"      not ok N - desc # TODO reason (an expected failure)
#   tap_check "desc" cmd [arg...] runs cmd; ok, or not ok with its exit status
#                                 and output as "# " diagnostics
#   tap_bail "reason"             Bail out! reason, exit 1
#   tap_done                      plan check and "# Totals:"; exits 1 if anything
#                                 failed, 4 if everything was skipped, else 0
#
# All of them return 0, so test programs may use `set -e`.

_tap_n=0
_tap_pass=0
_tap_fail=0
_tap_skip=0
_tap_plan=

_tap_diag() {
	for _tap_d in "$@"; do
		printf '%s\n' "$_tap_d" | sed 's/^/# /'
	done
}

tap_plan() {
	_tap_plan=$1
	echo 'TAP version 13'
	echo "1..$1"
}

tap_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_pass=$((_tap_pass + 1))
	echo "ok $_tap_n - $1"
}

tap_fail() {
	_tap_n=$((_tap_n + 1))
	_tap_fail=$((_tap_fail + 1))
	echo "not ok $_tap_n - $1"
	shift
	_tap_diag "$@"
}

tap_skip() {
	_tap_n=$((_tap_n + 1))
	_tap_skip=$((_tap_skip + 1))
	echo "ok $_tap_n - $1 # SKIP${2:+ $2}"
}

tap_todo() {
	_tap_n=$((_tap_n + 1))
	_tap_pass=$((_tap_pass + 1))
	echo "not ok $_tap_n - $1 # TODO${2:+ $2}"
}

tap_check() {
	_tap_desc=$1
	shift
	if _tap_out=$("$@" 2>&1); then
		tap_ok "$_tap_desc"
	else
		_tap_rc=$?
		tap_fail "$_tap_desc" "exit $_tap_rc: $*" ${_tap_out:+"$_tap_out"}
	fi
	return 0
}

tap_bail() {
	echo "Bail out! $*"
	exit 1
}

tap_done() {
	if [ -z "$_tap_plan" ]; then
		echo "1..$_tap_n"
	elif [ "$_tap_plan" -ne "$_tap_n" ]; then
		echo "# planned $_tap_plan tests but ran $_tap_n"
		_tap_fail=$((_tap_fail + 1))
	fi
	echo "# Totals: pass:$_tap_pass fail:$_tap_fail xfail:0 xpass:0 skip:$_tap_skip error:0"
	[ "$_tap_fail" -eq 0 ] || exit 1
	[ "$_tap_skip" -ne "$_tap_n" ] || exit 4	# nothing ran
	exit 0
}
