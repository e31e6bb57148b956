# Boot 2 of the system pair: systemd is PID 1 on the state boot 1 left (the
# packages, /etc/umdp/grants.d, the umdp-demo user). umdp.service applied
# the files before logins were allowed, udev gave the nodes to umdp-demo,
# umdp-driver@kbd runs the keyboard driver and systemd restarts it when it
# crashes; revoking the grant stops it and applying starts it again.

load '../bats/helpers'

VM=$UMDP_TOP/scripts/umdp-vm
UNIT=umdp-driver@kbd.service

setup_file() {
	umdp_require_guest
	[ "$(readlink /proc/1/exe)" = /usr/lib/systemd/systemd ] ||
		[ "$(readlink /proc/1/exe)" = /lib/systemd/systemd ]
}

# prop UNIT PROPERTY: one property's value
prop() {
	systemctl show -P "$2" "$1"
}

# wait_active UNIT: up to 30 s for UNIT to be active with a main PID.
wait_active() {
	local _
	for _ in $(seq 300); do
		[ "$(prop "$1" ActiveState)" = active ] && [ "$(prop "$1" MainPID)" != 0 ] && return 0
		sleep 0.1
	done
	systemctl status "$1" >&2 || true
	return 1
}

# decoded PID TEXT: up to 20 s for the driver with PID to log TEXT.
decoded() {
	local _
	for _ in $(seq 200); do
		journalctl -q -o cat "_PID=$1" | grep -qx -- "$2" && return 0
		sleep 0.1
	done
	journalctl -q -u "$UNIT" >&2
	return 1
}

# wait_ready PID: up to 20 s for the driver with PID to have set up the
# keyboard (keys typed before are lost in its reset, as on real hardware).
wait_ready() {
	decoded "$1" "ps2kbd: keyboard ready on grant 'kbd' (ports 0x60/0x64, IRQ 1); type away"
}

@test "umdp.service applied /etc/umdp/grants.d before logins were allowed" {
	assert_equal "$(prop umdp.service ActiveState)" active
	assert_equal "$(prop umdp.service Result)" success
	local applied logins
	applied=$(prop umdp.service ExecMainExitTimestampMonotonic)
	logins=$(prop systemd-user-sessions.service ActiveEnterTimestampMonotonic)
	[ "$applied" -gt 0 ]
	[ "$logins" -gt 0 ]
	[ "$applied" -le "$logins" ] || fail "applied at $applied us, logins allowed at $logins us"
	run umdpctl apply
	assert_line "nothing to change: 3 grant(s) as the files say"
}

@test "after the reboot the nodes are there with umdp-demo's owner and mode" {
	for g in kbd edu fb; do
		assert_equal "$(stat -c '%U %a' "/dev/umdp/$g")" "umdp-demo 600"
	done
}

@test "umdp-driver@kbd runs ps2kbd as umdp-demo; grants without driver= leave their unit inactive" {
	wait_active "$UNIT"
	local pid
	pid=$(prop "$UNIT" MainPID)
	assert_equal "$(ps -o user= -p "$pid")" umdp-demo
	assert_equal "$(readlink "/proc/$pid/exe")" /usr/lib/umdp/examples/ps2kbd
	run systemctl is-failed umdp-driver@edu.service umdp-driver@fb.service
	refute_line failed
	wait_ready "$pid"
	"$VM" type 'after reboot\n'
	decoded "$pid" "after reboot"
}

@test "ps2kbd killed with SIGSEGV while keys are typed is restarted and decodes again" {
	wait_active "$UNIT"
	local old new restarts t0 t1 ready n=0
	old=$(prop "$UNIT" MainPID)
	restarts=$(prop "$UNIT" NRestarts)
	# Keys keep coming while the driver dies and comes back.
	(while :; do "$VM" type 'k\n' >/dev/null 2>&1 || true; done) &
	local typist=$!
	t0=$(date +%s%N)
	systemctl kill --signal=SIGSEGV "$UNIT"
	new=$old
	while [ "$new" = "$old" ] || [ "$new" = 0 ]; do
		n=$((n + 1))
		[ "$n" -lt 300 ] || { kill "$typist"; fail "not restarted"; }
		sleep 0.1
		new=$(prop "$UNIT" MainPID)
	done
	wait_active "$UNIT"
	decoded "$new" k
	t1=$(date +%s%N)
	kill "$typist"
	wait "$typist" 2>/dev/null || true
	assert_equal "$(prop "$UNIT" NRestarts)" $((restarts + 1))
	ready=$(journalctl -q -o short-monotonic "_PID=$new" | grep -m1 'keyboard ready' || true)
	printf '# kill to the next decoded key: %d ms\n' $(((t1 - t0) / 1000000)) >&3
	printf '# %s\n' "$ready" >&3
	"$VM" type 'reincarnated\n'
	decoded "$new" reincarnated
}

@test "umdpctl revoke kbd stops its driver unit; applying again starts it" {
	wait_active "$UNIT"
	run umdpctl revoke kbd
	assert_success
	local n
	# ps2kbd exits 1 when it sees the revoke (ENODEV), so the unit may
	# end "failed" rather than "inactive"; either way it is not running
	# and BindsTo keeps systemd from restarting it while the node is gone.
	for n in $(seq 100); do
		systemctl -q is-active "$UNIT" || break
		sleep 0.1
	done
	run systemctl is-active "$UNIT"
	assert_output --regexp '^(inactive|failed)$'
	assert_equal "$(prop "$UNIT" MainPID)" 0
	[ ! -e /dev/umdp/kbd ]
	run umdpctl apply
	assert_line "kbd: enabled"
	wait_active "$UNIT"
	local pid
	pid=$(prop "$UNIT" MainPID)
	wait_ready "$pid"
	"$VM" type 'back again\n'
	decoded "$pid" "back again"
}
