// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ps2kbd - a PS/2 keyboard driver in user space
 *
 *   ps2kbd [-v] [-n LINES] GRANT
 *
 * Drives the i8042 keyboard controller through a umdp grant of ports
 * 0x60 and 0x64 and IRQ 1 (Linux's own i8042 driver must be kept off, e.g.
 * with initcall_blacklist=i8042_init). It initialises the controller and
 * the keyboard, then sleeps until the keyboard interrupts, decodes scan
 * code set 1 (US layout, both shifts, caps lock) and prints each line typed,
 * when Enter is pressed. Status lines start with "ps2kbd:". It sleeps in
 * ppoll() on the grant's IRQ descriptor, so it could as well sit in any
 * event loop next to other descriptors.
 *
 * -n LINES   exit after that many lines (default: run until SIGINT/SIGTERM)
 * -v         print every byte read from the controller on stderr
 *
 * On SIGINT or SIGTERM, or after LINES lines, it turns the keyboard's
 * interrupt off again, closes the grant (which frees IRQ 1) and exits 0.
 * It needs no root: only a grant whose `path` is this program.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <umdp.h>

#include "example.h"

#define KBD_DATA	0x60
#define KBD_STATUS	0x64	/* read */
#define KBD_CMD		0x64	/* write */
#define KBD_IRQ		1

#define STAT_OBF	0x01	/* a byte waits in the data port */
#define STAT_IBF	0x02	/* the controller has not taken our last byte */

#define CMD_READ_CFG	0x20
#define CMD_WRITE_CFG	0x60
#define CMD_SELF_TEST	0xaa
#define CMD_KBD_OFF	0xad
#define CMD_KBD_ON	0xae
#define CMD_AUX_OFF	0xa7

#define CFG_KBD_IRQ	0x01	/* interrupt on IRQ 1 when a byte arrives */
#define CFG_KBD_CLK_OFF	0x10
#define CFG_XLATE	0x40	/* translate the keyboard's set 2 to set 1 */

#define KEY_RESET	0xff
#define KEY_ENABLE	0xf4
#define KEY_ACK		0xfa
#define KEY_BAT_OK	0xaa

/* Scan code set 1, US layout: unshifted and shifted character per make code. */
static const char keymap[2][0x3a] = {
	{ [0x02] = '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=',
	  [0x0f] = '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[',
	  ']', [0x1e] = 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'',
	  '`', [0x2b] = '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/',
	  [0x39] = ' ' },
	{ [0x02] = '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',
	  [0x0f] = '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{',
	  '}', [0x1e] = 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"',
	  '~', [0x2b] = '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?',
	  [0x39] = ' ' },
};

#define SC_BACKSPACE	0x0e
#define SC_ENTER	0x1c
#define SC_LSHIFT	0x2a
#define SC_RSHIFT	0x36
#define SC_CAPSLOCK	0x3a
#define SC_EXTENDED	0xe0
#define SC_BREAK	0x80

struct kbd {
	struct umdp_dev *dev;
	unsigned int shift;	/* bit 0: left shift down, bit 1: right */
	int caps, extended;
	int verbose;		/* -v: every byte read to stderr */
	char line[256];
	size_t len;
};

/* Wait until the controller's status has @bit set (or clear, if !@set). */
static int wait_status(struct kbd *k, unsigned int bit, int set)
{
	struct timespec ms = { 0, 1000000 };
	uint8_t st;
	int i, err;

	for (i = 0; i < 500; i++) {
		err = umdp_inb(k->dev, KBD_STATUS, &st);
		if (err)
			return err;
		if (!!(st & bit) == set)
			return 0;
		nanosleep(&ms, NULL);
	}
	return -ETIMEDOUT;
}

static int send(struct kbd *k, uint16_t port, uint8_t byte)
{
	int err = wait_status(k, STAT_IBF, 0);

	return err ? err : umdp_outb(k->dev, port, byte);
}

static int recv(struct kbd *k, uint8_t *byte)
{
	int err = wait_status(k, STAT_OBF, 1);

	return err ? err : umdp_inb(k->dev, KBD_DATA, byte);
}

/* Send a byte to the keyboard itself and check its answer. */
static int kbd_command(struct kbd *k, uint8_t cmd, const char *what)
{
	uint8_t ack = 0;
	int err = send(k, KBD_DATA, cmd), i;

	/* A key pressed just now may come before the answer: skip it. */
	for (i = 0; !err && i < 16; i++) {
		err = recv(k, &ack);
		if (!err && ack == KEY_ACK)
			return 0;
	}
	if (!err) {
		fprintf(stderr, "ps2kbd: the keyboard answered 0x%02x to %s\n",
			ack, what);
		err = -EIO;
	}
	return err;
}

/* Drop every byte waiting in the controller (the keyboard queues 256). */
static int flush(struct kbd *k)
{
	uint8_t st, byte;
	int i, err;

	for (i = 0; i < 1024; i++) {
		err = umdp_inb(k->dev, KBD_STATUS, &st);
		if (err || !(st & STAT_OBF))
			return err;
		err = umdp_inb(k->dev, KBD_DATA, &byte);
		if (err)
			return err;
		if (k->verbose)
			fprintf(stderr, "ps2kbd: dropped 0x%02x\n", byte);
	}
	return -EIO;
}

static int write_config(struct kbd *k, uint8_t cfg)
{
	int err = send(k, KBD_CMD, CMD_WRITE_CFG);

	return err ? err : send(k, KBD_DATA, cfg);
}

/*
 * Bring the controller and keyboard up with the keyboard's clock and
 * interrupt off, so every answer is read by polling the status port. Keys
 * pressed while nobody listened (the keyboard keeps up to 256 bytes) are
 * dropped before the reset. IRQ 1 is turned on at the end.
 */
static int kbd_init(struct kbd *k)
{
	uint8_t cfg, byte;
	int err;

	err = send(k, KBD_CMD, CMD_KBD_OFF);
	if (!err)
		err = send(k, KBD_CMD, CMD_AUX_OFF);
	if (!err)
		err = flush(k);
	if (!err)
		err = send(k, KBD_CMD, CMD_READ_CFG);
	if (!err)
		err = recv(k, &cfg);
	if (err)
		return err;
	cfg = (cfg | CFG_XLATE | CFG_KBD_CLK_OFF) & ~CFG_KBD_IRQ;
	err = write_config(k, cfg);
	if (!err)
		err = send(k, KBD_CMD, CMD_SELF_TEST);
	if (!err)
		err = recv(k, &byte);
	if (!err && byte != 0x55) {
		fprintf(stderr, "ps2kbd: controller self-test failed (0x%02x)\n",
			byte);
		return -EIO;
	}
	cfg &= ~CFG_KBD_CLK_OFF;
	if (!err)	/* the self-test may reset the configuration */
		err = write_config(k, cfg);
	if (!err)
		err = send(k, KBD_CMD, CMD_KBD_ON);
	if (!err)
		err = flush(k);
	if (!err)
		err = kbd_command(k, KEY_RESET, "reset");
	if (!err)
		err = recv(k, &byte);
	if (!err && byte != KEY_BAT_OK) {
		fprintf(stderr, "ps2kbd: keyboard self-test failed (0x%02x)\n",
			byte);
		return -EIO;
	}
	if (!err)
		err = kbd_command(k, KEY_ENABLE, "enable");
	if (!err)
		err = write_config(k, cfg | CFG_KBD_IRQ);
	return err;
}

/* Leave the controller as Linux's driver would find it: no interrupt. */
static void kbd_quiet(struct kbd *k)
{
	uint8_t cfg;

	if (!send(k, KBD_CMD, CMD_READ_CFG) && !recv(k, &cfg))
		write_config(k, cfg & ~CFG_KBD_IRQ);
}

/* Decode one scan code; return 1 when it completed a line. */
static int decode(struct kbd *k, uint8_t sc)
{
	unsigned int code = sc & ~SC_BREAK, bit;
	int up = !!(sc & SC_BREAK), shifted;
	char c;

	if (sc == SC_EXTENDED) {
		k->extended = 1;
		return 0;
	}
	if (k->extended) {	/* arrows, right ctrl ...: not text */
		k->extended = 0;
		return 0;
	}
	if (code == SC_LSHIFT || code == SC_RSHIFT) {
		bit = code == SC_LSHIFT ? 1 : 2;
		k->shift = up ? k->shift & ~bit : k->shift | bit;
		return 0;
	}
	if (up)
		return 0;
	if (code == SC_CAPSLOCK) {
		k->caps = !k->caps;
		return 0;
	}
	if (code == SC_ENTER) {
		k->line[k->len] = '\0';
		return 1;
	}
	if (code == SC_BACKSPACE) {
		if (k->len)
			k->len--;
		return 0;
	}
	if (code >= sizeof(keymap[0]) || !keymap[0][code])
		return 0;
	shifted = !!k->shift;
	if (k->caps && isalpha((unsigned char)keymap[0][code]))
		shifted = !shifted;
	c = keymap[shifted][code];
	if (k->len < sizeof(k->line) - 1)
		k->line[k->len++] = c;
	return 0;
}

/* Read and decode every byte the controller holds; count finished lines. */
static int drain(struct kbd *k, long *lines)
{
	uint8_t st, sc;
	int err;

	for (;;) {
		err = umdp_inb(k->dev, KBD_STATUS, &st);
		if (err || !(st & STAT_OBF))
			return err;
		err = umdp_inb(k->dev, KBD_DATA, &sc);
		if (err)
			return err;
		if (k->verbose)
			fprintf(stderr, "ps2kbd: scan code 0x%02x\n", sc);
		if (decode(k, sc)) {
			printf("%s\n", k->line);
			k->len = 0;
			(*lines)++;
		}
	}
}

/*
 * Sleep in ppoll() until IRQ 1 fires, then drain the controller; until told
 * to stop. SIGINT and SIGTERM are blocked except inside ppoll(), so one that
 * arrives between the test of `stop` and the sleep still ends the sleep.
 */
static int run(struct kbd *k, long max_lines, const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = umdp_irq_fd(k->dev), .events = POLLIN };
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr;
	long lines = 0;
	int err;

	for (;;) {
		err = drain(k, &lines);
		if (err)
			return err;
		if (stop || (max_lines > 0 && lines >= max_lines))
			return 0;
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd.revents & (POLLHUP | POLLERR))
			return -ENODEV;		/* the grant was revoked */
		nr = UMDP_MAX_RANGES;
		err = umdp_irq_fetch(k->dev, ev, &nr);	/* rearms POLLIN */
		if (err < 0)
			return err;
	}
}

/* The sentence saying what the grant lacks, or NULL when it has it all. */
static const char *check_grant(struct umdp_dev *dev)
{
	const char *lacks = NULL;
	struct umdp_info *info;

	if (umdp_info_get(dev, &info))
		return "cannot be read";
	if (!umdp_info_has_ports(info, KBD_DATA, 1) ||
	    !umdp_info_has_ports(info, KBD_CMD, 1))
		lacks = "does not include ports 0x60 and 0x64";
	else if (!umdp_info_has_irq(info, KBD_IRQ))
		lacks = "does not include IRQ 1";
	umdp_info_free(info);
	return lacks;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ps2kbd [-v] [-n LINES] GRANT\n");
}

int main(int argc, char **argv)
{
	sigset_t waitmask;
	struct kbd k = { 0 };
	long max_lines = -1;
	const char *grant, *lack;
	char *end;
	int opt, err;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	while ((opt = getopt(argc, argv, "hn:v")) != -1) {
		switch (opt) {
		case 'v':
			k.verbose = 1;
			break;
		case 'n':
			max_lines = strtol(optarg, &end, 10);
			if (*end || max_lines < 1) {
				fprintf(stderr, "ps2kbd: -n takes a number of lines\n");
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
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	grant = argv[optind];
	setvbuf(stdout, NULL, _IOLBF, 0);

	catch_signals(&waitmask);
	if (open_grant("ps2kbd", grant, &k.dev))
		return 1;
	lack = check_grant(k.dev);
	if (lack) {
		fprintf(stderr, "ps2kbd: grant '%s' %s\n", grant, lack);
		umdp_close(k.dev);
		return 1;
	}
	err = kbd_init(&k);
	if (err) {
		fprintf(stderr, "ps2kbd: the keyboard controller did not come up: %s\n",
			umdp_strerror(err));
		umdp_close(k.dev);
		return 1;
	}
	printf("ps2kbd: keyboard ready on grant '%s' (ports 0x60/0x64, IRQ 1); type away\n",
	       grant);
	err = run(&k, max_lines, &waitmask);
	if (err != -ENODEV)
		kbd_quiet(&k);
	umdp_close(k.dev);
	if (err) {
		fprintf(stderr, "ps2kbd: %s\n", err == -ENODEV ?
			"the grant was revoked" : umdp_strerror(err));
		return 1;
	}
	printf("ps2kbd: released '%s'\n", grant);
	return 0;
}
