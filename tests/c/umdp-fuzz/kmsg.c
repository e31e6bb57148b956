// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmsg.c - the kernel log, from the start of the run, through /dev/kmsg.
 *
 * /dev/kmsg hands out one record per read(2) ("prio,seq,usec,flags;text"
 * and continuation lines), independent of `dmesg --clear`; EPIPE means
 * records were overwritten before they were read (counted as lost). A
 * record whose text holds one of the patterns below starts a report: the
 * few lines before it and everything after it, for a moment, are kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#define LINE		320
#define CONTEXT		12
#define REPORT_LINES	400

static const char *patterns[32] = {
	"BUG:", "WARNING:", "Oops", "general protection", "KASAN",
	"UBSAN", "ODEBUG", "possible circular locking",
	"inconsistent lock state", "possible recursive locking",
	"sleeping function called", "kernel BUG", "Call Trace:",
	"cut here", "nobody cared", "blocked for more than",
	"soft lockup", "hard LOCKUP", "self-detected stall",
	"detected stalls", "suspected memory leak", "list_add corruption",
	"list_del corruption", "refcount_t:", "Unable to handle",
	"KFENCE", "double fault", "invalid opcode",
	/* page_poison=1: a page written after its free */
	"pagealloc: memory corruption", "pagealloc: single bit error",
};

struct kmsg {
	int fd;
	uint64_t lost;
	char ctx[CONTEXT][LINE];
	unsigned int nctx;
	char (*report)[LINE];
	unsigned int nreport;
	bool in_report;
};

void kmsg_add_pattern(const char *pat)
{
	unsigned int i;

	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		if (!patterns[i]) {
			patterns[i] = pat;
			return;
		}
	}
}

bool kmsg_is_report(const char *msg)
{
	unsigned int i;

	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
		if (patterns[i] && strstr(msg, patterns[i]))
			return true;
	return false;
}

struct kmsg *kmsg_open(void)
{
	struct kmsg *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->report = calloc(REPORT_LINES, LINE);
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (!k->report || k->fd < 0) {
		free(k->report);
		free(k);
		return NULL;
	}
	/* from now on: the run's own messages */
	lseek(k->fd, 0, SEEK_END);
	return k;
}

uint64_t kmsg_lost(const struct kmsg *k)
{
	return k->lost;
}

static void add_report(struct kmsg *k, const char *line)
{
	if (k->nreport < REPORT_LINES)
		snprintf(k->report[k->nreport++], LINE, "%s", line);
}

/* "prio,seq,usec,flags;text\n" -> "[  12.345678] text" */
static void format_record(const char *rec, char *out, size_t len)
{
	unsigned long long usec = 0;
	const char *semi = strchr(rec, ';'), *nl;
	const char *p = rec;
	unsigned int field = 0;

	if (!semi) {
		snprintf(out, len, "%.300s", rec);
		return;
	}
	for (; p < semi && field < 2; p++)
		if (*p == ',')
			field++;
	if (field == 2)
		usec = strtoull(p, NULL, 10);
	nl = strchr(semi + 1, '\n');
	snprintf(out, len, "[%5llu.%06llu] %.*s", usec / 1000000,
		 usec % 1000000,
		 (int)(nl ? nl - semi - 1 : (long)strlen(semi + 1)),
		 semi + 1);
}

/* everything there is now; 1 when a report started */
static int drain(struct kmsg *k)
{
	char rec[8192], line[LINE];
	int found = 0;
	ssize_t n;

	for (;;) {
		n = read(k->fd, rec, sizeof(rec) - 1);
		if (n < 0) {
			if (errno == EPIPE) {
				k->lost++;
				continue;
			}
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0)
			break;
		rec[n] = '\0';
		format_record(rec, line, sizeof(line));
		if (k->in_report) {
			add_report(k, line);
		} else if (kmsg_is_report(strchr(rec, ';') ?
					  strchr(rec, ';') + 1 : rec)) {
			unsigned int i, first;

			k->in_report = true;
			found = 1;
			first = k->nctx > CONTEXT ? k->nctx - CONTEXT : 0;
			for (i = first; i < k->nctx; i++)
				add_report(k, k->ctx[i % CONTEXT]);
			add_report(k, line);
		}
		snprintf(k->ctx[k->nctx % CONTEXT], LINE, "%s", line);
		k->nctx++;
	}
	return found;
}

int kmsg_poll(struct kmsg *k, int timeout_ms)
{
	struct pollfd p = { .fd = k->fd, .events = POLLIN };

	if (poll(&p, 1, timeout_ms) < 0 && errno != EINTR)
		return 0;
	return drain(k);
}

void kmsg_collect(struct kmsg *k, int ms)
{
	int64_t end = now_us() + (int64_t)ms * 1000;

	while (now_us() < end)
		kmsg_poll(k, 50);
}

void kmsg_print_report(struct kmsg *k, FILE *f)
{
	unsigned int i;

	for (i = 0; i < k->nreport; i++)
		fprintf(f, "  %s\n", k->report[i]);
	if (k->nreport == REPORT_LINES)
		fprintf(f, "  (more lines in the kernel log)\n");
}

bool kmsg_in_report(const struct kmsg *k)
{
	return k->in_report;
}

/* forget a report already printed: the next one starts afresh */
void kmsg_reset(struct kmsg *k)
{
	k->in_report = false;
	k->nreport = 0;
}

/* keep every line from now on (a hang report: sysrq's blocked tasks) */
void kmsg_start_report(struct kmsg *k)
{
	k->in_report = true;
}
