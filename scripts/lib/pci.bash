# PCI look-ups in sysfs, said once for the bats helpers (tests/bats/helpers.bash),
# scripts/demo and scripts/bench, and the one PNP look-up they share (the
# CMOS clock). Source it; it defines functions only.
# shellcheck shell=bash

# pci_dir VENDOR DEVICE: the sysfs directory of the first PCI device with
# these IDs in address order (e.g. 0x1234 0x11e8: edu 00:04.0 on both
# machines); fails when there is none.
pci_dir() {
	local d
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" = "$1" ] && [ "$(cat "$d/device")" = "$2" ]; then
			printf '%s\n' "$d"
			return 0
		fi
	done
	return 1
}

# pci_dirs VENDOR DEVICE: the sysfs directories of every PCI device with
# these IDs, one a line, in address order (q35 has two edus: 00:04.0 and
# 00:06.0); nothing when there is none.
pci_dirs() {
	local d
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" = "$1" ] && [ "$(cat "$d/device")" = "$2" ]; then
			printf '%s\n' "$d"
		fi
	done
}

# pci_bar DIR N: BAR N of the PCI device at sysfs DIR as START+LEN
pci_bar() {
	local start end
	read -r start end _ < <(sed -n "$(($2 + 1))p" "$1/resource")
	printf '0x%x+0x%x' "$((start))" "$((end - start + 1))"
}

# rtc_cmos_dev: the sysfs directory of the CMOS clock (ACPI PNP0B00-2 on the
# PNP bus, or the platform device x86 makes without one); fails when there
# is none. Its driver link is rtc_cmos while the kernel drives it.
rtc_cmos_dev() {
	local d id
	for d in /sys/bus/pnp/devices/*; do
		[ -e "$d/id" ] || continue
		while read -r id; do
			case $id in
			PNP0[bB]0[0-2])
				printf '%s\n' "$d"
				return 0
				;;
			esac
		done <"$d/id"
	done
	d=/sys/bus/platform/devices/rtc_cmos
	[ -e "$d" ] || return 1
	printf '%s\n' "$d"
}
