# Set-up shared by the system pair's tests (tests/system/N-*.bats).
# shellcheck shell=bash

load '../bats/helpers'

# system_kernel_setup: the guest as a machine that runs this kernel and has
# its headers installed. DKMS finds the headers (the host's cache,
# `scripts/umdp-vm kdir`) at /lib/modules/RELEASE/build; /boot shows this
# kernel's config only (guest-init links it), not the host's kernels, for
# which dh_dkms's postinst would build too (minutes each under TCG). The
# man-db trigger of every package install is turned off as in Debian's
# container images (man-db/auto-update): it re-reads every manual page over
# 9p. All in the guest's overlay: nothing reaches the host.
system_kernel_setup() {
	local krel cfg
	krel=$(uname -r)
	ln -sfn "$("$UMDP_TOP/scripts/umdp-vm" kdir --kernel "${UMDP_KERNEL:-$krel}")" \
		"/lib/modules/$krel/build"
	[ -e "/lib/modules/$krel/build/include" ]
	if ! mountpoint -q /boot; then
		cfg=$(readlink -f "/boot/config-$krel" || true)
		mount -t tmpfs -o mode=0755 tmpfs /boot
		[ ! -f "$cfg" ] || ln -s "$cfg" "/boot/config-$krel"
	fi
	rm -f /var/lib/man-db/auto-update
}
