#!/usr/bin/env bats
# Runs last: the whole suite left the guest kernel healthy.
#
# The ring buffer holds only what the suite provoked (the guest saved the
# boot messages and cleared it). Each detector's report is its own test:
# on the debug kernel (make check KERNEL=debug: KASAN, lockdep,
# DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS, UBSAN, kmemleak) every one can fire; on
# Debian's kernels most cannot, and the log tests then check what those
# kernels do report (WARN, BUG, Oops). kmemleak is different: it finds
# nothing unless asked to scan, so on a kernel without it the test is
# skipped, with the reason, rather than passing as if it had looked.

load helpers

setup_file() {
	umdp_require_guest
}

# refute_kernel_report WHAT REGEXP: no line of the kernel log matches; on
# failure, the matching lines with the report that follows each.
refute_kernel_report() {
	local what=$1 re=$2 log
	log=$(dmesg) || fail "dmesg failed"
	grep -qE -- "$re" <<<"$log" || return 0
	fail "$(printf '%s in the kernel log:\n' "$what"
		grep -E -B 3 -A 40 -- "$re" <<<"$log" | head -n 150)"
}

@test "the module unloads cleanly after the whole suite" {
	run umdp_unload
	assert_success
	run grep umdp /proc/ioports /proc/interrupts /proc/iomem
	assert_failure
}

@test "no taint bits other than out-of-tree and unsigned module" {
	local tainted
	tainted=$(cat /proc/sys/kernel/tainted)
	# 4096 O (out-of-tree module), 8192 E (unsigned module)
	assert_equal "$((tainted & ~(4096 | 8192)))" 0
}

# After the unload: what umdp allocated and never freed is unreferenced now.
@test "kmemleak finds no leak in its scans at the end of the suite" {
	local kml=/sys/kernel/debug/kmemleak kmemleak
	# (fails the test when the kernel's configuration is nowhere)
	kmemleak=$(umdp_kernel_config CONFIG_DEBUG_KMEMLEAK)
	if [ "$kmemleak" != y ]; then
		skip "no kmemleak in this kernel (CONFIG_DEBUG_KMEMLEAK): leaks are checked on the debug kernel (make check KERNEL=debug)"
	fi
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
	[ -e "$kml" ] || fail "CONFIG_DEBUG_KMEMLEAK=y but no $kml"
	# kmemleak reports only objects older than 5 s: let the last tests'
	# allocations age. Its automatic scan is off, so this is the first
	# scan that sees most objects, and a scan that first sees an object
	# only records its checksum (a changed checksum counts as in use):
	# the leak is reported by the next scan. Hence two, back to back.
	# The write fails (EBUSY) when kmemleak turned itself off (out of
	# memory, an internal error): then it has checked nothing.
	sleep 6
	run sh -c "echo scan >$kml && echo scan >$kml"
	assert_success
	run cat "$kml"
	assert_success
	assert_output ""
	refute_kernel_report "kmemleak" 'suspected memory leak'
}

@test "no KASAN report (out-of-bounds, use-after-free, double free, wild access)" {
	refute_kernel_report "KASAN" 'BUG: KASAN: |KASAN: [a-z-]+ in range'
}

@test "no lockdep report (circular or recursive locking, inconsistent lock state, bad unlock balance), and lockdep still on" {
	refute_kernel_report "lockdep" 'possible circular locking|inconsistent lock state|possible recursive locking|possible irq lock inversion|bad unlock balance|held lock freed|lock held when returning to user space|suspicious RCU usage|locking correctness validator|lockdep|DEBUG_LOCKS_WARN_ON|BUG: MAX_LOCK'
	# lockdep turns itself off after its first report (also one during
	# the boot, which the ring buffer no longer holds).
	if [ -r /proc/lockdep_stats ]; then
		run grep -E '^ *debug_locks: *1$' /proc/lockdep_stats
		assert_success
	fi
}

@test "no sleeping function called from atomic context (DEBUG_ATOMIC_SLEEP)" {
	refute_kernel_report "sleep in atomic context" 'BUG: sleeping function called|BUG: scheduling while atomic|BUG: workqueue leaked lock'
}

@test "no DEBUG_OBJECTS report (an active timer, work or rcu_head freed or re-initialised: ODEBUG)" {
	refute_kernel_report "DEBUG_OBJECTS" 'ODEBUG:'
}

@test "no UBSAN report (shift out of bounds, index out of bounds, invalid bool or enum)" {
	refute_kernel_report "UBSAN" 'UBSAN:'
}

@test "no page was written after it was freed (page_poison=1: a poisoned page checked when allocated again)" {
	grep -qw 'page_poison=1' /proc/cmdline ||
		skip "the kernel runs without page_poison=1 (no CONFIG_PAGE_POISONING): freed pages are not checked"
	refute_kernel_report "a freed page written" 'pagealloc: memory corruption|pagealloc: single bit error'
}

@test "the kernel log carries no WARNING, BUG or Oops" {
	refute_kernel_report "WARN, BUG or Oops" 'WARNING:|BUG:|Oops|cut here|Call Trace|general protection'
}
