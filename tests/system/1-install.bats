#!/usr/bin/env bats
# Installing umdp on a machine with `make install`: DKMS builds the module,
# `make uninstall` leaves nothing behind (1-packages.bats installs the Debian
# packages, which boot 2 then uses).
# Runs in the umdp-vm guest as root, whose root is the host's under an
# overlay, so nothing here reaches the host. DKMS builds umdp.ko in the
# guest against the kernel's headers in the host's cache (system.bash).

load system

setup_file() {
	umdp_require_guest
	umdp_unload
	UMDP_VERSION=$(sed -n 's/^UMDP_VERSION := *//p' "$UMDP_TOP/Makefile")
	KREL=$(uname -r)
	export UMDP_VERSION KREL
	system_kernel_setup
	snapshot >"$BATS_FILE_TMPDIR/before"
}

teardown_file() {
	umdp_unload
	! mountpoint -q /boot || umount /boot
}

# snapshot: every path (with its type) where `make install`, DKMS and the
# packages write. DKMS's signing key (/var/lib/dkms/mok.*, made by the
# first build on a machine and kept for all later ones) is not umdp's.
snapshot() {
	local d
	for d in /usr/local /usr/src /etc/udev /lib/udev/rules.d /etc/umdp \
		/lib/systemd/system /etc/systemd/system /usr/lib/modules-load.d \
		/var/lib/dkms /var/lib/systemd/deb-systemd-helper-enabled \
		/lib/modules; do
		[ ! -e "$d" ] || find "$d" -printf '%y %p\n'
	done | grep -v -E '^f /var/lib/dkms/mok\.(key|pub)$' | LC_ALL=C sort
}

# timed NAME CMD...: run CMD, print how long it took to the TAP stream.
timed() {
	local name=$1 start rc=0
	shift
	start=$(date +%s)
	"$@" || rc=$?
	echo "# $name: $(($(date +%s) - start)) s" >&3
	return "$rc"
}

installed_by_make() {
	[ -f "/usr/src/umdp-$UMDP_VERSION/dkms.conf" ] &&
		! dpkg-query -W umdp-dkms >/dev/null 2>&1
}

# make install with dkms add/build/install for this kernel (a minute or two
# under TCG, with the kernel's headers and modules on umdp-vm's kernel disk).
make_install() {
	timed "make install (DKMS build for $KREL)" \
		make -C "$UMDP_TOP" --no-print-directory install
}

# The module modprobe finds is DKMS's, it loads, and it unloads.
assert_dkms_module_loads() {
	run dkms status "umdp/$UMDP_VERSION" -k "$KREL"
	assert_success
	assert_output --partial ": installed"
	run modinfo -n umdp
	assert_success
	assert_output --regexp "^/lib/modules/$KREL/updates/dkms/umdp\.ko(\.xz|\.zst|\.gz)?$"
	run modinfo -F version umdp
	assert_output "$UMDP_VERSION"
	run modprobe umdp
	assert_success
	assert [ -d /sys/module/umdp ]
	run cat /sys/module/umdp/version
	assert_output "$UMDP_VERSION"
	rmmod umdp
	refute [ -d /sys/module/umdp ]
}

@test "make install puts the module source and dkms.conf where DKMS expects them, DKMS builds umdp.ko for this kernel and modprobe loads it" {
	run make_install
	assert_success
	echo "$output"
	local src=/usr/src/umdp-$UMDP_VERSION
	assert [ -f "$src/dkms.conf" ]
	run grep -E '^PACKAGE_(NAME|VERSION)=' "$src/dkms.conf"
	assert_output "PACKAGE_NAME=\"umdp\"
PACKAGE_VERSION=\"$UMDP_VERSION\""
	assert [ -f "$src/Kbuild" ]
	assert [ -f "$src/umdp_main.c" ]
	assert [ -f "$src/include/uapi/linux/umdp.h" ]
	# only sources: nothing built there
	run find "$src" -name '*.o' -o -name '*.ko' -o -name '*.cmd'
	assert_output ""
	assert_dkms_module_loads
}

@test "make uninstall leaves nothing behind" {
	if ! installed_by_make; then
		run make_install
		assert_success
	fi
	assert [ -x /usr/local/sbin/umdpctl ]
	run timed "make uninstall" make -C "$UMDP_TOP" --no-print-directory uninstall
	assert_success
	snapshot >"$BATS_FILE_TMPDIR/after"
	run diff "$BATS_FILE_TMPDIR/before" "$BATS_FILE_TMPDIR/after"
	assert_success
	run dkms status umdp
	assert_output ""
	refute [ -e "/usr/src/umdp-$UMDP_VERSION" ]
	run modinfo -n umdp
	assert_failure
}
