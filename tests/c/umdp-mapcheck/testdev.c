// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-mapcheck testdev PHYS: pc-testdev's 64 KiB RAM window at PHYS: two
 * mappings, fork, smaps flags, mremap, partial munmap, refusals, a
 * read-only descriptor.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mapcheck.h"

/* a word on every page through m1, read back through m2; byte lanes */
static void testdev_two_mappings(void *m1, void *m2)
{
	unsigned long off;
	int ok;

	CHECK(m1 != m2, "two mappings of one fd at different addresses");
	for (off = 0; off < TESTDEV_LEN; off += PAGE)
		wr32(m1, off + 4, 0xc0de0000u + (uint32_t)(off / PAGE));
	ok = 1;
	for (off = 0; off < TESTDEV_LEN; off += PAGE)
		ok &= rd32(m2, off + 4) == 0xc0de0000u + (uint32_t)(off / PAGE);
	CHECK(ok, "a word written on every page through one mapping reads back through the other");
	*(volatile uint8_t *)((char *)m1 + 0x101) = 0x5a;
	*(volatile uint16_t *)((char *)m1 + 0x102) = 0xbeef;
	CHECK(rd32(m2, 0x100) == (0xbeef5a00u | (rd32(m1, 0x100) & 0xff)),
	      "byte and halfword stores land in the right lanes");
}

static void testdev_fork(void *m1, void *m2)
{
	char how[64];
	int status;
	pid_t pid;

	wr32(m1, 0x200, 0x11111111);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (rd32(m1, 0x200) != 0x11111111)
			_exit(2);
		wr32(m2, 0x204, 0x22222222);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a forked child reads the parent's value through its copy (%s)",
	      child_end(status, how, sizeof(how)));
	CHECK(rd32(m1, 0x204) == 0x22222222,
	      "the parent reads the child's write through the other mapping");
}

static void testdev_smaps(void *m1)
{
	char flags[256] = "";
	int ok;

	ok = vma_flags(m1, flags, sizeof(flags));
	CHECK(ok, "/proc/self/smaps shows the mapping (VmFlags:%s)", flags);
	CHECK(ok && has_flag(flags, "io") && has_flag(flags, "pf") &&
	      has_flag(flags, "dd") && has_flag(flags, "de") &&
	      has_flag(flags, "sh"),
	      "VmFlags has io pf dd de sh");
}

/* growth fails, shrinking works; m2 is unmapped afterwards */
static void testdev_mremap(void *m1, void *m2)
{
	void *p;

	errno = 0;
	p = mremap(m1, TESTDEV_LEN, 2 * TESTDEV_LEN, MREMAP_MAYMOVE);
	CHECK(p == MAP_FAILED, "mremap growth (may move) fails (%s)",
	      strerrorname_np(errno));
	errno = 0;
	p = mremap(m1, TESTDEV_LEN, TESTDEV_LEN + PAGE, 0);
	CHECK(p == MAP_FAILED, "mremap growth in place fails (%s)",
	      strerrorname_np(errno));
	p = mremap(m2, TESTDEV_LEN, TESTDEV_LEN / 2, 0);
	CHECK(p == m2 && rd32(m2, 4) == 0xc0de0000u,
	      "mremap shrinking works and the rest still reads");
	CHECK(umdp_unmap(m2, TESTDEV_LEN / 2) == 0, "munmap of the shrunk mapping");
}

/* a mapping split by munmap, and one moved by mremap, map the same pages */
static void testdev_pieces(struct umdp_dev *dev, uint64_t phys)
{
	void *p, *q;

	/* split: unmap the second page of a 4-page mapping */
	p = map_or_die(dev, phys, 4 * PAGE);
	CHECK(umdp_unmap((char *)p + PAGE, PAGE) == 0, "munmap of one page in the middle");
	CHECK(rd32(p, 4) == 0xc0de0000u && rd32(p, 2 * PAGE + 4) == 0xc0de0002u &&
	      rd32(p, 3 * PAGE + 4) == 0xc0de0003u,
	      "both remaining pieces still map the right pages");
	CHECK(umdp_unmap(p, 4 * PAGE) == 0, "munmap of the pieces");

	/* a mapping moved by mremap keeps mapping the same pages */
	p = map_or_die(dev, phys + PAGE, 2 * PAGE);
	q = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	q = mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		   (char *)q + PAGE);
	CHECK(q != MAP_FAILED && q != p && rd32(q, PAGE + 4) == 0xc0de0002u,
	      "a mapping moved by mremap still maps its pages");
	if (q != MAP_FAILED)
		umdp_unmap(q, 2 * PAGE);
}

/* edges and refusals */
static void testdev_refusals(struct umdp_dev *dev, uint64_t phys)
{
	void *p;
	int err;

	CHECK(umdp_map(dev, phys + TESTDEV_LEN - PAGE, PAGE, 0, &p) == 0 &&
	      rd32(p, 4) == 0xc0de000fu && umdp_unmap(p, PAGE) == 0,
	      "the window's last page maps");
	err = umdp_map(dev, phys + TESTDEV_LEN - PAGE, 2 * PAGE, 0, &p);
	CHECK(err == -EPERM, "a mapping one page past the window is EPERM (%d)", err);
	err = umdp_map(dev, phys - PAGE, 2 * PAGE, 0, &p);
	CHECK(err == -EPERM, "a mapping starting one page below is EPERM (%d)", err);
	err = umdp_map(dev, phys + TESTDEV_LEN, PAGE, 0, &p);
	CHECK(err == -EPERM, "the page right after the window is EPERM (%d)", err);
	err = umdp_map(dev, 0, PAGE, 0, &p);
	CHECK(err == -EPERM, "physical page 0 is EPERM (%d)", err);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, umdp_fd(dev), (off_t)phys);
	CHECK(p == MAP_FAILED && errno == EINVAL, "MAP_PRIVATE is EINVAL (%s)",
	      p == MAP_FAILED ? strerrorname_np(errno) : "mapped");
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, umdp_fd(dev), (off_t)phys);
	CHECK(p == MAP_FAILED && errno == EINVAL, "read-only MAP_PRIVATE is EINVAL too");
	CHECK(umdp_map(dev, phys, PAGE, 1, &p) == -EINVAL, "umdp_map flags != 0 is EINVAL");
	CHECK(umdp_map(dev, phys + 8, PAGE, 0, &p) == -EINVAL, "a misaligned address is EINVAL");
	CHECK(umdp_map(dev, phys, 0, 0, &p) == -EINVAL, "length 0 is EINVAL");
}

/* a read-only descriptor maps read-only and shared */
static void testdev_rdonly(uint64_t phys)
{
	char path[128];
	void *p, *q;
	int fd;

	snprintf(path, sizeof(path), UMDP_DEV_DIR "/%s", grant);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	p = fd < 0 ? MAP_FAILED :
	    mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, (off_t)phys);
	CHECK(p != MAP_FAILED && rd32(p, 4) == 0xc0de0000u,
	      "an O_RDONLY fd maps PROT_READ, MAP_SHARED");
	q = fd < 0 ? MAP_FAILED :
	    mmap(NULL, PAGE, PROT_WRITE, MAP_SHARED, fd, (off_t)phys);
	CHECK(q == MAP_FAILED && errno == EACCES,
	      "but not PROT_WRITE (EACCES)");
	if (p != MAP_FAILED)
		munmap(p, PAGE);
	if (fd >= 0)
		close(fd);
}

void check_testdev(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	void *m1 = map_or_die(dev, phys, TESTDEV_LEN);
	void *m2 = map_or_die(dev, phys, TESTDEV_LEN);

	testdev_two_mappings(m1, m2);
	testdev_fork(m1, m2);
	testdev_smaps(m1);
	testdev_mremap(m1, m2);
	testdev_pieces(dev, phys);
	testdev_refusals(dev, phys);
	CHECK(umdp_unmap(m1, TESTDEV_LEN) == 0, "munmap");
	umdp_close(dev);
	testdev_rdonly(phys);
}
