# Common set-up for the umdp bats suite. Runs only inside the umdp-vm guest.
# shellcheck shell=bash

# bats-support, then bats-assert. Their load.bash files source each part
# through "$(dirname ...)": 15 processes for every test, which bats runs in
# a process of its own that loads this file again (under TCG a process
# costs about 50 ms: 0.75 s a test, 5 minutes of make check). The parts,
# sourced directly, cost none.
for _f in /usr/lib/bats/bats-support/src/{output,error,lang}.bash \
	/usr/lib/bats/bats-assert/src/*.bash; do
	# shellcheck source=/dev/null
	source "$_f"
done
unset _f

UMDP_TOP=${BATS_TEST_DIRNAME%/tests/*}
UMDP_KO=${UMDP_KO:-$UMDP_TOP/configfs_umdp/umdp.ko}
UMDP_CFS=/sys/kernel/config/umdp
UMDP_BIN=$UMDP_TOP/build/bin
UMDP_TESTS=$UMDP_TOP/build/tests
export UMDP_TOP UMDP_KO UMDP_CFS UMDP_BIN UMDP_TESTS

# shellcheck source=SCRIPTDIR/../../scripts/lib/pci.bash
source "$UMDP_TOP/scripts/lib/pci.bash"

# Never touch the host kernel: everything here loads modules.
umdp_require_guest() {
	if [ "${UMDP_IN_GUEST:-}" != 1 ]; then
		echo "refusing to run outside the umdp-vm guest" >&2
		return 1
	fi
}

# umdp_kernel_config CONFIG_X: its value in the running kernel's .config
# (/proc/config.gz, else /boot/config-RELEASE, which the guest links to the
# kernel's config on the host); "n" when not set. Fails when neither exists.
umdp_kernel_config() {
	local cfg line
	cfg=/boot/config-$(uname -r)
	if [ -r /proc/config.gz ]; then
		line=$(zcat /proc/config.gz | grep -m1 "^$1=" || true)
	elif [ -r "$cfg" ]; then
		line=$(grep -m1 "^$1=" "$cfg" || true)
	else
		echo "no configuration for kernel $(uname -r)" >&2
		return 1
	fi
	printf '%s\n' "${line:-$1=n}" | cut -d= -f2-
}

# umdp_slowdown: by how much a wall-clock bound of a test stretches on this
# kernel: 1 on Debian's kernels, 5 on a kernel with KASAN (the debug
# kernel, where every kernel path runs 5 to 7 times slower; README).
umdp_slowdown() {
	if [ "$(umdp_kernel_config CONFIG_KASAN)" = y ]; then
		echo 5
	else
		echo 1
	fi
}

umdp_loaded() {
	grep -q '^umdp ' /proc/modules
}

umdp_load() {
	umdp_require_guest
	umdp_loaded || insmod "$UMDP_KO"
}

# umdp_test_load PARAM=VALUE...: load the tests' own module, umdp_test.ko
# (tests/kmod, built beside umdp.ko for this kernel): odd IRQ lines, a line
# taken as a kernel driver would take it, a failing device_add().
umdp_test_load() {
	insmod "$(dirname "$(readlink -f "$UMDP_KO")")/test/umdp_test.ko" "$@"
}

umdp_test_unload() {
	if grep -q '^umdp_test ' /proc/modules; then
		rmmod umdp_test
	fi
}

# umdp_test_param NAME: a parameter of the loaded umdp_test.ko.
umdp_test_param() {
	cat "/sys/module/umdp_test/parameters/$1"
}

# Remove every grant and exe group, then the module.
umdp_unload() {
	umdp_loaded || return 0
	umdp_clear
	rmmod umdp
}

umdp_clear() {
	local g e
	[ -d "$UMDP_CFS" ] || return 0
	for g in "$UMDP_CFS"/*/*/; do
		[ -d "$g" ] || continue
		echo 0 >"$g/enable" 2>/dev/null || true
		rmdir "$g"
	done
	for e in "$UMDP_CFS"/*/; do
		[ -d "$e" ] || continue
		rmdir "$e"
	done
}

UMDP_GRANT_ATTRS=(ioports irqs mem owner group mode exclusive unsafe pci dma dma_bits enable)

# umdp_exe EXE PATH: make an exe group allowed for the program at PATH.
umdp_exe() {
	mkdir -p "$UMDP_CFS/$1"
	echo "$2" >"$UMDP_CFS/$1/path"
}

# umdp_grant EXE GRANT [ATTR=VALUE...]: make a grant and set attributes in
# the order given (put enable=1 last).
umdp_grant() {
	local exe=$1 g=$2 kv
	shift 2
	mkdir "$UMDP_CFS/$exe/$g"
	for kv in "$@"; do
		echo "${kv#*=}" >"$UMDP_CFS/$exe/$g/${kv%%=*}"
	done
}

# Every attribute of a grant and its exe group's path, one per line.
# (read, not $(cat): no process per attribute, which under TCG adds up
# over bad-input.bats' rows)
umdp_snapshot() {
	local exe=$1 g=$2 a v
	IFS= read -r v <"$UMDP_CFS/$exe/path" || true
	printf 'path=%s\n' "$v"
	for a in "${UMDP_GRANT_ATTRS[@]}"; do
		IFS= read -r v <"$UMDP_CFS/$exe/$g/$a" || true
		printf '%s=%s\n' "$a" "$v"
	done
}

# umdp_write FILE VALUE [REPEAT]: one write(2); prints the errno name.
umdp_write() {
	"$UMDP_TESTS/umdp-write" "$@"
}

# testdev_lines_low: lower pc-testdev's free ISA lines 3, 5, 7 and 10 (a
# write of 0 to port 0x2000 + n through /dev/port). A line another test or
# the fuzzer left high would fire as soon as a driver requests it.
testdev_lines_low() {
	local n
	for n in 3 5 7 10; do
		printf '\0' | dd of=/dev/port bs=1 seek=$((0x2000 + n)) \
			conv=notrunc status=none
	done
}

# edus_quiet: every edu no driver holds is left quiet, whatever a grant
# before (the fuzzer, pci.bats) did with it: its pending interrupts acked
# (when its memory decoding is on) and its INTx enabled for the first edu,
# which irq.bats and edu.bats drive as a plain level line, and disabled for
# the others (q35's second edu, at 00:06.0, may share the first's line).
edus_quiet() {
	local d first=1
	while read -r d; do
		if [ ! -e "$d/driver" ]; then
			python3 - "$d" "$first" <<'PY'
import mmap, os, struct, sys
d, first = sys.argv[1], sys.argv[2] == "1"
with open(d + "/config", "r+b", buffering=0) as c:
    c.seek(4)
    cmd = struct.unpack("<H", c.read(2))[0]
    if cmd & 2:
        fd = os.open(d + "/resource0", os.O_RDWR | os.O_SYNC)
        m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        m[0x64:0x68] = m[0x24:0x28]
        m.close()
        os.close(fd)
    cmd = cmd & ~0x400 if first else cmd | 0x400
    c.seek(4)
    c.write(struct.pack("<H", cmd))
PY
		fi
		first=0
	done < <(pci_dirs 0x1234 0x11e8)
}

# edu_write OFFSET VALUE: a 32-bit write to the BAR0 of edu $EDU through
# its resource0.
edu_write() {
	python3 - "$EDU/resource0" "$1" "$2" <<'PY'
import mmap, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_SYNC)
m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
m[int(sys.argv[2], 0):int(sys.argv[2], 0) + 4] = struct.pack('<I', int(sys.argv[3], 0))
PY
}

# umdp_settle: wait for udev to drain its queue: up to 60 s, stretched on
# the debug kernel, where each add event's rule program (systemd-escape)
# is slow: after stress.bats's loops udev needed over 100 s there. It
# returns as soon as the queue is empty.
umdp_settle() {
	udevadm settle --timeout=$((60 * $(umdp_slowdown)))
}

# wait_for_line FILE TEXT: up to 10 s for TEXT (a grep pattern) to appear in
# FILE, written by a program the test started in the background.
wait_for_line() {
	local _
	for _ in $(seq 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for '$2' in $1: $(cat "$1")" >&2
	return 1
}

# start_mapcheck GRANT MODE WINDOW: umdp-mapcheck GRANT MODE WINDOW in the
# background as umdptest, fed from fd 4; waits until it prints "ready".
# MC_PID is its pid.
start_mapcheck() {
	rm -f "$BATS_TEST_TMPDIR/in"
	mkfifo "$BATS_TEST_TMPDIR/in"
	as_user "$UMDP_TESTS/umdp-mapcheck" "$1" "$2" "$3" \
		<"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	MC_PID=$!
	exec 4>"$BATS_TEST_TMPDIR/in"
	wait_for_line "$BATS_TEST_TMPDIR/out" '^ready'
}

# finish_mapcheck: let the umdp-mapcheck of start_mapcheck go on and wait
# for it; its status in MC_RC, its output in $output
# shellcheck disable=SC2034,SC2154 # MC_RC is the caller's; output is bats' run's
finish_mapcheck() {
	MC_RC=0
	echo go >&4
	exec 4>&-
	wait "$MC_PID" || MC_RC=$?
	run cat "$BATS_TEST_TMPDIR/out"
	echo "$output"
}

# umdp_test_user: the unprivileged user umdptest that drivers run as.
umdp_test_user() {
	getent passwd umdptest >/dev/null || useradd -M -s /bin/false umdptest
}

# as_user COMMAND [ARG...]: run COMMAND as umdptest (see umdp_test_user)
as_user() {
	runuser -u umdptest -- "$@"
}
