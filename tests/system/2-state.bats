#!/usr/bin/env bats
# The system pair, boot 2 (systemd as PID 1, on boot 1's state disk): what
# 1-state.bats wrote is back, the system is up, and udev (systemd's own
# systemd-udevd.service) makes a node for a grant.

load '../bats/helpers'

MARK=umdp-system-state

setup_file() {
	umdp_require_guest
}

teardown_file() {
	umdp_unload
}

@test "boot 2 runs systemd as PID 1" {
	run readlink /proc/1/exe
	assert_success
	assert_output --regexp '/systemd$'
}

@test "boot 1's markers under /etc and /var/lib came back after the reboot" {
	local boot
	boot=$(cat /proc/sys/kernel/random/boot_id)
	run cat "/etc/$MARK/boot1"
	assert_success
	assert_output --regexp '^[0-9a-f-]{36}$'
	# Written by another boot than this one.
	refute_output "$boot"
	local etc=$output
	run cat "/var/lib/$MARK/boot1"
	assert_output "$etc"
}

@test "the system is up: systemctl is-system-running says running or degraded" {
	run systemctl is-system-running
	if [ "$output" = degraded ]; then
		systemctl --failed --no-pager --plain --no-legend | sed 's/^/# failed: /' >&3
	fi
	assert_output --regexp '^(running|degraded)$'
}

@test "systemd's udev handles the node of a grant made through configfs" {
	local mon
	run systemctl is-active systemd-udevd.service
	assert_output active
	umdp_load
	umdp_clear
	umdp_exe sys /bin/true
	# udev announces each event it has processed (whatever rules are
	# installed: here perhaps none of umdp's).
	udevadm monitor --udev --subsystem-match=umdp >"$BATS_TEST_TMPDIR/mon" 2>&1 &
	mon=$!
	wait_for_line "$BATS_TEST_TMPDIR/mon" '^UDEV - the event'
	umdp_grant sys sysnode ioports=0xe0-0xe3 enable=1
	wait_for_line "$BATS_TEST_TMPDIR/mon" 'add .*/umdp/sysnode (umdp)'
	umdp_settle
	assert [ -c /dev/umdp/sysnode ]
	umdp_clear
	wait_for_line "$BATS_TEST_TMPDIR/mon" 'remove .*/umdp/sysnode (umdp)'
	kill "$mon"
	umdp_settle
	assert [ ! -e /dev/umdp/sysnode ]
}
