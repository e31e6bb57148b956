// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-pcicheck - checks of a "pci" grant of QEMU's edu device, run by
 * tests/bats/pci.bats as the grant's program.
 *
 *   umdp-pcicheck info GRANT
 *	UMDP_IOC_PCI_INFO names edu and BAR0; BAR0 is a window of the grant
 *	and edu's ident register reads 0x010000ed through it.
 *   umdp-pcicheck config GRANT
 *	config space reads; writes limited to the Command register's I/O,
 *	Memory and INTx Disable bits.
 *   umdp-pcicheck intx GRANT N
 *	N interrupts raised through edu's 0x60 arrive on the function's INTx,
 *	masked by INTx Disable until unmasked; none lost.
 *   umdp-pcicheck msi GRANT N
 *	the same over edu's MSI vector, and the factorials with MSI.
 *   umdp-pcicheck dma GRANT
 *	a buffer copied into edu and back by its DMA engine into a second
 *	buffer; bus mastering on only while a buffer exists.
 *   umdp-pcicheck confine GRANT [ADDR...]
 *	edu's DMA pointed at bus addresses outside the grant's buffers (0,
 *	guesses, a freed buffer's, and each ADDR: another grant's buffers,
 *	a kernel page) moves nothing into the grant's buffers; an ADDR that
 *	is also one of this grant's own bus addresses (IOVAs are per IOMMU
 *	domain) lands in that own buffer. Prints "# fault-expected ADDR
 *	LABEL" for each address no buffer of the grant holds.
 *   umdp-pcicheck limits GRANT
 *	allocations beyond the grant's "dma" are ENOSPC; a freed buffer's
 *	mapping is SIGBUS.
 *   umdp-pcicheck hold GRANT [SIZE...]
 *	allocate buffers (one page; or one of each SIZE), fill them with
 *	0x33, print "ready iova=ADDR..." and sleep until killed; on SIGUSR1
 *	print "intact" when every byte still is 0x33, else "not ok".
 *   umdp-pcicheck revoke-dma GRANT ENABLE SYSFS-DIR   (as root)
 *	start an edu DMA into a buffer, revoke the grant (0 into the
 *	configfs file ENABLE) while it is pending: bus mastering goes off
 *	(a thread watches the Command register) before edu's timer fires,
 *	the transfer lands nowhere (not in the freed page, read back through
 *	/proc/kcore at its physical address), the mappings are SIGBUS.
 *	SYSFS-DIR is edu's /sys/bus/pci/devices directory (config,
 *	resource0).
 *   umdp-pcicheck free-dma GRANT   (as root)
 *	free a buffer while edu's DMA into it is due and another buffer
 *	keeps bus mastering on, at several moments around edu's timer:
 *	nothing lands in the freed page (read through /proc/kcore), however
 *	lazily the IOMMU invalidates its IOTLB.
 *   umdp-pcicheck kread PHYS LEN   (as root)
 *	print LEN bytes of RAM at physical address PHYS in hex, read through
 *	/proc/kcore.
 */
#include <elf.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <umdp.h>

#include "check.h"

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_IDENT	0x00
#define EDU_FACT	0x08
#define EDU_STATUS	0x20
#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_RAISE	0x60
#define EDU_IRQ_ACK	0x64
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_RUN	0x1
#define EDU_DMA_TO_PCI	0x2
#define EDU_BUF		0x40000	/* edu's internal DMA buffer */
#define XFER		2048	/* QEMU 7.2 aborts on a full 4 KiB */
#define PAGE		4096
#define PCI_CMD_MASTER	0x4
#define HOLD_BYTE	0x33	/* what hold fills its buffers with */
#define CONFINE_BYTE	0x5a	/* what confine loads into edu's buffer */
#define MAX_TARGETS	16
#define TAG		64	/* random bytes that find a page in RAM */

struct edu {
	struct umdp_dev *dev;
	struct umdp_pci_info info;
	volatile uint32_t *bar0;
};

static void die(const char *what, int err)
{
	printf("not ok - %s: %s\n", what, umdp_strerror(err));
	exit(1);
}

static void edu_open(const char *grant, struct edu *e)
{
	void *p;
	int err;

	err = umdp_open(grant, 0, &e->dev);
	if (err)
		die("open", err);
	err = umdp_pci_info_get(e->dev, &e->info);
	if (err)
		die("UMDP_IOC_PCI_INFO", err);
	err = umdp_map(e->dev, e->info.bar[0].start, 4096, 0, &p);
	if (err)
		die("mapping BAR0", err);
	e->bar0 = p;
}

static uint32_t rd(struct edu *e, unsigned int off)
{
	return e->bar0[off / 4];
}

static void wr(struct edu *e, unsigned int off, uint32_t v)
{
	e->bar0[off / 4] = v;
}

static void wr64(struct edu *e, unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)((volatile char *)e->bar0 + off) = v;
}

static int pci_flags(struct edu *e)
{
	struct umdp_pci_info info;

	if (umdp_pci_info_get(e->dev, &info))
		return -1;
	return (int)info.pci_flags;
}

/* Run one edu DMA and wait for it (edu takes ~100 ms of virtual time). */
static int edu_dma(struct edu *e, uint64_t src, uint64_t dst, uint32_t n,
		   uint32_t dir)
{
	int i;

	wr64(e, EDU_DMA_SRC, src);
	wr64(e, EDU_DMA_DST, dst);
	wr64(e, EDU_DMA_COUNT, n);
	wr64(e, EDU_DMA_CMD, EDU_DMA_RUN | dir);
	for (i = 0; i < 500; i++) {
		if (!(rd(e, EDU_DMA_CMD) & EDU_DMA_RUN))
			return 0;
		usleep(10000);
	}
	return -1;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig;

static void on_fault(int sig)
{
	fault_sig = sig;
	siglongjmp(fault_jmp, 1);
}

static void on_fault_ignore(int sig)
{
	(void)sig;
}

/* Read a byte at @p: 0, or the signal (SIGBUS, SIGSEGV) that read raised. */
static int touch_signal(const volatile uint8_t *p)
{
	struct sigaction sa, old_bus, old_segv;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	fault_sig = 0;
	if (!sigsetjmp(fault_jmp, 1))
		(void)*p;
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return fault_sig;
}

/*
 * RAM by physical address, read through /proc/kcore (root; /dev/mem
 * refuses RAM under STRICT_DEVMEM): its PT_LOAD segments of RAM and of
 * the kernel's text carry their physical address in p_paddr.
 */
#define KCORE_SEGS	32

struct kcore {
	int fd;
	unsigned int n;
	struct {
		uint64_t phys, len, off;
	} seg[KCORE_SEGS];
};

static int kcore_open(struct kcore *k)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int i;

	memset(k, 0, sizeof(*k));
	k->fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
	if (k->fd < 0)
		return -errno;
	if (pread(k->fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64)
		goto err;
	for (i = 0; i < eh.e_phnum && k->n < KCORE_SEGS; i++) {
		if (pread(k->fd, &ph, sizeof(ph),
			  (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) !=
		    (ssize_t)sizeof(ph))
			goto err;
		if (ph.p_type != PT_LOAD || ph.p_paddr == (Elf64_Addr)-1)
			continue;
		k->seg[k->n].phys = ph.p_paddr;
		k->seg[k->n].len = ph.p_memsz;
		k->seg[k->n].off = ph.p_offset;
		k->n++;
	}
	return 0;
err:
	close(k->fd);
	k->fd = -1;
	return -EIO;
}

static int kcore_pread(const struct kcore *k, uint64_t phys, void *buf,
		       size_t len)
{
	unsigned int i;

	for (i = 0; i < k->n; i++) {
		uint64_t rel = phys - k->seg[i].phys;

		if (phys < k->seg[i].phys || rel >= k->seg[i].len ||
		    len > k->seg[i].len - rel)
			continue;
		return pread(k->fd, buf, len, (off_t)(k->seg[i].off + rel)) ==
		       (ssize_t)len ? 0 : -EIO;
	}
	return -ENOENT;
}

/* Read @len bytes of RAM at physical address @phys. */
static int kcore_read(uint64_t phys, void *buf, size_t len)
{
	struct kcore k;
	int ret = kcore_open(&k);

	if (ret)
		return ret;
	ret = kcore_pread(&k, phys, buf, len);
	close(k.fd);
	return ret;
}

/*
 * /proc/kpageflags bits of pages that cannot be a DMA buffer of umdp (a
 * page the DMA API took from the page allocator for the kernel): free,
 * on an LRU, slab, page table, compound, no page, reserved, offline, the
 * zero page, mapped or anonymous (a VM_PFNMAP insertion maps no page).
 */
#define KPF_NOT_DMA	((1ULL << 5) | (1ULL << 7) | (1ULL << 10) | \
			 (1ULL << 11) | (1ULL << 12) | (1ULL << 15) | \
			 (1ULL << 16) | (1ULL << 20) | (1ULL << 23) | \
			 (1ULL << 24) | (1ULL << 26) | (1ULL << 32))

/*
 * The physical address of the page that starts with @tag (@len bytes,
 * random: no other page holds it), or 0. Pagemap shows no frame of a
 * VM_PFNMAP mapping, so the DMA buffer is looked for in RAM: the pages
 * /proc/kpageflags allows, read through /proc/kcore.
 */
static uint64_t find_page(const void *tag, size_t len)
{
	static uint64_t flags[4096];
	uint8_t buf[256];
	uint64_t found = 0, pfn = 0;
	struct kcore k;
	ssize_t n;
	int fd;

	if (len > sizeof(buf) || kcore_open(&k))
		return 0;
	fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	while (fd >= 0 && !found &&
	       (n = pread(fd, flags, sizeof(flags),
			  (off_t)(pfn * sizeof(flags[0])))) > 0) {
		size_t i;

		for (i = 0; i < (size_t)n / sizeof(flags[0]) && !found; i++) {
			uint64_t phys = (pfn + i) * PAGE;

			if (!(flags[i] & KPF_NOT_DMA) &&
			    !kcore_pread(&k, phys, buf, len) &&
			    !memcmp(buf, tag, len))
				found = phys;
		}
		pfn += (uint64_t)n / sizeof(flags[0]);
	}
	if (fd >= 0)
		close(fd);
	close(k.fd);
	return found;
}

/* Is the bus address @a inside @buf? */
static int holds(const struct umdp_dma *buf, uint64_t a)
{
	return a >= buf->iova && a - buf->iova < buf->size;
}

static int cmd_info(const char *grant)
{
	struct umdp_pci_dev pci;
	struct umdp_info *ui;
	struct edu e;

	edu_open(grant, &e);
	CHECK(e.info.vendor == EDU_VENDOR && e.info.device == EDU_DEVICE,
	      "the grant's function is edu (%04x:%04x)", e.info.vendor,
	      e.info.device);
	CHECK(e.info.bar[0].len == 1 << 20 &&
	      (e.info.bar[0].flags & UMDP_PCI_BAR_MEM),
	      "BAR0 is 1 MiB of memory at 0x%" PRIx64,
	      (uint64_t)e.info.bar[0].start);
	CHECK(!umdp_info_get(e.dev, &ui) &&
	      umdp_info_find_mem(ui, e.info.bar[0].start, e.info.bar[0].len),
	      "BAR0 is one of the grant's mem windows");
	umdp_info_free(ui);
	CHECK(rd(&e, EDU_IDENT) == 0x010000ed,
	      "edu's ident reads 0x010000ed through the mapped BAR0 (0x%08x)",
	      rd(&e, EDU_IDENT));
	CHECK(!umdp_pci_grant(e.dev, &pci) && pci.vendor == EDU_VENDOR &&
	      pci.bar[0].start == e.info.bar[0].start,
	      "umdp_pci_grant() names %s with BAR0 at 0x%" PRIx64, pci.bdf,
	      pci.bar[0].start);
	CHECK(!(e.info.pci_flags & UMDP_PCI_MASTER),
	      "bus mastering is off while no DMA buffer exists");
	printf("# %s iommu=%d dma_max=%" PRIu64 " dma_bits=%u\n", pci.bdf,
	       !!(e.info.pci_flags & UMDP_PCI_IOMMU),
	       (uint64_t)e.info.dma_max, e.info.dma_bits);
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

static int cmd_config(const char *grant)
{
	uint32_t v = 0, cmd = 0;
	struct edu e;

	edu_open(grant, &e);
	CHECK(!umdp_pci_config_read(e.dev, 0, 4, &v) &&
	      v == (EDU_DEVICE << 16 | EDU_VENDOR),
	      "config dword 0 reads edu's IDs (0x%08x)", v);
	CHECK(!umdp_pci_config_read(e.dev, 0x10, 4, &v) &&
	      (v & ~0xfu) == (uint32_t)e.info.bar[0].start,
	      "config reads BAR0 (0x%08x)", v);
	CHECK(umdp_pci_config_read(e.dev, 2, 4, &v) == -EINVAL,
	      "a misaligned read is EINVAL");
	CHECK(umdp_pci_config_read(e.dev, 4096, 1, &v) == -EINVAL,
	      "a read beyond the config space is EINVAL");
	CHECK(umdp_pci_config_read(e.dev, 0, 3, &v) == -EINVAL,
	      "a read of 3 bytes is EINVAL");
	umdp_pci_config_read(e.dev, 4, 2, &cmd);
	CHECK(!umdp_pci_config_write(e.dev, 4, 2, cmd | 0x400) &&
	      !umdp_pci_config_read(e.dev, 4, 2, &v) && (v & 0x400),
	      "INTx Disable may be set (0x%04x)", v);
	CHECK(!umdp_pci_config_write(e.dev, 4, 2, cmd & ~0x400u) &&
	      !umdp_pci_config_read(e.dev, 4, 2, &v) && !(v & 0x400),
	      "and cleared (0x%04x)", v);
	CHECK(umdp_pci_config_write(e.dev, 4, 2, cmd | 0x4) == -EPERM &&
	      !umdp_pci_config_read(e.dev, 4, 2, &v) && !(v & 0x4),
	      "setting Bus Master Enable is EPERM and leaves it off");
	CHECK(umdp_pci_config_write(e.dev, 0x10, 4, 0x1000) == -EPERM &&
	      !umdp_pci_config_read(e.dev, 0x10, 4, &v) &&
	      (v & ~0xfu) == (uint32_t)e.info.bar[0].start,
	      "writing BAR0 is EPERM and leaves it");
	CHECK(umdp_pci_config_write(e.dev, 6, 2, 0xffff) == -EPERM,
	      "writing the Status register is EPERM");
	CHECK(umdp_pci_config_write(e.dev, 4, 1, (cmd & 0xff) | 0x100) ==
	      -EINVAL, "a value wider than the access is EINVAL");
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

/* Raise edu's interrupt @n times, one at a time; count what arrives. */
static int cmd_irq(const char *grant, long n, int msi)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	long lost = 0, extra = 0, i;
	unsigned int nr, want;
	struct edu e;
	int r;

	edu_open(grant, &e);
	want = msi ? UMDP_IRQ_EV_MSI : UMDP_IRQ_EV_INTX;
	nr = UMDP_MAX_RANGES;
	r = umdp_irq_fetch(e.dev, ev, &nr);
	CHECK(r == 0 && nr == 1 && (ev[0].flags & want) && ev[0].total == 0,
	      "one line, an %s, nothing counted yet (flags 0x%x)",
	      msi ? "MSI vector" : "INTx", nr ? ev[0].flags : 0);
	for (i = 0; i < n; i++) {
		wr(&e, EDU_IRQ_RAISE, 1);
		nr = UMDP_MAX_RANGES;
		r = umdp_irq_wait(e.dev, 2000, ev, &nr);
		if (r != 1)
			lost++;
		else if (ev[0].count != 1)
			extra++;
		if (!msi && r == 1 && !(ev[0].flags & UMDP_IRQ_EV_MASKED))
			extra++;
		wr(&e, EDU_IRQ_ACK, rd(&e, EDU_IRQ_STATUS));
		if (!msi)
			umdp_irq_unmask(e.dev, ev[0].irq);
		if (lost > 5)
			break;
	}
	CHECK(lost == 0 && extra == 0,
	      "%ld interrupts raised one at a time: %ld lost, %ld doubled or unmasked",
	      n, lost, extra);
	if (msi) {
		/* edu raises its interrupt when a factorial is done (0x80) */
		static const uint32_t fact[] = { 1, 120, 3628800, 479001600 };
		static const uint32_t arg[] = { 0, 5, 10, 12 };
		int ok = 1;

		for (i = 0; i < 4; i++) {
			wr(&e, EDU_STATUS, 0x80);
			wr(&e, EDU_FACT, arg[i]);
			nr = UMDP_MAX_RANGES;
			r = umdp_irq_wait(e.dev, 2000, ev, &nr);
			ok &= r == 1 && rd(&e, EDU_FACT) == fact[i];
			wr(&e, EDU_IRQ_ACK, rd(&e, EDU_IRQ_STATUS));
		}
		CHECK(ok, "0!, 5!, 10!, 12! computed by edu, each announced by MSI");
	}
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

static int cmd_dma(const char *grant)
{
	struct umdp_dma a, b;
	struct edu e;
	int i, ok = 1;

	edu_open(grant, &e);
	CHECK(!(pci_flags(&e) & UMDP_PCI_MASTER),
	      "bus mastering is off before the first buffer");
	CHECK(!umdp_dma_alloc(e.dev, 4096, &a) &&
	      !umdp_dma_alloc(e.dev, 4096, &b),
	      "two 4 KiB buffers allocated (iova 0x%" PRIx64 ", 0x%" PRIx64 ")",
	      a.iova, b.iova);
	CHECK(pci_flags(&e) & UMDP_PCI_MASTER,
	      "bus mastering is on while buffers exist");
	for (i = 0; i < 4096; i++)
		ok &= ((uint8_t *)a.addr)[i] == 0 && ((uint8_t *)b.addr)[i] == 0;
	CHECK(ok, "new buffers are zeroed");
	for (i = 0; i < XFER; i++)
		((uint8_t *)a.addr)[i] = (uint8_t)(i * 7 + 3);
	CHECK(!edu_dma(&e, a.iova, EDU_BUF, XFER, 0),
	      "edu copied %d bytes of buffer A into its own memory", XFER);
	CHECK(!edu_dma(&e, EDU_BUF, b.iova, XFER, EDU_DMA_TO_PCI),
	      "and from there into buffer B");
	CHECK(!memcmp(a.addr, b.addr, XFER),
	      "buffer B holds what the driver wrote into A");
	CHECK(!umdp_dma_free(e.dev, &a) && (pci_flags(&e) & UMDP_PCI_MASTER),
	      "freeing one buffer leaves bus mastering on");
	CHECK(!umdp_dma_free(e.dev, &b) && !(pci_flags(&e) & UMDP_PCI_MASTER),
	      "freeing the last turns it off");
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

/* One target of confine: "0xADDR" or "LABEL=0xADDR". */
struct target {
	uint64_t addr;
	const char *label;
};

static int cmd_confine(const char *grant, int nextra, char **extra)
{
	static const uint64_t guesses[] = { 0, 0x100000, 0x8000000 };
	struct target t[MAX_TARGETS];
	struct umdp_dma a, b, c;
	uint8_t zero[XFER] = { 0 };
	unsigned int n = 0, i;
	struct edu e;

	edu_open(grant, &e);
	if (umdp_dma_alloc(e.dev, PAGE, &a) || umdp_dma_alloc(e.dev, PAGE, &b) ||
	    umdp_dma_alloc(e.dev, PAGE, &c))
		die("allocating", -ENOMEM);
	/*
	 * The given addresses first: the kernel logs at most 5 DMAR faults
	 * in 5 s (dmar_fault()'s ratelimit, two messages a fault), and the
	 * test looks for theirs.
	 */
	for (i = 0; i < (unsigned int)nextra && n < MAX_TARGETS - 4; i++) {
		const char *eq = strchr(extra[i], '=');

		t[n].addr = strtoull(eq ? eq + 1 : extra[i], NULL, 0);
		t[n].label = eq ? strndup(extra[i], (size_t)(eq - extra[i])) :
			     "given";
		n++;
	}
	for (i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++)
		t[n++] = (struct target){ guesses[i], "a guess" };
	t[n++] = (struct target){ c.iova, "a freed buffer of this grant" };
	umdp_dma_free(e.dev, &c);
	memset(a.addr, CONFINE_BYTE, XFER);
	if (edu_dma(&e, a.iova, EDU_BUF, XFER, 0))
		die("loading edu's buffer", -EIO);
	memset(a.addr, 0, XFER);
	for (i = 0; i < n; i++) {
		struct umdp_dma *own = holds(&a, t[i].addr) ? &a :
				       holds(&b, t[i].addr) ? &b : NULL;
		uint64_t to = t[i].addr;

		if (!own)
			printf("# fault-expected 0x%" PRIx64 " %s\n",
			       to & ~(uint64_t)(PAGE - 1), t[i].label);
		CHECK(!edu_dma(&e, EDU_BUF, to, XFER, EDU_DMA_TO_PCI),
		      "edu's DMA to bus address 0x%" PRIx64 " (%s) ran", to,
		      t[i].label);
		if (own) {
			uint64_t off = to - own->iova;

			CHECK(off + XFER <= own->size &&
			      ((uint8_t *)own->addr)[off] == CONFINE_BYTE &&
			      ((uint8_t *)own->addr)[off + XFER - 1] ==
			      CONFINE_BYTE,
			      "0x%" PRIx64 " is also a bus address of this grant's own buffer in its IOMMU domain: the DMA landed there",
			      to);
			memset(own->addr, 0, own->size);
		} else {
			CHECK(!memcmp(a.addr, zero, XFER) &&
			      !memcmp(b.addr, zero, XFER),
			      "none of it reached the grant's buffers");
		}
	}
	CHECK(!edu_dma(&e, EDU_BUF, b.iova, XFER, EDU_DMA_TO_PCI) &&
	      ((uint8_t *)b.addr)[0] == CONFINE_BYTE,
	      "while the same DMA to buffer B's bus address lands there");
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

static int cmd_limits(const char *grant)
{
	struct umdp_dma_alloc al = { .argsz = sizeof(al), .size = 4096 };
	struct umdp_dma_free fr = { .argsz = sizeof(fr) };
	struct umdp_dma a, b, c;
	volatile uint8_t *p;
	struct edu e;
	int faulted = 0;

	edu_open(grant, &e);
	CHECK(!umdp_dma_alloc(e.dev, 4096, &a) &&
	      !umdp_dma_alloc(e.dev, 4096, &b),
	      "two pages fit a grant with dma 8K");
	CHECK(umdp_dma_alloc(e.dev, 1, &c) == -ENOSPC,
	      "one byte more is ENOSPC");
	CHECK(umdp_dma_alloc(e.dev, (size_t)2 << 30, &c) == -EINVAL,
	      "2 GiB at once is EINVAL");
	CHECK(!umdp_dma_free(e.dev, &b) && !umdp_dma_alloc(e.dev, 100, &b),
	      "after a free a page fits again");
	CHECK(umdp_dma_free(e.dev, &(struct umdp_dma){ .addr = &faulted,
						      .id = 999 }) == -EINVAL,
	      "freeing an id the grant does not have is EINVAL");
	umdp_dma_free(e.dev, &a);
	umdp_dma_free(e.dev, &b);

	/* a mapping of a buffer that is then freed */
	if (ioctl(umdp_fd(e.dev), UMDP_IOC_DMA_ALLOC, &al))
		die("UMDP_IOC_DMA_ALLOC", -errno);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		 umdp_fd(e.dev), (off_t)al.offset);
	CHECK(p != MAP_FAILED, "the buffer maps at its offset 0x%" PRIx64,
	      (uint64_t)al.offset);
	if (p == MAP_FAILED)
		return 1;
	p[0] = 0x42;
	CHECK(mmap(NULL, 8192, PROT_READ, MAP_SHARED, umdp_fd(e.dev),
		   (off_t)al.offset) == MAP_FAILED && errno == EPERM,
	      "a mapping longer than the buffer is EPERM");
	fr.id = al.id;
	CHECK(!ioctl(umdp_fd(e.dev), UMDP_IOC_DMA_FREE, &fr), "freed");
	CHECK(touch_signal(p) == SIGBUS,
	      "touching the freed buffer's mapping is SIGBUS");
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, umdp_fd(e.dev),
		   (off_t)al.offset) == MAP_FAILED && errno == EPERM,
	      "mapping the freed buffer again is EPERM");
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

/* Is every byte of @buf @b? Returns the first other offset, or -1. */
static long first_not(const void *buf, size_t len, uint8_t b)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != b)
			return (long)i;
	return -1;
}

static __attribute__((noreturn)) int cmd_hold(const char *grant, int n,
					      char **sizes)
{
	struct umdp_dma a[MAX_TARGETS];
	int nb = n ? n : 1, i;
	sigset_t usr1, old;
	struct edu e;

	if (nb > MAX_TARGETS)
		nb = MAX_TARGETS;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	signal(SIGUSR1, on_fault_ignore);
	edu_open(grant, &e);
	printf("ready");
	for (i = 0; i < nb; i++) {
		size_t size = n ? strtoul(sizes[i], NULL, 0) : PAGE;

		if (umdp_dma_alloc(e.dev, size, &a[i]))
			die("allocating", -ENOMEM);
		memset(a[i].addr, HOLD_BYTE, size);
		printf(" iova=0x%" PRIx64, a[i].iova);
	}
	printf("\n");
	fflush(stdout);
	for (;;) {
		int bad = -1;
		long off = -1;

		/* SIGUSR1: are the buffers still as filled? */
		sigsuspend(&old);
		for (i = 0; i < nb && bad < 0; i++) {
			off = first_not(a[i].addr, a[i].size, HOLD_BYTE);
			if (off >= 0)
				bad = i;
		}
		if (bad < 0)
			printf("intact: %d buffers, every byte 0x%02x\n", nb,
			       HOLD_BYTE);
		else
			printf("not ok - buffer %d (iova 0x%" PRIx64 ") changed at offset %ld: 0x%02x\n",
			       bad, a[bad].iova, off,
			       ((uint8_t *)a[bad].addr)[off]);
		fflush(stdout);
	}
}

/* A mapping of edu's BAR0 through sysfs (root), for after revoke. */
static volatile uint32_t *sysfs_bar0(const char *dir)
{
	char path[512];
	void *p;
	int fd;

	snprintf(path, sizeof(path), "%s/resource0", dir);
	fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static int write_file(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, v, strlen(v)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

#define ATTEMPT_AGAIN	2
#define DUE_MS		80	/* bus mastering off before this: before edu's timer */

/* A thread that watches edu's Command register in sysfs during revoke. */
struct bme_watch {
	int cfd;		/* edu's sysfs config */
	double t0;		/* when the DMA command was written */
	atomic_int start;
	double off_ms;		/* bus mastering first seen off, from t0 */
};

static void *bme_watcher(void *arg)
{
	struct bme_watch *w = arg;
	uint16_t cmd;

	while (!atomic_load(&w->start))
		;
	w->off_ms = -1;
	while (now_ms() - w->t0 < 3000) {
		if (pread(w->cfd, &cmd, sizeof(cmd), 4) == (ssize_t)sizeof(cmd) &&
		    !(cmd & PCI_CMD_MASTER)) {
			w->off_ms = now_ms() - w->t0;
			break;
		}
		usleep(100);
	}
	return NULL;
}

/*
 * One try of revoke-dma: ATTEMPT_AGAIN when bus mastering went off too late
 * to tell (a loaded host); the caller enables the grant again and retries.
 */
static int revoke_attempt(const char *grant, const char *enable,
			  const char *sysdir, int last)
{
	static uint8_t pattern[XFER], page[PAGE];
	struct bme_watch w = { .off_ms = -1 };
	volatile uint32_t *regs;
	struct umdp_dma x, y;
	pthread_t watcher;
	uint64_t phys;
	double t1;
	uint16_t cmd = 0xffff;
	char path[512];
	int efd, i, sig;
	struct edu e;

	edu_open(grant, &e);
	snprintf(path, sizeof(path), "%s/config", sysdir);
	w.cfd = open(path, O_RDONLY | O_CLOEXEC);
	efd = open(enable, O_WRONLY | O_CLOEXEC);
	if (w.cfd < 0 || efd < 0)
		die("opening edu's config and the grant's enable", -errno);
	if (umdp_dma_alloc(e.dev, PAGE, &x) || umdp_dma_alloc(e.dev, PAGE, &y))
		die("allocating", -ENOMEM);
	for (i = 0; i < XFER; i++)
		pattern[i] = (uint8_t)(i * 13 + 7);
	memcpy(x.addr, pattern, XFER);
	CHECK(!edu_dma(&e, x.iova, EDU_BUF, XFER, 0) &&
	      !edu_dma(&e, EDU_BUF, y.iova, XFER, EDU_DMA_TO_PCI) &&
	      !memcmp(y.addr, pattern, XFER),
	      "control: without a revoke, edu's DMA from its memory lands in buffer Y");
	memset(y.addr, 0x6b, PAGE);
	if (getrandom(y.addr, TAG, 0) != TAG)
		die("getrandom", -errno);
	phys = find_page(y.addr, TAG);
	CHECK(phys != 0, "buffer Y is the physical page 0x%" PRIx64
	      " (found through /proc/kpageflags and /proc/kcore)", phys);
	CHECK(phys && !kcore_read(phys, page, PAGE) &&
	      !memcmp(page, y.addr, PAGE),
	      "/proc/kcore at that physical address reads what Y's mapping holds");
	CHECK(pci_flags(&e) & UMDP_PCI_MASTER,
	      "bus mastering is on while the buffers exist");
	if (pthread_create(&watcher, NULL, bme_watcher, &w))
		die("starting the watcher", -EAGAIN);

	/* the device writes Y ~100 ms from the command: revoke before */
	w.t0 = now_ms();
	wr64(&e, EDU_DMA_SRC, EDU_BUF);
	wr64(&e, EDU_DMA_DST, y.iova);
	wr64(&e, EDU_DMA_COUNT, XFER);
	wr64(&e, EDU_DMA_CMD, EDU_DMA_RUN | EDU_DMA_TO_PCI);
	atomic_store(&w.start, 1);
	if (write(efd, "0\n", 2) != 2)
		die("revoking the grant", -errno);
	t1 = now_ms();
	pthread_join(watcher, NULL);
	close(efd);
	if (pread(w.cfd, &cmd, sizeof(cmd), 4) != (ssize_t)sizeof(cmd))
		cmd = 0xffff;
	close(w.cfd);
	printf("# bus mastering went off %.1f ms after the DMA command, revoke returned after %.1f ms (edu's timer: 100 ms)\n",
	       w.off_ms, t1 - w.t0);
	if ((w.off_ms < 0 || w.off_ms >= DUE_MS) && !last) {
		munmap(x.addr, x.size);
		munmap(y.addr, y.size);
		munmap((void *)e.bar0, 4096);
		umdp_close(e.dev);
		return ATTEMPT_AGAIN;
	}
	CHECK(w.off_ms >= 0 && w.off_ms < DUE_MS,
	      "bus mastering went off before the transfer was due (%.1f ms after the command, edu's timer: 100 ms)",
	      w.off_ms);
	CHECK(!(cmd & PCI_CMD_MASTER),
	      "bus mastering is still off when revoke returned (Command 0x%04x)",
	      cmd);
	/* BAR0 through sysfs: only now, IO_STRICT_DEVMEM refuses root a
	 * mapping of a BAR that a driver (umdp-pci) has requested */
	regs = sysfs_bar0(sysdir);
	if (!regs)
		die("mapping edu's resource0", -errno);
	for (i = 0; i < 300 && (regs[EDU_DMA_CMD / 4] & EDU_DMA_RUN); i++)
		usleep(10000);
	CHECK(!(regs[EDU_DMA_CMD / 4] & EDU_DMA_RUN),
	      "edu's timer fired (%.0f ms after the command): the transfer ran, with bus mastering off",
	      now_ms() - w.t0);
	CHECK(!kcore_read(phys, page, PAGE) && memcmp(page, pattern, XFER),
	      "the freed page 0x%" PRIx64 " does not hold what edu would have written",
	      phys);
	if (first_not(page, PAGE, 0xaa) < 0)
		printf("# the freed page is still free and poisoned (0xaa, page_poison=1): nothing wrote it since the free\n");
	else if (first_not(page + TAG, PAGE - TAG, 0x6b) < 0)
		printf("# the freed page still holds the driver's last bytes (no page poisoning): nothing wrote it since\n");
	else
		printf("# the freed page was reused since (page_poison=1 checks a poisoned page when it is allocated again)\n");
	sig = touch_signal(y.addr);
	CHECK(sig == SIGBUS, "touching buffer Y's mapping after revoke is SIGBUS (%d)", sig);
	sig = touch_signal((const volatile uint8_t *)e.bar0);
	CHECK(sig == SIGBUS, "touching BAR0's mapping after revoke is SIGBUS (%d)", sig);
	munmap((void *)regs, PAGE);
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

static int cmd_revoke_dma(const char *grant, const char *enable,
			  const char *sysdir)
{
	int attempt, r = ATTEMPT_AGAIN;

	for (attempt = 1; attempt <= 3 && r == ATTEMPT_AGAIN; attempt++) {
		r = revoke_attempt(grant, enable, sysdir, attempt == 3);
		if (r == ATTEMPT_AGAIN && write_file(enable, "1\n"))
			die("enabling the grant again", -errno);
	}
	return r;
}

/*
 * free-dma GRANT (root): edu's DMA into buffer Y is due when the driver
 * frees Y while buffer X keeps bus mastering on. Under an IOMMU with
 * lazy (flush queue) invalidation the freed page must not be reachable
 * through a stale IOTLB entry: nothing may land in it.
 */
static int cmd_free_dma(const char *grant)
{
	static const int offsets_ms[] = { 80, 88, 92, 95, 97, 99, 101 };
	static uint8_t pattern[XFER], page[PAGE];
	unsigned int k;
	struct umdp_dma x, y;
	struct edu e;
	int i, landed = 0, due = 0;

	edu_open(grant, &e);
	if (umdp_dma_alloc(e.dev, PAGE, &x))
		die("allocating", -ENOMEM);
	for (i = 0; i < XFER; i++)
		pattern[i] = (uint8_t)(i * 29 + 11);
	memcpy(x.addr, pattern, XFER);
	if (edu_dma(&e, x.iova, EDU_BUF, XFER, 0))
		die("loading edu's buffer", -EIO);
	for (k = 0; k < sizeof(offsets_ms) / sizeof(offsets_ms[0]); k++) {
		uint64_t phys;
		double t0, t1;
		int pre, pending;

		if (umdp_dma_alloc(e.dev, PAGE, &y))
			die("allocating", -ENOMEM);
		/* a first DMA into Y: the IOMMU caches its translation */
		if (edu_dma(&e, EDU_BUF, y.iova, XFER, EDU_DMA_TO_PCI) ||
		    memcmp(y.addr, pattern, XFER))
			die("DMA into Y", -EIO);
		memset(y.addr, 0x6b, PAGE);
		if (getrandom(y.addr, TAG, 0) != TAG)
			die("getrandom", -errno);
		phys = find_page(y.addr, TAG);
		if (!phys)
			die("finding Y's page", -ENOENT);
		t0 = now_ms();
		wr64(&e, EDU_DMA_SRC, EDU_BUF);
		wr64(&e, EDU_DMA_DST, y.iova);
		wr64(&e, EDU_DMA_COUNT, XFER);
		wr64(&e, EDU_DMA_CMD, EDU_DMA_RUN | EDU_DMA_TO_PCI);
		while (now_ms() - t0 < offsets_ms[k])
			;
		/*
		 * Due before and still due after the free: the transfer can
		 * only land after the buffer was freed. One that ended
		 * before (or during) the free wrote the live buffer, whose
		 * page keeps the data where freed pages are not poisoned
		 * (the debug kernel has no page_poison).
		 */
		pre = rd(&e, EDU_DMA_CMD) & EDU_DMA_RUN;
		umdp_dma_free(e.dev, &y);
		t1 = now_ms();
		pending = pre && (rd(&e, EDU_DMA_CMD) & EDU_DMA_RUN);
		due += pending;
		for (i = 0; i < 300 && (rd(&e, EDU_DMA_CMD) & EDU_DMA_RUN); i++)
			usleep(10000);
		if (kcore_read(phys, page, PAGE))
			die("reading the freed page", -EIO);
		if (pending && !memcmp(page, pattern, XFER))
			landed++;
		printf("# freed Y (page 0x%" PRIx64 ") %.1f ms after the DMA command, the transfer %s: %s\n",
		       phys, t1 - t0, pending ? "still due" :
		       pre ? "done during the free" : "already done",
		       !memcmp(page, pattern, XFER) ? "edu's data LANDED in the freed page" :
		       first_not(page, PAGE, 0xaa) < 0 ? "the page is free and poisoned" :
		       "the page was reused, without edu's data");
	}
	CHECK(due >= 3, "%d of %d frees came while the transfer into the buffer was still due",
	      due, (int)(sizeof(offsets_ms) / sizeof(offsets_ms[0])));
	CHECK(!landed, "none of those transfers landed in the freed page (%d did)",
	      landed);
	CHECK(pci_flags(&e) & UMDP_PCI_MASTER,
	      "bus mastering stayed on throughout (buffer X)");
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

static int cmd_kread(const char *phys, const char *len)
{
	static uint8_t buf[1 << 16];
	size_t n = strtoul(len, NULL, 0), i;
	int ret;

	if (n > sizeof(buf))
		n = sizeof(buf);
	ret = kcore_read(strtoull(phys, NULL, 0), buf, n);
	if (ret) {
		fprintf(stderr, "umdp-pcicheck: /proc/kcore at %s: %s\n", phys,
			strerror(-ret));
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("%02x", buf[i]);
	printf("\n");
	return 0;
}

/* edu raises its interrupt; the driver exits without acking it */
static int cmd_raise(const char *grant)
{
	struct edu e;

	edu_open(grant, &e);
	wr(&e, EDU_IRQ_RAISE, 1);
	CHECK(rd(&e, EDU_IRQ_STATUS) & 1, "edu asserts its interrupt");
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "info"))
		return cmd_info(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "config"))
		return cmd_config(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "intx"))
		return cmd_irq(argv[2], atol(argv[3]), 0);
	if (argc == 4 && !strcmp(argv[1], "msi"))
		return cmd_irq(argv[2], atol(argv[3]), 1);
	if (argc == 3 && !strcmp(argv[1], "dma"))
		return cmd_dma(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "confine"))
		return cmd_confine(argv[2], argc - 3, argv + 3);
	if (argc == 3 && !strcmp(argv[1], "limits"))
		return cmd_limits(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2], argc - 3, argv + 3);
	if (argc == 5 && !strcmp(argv[1], "revoke-dma"))
		return cmd_revoke_dma(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "free-dma"))
		return cmd_free_dma(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "raise"))
		return cmd_raise(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "kread"))
		return cmd_kread(argv[2], argv[3]);
	fprintf(stderr, "usage: umdp-pcicheck info|config|dma|limits|raise GRANT\n"
		"       umdp-pcicheck intx|msi GRANT N\n"
		"       umdp-pcicheck confine GRANT [[LABEL=]ADDR...]\n"
		"       umdp-pcicheck hold GRANT [SIZE...]\n"
		"       umdp-pcicheck revoke-dma GRANT ENABLE SYSFS-DIR\n"
		"       umdp-pcicheck free-dma GRANT\n"
		"       umdp-pcicheck kread PHYS LEN\n");
	return 2;
}
