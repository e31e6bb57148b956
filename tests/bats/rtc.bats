#!/usr/bin/env bats
# examples/rtc, the CMOS real-time clock driver, end to end: the date and
# time read from the MC146818's registers, and its periodic interrupt on
# IRQ 8 counted by an unprivileged driver; the same periodic interrupt
# through the kernel's own driver (/dev/rtc0) as the anchor. The kernel's
# driver (rtc_cmos) is unbound for the file and bound again after it; the
# guest boots with hpet=disable, so IRQ 8 comes from the clock itself
# (scripts/umdp-vm says why).

load helpers

RTC=$UMDP_TOP/build/bin/rtc

# cmos_reg N: register N of the clock, read as root through /dev/port.
cmos_reg() {
	printf '%b' "\\x$(printf %02x "$1")" |
		dd of=/dev/port bs=1 seek=$((0x70)) conv=notrunc status=none
	dd if=/dev/port bs=1 skip=$((0x71)) count=1 status=none | od -An -tx1 |
		tr -d ' \n'
}

setup_file() {
	umdp_load
	umdp_test_user
	RTC_DEV=$(rtc_cmos_dev)
	RTC_DRV=
	if [ -e "$RTC_DEV/driver" ]; then
		RTC_DRV=$(readlink -f "$RTC_DEV/driver")
		echo "${RTC_DEV##*/}" >"$RTC_DRV/unbind"
	fi
	export RTC_DEV RTC_DRV
}

teardown_file() {
	umdp_clear
	if [ -n "$RTC_DRV" ] && [ ! -e "$RTC_DEV/driver" ]; then
		echo "${RTC_DEV##*/}" >"$RTC_DRV/bind"
	fi
	umdp_unload
}

setup() {
	umdp_clear
	umdp_exe rtc "$RTC"
	dmesg --clear
}

teardown() {
	pkill -9 -f "$RTC" 2>/dev/null || true
	umdp_clear
}

# rtc_grant: the clock's grant "rtc" (ports and IRQ 8), owned by umdptest.
rtc_grant() {
	umdp_grant rtc rtc ioports=0x70-0x71 irqs=8 owner=umdptest mode=0600 \
		enable=1
	umdp_settle
}

# near_256 N: N periodic interrupts in 1 s at 256 Hz is 256 within 10%.
# Under TCG a wake-up a period late (the host's scheduling) misses a period
# on either path, umdp's or rtc_cmos's: 248 (3% short) came through both;
# what the check catches is a count that is off by far more (interrupts
# lost for good, or counted twice).
near_256() {
	[ "$1" -ge 230 ] && [ "$1" -le 282 ]
}

@test "the kernel's RTC driver let go: ports 0x70-0x71 and IRQ 8 are free for a grant" {
	[ -n "$RTC_DEV" ]
	[ ! -e "$RTC_DEV/driver" ]
	run grep -E '^ *0070-0071' /proc/ioports
	refute_output --partial rtc
	rtc_grant
	[ -c /dev/umdp/rtc ]
}

@test "rtc reads the CMOS date and time, within 2 s of the system clock" {
	local t now
	rtc_grant
	run as_user "$RTC" rtc
	assert_success
	assert_output --regexp '^rtc: 2[0-9]{3}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9] UTC \([0-9]+ s since the epoch\), (BCD|binary), (24|12)-hour$'
	now=$(date +%s)
	t=$(sed -n 's/.*(\([0-9]*\) s since the epoch).*/\1/p' <<<"$output")
	echo "# CMOS $t, system clock $now"
	[ "$t" -ge $((now - 2)) ] && [ "$t" -le $((now + 2)) ]
}

@test "the periodic interrupt at 256 Hz through umdp: 1 s counts 256 within 10%, and rtc leaves registers A and B as it found them" {
	local a b n
	a=$(cmos_reg 0x0a)
	b=$(cmos_reg 0x0b)
	rtc_grant
	run as_user "$RTC" -r 256 -s 1 rtc
	echo "$output"
	assert_success
	n=$(sed -n 's/^rtc: periodic interrupt at 256 Hz through umdp: \([0-9]*\) in 1.000 s.*/\1/p' <<<"$output")
	[ -n "$n" ]
	assert near_256 "$n"
	assert_line --regexp '^rtc: period jitter .* p50 [0-9.]+ us, p99 [0-9.]+ us, p99.9 [0-9.]+ us, max [0-9.]+ us$'
	assert_equal "$(cmos_reg 0x0a)" "$a"
	assert_equal "$(cmos_reg 0x0b)" "$b"
	run grep -E '^ *8:' /proc/interrupts
	refute_output --partial umdp
}

@test "rtc -j prints the figures as one JSON object" {
	rtc_grant
	run as_user "$RTC" -j -r 64 -s 0.5 rtc
	assert_success
	run python3 -c 'import json, sys
o = json.loads([l for l in sys.stdin if l.startswith("{")][0])
assert o["via"] == "umdp" and o["hz"] == 64 and o["interrupts"] > 0, o
assert set(o["jitter_us"]) == {"p50", "p99", "p99.9", "max"}, o' <<<"$output"
	assert_success
}

@test "a rate that is not a power of two from 2 to 8192 is a usage error" {
	local r
	rtc_grant
	for r in 0 1 3 100 16384 abc ""; do
		run as_user "$RTC" -r "$r" rtc
		assert_failure 2
		assert_output "rtc: -r takes a power of two from 2 to 8192 (Hz), not '$r'"
	done
	run as_user "$RTC" -r 64 -s 0 rtc
	assert_failure 2
	assert_output --partial "rtc: -s takes seconds from 0.01 to 3600"
}

@test "a grant without IRQ 8 reads the time but -r says the grant lacks IRQ 8" {
	umdp_grant rtc rtc ioports=0x70-0x71 owner=umdptest enable=1
	umdp_settle
	run as_user "$RTC" rtc
	assert_success
	run as_user "$RTC" -r 64 rtc
	assert_failure 1
	assert_output "rtc: grant 'rtc' does not include IRQ 8 (needed for -r)"
}

@test "the kernel's own driver, bound again, counts the same periodic interrupt (rtc -d /dev/rtcN)" {
	local n r _
	[ -n "$RTC_DRV" ] || skip "no kernel RTC driver was bound at boot"
	echo "${RTC_DEV##*/}" >"$RTC_DRV/bind"
	umdp_settle
	for r in "$RTC_DEV"/rtc/rtc*; do :; done
	r=/dev/${r##*/}
	for _ in $(seq 50); do
		[ -c "$r" ] && break
		sleep 0.1
	done
	run "$RTC" -d "$r" -r 256 -s 1
	echo "$output"
	echo "${RTC_DEV##*/}" >"$RTC_DRV/unbind"
	assert_success
	assert_line --regexp "^rtc: 2[0-9]{3}-.* UTC \\([0-9]+ s since the epoch\\) from $r\$"
	n=$(sed -n "s|^rtc: periodic interrupt at 256 Hz through $r: \\([0-9]*\\) in 1.000 s.*|\\1|p" <<<"$output")
	[ -n "$n" ]
	assert near_256 "$n"
}
