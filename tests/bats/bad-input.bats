#!/usr/bin/env bats
# Bad input to every configfs attribute gets a precise errno and changes
# nothing: each row asserts the errno and that every attribute of the grant
# (and its exe group's path) still reads back its previous value.
# "Empty" is what `echo > attr` writes, a lone newline (configfs itself
# answers a zero-byte write with EFAULT before umdp sees it).

load helpers

setup_file() {
	umdp_load
}

teardown_file() {
	umdp_unload
}

setup() {
	umdp_clear
	umdp_exe drv /bin/true
	umdp_grant drv g ioports=0xe0-0xe3 irqs=5 mem=0xff000000+0x10000 \
		owner=root group=root mode=0600 exclusive=1
	BEFORE=$(umdp_snapshot drv g)
}

teardown() {
	umdp_clear
}

# rejects ATTR VALUE ERRNO [REPEAT]
rejects() {
	local file=$UMDP_CFS/drv/g/$1
	[ "$1" = path ] && file=$UMDP_CFS/drv/path
	run umdp_write "$file" "$2" "${4:-1}"
	assert_failure
	assert_output "$3"
	assert_equal "$(umdp_snapshot drv g)" "$BEFORE"
}

# accepts ATTR VALUE EXPECTED-READBACK
accepts() {
	run umdp_write "$UMDP_CFS/drv/g/$1" "$2"
	assert_success
	assert_equal "$(cat "$UMDP_CFS/drv/g/$1")" "$3"
}

@test "ioports: garbage is EINVAL" { rejects ioports 'hello' EINVAL; }
@test "ioports: negative is EINVAL" { rejects ioports '-1' EINVAL; }
@test "ioports: more than 64 bits is EINVAL" { rejects ioports '0x1ffffffffffffffff' EINVAL; }
@test "ioports: a reversed range is EINVAL" { rejects ioports '0x64-0x60' EINVAL; }
@test "ioports: length 0 is EINVAL" { rejects ioports '0x60+0' EINVAL; }
@test "ioports: a port above 0xffff is EINVAL" { rejects ioports '0x10000' EINVAL; }
@test "ioports: a range ending above 0xffff is EINVAL" { rejects ioports '0xfff0-0x10000' EINVAL; }
@test "ioports: a span that wraps is EINVAL" { rejects ioports '0xfff0+0x20' EINVAL; }
@test "ioports: a length of 2^64-1 is EINVAL" { rejects ioports '0x10+0xffffffffffffffff' EINVAL; }
@test "ioports: trailing junk is EINVAL" { rejects ioports '0x60x' EINVAL; }
@test "ioports: a trailing comma is EINVAL" { rejects ioports '0x60,' EINVAL; }
@test "ioports: two newlines are EINVAL" { rejects ioports '0x60\n\n' EINVAL; }
@test "ioports: an embedded NUL is EINVAL" { rejects ioports '0x60\x00,0x64' EINVAL; }
@test "ioports: a 4 KiB write is EINVAL" { rejects ioports '0x60,' EINVAL 820; }
@test "ioports: overlapping items are EINVAL" { rejects ioports '0x60-0x64,0x62' EINVAL; }
@test "ioports: more than 16 items are EINVAL" {
	rejects ioports '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17' EINVAL
}
@test "ioports: empty means none" { accepts ioports '\n' ''; }
@test "ioports: hex, decimal, a-b and a+len read back canonical" {
	accepts ioports '0x60,100,0x1f0-0x1f7,0x3f8+8\n' '0x60,0x64,0x1f0-0x1f7,0x3f8-0x3ff'
}

@test "irqs: garbage is EINVAL" { rejects irqs 'one' EINVAL; }
@test "irqs: negative is EINVAL" { rejects irqs '-5' EINVAL; }
@test "irqs: more than 64 bits is EINVAL" { rejects irqs '18446744073709551616' EINVAL; }
@test "irqs: a reversed range is EINVAL" { rejects irqs '12-5' EINVAL; }
@test "irqs: a duplicate is EINVAL" { rejects irqs '5,5' EINVAL; }
@test "irqs: trailing junk is EINVAL" { rejects irqs '5;' EINVAL; }
@test "irqs: an embedded NUL is EINVAL" { rejects irqs '5\x007' EINVAL; }
@test "irqs: a 4 KiB write is EINVAL" { rejects irqs '1,' EINVAL 2048; }
@test "irqs: empty means none" { accepts irqs '\n' ''; }
@test "irqs: decimal and hex read back decimal" { accepts irqs '0xa,7' '10,7'; }

@test "mem: garbage is EINVAL" { rejects mem 'memory' EINVAL; }
@test "mem: an unaligned start is EINVAL" { rejects mem '0xff000800+0x1000' EINVAL; }
@test "mem: an unaligned length is EINVAL" { rejects mem '0xff000000+0x800' EINVAL; }
@test "mem: length 0 is EINVAL" { rejects mem '0xff000000+0' EINVAL; }
@test "mem: a span that wraps is EINVAL" { rejects mem '0xfffffffffffff000+0x2000' EINVAL; }
@test "mem: negative is EINVAL" { rejects mem '-4096+4096' EINVAL; }
@test "mem: more than 64 bits is EINVAL" { rejects mem '0x10000000000000000+0x1000' EINVAL; }
@test "mem: a bad cache flag is EINVAL" { rejects mem '0xff000000+0x1000,uc' EINVAL; }
@test "mem: an embedded NUL is EINVAL" { rejects mem '0xff000000\x00+0x1000' EINVAL; }
@test "mem: a 4 KiB write is EINVAL" { rejects mem 'x' EINVAL 4096; }
@test "mem: empty means none" { accepts mem '\n' ''; }
@test "mem: ,wc is kept and read back" {
	accepts mem '0xfd000000+0x1000000,wc' '0xfd000000+0x1000000,wc'
}

@test "owner: a name with a space is EINVAL" { rejects owner 'bad name' EINVAL; }
@test "owner: an embedded NUL is EINVAL" { rejects owner 'ro\x00ot' EINVAL; }
@test "owner: a 4 KiB write is EINVAL" { rejects owner 'a' EINVAL 4096; }
@test "group: a quote is EINVAL" { rejects group 'x"y' EINVAL; }
@test "group: a 33-character name is EINVAL" { rejects group 'abcdefghijklmnopqrstuvwxyzabcdefg' EINVAL; }
@test "mode: garbage is EINVAL" { rejects mode 'rw' EINVAL; }
@test "mode: a non-octal digit is EINVAL" { rejects mode '0659' EINVAL; }
@test "mode: above 0777 is EINVAL" { rejects mode '01000' EINVAL; }
@test "mode: negative is EINVAL" { rejects mode '-1' EINVAL; }
@test "exclusive: 2 is EINVAL" { rejects exclusive '2' EINVAL; }
@test "exclusive: yes is EINVAL" { rejects exclusive 'yes' EINVAL; }
@test "exclusive: empty is EINVAL" { rejects exclusive '\n' EINVAL; }
@test "unsafe: 2 is EINVAL" { rejects unsafe '2' EINVAL; }
@test "unsafe: yes is EINVAL" { rejects unsafe 'yes' EINVAL; }
@test "unsafe: empty is EINVAL" { rejects unsafe '\n' EINVAL; }
@test "enable: 2 is EINVAL" { rejects enable '2' EINVAL; }
@test "enable: empty is EINVAL" { rejects enable '\n' EINVAL; }
@test "enable: trailing junk is EINVAL" { rejects enable '1x' EINVAL; }
@test "path: a relative path is EINVAL" { rejects path 'bin/true' EINVAL; }
@test "path: an embedded NUL is EINVAL" { rejects path '/bin\x00/true' EINVAL; }
@test "path: a 4 KiB write is EINVAL" { rejects path '/' EINVAL 4096; }
@test "path: 1024 bytes is EINVAL (it would not fit the node's uevent)" { rejects path '/' EINVAL 1024; }

@test "every attribute is EBUSY while the grant is enabled" {
	echo > "$UMDP_CFS/drv/g/irqs"
	echo 0 > "$UMDP_CFS/drv/g/exclusive"
	echo 1 > "$UMDP_CFS/drv/g/enable"
	BEFORE=$(umdp_snapshot drv g)
	rejects ioports '0xe0' EBUSY
	rejects irqs '7' EBUSY
	rejects mem '\n' EBUSY
	rejects owner 'nobody' EBUSY
	rejects group 'nogroup' EBUSY
	rejects mode '0666' EBUSY
	rejects exclusive '1' EBUSY
	rejects unsafe '1' EBUSY
	rejects path '/bin/false' EBUSY
}

@test "a grant name already used in another exe group is EEXIST" {
	mkdir "$UMDP_CFS/other"
	run mkdir "$UMDP_CFS/other/g"
	assert_failure
	assert_output --partial "File exists"
	assert [ ! -e "$UMDP_CFS/other/g" ]
}

@test "a grant name that is not a device name is EINVAL" {
	run mkdir "$UMDP_CFS/drv/bad:name"
	assert_failure
	assert_output --partial "Invalid argument"
}

@test "enable without a path is EINVAL, logged, and changes nothing" {
	umdp_exe nopath /bin/true
	echo > "$UMDP_CFS/nopath/path"
	umdp_grant nopath np ioports=0xe8
	run umdp_write "$UMDP_CFS/nopath/np/enable" 1
	assert_output EINVAL
	assert_equal "$(cat "$UMDP_CFS/nopath/np/enable")" 0
	run dmesg
	assert_output --partial "np"
	assert [ ! -e /dev/umdp/np ]
}

@test "enable with a path that does not exist is ENOENT" {
	umdp_exe ghost /nonexistent/driver
	umdp_grant ghost gh ioports=0xe8
	run umdp_write "$UMDP_CFS/ghost/gh/enable" 1
	assert_output ENOENT
	assert_equal "$(cat "$UMDP_CFS/ghost/gh/enable")" 0
}
