# shellcheck shell=bash
# Host side: the debug kernel, "debug" to the harness (make check
# KERNEL=debug, umdp-vm --kernel debug, make module KVER=debug).
#
# Sourced by scripts/vm/kernels.bash, after its own functions (try_debs).
# Debian's linux-source package at the version pinned in debug-kernel.pin is
# fetched with `apt-get download` and extracted with dpkg-deb -x (nothing is
# installed on the machine), configured from `make x86_64_defconfig
# kvm_guest.config` plus scripts/vm/debug.config, and built once into
#
#   ${UMDP_DEBUG_CACHE:-/var/cache/umdp}/debug-kernel/<version>-<hash>/
#     bzImage              what the guest boots
#     lib/modules/<rel>/   make modules_install (modules.builtin: the
#                          initramfs then loads nothing)
#     build/               the built source tree, with Module.symvers: the
#                          KDIR umdp.ko is built against
#     config, kernel.release, build.log, build-seconds
#
# <hash> covers the fragment's settings (not its comments) and the base
# configs: a new version or a changed setting builds a new kernel; nothing
# else does. The build runs under flock (several make runs may ask at once),
# at nice 19 with make -j2 always: it must not starve whatever else the
# machine runs. An interrupted build resumes where make stopped.

: "${TOP:?}"
DEBUG_KERNEL=debug
DEBUG_PIN=$TOP/debug-kernel.pin
DEBUG_FRAGMENT=$TOP/scripts/vm/debug.config
DEBUG_BASE_CONFIGS=(x86_64_defconfig kvm_guest.config)
DEBUG_CACHE=${UMDP_DEBUG_CACHE:-/var/cache/umdp}/debug-kernel
# What building a kernel takes beyond deps.sh's packages.
DEBUG_BUILD_PACKAGES=(bison flex bc libelf-dev libssl-dev)
DEBUG_MAKE=(nice -n 19 make -j2)

kernel_is_debug() {
	[ "$1" = "$DEBUG_KERNEL" ]
}

# "PACKAGE VERSION", the pin's one line.
debug_pin() {
	local pin
	pin=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$DEBUG_PIN")
	if [ "$(printf '%s\n' "$pin" | wc -l)" -ne 1 ] || [ "$(printf '%s\n' "$pin" | wc -w)" -ne 2 ]; then
		kernels_die "$DEBUG_PIN: want one line \"PACKAGE VERSION\""
	fi
	printf '%s\n' "$pin"
}

debug_package() {
	debug_pin | awk '{ print $1 }'
}

debug_version() {
	debug_pin | awk '{ print $2 }'
}

# The fragment's settings and the base configs, not its comments.
debug_config_hash() {
	{
		printf '%s\n' "${DEBUG_BASE_CONFIGS[*]}"
		debug_fragment_settings
	} | sha256sum | cut -c1-12
}

debug_kernel_dir() {
	printf '%s/%s-%s\n' "$DEBUG_CACHE" "$(debug_version)" "$(debug_config_hash)"
}

# The release (uname -r) of the built kernel.
debug_release() {
	local f
	f=$(debug_kernel_dir)/kernel.release
	[ -f "$f" ] || kernels_die "the debug kernel is not built (make module KVER=debug builds it)"
	cat "$f"
}

debug_build_deps() {
	local pkg status
	local -a missing=()
	for pkg in "${DEBUG_BUILD_PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
		[[ "$status" == ii* ]] || missing+=("$pkg")
	done
	[ "${#missing[@]}" -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] ||
		kernels_die "building the debug kernel needs, as root: apt-get install --no-install-recommends ${missing[*]}"
	printf 'umdp: installing %s (to build the debug kernel)\n' "${missing[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" </dev/null >/dev/null
}

# debug_fetch_source DIR: the pinned source tree as DIR/build.
debug_fetch_source() {
	local dir=$1 pkg ver tmp tarball
	pkg=$(debug_package)
	ver=$(debug_version)
	tmp=$(mktemp -d "$DEBUG_CACHE/fetch.XXXXXX")
	chmod 755 "$tmp"
	printf 'umdp: fetching %s=%s\n' "$pkg" "$ver" >&2
	if ! try_debs "$tmp" "$pkg=$ver"; then
		sed 's/^/  /' "$tmp/apt.log" >&2
		rm -rf "$tmp"
		kernels_die "apt-get download $pkg=$ver failed (not root for apt-get update, or the version left the archive: update debug-kernel.pin)"
	fi
	dpkg-deb -x "$tmp/${pkg}_"*.deb "$tmp/x"
	tarball=$(find "$tmp/x/usr/src" -maxdepth 1 -name "$pkg.tar.*" | head -n 1)
	[ -n "$tarball" ] || kernels_die "$pkg: no /usr/src/$pkg.tar.* in the package"
	tar -xf "$tarball" -C "$tmp"
	[ -f "$tmp/$pkg/Makefile" ] || kernels_die "$pkg: the tarball holds no $pkg/Makefile"
	mv "$tmp/$pkg" "$dir/build"
	rm -rf "$tmp"
}

# The fragment's settings, one per line: "CONFIG_X=value" or "CONFIG_X=n"
# for "# CONFIG_X is not set".
debug_fragment_settings() {
	sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*=.*\)$/\1/p' \
		-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' "$DEBUG_FRAGMENT"
}

# debug_verify_config CONFIG: every setting of the fragment made it through
# olddefconfig (a dependency it lacks or a select it loses to drops it
# silently). Lists each one that did not, and fails.
debug_verify_config() {
	local config=$1 setting opt want got bad=0
	while read -r setting; do
		opt=${setting%%=*}
		want=${setting#*=}
		got=$(sed -n "s/^$opt=//p" "$config")
		[ -n "$got" ] || got=n
		if [ "$got" != "$want" ]; then
			printf 'umdp: debug kernel: %s is %s in the .config, the fragment asks for %s\n' \
				"$opt" "$got" "$want" >&2
			bad=1
		fi
	done < <(debug_fragment_settings)
	[ "$bad" -eq 0 ] ||
		kernels_die "olddefconfig did not keep $DEBUG_FRAGMENT (see above): fix the fragment"
}

# debug_configure TREE: the base configs, the fragment, olddefconfig.
debug_configure() {
	local tree=$1
	"${DEBUG_MAKE[@]}" -C "$tree" "${DEBUG_BASE_CONFIGS[@]}"
	(cd "$tree" && nice -n 19 scripts/kconfig/merge_config.sh -m .config "$DEBUG_FRAGMENT")
	"${DEBUG_MAKE[@]}" -C "$tree" olddefconfig
	debug_verify_config "$tree/.config"
	debug_fragment_settings >"$tree/.umdp-fragment"
}

# debug_compile DIR: bzImage, modules, modules_install into DIR.
debug_compile() {
	local dir=$1 tree=$1/build
	"${DEBUG_MAKE[@]}" -C "$tree" bzImage modules
	rm -rf "${dir:?}/lib"
	"${DEBUG_MAKE[@]}" -C "$tree" INSTALL_MOD_PATH="$dir" modules_install
	make -s -C "$tree" kernelrelease >"$dir/kernel.release"
	cp "$tree/arch/x86/boot/bzImage" "$dir/bzImage"
	cp "$tree/.config" "$dir/config"
	[ -f "$tree/Module.symvers" ] || kernels_die "debug kernel: no Module.symvers in $tree"
	[ -f "$dir/lib/modules/$(cat "$dir/kernel.release")/modules.builtin" ] ||
		kernels_die "debug kernel: modules_install wrote no modules.builtin"
}

# debug_build DIR: fetch, configure, compile; resumes a build that stopped
# after its configuration (same fragment), restarts anything else.
debug_build() {
	local dir=$1 t0
	t0=$(date +%s)
	if ! debug_fragment_settings | cmp -s - "$dir/build/.umdp-fragment" 2>/dev/null; then
		rm -rf "${dir:?}"
		mkdir -p "$dir"
		debug_fetch_source "$dir"
		debug_configure "$dir/build"
	fi
	debug_compile "$dir"
	echo $(($(date +%s) - t0)) >"$dir/build-seconds"
}

# debug_kernel_build: the debug kernel, built once (serialised).
debug_kernel_build() {
	local dir lock rc=0
	dir=$(debug_kernel_dir)
	[ -f "$dir/.built" ] && return 0
	mkdir -p "$DEBUG_CACHE" 2>/dev/null ||
		kernels_die "cannot create $DEBUG_CACHE for the debug kernel (run as root, or set UMDP_DEBUG_CACHE)"
	exec {lock}>"$DEBUG_CACHE/.lock"
	if ! flock -n "$lock"; then
		printf 'umdp: waiting for the debug kernel build that holds %s\n' "$DEBUG_CACHE/.lock" >&2
		flock "$lock"
	fi
	if [ ! -f "$dir/.built" ]; then
		debug_build_deps
		printf 'umdp: building the debug kernel (%s %s, config %s) in %s at nice 19, make -j2: 30-60 min; log: %s\n' \
			"$(debug_package)" "$(debug_version)" "$(debug_config_hash)" "$dir" "$dir/build.log" >&2
		mkdir -p "$dir"
		# A bash of its own: errexit holds there even when this function
		# runs where it is off (under `if`, `||`).
		# shellcheck disable=SC2016 # expanded by that bash
		UMDP_DEBUG_CACHE=${DEBUG_CACHE%/debug-kernel} "$BASH" -c \
			'set -euo pipefail; TOP=$1; . "$TOP/scripts/vm/kernels.bash"; debug_build "$2"' \
			debug-build "$TOP" "$dir" >"$DEBUG_CACHE/build.log" 2>&1 || rc=$?
		mv "$DEBUG_CACHE/build.log" "$dir/build.log" 2>/dev/null || true
		if [ "$rc" -ne 0 ]; then
			tail -n 30 "$dir/build.log" | sed 's/^/  /' >&2
			kernels_die "the debug kernel did not build (status $rc; log: $dir/build.log)"
		fi
		touch "$dir/.built"
		printf 'umdp: debug kernel %s built in %s s\n' "$(cat "$dir/kernel.release")" \
			"$(cat "$dir/build-seconds")" >&2
	fi
	exec {lock}>&-
}
