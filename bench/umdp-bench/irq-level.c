// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench: edu's level INTx, through umdp and through UIO.
 *
 *   irq-edu GRANT IRQ PHYS
 *	through umdp: raise through a umdp mapping of BAR0 at PHYS, wait and
 *	fetch, ack the device, unmask the line; both placements.
 *   irq-uio UIODEV CONFIG RESOURCE0 IRQ
 *	through uio_pci_generic (bound to edu, umdp not holding the line):
 *	raise through resource0, read() on UIODEV, ack the device, re-enable
 *	INTx by writing the command word to the sysfs CONFIG file; both
 *	placements.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/*
 * One level round through umdp: raise through the mapping, wait and fetch,
 * ack the device, unmask the line. Returns the rounds that did not see
 * exactly one interrupt (0 or 1).
 */
static int edu_umdp_round(struct umdp_dev *dev, volatile uint32_t *edu,
			  unsigned int irq, long *syscalls)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr = nr_events();
	int r, bad;

	edu[EDU_IRQ_RAISE] = 1;
	r = umdp_irq_wait(dev, 1000, ev, &nr);
	bad = r != 1 || ev[0].count != 1;
	edu[EDU_IRQ_ACK] = 1;
	r = umdp_irq_unmask(dev, irq);
	*syscalls += 2;
	if (r)
		die("umdp_irq_unmask: %s", umdp_strerror(r));
	return bad;
}

int cmd_irq_edu(const char *grant, unsigned int irq, uint64_t phys)
{
	struct umdp_dev *dev = open_grant(grant);
	volatile uint32_t *edu = map_grant(dev, phys);
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr, k;
	long bad = 0, syscalls = 0, i;
	long long kbase;
	char id[64], ref[64];
	double t[RUNS];

	edu_check(edu, "the umdp mapping");
	umdp_irq_unmask(dev, irq);
	nr = nr_events();
	umdp_irq_fetch(dev, ev, &nr);
	if (!(ev[0].flags & UMDP_IRQ_EV_LEVEL))
		note("edu's IRQ %u is not level-triggered here", irq);
	for (k = 0; k < NR_PLACEMENTS; k++) {
		const struct placement *pl = &placements[k];

		if (pl->cpu < 0)
			continue;
		irq_to_cpu(irq, pl->cpu);
		for (i = 0; i < 200 && bad <= 3; i++)
			bad += edu_umdp_round(dev, edu, irq, &syscalls);
		if (bad > 3)
			die("edu through umdp: no interrupts (is the PCI device enabled, its ACPI interrupt link routed?)");
		check_placement(irq, pl);
		fprintf(stderr, "# edu IRQ %u on CPU %d through umdp: %d x %ld round trips\n",
			irq, pl->cpu, RUNS, LEVEL_ROUNDS);
		bad = 0;
		kbase = kernel_count(irq);
		for (int run = 0; run < RUNS; run++) {
			double t0 = now_ns();

			syscalls = 0;
			for (i = 0; i < LEVEL_ROUNDS; i++)
				bad += edu_umdp_round(dev, edu, irq, &syscalls);
			t[run] = (now_ns() - t0) / (double)LEVEL_ROUNDS;
		}
		snprintf(id, sizeof(id), "irq.edu.%s", pl->tag);
		snprintf(ref, sizeof(ref), "irq.uio.%s", pl->tag);
		emit_row(id, pl->section,
			 "umdp, edu level INTx: raise (MMIO), wait+fetch, ack, unmask",
			 t, "ns", ref, (double)syscalls / LEVEL_ROUNDS, LEVEL_ROUNDS,
			 (double)(kernel_count(irq) - kbase) / (RUNS * LEVEL_ROUNDS));
		if (bad)
			note("edu through umdp, IRQ on CPU %d: %ld of %ld rounds did not see exactly one interrupt",
			     pl->cpu, bad, RUNS * LEVEL_ROUNDS);
	}
	umdp_close(dev);
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* SIGALRM interrupts a blocked read()/ioctl() (no SA_RESTART) */
static void arm_watchdog(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		die("sigaction: %s", strerror(errno));
}

/*
 * One level round through UIO: raise through resource0, read() the event
 * count (blocks until the IRQ; uio_pci_generic has masked INTx in config
 * space), ack the device, clear INTX_DISABLE in the command word.
 */
static int uio_round(volatile uint32_t *edu, int ufd, int cfd, uint16_t cmd,
		     uint32_t *count, long *syscalls)
{
	uint32_t c;
	int bad;

	edu[EDU_IRQ_RAISE] = 1;
	if (read(ufd, &c, sizeof(c)) != (ssize_t)sizeof(c))
		die("read on the UIO device: %s", errno == EINTR ?
		    "no interrupt within the watchdog's time" : strerror(errno));
	bad = c != *count + 1;
	*count = c;
	edu[EDU_IRQ_ACK] = 1;
	if (pwrite(cfd, &cmd, 2, PCI_COMMAND_OFF) != 2)
		die("config pwrite: %s", strerror(errno));
	*syscalls += 2;
	return bad;
}

/* Clear INTX_DISABLE in the command word (CONFIG); returns the word. */
static uint16_t intx_enable(int cfd, const char *config)
{
	uint16_t cmd;

	if (pread(cfd, &cmd, 2, PCI_COMMAND_OFF) != 2)
		die("%s: pread: %s", config, strerror(errno));
	cmd &= (uint16_t)~PCI_CMD_INTX_DISABLE;
	if (pwrite(cfd, &cmd, 2, PCI_COMMAND_OFF) != 2)
		die("%s: pwrite: %s", config, strerror(errno));
	return cmd;
}

int cmd_irq_uio(const char *uio, const char *config, const char *res,
		unsigned int irq)
{
	int rfd, ufd = open_or_die(uio, O_RDWR);
	int cfd = open_or_die(config, O_RDWR);
	volatile uint32_t *edu = map_resource(res, &rfd);
	uint32_t count = 0;
	uint16_t cmd;
	long bad = 0, syscalls = 0, i;
	long long kbase;
	char id[64];
	double t[RUNS];
	unsigned int k;

	edu_check(edu, "resource0");
	cmd = intx_enable(cfd, config);
	arm_watchdog();
	alarm(10);
	uio_round(edu, ufd, cfd, cmd, &count, &syscalls); /* learns the count */
	for (k = 0; k < NR_PLACEMENTS; k++) {
		const struct placement *pl = &placements[k];

		if (pl->cpu < 0)
			continue;
		irq_to_cpu(irq, pl->cpu);
		alarm(30);
		for (i = 0; i < 200; i++)
			uio_round(edu, ufd, cfd, cmd, &count, &syscalls);
		check_placement(irq, pl);
		fprintf(stderr, "# edu IRQ %u on CPU %d through UIO: %d x %ld round trips\n",
			irq, pl->cpu, RUNS, LEVEL_ROUNDS);
		bad = 0;
		kbase = kernel_count(irq);
		for (int run = 0; run < RUNS; run++) {
			double t0;

			alarm(30 + LEVEL_ROUNDS / 100);
			t0 = now_ns();
			syscalls = 0;
			for (i = 0; i < LEVEL_ROUNDS; i++)
				bad += uio_round(edu, ufd, cfd, cmd, &count, &syscalls);
			t[run] = (now_ns() - t0) / (double)LEVEL_ROUNDS;
		}
		snprintf(id, sizeof(id), "irq.uio.%s", pl->tag);
		emit_row(id, pl->section,
			 "UIO, edu level INTx: raise (MMIO), read, ack, config pwrite",
			 t, "ns", "-", (double)syscalls / LEVEL_ROUNDS, LEVEL_ROUNDS,
			 (double)(kernel_count(irq) - kbase) / (RUNS * LEVEL_ROUNDS));
		if (bad)
			note("edu through UIO, IRQ on CPU %d: %ld of %ld rounds did not see exactly one interrupt",
			     pl->cpu, bad, RUNS * LEVEL_ROUNDS);
	}
	alarm(0);
	close(ufd);
	close(cfd);
	close(rfd);
	return 0;
}
