#!/usr/bin/env bats
# Installing umdp on a machine: `make install` with DKMS, `make uninstall`,
# and the Debian packages (build/deb/*.deb, which `make deb` builds on the
# host before the guest boots). Runs in the umdp-vm guest as root: its root
# is the host's, read-only with a tmpfs overlay, so nothing here reaches the
# host. DKMS builds umdp.ko in the guest against the kernel's headers in the
# host's cache (.cache/kernel/KERNEL/, `scripts/umdp-vm kdir`), which
# setup_file links as /lib/modules/RELEASE/build, where DKMS looks.

load '../bats/helpers'

setup_file() {
	umdp_require_guest
	umdp_unload
	UMDP_VERSION=$(sed -n 's/^UMDP_VERSION := *//p' "$UMDP_TOP/Makefile")
	KREL=$(uname -r)
	export UMDP_VERSION KREL
	ln -sfn "$("$UMDP_TOP/scripts/umdp-vm" kdir --kernel "${UMDP_KERNEL:-$KREL}")" \
		"/lib/modules/$KREL/build"
	[ -e "/lib/modules/$KREL/build/include" ]
	hide_other_kernels
	snapshot >"$BATS_FILE_TMPDIR/before"
}

teardown_file() {
	umdp_unload
	! mountpoint -q /boot || umount /boot
}

# The umdp-dkms package builds for the running kernel and for the newest
# one in /boot (config-*): here, the host's own kernel, which this guest
# does not run (and another build under TCG costs minutes). /boot shows
# the running kernel's config only, as guest-init links it.
hide_other_kernels() {
	local cfg
	cfg=$(readlink -f "/boot/config-$KREL" || true)
	mount -t tmpfs -o mode=0755 tmpfs /boot
	[ ! -f "$cfg" ] || ln -s "$cfg" "/boot/config-$KREL"
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

@test "make install puts the module source where DKMS expects it and DKMS builds umdp.ko for the running kernel" {
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

@test "the packages install with dpkg -i" {
	local pkg
	local -a debs
	mapfile -t debs < <(ls "$UMDP_TOP"/build/deb/*_"$UMDP_VERSION"_*.deb 2>/dev/null)
	if [ "${#debs[@]}" -ne 4 ]; then
		fail "expected 4 packages in build/deb/, found ${#debs[@]}: the host runs \`make deb\` before booting the guest"
	fi
	if installed_by_make; then
		make -C "$UMDP_TOP" --no-print-directory uninstall
	fi
	snapshot >"$BATS_FILE_TMPDIR/before-dpkg"
	export DEBIAN_FRONTEND=noninteractive
	run timed "dpkg -i (DKMS build)" dpkg -i "${debs[@]}"
	assert_success
	echo "$output"
	for pkg in umdp-dkms libumdp0 libumdp-dev umdp-tools; do
		run dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}' "$pkg"
		assert_output "$pkg $UMDP_VERSION ii "
	done
	run command -v umdpctl
	assert_output /usr/sbin/umdpctl
	run readlink -f "/usr/lib/$(cc -print-multiarch)/libumdp.so.0"
	assert_output "/usr/lib/$(cc -print-multiarch)/libumdp.so.$UMDP_VERSION"
	run ldconfig -p
	assert_output --regexp "libumdp\.so\.0 \(libc6,x86-64\) => (/usr)?/lib/$(cc -print-multiarch)/libumdp\.so\.0"
	assert [ -d /etc/umdp/grants.d ]
	assert_dkms_module_loads

	run timed "dpkg -P" dpkg -P umdp-tools libumdp-dev libumdp0 umdp-dkms
	assert_success
	echo "$output"
	run dpkg-query -W -f '${db:Status-Abbrev}\n' umdp-dkms libumdp0 libumdp-dev umdp-tools
	refute_output --partial "ii"
	run dkms status umdp
	assert_output ""
	snapshot >"$BATS_FILE_TMPDIR/after-dpkg"
	run diff "$BATS_FILE_TMPDIR/before-dpkg" "$BATS_FILE_TMPDIR/after-dpkg"
	assert_success
}
