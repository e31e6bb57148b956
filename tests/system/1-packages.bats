# Boot 1 of the system pair (scripts/check --system): the Debian packages
# installed with dpkg -i, make demo's three grants written as files in
# /etc/umdp/grants.d and applied with umdpctl, the drivers working from the
# installed examples. The packages, the files and the umdp-demo user stay
# for boot 2 (2-reboot.bats), which boots systemd on the same state.

load system

DEB=$UMDP_TOP/build/deb
EX=/usr/lib/umdp/examples
GRANTS=/etc/umdp/grants.d
VM=$UMDP_TOP/scripts/umdp-vm

setup_file() {
	umdp_require_guest
	system_kernel_setup
	id umdp-demo >/dev/null 2>&1 || useradd -M -s /bin/false umdp-demo
}

# fb_conf: the bochsfb grant file with this machine's VGA BARs.
fb_conf() {
	local vga
	vga=$(pci_dir 0x1234 0x1111)
	sed "s|^mem = .*|mem = $(pci_bar "$vga" 0),wc,$(pci_bar "$vga" 2)|" \
		"$UMDP_TOP/examples/grants.d/bochsfb.conf"
}

@test "the four packages install with dpkg -i and DKMS builds umdp for this kernel" {
	local -a debs
	mapfile -t debs < <(ls "$DEB"/umdp-dkms_*.deb "$DEB"/libumdp0_*.deb \
		"$DEB"/libumdp-dev_*.deb "$DEB"/umdp-tools_*.deb 2>/dev/null)
	[ "${#debs[@]}" -eq 4 ] || fail "no packages in $DEB (the host builds them: make deb)"
	local t0=$SECONDS
	DEBIAN_FRONTEND=noninteractive run dpkg -i "${debs[@]}"
	echo "# dpkg -i (DKMS build): $((SECONDS - t0)) s" >&3
	assert_success
	local pkg
	for pkg in umdp-dkms libumdp0 libumdp-dev umdp-tools; do
		run dpkg-query -W -f '${db:Status-Abbrev}' "$pkg"
		assert_output "ii "
	done
	run modinfo -n umdp
	assert_output --regexp "/updates/dkms/umdp\.ko(\.[a-z]+)?$"
	[ -x /usr/sbin/umdpctl ]
	[ -x "$EX/ps2kbd" ]
}

@test "make demo's three grants come up from files in /etc/umdp/grants.d, owned by umdp-demo" {
	mkdir -p "$GRANTS"
	cp "$UMDP_TOP/examples/grants.d/ps2kbd.conf" "$UMDP_TOP/examples/grants.d/edu.conf" "$GRANTS/"
	fb_conf >"$GRANTS/bochsfb.conf"
	modprobe umdp
	run umdpctl apply
	assert_success
	assert_line "kbd: created (new)"
	assert_line "edu: created (new)"
	assert_line "fb: created (new)"
	umdp_settle
	for g in kbd edu fb; do
		assert_equal "$(stat -c %U "/dev/umdp/$g")" umdp-demo
	done
	run umdpctl apply
	assert_line "nothing to change: 3 grant(s) as the files say"
}

@test "the installed drivers work on those grants as umdp-demo" {
	local out=$BATS_TEST_TMPDIR/kbd.out
	run runuser -u umdp-demo -- "$EX/edu" --msi --dma edu 5
	assert_success
	assert_line "5! = 120"
	setpriv --reuid=umdp-demo --regid=umdp-demo --init-groups -- \
		"$EX/ps2kbd" -n 1 kbd >"$out" 2>&1 &
	local pid=$!
	wait_for_line "$out" "keyboard ready"
	"$VM" type 'boot one\n'
	wait "$pid"
	run cat "$out"
	assert_line "boot one"
}

@test "the grants are revoked and umdp unloaded before the reboot; files and packages stay" {
	run umdpctl revoke kbd edu fb
	assert_success
	umdp_settle
	[ -z "$(ls -A /dev/umdp 2>/dev/null)" ]
	umdp_clear
	rmmod umdp
	[ -f "$GRANTS/ps2kbd.conf" ]
	dpkg -s umdp-tools >/dev/null
}
