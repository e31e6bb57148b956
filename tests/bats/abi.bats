#!/usr/bin/env bats
# The node's ioctl ABI: the version query, extensible arguments (an older,
# shorter argument still works; a newer one's unknown tail must be zero),
# the info arrays, and the write ioctls refused on a read-only file.

load helpers

ABICHECK=$UMDP_TESTS/umdp-abicheck

setup_file() {
	umdp_load
}

teardown_file() {
	umdp_unload
}

setup() {
	umdp_clear
}

teardown() {
	umdp_clear
}

@test "version query, old and new argument sizes, info arrays, read-only fds" {
	umdp_exe abi "$ABICHECK"
	umdp_grant abi abi ioports=0xe0-0xe3,0xe8+4 irqs=5,7 enable=1
	umdp_settle
	run "$ABICHECK" abi
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	assert_output --partial "an old-sized (56-byte) info gives the counts"
	assert_output --partial "UMDP_IOC_VERSION reports API 1"
}
