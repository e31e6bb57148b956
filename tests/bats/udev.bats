#!/usr/bin/env bats
# udev gives /dev/umdp/<grant> the owner, group and mode the grant asks for;
# /sys/class/umdp/<grant> mirrors the grant read-only.

load helpers

setup_file() {
	umdp_load
	umdp_test_user
	getent group umdpgrp >/dev/null || groupadd umdpgrp
}

teardown_file() {
	umdp_unload
}

setup() {
	umdp_clear
	umdp_exe drv /bin/true
}

teardown() {
	umdp_clear
}

@test "provisioning with mkdir and echo: owner, group and mode come from udev" {
	mkdir "$UMDP_CFS/drv/tdev"
	echo 0xe0-0xe3 > "$UMDP_CFS/drv/tdev/ioports"
	echo umdptest > "$UMDP_CFS/drv/tdev/owner"
	echo umdpgrp > "$UMDP_CFS/drv/tdev/group"
	echo 0640 > "$UMDP_CFS/drv/tdev/mode"
	echo 1 > "$UMDP_CFS/drv/tdev/enable"
	umdp_settle
	run stat -c '%U %G %a %F' /dev/umdp/tdev
	assert_output "umdptest umdpgrp 640 character special file"
}

@test "without owner, group or mode the node is root:root 0600" {
	umdp_grant drv plain ioports=0xe0 enable=1
	umdp_settle
	run stat -c '%U %G %a' /dev/umdp/plain
	assert_output "root root 600"
}

@test "numeric owner and group work" {
	umdp_grant drv num ioports=0xe0 owner=65534 group=65534 mode=0660 enable=1
	umdp_settle
	run stat -c '%u %g %a' /dev/umdp/num
	assert_output "65534 65534 660"
}

@test "the add uevent carries UMDP_* and the node is tagged for systemd" {
	umdp_grant drv ev ioports=0xe0 owner=umdptest mode=0600 enable=1
	umdp_settle
	run udevadm info --query=property /dev/umdp/ev
	assert_line UMDP_GRANT=ev
	assert_line UMDP_EXE=drv
	assert_line UMDP_PATH=/bin/true
	assert_line UMDP_OWNER=umdptest
	assert_line UMDP_MODE=0600
	refute_line --partial UMDP_GROUP=
	assert_line --regexp '^(CURRENT_)?TAGS=.*:systemd:'
}

@test "/sys/class/umdp/<grant> mirrors the grant, read-only" {
	umdp_grant drv sy ioports=0xe0-0xe3,0xe8 irqs=5 mem=0xff000000+0x10000,wc enable=1
	local d=/sys/class/umdp/sy
	assert_equal "$(cat $d/exe)" drv
	assert_equal "$(cat $d/path)" /bin/true
	assert_equal "$(cat $d/ioports)" 0xe0-0xe3,0xe8
	assert_equal "$(cat $d/irqs)" 5
	assert_equal "$(cat $d/mem)" 0xff000000+0x10000,wc
	assert_equal "$(cat $d/irq_counts)" "5 0"
	assert_equal "$(cat $d/opened_by)" -
	run umdp_write $d/ioports 0xe0
	assert_failure
}

@test "the node goes away with its grant, and udev sees the remove" {
	umdp_grant drv gone ioports=0xe0 enable=1
	umdp_settle
	assert [ -c /dev/umdp/gone ]
	echo 0 > "$UMDP_CFS/drv/gone/enable"
	umdp_settle
	assert [ ! -e /dev/umdp/gone ]
	run udevadm info /sys/class/umdp/gone
	assert_failure
}
