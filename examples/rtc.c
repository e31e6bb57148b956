// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtc - the PC's CMOS real-time clock, driven from user space
 *
 *   rtc [-j] [-r HZ [-s SECONDS]] GRANT
 *   rtc -d DEVICE [-j] [-r HZ [-s SECONDS]]
 *
 * Through a umdp grant of ports 0x70-0x71 and IRQ 8 it reads the date and
 * time from the MC146818 registers (BCD or binary, 12- or 24-hour, as
 * register B says; an update in progress is waited out and the registers
 * are read until two reads agree) and prints them. With -r it then runs
 * the clock's periodic interrupt at HZ (a power of two, 2 to 8192) for
 * SECONDS (default 1), sleeping in ppoll() on the grant's IRQ descriptor
 * and acknowledging each interrupt by reading register C, and prints how
 * many interrupts came and the jitter of the period: how far each interval
 * between two wake-ups is from 1/HZ, as percentiles.
 *
 * With -d it does the same through the kernel's own RTC driver instead
 * (DEVICE is e.g. /dev/rtc0: RTC_RD_TIME, RTC_IRQP_SET, RTC_PIE_ON and
 * read()), the anchor the umdp figures are compared with.
 *
 * The kernel's RTC driver holds the ports and IRQ 8 while it is bound:
 * unbind it first (/sys/bus/pnp/drivers/rtc_cmos/.../unbind). IRQ 8
 * reaches the I/O APIC only while the HPET is not in legacy replacement
 * mode, in which Linux puts it when it uses the HPET: boot with
 * hpet=disable.
 *
 * -j  also print the figures as one JSON object, on a line of its own
 *
 * Lines start with "rtc:". On exit the clock's registers A and B are as
 * the program found them (periodic interrupt off). It needs no root: only
 * a grant whose `path` is this program.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <umdp.h>

#include "example.h"

#define RTC_INDEX	0x70
#define RTC_DATA	0x71
#define RTC_IRQ		8

#define REG_SEC		0x00
#define REG_MIN		0x02
#define REG_HOUR	0x04
#define REG_MDAY	0x07
#define REG_MON		0x08
#define REG_YEAR	0x09
#define REG_A		0x0a
#define REG_B		0x0b
#define REG_C		0x0c
#define REG_CENTURY	0x32	/* ACPI's FADT names it; QEMU and PCs keep it there */

#define A_UIP		0x80	/* update in progress: the time registers change */
#define A_DV_MASK	0x70	/* divider; 0x20 = 32.768 kHz time base */
#define A_RS_MASK	0x0f	/* rate select: 32768 >> (RS - 1) Hz */
#define B_PIE		0x40	/* periodic interrupt enable */
#define B_DM_BINARY	0x04
#define B_24H		0x02
#define C_PF		0x40	/* a period elapsed */
#define HOUR_PM		0x80	/* in 12-hour mode */

struct rtc {
	struct umdp_dev *dev;	/* through umdp */
	int fd;			/* through the kernel's driver (-d) */
	uint8_t reg_a, reg_b;	/* as found, restored on exit */
};

struct periodic {
	unsigned int hz;
	double seconds;
	double *wake;		/* CLOCK_MONOTONIC ns of each wake-up */
	size_t nr, max;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One CMOS register: select it at 0x70 (NMI left enabled), read 0x71. */
static int cmos_read(struct rtc *r, uint8_t reg, uint8_t *val)
{
	struct umdp_io_op ops[2] = {
		{ .port = RTC_INDEX, .size = 1, .flags = UMDP_IO_WRITE, .value = reg },
		{ .port = RTC_DATA, .size = 1 },
	};
	int err = umdp_batch(r->dev, ops, 2);

	if (!err)
		*val = (uint8_t)ops[1].value;
	return err;
}

static int cmos_write(struct rtc *r, uint8_t reg, uint8_t val)
{
	struct umdp_io_op ops[2] = {
		{ .port = RTC_INDEX, .size = 1, .flags = UMDP_IO_WRITE, .value = reg },
		{ .port = RTC_DATA, .size = 1, .flags = UMDP_IO_WRITE, .value = val },
	};

	return umdp_batch(r->dev, ops, 2);
}

static unsigned int bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 0x0f);
}

/* The six time registers and the century, in one go (no update between). */
static int read_regs(struct rtc *r, uint8_t v[7])
{
	static const uint8_t regs[7] = { REG_SEC, REG_MIN, REG_HOUR, REG_MDAY,
					 REG_MON, REG_YEAR, REG_CENTURY };
	struct umdp_io_op ops[14];
	unsigned int i;
	int err;

	for (i = 0; i < 7; i++) {
		ops[2 * i] = (struct umdp_io_op){ .port = RTC_INDEX, .size = 1,
			.flags = UMDP_IO_WRITE, .value = regs[i] };
		ops[2 * i + 1] = (struct umdp_io_op){ .port = RTC_DATA, .size = 1 };
	}
	err = umdp_batch(r->dev, ops, 14);
	for (i = 0; !err && i < 7; i++)
		v[i] = (uint8_t)ops[2 * i + 1].value;
	return err;
}

/*
 * The date and time: wait while an update is in progress (UIP is set from
 * 244 us before an update until it is over), read all registers, and read
 * again until two reads agree, so an update that began in between is never
 * half seen.
 */
static int rtc_read_time_umdp(struct rtc *r, struct tm *tm)
{
	uint8_t a, v[7], w[7];
	unsigned int hour, century, i;
	int err, tries;

	for (tries = 0; tries < 100; tries++) {
		for (i = 0; i < 2000; i++) {	/* at most ~2 ms */
			err = cmos_read(r, REG_A, &a);
			if (err)
				return err;
			if (!(a & A_UIP))
				break;
		}
		err = read_regs(r, v);
		if (!err)
			err = read_regs(r, w);
		if (err)
			return err;
		if (!memcmp(v, w, sizeof(v)))
			break;
	}
	if (tries == 100)
		return -EAGAIN;
	if (!(r->reg_b & B_DM_BINARY)) {
		for (i = 0; i < 7; i++)
			if (i != 2)	/* the hour keeps its PM bit */
				v[i] = (uint8_t)bcd(v[i]);
		hour = bcd(v[2] & 0x7f) | (v[2] & HOUR_PM);
	} else {
		hour = v[2];
	}
	if (!(r->reg_b & B_24H)) {
		/* 12-hour: 12 AM is 0 h, 12 PM is 12 h */
		hour = (hour & 0x7f) % 12 + ((hour & HOUR_PM) ? 12 : 0);
	}
	century = v[6] >= 19 && v[6] <= 21 ? v[6] : 20;
	memset(tm, 0, sizeof(*tm));
	tm->tm_sec = v[0];
	tm->tm_min = v[1];
	tm->tm_hour = (int)hour;
	tm->tm_mday = v[3];
	tm->tm_mon = v[4] - 1;
	tm->tm_year = (int)(century * 100 + v[5]) - 1900;
	if (tm->tm_sec > 59 || tm->tm_min > 59 || tm->tm_hour > 23 ||
	    tm->tm_mday < 1 || tm->tm_mday > 31 || tm->tm_mon < 0 ||
	    tm->tm_mon > 11)
		return -EIO;
	return 0;
}

static int rtc_read_time_kernel(struct rtc *r, struct tm *tm)
{
	struct rtc_time t;

	if (ioctl(r->fd, RTC_RD_TIME, &t) < 0)
		return -errno;
	memset(tm, 0, sizeof(*tm));
	tm->tm_sec = t.tm_sec;
	tm->tm_min = t.tm_min;
	tm->tm_hour = t.tm_hour;
	tm->tm_mday = t.tm_mday;
	tm->tm_mon = t.tm_mon;
	tm->tm_year = t.tm_year;
	return 0;
}

/* log2 of a power of two from 2 to 8192, or -1 */
static int rate_log2(unsigned long hz)
{
	int l = 0;

	if (hz < 2 || hz > 8192 || (hz & (hz - 1)))
		return -1;
	while ((1UL << l) != hz)
		l++;
	return l;
}

/* Note one wake-up; false when the run is over. */
static int note_wake(struct periodic *p)
{
	double t = now_ns();

	if (p->nr < p->max)
		p->wake[p->nr++] = t;
	return p->nr < p->max && t - p->wake[0] < p->seconds * 1e9;
}

/*
 * The periodic interrupt through umdp: RS for @p->hz in register A, PIE in
 * register B, then per interrupt: wake, read register C (which lowers the
 * clock's IRQ line: until then no new edge reaches IRQ 8), fetch.
 */
static int periodic_umdp(struct rtc *r, struct periodic *p,
			 const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = umdp_irq_fd(r->dev), .events = POLLIN };
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr, rs = (unsigned int)(16 - rate_log2(p->hz));
	uint8_t c;
	int err, n;

	err = cmos_write(r, REG_A, (uint8_t)((r->reg_a & A_DV_MASK) | rs));
	if (!err)
		err = cmos_read(r, REG_C, &c);	/* nothing stale */
	if (!err) {
		nr = UMDP_MAX_RANGES;
		err = umdp_irq_fetch(r->dev, ev, &nr);
	}
	if (!err)
		err = cmos_write(r, REG_B, r->reg_b | B_PIE);
	while (err >= 0 && !stop) {
		n = ppoll(&pfd, 1, &(struct timespec){ 1, 0 }, waitmask);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;	/* no interrupt in a second */
		if (pfd.revents & (POLLHUP | POLLERR))
			return -ENODEV;		/* the grant was revoked */
		err = cmos_read(r, REG_C, &c);
		if (err)
			break;
		nr = UMDP_MAX_RANGES;
		err = umdp_irq_fetch(r->dev, ev, &nr);	/* rearms POLLIN */
		if (err > 0 && !note_wake(p))
			break;
	}
	return err < 0 ? err : 0;
}

/* The same through the kernel's driver: RTC_IRQP_SET, RTC_PIE_ON, read(). */
static int periodic_kernel(struct rtc *r, struct periodic *p,
			   const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	unsigned long data;
	int err = 0, n;

	if (ioctl(r->fd, RTC_IRQP_SET, (unsigned long)p->hz) < 0 ||
	    ioctl(r->fd, RTC_PIE_ON, 0) < 0)
		return -errno;
	while (!stop) {
		n = ppoll(&pfd, 1, &(struct timespec){ 1, 0 }, waitmask);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n ? -errno : -ETIMEDOUT;
			break;
		}
		if (read(r->fd, &data, sizeof(data)) != sizeof(data)) {
			err = -errno;
			break;
		}
		/* the low byte is RTC_PF and friends, the rest a count */
		if (!note_wake(p))
			break;
	}
	ioctl(r->fd, RTC_PIE_OFF, 0);
	return err;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile (0..1) of sorted @v, nearest rank. */
static double quantile(const double *v, size_t n, double q)
{
	double x = q * (double)n;
	size_t i = (size_t)x;

	if ((double)i < x)
		i++;		/* the rank is ceil(q * n) */
	return v[i ? (i > n ? n : i) - 1 : 0];
}

static void report(const struct periodic *p, const char *via, int json)
{
	double period = 1e9 / p->hz, *dev, end = p->wake[0] + p->seconds * 1e9;
	double p50, p99, p999, max;
	size_t i, in_window = 0, n = p->nr - 1, late = 0;

	for (i = 1; i < p->nr; i++)
		if (p->wake[i] <= end)
			in_window++;
	dev = calloc(n, sizeof(*dev));
	if (!dev)
		return;
	for (i = 0; i < n; i++) {
		double d = p->wake[i + 1] - p->wake[i];
		size_t periods = (size_t)(d / period + 0.5);

		/*
		 * A wake-up a whole period or more late. The clock raises no
		 * new edge until register C is read, so a late driver misses
		 * periods, unless the emulator makes up for them (QEMU
		 * re-injects coalesced ticks, which come faster afterwards).
		 */
		if (periods > 1)
			late++;
		dev[i] = (d > period ? d - period : period - d) / 1e3;
	}
	qsort(dev, n, sizeof(*dev), cmp_double);
	p50 = quantile(dev, n, 0.50);
	p99 = quantile(dev, n, 0.99);
	p999 = quantile(dev, n, 0.999);
	max = dev[n - 1];
	free(dev);
	printf("rtc: periodic interrupt at %u Hz through %s: %zu in %.3f s (%.1f%% of the rate), %zu wake-ups a period or more late\n",
	       p->hz, via, in_window, p->seconds,
	       100.0 * (double)in_window / (p->hz * p->seconds), late);
	printf("rtc: period jitter (|interval - %.1f us|) over %zu periods: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us\n",
	       period / 1e3, n, p50, p99, p999, max);
	if (json)
		printf("{\"via\": \"%s\", \"hz\": %u, \"seconds\": %.3f, \"interrupts\": %zu, \"late\": %zu, \"periods\": %zu, \"jitter_us\": {\"p50\": %.2f, \"p99\": %.2f, \"p99.9\": %.2f, \"max\": %.2f}}\n",
		       via, p->hz, p->seconds, in_window, late, n, p50, p99,
		       p999, max);
}

/* The sentence saying what the grant lacks, or NULL when it has it all. */
static const char *check_grant(struct umdp_dev *dev, int irq)
{
	const char *lacks = NULL;
	struct umdp_info *info;

	if (umdp_info_get(dev, &info))
		return "cannot be read";
	if (!umdp_info_has_ports(info, RTC_INDEX, 2))
		lacks = "does not include ports 0x70-0x71";
	else if (irq && !umdp_info_has_irq(info, RTC_IRQ))
		lacks = "does not include IRQ 8 (needed for -r)";
	umdp_info_free(info);
	return lacks;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: rtc [-j] [-r HZ [-s SECONDS]] GRANT\n"
		   "       rtc -d DEVICE [-j] [-r HZ [-s SECONDS]]\n"
		   "HZ is a power of two from 2 to 8192; SECONDS up to 3600\n");
}

int main(int argc, char **argv)
{
	struct rtc r = { .fd = -1 };
	struct periodic p = { .seconds = 1 };
	const char *grant = NULL, *device = NULL, *lack, *via;
	unsigned long hz = 0;
	sigset_t waitmask;
	char *end, when[64];
	struct tm tm;
	time_t t;
	int opt, err, json = 0, ret = 1;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	while ((opt = getopt(argc, argv, "d:hjr:s:")) != -1) {
		switch (opt) {
		case 'd':
			device = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'r':
			hz = strtoul(optarg, &end, 10);
			if (*end || rate_log2(hz) < 0) {
				fprintf(stderr, "rtc: -r takes a power of two from 2 to 8192 (Hz), not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 's':
			p.seconds = strtod(optarg, &end);
			if (*end || !(p.seconds >= 0.01 && p.seconds <= 3600)) {
				fprintf(stderr, "rtc: -s takes seconds from 0.01 to 3600, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - !device) {
		usage(stderr);
		return 2;
	}
	if (!device)
		grant = argv[optind];
	setvbuf(stdout, NULL, _IOLBF, 0);
	catch_signals(&waitmask);

	if (device) {
		r.fd = open(device, O_RDONLY | O_CLOEXEC);
		if (r.fd < 0) {
			fprintf(stderr, "rtc: cannot open %s: %s\n", device,
				strerror(errno));
			return 1;
		}
		via = device;
	} else {
		if (open_grant("rtc", grant, &r.dev))
			return 1;
		lack = check_grant(r.dev, hz != 0);
		if (lack) {
			fprintf(stderr, "rtc: grant '%s' %s\n", grant, lack);
			goto out_close;
		}
		err = cmos_read(&r, REG_A, &r.reg_a);
		if (!err)
			err = cmos_read(&r, REG_B, &r.reg_b);
		if (err) {
			fprintf(stderr, "rtc: cannot read registers A and B: %s\n",
				umdp_strerror(err));
			goto out_close;
		}
		if (r.reg_b & B_PIE) {
			fprintf(stderr, "rtc: the periodic interrupt is on already: is the kernel's RTC driver still bound?\n");
			goto out_close;
		}
		via = "umdp";
	}

	err = device ? rtc_read_time_kernel(&r, &tm) :
		       rtc_read_time_umdp(&r, &tm);
	if (err) {
		fprintf(stderr, "rtc: cannot read the time: %s\n",
			err == -EIO ? "the registers hold no valid time" :
			umdp_strerror(err));
		goto out_close;
	}
	t = timegm(&tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	if (device)
		printf("rtc: %s UTC (%lld s since the epoch) from %s\n", when,
		       (long long)t, device);
	else
		printf("rtc: %s UTC (%lld s since the epoch), %s, %s\n", when,
		       (long long)t,
		       r.reg_b & B_DM_BINARY ? "binary" : "BCD",
		       r.reg_b & B_24H ? "24-hour" : "12-hour");
	if (!hz) {
		ret = 0;
		goto out_close;
	}

	p.hz = (unsigned int)hz;
	p.max = (size_t)(hz * p.seconds * 1.5) + 16;
	p.wake = calloc(p.max, sizeof(*p.wake));
	if (!p.wake) {
		fprintf(stderr, "rtc: out of memory\n");
		goto out_close;
	}
	err = device ? periodic_kernel(&r, &p, &waitmask) :
		       periodic_umdp(&r, &p, &waitmask);
	if (!device && err != -ENODEV) {
		/* as found: periodic interrupt off, the old rate */
		cmos_write(&r, REG_B, r.reg_b);
		cmos_write(&r, REG_A, r.reg_a & (A_DV_MASK | A_RS_MASK));
		cmos_read(&r, REG_C, &(uint8_t){ 0 });
	}
	if (err) {
		fprintf(stderr, "rtc: the periodic interrupt stopped: %s\n",
			err == -ENODEV ? "the grant was revoked" :
			err == -ETIMEDOUT ? "no interrupt for a second (is the HPET in legacy replacement mode? boot with hpet=disable)" :
			umdp_strerror(err));
	} else if (p.nr < 2) {
		fprintf(stderr, "rtc: stopped before two interrupts came\n");
	} else {
		report(&p, via, json);
		ret = 0;
	}
	free(p.wake);
out_close:
	if (r.dev)
		umdp_close(r.dev);
	if (r.fd >= 0)
		close(r.fd);
	return ret;
}
