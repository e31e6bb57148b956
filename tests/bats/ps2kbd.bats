#!/usr/bin/env bats
# examples/ps2kbd, the PS/2 keyboard driver, end to end: the host's QEMU
# monitor types on the emulated keyboard (umdp-vm type / sendkey) and the
# driver, run by an unprivileged user, prints what it decoded.

load helpers

KBD=$UMDP_TOP/build/bin/ps2kbd
VM=$UMDP_TOP/scripts/umdp-vm
OUT=$BATS_FILE_TMPDIR/kbd.out

setup_file() {
	umdp_load
	umdp_test_user
}

teardown_file() {
	umdp_unload
}

setup() {
	umdp_clear
	dmesg --clear
}

teardown() {
	pkill -9 -f "$KBD" 2>/dev/null || true
	umdp_clear
}

# kbd_grant NAME [ATTR=VALUE...]: the keyboard grant for ps2kbd, owned by
# umdptest; extra attributes override or add.
kbd_grant() {
	local g=$1
	shift
	[ -d "$UMDP_CFS/ps2kbd" ] || umdp_exe ps2kbd "$KBD"
	umdp_grant ps2kbd "$g" ioports=0x60,0x64 irqs=1 exclusive=0 unsafe=1 \
		owner=umdptest mode=0600 "$@"
	umdp_settle
}

# start_kbd [ARGS] GRANT: the driver in the background as umdptest, ready.
# setpriv execs it (runuser would fork and swallow SIGINT), so KBD_PID is
# the driver itself.
start_kbd() {
	: >"$OUT"
	setpriv --reuid=umdptest --regid=umdptest --init-groups -- \
		"$KBD" "$@" >"$OUT" 2>&1 3>&- &
	KBD_PID=$!
	wait_for_line "$OUT" "keyboard ready"
}

# stop_kbd: SIGINT, then the driver's exit status in $status.
stop_kbd() {
	kill -INT "$KBD_PID"
	status=0
	wait "$KBD_PID" || status=$?
}

@test "typing test and Enter through the monitor makes the driver print test" {
	kbd_grant kbd enable=1
	start_kbd kbd
	"$VM" type 'test\n'
	wait_for_line "$OUT" '^test$'
	stop_kbd
	assert_equal "$status" 0
	run cat "$OUT"
	assert_line "ps2kbd: released 'kbd'"
}

@test "shift, caps lock and backspace decode as on a US keyboard" {
	kbd_grant kbd enable=1
	start_kbd -n 2 kbd
	"$VM" type 'Hello, World! 1+1=2\n'
	"$VM" sendkey caps_lock a b caps_lock shift-c d x backspace ret
	status=0
	wait "$KBD_PID" || status=$?
	assert_equal "$status" 0
	run cat "$OUT"
	assert_line --index 1 'Hello, World! 1+1=2'
	assert_line --index 2 'ABCd'
}

@test "keys typed before the driver started are dropped, not decoded" {
	kbd_grant kbd enable=1
	# More than the controller's one byte and more than 16: the keyboard
	# queues them while nobody reads.
	"$VM" type 'typed while nobody listened\n'
	start_kbd -n 1 kbd
	"$VM" type 'fresh\n'
	status=0
	wait "$KBD_PID" || status=$?
	assert_equal "$status" 0
	run cat "$OUT"
	assert_line --index 1 fresh
	refute_output --partial listened
}

@test "IRQ 1 is the driver's only while it runs, and SIGINT releases it" {
	kbd_grant kbd enable=1
	run grep -E '^ *1:' /proc/interrupts
	refute_output --partial umdp
	start_kbd kbd
	run grep -E '^ *1:' /proc/interrupts
	assert_output --partial umdp
	"$VM" type 'x\n'
	wait_for_line "$OUT" '^x$'
	stop_kbd
	assert_equal "$status" 0
	run grep -E '^ *1:' /proc/interrupts
	refute_output --partial umdp
	run cat /sys/class/umdp/kbd/opened_by
	assert_equal "$output" -
	# The keyboard interrupts reached the driver and nobody else.
	run cat /sys/class/umdp/kbd/irq_counts
	refute_output '1 0'
}

@test "the driver can be started again after SIGINT and still reads keys" {
	kbd_grant kbd enable=1
	start_kbd kbd
	stop_kbd
	assert_equal "$status" 0
	start_kbd -n 1 kbd
	"$VM" type 'again\n'
	status=0
	wait "$KBD_PID" || status=$?
	assert_equal "$status" 0
	run cat "$OUT"
	assert_line again
}

@test "revoking the grant stops the driver with one sentence" {
	kbd_grant kbd enable=1
	start_kbd kbd
	echo 0 >"$UMDP_CFS/ps2kbd/kbd/enable"
	status=0
	wait "$KBD_PID" || status=$?
	assert_equal "$status" 1
	run cat "$OUT"
	assert_line "ps2kbd: the grant was revoked"
}

@test "a missing grant is one sentence and exit 1" {
	run as_user "$KBD" nokbd
	assert_failure 1
	assert_output "ps2kbd: there is no grant 'nokbd' (see /sys/kernel/config/umdp)"
}

@test "a disabled grant is one sentence naming the enable attribute" {
	kbd_grant kbd
	run as_user "$KBD" kbd
	assert_failure 1
	assert_output "ps2kbd: grant 'kbd' is not enabled (echo 1 > /sys/kernel/config/umdp/ps2kbd/kbd/enable)"
}

@test "another program's grant is one sentence naming both programs" {
	umdp_exe other /bin/true
	umdp_grant other okbd ioports=0x60,0x64 irqs=1 exclusive=0 unsafe=1 \
		owner=umdptest mode=0600 enable=1
	umdp_settle
	run as_user "$KBD" okbd
	assert_failure 1
	assert_output "ps2kbd: grant 'okbd' is for the program /bin/true, not for $KBD"
}

@test "a node the user may not open is one sentence naming its owner" {
	kbd_grant kbd owner=root enable=1
	run as_user "$KBD" kbd
	assert_failure 1
	assert_output "ps2kbd: /dev/umdp/kbd belongs to root (mode 0600) and you are umdptest"
}

@test "a grant without IRQ 1 is one sentence and exit 1" {
	kbd_grant kbd irqs=3 enable=1
	run as_user "$KBD" kbd
	assert_failure 1
	assert_output "ps2kbd: grant 'kbd' does not include IRQ 1"
}

@test "a grant without port 0x64 is one sentence" {
	kbd_grant kbd ioports=0x60 enable=1
	run as_user "$KBD" kbd
	assert_failure 1
	assert_output "ps2kbd: grant 'kbd' does not include ports 0x60 and 0x64"
}

@test "a second copy of the driver is told the grant is already open" {
	kbd_grant kbd enable=1
	start_kbd kbd
	run as_user "$KBD" kbd
	assert_failure 1
	assert_output --regexp "^ps2kbd: grant 'kbd' is already open \(process [0-9]+ ps2kbd\)$"
	stop_kbd
	assert_equal "$status" 0
}

@test "bad usage is exit 2 with the usage line" {
	run "$KBD"
	assert_failure 2
	assert_output "usage: ps2kbd [-v] [-n LINES] GRANT"
	run "$KBD" -n 0 kbd
	assert_failure 2
	assert_output "ps2kbd: -n takes a number of lines"
}
