#!/usr/bin/env bats
# examples/edu: a driver for QEMU's edu PCI device (1234:11e8) run by an
# unprivileged user through a grant of BAR0 and the device's level INTx.
# Each factorial is signalled by an interrupt that the driver acks on the
# device before it unmasks the line.

load helpers

EDU=$UMDP_BIN/edu

setup_file() {
	local d
	umdp_load
	umdp_test_user
	if d=$(pci_dir 0x1234 0x11e8); then
		EDU_DIR=$d
		EDU_BDF=${d##*/}
		EDU_BAR0=$(pci_bar "$d" 0)
	fi
	# No kernel driver enables edu; enabling it routes its INTx.
	[ -z "${EDU_DIR:-}" ] || [ "$(cat "$EDU_DIR/enable")" != 0 ] ||
		echo 1 >"$EDU_DIR/enable"
	edus_quiet
	EDU_IRQ=$(cat "$EDU_DIR/irq")
	export EDU_DIR EDU_BDF EDU_BAR0 EDU_IRQ
}

teardown_file() {
	umdp_unload
}

setup() {
	[ -n "${EDU_DIR:-}" ] || fail "no edu device (1234:11e8) in the guest"
	umdp_clear
	dmesg --clear
}

teardown() {
	if [ -n "${EDU_PID:-}" ]; then
		kill -9 "$EDU_PID" 2>/dev/null || true
		wait "$EDU_PID" 2>/dev/null || true
	fi
	umdp_clear
	[ "$(cat "$EDU_DIR/enable")" != 0 ] || echo 1 >"$EDU_DIR/enable"
}

# edu_grant GRANT ATTR=VALUE...: a grant for edu owned by umdptest, enabled
edu_grant() {
	local g=$1
	shift
	umdp_exe "exe-$g" "$EDU"
	umdp_grant "exe-$g" "$g" "$@" owner=umdptest mode=0600 enable=1
	umdp_settle
}

# edu_read OFFSET: a 32-bit read of edu's BAR0 through sysfs resource0
edu_read() {
	python3 - "$EDU_DIR/resource0" "$1" <<'PY'
import mmap, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_SYNC)
m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
print('0x%08x' % struct.unpack_from('<I', m, int(sys.argv[2], 0))[0])
PY
}

# irq_total IRQ: the kernel's count of the line's interrupts, summed over
# CPUs, from the IRQ descriptor in sysfs: /proc/interrupts no longer lists a
# line nobody has requested since 6.12, and the driver frees it on exit.
irq_total() {
	tr ',' '\n' <"/sys/kernel/irq/$1/per_cpu_count" |
		awk '{ n += $1 } END { print n + 0 }'
}

# the device is quiet: factorial interrupt off, nothing pending
assert_edu_quiet() {
	assert_equal "$(edu_read 0x20)" 0x00000000
	assert_equal "$(edu_read 0x24)" 0x00000000
}

@test "as an unprivileged user: 0!, 5!, 10!, 12! computed by the device, one interrupt each" {
	local before
	edu_grant edu "mem=$EDU_BAR0" "irqs=$EDU_IRQ"
	before=$(irq_total "$EDU_IRQ")
	run as_user "$EDU" edu 0 5 10 12
	assert_success
	assert_output "edu: edu 1.0 at $EDU_BDF, BAR0 ${EDU_BAR0%+*}, IRQ $EDU_IRQ
0! = 1
5! = 120
10! = 3628800
12! = 479001600
edu: 4 interrupts, each acked and unmasked
edu: released edu"
	assert_equal "$(cat /sys/class/umdp/edu/irq_counts)" "$EDU_IRQ 4"
	assert_equal "$(($(irq_total "$EDU_IRQ") - before))" 4
	assert_edu_quiet
	run grep umdp /proc/interrupts
	assert_failure
}

@test "the IRQ count in sysfs follows each run: 3 factorials, then 1" {
	edu_grant edu "mem=$EDU_BAR0" "irqs=$EDU_IRQ"
	run as_user "$EDU" edu 1 2 3
	assert_success
	assert_line "edu: 3 interrupts, each acked and unmasked"
	assert_equal "$(cat /sys/class/umdp/edu/irq_counts)" "$EDU_IRQ 3"
	run as_user "$EDU" edu 7
	assert_success
	assert_line "7! = 5040"
	assert_equal "$(cat /sys/class/umdp/edu/irq_counts)" "$EDU_IRQ 1"
}

@test "N outside 0..12 is refused with one sentence before the grant is even looked at" {
	run as_user "$EDU" nosuch 5 13
	assert_failure 2
	assert_output "edu: N must be a number from 0 to 12 (12! is the largest factorial that fits in 32 bits), not '13'"
	run as_user "$EDU" nosuch 5x
	assert_failure 2
	assert_output --partial "not '5x'"
}

@test "SIGINT and SIGTERM during a --loop run: acked, interrupt enable cleared, IRQ released, exit 0" {
	local sig n rc
	edu_grant edu "mem=$EDU_BAR0" "irqs=$EDU_IRQ"
	for sig in INT TERM; do
		setpriv --reuid=umdptest --regid=umdptest --init-groups -- \
			"$EDU" --loop edu 12 5 >"$BATS_TEST_TMPDIR/out" 2>&1 &
		EDU_PID=$!
		wait_for_line "$BATS_TEST_TMPDIR/out" '^5! = 120$'
		sleep 1
		run grep -E "^ *$EDU_IRQ:.* umdp:edu\$" /proc/interrupts
		assert_success
		kill -"$sig" "$EDU_PID"
		rc=0
		wait "$EDU_PID" || rc=$?
		EDU_PID=
		assert_equal "$rc" 0
		run cat "$BATS_TEST_TMPDIR/out"
		echo "$output"
		assert_equal "${#lines[@]}" 5
		assert_line --index 1 "12! = 479001600"
		assert_line --index 2 "5! = 120"
		assert_line --index 3 --regexp '^edu: [0-9]+ interrupts, each acked and unmasked$'
		assert_line --index 4 "edu: released edu"
		n=$(awk '/interrupts, each/ { print $2 }' "$BATS_TEST_TMPDIR/out")
		echo "# SIG$sig after $n interrupts"
		assert [ "$n" -gt 100 ]
		# every interrupt the node counted was handled by the driver
		assert_equal "$(cat /sys/class/umdp/edu/irq_counts)" "$EDU_IRQ $n"
		run grep umdp /proc/interrupts
		assert_failure
		assert_edu_quiet
	done
	run dmesg
	refute_output --partial "Unbalanced"
	refute_output --partial "nobody cared"
	refute_output --partial "Disabling IRQ"
}

@test "a missing, disabled, root-only or another program's grant: one sentence, exit 1" {
	run as_user "$EDU" nosuch 5
	assert_failure 1
	assert_output "edu: there is no grant 'nosuch' (see $UMDP_CFS)"

	umdp_exe exe-edu "$EDU"
	umdp_grant exe-edu edu "mem=$EDU_BAR0" "irqs=$EDU_IRQ" owner=umdptest
	run as_user "$EDU" edu 5
	assert_failure 1
	assert_output "edu: grant 'edu' is not enabled (echo 1 > $UMDP_CFS/exe-edu/edu/enable)"

	umdp_grant exe-edu rootedu "mem=$EDU_BAR0" "irqs=$EDU_IRQ" enable=1
	umdp_settle
	run as_user "$EDU" rootedu 5
	assert_failure 1
	assert_output "edu: /dev/umdp/rootedu belongs to root (mode 0600) and you are umdptest"
	echo 0 >"$UMDP_CFS/exe-edu/rootedu/enable"

	umdp_exe exe-io "$UMDP_BIN/umdp-io"
	umdp_grant exe-io io "mem=$EDU_BAR0" "irqs=$EDU_IRQ" owner=umdptest enable=1
	umdp_settle
	run as_user "$EDU" io 5
	assert_failure 1
	assert_output "edu: grant 'io' is for the program $UMDP_BIN/umdp-io, not for $EDU"
}

@test "a grant without the IRQ or without BAR0 names what is missing" {
	edu_grant noirq "mem=$EDU_BAR0"
	run as_user "$EDU" noirq 5
	assert_failure 1
	assert_output "edu: grant 'noirq' does not include IRQ $EDU_IRQ of $EDU_BDF"
	edu_grant nomem "irqs=$EDU_IRQ"
	run as_user "$EDU" nomem 5
	assert_failure 1
	assert_output "edu: grant 'nomem' does not include BAR0 of $EDU_BDF ($EDU_BAR0)"
	assert_equal "$(cat /sys/class/umdp/nomem/irq_counts)" "$EDU_IRQ 0"
}

@test "a device that is not enabled is refused: its INTx would never arrive" {
	local cnt _
	edu_grant edu "mem=$EDU_BAR0" "irqs=$EDU_IRQ"
	# `enable` counts: each 1 written is one pci_enable_device()
	cnt=$(cat "$EDU_DIR/enable")
	for _ in $(seq "$cnt"); do
		echo 0 >"$EDU_DIR/enable"
	done
	run as_user "$EDU" edu 5
	assert_failure 1
	assert_output "edu: $EDU_BDF is not enabled, so its interrupt is not routed (as root: echo 1 > /sys/bus/pci/devices/$EDU_BDF/enable)"
	for _ in $(seq "$cnt"); do
		echo 1 >"$EDU_DIR/enable"
	done
	run as_user "$EDU" edu 5
	assert_success
	assert_line "5! = 120"
}

@test "-d BDF: edu's own address works, another device's is refused" {
	edu_grant edu "mem=$EDU_BAR0" "irqs=$EDU_IRQ"
	run as_user "$EDU" -d "$EDU_BDF" edu 4
	assert_success
	assert_line "4! = 24"
	run as_user "$EDU" edu -d 0000:00:00.0 4
	assert_failure 1
	assert_output "edu: 0000:00:00.0 is not an edu device (PCI 1234:11e8)"
	run as_user "$EDU" -d 4 edu 4
	assert_failure 2
	assert_output "edu: '4' is not a PCI address like 0000:00:04.0"
}

@test "--help prints the usage on stdout and exits 0; bad usage exits 2" {
	"$EDU" --help >"$BATS_TEST_TMPDIR/help" 2>/dev/null
	run cat "$BATS_TEST_TMPDIR/help"
	assert_line --index 0 "usage: edu [-l] [--dma] [--msi] [-d BDF] GRANT N..."
	run "$EDU" edu
	assert_failure 2
	assert_line --index 0 "usage: edu [-l] [--dma] [--msi] [-d BDF] GRANT N..."
	run "$EDU" -x edu 5
	assert_failure 2
}
