#!/usr/bin/env bats
# Why a grant cannot be opened, in one sentence (umdp_explain_open, printed by
# umdp-io): a grant whose enable failed gives the kernel's reason from its
# configfs last_error, with the holder of the busy port range or IRQ line
# named where the caller can read it (umdp_port_holder, umdp_irq_holder).

load helpers

IO=$UMDP_BIN/umdp-io

setup_file() {
	umdp_load
}

teardown_file() {
	umdp_unload
}

setup() {
	umdp_clear
	umdp_exe io "$IO"
}

teardown() {
	umdp_clear
}

@test "a grant never enabled: the sentence says how to enable it" {
	umdp_grant io td ioports=0xe0-0xe3
	run "$IO" td read8 0xe0
	assert_failure
	assert_output "umdp-io: grant 'td' is not enabled (echo 1 > $UMDP_CFS/io/td/enable)"
}

@test "busy ports: the sentence gives last_error and names the holder (serial) for root" {
	umdp_grant io ser ioports=0x3f8+8
	run umdp_write "$UMDP_CFS/io/ser/enable" 1
	assert_output EBUSY
	run "$IO" ser read8 0x3f8
	assert_failure
	assert_output "umdp-io: grant 'ser' is not enabled: ports 0x3f8-0x3ff: busy, held by a kernel driver or the system (held by serial)"
}

@test "busy ports, asked by a user who cannot read /proc/ioports: the kernel's reason as it is" {
	umdp_grant io ser ioports=0x3f8+8
	run umdp_write "$UMDP_CFS/io/ser/enable" 1
	assert_output EBUSY
	run runuser -u nobody -- "$IO" ser read8 0x3f8
	assert_failure
	assert_output "umdp-io: grant 'ser' is not enabled: ports 0x3f8-0x3ff: busy, held by a kernel driver or the system (see /proc/ioports)"
}

@test "an IRQ held by a kernel driver: the sentence names it (acpi on 9), for any user" {
	umdp_grant io acpi ioports=0xe0-0xe3 irqs=9
	run umdp_write "$UMDP_CFS/io/acpi/enable" 1
	assert_output EBUSY
	run "$IO" acpi read8 0xe0
	assert_failure
	assert_output "umdp-io: grant 'acpi' is not enabled: irq 9: already in use by a kernel driver (held by acpi)"
	run runuser -u nobody -- "$IO" acpi read8 0xe0
	assert_output "umdp-io: grant 'acpi' is not enabled: irq 9: already in use by a kernel driver (held by acpi)"
}

@test "a reason without a holder (a path that is a directory) is given as the kernel kept it" {
	umdp_exe dir /usr/bin
	umdp_grant dir d ioports=0xe0
	run umdp_write "$UMDP_CFS/dir/d/enable" 1
	assert_output EINVAL
	run "$IO" d read8 0xe0
	assert_failure
	assert_output "umdp-io: grant 'd' is not enabled: /usr/bin is not a regular file"
}

@test "once the cause is fixed and the grant enabled, then disabled, the sentence says how to enable it again" {
	umdp_grant io ser ioports=0x3f8+8
	run umdp_write "$UMDP_CFS/io/ser/enable" 1
	assert_output EBUSY
	echo 0 >"$UMDP_CFS/io/ser/exclusive"
	echo 1 >"$UMDP_CFS/io/ser/enable"
	echo 0 >"$UMDP_CFS/io/ser/enable"
	umdp_settle
	run "$IO" ser read8 0x3f8
	assert_output "umdp-io: grant 'ser' is not enabled (echo 1 > $UMDP_CFS/io/ser/enable)"
}

@test "umdp-io --irq-holder names a line's handlers, a grant's while its node is open, and a free line as free" {
	run "$IO" --irq-holder 9
	assert_success
	assert_output "irq 9: held by acpi"
	umdp_exe sh "$(readlink -f /bin/bash)"
	umdp_grant sh t5 ioports=0x2005 irqs=5 enable=1
	umdp_settle
	exec 8<>/dev/umdp/t5
	run "$IO" --irq-holder 5
	exec 8>&-
	assert_output "irq 5: held by umdp:t5"
	# freed: Linux 6.1 still lists the line, without a handler; 6.12 drops it
	run "$IO" --irq-holder 5
	assert_success
	assert_output "irq 5: free"
	run "$IO" --irq-holder 100000
	assert_output "irq 100000: free"
}
