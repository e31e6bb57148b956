#!/usr/bin/env bats
# Interrupts through the node: poll() and the fetch/wait ioctls, level lines
# masked until the driver unmasks, nothing seen across grants, nothing left
# requested or masked by a dead driver. pc-testdev raises ISA IRQ n by a
# write of 1 then 0 to port 0x2000+n; edu raises a level INTx from BAR0.

load helpers

IRQCHECK=$UMDP_TESTS/umdp-irqcheck

setup_file() {
	umdp_load
	EDU=$(pci_dir 0x1234 0x11e8) || EDU=
	# No kernel driver enables edu; enabling it through sysfs routes its
	# INTx (the ACPI interrupt link), as an admin does for any PCI device
	# given to a user-space driver.
	[ -z "$EDU" ] || echo 1 > "$EDU/enable"
	edus_quiet
	export EDU
}

teardown_file() {
	umdp_unload
}

setup() {
	umdp_clear
	testdev_lines_low
	umdp_exe irq "$IRQCHECK"
	dmesg --clear
}

teardown() {
	pkill -9 -f "$IRQCHECK" 2>/dev/null || true
	umdp_clear
	umdp_test_unload
}

# QEMU's ACPI tables make ISA IRQ 5 (like 9, 10, 11) level-triggered, so
# there the test drives the line like a level device (high until the driver
# has seen it, then low, then unmask); 7 (like 3) is edge-triggered.
@test "10,000 edges on IRQ 5 raised one at a time: all counted, none lost" {
	umdp_grant irq t5 ioports=0x2005 irqs=5 enable=1
	run "$IRQCHECK" edges t5 5 10000 level
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "10,000 edges on IRQ 7 raised one at a time: all counted, none lost" {
	umdp_grant irq t7 ioports=0x2007 irqs=7 enable=1
	run "$IRQCHECK" edges t7 7 10000 edge
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "two grants with different IRQs each see only their own interrupts" {
	umdp_grant irq a ioports=0x2003 irqs=3 enable=1
	umdp_grant irq b ioports=0x2007 irqs=7 enable=1
	run "$IRQCHECK" isolate a 3 b 7
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "an IRQ is requested while the driver has the node open, freed when it dies" {
	umdp_grant irq h ioports=0x2005 irqs=5 enable=1
	run grep -E '^ *5:.*umdp:h' /proc/interrupts
	assert_failure
	"$IRQCHECK" hold h >"$BATS_TEST_TMPDIR/out" &
	local pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" waiting
	run grep -E '^ *5:.*umdp:h' /proc/interrupts
	assert_success
	kill -9 "$pid"
	wait "$pid" || true
	run grep -E 'umdp' /proc/interrupts
	assert_failure
}

@test "revoke wakes a driver blocked in poll within 100 ms (500 on the debug kernel) with POLLHUP|POLLERR" {
	umdp_grant irq h ioports=0x2005 irqs=5,7 enable=1
	"$IRQCHECK" hold h >"$BATS_TEST_TMPDIR/out" &
	local pid=$! t0 t1
	wait_for_line "$BATS_TEST_TMPDIR/out" waiting
	sleep 0.2
	t0=$(date +%s%N)
	echo 0 > "$UMDP_CFS/irq/h/enable"
	wait_for_line "$BATS_TEST_TMPDIR/out" woken
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --regexp '^woken [0-9]+ r=1 POLLHUP POLLERR$'
	t1=$(awk '/^woken/ {print $2}' "$BATS_TEST_TMPDIR/out")
	echo "# woken $(((t1 - t0) / 1000000)) ms after the revoke"
	assert [ $(((t1 - t0) / 1000000)) -lt $((100 * $(umdp_slowdown))) ]
	wait "$pid"
	run grep umdp /proc/interrupts
	assert_failure
}

@test "edu's level INTx: counted once, masked until acked and unmasked, no storm" {
	[ -n "$EDU" ] || fail "no edu device in the guest"
	local irq
	irq=$(cat "$EDU/irq")
	umdp_grant irq edu irqs="$irq" enable=1
	run "$IRQCHECK" level edu "$irq" "$EDU/resource0" 2000
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "a driver killed with its level line masked leaves it unmasked and free" {
	local irq pid
	irq=$(cat "$EDU/irq")
	umdp_grant irq edu irqs="$irq" enable=1
	"$IRQCHECK" hold edu >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" waiting
	edu_write 0x60 1
	wait_for_line "$BATS_TEST_TMPDIR/out" "woken.*POLLIN"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" || true
	edu_write 0x64 1
	run grep umdp /proc/interrupts
	assert_failure
	# the next driver gets a working, unmasked line
	run "$IRQCHECK" level edu "$irq" "$EDU/resource0" 10
	echo "$output"
	assert_success
	run dmesg
	refute_output --partial "Unbalanced"
}

@test "an IRQ held by a kernel driver (ACPI on 9) is EBUSY at enable, logged" {
	umdp_grant irq acpi irqs=9
	run umdp_write "$UMDP_CFS/irq/acpi/enable" 1
	assert_output EBUSY
	run dmesg
	assert_output --regexp 'umdp: grant acpi: irq 9: already in use'
}

@test "lines no driver may request (no-request, per-CPU, nested-threaded) are EINVAL at enable, logged; a plain line enables" {
	umdp_test_load odd_irqs=1
	local kind n
	for kind in norequest percpu nested; do
		n=$(umdp_test_param "irq_$kind")
		umdp_grant irq "$kind" irqs="$n"
		run umdp_write "$UMDP_CFS/irq/$kind/enable" 1
		assert_output EINVAL
		assert_equal "$(cat "$UMDP_CFS/irq/$kind/enable")" 0
		run dmesg
		assert_output --regexp "umdp: grant $kind: irq $n: cannot be requested by a driver"
	done
	# the control: a line of the same chip without those marks
	n=$(umdp_test_param irq_plain)
	umdp_grant irq plain irqs="$n"
	run umdp_write "$UMDP_CFS/irq/plain/enable" 1
	assert_success
	echo 0 >"$UMDP_CFS/irq/plain/enable"
}

@test "a line a kernel driver took after enable: every open is EBUSY, and 100 opens log at most 20 lines" {
	local hold=$UMDP_TESTS/umdp-hold n
	umdp_exe hold "$hold"
	umdp_grant hold t irqs=5 enable=1
	umdp_settle
	umdp_test_load take_irq=5
	run "$hold" t --opens 100
	assert_output "$(printf 'opened 0\nEBUSY 100')"
	# one line, ratelimited: a burst of 10 per 5 s (two bursts if the
	# opens took over 5 s); unratelimited it was one per open
	n=$(dmesg | grep -c 'umdp: grant t: irq 5: cannot request it at open')
	echo "lines logged: $n"
	assert [ "$n" -ge 1 ]
	assert [ "$n" -le 20 ]
}

@test "two enabled grants may not name the same IRQ" {
	umdp_grant irq a irqs=5 enable=1
	umdp_grant irq b irqs=5
	run umdp_write "$UMDP_CFS/irq/b/enable" 1
	assert_output EBUSY
	run dmesg
	assert_output --regexp 'umdp: grant b: irq 5: .*grant a'
}
