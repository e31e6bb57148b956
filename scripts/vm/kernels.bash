# shellcheck shell=bash
# Host side: the supported kernels (kernels.list) and their cache.
#
# Sourced by scripts/umdp-vm and scripts/check; needs TOP set to the tree.
# Each kernel of the list is fetched with `apt-get download` at its pinned
# Debian version and extracted with dpkg-deb -x under
# $CACHE/kernel/<kernel>/: the image (boot/vmlinuz-*, lib/modules/*) to boot,
# and the headers (usr/src/linux-headers-*, with their -common and
# linux-kbuild packages) to build umdp.ko against. Nothing is installed on
# the machine. The debug kernel ("debug", never in the list, so never in
# `make check` or `make check-all` unless asked for) is built from source
# instead, outside the clone: scripts/vm/debug-kernel.bash.

: "${TOP:?}"
KERNELS_LIST=$TOP/kernels.list
CACHE=${UMDP_CACHE:-$TOP/.cache}
MACHINES=(pc q35)

kernels_die() {
	printf 'umdp: %s\n' "$*" >&2
	exit 125
}

# The list without comments: "KERNEL VERSION CHECK-MACHINE" per line.
kernels_table() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$KERNELS_LIST"
}

kernels_all() {
	kernels_table | awk '{ print $1 }'
}

kernel_default() {
	kernels_table | awk 'NR == 1 { print $1 }'
}

# The Debian version KERNEL is pinned at; fails for a kernel not in the list
# (but "debug", the debug kernel: debug-kernel.pin).
kernel_version() {
	local v
	if kernel_is_debug "$1"; then
		debug_version
		return
	fi
	v=$(kernels_table | awk -v k="$1" '$1 == k { print $2 }')
	[ -n "$v" ] || kernels_die "kernel $1 is not in kernels.list (supported: $(kernels_all | tr '\n' ' '))"
	printf '%s\n' "$v"
}

# "KERNEL MACHINE" for each boot of `make check`.
kernels_check_boots() {
	kernels_table | awk '$3 != "-" { print $1, $3 }'
}

# The machine KERNEL boots on when none is named: q35 for the debug kernel
# (the machine of the 6.12-rt boot, PCIe and IO-APIC INTx), pc otherwise.
machine_default() {
	if kernel_is_debug "$1"; then
		echo q35
	else
		echo pc
	fi
}

machine_valid() {
	local m
	for m in "${MACHINES[@]}"; do
		[ "$m" = "$1" ] && return 0
	done
	kernels_die "unknown machine '$1' (machines: ${MACHINES[*]})"
}

# Where KERNEL's image and modules are (the debug kernel's: its own cache).
kernel_dir() {
	if kernel_is_debug "$1"; then
		debug_kernel_dir
		return
	fi
	printf '%s/kernel/%s\n' "$CACHE" "$1"
}

# The tree to build umdp.ko against (KDIR).
kernel_headers() {
	if kernel_is_debug "$1"; then
		printf '%s/build\n' "$(debug_kernel_dir)"
		return
	fi
	printf '%s/usr/src/linux-headers-%s\n' "$(kernel_dir "$1")" "$1"
}

# KERNEL's release (uname -r in the guest, lib/modules/RELEASE): the
# kernel's name but for the debug kernel.
kernel_release() {
	if kernel_is_debug "$1"; then
		debug_release
		return
	fi
	printf '%s\n' "$1"
}

# The image QEMU boots.
kernel_image() {
	if kernel_is_debug "$1"; then
		printf '%s/bzImage\n' "$(debug_kernel_dir)"
		return
	fi
	printf '%s/boot/vmlinuz-%s\n' "$(kernel_dir "$1")" "$1"
}

# KERNEL's .config (Debian's boot/config-KERNEL, the debug build's own).
kernel_config() {
	if kernel_is_debug "$1"; then
		printf '%s/config\n' "$(debug_kernel_dir)"
		return
	fi
	printf '%s/boot/config-%s\n' "$(kernel_dir "$1")" "$1"
}

# Whether KERNEL is ready to boot without fetching or building anything.
kernel_ready() {
	if kernel_is_debug "$1"; then
		[ -f "$(debug_kernel_dir)/.built" ]
		return
	fi
	[ -f "$(kernel_dir "$1")/.image" ]
}

# try_debs DIR PKG[=VERSION]...: apt-get download into DIR; the package lists
# are refreshed once (as root) when the archive does not know a version yet.
# Fails, with apt's words in DIR/apt.log, when that does not help.
try_debs() {
	local dir=$1
	shift
	if (cd "$dir" && apt-get download -q "$@" </dev/null >"$dir/apt.log" 2>&1); then
		return 0
	fi
	[ "$(id -u)" -eq 0 ] || return 1
	apt-get update -qq </dev/null >/dev/null 2>&1 || true
	(cd "$dir" && apt-get download -q "$@" </dev/null >"$dir/apt.log" 2>&1)
}

fetch_debs() {
	try_debs "$@" && return 0
	sed 's/^/  /' "$1/apt.log" >&2
	shift
	kernels_die "apt-get download $* failed (not root for apt-get update, or the version left the archive: update kernels.list)"
}

# dep_constraint DEB PKG: "OP VERSION" of DEB's dependency on PKG ("" when it
# names no version).
dep_constraint() {
	dpkg-deb -f "$1" Depends | tr ',' '\n' |
		sed -n "s/^ *$2 *(\([<>=]*\) *\([^)]*\)).*/\1 \2/p" | head -n 1
}

# fetch_dep DIR DEB PKG VERSION: the package DEB depends on, at VERSION (the
# kernel's own) or else at the archive's version if it satisfies DEB's
# dependency. Debian uploads linux-kbuild-6.1 on its own (6.1.192-3 for
# headers 6.1.192-2, which ask for >= 6.1.192-2), so a pinned kernel must
# not pin its kbuild tools to the same version.
fetch_dep() {
	local dir=$1 deb=$2 pkg=$3 ver=$4 op want got
	try_debs "$dir" "$pkg=$ver" && return 0
	read -r op want < <(dep_constraint "$deb" "$pkg"; echo)
	[ "$op" = "=" ] && fetch_debs "$dir" "$pkg=$ver"
	fetch_debs "$dir" "$pkg"
	got=$(dpkg-deb -f "$dir/${pkg}_"*.deb Version)
	if [ -n "$op" ] && ! dpkg --compare-versions "$got" "$op" "$want"; then
		kernels_die "$pkg $got does not satisfy $(basename "$deb")'s $pkg ($op $want)"
	fi
	printf 'umdp: %s=%s is gone from the archive; using %s (%s needs %s %s)\n' \
		"$pkg" "$ver" "$got" "$(basename "$deb" | cut -d_ -f1)" "${op:-any}" "${want:-version}" >&2
}

# fetch_part KERNEL image|headers: download and extract once.
fetch_part() {
	local kver=$1 part=$2 ver dir tmp hdr common kbuild
	dir=$(kernel_dir "$kver")
	[ -f "$dir/.$part" ] && return 0
	ver=$(kernel_version "$kver")
	mkdir -p "$dir"
	tmp=$(mktemp -d "$CACHE/fetch.XXXXXX")
	chmod 755 "$tmp"
	printf 'umdp: fetching linux-%s-%s=%s\n' "$part" "$kver" "$ver" >&2
	case $part in
	image)
		fetch_debs "$tmp" "linux-image-$kver=$ver"
		dpkg-deb -x "$tmp"/linux-image-*.deb "$dir"
		[ -f "$dir/boot/vmlinuz-$kver" ] || kernels_die "no vmlinuz in linux-image-$kver"
		depmod -b "$dir" "$kver"
		;;
	headers)
		fetch_debs "$tmp" "linux-headers-$kver=$ver"
		dpkg-deb -x "$tmp/linux-headers-${kver}_"*.deb "$dir"
		hdr=$(kernel_headers "$kver")
		# The arch package includes the -common Makefile and links the
		# kbuild scripts: fetch those two packages, same version.
		common=$(sed -n 's|^include /usr/src/\([^/]*\)/Makefile$|\1|p' "$hdr/Makefile")
		kbuild=$(readlink "$hdr/scripts" | sed -n 's|^\.\./\.\./lib/\([^/]*\)/scripts$|\1|p')
		if [ -z "$common" ] || [ -z "$kbuild" ]; then
			kernels_die "linux-headers-$kver: unexpected layout (Makefile or scripts link)"
		fi
		fetch_debs "$tmp" "$common=$ver"
		fetch_dep "$tmp" "$tmp/linux-headers-${kver}_"*.deb "$kbuild" "$ver"
		dpkg-deb -x "$tmp/${common}_"*.deb "$dir"
		dpkg-deb -x "$tmp/${kbuild}_"*.deb "$dir"
		sed -i "s|^include /usr/src/|include $dir/usr/src/|" "$hdr/Makefile"
		;;
	esac
	rm -rf "$tmp"
	touch "$dir/.$part"
}

# fetch_kernel KERNEL [image|headers]...: both parts by default. Serialised
# per cache: several make runs may fetch at once. The debug kernel is built
# (both parts at once; scripts/vm/debug-kernel.bash).
fetch_kernel() {
	local kver=$1 part lock
	shift
	if kernel_is_debug "$kver"; then
		debug_kernel_build
		return
	fi
	[ $# -gt 0 ] || set -- headers image
	kernel_version "$kver" >/dev/null
	mkdir -p "$CACHE/kernel"
	exec {lock}>"$CACHE/kernel/.lock"
	flock "$lock"
	for part in "$@"; do
		fetch_part "$kver" "$part"
	done
	exec {lock}>&-
}

# shellcheck source=scripts/vm/debug-kernel.bash
. "$TOP/scripts/vm/debug-kernel.bash"
