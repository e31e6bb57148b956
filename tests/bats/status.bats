#!/usr/bin/env bats
# The node's read-only status page (mmap at UMDP_MMAP_STATUS): per IRQ line
# the count the hard handler bumps and the mask state, and a sequence number
# a driver spins on to see an interrupt without a system call. pc-testdev
# raises ISA IRQ n by a write of 1 then 0 to port 0x2000+n; edu raises a
# level INTx from BAR0.

load helpers

SC=$UMDP_TESTS/umdp-statuscheck

setup_file() {
	umdp_load
	EDU=$(pci_dir 0x1234 0x11e8) || EDU=
	# as irq.bats: enabling edu through sysfs routes its INTx
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
	umdp_exe st "$SC"
	dmesg --clear
}

teardown() {
	exec 4>&- 2>/dev/null || true
	pkill -9 -f "$SC" 2>/dev/null || true
	umdp_clear
}

@test "the status page: feature bit, header, one line per IRQ of the grant in its order" {
	umdp_grant st s ioports=0x2005,0x2007 irqs=7,5 enable=1
	run "$SC" header s 7 5
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "a grant without IRQ lines has a status page with no lines" {
	umdp_grant st s ioports=0xe0-0xe3 enable=1
	run "$SC" header s
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

# QEMU's ACPI tables make ISA IRQ 5 level-triggered, 7 edge-triggered
# (irq.bats).
@test "the page's count follows 2,000 edges on edge IRQ 7, seq moves for each, and equals FETCH's total" {
	umdp_grant st s ioports=0x2007 irqs=7 enable=1
	run "$SC" edges s 7 2000 edge
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "the page's count follows 2,000 interrupts on level IRQ 5, MASKED until each unmask, and equals FETCH's total" {
	umdp_grant st s ioports=0x2005 irqs=5 enable=1
	run "$SC" edges s 5 2000 level
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "edu's level INTx shows MASKED on the page, without a storm, until acked and unmasked" {
	[ -n "$EDU" ] || fail "no edu device in the guest"
	local irq
	irq=$(cat "$EDU/irq")
	umdp_grant st edu irqs="$irq" enable=1
	run "$SC" level edu "$irq" "$EDU/resource0" 200
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "the page is read-only: PROT_WRITE is EPERM, mprotect to write EACCES, a store SIGSEGV; an O_WRONLY fd cannot map it" {
	umdp_grant st s ioports=0x2007 irqs=7 enable=1
	run "$SC" refuse s
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	assert_output --partial "ok - PROT_WRITE is EPERM"
	assert_output --partial "ok - mprotect to PROT_WRITE is EACCES"
	assert_output --partial "ok - a store through the mapping is SIGSEGV"
	assert_output --partial "ok - an O_WRONLY fd cannot map it: EACCES"
}

@test "a status mapping longer than one page, private, or at another offset up to the DMA offsets is EINVAL" {
	umdp_grant st s ioports=0x2007 irqs=7 enable=1
	run "$SC" refuse s
	echo "$output"
	assert_success
	assert_output --partial "ok - two pages are EINVAL"
	assert_output --partial "ok - MAP_PRIVATE is EINVAL"
	assert_output --partial "ok - the page after it is EINVAL"
	assert_output --partial "ok - the last page below UMDP_MMAP_DMA_BASE is EINVAL"
}

@test "after revoke the status mapping is SIGBUS and a new mmap is ENODEV" {
	umdp_grant st s ioports=0x2007 irqs=7 enable=1
	rm -f "$BATS_TEST_TMPDIR/in"
	mkfifo "$BATS_TEST_TMPDIR/in"
	"$SC" revoke s <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	local pid=$! rc=0
	exec 4>"$BATS_TEST_TMPDIR/in"
	wait_for_line "$BATS_TEST_TMPDIR/out" '^ready'
	echo 0 > "$UMDP_CFS/st/s/enable"
	echo go >&4
	exec 4>&-
	wait "$pid" || rc=$?
	run cat "$BATS_TEST_TMPDIR/out"
	echo "$output"
	assert_equal "$rc" 0
	refute_output --partial "not ok"
	assert_output --partial "ok - after revoke a forked child's read of the mapping is SIGBUS"
	assert_output --partial "ok - a new mmap of the page is ENODEV"
}

@test "spinning on the page on CPU 1 sees each of 100,000 edges raised one at a time on CPU 0: 0 lost" {
	umdp_grant st s ioports=0x2007 irqs=7 enable=1
	run "$SC" spin s 7 100000
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	assert_output --regexp "ok - 100000 edges raised one at a time on CPU 0, each seen by the spinner on CPU 1: 0 lost, 0 extra"
}
