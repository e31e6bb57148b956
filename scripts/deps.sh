#!/usr/bin/env bash
# Install every Debian package umdp needs to build, test and demo, and fetch
# the headers of every kernel in kernels.list.
#
# Idempotent and quiet when everything is already there. As root it runs
# apt-get update once and installs what is missing; as another user it prints
# the one apt-get line to run and fails.
#
# The kernels' headers are not installed on the machine: `scripts/umdp-vm
# fetch` downloads each pinned linux-headers package (with its -common and
# linux-kbuild packages) and extracts it into .cache/kernel/<kernel>/, where
# the images the guest boots go too. Installing them would pull the kernel
# images into /boot (Debian's 6.12 headers depend on them), and which
# headers happen to be installed must not decide anything.
set -euo pipefail

PACKAGES=(
	build-essential gcc-12 pkg-config sparse kmod
	libelf1 libssl3 zlib1g pahole xz-utils zstd
	libudev-dev udev
	qemu-system-x86 busybox-static cpio
	systemd e2fsprogs
	mandoc groff-base
	bats bats-support bats-assert shellcheck
	util-linux procps iproute2 python3
	# make deb (scripts/mkdeb), and DKMS for tests/system: the guest runs
	# the host's dkms. --no-install-recommends keeps dkms from pulling
	# linux-headers for the host's kernel.
	dpkg-dev debhelper dh-dkms dkms lintian openssl
	# make bench: load on the other CPU, the kernel's own timer latency
	stress-ng rt-tests
)

missing_packages() {
	local pkg status
	for pkg in "${PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
		[[ "$status" == ii* ]] || printf '%s\n' "$pkg"
	done
}

install_packages() {
	local -a missing
	mapfile -t missing < <(missing_packages)
	[ "${#missing[@]}" -eq 0 ] && return 0

	if [ "$(id -u)" -ne 0 ]; then
		printf 'umdp: missing packages; run as root:\n  apt-get update && apt-get install -y --no-install-recommends %s\n' \
			"${missing[*]}" >&2
		return 1
	fi
	printf 'umdp: installing %s\n' "${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq </dev/null >/dev/null
	apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
}

main() {
	install_packages
	"$(dirname "${BASH_SOURCE[0]}")/umdp-vm" fetch --all --headers
}

main "$@"
