#!/usr/bin/env bats
# examples/bochsfb: a display driver for QEMU's std VGA (PCI 1234:1111) run
# by an unprivileged user through a grant of its two BARs. It sets
# 640x480x32, draws seven rainbow bands (checked on a screendump taken by
# QEMU) and on SIGINT/SIGTERM puts the text display back as it was.

load helpers

FB=$UMDP_BIN/bochsfb
PNG_BANDS=$UMDP_TOP/tests/tools/png-bands
RAINBOW=(ff0000 ff7f00 ffff00 00ff00 0000ff 4b0082 8b00ff)

setup_file() {
	local d
	umdp_load
	umdp_test_user
	if d=$(pci_dir 0x1234 0x1111); then
		VGA_BDF=${d##*/}
		FB_BAR0=$(pci_bar "$d" 0)
		FB_BAR2=$(pci_bar "$d" 2)
	fi
	export VGA_BDF FB_BAR0 FB_BAR2
	# what the display shows before any driver ran: VGA text mode
	screendump "$BATS_FILE_TMPDIR/text.png"
}

teardown_file() {
	umdp_unload
}

setup() {
	[ -n "${VGA_BDF:-}" ] || fail "no VGA (1234:1111) in the guest"
	umdp_clear
	dmesg --clear
}

teardown() {
	local _
	# A driver left running by a failed test: SIGTERM lets it restore the
	# display for the next test; SIGKILL only if it does not end.
	if [ -n "${FB_PID:-}" ]; then
		kill -TERM "$FB_PID" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$FB_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$FB_PID" 2>/dev/null || true
		wait "$FB_PID" 2>/dev/null || true
	fi
	umdp_clear
}

# screendump FILE: the guest's display, through the QEMU monitor
screendump() {
	"$UMDP_TOP/scripts/umdp-vm" screendump "$1"
}

# fb_grant GRANT MEM [PROGRAM]: a grant of MEM for PROGRAM (bochsfb), owned
# by umdptest
fb_grant() {
	umdp_exe "exe-$1" "${3:-$FB}"
	umdp_grant "exe-$1" "$1" "mem=$2" owner=umdptest mode=0600 enable=1
	umdp_settle
}

# start_fb ARGS...: bochsfb as umdptest in the background, output in
# $BATS_TEST_TMPDIR/out; setpriv execs it, so FB_PID is the driver itself.
# Returns once the rainbow is drawn.
start_fb() {
	setpriv --reuid=umdptest --regid=umdptest --init-groups -- \
		"$FB" "$@" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	FB_PID=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" 'rainbow drawn'
}

# stop_fb SIGNAL: send it and wait; the exit status in FB_RC
stop_fb() {
	FB_RC=0
	kill -"$1" "$FB_PID"
	wait "$FB_PID" || FB_RC=$?
	FB_PID=
}

# the display is the text screen from before the suite's first driver ran
assert_text_display() {
	screendump "$BATS_TEST_TMPDIR/now.png"
	run "$PNG_BANDS" --size 720x400 --same-as "$BATS_FILE_TMPDIR/text.png" \
		"$BATS_TEST_TMPDIR/now.png"
	echo "$output"
	assert_success
}

@test "as an unprivileged user bochsfb sets 640x480 and draws the seven rainbow bands" {
	fb_grant fb "$FB_BAR0,wc,$FB_BAR2"
	start_fb fb
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output "bochsfb: 640x480x32 on $VGA_BDF, rainbow drawn (7 bands); Ctrl-C releases the display"
	assert_equal "$(stat -c %U "/proc/$FB_PID")" umdptest
	assert_equal "$(cat /sys/class/umdp/fb/opened_by)" "$FB_PID bochsfb"
	screendump "$BATS_TEST_TMPDIR/rainbow.png"
	run "$PNG_BANDS" --size 640x480 "$BATS_TEST_TMPDIR/rainbow.png" "${RAINBOW[@]}"
	echo "$output"
	assert_success
	assert_line "band 1 at x=45: ff0000 ok"
	assert_line "band 4 at x=320: 00ff00 ok"
	assert_line "band 7 at x=594: 8b00ff ok"
	stop_fb INT
	assert_equal "$FB_RC" 0
}

@test "the framebuffer is a shared write-combining mapping of /dev/umdp/fb; the WC type lasts until revoke" {
	local start=${FB_BAR0%+*} len=${FB_BAR0#*+}
	fb_grant fb "$FB_BAR0,wc,$FB_BAR2"
	start_fb fb
	# smaps: the mapping's offset is the physical address; its size the BAR
	run awk -v off="$(printf '%08x' "$start")" '
		$2 == "rw-s" && $3 == off && $6 == "/dev/umdp/fb" { found = 1; next }
		found && $1 == "Size:" { print $2 " " $3; exit }' "/proc/$FB_PID/smaps"
	assert_output "$((len / 1024)) kB"
	run cat /sys/kernel/debug/x86/pat_memtype_list
	assert_line --partial "$(printf '[mem 0x%016x-0x%016x] write-combining' "$start" $((start + len)))"
	stop_fb INT
	# the node holds the memory type from the first map until revoke
	run cat /sys/kernel/debug/x86/pat_memtype_list
	assert_line --partial "$(printf '[mem 0x%016x-0x%016x] write-combining' "$start" $((start + len)))"
	echo 0 >"$UMDP_CFS/exe-fb/fb/enable"
	run cat /sys/kernel/debug/x86/pat_memtype_list
	refute_output --partial "write-combining"
}

@test "SIGINT puts the text display back as it was, prints released, exits 0" {
	fb_grant fb "$FB_BAR0,wc,$FB_BAR2"
	start_fb fb
	stop_fb INT
	assert_equal "$FB_RC" 0
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 1 "bochsfb: released fb"
	assert_equal "${#lines[@]}" 2
	assert_text_display
	assert_equal "$(cat /sys/class/umdp/fb/opened_by)" "-"
}

@test "after a release the node opens again; SIGTERM releases it too" {
	fb_grant fb "$FB_BAR0,wc,$FB_BAR2"
	start_fb fb
	stop_fb INT
	start_fb fb
	screendump "$BATS_TEST_TMPDIR/rainbow.png"
	run "$PNG_BANDS" --size 640x480 "$BATS_TEST_TMPDIR/rainbow.png" "${RAINBOW[@]}"
	assert_success
	stop_fb TERM
	assert_equal "$FB_RC" 0
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line "bochsfb: released fb"
	assert_text_display
}

@test "a second bochsfb on the same grant is told who has it open" {
	fb_grant fb "$FB_BAR0,wc,$FB_BAR2"
	start_fb fb
	run as_user "$FB" fb
	assert_failure 1
	assert_output "bochsfb: grant 'fb' is already open (process $FB_PID bochsfb)"
	stop_fb INT
}

@test "a missing grant, a disabled grant, a root-only node, another program's grant: one sentence, exit 1" {
	run as_user "$FB" nosuch
	assert_failure 1
	assert_output "bochsfb: there is no grant 'nosuch' (see $UMDP_CFS)"

	umdp_exe exe-fb "$FB"
	umdp_grant exe-fb fb "mem=$FB_BAR0,wc,$FB_BAR2" owner=umdptest
	run as_user "$FB" fb
	assert_failure 1
	assert_output "bochsfb: grant 'fb' is not enabled (echo 1 > $UMDP_CFS/exe-fb/fb/enable)"

	umdp_grant exe-fb rootfb "mem=$FB_BAR0,wc,$FB_BAR2" enable=1
	umdp_settle
	run as_user "$FB" rootfb
	assert_failure 1
	assert_output "bochsfb: /dev/umdp/rootfb belongs to root (mode 0600) and you are umdptest"
	echo 0 >"$UMDP_CFS/exe-fb/rootfb/enable"

	fb_grant io "$FB_BAR0,wc,$FB_BAR2" "$UMDP_BIN/umdp-io"
	run as_user "$FB" io
	assert_failure 1
	assert_output "bochsfb: grant 'io' is for the program $UMDP_BIN/umdp-io, not for $FB"
	assert_text_display
}

@test "a grant without BAR2 or without BAR0 names the missing BAR; the display is untouched" {
	fb_grant fb0 "$FB_BAR0,wc"
	run as_user "$FB" fb0
	assert_failure 1
	assert_output "bochsfb: grant 'fb0' does not include BAR2 of $VGA_BDF ($FB_BAR2)"
	fb_grant fb2 "$FB_BAR2"
	run as_user "$FB" fb2
	assert_failure 1
	assert_output "bochsfb: grant 'fb2' does not include BAR0 of $VGA_BDF ($FB_BAR0)"
	assert_text_display
}

@test "an explicit BDF: the VGA's is driven (uncached: a note), another device's is refused" {
	fb_grant fb "$FB_BAR0,$FB_BAR2"
	start_fb fb "$VGA_BDF"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 "bochsfb: note: grant 'fb' maps the framebuffer uncached (',wc' after its range makes drawing faster)"
	assert_line --index 1 --partial "rainbow drawn"
	stop_fb INT
	assert_equal "$FB_RC" 0
	run as_user "$FB" fb 0000:00:00.0
	assert_failure 1
	assert_output "bochsfb: 0000:00:00.0 is not a bochs display (PCI 1234:1111)"
	run as_user "$FB" fb 00:05.0
	assert_failure 2
	assert_output "bochsfb: '00:05.0' is not a PCI address like 0000:00:05.0"
}

@test "--help prints the usage on stdout and exits 0; bad usage exits 2" {
	"$FB" --help >"$BATS_TEST_TMPDIR/help" 2>/dev/null
	run cat "$BATS_TEST_TMPDIR/help"
	assert_line --index 0 "usage: bochsfb GRANT [BDF]"
	run "$FB"
	assert_failure 2
	assert_line --index 0 "usage: bochsfb GRANT [BDF]"
	run "$FB" fb "$VGA_BDF" extra
	assert_failure 2
	run "$FB" -x fb
	assert_failure 2
}

# Last in this file: a revoked driver cannot restore the display, so the
# guest's display stays at 640x480 from here on.
@test "a revoke while bochsfb waits: it says so and exits 1, the rainbow stays" {
	fb_grant fb "$FB_BAR0,wc,$FB_BAR2"
	start_fb fb
	echo 0 >"$UMDP_CFS/exe-fb/fb/enable"
	FB_RC=0
	wait "$FB_PID" || FB_RC=$?
	FB_PID=
	assert_equal "$FB_RC" 1
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 1 "bochsfb: grant 'fb' was revoked; the display stays as it is"
	screendump "$BATS_TEST_TMPDIR/rainbow.png"
	run "$PNG_BANDS" --size 640x480 "$BATS_TEST_TMPDIR/rainbow.png" "${RAINBOW[@]}"
	assert_success
}
