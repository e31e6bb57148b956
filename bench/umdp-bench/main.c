// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench - what a umdp access costs next to the kernel's own mechanisms.
 *
 * Run as root in the guest (ioperm, /dev/port, sysfs resource and config
 * files, /dev/uio*), as the grant's program (this binary); scripts/bench
 * provisions the grants and runs every subcommand in one guest boot:
 *
 *   umdp-bench ports GRANT PORT
 *	1-byte port read and write at PORT: inb/outb after ioperm (the limit),
 *	/dev/port pread/pwrite, umdp pread/pwrite (and through libumdp), umdp
 *	batches of 1, 16, 64 and 256 accesses, umdp string I/O (insb/outsb)
 *	of 4096 bytes; the floors: /dev/port of 0 bytes, umdp refused.
 *   umdp-bench irq-edge GRANT IRQ
 *	pc-testdev ISA edge line IRQ (the grant holds port 0x2000+IRQ and the
 *	line): round trips raise (write 1 then 0 through the node), wait and
 *	fetch, with the IRQ routed to the driver's CPU and to the other one;
 *	together 100,000 edges one at a time, all of which must be counted.
 *	Then, per placement, 100,000 edges back to back, raised by pwrite
 *	pairs and by batches, and how many the driver and the kernel counted.
 *   umdp-bench irq-status GRANT IRQ
 *	the same line raised on CPU 0 (the IRQ routed there too) and seen by
 *	a driver thread on the other CPU, from just before the raise: by
 *	spinning on the node's status page (100,000 edges, all of which must
 *	be seen) against sleeping in umdp_irq_wait (50,000), runs interleaved.
 *   umdp-bench irq-edu GRANT IRQ PHYS
 *	edu's level INTx through umdp: raise through a umdp mapping of BAR0 at
 *	PHYS, wait and fetch, ack the device, unmask the line; both placements.
 *   umdp-bench irq-msi GRANT IRQ
 *	edu's MSI through umdp (a "pci" grant with irqs msi:1, IRQ its
 *	vector): raise through a umdp mapping of the grant's BAR0, wait and
 *	fetch, ack the device; no unmask (an MSI is never masked); both
 *	placements.
 *   umdp-bench mmio GRANT PHYS RESOURCE0
 *	4-byte MMIO read of BAR0+0x00 and write of BAR0+0x04, through a umdp
 *	mapping vs through the PCI device's sysfs resource0 mapping.
 *   umdp-bench irq-uio UIODEV CONFIG RESOURCE0 IRQ
 *	edu's INTx through uio_pci_generic (bound to edu, umdp not holding the
 *	line): raise through resource0, read() on UIODEV, ack the device,
 *	re-enable INTx by writing the command word to the sysfs CONFIG file;
 *	both placements.
 *   umdp-bench latency GRANT IRQ PHYS LOAD
 *	tail latency of edu's level INTx through umdp (the grant of BAR0 at
 *	PHYS and the line), the IRQ on the other CPU: 100,000 interrupts
 *	seen by sleeping in umdp_irq_wait, 100,000 by spinning on the status
 *	page; LOAD names what scripts/bench runs on the other CPU meanwhile
 *	("idle", "stress-ng").
 *   umdp-bench latency-uio UIODEV CONFIG RESOURCE0 IRQ LOAD
 *	the same through uio_pci_generic: 100,000 interrupts seen by read().
 *   umdp-bench dma GRANT
 *	DMA buffers of a "pci" grant with "dma": umdp_dma_alloc (ioctl and
 *	mmap), it plus the first touch of the first and last page (and of
 *	every page, 1 MiB), umdp_dma_free, for 4 KiB and 1 MiB buffers;
 *	alloc and free also with another buffer held (bus mastering on).
 *
 * The driver is pinned to CPU BENCH_CPU; IRQs are routed through
 * /proc/irq/N/smp_affinity_list.
 *
 * Every figure is the median of RUNS runs; the variants of one measurement
 * are interleaved run by run, so drift of the host hits them alike. The
 * output is for scripts/bench, tab separated, one record per line:
 *
 *   row  ID SECTION LABEL VALUE UNIT REF SYSCALLS SPREAD N HWIRQS
 *	VALUE is the median in UNIT (ns per access, round trip or call); REF
 *	the ID of the row it is compared with ("-": it is a reference, "none":
 *	there is no kernel peer; it may come from another subcommand; several
 *	IDs separated by commas: the first is the ratio column's, each other
 *	one gets a ratio line of its own); SYSCALLS the system calls per
 *	access, round trip or call, counted; SPREAD (max - min) / median of
 *	the runs; N the accesses, rounds or calls per run; HWIRQS the
 *	interrupts the kernel handled on the line per round trip
 *	(/proc/interrupts), -1 where there is no line.
 *   loss ID LABEL RAISED COUNTED KERNEL
 *	edges raised, counted by the driver, handled by the kernel according
 *	to /proc/interrupts (-1: unknown)
 *   pratio ID RATIO SPREAD
 *	the paired ratio of row ID (port and MMIO rows, whose reference is
 *	timed in the same runs): per run the median over its blocks of the
 *	row's block / the reference's block of the same turn, RATIO the
 *	median of the runs' ratios, SPREAD their (max - min) / median
 *   lat ID LABEL LOAD N BAD MIN P50 P99 P99.9 MAX MEAN HIST
 *	one tail-latency series: N interrupts seen (BAD more were not seen,
 *	or counted other than once), the minimum, the nearest-rank
 *	percentiles, the maximum and the mean in ns, and HIST the counts of
 *	LAT_HIST_BINS bins, comma separated (bench.h: 20 per decade from
 *	1 us; the first and last bins also hold what is below and above)
 *   note TEXT
 *
 * Progress goes to stderr.
 *
 * The files: main.c (this), timing.c (the timing core), report.c (the
 * records), dev.c (opening and mapping), irq.c (IRQ placement and the
 * kernel's count), and one per measurement: port.c, irq-edge.c,
 * irq-status.c (the status page), irq-level.c (edu's INTx through umdp and
 * UIO, its MSI through umdp), mmio.c, dma.c, latency.c (tail latency).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static __attribute__((noreturn)) void usage(void)
{
	fprintf(stderr, "usage: umdp-bench ports GRANT PORT\n"
		"       umdp-bench irq-edge GRANT IRQ\n"
		"       umdp-bench irq-status GRANT IRQ\n"
		"       umdp-bench irq-edu GRANT IRQ PHYS\n"
		"       umdp-bench irq-msi GRANT IRQ\n"
		"       umdp-bench mmio GRANT PHYS RESOURCE0\n"
		"       umdp-bench irq-uio UIODEV CONFIG RESOURCE0 IRQ\n"
		"       umdp-bench dma GRANT\n"
		"       umdp-bench latency GRANT IRQ PHYS LOAD\n"
		"       umdp-bench latency-uio UIODEV CONFIG RESOURCE0 IRQ LOAD\n");
	exit(2);
}

static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		usage();
	return v;
}

/*
 * Pin to BENCH_CPU, so that no figure depends on migrations, and find the
 * CPU for the "other" placement.
 */
static void pin(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity: %s", strerror(errno));
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (cpu != BENCH_CPU && CPU_ISSET(cpu, &set)) {
			placements[1].cpu = cpu;
			break;
		}
	}
	CPU_ZERO(&set);
	CPU_SET(BENCH_CPU, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("pinning to CPU %d: %s", BENCH_CPU, strerror(errno));
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	pin();

	if (argc == 4 && !strcmp(cmd, "ports"))
		return cmd_ports(argv[2], (uint16_t)num(argv[3]));
	if (argc == 4 && !strcmp(cmd, "irq-edge"))
		return cmd_irq_edge(argv[2], (unsigned int)num(argv[3]));
	if (argc == 4 && !strcmp(cmd, "irq-status"))
		return cmd_irq_status(argv[2], (unsigned int)num(argv[3]));
	if (argc == 5 && !strcmp(cmd, "irq-edu"))
		return cmd_irq_edu(argv[2], (unsigned int)num(argv[3]), num(argv[4]));
	if (argc == 4 && !strcmp(cmd, "irq-msi"))
		return cmd_irq_msi(argv[2], (unsigned int)num(argv[3]));
	if (argc == 5 && !strcmp(cmd, "mmio"))
		return cmd_mmio(argv[2], num(argv[3]), argv[4]);
	if (argc == 6 && !strcmp(cmd, "irq-uio"))
		return cmd_irq_uio(argv[2], argv[3], argv[4],
				   (unsigned int)num(argv[5]));
	if (argc == 3 && !strcmp(cmd, "dma"))
		return cmd_dma(argv[2]);
	if (argc == 6 && !strcmp(cmd, "latency"))
		return cmd_latency(argv[2], (unsigned int)num(argv[3]),
				   num(argv[4]), argv[5]);
	if (argc == 7 && !strcmp(cmd, "latency-uio"))
		return cmd_latency_uio(argv[2], argv[3], argv[4],
				       (unsigned int)num(argv[5]), argv[6]);
	usage();
}
