#!/usr/bin/env bats
# enable = 1 validates and claims everything or nothing; enable = 0, rmdir of
# the grant and rmdir of the exe group revoke and release.

load helpers

setup_file() {
	umdp_load
}

teardown_file() {
	umdp_unload
}

setup() {
	umdp_clear
	umdp_exe drv /bin/true
	dmesg --clear
}

teardown() {
	pkill -9 -f "$UMDP_TESTS/umdp-hold" 2>/dev/null || true
	umdp_clear
	umdp_test_unload
}

@test "enable claims the ports, checks the IRQ and creates the node" {
	umdp_grant drv td ioports=0xe0-0xe3,0xe8+4 irqs=5 enable=1
	umdp_settle
	assert [ -c /dev/umdp/td ]
	run grep -E '00e0-00e3 : umdp:td' /proc/ioports
	assert_success
	run grep -E '00e8-00eb : umdp:td' /proc/ioports
	assert_success
	# the line itself is requested only while the program has it open
	run grep -E 'umdp:td' /proc/interrupts
	assert_failure
	assert_equal "$(cat "$UMDP_CFS/drv/td/enable")" 1
}

@test "the IRQ is requested while the node is open and freed on close" {
	umdp_exe sh "$(readlink -f /bin/bash)"
	umdp_grant sh td ioports=0xe0-0xe3 irqs=5 enable=1
	umdp_settle
	exec 8<>/dev/umdp/td
	run grep -E '^ *5:.*umdp:td' /proc/interrupts
	exec 8>&-
	assert_success
	run grep -E 'umdp:td' /proc/interrupts
	assert_failure
}

@test "enable 0 removes the node and releases ports and IRQs" {
	umdp_grant drv td ioports=0xe0-0xe3 irqs=5 enable=1
	umdp_settle
	echo 0 > "$UMDP_CFS/drv/td/enable"
	umdp_settle
	assert [ ! -e /dev/umdp/td ]
	run grep umdp /proc/ioports /proc/interrupts
	assert_failure
	# and the same grant can be enabled again
	echo 1 > "$UMDP_CFS/drv/td/enable"
	umdp_settle
	assert [ -c /dev/umdp/td ]
}

@test "rmdir of an enabled grant revokes it" {
	umdp_grant drv td ioports=0xe0-0xe3 irqs=5 enable=1
	rmdir "$UMDP_CFS/drv/td"
	umdp_settle
	assert [ ! -e /dev/umdp/td ]
	assert [ ! -e /sys/class/umdp/td ]
	run grep umdp /proc/ioports /proc/interrupts
	assert_failure
}

@test "rmdir of an exe group with grants is refused; emptied, it goes" {
	umdp_grant drv td ioports=0xe0-0xe3 enable=1
	run rmdir "$UMDP_CFS/drv"
	assert_failure
	assert [ -c /dev/umdp/td ]
	rmdir "$UMDP_CFS/drv/td"
	rmdir "$UMDP_CFS/drv"
	assert [ ! -e /dev/umdp/td ]
}

@test "an open file survives revoke and closes safely" {
	umdp_exe sh "$(readlink -f /bin/bash)"
	umdp_grant sh held ioports=0xe0-0xe3 enable=1
	umdp_settle
	exec 8<>/dev/umdp/held
	echo 0 > "$UMDP_CFS/sh/held/enable"
	assert [ ! -e /dev/umdp/held ]
	run grep umdp /proc/ioports
	assert_failure
	exec 8>&-
	rmdir "$UMDP_CFS/sh/held"
}

@test "a port held by a kernel driver is EBUSY, logged with the range; umdp-io --holder names it (serial)" {
	umdp_grant drv ser ioports=0x3f8+8
	run umdp_write "$UMDP_CFS/drv/ser/enable" 1
	assert_output EBUSY
	assert_equal "$(cat "$UMDP_CFS/drv/ser/enable")" 0
	run dmesg
	assert_output --regexp 'umdp: grant ser: ports 0x3f8-0x3ff: busy'
	assert [ ! -e /dev/umdp/ser ]
	run "$UMDP_BIN/umdp-io" --holder 0x3f8-0x3ff
	assert_success
	assert_output 'ports 0x3f8-0x3ff: held by serial'
	run runuser -u nobody -- "$UMDP_BIN/umdp-io" --holder 0x3f8-0x3ff
	assert_failure
	assert_output --partial 'Permission denied'
}

@test "a failed enable leaves its reason in last_error; a successful one clears it" {
	umdp_grant drv ser ioports=0x3f8+8
	assert_equal "$(cat "$UMDP_CFS/drv/ser/last_error")" ""
	run umdp_write "$UMDP_CFS/drv/ser/enable" 1
	assert_output EBUSY
	assert_equal "$(cat "$UMDP_CFS/drv/ser/last_error")" \
		"ports 0x3f8-0x3ff: busy, held by a kernel driver or the system (see /proc/ioports)"
	echo 0 > "$UMDP_CFS/drv/ser/exclusive"
	echo 1 > "$UMDP_CFS/drv/ser/enable"
	assert_equal "$(cat "$UMDP_CFS/drv/ser/last_error")" ""
	run umdp_write "$UMDP_CFS/drv/ser/last_error" x
	assert_failure
}

@test "the keyboard placeholder is EBUSY with exclusive=1" {
	umdp_grant drv kbd ioports=0x60,0x64 exclusive=1 unsafe=1
	run umdp_write "$UMDP_CFS/drv/kbd/enable" 1
	assert_output EBUSY
	run dmesg
	assert_output --regexp 'umdp: grant kbd: ports 0x60-0x60: busy'
	run "$UMDP_BIN/umdp-io" --holder 0x60
	assert_output 'ports 0x60-0x60: held by keyboard'
	run "$UMDP_BIN/umdp-io" --holder 0x64-0x60
	assert_failure 2
	assert_output "umdp-io: '0x64-0x60' is not a port range"
	run grep umdp /proc/ioports
	assert_failure
}

@test "the keyboard placeholder is allowed with exclusive=0 (permission only)" {
	umdp_grant drv kbd ioports=0x60,0x64 exclusive=0 unsafe=1 enable=1
	umdp_settle
	assert [ -c /dev/umdp/kbd ]
	run grep umdp /proc/ioports
	assert_failure
}

@test "two enabled grants may not overlap, even with exclusive=0" {
	umdp_grant drv a ioports=0x60 exclusive=0 unsafe=1 enable=1
	umdp_grant drv b ioports=0x5f-0x61 exclusive=0 unsafe=1
	run umdp_write "$UMDP_CFS/drv/b/enable" 1
	assert_output EBUSY
	assert_equal "$(cat "$UMDP_CFS/drv/b/enable")" 0
	run dmesg
	assert_output --regexp 'umdp: grant b: .*a'
}

@test "overlapping memory windows of two grants are EBUSY" {
	umdp_grant drv a mem=0xff000000+0x10000 enable=1
	umdp_grant drv b mem=0xff00f000+0x1000
	run umdp_write "$UMDP_CFS/drv/b/enable" 1
	assert_output EBUSY
}

@test "a failed enable releases what it had claimed (ports before a busy IRQ)" {
	umdp_grant drv a irqs=5 enable=1
	umdp_grant drv b ioports=0xe0-0xe3 irqs=7,5
	run umdp_write "$UMDP_CFS/drv/b/enable" 1
	assert_output EBUSY
	run grep -E 'umdp:b' /proc/ioports /proc/interrupts
	assert_failure
	assert [ ! -e /dev/umdp/b ]
	run dmesg
	assert_output --regexp 'umdp: grant b: (irq|IRQ) 5'
}

@test "an open through a stale node while device_add fails: enable is ENOMEM, the IRQ the open took is freed at once, the next enable works" {
	local hold=$UMDP_TESTS/umdp-hold t=$BATS_TEST_TMPDIR devt='' enable_pid hold_pid _
	umdp_exe hold "$hold"
	umdp_grant hold fa ioports=0xe0-0xe3 irqs=5
	# device_add() of umdp/fa waits, then fails; its cdev is live meanwhile
	umdp_test_load fail_add=fa fail_ms=$((1500 * $(umdp_slowdown)))
	umdp_write "$UMDP_CFS/hold/fa/enable" 1 >"$t/enable" &
	enable_pid=$!
	for _ in $(seq 100); do
		devt=$(dmesg | sed -n 's|.*umdp_test: device_add of umdp/fa (\([0-9]*:[0-9]*\)) fails.*|\1|p')
		[ -z "$devt" ] || break
		sleep 0.1
	done
	assert [ -n "$devt" ]
	# a node left from an earlier enable, opened in the gap: the open
	# requests the grant's IRQ; the file stays open past the failure
	mknod "$t/stale" c "${devt%:*}" "${devt#*:}"
	mkfifo "$t/in"
	"$hold" "$t/stale" <"$t/in" >"$t/hold" &
	hold_pid=$!
	exec 8>"$t/in"
	wait_for_line "$t/hold" opened
	run grep -E '^ *5:.*umdp:fa' /proc/interrupts
	assert_success
	wait "$enable_pid" || true
	assert_equal "$(cat "$t/enable")" ENOMEM
	run dmesg
	assert_output --partial "umdp: grant fa: cannot create /dev/umdp/fa (error -12)"
	# freed by the failed enable, with the file still open
	run grep -E 'umdp:fa' /proc/interrupts
	assert_failure
	run grep -E 'umdp:fa' /proc/ioports
	assert_failure
	assert_equal "$(cat "$UMDP_CFS/hold/fa/enable")" 0
	echo >&8
	wait_for_line "$t/hold" ENODEV
	exec 8>&-
	wait "$hold_pid"
	# one failure only: the next enable works
	umdp_write "$UMDP_CFS/hold/fa/enable" 1
	umdp_settle
	assert [ -c /dev/umdp/fa ]
	run "$hold" fa </dev/null
	assert_output opened
}

@test "an IRQ that does not exist is refused at enable with EINVAL" {
	umdp_grant drv nirq ioports=0xe0-0xe3
	run umdp_write "$UMDP_CFS/drv/nirq/irqs" 1000
	if [ "$status" -eq 0 ]; then
		run umdp_write "$UMDP_CFS/drv/nirq/enable" 1
	fi
	assert_output EINVAL
	assert_equal "$(cat "$UMDP_CFS/drv/nirq/enable")" 0
	run grep umdp /proc/ioports
	assert_failure
}

@test "a mem window over System RAM is refused at enable with EINVAL, logged" {
	umdp_grant drv ram mem=0x100000+0x1000
	run umdp_write "$UMDP_CFS/drv/ram/enable" 1
	assert_output EINVAL
	run dmesg
	assert_output --regexp 'umdp: grant ram: .*System RAM'
}

@test "a path that is a directory is refused at enable with EINVAL" {
	umdp_exe dir /usr/bin
	umdp_grant dir d ioports=0xe0
	run umdp_write "$UMDP_CFS/dir/d/enable" 1
	assert_output EINVAL
}

@test "enable 1 twice and enable 0 twice are harmless" {
	umdp_grant drv td ioports=0xe0-0xe3 enable=1
	echo 1 > "$UMDP_CFS/drv/td/enable"
	echo 0 > "$UMDP_CFS/drv/td/enable"
	echo 0 > "$UMDP_CFS/drv/td/enable"
	run grep umdp /proc/ioports
	assert_failure
}
