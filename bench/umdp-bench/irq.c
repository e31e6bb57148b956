// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench: IRQ placement (routing through /proc/irq/N/smp_affinity_list)
 * and the kernel's own count (/proc/interrupts).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

struct placement placements[NR_PLACEMENTS] = {
	{ "same", "IRQ round trip, IRQ on the driver's CPU", BENCH_CPU },
	{ "other", "IRQ round trip, IRQ on the other CPU", -1 },
};

unsigned int nr_events(void)
{
	return UMDP_MAX_RANGES;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Route IRQ to one CPU (takes effect at its next interrupt on x86). */
void irq_to_cpu(unsigned int irq, int cpu)
{
	char path[64], text[16];
	int err;

	snprintf(path, sizeof(path), "/proc/irq/%u/smp_affinity_list", irq);
	snprintf(text, sizeof(text), "%d\n", cpu);
	err = write_file(path, text);
	if (err)
		die("%s: %s", path, strerror(-err));
}

/* The CPU the IRQ is delivered to now, -1 if not exactly one. */
static int irq_effective_cpu(unsigned int irq)
{
	char path[64], text[32] = "", *end;
	long cpu;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/irq/%u/effective_affinity_list", irq);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (r <= 0)
		return -1;
	cpu = strtol(text, &end, 10);
	return end != text && *end == '\n' ? (int)cpu : -1;
}

void check_placement(unsigned int irq, const struct placement *pl)
{
	int cpu = irq_effective_cpu(irq);

	if (cpu != pl->cpu)
		note("IRQ %u: asked for CPU %d, delivered to %d (rows \"%s\" are not what they say)",
		     irq, pl->cpu, cpu, pl->section);
}

/* Interrupts of IRQ the kernel handled, all CPUs (/proc/interrupts). */
long long kernel_count(unsigned int irq)
{
	char line[512], *p, *end;
	long long sum = -1;
	FILE *f = fopen("/proc/interrupts", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long n = strtoul(line, &p, 10);

		if (p == line || *p != ':' || n != irq)
			continue;
		sum = 0;
		for (p++;; p = end) {
			unsigned long long c = strtoull(p, &end, 10);

			if (end == p)
				break;
			sum += (long long)c;
		}
		break;
	}
	fclose(f);
	return sum;
}
