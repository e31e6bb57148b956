#!/usr/bin/env bats
# Building a driver outside the tree: against the build tree with
# build/lib/libumdp-uninstalled.pc, and against `make install`'s files. The
# guest's root is an overlay, so `make install` here changes nothing on the
# host.

load helpers

setup_file() {
	umdp_require_guest
	MULTIARCH=$(cc -print-multiarch)
	export MULTIARCH
}

setup() {
	SRC=$BATS_TEST_TMPDIR/src
	mkdir -p "$SRC"
	cp "$UMDP_TOP/examples/umdp-io.c" "$UMDP_TOP/examples/example.h" "$SRC/"
}

teardown() {
	umdp_unload
	# `make install PREFIX=/usr` rewrote build/lib/libumdp.pc for /usr
	make -s -C "$UMDP_TOP" lib >/dev/null
}

# uninstalled_pc ARGS...: pkg-config on the build tree's .pc
uninstalled_pc() {
	PKG_CONFIG_PATH=$UMDP_TOP/build/lib pkg-config "$@" libumdp-uninstalled
}

@test "libumdp-uninstalled.pc points at the tree's headers (libumdp, uapi) and build/lib" {
	run uninstalled_pc --cflags
	assert_success
	assert_output --partial "-I$UMDP_TOP/libumdp"
	assert_output --partial "-I$UMDP_TOP/configfs_umdp/include/uapi"
	run uninstalled_pc --libs
	assert_output --partial "-L$UMDP_TOP/build/lib"
	assert_output --partial "-lumdp"
}

@test "a driver builds outside the tree with only libumdp-uninstalled.pc and drives a grant" {
	cd "$SRC"
	# shellcheck disable=SC2046 # pkg-config's flags are separate words
	cc -std=gnu11 -Wall -Wextra -Werror -o umdp-io umdp-io.c \
		$(uninstalled_pc --cflags --libs)
	run ldd ./umdp-io
	assert_output --regexp "libumdp\.so\.0 => $UMDP_TOP/build/lib/libumdp\.so\.0"
	umdp_load
	umdp_exe io "$SRC/umdp-io"
	umdp_grant io td ioports=0xe0-0xe3 enable=1
	umdp_settle
	run ./umdp-io td write32 0xe0 0x12345678
	assert_success
	run ./umdp-io td read8 0xe1
	assert_success
	assert_output 0x56
}

@test "make install DESTDIR PREFIX=/usr: libumdp.pc for the multiarch libdir and /usr/include, headers, man pages" {
	local dest=$BATS_TEST_TMPDIR/dest pc
	run make -C "$UMDP_TOP" install DESTDIR="$dest" PREFIX=/usr
	assert_success
	pc=$dest/usr/lib/$MULTIARCH/pkgconfig/libumdp.pc
	assert [ -f "$pc" ]
	run grep -E '^(libdir|includedir)=' "$pc"
	assert_output "libdir=/usr/lib/$MULTIARCH
includedir=/usr/include"
	assert [ -f "$dest/usr/include/umdp.h" ]
	assert [ -f "$dest/usr/include/linux/umdp.h" ]
	assert [ -L "$dest/usr/lib/$MULTIARCH/libumdp.so" ]
	assert [ -f "$dest/usr/share/man/man7/umdp.7" ]
	assert [ -f "$dest/usr/share/man/man3/libumdp.3" ]
	# and a driver compiles against what was installed, nothing else
	cd "$SRC"
	# shellcheck disable=SC2046
	cc -std=gnu11 -Wall -Wextra -Werror -o umdp-io umdp-io.c \
		$(PKG_CONFIG_PATH=$dest/usr/lib/$MULTIARCH/pkgconfig \
			PKG_CONFIG_SYSROOT_DIR=$dest pkg-config --cflags --libs libumdp)
	assert [ -x umdp-io ]
}

@test "the man pages render without warnings (groff -ww, mandoc -T lint)" {
	local page
	command -v groff >/dev/null || skip "groff is not installed (groff-base)"
	for page in "$UMDP_TOP"/man/*.[3578]; do
		run groff -ww -man -Tutf8 -z "$page"
		assert_success
		assert_output ""
	done
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	for page in "$UMDP_TOP"/man/*.[3578]; do
		run mandoc -T lint "$page"
		assert_success
		assert_output ""
	done
}
