# umdpctl(8), in the system pair's first boot (it is shell over configfs, the
# same on every kernel): list/show, apply (idempotent, all or nothing per grant,
# --dry-run, --prune), save (round trip), revoke, explain, driver; the grant
# file format of umdp-grants.d(5) and its errors (file:line, nothing changed).

load system

CTL=$UMDP_TOP/scripts/umdpctl

setup_file() {
	umdp_load
	umdp_test_user
}

setup() {
	umdp_clear
	testdev_lines_low
	D=$BATS_TEST_TMPDIR
	export UMDP_GRANTS_DIR=$D/grants.d
	mkdir -p "$UMDP_GRANTS_DIR"
}

teardown() {
	umdp_clear
}

teardown_file() {
	umdp_unload
}

# Two grants on pc-testdev's ports and a free ISA line, for two programs.
two_grants() {
	cat >"$UMDP_GRANTS_DIR/td.conf" <<EOF
# pc-testdev, two drivers
[grant td1]
path = $UMDP_TESTS/umdp-iocheck
ioports = 0xe0-0xe3
irqs = 5
owner = umdptest
mode = 0600

; the second one
[grant td2]
path=$UMDP_TESTS/umdp-irqcheck
ioports=0xe8+4
exclusive=0
EOF
}

# The whole tree: every grant's attributes, enable included, by path.
tree() {
	local f
	for f in "$UMDP_CFS"/*/path "$UMDP_CFS"/*/*/*; do
		[ -f "$f" ] || continue
		case $f in */last_error) continue ;; esac
		printf '%s=%s\n' "${f#"$UMDP_CFS"/}" "$(cat "$f")"
	done
}

# node_id GRANT: the node's inode and change time (a re-enable makes a new node).
node_id() {
	stat -c '%i %Z.%z' "/dev/umdp/$1"
}

@test "apply creates the grants a file describes, enabled, nodes owned as asked" {
	two_grants
	run "$CTL" apply
	assert_success
	assert_line "td1: created (new)"
	assert_line "td2: created (new)"
	assert_equal "$(cat "$UMDP_CFS/umdp-iocheck/td1/enable")" 1
	assert_equal "$(cat "$UMDP_CFS/umdp-iocheck/td1/ioports")" 0xe0-0xe3
	assert_equal "$(cat "$UMDP_CFS/umdp-irqcheck/td2/exclusive")" 0
	umdp_settle
	assert_equal "$(stat -c '%U %a' /dev/umdp/td1)" "umdptest 600"
	[ -e /dev/umdp/td2 ]
}

@test "apply twice: the second run changes nothing and says so" {
	two_grants
	"$CTL" apply
	umdp_settle
	local before id1
	before=$(tree)
	id1=$(node_id td1)
	run "$CTL" apply
	assert_success
	assert_line "td1: unchanged"
	assert_line "td2: unchanged"
	assert_line "nothing to change: 2 grant(s) as the files say"
	assert_equal "$(tree)" "$before"
	assert_equal "$(node_id td1)" "$id1"
}

@test "a changed grant is revoked and enabled again; the unchanged one keeps its node" {
	two_grants
	"$CTL" apply
	umdp_settle
	local id2
	id2=$(node_id td2)
	sed -i 's/^ioports = 0xe0-0xe3/ioports = 0xe0-0xe1/' "$UMDP_GRANTS_DIR/td.conf"
	run "$CTL" apply
	assert_success
	assert_line "td1: changed (ioports)"
	assert_line "td2: unchanged"
	assert_equal "$(cat "$UMDP_CFS/umdp-iocheck/td1/ioports")" 0xe0-0xe1
	assert_equal "$(cat "$UMDP_CFS/umdp-iocheck/td1/enable")" 1
	assert_equal "$(node_id td2)" "$id2"
}

@test "apply --dry-run prints the mkdir and echo lines and changes nothing" {
	two_grants
	run "$CTL" apply --dry-run
	assert_success
	assert_line "mkdir $UMDP_CFS/umdp-iocheck"
	assert_line "mkdir $UMDP_CFS/umdp-iocheck/td1"
	assert_line "echo 0xe0-0xe3 > $UMDP_CFS/umdp-iocheck/td1/ioports"
	assert_line "echo 1 > $UMDP_CFS/umdp-iocheck/td1/enable"
	assert_line "dry run: 2 grant(s) would change"
	assert_equal "$(tree)" ""
}

@test "grants in no file are left alone, and removed with --prune" {
	umdp_exe other /bin/true
	umdp_grant other keep ioports=0xe4 enable=1
	two_grants
	run "$CTL" apply
	assert_success
	refute_line --partial "keep"
	assert_equal "$(cat "$UMDP_CFS/other/keep/enable")" 1
	run "$CTL" apply --prune
	assert_success
	assert_line "keep: removed (in no file)"
	[ ! -e "$UMDP_CFS/other" ]
	assert_equal "$(cat "$UMDP_CFS/umdp-iocheck/td1/enable")" 1
}

@test "save then apply on an empty tree reproduces the tree exactly" {
	umdp_exe prog /bin/true
	umdp_grant prog g1 ioports=0xe0-0xe3,0xe8+4 irqs=5,7 owner=umdptest group=umdptest mode=0640 enable=1
	umdp_grant prog g2 ioports=0x60,0x64 exclusive=0 unsafe=1
	umdp_exe other /bin/false
	umdp_grant other g3 irqs=10 mode=0666 enable=1
	local before
	before=$(tree)
	run "$CTL" save "$D/saved.conf"
	assert_success
	run grep -c '^\[grant ' "$D/saved.conf"
	assert_output 3
	umdp_clear
	assert_equal "$(tree)" ""
	run "$CTL" apply "$D/saved.conf"
	assert_success
	assert_equal "$(tree)" "$before"
	run "$CTL" apply "$D/saved.conf"
	assert_line "nothing to change: 3 grant(s) as the files say"
}

# malformed FILE-CONTENT EXPECTED-MESSAGE: apply fails naming file:line,
# and the (non-empty) tree is unchanged.
malformed() {
	two_grants
	"$CTL" apply >/dev/null
	local before
	before=$(tree)
	printf '%s\n' "$1" >"$UMDP_GRANTS_DIR/zz-bad.conf"
	run "$CTL" apply
	assert_failure 1
	assert_output --partial "$2"
	assert_output --partial "nothing changed"
	assert_equal "$(tree)" "$before"
}

@test "an unknown key is file:line and changes nothing" {
	malformed $'[grant bad]\npath=/bin/true\nioport=0x70' \
		"$UMDP_GRANTS_DIR/zz-bad.conf:3: unknown key 'ioport'"
}

@test "a bad range is file:line with the kernel's reason and changes nothing" {
	malformed $'[grant bad]\npath=/bin/true\nioports=0x70-0x10000' \
		"$UMDP_GRANTS_DIR/zz-bad.conf:3: ioports=0x70-0x10000: Invalid argument"
}

@test "a duplicate grant is file:line, naming the first, and changes nothing" {
	malformed $'[grant td1]\npath=/bin/true' \
		"$UMDP_GRANTS_DIR/zz-bad.conf:1: duplicate grant 'td1' (first at $UMDP_GRANTS_DIR/td.conf:2)"
}

@test "a grant without path is file:line and changes nothing" {
	malformed $'\n[grant nopath]\nioports=0x70' \
		"$UMDP_GRANTS_DIR/zz-bad.conf:2: grant 'nopath' has no path="
}

@test "a line that is no key, header or comment is file:line and changes nothing" {
	malformed $'[grant junk]\npath=/bin/true\nioports 0x70' \
		"$UMDP_GRANTS_DIR/zz-bad.conf:3: not a [grant NAME] header"
}

@test "an unreadable file is named and changes nothing" {
	two_grants
	"$CTL" apply >/dev/null
	local before
	before=$(tree)
	run "$CTL" apply "$UMDP_GRANTS_DIR/td.conf" "$D/missing.conf"
	assert_failure 1
	assert_output --partial "$D/missing.conf: cannot read: no such file"
	assert_equal "$(tree)" "$before"
	local pub
	pub=$(mktemp -d /tmp/umdpctl.XXXXXX)
	chmod 755 "$pub"
	echo '[grant x]' >"$pub/secret.conf"
	chmod 000 "$pub/secret.conf"
	run runuser -u umdptest -- "$CTL" apply "$pub/secret.conf"
	rm -rf "$pub"
	assert_failure 1
	assert_output --partial "$pub/secret.conf: cannot read: permission denied"
	assert_equal "$(tree)" "$before"
}

@test "a grant whose enable fails is rolled back to what it was, naming file:line and the cause" {
	two_grants
	"$CTL" apply >/dev/null
	umdp_exe other /bin/true
	umdp_grant other blocker ioports=0xe4-0xe7 enable=1
	local before
	before=$(tree)
	sed -i 's/^ioports = 0xe0-0xe3/ioports = 0xe4-0xe7/' "$UMDP_GRANTS_DIR/td.conf"
	run "$CTL" apply
	assert_failure 1
	assert_output --partial "$UMDP_GRANTS_DIR/td.conf:2: grant td1: enable:"
	assert_output --partial "0xe4"
	assert_output --partial "nothing changed"
	assert_equal "$(tree)" "$before"
	[ -e /dev/umdp/td1 ]
}

@test "list shows each grant's state, program, owner, mode, holder and IRQ counts; --json is JSON" {
	two_grants
	"$CTL" apply >/dev/null
	umdp_settle
	run "$CTL" list
	assert_success
	assert_line --index 0 --regexp '^GRANT +STATE +PROGRAM +OWNER +MODE +HOLDER +IRQS$'
	assert_line --regexp '^td1 +enabled +umdp-iocheck +umdptest +0600 +- +5:0$'
	assert_line --regexp '^td2 +enabled +umdp-irqcheck +- +- +- *$'
	run "$CTL" list --json
	assert_success
	run python3 -c 'import json, sys; d = json.load(sys.stdin); print(d[0]["grant"], d[0]["state"], d[0]["owner"], d[0]["holder_pid"], d[0]["irq_counts"])' <<<"$output"
	assert_success
	assert_output "td1 enabled umdptest None {'5': 0}"
	run "$CTL" show td1
	assert_success
	assert_line --regexp '^ioports +0xe0-0xe3$'
	assert_line --regexp '^node +/dev/umdp/td1 umdptest:root 600$'
	run "$CTL" show nosuch
	assert_failure 1
	assert_output --partial "no grant 'nosuch'"
}

@test "revoke disables a grant and removes its node; apply enables it again" {
	two_grants
	"$CTL" apply >/dev/null
	run "$CTL" revoke td1
	assert_success
	assert_output "td1: revoked"
	umdp_settle
	[ ! -e /dev/umdp/td1 ]
	run "$CTL" apply
	assert_line "td1: enabled"
	umdp_settle
	[ -e /dev/umdp/td1 ]
	run "$CTL" revoke nosuch
	assert_failure 1
}

@test "explain says why a program cannot open a grant" {
	two_grants
	"$CTL" apply >/dev/null
	umdp_exe other /bin/true
	umdp_grant other bad irqs=199
	run umdp_write "$UMDP_CFS/other/bad/enable" 1
	assert_output --regexp "^E[A-Z]+"
	run "$CTL" explain bad
	assert_failure 1
	assert_output --partial "grant 'bad' is not enabled: its last enable failed:"
	assert_output --partial "199"
	run "$CTL" explain td1 /bin/true
	assert_failure 1
	assert_output "grant 'td1' is for $UMDP_TESTS/umdp-iocheck, not /bin/true: only that program may open it (EACCES)"
	run "$CTL" explain td1 "$UMDP_TESTS/umdp-iocheck"
	assert_success
	assert_output --partial "nothing stops $UMDP_TESTS/umdp-iocheck from opening grant 'td1'"
	run "$CTL" explain nosuch
	assert_failure 1
	assert_output --partial "no grant 'nosuch'"
}

@test "driver runs the grant's driver= as its owner; --check is false without one" {
	two_grants
	echo "driver = /usr/bin/id -un" >>"$UMDP_GRANTS_DIR/td.conf"
	sed -i 's/^exclusive=0/exclusive=0\nowner=umdptest/' "$UMDP_GRANTS_DIR/td.conf"
	"$CTL" apply >/dev/null
	run "$CTL" driver --check td2
	assert_success
	run "$CTL" driver --check td1
	assert_failure 1
	run "$CTL" driver td2
	assert_success
	assert_output umdptest
	run "$CTL" driver td1
	assert_failure 1
	assert_output --partial "grant 'td1' has no driver="
}
