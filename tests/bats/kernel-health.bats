#!/usr/bin/env bats
# Runs last: the whole suite left the guest kernel healthy.

load helpers

setup_file() {
	umdp_require_guest
}

@test "the module unloads cleanly after the whole suite" {
	run umdp_unload
	assert_success
	run grep umdp /proc/ioports /proc/interrupts /proc/iomem
	assert_failure
}

@test "no taint bits other than out-of-tree and unsigned module" {
	local tainted
	tainted=$(cat /proc/sys/kernel/tainted)
	# 4096 O (out-of-tree module), 8192 E (unsigned module)
	assert_equal "$((tainted & ~(4096 | 8192)))" 0
}

@test "the kernel log carries no WARNING, BUG or Oops" {
	run dmesg
	assert_success
	refute_output --regexp 'WARNING:|BUG:|Oops|cut here|Call Trace|general protection'
}
