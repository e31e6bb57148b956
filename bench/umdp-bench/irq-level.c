// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench: edu's interrupts, through umdp and through UIO.
 *
 *   irq-edu GRANT IRQ PHYS
 *	level INTx through umdp: raise through a umdp mapping of BAR0 at PHYS,
 *	wait and fetch, ack the device, unmask the line; both placements.
 *   irq-msi GRANT IRQ
 *	MSI through umdp (a "pci" grant of edu with irqs msi:1, IRQ its
 *	vector): raise through a umdp mapping of the grant's BAR0, wait and
 *	fetch, ack the device; no unmask (an MSI is never masked); both
 *	placements.
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

/**
 * struct edu_irq - how edu's interrupt reaches the driver through umdp
 * @tag: the rows' ids are irq.<tag>.<placement>
 * @how: for progress lines and notes
 * @label: the rows' label
 * @refs: the tags of the rows' references (irq.<ref>.<placement>), the
 *	first the ratio column's, NULL after the last
 * @flag: the event flag the line must have (UMDP_IRQ_EV_*)
 * @unmask: the line is masked after each interrupt until unmasked
 */
struct edu_irq {
	const char *tag, *how, *label, *refs[3];
	uint32_t flag;
	int unmask;
};

static const struct edu_irq edu_intx = {
	.tag = "edu", .how = "level INTx",
	.label = "umdp, edu level INTx: raise (MMIO), wait+fetch, ack, unmask",
	.refs = { "uio" },
	.flag = UMDP_IRQ_EV_LEVEL, .unmask = 1,
};

static const struct edu_irq edu_msi = {
	.tag = "msi", .how = "MSI",
	.label = "umdp, edu MSI: raise (MMIO), wait+fetch, ack",
	.refs = { "edu", "uio" },
	.flag = UMDP_IRQ_EV_MSI, .unmask = 0,
};

/*
 * One round through umdp: raise through the mapping, wait and fetch, ack
 * the device, unmask a level line. Returns the rounds that did not see
 * exactly one interrupt (0 or 1).
 */
static int edu_umdp_round(struct umdp_dev *dev, volatile uint32_t *edu,
			  unsigned int irq, const struct edu_irq *how,
			  long *syscalls)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr = nr_events();
	int r, bad;

	edu[EDU_IRQ_RAISE] = 1;
	r = umdp_irq_wait(dev, 1000, ev, &nr);
	bad = r != 1 || ev[0].count != 1;
	edu[EDU_IRQ_ACK] = 1;
	*syscalls += 1;
	if (!how->unmask)
		return bad;
	r = umdp_irq_unmask(dev, irq);
	*syscalls += 1;
	if (r)
		die("umdp_irq_unmask: %s", umdp_strerror(r));
	return bad;
}

/* The REF field of a row: "irq.edu.same,irq.uio.same" */
static void refs(char *buf, size_t size, const struct edu_irq *how,
		 const struct placement *pl)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int j = 0; how->refs[j] && len < size; j++)
		len += (size_t)snprintf(buf + len, size - len, "%sirq.%s.%s",
					j ? "," : "", how->refs[j], pl->tag);
}

/* Round trips through umdp on an open grant with edu's BAR0 mapped. */
static void edu_umdp_bench(struct umdp_dev *dev, volatile uint32_t *edu,
			   unsigned int irq, const struct edu_irq *how)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr, k;
	long bad = 0, syscalls = 0, i;
	long long kbase;
	char id[64], ref[128];
	double t[RUNS];

	edu_check(edu, "the umdp mapping");
	if (how->unmask)
		umdp_irq_unmask(dev, irq);
	nr = nr_events();
	umdp_irq_fetch(dev, ev, &nr);
	if (!(ev[0].flags & how->flag))
		note("edu's IRQ %u is not %s here (event flags 0x%x)", irq,
		     how->how, ev[0].flags);
	for (k = 0; k < NR_PLACEMENTS; k++) {
		const struct placement *pl = &placements[k];

		if (pl->cpu < 0)
			continue;
		irq_to_cpu(irq, pl->cpu);
		for (i = 0; i < 200 && bad <= 3; i++)
			bad += edu_umdp_round(dev, edu, irq, how, &syscalls);
		if (bad > 3)
			die("edu %s through umdp: no interrupts (is the PCI device enabled, its ACPI interrupt link routed, bus mastering on for MSI?)",
			    how->how);
		check_placement(irq, pl);
		fprintf(stderr, "# edu %s, IRQ %u on CPU %d through umdp: %d x %ld round trips\n",
			how->how, irq, pl->cpu, RUNS, LEVEL_ROUNDS);
		bad = 0;
		kbase = kernel_count(irq);
		for (int run = 0; run < RUNS; run++) {
			double t0 = now_ns();

			syscalls = 0;
			for (i = 0; i < LEVEL_ROUNDS; i++)
				bad += edu_umdp_round(dev, edu, irq, how, &syscalls);
			t[run] = (now_ns() - t0) / (double)LEVEL_ROUNDS;
		}
		snprintf(id, sizeof(id), "irq.%s.%s", how->tag, pl->tag);
		refs(ref, sizeof(ref), how, pl);
		emit_row(id, pl->section, how->label, t, "ns", ref,
			 (double)syscalls / LEVEL_ROUNDS, LEVEL_ROUNDS,
			 (double)(kernel_count(irq) - kbase) / (RUNS * LEVEL_ROUNDS));
		if (bad)
			note("edu %s through umdp, IRQ on CPU %d: %ld of %ld rounds did not see exactly one interrupt",
			     how->how, pl->cpu, bad, RUNS * LEVEL_ROUNDS);
	}
}

int cmd_irq_edu(const char *grant, unsigned int irq, uint64_t phys)
{
	struct umdp_dev *dev = open_grant(grant);

	edu_umdp_bench(dev, map_grant(dev, phys), irq, &edu_intx);
	umdp_close(dev);
	return 0;
}

int cmd_irq_msi(const char *grant, unsigned int irq)
{
	struct umdp_dev *dev = open_grant(grant);
	struct umdp_pci_dev pci;
	int err = umdp_pci_grant(dev, &pci);

	if (err)
		die("umdp_pci_grant %s: %s", grant, umdp_strerror(err));
	if (!pci.bar[0].start)
		die("grant %s: %s has no BAR0", grant, pci.bdf);
	edu_umdp_bench(dev, map_grant(dev, pci.bar[0].start), irq, &edu_msi);
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
