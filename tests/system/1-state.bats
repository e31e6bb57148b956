#!/usr/bin/env bats
# The system pair, boot 1 (the fast init, on the state disk): what this boot
# writes must be there in boot 2 (2-state.bats, systemd as PID 1).

load '../bats/helpers'

MARK=umdp-system-state

setup_file() {
	umdp_require_guest
}

@test "boot 1 runs the fast init, not systemd, as PID 1" {
	run readlink /proc/1/exe
	assert_success
	refute_output --regexp '/systemd$'
}

@test "boot 1's writes go to the state disk" {
	run mountpoint -q /.umdp-state
	assert_success
	run stat -f -c %T /.umdp-state
	assert_output ext2/ext3
}

@test "boot 1 leaves a marker under /etc and under /var/lib" {
	local boot
	boot=$(cat /proc/sys/kernel/random/boot_id)
	mkdir -p "/etc/$MARK" "/var/lib/$MARK"
	echo "$boot" >"/etc/$MARK/boot1"
	echo "$boot" >"/var/lib/$MARK/boot1"
	sync
	run cat "/etc/$MARK/boot1" "/var/lib/$MARK/boot1"
	assert_line --index 0 "$boot"
	assert_line --index 1 "$boot"
}
