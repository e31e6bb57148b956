/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * example.h - what the example drivers share: a clean stop on SIGINT and
 * SIGTERM, opening a grant with a one-sentence reason, finding a PCI device.
 * Each example is a single file, so this header holds static inline
 * functions.
 */
#ifndef UMDP_EXAMPLE_H
#define UMDP_EXAMPLE_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>

#include <umdp.h>

/* Set by SIGINT and SIGTERM; the driver's loops test it. */
static volatile sig_atomic_t stop;

static inline void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * SIGINT and SIGTERM set `stop`. They stay blocked except while the driver
 * sleeps in ppoll(..., waitmask), which they end with EINTR (no
 * SA_RESTART): a signal can never slip in between the test of `stop` and
 * the sleep.
 */
static inline void catch_signals(sigset_t *waitmask)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
}

/* umdp_open(), or one sentence on stderr saying why not. Return: 0 or 1. */
static inline int open_grant(const char *prog, const char *grant,
		      struct umdp_dev **devp)
{
	char why[256];
	int err = umdp_open(grant, 0, devp);

	if (!err)
		return 0;
	umdp_explain_open(grant, err, why, sizeof(why));
	fprintf(stderr, "%s: %s\n", prog, why);
	return 1;
}

/* The PCI device an example drives, named for its messages. */
struct pci_kind {
	uint16_t vendor, device;
	const char *name;	/* "edu device" */
	const char *a_name;	/* "an edu device" */
	const char *example;	/* an address to show: "0000:00:04.0" */
};

/*
 * umdp_pci_find() for @kind at @want (NULL: the first one), or one sentence
 * on stderr. Return: 0; 2 for an address that is not one (usage); 1 else.
 */
static inline int find_pci(const char *prog, const struct pci_kind *kind,
		    const char *want, struct umdp_pci_dev *pci)
{
	switch (umdp_pci_find(kind->vendor, kind->device, want, pci)) {
	case 0:
		return 0;
	case -EINVAL:
		fprintf(stderr, "%s: '%s' is not a PCI address like %s\n", prog,
			want, kind->example);
		return 2;
	case -ENODEV:
		fprintf(stderr, "%s: %s is not %s (PCI %04x:%04x)\n", prog, want,
			kind->a_name, kind->vendor, kind->device);
		return 1;
	case -ENOENT:
		fprintf(stderr, "%s: there is no %s (PCI %04x:%04x) in /sys/bus/pci/devices\n",
			prog, kind->name, kind->vendor, kind->device);
		return 1;
	default:
		fprintf(stderr, "%s: cannot read the BARs and IRQ of %s from sysfs\n",
			prog, pci->bdf);
		return 1;
	}
}

#endif /* UMDP_EXAMPLE_H */
