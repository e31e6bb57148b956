#!/usr/bin/env bats
# What every guest offers a user who follows the README.

load helpers

@test "every guest has the README's unprivileged example user umdp-demo" {
	run id -u umdp-demo
	assert_success
	refute_output 0
	run runuser -u umdp-demo -- id -un
	assert_output umdp-demo
}

@test "the guest saved the boot messages before clearing the ring buffer" {
	assert [ -s /run/boot-dmesg.txt ]
	run grep -c 'Linux version' /run/boot-dmesg.txt
	assert_output 1
}
