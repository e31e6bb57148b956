// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-mapcheck: how long a mapping lives.
 *
 *   revoke PHYS     maps, forks a child, prints "ready" and waits for a line
 *                   on stdin (the grant is revoked meanwhile); then checks
 *                   SIGBUS in child and parent, ENODEV, munmap and close
 *   closed PHYS     maps, closes the handle, uses the mapping, prints
 *                   "ready", waits for a line (revoke), checks SIGBUS
 *   forkexit PHYS   children that use the mapping and exit while the
 *                   parent keeps using it
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mapcheck.h"

void check_revoke(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	void *m = map_or_die(dev, phys, TESTDEV_LEN);
	int go[2], ready[2], status, err, sig;
	char how[64], c;
	pid_t pid;

	wr32(m, 0x400, 0xa5a5a5a5);
	if (pipe(go) || pipe(ready))
		exit(1);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* touch before revoke, signal, wait, touch again */
		if (rd32(m, 0x400) != 0xa5a5a5a5)
			_exit(2);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(3);
		(void)rd32(m, 0x400);
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1)
		exit(1);
	probe_init();
	wait_line();

	if (write(go[1], "g", 1) != 1)
		exit(1);
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS,
	      "a child forked before revoke dies of SIGBUS on its old mapping (%s)",
	      child_end(status, how, sizeof(how)));
	sig = probe_read((char *)m + 0x400);
	CHECK(sig == SIGBUS, "the parent's access after revoke raises SIGBUS (%s)",
	      sig ? sigabbrev_np(sig) : "no signal");
	err = umdp_map(dev, phys, PAGE, 0, &m);
	CHECK(err == -ENODEV, "mmap after revoke is ENODEV (%d)", err);
	err = umdp_unmap(m, TESTDEV_LEN);
	CHECK(err == 0, "munmap after revoke is fine (%d)", err);
	CHECK(close(umdp_fd(dev)) == 0, "close after revoke is fine");
	printf("done\n");
}

void check_closed(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die(), *again;
	void *m = map_or_die(dev, phys, TESTDEV_LEN);
	int err, sig;

	probe_init();
	umdp_close(dev);
	wr32(m, 0x500, 0x5a5a5a5a);
	CHECK(rd32(m, 0x500) == 0x5a5a5a5a, "the mapping works after the fd is closed");
	err = umdp_open(grant, 0, &again);
	CHECK(err == -EBUSY, "a live mapping keeps the file open: a second open is EBUSY (%d)", err);
	if (!err)
		umdp_close(again);
	wait_line();
	sig = probe_read((char *)m + 0x500);
	CHECK(sig == SIGBUS, "after revoke the access raises SIGBUS (%s)",
	      sig ? sigabbrev_np(sig) : "no signal");
	CHECK(umdp_unmap(m, TESTDEV_LEN) == 0, "munmap after revoke is fine");
	printf("done\n");
}

void check_forkexit(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	void *m = map_or_die(dev, phys, TESTDEV_LEN);
	int status, ok = 1, i;
	pid_t pid;

	for (i = 0; i < 20; i++) {
		wr32(m, 0x600, (uint32_t)i);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			if (rd32(m, 0x600) != (uint32_t)i)
				_exit(2);
			wr32(m, 0x604, 0x1000u + (uint32_t)i);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
		      rd32(m, 0x604) == 0x1000u + (uint32_t)i;
	}
	CHECK(ok, "20 children used the mapping and exited; the parent saw each write");
	wr32(m, 0x608, 0x600df00d);
	CHECK(rd32(m, 0x608) == 0x600df00d, "the parent's mapping still works");
	CHECK(umdp_unmap(m, TESTDEV_LEN) == 0, "munmap");
	umdp_close(dev);
	dev = open_or_die();
	CHECK(1, "the grant opens again: nothing left holds the file");
	umdp_close(dev);
}
