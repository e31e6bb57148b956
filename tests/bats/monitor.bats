#!/usr/bin/env bats
# The guest's way to the host's QEMU monitor (scripts/umdp-vm sendkey, type,
# screendump through scripts/umdp-vm-relay): it does what the tests need
# and nothing more, since the monitor itself could run commands on the host.

load helpers

VM=$UMDP_TOP/scripts/umdp-vm
PORT=/dev/virtio-ports/org.umdp.monitor

# relay_raw REQUEST: send one raw request line to the relay, as a guest
# program could, and print its final answer ("OK" or "ERR ...").
relay_raw() {
	local id=raw$$ line
	exec 8>/run/umdp-vm-monitor.lock
	flock 8
	exec 9<>"$PORT"
	printf '%s %s\n' "$id" "$1" >&9
	while IFS= read -r -t 30 -u 9 line; do
		case $line in
		"$id OK" | "$id ERR "*)
			printf '%s\n' "${line#"$id "}"
			break
			;;
		esac
	done
	exec 9<&- 8>&-
}

@test "the guest has the relay's virtio port" {
	[ -c "$(readlink -f "$PORT")" ]
}

@test "sendkey of known keys is OK" {
	run "$VM" sendkey shift-a b ret
	assert_success
	assert_output ""
}

@test "a key name with other characters is refused before it reaches QEMU" {
	run "$VM" sendkey 'a;quit'
	assert_failure
	assert_output "umdp-vm: monitor: bad key name in 'a;quit'"
}

@test "a key name QEMU does not know is refused with QEMU's reason" {
	run "$VM" sendkey nosuchkey
	assert_failure
	assert_output --partial "umdp-vm: monitor: "
	assert_output --partial "nosuchkey"
}

@test "type refuses a character that has no key" {
	run "$VM" type 'ok é'
	assert_failure
	assert_output --partial "umdp-vm: type: no key for character"
}

@test "any monitor command but sendkey and screendump is refused by the relay" {
	run relay_raw "quit"
	assert_output "ERR unknown request (sendkey KEYS | screendump NAME.png)"
	run relay_raw "human-monitor-command info"
	assert_output "ERR unknown request (sendkey KEYS | screendump NAME.png)"
	run relay_raw "migrate exec:touch /tmp/umdp-pwned"
	assert_output "ERR unknown request (sendkey KEYS | screendump NAME.png)"
	# QEMU is still there and still answers.
	run relay_raw "sendkey a"
	assert_output OK
}

@test "a screendump name that is a path, or not a .png, is refused" {
	run relay_raw "screendump ../../etc/x.png"
	assert_output "ERR screendump takes a file name ending in .png"
	run relay_raw "screendump shot.ppm"
	assert_output "ERR screendump takes a file name ending in .png"
}

@test "screendump writes a PNG of the display into the guest" {
	run "$VM" screendump "$BATS_TEST_TMPDIR/s.png"
	assert_success
	run od -An -tx1 -N8 "$BATS_TEST_TMPDIR/s.png"
	assert_output " 89 50 4e 47 0d 0a 1a 0a"
	run "$VM" screendump "$BATS_TEST_TMPDIR/s.jpg"
	assert_failure
	assert_output "umdp-vm: usage: umdp-vm screendump FILE.png"
}

@test "requests from several processes at once each get their own answer" {
	local i pids=()
	for i in 1 2 3 4; do
		"$VM" sendkey "$i" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i"
	done
}
