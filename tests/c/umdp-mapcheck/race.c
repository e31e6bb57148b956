// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-mapcheck race PHYS: revoke racing with faults. Threads map and
 * first-touch the window over and over; prints "ready", waits for a line
 * (revoke meanwhile); then no page of any mapping may be reachable.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapcheck.h"

#define RACERS 3

struct racer {
	pthread_t thread;
	struct umdp_dev *dev;
	uint64_t phys;
	void *last;		/* its mapping when the grant went */
	unsigned long rounds;
	int err;		/* how it noticed: 0 (it did not), -ENODEV, SIGBUS */
};

static atomic_int race_stop, racers_done;

/*
 * Map the window afresh and touch every page, over and over, unmapping the
 * previous mapping only after the next is touched, until revoke shows
 * (mmap ENODEV, or SIGBUS in the middle of a sweep).
 */
static void *racer_main(void *arg)
{
	struct racer *r = arg;
	void *cur = NULL, *next;
	unsigned long off;

	while (!atomic_load(&race_stop)) {
		r->err = umdp_map(r->dev, r->phys, TESTDEV_LEN, 0, &next);
		if (r->err)
			break;
		for (off = 0; off < TESTDEV_LEN; off += PAGE) {
			r->err = probe_read((char *)next + off);
			if (r->err)
				break;
		}
		if (cur)
			umdp_unmap(cur, TESTDEV_LEN);
		cur = next;
		r->rounds++;
		if (r->err)
			break;
	}
	r->last = cur;
	atomic_fetch_add(&racers_done, 1);
	return NULL;
}

void check_race(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	struct racer r[RACERS];
	unsigned long off;
	int i, live;

	probe_init();
	for (i = 0; i < RACERS; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].dev = dev;
		r[i].phys = phys;
		if (pthread_create(&r[i].thread, NULL, racer_main, &r[i]))
			exit(1);
	}
	wait_line();
	/* they must stop by themselves; race_stop only ends a hang (10 s) */
	for (i = 0; i < 1000 && atomic_load(&racers_done) < RACERS; i++)
		usleep(10000);
	atomic_store(&race_stop, 1);
	for (i = 0; i < RACERS; i++) {
		pthread_join(r[i].thread, NULL);
		CHECK(r[i].err == -ENODEV || r[i].err == SIGBUS,
		      "racer %d noticed the revoke after %lu rounds (%s)", i,
		      r[i].rounds, r[i].err == -ENODEV ? "mmap ENODEV" :
		      r[i].err == SIGBUS ? "SIGBUS mid-sweep" : "not at all");
		live = 0;
		for (off = 0; r[i].last && off < TESTDEV_LEN; off += PAGE)
			live += probe_read((char *)r[i].last + off) != SIGBUS;
		CHECK(r[i].last && !live,
		      "every page of racer %d's last mapping raises SIGBUS (%d reachable)",
		      i, live);
	}
	printf("done\n");
}
