// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bufs.c - user pointers for the kernel to chew on, and touches that
 * survive SIGBUS.
 *
 * Each worker has a big scratch buffer followed by a PROT_NONE guard page,
 * a read-only page and the address of a page it unmapped. buf_pick()
 * returns one of them, a kernel or non-canonical address, NULL, or an
 * address inside one of the worker's own umdp mappings (so that the kernel
 * copies to or from device memory it maps itself: a copy made while
 * holding the node's info_lock would deadlock against revoke, and lockdep
 * says so).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

#define PAGE 4096UL

unsigned char *bigbuf;
static unsigned char *guard;
static unsigned char *ro_page;
static void *unmapped;

void bufs_init(void)
{
	unsigned char *p;

	p = mmap(NULL, BIGBUF + PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		abort();
	bigbuf = p;
	guard = p + BIGBUF;
	if (mprotect(guard, PAGE, PROT_NONE))
		abort();
	/* read as a batch, it is "inb 0xe0" over and over */
	ro_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro_page == MAP_FAILED)
		abort();
	for (size_t i = 0; i < PAGE; i += 8) {
		ro_page[i] = 0xe0;
		ro_page[i + 2] = 1;
	}
	if (mprotect(ro_page, PAGE, PROT_READ))
		abort();
	unmapped = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	if (unmapped == MAP_FAILED || munmap(unmapped, PAGE))
		abort();
}

/* a place in one of this worker's umdp mappings with @len bytes of device
 * memory the fuzzer may touch, or NULL */
static void *umdp_map_ptr(struct wstate *ws, size_t len, uint64_t sub)
{
	unsigned int i;

	if (len > PAGE)
		len = PAGE;
	for (i = 0; i < NMAP; i++) {
		unsigned int m = (unsigned int)((sub + i) % NMAP);
		uint64_t t;

		if (!ws->map[m].addr || ws->map[m].len < len)
			continue;
		t = (sub >> 8) % (ws->map[m].len - len + 1);
		if (!map_touch_safe(ws, m, t, (unsigned int)len))
			continue;
		return (unsigned char *)ws->map[m].addr + t;
	}
	return NULL;
}

void *buf_pick(struct wstate *ws, unsigned int kind, size_t len, bool for_read,
	       uint64_t sub)
{
	void *p;

	(void)for_read;
	switch (kind) {
	case BUF_NULL:
		return NULL;
	case BUF_UNMAPPED:
		return unmapped;
	case BUF_KERNEL:
		return (void *)(sub & 1 ? 0xffff888000000000UL :
				0xffffffff81000000UL);
	case BUF_NONCANON:
		return (void *)0x8000000000000000UL;
	case BUF_READONLY:
		return ro_page;
	case BUF_GUARD:
		/* ends somewhere in the guard page */
		return guard - (len ? sub % len : 0);
	case BUF_MISALIGNED:
		return bigbuf + 1 + sub % 7;
	case BUF_UMDP_MAP:
		p = umdp_map_ptr(ws, len, sub);
		if (p)
			return p;
		return bigbuf;
	default:
		return bigbuf;
	}
}

/* ---- touches ---- */

static sigjmp_buf touch_env;
static volatile sig_atomic_t in_touch;

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (in_touch) {
		in_touch = 0;
		siglongjmp(touch_env, sig);
	}
	/* not ours: die of it, the supervisor reports the worker's death */
	signal(sig, SIG_DFL);
	raise(sig);
}

void fault_handlers_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

int guarded_touch(volatile void *p, unsigned int width, bool write,
		  uint64_t val)
{
	int sig = sigsetjmp(touch_env, 1);

	if (sig)
		return RES_SIGNAL + sig;
	in_touch = 1;
	switch (width) {
	case 1:
		if (write)
			*(volatile uint8_t *)p = (uint8_t)val;
		else
			(void)*(volatile uint8_t *)p;
		break;
	case 2:
		if (write)
			*(volatile uint16_t *)p = (uint16_t)val;
		else
			(void)*(volatile uint16_t *)p;
		break;
	case 4:
		if (write)
			*(volatile uint32_t *)p = (uint32_t)val;
		else
			(void)*(volatile uint32_t *)p;
		break;
	default:
		if (write)
			*(volatile uint64_t *)p = val;
		else
			(void)*(volatile uint64_t *)p;
		break;
	}
	in_touch = 0;
	return 0;
}

/* memcpy into memory that may fault (a umdp mapping): 0 or RES_SIGNAL + sig */
int guarded_copy(void *dst, const void *src, size_t n)
{
	int sig = sigsetjmp(touch_env, 1);

	if (sig)
		return RES_SIGNAL + sig;
	in_touch = 1;
	memcpy(dst, src, n);
	in_touch = 0;
	return 0;
}
