#!/usr/bin/env bats
# umdp-fuzz (tests/c/umdp-fuzz, `make fuzz`): its operations are a function
# of the seed, a short run leaves the kernel log clean, and a report in the
# kernel log stops a run with the seed, the report and the last operations.
# About 25 s of tests; `make fuzz SECONDS=N` is the long run.

load helpers

FUZZ=$UMDP_TESTS/umdp-fuzz

setup_file() {
	umdp_require_guest
	umdp_unload
	umdp_test_user
}

teardown_file() {
	umdp_unload
}

@test "fuzz: the same seed draws the same operations, another seed others" {
	local first
	run "$FUZZ" --dry-run --seed 0x5eed --ops 200
	assert_success
	first=$output
	# the seed line and 200 operations for each of the 4 workers
	assert_equal "${#lines[@]}" 801
	assert_line --index 0 --partial 'seed=0x0000000000005eed'
	run "$FUZZ" --dry-run --seed 0x5eed --ops 200
	assert_success
	assert_equal "$output" "$first"
	run "$FUZZ" --dry-run --seed 0x5eee --ops 200
	assert_success
	refute [ "$output" = "$first" ]
}

@test "fuzz: 12 s with a fixed seed leave no kernel report, and umdp unloaded" {
	run timeout 150 "$FUZZ" --seed 0x5eed --seconds 12 --user umdptest \
		--module "$UMDP_KO"
	assert_success
	assert_line --index 0 --partial 'seed=0x0000000000005eed'
	assert_output --regexp 'ops=[1-9][0-9]* reports=0'
	refute umdp_loaded
}

@test "fuzz: a report in the kernel log stops the run with the seed, the report and the last operations" {
	run timeout 120 "$FUZZ" --seed 7 --seconds 6 --selftest-report \
		--module "$UMDP_KO"
	assert_failure 1
	assert_output --partial 'REPORT 1: the kernel log has a report'
	assert_output --partial 'umdp-fuzz-selftest: a report planted'
	assert_output --partial 'replay: umdp-fuzz --seed 0x0000000000000007'
	assert_output --partial '--- last operations of worker 3'
	assert_output --regexp 'ops=[0-9]+ reports=1'
	refute umdp_loaded
}
