#!/usr/bin/env bats
# PCI functions as grants: "pci" takes edu for umdp-pci and grants its BARs,
# its interrupts arrive on INTx (masked by INTx Disable) or MSI, config
# space writes are limited, and "dma" gives DMA buffers the device reaches
# through the IOMMU (q35) and nothing else. Without an IOMMU (pc) "dma"
# needs "unsafe".

load helpers

PC=$UMDP_TESTS/umdp-pcicheck

setup_file() {
	umdp_load
	umdp_test_user
	EDU=$(pci_dir 0x1234 0x11e8)
	BDF=${EDU##*/}
	# q35's second edu (00:06.0), for a second grant's DMA buffer
	EDU2=$(pci_dirs 0x1234 0x11e8 | sed -n 2p)
	BDF2=${EDU2##*/}
	# an IOMMU translates edu's DMA (q35 with intel_iommu=on)
	IOMMU=0
	case $(cat "$EDU/iommu_group/type" 2>/dev/null) in
	DMA | DMA-FQ) IOMMU=1 ;;
	esac
	export EDU BDF EDU2 BDF2 IOMMU
}

teardown_file() {
	umdp_unload
}

setup() {
	umdp_clear
	umdp_exe pci "$PC"
	dmesg --clear
}

teardown() {
	pkill -9 -f "$PC" 2>/dev/null || true
	umdp_clear
}

# edu_grant NAME [ATTR=VALUE...]: a grant of edu for umdptest, enabled
edu_grant() {
	local g=$1
	shift
	umdp_grant pci "$g" "pci=$BDF" "$@" owner=umdptest mode=0600 enable=1
	umdp_settle
}

# master_grant NAME [ATTR=VALUE...]: edu_grant for a grant that may master
# the bus (dma or msi:N); unsafe where no IOMMU
master_grant() {
	local g=$1
	shift
	if [ "$IOMMU" = 1 ]; then
		edu_grant "$g" "$@"
	else
		edu_grant "$g" unsafe=1 "$@"
	fi
}

edu_command() {
	od -An -tx2 -j4 -N2 "$EDU/config" | tr -d ' '
}

@test "a pci grant binds edu to umdp-pci, requests its BAR0 under the grant's name and grants it" {
	edu_grant e
	[ "$(basename "$(readlink "$EDU/driver")")" = umdp-pci ]
	run grep "umdp:e" /proc/iomem
	assert_success
	local bar0
	bar0=$(pci_bar "$EDU" 0)
	run cat /sys/class/umdp/e/mem
	assert_output "$bar0"
	run as_user "$PC" info e
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "revoke unbinds edu from umdp-pci, releases BAR0 and clears driver_override" {
	edu_grant e
	echo 0 >"$UMDP_CFS/pci/e/enable"
	[ ! -e "$EDU/driver" ]
	run grep "umdp:e" /proc/iomem
	assert_failure
	run cat "$EDU/driver_override"
	assert_output "(null)"
	# and it can be taken again
	echo 1 >"$UMDP_CFS/pci/e/enable"
	[ "$(basename "$(readlink "$EDU/driver")")" = umdp-pci ]
}

@test "revoke gives edu back with INTx enabled as the grant found it; left asserting its INTx, it stays disabled and the log says so" {
	edus_quiet
	edu_grant e irqs=intx
	# umdp keeps INTx disabled while no driver has the node open
	(( 0x$(edu_command) & 0x400 ))
	echo 0 >"$UMDP_CFS/pci/e/enable"
	(( !(0x$(edu_command) & 0x400) ))
	echo 1 >"$UMDP_CFS/pci/e/enable"
	umdp_settle
	run as_user "$PC" raise e
	assert_success
	echo 0 >"$UMDP_CFS/pci/e/enable"
	(( 0x$(edu_command) & 0x400 ))
	run dmesg
	assert_output --partial "grant e: $BDF asserts its INTx: given back with INTx disabled"
	edu_write 0x64 1
	edus_quiet
	(( !(0x$(edu_command) & 0x400) ))
}

@test "config space: all of it reads, writes reach only Command's I/O, Memory and INTx Disable bits" {
	edu_grant e
	run as_user "$PC" config e
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "edu's interrupts arrive on its INTx, masked by INTx Disable until unmasked: 200 raised, none lost" {
	edu_grant e irqs=intx
	run as_user "$PC" intx e 200
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "edu's interrupts arrive as MSI, the factorials too; after revoke the vector is gone" {
	master_grant e irqs=msi:1
	run cat /sys/class/umdp/e/irqs
	assert_output "msi:1"
	run as_user "$PC" msi e 200
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	echo 0 >"$UMDP_CFS/pci/e/enable"
	run grep "umdp:e" /proc/interrupts
	assert_failure
	# the function's MSI vectors are freed: sysfs lists none
	[ ! -e "$EDU/msi_irqs" ] || [ -z "$(ls -A "$EDU/msi_irqs")" ]
}

@test "DMA round trip through edu as the unprivileged user: buffer A into the device and back into B" {
	master_grant e dma=64K dma_bits=28
	run as_user "$PC" dma e
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	[ "$(( 0x$(edu_command) & 4 ))" = 0 ]
}

# kernel_rodata_page: the physical address of the first page of the
# kernel's read-only data (/proc/iomem, as root); content that never changes
# after boot, in edu's 28-bit reach (umdp-vm's memmap= keeps KASLR's
# physical placement below 128 MiB)
kernel_rodata_page() {
	local start
	start=$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Kernel rodata$/\1/p' /proc/iomem)
	[ -n "$start" ] || return 1
	printf '0x%x\n' "$(((0x$start + 0xfff) & ~0xfff))"
}

@test "edu's DMA outside its grant's buffers (0, guesses, a freed buffer, a second grant's buffers, a kernel rodata page) faults in the IOMMU; the second grant's buffers and the kernel page stay unchanged" {
	[ "$IOMMU" = 1 ] || skip "no IOMMU on this machine (q35 has one)"
	[ -n "$EDU2" ] || fail "no second edu (umdp-vm gives q35 one at 00:06.0)"
	local canary before after t iovas targets=()
	master_grant e dma=64K dma_bits=28
	# a second grant, another process, another edu (its own IOMMU
	# domain), buffers full of 0x33
	umdp_grant pci e2 "pci=$BDF2" dma=64K dma_bits=28 owner=umdptest mode=0600 enable=1
	umdp_settle
	as_user "$PC" hold e2 4096 16384 >"$BATS_TEST_TMPDIR/hold" &
	wait_for_line "$BATS_TEST_TMPDIR/hold" '^ready'
	read -ra iovas < <(sed -n 's/^ready //p' "$BATS_TEST_TMPDIR/hold")
	for t in "${iovas[@]}"; do
		targets+=("second-grant-buffer=${t#iova=}")
	done
	[ "${#targets[@]}" = 2 ]
	canary=$(kernel_rodata_page)
	(( canary < 0x10000000 )) || fail "the kernel's rodata at $canary is beyond edu's 28-bit DMA"
	before=$("$PC" kread "$canary" 4096)
	[ "${#before}" = 8192 ]

	run as_user "$PC" confine e "${targets[@]}" "kernel-rodata=$canary"
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	assert_line "# fault-expected $canary kernel-rodata"
	local faults
	faults=$(sed -n 's/^# fault-expected \(0x[0-9a-f]*\) \(second-grant-buffer\|kernel-rodata\)$/\1/p' <<<"$output")
	[ -n "$faults" ]

	after=$("$PC" kread "$canary" 4096)
	assert_equal "$after" "$before"
	pkill -USR1 -u umdptest -f "$PC hold e2"
	wait_for_line "$BATS_TEST_TMPDIR/hold" '^intact'
	run cat "$BATS_TEST_TMPDIR/hold"
	echo "$output"
	refute_output --partial "not ok"
	# the second grant's bus addresses the first grant does not have,
	# and the kernel page: a DMAR fault of 00:04.0 there (the guesses'
	# and the freed buffer's may be rate-limited out of the log)
	run dmesg
	for t in $faults; do
		assert_output --partial "Request device [${BDF#0000:}] fault addr $t ["
	done
	refute_output --partial "Request device [${BDF2#0000:}]"
}

@test "a buffer freed while edu's DMA into it is due (another buffer keeps bus mastering on): nothing lands in the freed page, the IOMMU faults" {
	[ "$IOMMU" = 1 ] || skip "no IOMMU on this machine (q35 has one); without one, dma is unsafe: the device reaches all memory"
	master_grant e dma=64K dma_bits=28
	# as root: it finds the buffer's page through /proc/kpageflags and
	# reads it through /proc/kcore
	run "$PC" free-dma e
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	run dmesg
	assert_output --partial "Request device [${BDF#0000:}] fault addr"
	refute_output --partial "pagealloc: memory corruption"
	refute_output --regexp "WARNING:|BUG:|Oops|Call Trace"
}

@test "revoke during an edu DMA into a buffer: bus mastering is off before the transfer is due, it lands nowhere (not in the freed page), the mappings are SIGBUS" {
	local tainted
	master_grant e dma=64K dma_bits=28
	tainted=$(cat /proc/sys/kernel/tainted)
	# as root: it revokes the grant itself, reads the freed page
	# through /proc/kcore and edu's registers through sysfs
	run "$PC" revoke-dma e "$UMDP_CFS/pci/e/enable" "$EDU"
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	assert_line --partial "ok - bus mastering went off before the transfer was due"
	assert_line --partial "ok - the freed page 0x"
	run cat "$UMDP_CFS/pci/e/enable"
	assert_output 0
	[ "$(( 0x$(edu_command) & 4 ))" = 0 ]
	[ ! -e "$EDU/driver" ]
	run dmesg
	# bus mastering was off: the transfer never reached the IOMMU
	refute_output --regexp "DMAR: .*${BDF#0000:}.*fault"
	# page_poison=1: a freed page written later is reported when reused
	refute_output --partial "pagealloc: memory corruption"
	refute_output --regexp "WARNING:|BUG:|Oops|Call Trace"
	assert_equal "$(cat /proc/sys/kernel/tainted)" "$tainted"
}

@test "without an IOMMU, dma and msi:N are EPERM unless unsafe is 1, and logged; with it the grant is unsafe" {
	[ "$IOMMU" = 0 ] || skip "an IOMMU translates edu's DMA on this machine (pc has none)"
	umdp_grant pci e "pci=$BDF" irqs=msi:1
	run umdp_write "$UMDP_CFS/pci/e/enable" 1
	assert_output EPERM
	run cat "$UMDP_CFS/pci/e/last_error"
	assert_output --partial "msi (an MSI is a DMA write): no IOMMU translates $BDF's DMA"
	echo >"$UMDP_CFS/pci/e/irqs"
	echo 4K >"$UMDP_CFS/pci/e/dma"
	run umdp_write "$UMDP_CFS/pci/e/enable" 1
	assert_output EPERM
	run cat "$UMDP_CFS/pci/e/last_error"
	assert_output --partial "dma: no IOMMU translates $BDF's DMA"
	[ ! -e "$EDU/driver" ]
	echo 1 >"$UMDP_CFS/pci/e/unsafe"
	echo 1 >"$UMDP_CFS/pci/e/enable"
	run cat /sys/class/umdp/e/unsafe
	assert_output 1
	run dmesg
	assert_output --partial "may master the bus without an IOMMU"
}

@test "DMA allocations beyond dma are ENOSPC; a freed buffer's mapping is SIGBUS" {
	master_grant e dma=8K
	run as_user "$PC" limits e
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "revoke with a DMA buffer mapped turns bus mastering off and unbinds edu" {
	master_grant e dma=64K
	as_user "$PC" hold e >"$BATS_TEST_TMPDIR/out" &
	local pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" ready
	[ "$(( 0x$(edu_command) & 4 ))" = 4 ]
	echo 0 >"$UMDP_CFS/pci/e/enable"
	[ "$(( 0x$(edu_command) & 4 ))" = 0 ]
	[ ! -e "$EDU/driver" ]
	kill "$pid" || true
	wait "$pid" || true
}

@test "an intx grant without a DMA buffer never turns bus mastering on; an msi grant has it on while enabled" {
	edu_grant e irqs=intx
	[ "$(( 0x$(edu_command) & 4 ))" = 0 ]
	run as_user "$PC" intx e 5
	assert_success
	[ "$(( 0x$(edu_command) & 4 ))" = 0 ]
	echo 0 >"$UMDP_CFS/pci/e/enable"
	rmdir "$UMDP_CFS/pci/e"
	master_grant m irqs=msi:1
	[ "$(( 0x$(edu_command) & 4 ))" = 4 ]
	echo 0 >"$UMDP_CFS/pci/m/enable"
	[ "$(( 0x$(edu_command) & 4 ))" = 0 ]
}

# bad_enable GRANT ERRNO TEXT: enable fails with ERRNO, last_error says
# TEXT, and edu is left alone
bad_enable() {
	run umdp_write "$UMDP_CFS/pci/$1/enable" 1
	assert_output "$2"
	run cat "$UMDP_CFS/pci/$1/enable"
	assert_output 0
	run cat "$UMDP_CFS/pci/$1/last_error"
	assert_output --partial "$3"
	[ ! -e /dev/umdp/"$1" ]
}

@test "pci: a function that does not exist is ENODEV" {
	umdp_grant pci e pci=0000:00:1e.7
	bad_enable e ENODEV "pci 0000:00:1e.7: no such PCI function"
}

@test "pci: a bridge (the host bridge 00:00.0) is EINVAL" {
	umdp_grant pci e pci=0000:00:00.0
	bad_enable e EINVAL "a bridge"
}

@test "pci: a function a kernel driver is bound to is EBUSY, naming the driver" {
	local d bdf=
	for d in /sys/bus/pci/devices/*; do
		if [ -e "$d/driver" ]; then
			bdf=${d##*/}
			break
		fi
	done
	[ -n "$bdf" ]
	umdp_grant pci e "pci=$bdf"
	bad_enable e EBUSY "pci $bdf: bound to kernel driver $(basename "$(readlink "/sys/bus/pci/devices/$bdf/driver")")"
}

@test "pci: a second grant on the same function is EBUSY, naming the first" {
	edu_grant e
	umdp_grant pci f "pci=$BDF"
	bad_enable f EBUSY "pci $BDF: held by enabled grant e"
	[ "$(basename "$(readlink "$EDU/driver")")" = umdp-pci ]
}

@test "dma beyond what dma_bits addresses is EINVAL" {
	umdp_grant pci e "pci=$BDF" dma_bits=28 unsafe=1
	echo 1G >"$UMDP_CFS/pci/e/dma"
	bad_enable e EINVAL "more than a 28-bit device can address"
	[ ! -e "$EDU/driver" ]
}

@test "intx, msi:N and dma without pci are EINVAL" {
	umdp_grant pci e irqs=intx
	bad_enable e EINVAL "irqs intx needs a PCI function in pci"
	echo >"$UMDP_CFS/pci/e/irqs"
	echo 4K >"$UMDP_CFS/pci/e/dma"
	bad_enable e EINVAL "dma needs a PCI function in pci"
}

# bad_value ATTR VALUE: the write is EINVAL and the attribute keeps its value
bad_value() {
	local before
	before=$(cat "$UMDP_CFS/pci/e/$1")
	run umdp_write "$UMDP_CFS/pci/e/$1" "$2"
	assert_output EINVAL
	run cat "$UMDP_CFS/pci/e/$1"
	assert_output "$before"
}

@test "pci, dma, dma_bits and the PCI forms of irqs: malformed values are EINVAL and change nothing" {
	umdp_grant pci e "pci=$BDF" dma=8K irqs=msi:2
	bad_value pci 0000:00:04
	bad_value pci 00:04.0
	bad_value pci 0000:00:20.0
	bad_value pci 0000:00:04.8
	bad_value pci 0x00:00:04.0
	bad_value dma 2G
	bad_value dma 4X
	bad_value dma -1
	bad_value dma_bits 11
	bad_value dma_bits 65
	bad_value irqs intx,5
	bad_value irqs 5,intx
	bad_value irqs msi:0
	bad_value irqs msi:17
	bad_value irqs msi:
	run cat "$UMDP_CFS/pci/e/pci"
	assert_output "$BDF"
	run cat "$UMDP_CFS/pci/e/dma"
	assert_output 8192
	echo 1M >"$UMDP_CFS/pci/e/dma"
	run cat "$UMDP_CFS/pci/e/dma"
	assert_output 1048576
	echo >"$UMDP_CFS/pci/e/pci"
	run cat "$UMDP_CFS/pci/e/pci"
	assert_output ""
}

@test "a pci grant's attributes are EBUSY while it is enabled" {
	edu_grant e
	run umdp_write "$UMDP_CFS/pci/e/pci" 0000:00:05.0
	assert_output EBUSY
	run umdp_write "$UMDP_CFS/pci/e/dma" 4K
	assert_output EBUSY
}
