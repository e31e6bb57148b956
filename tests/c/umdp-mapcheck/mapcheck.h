/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mapcheck.h - what the files of umdp-mapcheck share (see main.c for the
 * modes): the grant, the word accessors, opening and mapping or dying,
 * catching SIGBUS, reading /proc/self/smaps, and one check_* per mode.
 */
#ifndef UMDP_MAPCHECK_H
#define UMDP_MAPCHECK_H

#include <stddef.h>
#include <stdint.h>

#include <umdp.h>

#define CHECK_SHARED
#include "../check.h"

#define PAGE		4096UL
#define TESTDEV_LEN	0x10000UL

/* the grant named on the command line */
extern const char *grant;

static inline uint32_t rd32(void *base, unsigned long off)
{
	return *(volatile uint32_t *)((char *)base + off);
}

static inline void wr32(void *base, unsigned long off, uint32_t v)
{
	*(volatile uint32_t *)((char *)base + off) = v;
}

/* util.c */
struct umdp_dev *open_or_die(void);
void *map_or_die(struct umdp_dev *dev, uint64_t phys, size_t len);
const char *child_end(int status, char *buf, size_t size);
void wait_line(void);

/* probe.c: touching a mapping that may raise SIGBUS */
void probe_init(void);
int probe_read(void *p);

/* smaps.c */
int vma_flags(void *addr, char *out, size_t size);
int has_flag(const char *flags, const char *f);

/* one per mode */
void check_testdev(uint64_t phys);	/* testdev.c */
void check_edu(uint64_t phys);		/* edu.c */
void check_wc(uint64_t phys);		/* wc.c */
void check_revoke(uint64_t phys);	/* lifetime.c */
void check_closed(uint64_t phys);	/* lifetime.c */
void check_forkexit(uint64_t phys);	/* lifetime.c */
void check_race(uint64_t phys);		/* race.c */

#endif /* UMDP_MAPCHECK_H */
