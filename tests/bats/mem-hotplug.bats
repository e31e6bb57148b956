#!/usr/bin/env bats
# Memory that becomes System RAM after boot: "Soft Reserved" memory that dax
# kmem hot-adds and onlines. A window over it is refused while a driver
# holds it (busy) or once it is RAM, at any depth of the iomem tree
# ("System RAM (kmem)" sits under "dax0.0" under "Soft Reserved"), and
# memory coming online inside an enabled grant's window revokes the grant
# before the kernel hands the memory out.
#
# scripts/umdp-vm boots every guest with memmap=128M%0x30000000+0xefffffff:
# that 128 MiB of RAM (one memory block) is E820 "soft reserved". Where
# CONFIG_DEV_DAX_HMEM is set (Debian's 6.1 and 6.12 generic kernels), the
# hmem platform device and dax_hmem make it dax0.0, which device_dax claims
# (busy) at boot. Moving dax0.0 to the kmem driver is what `daxctl
# reconfigure-device --mode=system-ram` does, here through sysfs. The rt
# kernels have no device DAX (DEV_DAX depends on TRANSPARENT_HUGEPAGE, which
# PREEMPT_RT excludes): there the range is a plain Soft Reserved resource
# and only the test that needs no dax device runs.
#
# Debian's kernels' own region_intersects() already looks below the top
# level (stable 6.1.113 backported "resource: fix region_intersects() vs
# add_memory_driver_managed()"), so the nested-RAM refusal holds there with
# either check; the revoke on onlining and the busy refusal are umdp's own.

load helpers

MC=$UMDP_TESTS/umdp-mapcheck
DAXBUS=/sys/bus/dax
MEMSYS=/sys/devices/system/memory

setup_file() {
	umdp_load
	umdp_test_user
}

teardown_file() {
	umdp_unload
	if sr_find && dax_find; then
		dax_mode device_dax
	fi
}

setup() {
	umdp_clear
	dmesg --clear
	if ! sr_find; then
		skip "no Soft Reserved memory in /proc/iomem (the guest boots without memmap=...%...+0xefffffff)"
	fi
	WIN=$(printf '0x%x' "$SR_START")
	umdp_exe exe-sr "$MC"
}

teardown() {
	exec 4>&- 2>/dev/null || true
	pkill -9 -f "$MC" 2>/dev/null || true
	umdp_clear
	if [ -n "${SR_START:-}" ] && dax_find; then
		dax_mode device_dax
	fi
}

# sr_find: SR_START and SR_END (numbers) of the first Soft Reserved range
sr_find() {
	local line
	line=$(grep -m1 ' : Soft Reserved$' /proc/iomem) || return 1
	line=${line%% :*}
	line=${line// /}
	SR_START=$((0x${line%-*}))
	SR_END=$((0x${line#*-}))
}

# sr_iomem: the lines of /proc/iomem that intersect the Soft Reserved range
sr_iomem() {
	local line range
	while IFS= read -r line; do
		range=${line%% :*}
		range=${range// /}
		if [ $((0x${range%-*})) -le "$SR_END" ] && [ $((0x${range#*-})) -ge "$SR_START" ]; then
			printf '%s\n' "$line"
		fi
	done </proc/iomem
}

# dax_find: DAX, the sysfs directory of the dax device over the Soft
# Reserved range; fails where the kernel has no device DAX
dax_find() {
	local d
	DAX=""
	for d in "$DAXBUS"/devices/dax*; do
		[ -e "$d/resource" ] || continue
		if [ $(($(cat "$d/resource"))) -eq "$SR_START" ]; then
			DAX=$d
			return 0
		fi
	done
	return 1
}

# dax_need: skip unless there is a dax device over the range (sets DAX)
dax_need() {
	if ! dax_find; then
		skip "no dax device over the Soft Reserved range (kernel without CONFIG_DEV_DAX_HMEM; the rt kernels have no device DAX)"
	fi
}

# dax_driver: the driver the dax device is bound to, or "none"
dax_driver() {
	local l
	if l=$(readlink "$DAX/driver"); then
		basename "$l"
	else
		echo none
	fi
}

# mem_blocks: the memory block directories over the Soft Reserved range
# (there are none until kmem hot-adds it)
mem_blocks() {
	local bs n
	bs=$((0x$(cat "$MEMSYS/block_size_bytes")))
	for ((n = SR_START / bs; n <= SR_END / bs; n++)); do
		[ ! -d "$MEMSYS/memory$n" ] || echo "$MEMSYS/memory$n"
	done
}

# mem_state online_movable|offline: every block of the range in that state
# (offlining migrates pages away and may need a retry)
mem_state() {
	local want=$1 b try
	[ "$want" = offline ] || want=online
	for b in $(mem_blocks); do
		for try in 1 2 3 4 5; do
			[ "$(cat "$b/state")" = "$want" ] && break
			echo "$1" >"$b/state" 2>/dev/null || sleep 0.$try
		done
		if [ "$(cat "$b/state")" != "$want" ]; then
			echo "${b##*/} stays $(cat "$b/state")" >&2
			return 1
		fi
	done
}

# dax_mode device_dax|none|kmem: bind the dax device to device_dax, to
# nothing, or to kmem (which hot-adds the range; its blocks stay offline:
# auto-onlining is turned off while kmem probes). Memory kmem added is
# offlined before kmem lets it go: kmem cannot remove online memory.
dax_mode() {
	local cur auto
	cur=$(dax_driver)
	[ "$cur" != "$1" ] || return 0
	if [ "$cur" = kmem ]; then
		mem_state offline
	fi
	if [ "$cur" != none ]; then
		echo "${DAX##*/}" >"$DAXBUS/drivers/$cur/unbind"
	fi
	if [ -d "$DAXBUS/drivers/kmem" ]; then
		echo "${DAX##*/}" >"$DAXBUS/drivers/kmem/remove_id"
	fi
	case $1 in
	device_dax)
		echo "${DAX##*/}" >"$DAXBUS/drivers/device_dax/bind"
		;;
	kmem)
		modprobe kmem
		auto=$(cat "$MEMSYS/auto_online_blocks")
		echo offline >"$MEMSYS/auto_online_blocks"
		echo "${DAX##*/}" >"$DAXBUS/drivers/kmem/new_id" || true
		echo "$auto" >"$MEMSYS/auto_online_blocks"
		;;
	esac
	assert_equal "$(dax_driver)" "$1"
}

# enable_refused ERRNO: enabling grant sr fails with ERRNO and leaves no node
enable_refused() {
	run umdp_write "$UMDP_CFS/exe-sr/sr/enable" 1
	assert_output "$1"
	assert_equal "$(cat "$UMDP_CFS/exe-sr/sr/enable")" 0
	assert [ ! -e /dev/umdp/sr ]
}

@test "a window over Soft Reserved memory that device_dax holds is EBUSY" {
	dax_need
	dax_mode device_dax
	sr_iomem
	umdp_grant exe-sr sr "mem=$WIN+0x10000"
	enable_refused EBUSY
	run cat "$UMDP_CFS/exe-sr/sr/last_error"
	assert_output "mem $WIN+0x10000: $WIN-$(printf '0x%x' $((SR_START + 0xffff))) is busy, claimed by a kernel driver or the system (see /proc/iomem)"
}

@test "a window over Soft Reserved memory that no driver holds enables and maps" {
	if dax_find; then
		dax_mode none
	fi
	sr_iomem
	run sr_iomem
	refute_output --partial "System RAM"
	umdp_grant exe-sr sr "mem=$WIN+0x10000" owner=umdptest mode=0600 enable=1
	umdp_settle
	assert [ -c /dev/umdp/sr ]
	run as_user "$MC" sr poke "$WIN" 0x20 0x5ec0ffee
	assert_success
	run as_user "$MC" sr peek "$WIN" 0x20
	assert_output 0x5ec0ffee
}

@test "dax kmem onlining the memory under an enabled grant revokes it: node gone, mappings SIGBUS" {
	local block
	dax_need
	dax_mode none
	umdp_grant exe-sr sr "mem=$WIN+0x10000" owner=umdptest mode=0600 enable=1
	umdp_settle
	start_mapcheck sr revoke "$WIN"
	dax_mode kmem
	mem_state online_movable
	sr_iomem
	run sr_iomem
	assert_output --partial "System RAM (kmem)"
	assert_equal "$(cat "$UMDP_CFS/exe-sr/sr/enable")" 0
	umdp_settle
	assert [ ! -e /dev/umdp/sr ]
	# the notifier sees one memory block: the one that holds the window
	block=$((0x$(cat "$MEMSYS/block_size_bytes")))
	run dmesg
	assert_output --partial "umdp: grant sr: revoked: memory $WIN-$(printf '0x%x' $((SR_START + block - 1))) is coming online as System RAM inside its window"
	finish_mapcheck
	assert_equal "$MC_RC" 0
	refute_output --partial "not ok"
	assert_output --partial "a child forked before revoke dies of SIGBUS"
	assert_output --partial "the parent's access after revoke raises SIGBUS"
	assert_output --partial "mmap after revoke is ENODEV"
	assert_output --partial "done"
}

@test "a window over System RAM (kmem) nested under Soft Reserved is EINVAL" {
	dax_need
	dax_mode kmem
	mem_state online_movable
	sr_iomem
	# the nesting the check must see through: not a top-level resource
	run grep -E '^ +[0-9a-f]+-[0-9a-f]+ : System RAM \(kmem\)$' /proc/iomem
	assert_success
	run grep -E '^[0-9a-f]+-[0-9a-f]+ : System RAM \(kmem\)$' /proc/iomem
	assert_failure
	umdp_grant exe-sr sr "mem=$WIN+0x10000"
	enable_refused EINVAL
	run cat "$UMDP_CFS/exe-sr/sr/last_error"
	assert_output "mem $WIN+0x10000: overlaps System RAM"
	run dmesg
	assert_output --partial "umdp: grant sr: mem $WIN+0x10000: overlaps System RAM"
}
