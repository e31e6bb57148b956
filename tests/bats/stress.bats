#!/usr/bin/env bats
# Concurrent provisioning: 4 shell loops, each through the same number of
# cycles of mkdir, attribute writes, enable, disable and rmdir on
# overlapping grants. The work is fixed, not the time: a loaded host makes
# the run slower, never shorter (a time-boxed loop did too few cycles to
# count on a busy machine).

load helpers

setup_file() {
	umdp_load
}

teardown_file() {
	umdp_unload
}

# Cycles per loop; each cycle touches three grants.
CYCLES=8

churn() {
	local id=$1 end=$2 exe g n=0
	exe=$UMDP_CFS/loop$id
	mkdir -p "$exe" 2>/dev/null || true
	echo /bin/true > "$exe/path" 2>/dev/null || true
	while [ "$n" -lt $((CYCLES * 3)) ] && [ "$(date +%s)" -lt "$end" ]; do
		# grants a and b are shared by all loops (EEXIST races), the
		# ports overlap (EBUSY races), the IRQ is shared (EBUSY races)
		for g in a b "own$id"; do
			mkdir "$exe/$g" 2>/dev/null || true
			echo "0xe0-0xe$((id % 4))" > "$exe/$g/ioports" 2>/dev/null || true
			echo 5 > "$exe/$g/irqs" 2>/dev/null || true
			echo $((id % 2)) > "$exe/$g/exclusive" 2>/dev/null || true
			echo 1 > "$exe/$g/enable" 2>/dev/null || true
			cat "$exe/$g/enable" >/dev/null 2>&1 || true
			echo 0 > "$exe/$g/enable" 2>/dev/null || true
			echo 1 > "$exe/$g/enable" 2>/dev/null || true
			rmdir "$exe/$g" 2>/dev/null || true
			n=$((n + 1))
		done
		rmdir "$exe" 2>/dev/null || true
		mkdir -p "$exe" 2>/dev/null || true
		echo /bin/true > "$exe/path" 2>/dev/null || true
	done
	echo "$n"
}

@test "4 concurrent provisioning loops of 8 cycles each leave a clean kernel" {
	local end pids=() i n
	dmesg --clear
	# a bound against a hang only: idle, the loops take about 15 s
	end=$(($(date +%s) + 300))
	for i in 1 2 3 4; do
		churn "$i" "$end" >"$BATS_TEST_TMPDIR/churn$i" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i"
	done
	# every loop got through all its cycles
	for i in 1 2 3 4; do
		n=$(cat "$BATS_TEST_TMPDIR/churn$i")
		assert_equal "$n" $((CYCLES * 3))
	done
	umdp_clear
	umdp_settle
	run grep umdp /proc/ioports /proc/interrupts
	assert_failure
	assert [ -z "$(ls -A /dev/umdp 2>/dev/null)" ]
	run dmesg
	refute_output --regexp 'WARNING:|BUG:|Oops|cut here|Call Trace|lockdep'
	run rmmod umdp
	assert_success
}
