#!/usr/bin/env bats
# Device memory through mmap of /dev/umdp/<grant> (offset = physical address),
# by the grant's program, without root: pc-testdev's 64 KiB of plain memory
# at 0xff000000 and edu's BAR0. Revoke zaps every mapping; a later access
# raises SIGBUS.

load helpers

MC=$UMDP_TESTS/umdp-mapcheck
TD=0xff000000

setup_file() {
	umdp_load
	umdp_test_user
}

teardown_file() {
	umdp_unload
}

setup() {
	umdp_clear
	dmesg --clear
}

teardown() {
	exec 4>&- 2>/dev/null || true
	pkill -9 -f "$MC" 2>/dev/null || true
	umdp_clear
}

# map_grant NAME MEM: a grant of MEM that umdp-mapcheck may open, owned by
# umdptest
map_grant() {
	umdp_exe "exe-$1" "$MC"
	umdp_grant "exe-$1" "$1" "mem=$2" owner=umdptest mode=0600 enable=1
	umdp_settle
}

# edu's BAR0: sets EDU_BAR0 to its physical address
edu_find() {
	local d
	if ! d=$(pci_dir 0x1234 0x11e8); then
		echo "no edu device in the guest" >&2
		return 1
	fi
	EDU_BAR0=$(pci_bar "$d" 0)
	EDU_BAR0=${EDU_BAR0%+*}
}

@test "pc-testdev window: two mappings, fork, smaps flags, mremap, refusals" {
	map_grant td "$TD+0x10000"
	run as_user "$MC" td testdev "$TD"
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "a value written through one process's mapping is there for the next process" {
	map_grant td "$TD+0x10000"
	run as_user "$MC" td poke "$TD" 0x10 0x600dcafe
	assert_success
	run as_user "$MC" td peek "$TD" 0x10
	assert_output 0x600dcafe
}

@test "edu BAR0: id, liveness and factorial through the mapping" {
	edu_find
	map_grant edu "$EDU_BAR0+0x100000"
	run as_user "$MC" edu edu "$EDU_BAR0"
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "a mapping past, below or outside the window is EPERM; MAP_PRIVATE is EINVAL" {
	map_grant td "$TD+0x10000"
	run as_user "$MC" td map "$TD" 0x11000
	assert_output EPERM
	run as_user "$MC" td map $((TD + 0xf000)) 0x2000
	assert_output EPERM
	run as_user "$MC" td map $((TD - 0x1000)) 0x2000
	assert_output EPERM
	run as_user "$MC" td map $((TD - 0x1000)) 0x1000
	assert_output EPERM
	run as_user "$MC" td map 0x100000 0x1000
	assert_output EPERM
	run as_user "$MC" td map "$TD" 0x1000 private
	assert_output EINVAL
	run as_user "$MC" td map "$TD" 0x10000
	assert_output ok
}

@test "a mapping must lie in one window, not across two adjacent ones" {
	map_grant td "$TD+0x8000,$((TD + 0x8000))+0x8000"
	run as_user "$MC" td map "$TD" 0x8000
	assert_output ok
	run as_user "$MC" td map $((TD + 0x8000)) 0x8000
	assert_output ok
	run as_user "$MC" td map $((TD + 0x7000)) 0x2000
	assert_output EPERM
}

@test "a mem window over System RAM is still refused at enable with EINVAL" {
	umdp_exe exe-ram "$MC"
	umdp_grant exe-ram ram mem=0x100000+0x100000
	run umdp_write "$UMDP_CFS/exe-ram/ram/enable" 1
	assert_output EINVAL
	assert_equal "$(cat "$UMDP_CFS/exe-ram/ram/enable")" 0
	[ ! -e /dev/umdp/ram ]
	run dmesg
	assert_output --regexp 'umdp: grant ram: .*System RAM'
}

@test "revoke: a child forked before it dies of SIGBUS, the parent survives, mmap is ENODEV" {
	map_grant td "$TD+0x10000"
	start_mapcheck td revoke "$TD"
	echo 0 >"$UMDP_CFS/exe-td/td/enable"
	finish_mapcheck
	assert_equal "$MC_RC" 0
	refute_output --partial "not ok"
	assert_output --partial "done"
	# the grant comes back and maps again; the memory kept its value
	echo 1 >"$UMDP_CFS/exe-td/td/enable"
	umdp_settle
	run as_user "$MC" td peek "$TD" 0x400
	assert_output 0xa5a5a5a5
	run as_user "$MC" td map "$TD" 0x10000
	assert_output ok
}

@test "a mapping outlives close of its fd until revoke, then raises SIGBUS" {
	map_grant td "$TD+0x10000"
	start_mapcheck td closed "$TD"
	assert_equal "$(cut -d' ' -f2 /sys/class/umdp/td/opened_by)" umdp-mapcheck
	echo 0 >"$UMDP_CFS/exe-td/td/enable"
	finish_mapcheck
	assert_equal "$MC_RC" 0
	refute_output --partial "not ok"
	assert_output --partial "done"
}

@test "revoke racing with first-touch faults of 3 threads leaves no page reachable" {
	local i
	map_grant td "$TD+0x10000"
	for i in 1 2 3 4 5; do
		start_mapcheck td race "$TD"
		sleep 0.$((i * 2 - 1))
		echo 0 >"$UMDP_CFS/exe-td/td/enable"
		finish_mapcheck
		assert_equal "$MC_RC" 0
		refute_output --partial "not ok"
		assert_output --partial "done"
		echo 1 >"$UMDP_CFS/exe-td/td/enable"
		umdp_settle
	done
}

@test "children that exit with the mapping leave the parent's mapping working" {
	map_grant td "$TD+0x10000"
	run as_user "$MC" td forkexit "$TD"
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "the grant can be revoked and removed while a process has it mapped" {
	map_grant td "$TD+0x10000"
	start_mapcheck td closed "$TD"
	rmdir "$UMDP_CFS/exe-td/td"
	rmdir "$UMDP_CFS/exe-td"
	finish_mapcheck
	assert_equal "$MC_RC" 0
	refute_output --partial "not ok"
}

# pat_wc: the write-combining lines of the PAT memtype table
pat_wc() {
	grep write-combining /sys/kernel/debug/x86/pat_memtype_list || true
}

@test "a ,wc window maps write-combining: the node holds WC from the first map until revoke" {
	umdp_exe exe-td "$MC"
	umdp_grant exe-td td "mem=$TD+0x10000,wc" enable=1
	umdp_settle
	run "$MC" td wc "$TD"
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	run pat_wc
	assert_output --partial "0x00000000ff000000-0x00000000ff010000] write-combining"
	echo 0 >"$UMDP_CFS/exe-td/td/enable"
	run pat_wc
	assert_output ""
}

@test "revoke frees the WC memtype while a mapping still lives; re-enabled without ,wc nothing is WC" {
	umdp_exe exe-td "$MC"
	umdp_grant exe-td td "mem=$TD+0x10000,wc" owner=umdptest mode=0600 enable=1
	umdp_settle
	start_mapcheck td closed "$TD"
	run pat_wc
	assert_output --partial "0x00000000ff000000-0x00000000ff010000] write-combining"
	echo 0 >"$UMDP_CFS/exe-td/td/enable"
	run pat_wc
	assert_output ""
	echo "$TD+0x10000" >"$UMDP_CFS/exe-td/td/mem"
	echo 1 >"$UMDP_CFS/exe-td/td/enable"
	umdp_settle
	run as_user "$MC" td peek "$TD" 0x10
	assert_success
	run pat_wc
	assert_output ""
	echo >&4
	exec 4>&-
	wait "$MC_PID"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output --partial "SIGBUS"
	refute_output --partial "not ok"
}

@test "only the grant's program may map: another program cannot even open" {
	map_grant td "$TD+0x10000"
	cp "$MC" /tmp/umdp-mapcheck-copy
	run /tmp/umdp-mapcheck-copy td map "$TD" 0x1000
	assert_failure
	assert_output --partial "not the grant's program"
}

