// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-mapcheck GRANT MODE PHYS [ARGS] - device memory through libumdp.
 *
 *   testdev PHYS         checks on pc-testdev's 64 KiB RAM window at PHYS:
 *                        two mappings, fork, refusals, smaps flags, mremap,
 *                        partial munmap (testdev.c)
 *   edu PHYS             checks on edu's BAR0 at PHYS: id, liveness,
 *                        factorial (edu.c)
 *   wc PHYS              the window is granted ",wc": round trip, and the
 *                        PAT memtype table holds one write-combining entry
 *                        for the window from the first mapping until
 *                        revoke (root only; wc.c)
 *   poke PHYS OFF VAL    map the page at PHYS, write 32-bit VAL at OFF
 *   peek PHYS OFF        map the page at PHYS, print the 32-bit value at OFF
 *   map PHYS LEN [private]  one mmap of the node; prints "ok" or the errno
 *                        name (raw mmap(2) with MAP_PRIVATE when asked)
 *   revoke PHYS          maps, forks a child, prints "ready" and waits for
 *                        a line on stdin (the grant is revoked meanwhile);
 *                        then checks SIGBUS in child and parent, ENODEV,
 *                        munmap and close (lifetime.c)
 *   closed PHYS          maps, closes the handle, uses the mapping, prints
 *                        "ready", waits for a line (revoke), checks SIGBUS
 *                        (lifetime.c)
 *   forkexit PHYS        children that use the mapping and exit while the
 *                        parent keeps using it (lifetime.c)
 *   race PHYS            threads map and first-touch the window over and
 *                        over; prints "ready", waits for a line (revoke
 *                        meanwhile); then no page of any mapping may be
 *                        reachable (race.c)
 *
 * Prints one TAP-like line per check; exits 1 if any failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mapcheck.h"

int failures;
const char *grant;

static uint64_t num(const char *s)
{
	return strtoull(s, NULL, 0);
}

static void mode_map(uint64_t phys, size_t len, int private)
{
	struct umdp_dev *dev = open_or_die();
	void *p;
	int err;

	if (private) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			 umdp_fd(dev), (off_t)phys);
		err = p == MAP_FAILED ? -errno : 0;
	} else {
		err = umdp_map(dev, phys, len, 0, &p);
	}
	printf("%s\n", err ? strerrorname_np(-err) : "ok");
	umdp_close(dev);
	exit(err ? 1 : 0);
}

static int mode_poke(uint64_t phys, const char *off, const char *val)
{
	struct umdp_dev *dev = open_or_die();
	void *p = map_or_die(dev, phys, PAGE);

	wr32(p, num(off), (uint32_t)num(val));
	return 0;
}

static int mode_peek(uint64_t phys, const char *off)
{
	struct umdp_dev *dev = open_or_die();
	void *p = map_or_die(dev, phys, PAGE);

	printf("0x%08x\n", rd32(p, num(off)));
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode;
	uint64_t phys;

	if (argc < 4) {
		fprintf(stderr, "usage: umdp-mapcheck GRANT MODE PHYS [ARGS]\n");
		return 2;
	}
	grant = argv[1];
	mode = argv[2];
	phys = num(argv[3]);
	if (!strcmp(mode, "testdev")) {
		check_testdev(phys);
	} else if (!strcmp(mode, "edu")) {
		check_edu(phys);
	} else if (!strcmp(mode, "wc")) {
		check_wc(phys);
	} else if (!strcmp(mode, "poke") && argc == 6) {
		return mode_poke(phys, argv[4], argv[5]);
	} else if (!strcmp(mode, "peek") && argc == 5) {
		return mode_peek(phys, argv[4]);
	} else if (!strcmp(mode, "map") && (argc == 5 || argc == 6)) {
		mode_map(phys, num(argv[4]), argc == 6 && !strcmp(argv[5], "private"));
	} else if (!strcmp(mode, "revoke")) {
		check_revoke(phys);
	} else if (!strcmp(mode, "closed")) {
		check_closed(phys);
	} else if (!strcmp(mode, "race")) {
		check_race(phys);
	} else if (!strcmp(mode, "forkexit")) {
		check_forkexit(phys);
	} else {
		fprintf(stderr, "umdp-mapcheck: bad mode or arguments\n");
		return 2;
	}
	return failures ? 1 : 0;
}
