#!/usr/bin/env bats
# Port I/O through /dev/umdp/<grant> with pread/pwrite and the port ioctls,
# by the grant's program only, without root. pc-testdev: the 32-bit scratch
# register at 0xe0-0xe3 (byte lane from the address) and 0xe8-0xeb.

load helpers

IO=$UMDP_BIN/umdp-io
HOLD=$UMDP_TESTS/umdp-hold

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
	pkill -9 -f "$HOLD" 2>/dev/null || true
	umdp_test_unload
	umdp_clear
}

# grant_for PROGRAM NAME: a testdev grant that PROGRAM may open, owned by umdptest
grant_for() {
	umdp_exe "exe-$2" "$1"
	umdp_grant "exe-$2" "$2" ioports=0xe0-0xe3,0xe8+4 owner=umdptest mode=0600 enable=1
	umdp_settle
}

@test "umdp-io round-trips every width as an unprivileged user" {
	grant_for "$IO" td
	run as_user "$IO" td write32 0xe0 0x12345678
	assert_success
	run as_user "$IO" td read32 0xe0
	assert_output 0x12345678
	run as_user "$IO" td read16 0xe2
	assert_output 0x1234
	run as_user "$IO" td read8 0xe1
	assert_output 0x56
	run as_user "$IO" td read8 0xea
	assert_output 0x34
	run as_user "$IO" td write8 0xe9 0xab
	assert_success
	run as_user "$IO" td read32 0xe0
	assert_output 0x1234ab78
	run as_user "$IO" td write16 0xe0 0xbeef
	run as_user "$IO" td read32 0xe0
	assert_output 0x1234beef
}

@test "libumdp: widths, byte lanes, batch, string I/O, spans, info, threads" {
	grant_for "$UMDP_TESTS/umdp-iocheck" td
	run as_user "$UMDP_TESTS/umdp-iocheck" td
	echo "$output"
	assert_success
	refute_output --partial "not ok"
}

@test "pread beyond the grant's last port is EPERM at every width" {
	grant_for "$IO" td
	local w p
	for w in 8 16 32; do
		for p in 0xe4 0xdf 0xec 0x3f8; do
			run as_user "$IO" td "read$w" "$p"
			assert_failure
			assert_output --partial "not granted"
		done
	done
	run as_user "$IO" td read16 0xe3
	assert_output --partial "not granted"
	run as_user "$IO" td read32 0xe2
	assert_output --partial "not granted"
	run as_user "$IO" td write32 0xe9 0
	assert_output --partial "not granted"
}

@test "umdp-io explains a missing, disabled or foreign grant in one sentence" {
	run "$IO" nosuch read8 0xe0
	assert_failure
	assert_output "umdp-io: there is no grant 'nosuch' (see /sys/kernel/config/umdp)"
	grant_for /bin/true other
	run "$IO" other read8 0xe0
	assert_output "umdp-io: grant 'other' is for the program /bin/true, not for $IO"
	run "$IO" td read9 0xe0
	assert_failure
	assert_output --partial usage
}

@test "a copy of the program at another path is EACCES, and logged" {
	grant_for "$IO" td
	cp "$IO" /tmp/umdp-io-copy
	run /tmp/umdp-io-copy td read8 0xe0
	assert_failure
	assert_output "umdp-io: grant 'td' is for the program $IO, not for /tmp/umdp-io-copy"
	run dmesg
	assert_output --regexp 'umdp: .*umdp-io-copy.*td'
}

@test "100 opens by another program are EACCES and log at most 20 lines" {
	grant_for "$IO" td
	run "$HOLD" td --opens 100
	assert_output "$(printf 'opened 0\nEACCES 100')"
	# ratelimited: a burst of 10 per 5 s (two if the opens took over 5 s)
	local n
	n=$(dmesg | grep -c 'may not open grant td')
	echo "lines logged: $n"
	assert [ "$n" -ge 1 ]
	assert [ "$n" -le 20 ]
}

@test "a different binary bind-mounted over the allowed path is EACCES" {
	grant_for "$IO" td
	cp "$UMDP_TESTS/umdp-hold" /tmp/impostor
	run unshare -m sh -c "mount --bind /tmp/impostor '$IO' && '$IO' td"
	assert_output EACCES
}

@test "the right binary in a new mount and user namespace is EACCES" {
	# Debian's kernels have user namespaces; the debug kernel's defconfig
	# base does not (unshare -U is EINVAL there)
	[ "$(umdp_kernel_config CONFIG_USER_NS)" = y ] ||
		skip "no user namespaces in this kernel (CONFIG_USER_NS)"
	grant_for "$IO" td
	chmod 0666 /dev/umdp/td
	run unshare -Urm "$IO" td read8 0xe0
	assert_failure
	assert_output --partial "umdp-io: grant 'td' refused this process: its program $IO was replaced since the grant was enabled, or the process runs in another namespace or root"
	run as_user unshare -Urm "$IO" td read8 0xe0
	assert_failure
	assert_output --partial "umdp-io: grant 'td' refused this process: its program $IO was replaced since the grant was enabled, or the process runs in another namespace or root"
}

@test "the right binary in a chroot is EACCES" {
	grant_for "$IO" td
	mkdir -p /tmp/chroot
	mount --rbind / /tmp/chroot
	run chroot /tmp/chroot "$IO" td read8 0xe0
	umount -R /tmp/chroot
	assert_failure
	assert_output --partial "umdp-io: grant 'td' refused this process: its program $IO was replaced since the grant was enabled, or the process runs in another namespace or root"
}

@test "a second open is EBUSY; the first keeps working" {
	grant_for "$HOLD" td
	mkfifo "$BATS_TEST_TMPDIR/in"
	"$HOLD" td <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" &
	local pid=$!
	exec 4>"$BATS_TEST_TMPDIR/in"
	wait_for_line "$BATS_TEST_TMPDIR/out" opened
	run "$HOLD" td </dev/null
	assert_output EBUSY
	echo >&4
	wait_for_line "$BATS_TEST_TMPDIR/out" "ok 0x"
	exec 4>&-
	wait "$pid"
}

@test "after revoke every call on a still-open fd is ENODEV; close is safe" {
	grant_for "$HOLD" td
	mkfifo "$BATS_TEST_TMPDIR/in"
	"$HOLD" td <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" &
	local pid=$!
	exec 4>"$BATS_TEST_TMPDIR/in"
	wait_for_line "$BATS_TEST_TMPDIR/out" opened
	echo 0 > "$UMDP_CFS/exe-td/td/enable"
	echo >&4
	wait_for_line "$BATS_TEST_TMPDIR/out" ENODEV
	exec 4>&-
	wait "$pid"
	run grep umdp /proc/ioports
	assert_failure
}

@test "a disabled grant has no node, and a node made by hand for it cannot be opened" {
	grant_for "$HOLD" td
	local devt
	devt=$(cat /sys/class/umdp/td/dev)
	echo 0 > "$UMDP_CFS/exe-td/td/enable"
	umdp_settle
	run "$HOLD" td </dev/null
	assert_output ENOENT
	mknod /tmp/stale-node c "${devt%:*}" "${devt#*:}"
	run "$HOLD" /tmp/stale-node </dev/null
	assert_output --regexp '^(ENODEV|ENXIO)$'
}

@test "revoke during 65,536-byte string reads from a stalling port waits for one chunk, not the call; the read is ENODEV" {
	# each byte read stalls 80 us (x the kernel's slowdown): a chunk of
	# 512, 41 ms; a call of 128 chunks, 5.2 s; revoke waits for one or two
	# chunks (the RCU grace period waits for the stalled CPU too), well
	# under 10
	local slow=$((512 * 80 * $(umdp_slowdown) / 1000)) t0 t1 ms
	grant_for "$HOLD" td
	umdp_test_load slow_ins=$((80 * $(umdp_slowdown)))
	"$HOLD" td --ins 65536 >"$BATS_TEST_TMPDIR/out" &
	local pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" opened
	sleep 0.5
	t0=$(date +%s%N)
	echo 0 >"$UMDP_CFS/exe-td/td/enable"
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	echo "revoke took $ms ms; a chunk $slow ms, a call $((128 * slow)) ms"
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --regexp '^calls [0-9]+ ENODEV$'
	assert [ "$ms" -lt $((10 * slow)) ]
}

@test "kill -9 of a driver mid-loop frees the node at once" {
	grant_for "$HOLD" td
	"$HOLD" td --spin >"$BATS_TEST_TMPDIR/out" &
	local pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" opened
	assert_equal "$(cut -d' ' -f1 /sys/class/umdp/td/opened_by)" "$pid"
	kill -9 "$pid"
	wait "$pid" || true
	run "$HOLD" td </dev/null
	assert_output opened
	assert_equal "$(cat /sys/class/umdp/td/opened_by)" -
}


@test "the EACCES log line escapes control characters in the opener's name" {
	grant_for "$IO" td
	local evil
	evil=$(printf '/tmp/ev\033[2Jil')
	cp "$IO" "$evil"
	run "$evil" td read8 0xe0
	assert_failure
	run dmesg
	assert_output --regexp 'ev\\(e|033)\[2Jil\['
	refute_output --partial "$(printf '\033')"
	rm -f "$evil"
}
