// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bochsfb - a user-space driver for the bochs display (PCI 1234:1111, QEMU's
 * `-device VGA` and `-device bochs-display`)
 *
 *   bochsfb GRANT [BDF]
 *
 * Sets 640x480x32 through the DISPI registers in BAR2, draws a rainbow of
 * seven vertical bands (red, orange, yellow, green, blue, indigo, violet)
 * into the linear framebuffer in BAR0, prints
 *
 *   bochsfb: 640x480x32 on 0000:00:05.0, rainbow drawn (7 bands); Ctrl-C releases the display
 *
 * and waits. SIGINT or SIGTERM puts the display back as it was (DISPI
 * registers, the VGA registers a mode set changes, the framebuffer memory
 * drawn over, which holds the text console in VGA text mode), prints
 * "bochsfb: released GRANT" and exits 0. If the administrator revokes the
 * grant meanwhile, the driver says so and exits 1 (the display stays).
 *
 *   BDF         the device at BDF (e.g. 0000:00:05.0) instead of the first
 *               1234:1111 found in /sys/bus/pci/devices
 *   -h, --help  this text, on stdout
 *
 * The administrator grants both BARs, the framebuffer write-combining:
 *
 *   mkdir /sys/kernel/config/umdp/bochsfb /sys/kernel/config/umdp/bochsfb/fb
 *   echo /usr/local/bin/bochsfb > /sys/kernel/config/umdp/bochsfb/path
 *   cd /sys/kernel/config/umdp/bochsfb/fb
 *   echo 0xfd000000+0x1000000,wc,0xfeb12000+0x1000 > mem; echo 1 > enable
 *
 * Exit status 1: the device or grant cannot be used (one sentence says
 * why); 2: bad usage.
 */
#include <errno.h>
#include <poll.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <umdp.h>

#include "example.h"

#define PROG		"bochsfb"
#define BOCHS_VENDOR	0x1234
#define BOCHS_DEVICE	0x1111
#define PCI_CLASS_VGA	0x0300	/* std VGA: also has the VGA registers */

#define XRES		640
#define YRES		480
#define BPP		32
#define FB_BYTES	((size_t)XRES * YRES * 4)

/* BAR2 (MMIO): the VGA ports 0x3c0-0x3df at 0x400, DISPI at 0x500 */
#define BAR2_VGA	0x400
#define BAR2_DISPI	0x500

/* DISPI registers (16-bit, index * 2 from BAR2_DISPI) */
enum {
	DISPI_ID, DISPI_XRES, DISPI_YRES, DISPI_BPP, DISPI_ENABLE, DISPI_BANK,
	DISPI_VIRT_WIDTH, DISPI_VIRT_HEIGHT, DISPI_X_OFFSET, DISPI_Y_OFFSET,
	DISPI_NR
};
#define DISPI_ID0		0xb0c0
#define DISPI_ID5		0xb0c5
#define DISPI_ENABLED		0x01
#define DISPI_LFB_ENABLED	0x40
#define DISPI_NOCLEARMEM	0x80

/* VGA index/data port pairs and the registers a DISPI mode set rewrites */
#define VGA_MISC_R	0x3cc
#define VGA_SEQ_I	0x3c4
#define VGA_GFX_I	0x3ce
#define VGA_CRT_I_COLOR	0x3d4
#define VGA_CRT_I_MONO	0x3b4
#define VGA_SEQ_NR	5
#define VGA_GFX_NR	9
#define VGA_CRT_NR	0x19
#define VGA_CRTC_V_SYNC_END	0x11	/* bit 7 write-protects CR0-CR7 */

static const uint32_t rainbow[] = {
	0xff0000, 0xff7f00, 0xffff00, 0x00ff00, 0x0000ff, 0x4b0082, 0x8b00ff,
};
#define BANDS	(sizeof(rainbow) / sizeof(rainbow[0]))

struct saved {
	uint16_t dispi[DISPI_NR];
	int vga;			/* the VGA registers below are valid */
	uint8_t seq_i, gfx_i, crt_i;
	uint8_t seq[VGA_SEQ_NR], gfx[VGA_GFX_NR], crt[VGA_CRT_NR];
	uint8_t *fb;			/* FB_BYTES of framebuffer memory */
};

struct bochs {
	const char *grant;
	struct umdp_pci_dev pci;
	struct umdp_dev *dev;
	volatile uint8_t *mmio;		/* BAR2 */
	uint8_t *fb;			/* BAR0 */
	struct saved saved;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: %s GRANT [BDF]\n"
		   "  sets %dx%dx%d on the bochs display, draws a rainbow, waits for Ctrl-C\n"
		   "  BDF         the device at BDF (default: the first 1234:1111 found)\n"
		   "  -h, --help  this text\n", PROG, XRES, YRES, BPP);
}

/* ---- finding the device in sysfs ----------------------------------------- */

static const struct pci_kind device_kind = {
	BOCHS_VENDOR, BOCHS_DEVICE, "bochs display", "a bochs display",
	"0000:00:05.0",
};

static int find_device(const char *want, struct umdp_pci_dev *pci)
{
	int ret = find_pci(PROG, &device_kind, want, pci);

	if (ret)
		return ret;
	if (pci->bar[0].len < FB_BYTES ||
	    pci->bar[2].len < BAR2_DISPI + DISPI_NR * 2) {
		fprintf(stderr, "%s: %s has a BAR0 of 0x%" PRIx64 " bytes and a BAR2 of 0x%" PRIx64 ", too small for a bochs display\n",
			PROG, pci->bdf, pci->bar[0].len, pci->bar[2].len);
		return 1;
	}
	return 0;
}

/* ---- the grant ----------------------------------------------------------- */

/* Does the grant hold BAR0 and BAR2? Checked before touching anything. */
static int check_grant(struct bochs *b)
{
	const struct umdp_pci_dev *pci = &b->pci;
	const struct umdp_info_mem *fb;
	struct umdp_info *info;
	int err = umdp_info_get(b->dev, &info), bar;

	if (err) {
		fprintf(stderr, "%s: cannot query grant '%s': %s\n", PROG,
			b->grant, umdp_strerror(err));
		return 1;
	}
	for (bar = 0; bar <= 2; bar += 2) {
		if (umdp_info_find_mem(info, pci->bar[bar].start, pci->bar[bar].len))
			continue;
		fprintf(stderr, "%s: grant '%s' does not include BAR%d of %s (0x%" PRIx64 "+0x%" PRIx64 ")\n",
			PROG, b->grant, bar, pci->bdf, pci->bar[bar].start,
			pci->bar[bar].len);
		umdp_info_free(info);
		return 1;
	}
	fb = umdp_info_find_mem(info, pci->bar[0].start, pci->bar[0].len);
	if (!(fb->flags & UMDP_MEM_WC))
		fprintf(stderr, "%s: note: grant '%s' maps the framebuffer uncached (',wc' after its range makes drawing faster)\n",
			PROG, b->grant);
	umdp_info_free(info);
	return 0;
}

/* ---- registers ----------------------------------------------------------- */

static uint16_t dispi_rd(struct bochs *b, unsigned int idx)
{
	return *(volatile uint16_t *)(b->mmio + BAR2_DISPI + idx * 2);
}

static void dispi_wr(struct bochs *b, unsigned int idx, uint16_t val)
{
	*(volatile uint16_t *)(b->mmio + BAR2_DISPI + idx * 2) = val;
}

/* VGA port @port through its BAR2 alias */
static uint8_t vga_in(struct bochs *b, unsigned int port)
{
	return b->mmio[BAR2_VGA + port - 0x3c0];
}

static void vga_out(struct bochs *b, unsigned int port, uint8_t val)
{
	b->mmio[BAR2_VGA + port - 0x3c0] = val;
}

static uint8_t vga_rd(struct bochs *b, unsigned int iport, uint8_t idx)
{
	vga_out(b, iport, idx);
	return vga_in(b, iport + 1);
}

static void vga_wr(struct bochs *b, unsigned int iport, uint8_t idx, uint8_t val)
{
	vga_out(b, iport, idx);
	vga_out(b, iport + 1, val);
}

static unsigned int crt_port(struct bochs *b)
{
	return (vga_in(b, VGA_MISC_R) & 1) ? VGA_CRT_I_COLOR : VGA_CRT_I_MONO;
}

/* ---- save, set, draw, restore -------------------------------------------- */

static void save_vga(struct bochs *b, struct saved *s)
{
	unsigned int crt = crt_port(b), i;

	s->seq_i = vga_in(b, VGA_SEQ_I);
	s->gfx_i = vga_in(b, VGA_GFX_I);
	s->crt_i = vga_in(b, crt);
	for (i = 0; i < VGA_SEQ_NR; i++)
		s->seq[i] = vga_rd(b, VGA_SEQ_I, (uint8_t)i);
	for (i = 0; i < VGA_GFX_NR; i++)
		s->gfx[i] = vga_rd(b, VGA_GFX_I, (uint8_t)i);
	for (i = 0; i < VGA_CRT_NR; i++)
		s->crt[i] = vga_rd(b, crt, (uint8_t)i);
	s->vga = 1;
}

static void restore_vga(struct bochs *b, const struct saved *s)
{
	unsigned int crt = crt_port(b), i;

	for (i = 0; i < VGA_SEQ_NR; i++)
		vga_wr(b, VGA_SEQ_I, (uint8_t)i, s->seq[i]);
	for (i = 0; i < VGA_GFX_NR; i++)
		vga_wr(b, VGA_GFX_I, (uint8_t)i, s->gfx[i]);
	/* CR0-CR7 are writable only while CR11 bit 7 is clear */
	vga_wr(b, crt, VGA_CRTC_V_SYNC_END, s->crt[VGA_CRTC_V_SYNC_END] & 0x7f);
	for (i = 0; i < VGA_CRT_NR; i++)
		if (i != VGA_CRTC_V_SYNC_END)
			vga_wr(b, crt, (uint8_t)i, s->crt[i]);
	vga_wr(b, crt, VGA_CRTC_V_SYNC_END, s->crt[VGA_CRTC_V_SYNC_END]);
	vga_out(b, VGA_SEQ_I, s->seq_i);
	vga_out(b, VGA_GFX_I, s->gfx_i);
	vga_out(b, crt, s->crt_i);
}

/*
 * Everything a mode set changes: the DISPI registers, on a VGA the
 * registers DISPI rewrites when it is enabled, and the framebuffer memory
 * drawn over (in text mode it holds the characters and the font).
 */
static int save_state(struct bochs *b)
{
	struct saved *s = &b->saved;
	unsigned int i;

	s->fb = malloc(FB_BYTES);
	if (!s->fb) {
		fprintf(stderr, "%s: no memory to save the framebuffer\n", PROG);
		return 1;
	}
	for (i = 0; i < DISPI_NR; i++)
		s->dispi[i] = dispi_rd(b, i);
	if (b->pci.class >> 8 == PCI_CLASS_VGA)
		save_vga(b, s);
	memcpy(s->fb, b->fb, FB_BYTES);
	return 0;
}

/* Registers that hold the mode, and the view that enabling DISPI resets */
static const unsigned int mode_regs[] = {
	DISPI_BPP, DISPI_XRES, DISPI_YRES, DISPI_BANK,
};
static const unsigned int view_regs[] = {
	DISPI_VIRT_WIDTH, DISPI_X_OFFSET, DISPI_Y_OFFSET,
};
#define NR(a)	(sizeof(a) / sizeof((a)[0]))

static void restore_dispi(struct bochs *b, const unsigned int *regs,
			  size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		dispi_wr(b, regs[i], b->saved.dispi[regs[i]]);
}

/* Disabled, the saved registers and memory; then re-enabled if it was. */
static void restore_state(struct bochs *b)
{
	const struct saved *s = &b->saved;

	dispi_wr(b, DISPI_ENABLE, 0);
	restore_dispi(b, mode_regs, NR(mode_regs));
	restore_dispi(b, view_regs, NR(view_regs));
	memcpy(b->fb, s->fb, FB_BYTES);
	if (s->vga)
		restore_vga(b, s);
	if (s->dispi[DISPI_ENABLE] & DISPI_ENABLED) {
		dispi_wr(b, DISPI_ENABLE, s->dispi[DISPI_ENABLE] | DISPI_NOCLEARMEM);
		restore_dispi(b, view_regs, NR(view_regs));
	}
}

/* The sequence Linux's bochs driver uses; memory is not cleared (drawn next). */
static void set_mode(struct bochs *b)
{
	dispi_wr(b, DISPI_ENABLE, 0);
	dispi_wr(b, DISPI_BPP, BPP);
	dispi_wr(b, DISPI_XRES, XRES);
	dispi_wr(b, DISPI_YRES, YRES);
	dispi_wr(b, DISPI_BANK, 0);
	dispi_wr(b, DISPI_VIRT_WIDTH, XRES);
	dispi_wr(b, DISPI_X_OFFSET, 0);
	dispi_wr(b, DISPI_Y_OFFSET, 0);
	dispi_wr(b, DISPI_ENABLE,
		 DISPI_ENABLED | DISPI_LFB_ENABLED | DISPI_NOCLEARMEM);
}

/* Pixels are 0x00RRGGBB, stride XRES * 4; band i spans [i*W/7, (i+1)*W/7). */
static void draw_rainbow(struct bochs *b)
{
	uint32_t row[XRES];
	unsigned int x, y;

	for (x = 0; x < XRES; x++)
		row[x] = rainbow[x * BANDS / XRES];
	for (y = 0; y < YRES; y++)
		memcpy(b->fb + (size_t)y * XRES * 4, row, sizeof(row));
}

static int check_id(struct bochs *b)
{
	uint16_t id = dispi_rd(b, DISPI_ID);

	if (id < DISPI_ID0 || id > DISPI_ID5) {
		fprintf(stderr, "%s: %s does not answer as a bochs display (DISPI id 0x%04x, expected 0xb0c0 to 0xb0c5)\n",
			PROG, b->pci.bdf, id);
		return 1;
	}
	return 0;
}

/*
 * Sleep until SIGINT or SIGTERM (return 0) or until the grant is revoked
 * (-ENODEV: the mappings are gone, the display cannot be restored).
 */
static int wait_for_end(struct bochs *b, const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = umdp_fd(b->dev) };	/* POLLHUP only */

	while (!stop)
		if (ppoll(&pfd, 1, NULL, waitmask) > 0 &&
		    (pfd.revents & (POLLHUP | POLLERR)))
			return -ENODEV;
	return 0;
}

/* ---- main ---------------------------------------------------------------- */

/* Parse the command line. Return: -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, const char **grant,
		      const char **bdf)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (argv[i][0] == '-')
			break;
	}
	if (i < argc || argc < 2 || argc > 3) {
		usage(stderr);
		return 2;
	}
	*grant = argv[1];
	*bdf = argv[2];		/* NULL when not given */
	return -1;
}

static int map_bars(struct bochs *b)
{
	void *p;
	int err, bar;

	for (bar = 0; bar <= 2; bar += 2) {
		err = umdp_map(b->dev, b->pci.bar[bar].start, b->pci.bar[bar].len, 0, &p);
		if (err) {
			fprintf(stderr, "%s: cannot map BAR%d of %s: %s\n", PROG,
				bar, b->pci.bdf, umdp_strerror(err));
			return 1;
		}
		if (bar)
			b->mmio = p;
		else
			b->fb = p;
	}
	return 0;
}

static void unmap_bars(struct bochs *b)
{
	if (b->fb)
		umdp_unmap(b->fb, b->pci.bar[0].len);
	if (b->mmio)
		umdp_unmap((void *)b->mmio, b->pci.bar[2].len);
}

/* Save, set the mode, draw, wait for a signal, put the display back. */
static int drive(struct bochs *b, const sigset_t *waitmask)
{
	if (save_state(b))
		return 1;
	set_mode(b);
	draw_rainbow(b);
	printf("%s: %dx%dx%d on %s, rainbow drawn (%zu bands); Ctrl-C releases the display\n",
	       PROG, XRES, YRES, BPP, b->pci.bdf, BANDS);
	if (wait_for_end(b, waitmask)) {
		fprintf(stderr, "%s: grant '%s' was revoked; the display stays as it is\n",
			PROG, b->grant);
		return 1;
	}
	restore_state(b);
	return 0;
}

int main(int argc, char **argv)
{
	struct bochs b = { 0 };
	const char *bdf;
	sigset_t waitmask;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = parse_args(argc, argv, &b.grant, &bdf);
	if (ret >= 0)
		return ret;
	catch_signals(&waitmask);
	ret = find_device(bdf, &b.pci);
	if (!ret)
		ret = open_grant(PROG, b.grant, &b.dev);
	if (ret)
		return ret;
	ret = check_grant(&b);
	if (!ret)
		ret = map_bars(&b);
	if (!ret)
		ret = check_id(&b);
	if (!ret)
		ret = drive(&b, &waitmask);
	unmap_bars(&b);
	umdp_close(b.dev);
	if (b.saved.fb)		/* the display was changed */
		printf("%s: released %s\n", PROG, b.grant);
	free(b.saved.fb);
	return ret;
}
