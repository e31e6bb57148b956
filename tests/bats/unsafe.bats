#!/usr/bin/env bats
# What a grant really gives: root-equivalent ports are refused without the
# grant's "unsafe" attribute, and a PCI function whose BAR a grant reaches
# cannot master the bus while the grant is enabled. Memory windows: never
# busy, a write-combining window inside one resource.

load helpers

SC=$UMDP_TESTS/umdp-safecheck

setup_file() {
	umdp_load
}

teardown_file() {
	umdp_unload
}

setup() {
	umdp_clear
	umdp_exe sc "$SC"
	dmesg --clear
	EDU=$(pci_dir 0x1234 0x11e8)
	EDU_BAR0=$(pci_bar "$EDU" 0)
	EDU_BAR0=${EDU_BAR0%+*}
}

teardown() {
	umdp_clear
	edu_master 0
}

# edu_command: edu's PCI command register, 4 hex digits
edu_command() {
	od -An -tx2 -j4 -N2 "$EDU/config" | tr -d ' '
}

# edu_master 0|1: set or clear edu's Bus Master Enable through config space
edu_master() {
	local cmd
	cmd=$((0x$(edu_command)))
	if [ "$1" = 1 ]; then
		cmd=$((cmd | 4))
	else
		cmd=$((cmd & ~4))
	fi
	printf '%b' "$(printf '\\x%02x\\x%02x' $((cmd & 0xff)) $((cmd >> 8)))" |
		dd of="$EDU/config" bs=1 seek=4 conv=notrunc status=none
}

edu_is_master() {
	[ $((0x$(edu_command) & 4)) -ne 0 ]
}

# refused_unsafe PORTS: enable without unsafe is EPERM, logged, nothing held
refused_unsafe() {
	umdp_grant sc g "ioports=$1" exclusive=0
	run umdp_write "$UMDP_CFS/sc/g/enable" 1
	assert_output EPERM
	assert_equal "$(cat "$UMDP_CFS/sc/g/enable")" 0
	assert [ ! -e /dev/umdp/g ]
	run cat "$UMDP_CFS/sc/g/last_error"
	assert_output --regexp "^ports .*: root-equivalent \(.*\); set unsafe to 1 to grant them$"
	run dmesg
	assert_output --partial "umdp: grant g: ports"
	rmdir "$UMDP_CFS/sc/g"
}

@test "the ISA DMA controllers' ports are EPERM without unsafe" {
	refused_unsafe 0x00
	refused_unsafe 0x1f
	refused_unsafe 0xc0-0xc7
	refused_unsafe 0xdf
}

@test "the i8042's ports 0x60 and 0x64 are EPERM without unsafe, and so is a range over one" {
	refused_unsafe 0x60
	refused_unsafe 0x64
	refused_unsafe 0x5f-0x61
	run cat /dev/null
}

@test "the DMA page registers and the reset port 0x92 are EPERM without unsafe" {
	refused_unsafe 0x80
	refused_unsafe 0x92
	refused_unsafe 0x9f
}

@test "PCI configuration ports 0xcf8-0xcff and 0xcf9 are EPERM without unsafe" {
	refused_unsafe 0xcf8+4
	refused_unsafe 0xcf9
	refused_unsafe 0xcfc-0xcff
}

@test "with unsafe=1 a root-equivalent grant enables, and sysfs and UMDP_IOC_INFO say unsafe" {
	umdp_grant sc g ioports=0x60,0x64 exclusive=0 unsafe=1 enable=1
	umdp_settle
	assert_equal "$(cat /sys/class/umdp/g/unsafe)" 1
	run "$SC" info g
	assert_success
	assert_output "feature=1 unsafe=1"
}

@test "a grant of ordinary ports is not unsafe, whatever its unsafe attribute says" {
	umdp_grant sc g ioports=0xe0-0xe3 unsafe=1 enable=1
	umdp_grant sc h ioports=0xe8-0xeb enable=1
	umdp_settle
	assert_equal "$(cat /sys/class/umdp/g/unsafe)" 0
	assert_equal "$(cat /sys/class/umdp/h/unsafe)" 0
	run "$SC" info h
	assert_output "feature=1 unsafe=0"
}

@test "edu's DMA engine moves memory when bus mastering is on (the control)" {
	case $(cat "$EDU/iommu_group/type" 2>/dev/null) in
	DMA | DMA-FQ) skip "an IOMMU translates edu's DMA here: physical addresses never reach memory (the control runs on pc)" ;;
	esac
	edu_master 1
	run "$SC" dma "$EDU/resource0" -
	assert_success
	assert_output moved
}

@test "enabling a window over edu's BAR clears its Bus Master Enable, and revoke restores it" {
	edu_master 1
	umdp_grant sc edu "mem=$EDU_BAR0+0x100000" enable=1
	run edu_is_master
	assert_failure
	run dmesg
	assert_output --partial "umdp: grant edu: bus mastering of ${EDU##*/} off while the grant is enabled"
	echo 0 >"$UMDP_CFS/sc/edu/enable"
	edu_is_master
}

@test "edu's DMA engine started through the granted BAR moves nothing" {
	edu_master 1
	umdp_grant sc edu "mem=$EDU_BAR0+0x100000" enable=1
	umdp_settle
	run "$SC" dma edu "$EDU_BAR0"
	assert_success
	assert_output unchanged
}

@test "a window over a PCI function a kernel driver is bound to is EBUSY, naming the driver" {
	modprobe uio_pci_generic
	# this edu only (q35 has a second one, which must stay unbound)
	echo uio_pci_generic >"$EDU/driver_override"
	echo "${EDU##*/}" >/sys/bus/pci/drivers/uio_pci_generic/bind
	umdp_grant sc edu "mem=$EDU_BAR0+0x1000"
	run umdp_write "$UMDP_CFS/sc/edu/enable" 1
	echo "${EDU##*/}" >/sys/bus/pci/drivers/uio_pci_generic/unbind
	echo >"$EDU/driver_override"
	assert_output EBUSY
	run cat "$UMDP_CFS/sc/edu/last_error"
	assert_output "PCI function ${EDU##*/}: bound to kernel driver uio_pci_generic (unbind it first)"
	echo 1 >"$UMDP_CFS/sc/edu/enable"
}

@test "a grant that reaches no PCI function leaves bus mastering alone" {
	edu_master 1
	umdp_grant sc g ioports=0xe0-0xe3 mem=0xff000000+0x10000 enable=1
	edu_is_master
}

@test "a window over a region the system claimed (the IO-APIC) is EBUSY and logged" {
	umdp_grant sc g mem=0xfec00000+0x1000
	run umdp_write "$UMDP_CFS/sc/g/enable" 1
	assert_output EBUSY
	assert_equal "$(cat "$UMDP_CFS/sc/g/enable")" 0
	run cat "$UMDP_CFS/sc/g/last_error"
	assert_output --regexp "^mem 0xfec00000\+0x1000: 0xfec00000-0xfec00[0-9a-f]{3} is busy, claimed by a kernel driver or the system \(see /proc/iomem\)$"
}

@test "a write-combining window across the end of edu's BAR0 is EINVAL, an uncached one is allowed" {
	local after=$((EDU_BAR0 + 0x100000 - 0x1000))
	umdp_grant sc g "mem=$(printf '0x%x' "$after")+0x2000,wc"
	run umdp_write "$UMDP_CFS/sc/g/enable" 1
	assert_output EINVAL
	run cat "$UMDP_CFS/sc/g/last_error"
	assert_output --partial "a write-combining window must lie inside one resource of /proc/iomem"
	echo "$(printf '0x%x' "$after")+0x2000" >"$UMDP_CFS/sc/g/mem"
	echo 1 >"$UMDP_CFS/sc/g/enable"
	run dmesg
	refute_output --partial "resource sanity check"
	refute_output --partial "WARNING"
}
