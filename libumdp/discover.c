// SPDX-License-Identifier: LGPL-2.1-or-later
/* libumdp: listing grants and waiting for a node, with libudev. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libudev.h>

#include "umdp-internal.h"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

UMDP_EXPORT void umdp_list_free(char **names)
{
	char **p;

	if (!names)
		return;
	for (p = names; *p; p++)
		free(*p);
	free(names);
}

UMDP_EXPORT int umdp_list(char ***namesp)
{
	struct udev *udev;
	struct udev_enumerate *en = NULL;
	struct udev_list_entry *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int err = 0;

	if (!namesp)
		return -EINVAL;
	udev = udev_new();
	if (!udev)
		return -ENOMEM;
	en = udev_enumerate_new(udev);
	if (!en) {
		err = -ENOMEM;
		goto out;
	}
	err = udev_enumerate_add_match_subsystem(en, "umdp");
	if (!err)
		err = udev_enumerate_scan_devices(en);
	if (err < 0)
		goto out;
	udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en)) {
		const char *path = udev_list_entry_get_name(e);
		const char *name = strrchr(path, '/');

		name = name ? name + 1 : path;
		if (n + 2 > cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char **p = realloc(names, ncap * sizeof(*names));

			if (!p) {
				err = -ENOMEM;
				goto out;
			}
			names = p;
			cap = ncap;
		}
		names[n] = strdup(name);
		if (!names[n]) {
			err = -ENOMEM;
			goto out;
		}
		names[++n] = NULL;
	}
	if (!names) {
		names = calloc(1, sizeof(*names));
		if (!names) {
			err = -ENOMEM;
			goto out;
		}
	}
	qsort(names, n, sizeof(*names), cmp_names);
	*namesp = names;
	names = NULL;
	err = (int)n;
out:
	umdp_list_free(names);
	udev_enumerate_unref(en);
	udev_unref(udev);
	return err;
}

/* The device exists and udev has run its rules on it. */
static int node_ready(struct udev *udev, const char *name)
{
	struct udev_device *d;
	int ready;

	d = udev_device_new_from_subsystem_sysname(udev, "umdp", name);
	if (!d)
		return 0;
	ready = udev_device_get_is_initialized(d) > 0;
	udev_device_unref(d);
	return ready;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

UMDP_EXPORT int umdp_wait(const char *name, int timeout_ms)
{
	struct udev *udev;
	struct udev_monitor *mon = NULL;
	long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	int err;

	if (!umdp_valid_name(name))
		return -EINVAL;
	udev = udev_new();
	if (!udev)
		return -ENOMEM;
	/* Listen before looking, so an add between the two is not missed. */
	mon = udev_monitor_new_from_netlink(udev, "udev");
	if (!mon) {
		err = -ENOMEM;
		goto out;
	}
	err = udev_monitor_filter_add_match_subsystem_devtype(mon, "umdp", NULL);
	if (!err)
		err = udev_monitor_enable_receiving(mon);
	if (err < 0)
		goto out;
	for (;;) {
		struct pollfd pfd = { .fd = udev_monitor_get_fd(mon), .events = POLLIN };
		struct udev_device *d;
		int wait = -1, r;

		if (node_ready(udev, name)) {
			err = 0;
			break;
		}
		if (deadline >= 0) {
			long long left = deadline - now_ms();

			if (left <= 0) {
				err = -ETIMEDOUT;
				break;
			}
			wait = (int)left;
		}
		r = poll(&pfd, 1, wait);
		if (r < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		if (r <= 0)
			continue;
		/* Drain one event; readiness is re-checked from sysfs/udev db. */
		d = udev_monitor_receive_device(mon);
		if (d)
			udev_device_unref(d);
	}
out:
	udev_monitor_unref(mon);
	udev_unref(udev);
	return err;
}
