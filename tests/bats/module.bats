#!/usr/bin/env bats
# Loading and unloading umdp.ko.

load helpers

setup_file() {
	umdp_require_guest
}

setup() {
	umdp_unload
}

teardown() {
	umdp_unload
}

@test "loading umdp.ko creates the configfs subsystem and the device class" {
	run insmod "$UMDP_KO"
	assert_success
	assert [ -d /sys/kernel/config/umdp ]
	assert [ -d /sys/class/umdp ]
	run grep -w umdp /proc/devices
	assert_success
}

@test "configfs is also reachable at /config" {
	insmod "$UMDP_KO"
	assert [ -d /config/umdp ]
}

@test "unloading umdp.ko removes the configfs subsystem and the device class" {
	insmod "$UMDP_KO"
	run rmmod umdp
	assert_success
	assert [ ! -e /sys/kernel/config/umdp ]
	assert [ ! -e /sys/class/umdp ]
	run grep -w umdp /proc/devices
	assert_failure
	run grep -w umdp /proc/modules
	assert_failure
}

@test "loading twice fails with EEXIST and leaves the first instance working" {
	insmod "$UMDP_KO"
	run insmod "$UMDP_KO"
	assert_failure
	assert_output --partial "File exists"
	assert [ -d /sys/kernel/config/umdp ]
}

@test "20 load/unload cycles leave nothing behind" {
	local before_devices before_ioports before_irqs i
	before_devices=$(cat /proc/devices)
	before_ioports=$(cat /proc/ioports)
	before_irqs=$(awk '{print $1, $NF}' /proc/interrupts)
	for i in $(seq 20); do
		insmod "$UMDP_KO"
		mkdir "$UMDP_CFS/cycle$i"
		rmdir "$UMDP_CFS/cycle$i"
		rmmod umdp
	done
	assert [ ! -e /sys/kernel/config/umdp ]
	assert [ ! -e /sys/class/umdp ]
	assert_equal "$(cat /proc/devices)" "$before_devices"
	assert_equal "$(cat /proc/ioports)" "$before_ioports"
	assert_equal "$(awk '{print $1, $NF}' /proc/interrupts)" "$before_irqs"
}

@test "the module cannot be removed while a configfs group exists" {
	insmod "$UMDP_KO"
	mkdir "$UMDP_CFS/pinned"
	run rmmod umdp
	assert_failure
	assert [ -d "$UMDP_CFS/pinned" ]
}
