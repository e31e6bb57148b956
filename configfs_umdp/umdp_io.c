// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: port I/O through the node.
 *
 * pread/pwrite of 1, 2 or 4 bytes at offset = port is one in/out; the
 * UMDP_IOC_BATCH and UMDP_IOC_STRING ioctls move many accesses per call.
 * A span must lie inside one granted range. The granted ranges are the
 * node's immutable snapshot, so they are checked without locks.
 *
 * Locking: the accesses run inside the node's io_lock held for reading
 * (umdp_io_enter()/umdp_io_leave()), which only keeps revoke out while the
 * hardware is touched. Revoke (umdp_node_kill()) clears alive, then takes
 * and drops io_lock for writing: a read section either ended before that
 * (and revoke waited for it) or begins after it and sees alive clear, so
 * once umdp_node_kill() returns no access is running and none starts.
 * io_lock is a percpu_rw_semaphore rather than the node's info_lock (an
 * rw_semaphore, two atomic read-modify-writes on a shared line per taking)
 * or SRCU (a full barrier in srcu_read_lock() and another in
 * srcu_read_unlock()): its read side is a per-CPU increment and decrement
 * with no atomic instruction and no barrier, so that a pread costs about
 * what /dev/port's does. Its price is paid by a revoke of a node with an
 * open file (without one, no port I/O can be running and revoke skips
 * io_lock): percpu_down_write() waits for an RCU grace period, and
 * freeing the node soon after may wait for another (percpu_free_rwsem()).
 *
 * Nothing is taken inside io_lock and nothing inside it touches user
 * memory or sleeps on the driver: values are copied in before and out
 * after, so revoke waits for at most one batch (UMDP_BATCH_MAX accesses)
 * or one string chunk (UMDP_STRING_CHUNK elements) per thread doing port
 * I/O on the node, never for user space. A user copy may fault on a umdp
 * mapping, whose fault handler takes info_lock, which revoke holds while
 * it waits for io_lock: a copy inside io_lock could deadlock with revoke.
 *
 * Copies: pread/pwrite move their value with put_user()/get_user() at its
 * width, as /dev/port does. A batch is copied in field by field and only
 * the values of its reads are copied back, inside one user access window
 * each way (unsafe_get_user()/unsafe_put_user()); its ops live in a buffer
 * the file keeps from its first batch to its release, so only that first
 * batch allocates.
 */
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu-rwsem.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "umdp_internal.h"

/**
 * umdp_io_enter() - take io_lock for reading if the node is alive
 * @node: the node
 *
 * Return: true with io_lock held, or false after revoke (not held).
 */
static inline bool umdp_io_enter(struct umdp_node *node)
{
	/*
	 * A trylock, which fails only while a writer holds or waits for
	 * io_lock: only revoke ever does, after clearing alive, so that
	 * is -ENODEV too. (percpu_down_read() would also call
	 * might_sleep(), a call on every access.)
	 */
	if (unlikely(!percpu_down_read_trylock(&node->io_lock)))
		return false;
	if (likely(READ_ONCE(node->alive)))
		return true;
	percpu_up_read(&node->io_lock);
	return false;
}

static inline void umdp_io_leave(struct umdp_node *node)
{
	percpu_up_read(&node->io_lock);
}

static bool umdp_port_granted(const struct umdp_node *node, u32 port,
			      u32 size)
{
	const struct umdp_ports *p = &node->cfg.ioports;
	u32 last = port + size - 1;
	unsigned int i;

	if (last > UMDP_PORT_MAX)
		return false;
	for (i = 0; i < p->nr; i++)
		if (port >= p->r[i].start && last <= p->r[i].end)
			return true;
	return false;
}

static bool umdp_valid_size(u32 size)
{
	return size == 1 || size == 2 || size == 4;
}

static u32 umdp_in(u16 port, u8 size)
{
	switch (size) {
	case 1:
		return inb(port);
	case 2:
		return inw(port);
	default:
		return inl(port);
	}
}

static void umdp_out(u16 port, u8 size, u32 val)
{
	switch (size) {
	case 1:
		outb(val, port);
		break;
	case 2:
		outw(val, port);
		break;
	default:
		outl(val, port);
		break;
	}
}

/* pread: offset = port; n = 1, 2 or 4; the whole span must be granted */
static int umdp_check_access(struct umdp_node *node, size_t count, loff_t pos)
{
	if (!READ_ONCE(node->alive))
		return -ENODEV;
	if (!umdp_valid_size(count))
		return -EINVAL;
	if (pos < 0 || pos > UMDP_PORT_MAX ||
	    !umdp_port_granted(node, (u32)pos, (u32)count))
		return -EPERM;
	return 0;
}

ssize_t umdp_io_read(struct file *file, char __user *buf, size_t count,
		     loff_t *ppos)
{
	struct umdp_node *node = umdp_file_node(file);
	u16 port = (u16)*ppos;
	u32 val;
	int ret;

	ret = umdp_check_access(node, count, *ppos);
	if (ret)
		return ret;
	if (!umdp_io_enter(node))
		return -ENODEV;
	val = umdp_in(port, (u8)count);
	umdp_io_leave(node);
	switch (count) {
	case 1:
		ret = put_user((u8)val, (u8 __user *)buf);
		break;
	case 2:
		ret = put_user((u16)val, (u16 __user *)buf);
		break;
	default:
		ret = put_user(val, (u32 __user *)buf);
		break;
	}
	return ret ? -EFAULT : count;
}

ssize_t umdp_io_write(struct file *file, const char __user *buf,
		      size_t count, loff_t *ppos)
{
	struct umdp_node *node = umdp_file_node(file);
	u16 port = (u16)*ppos;
	u32 val;
	int ret;

	ret = umdp_check_access(node, count, *ppos);
	if (ret)
		return ret;
	switch (count) {
	case 1:
		ret = get_user(val, (const u8 __user *)buf);
		break;
	case 2:
		ret = get_user(val, (const u16 __user *)buf);
		break;
	default:
		ret = get_user(val, (const u32 __user *)buf);
		break;
	}
	if (ret)
		return -EFAULT;
	if (!umdp_io_enter(node))
		return -ENODEV;
	umdp_out(port, (u8)count, val);
	umdp_io_leave(node);
	return count;
}

static bool umdp_valid_dir(u32 flags)
{
	return !(flags & ~UMDP_IO_WRITE);
}

/*
 * Copy in a batch's @count ops, field by field in one user access window.
 * (copy_from_user() of the array is a rep movsb on CPUs with fast string
 * moves, which QEMU's TCG emulates one byte per iteration.)
 */
static int umdp_batch_get(struct umdp_io_op *ops,
			  const struct umdp_io_op __user *uops,
			  unsigned int count)
{
	unsigned int i;

	if (!user_read_access_begin(uops, count * sizeof(*uops)))
		return -EFAULT;
	for (i = 0; i < count; i++) {
		unsafe_get_user(ops[i].port, &uops[i].port, efault);
		unsafe_get_user(ops[i].size, &uops[i].size, efault);
		unsafe_get_user(ops[i].flags, &uops[i].flags, efault);
		unsafe_get_user(ops[i].value, &uops[i].value, efault);
	}
	user_read_access_end();
	return 0;

efault:
	user_read_access_end();
	return -EFAULT;
}

/*
 * Copy back the value of every read of a batch; a write's entry is left
 * as the caller wrote it.
 */
static int umdp_batch_put_reads(struct umdp_io_op __user *uops,
				const struct umdp_io_op *ops,
				unsigned int count)
{
	unsigned int i;

	if (!user_write_access_begin(uops, count * sizeof(*uops)))
		return -EFAULT;
	for (i = 0; i < count; i++)
		if (!(ops[i].flags & UMDP_IO_WRITE))
			unsafe_put_user(ops[i].value, &uops[i].value, efault);
	user_write_access_end();
	return 0;

efault:
	user_write_access_end();
	return -EFAULT;
}

/*
 * Validate every op of a batch: -EINVAL, -EPERM, -EBADF for a write on a
 * file not opened for writing; the first bad op decides.
 *
 * Each op's span is looked up in the grant's ranges, at most
 * UMDP_MAX_RANGES (16) and in practice one to three: a few compares per
 * op, less than one emulated port access costs, so no bitmap or sorted
 * table.
 */
static int umdp_batch_check(struct file *file, const struct umdp_io_op *ops,
			    unsigned int count)
{
	struct umdp_node *node = umdp_file_node(file);
	bool can_write = file->f_mode & FMODE_WRITE;
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (!umdp_valid_size(ops[i].size) ||
		    !umdp_valid_dir(ops[i].flags))
			return -EINVAL;
		if (!umdp_port_granted(node, ops[i].port, ops[i].size))
			return -EPERM;
		if ((ops[i].flags & UMDP_IO_WRITE) && !can_write)
			return -EBADF;
	}
	return 0;
}

/* Run a validated batch, all of it inside one io_lock section. */
static int umdp_batch_run(struct umdp_node *node, struct umdp_io_op *ops,
			  unsigned int count)
{
	unsigned int i;

	if (!umdp_io_enter(node))
		return -ENODEV;
	for (i = 0; i < count; i++) {
		if (ops[i].flags & UMDP_IO_WRITE)
			umdp_out(ops[i].port, ops[i].size, ops[i].value);
		else
			ops[i].value = umdp_in(ops[i].port, ops[i].size);
	}
	umdp_io_leave(node);
	return 0;
}

/*
 * UMDP_IOC_BATCH: copy in, validate all, run all, copy back the reads.
 * The ops are copied once into the file's buffer (batch_lock serialises
 * the threads sharing the file), so what runs is exactly what was
 * validated, and a bad op leaves the hardware untouched.
 */
static long umdp_ioctl_batch(struct file *file, void __user *argp)
{
	struct umdp_file *uf = file->private_data;
	struct umdp_io_op __user *uops;
	struct umdp_io_batch b;
	struct umdp_io_op *ops;
	long ret;

	ret = umdp_arg_in(&b, sizeof(b), UMDP_IO_BATCH_SIZE_VER0, 0, argp);
	if (ret)
		return ret;
	if (b.pad || b.count == 0 || b.count > UMDP_BATCH_MAX)
		return -EINVAL;
	uops = u64_to_user_ptr(b.ops);

	/* killable: its holder may be stuck in a user fault (userfaultfd) */
	if (mutex_lock_killable(&uf->batch_lock))
		return -EINTR;
	if (!uf->batch_ops) {
		uf->batch_ops = kmalloc_array(UMDP_BATCH_MAX,
					      sizeof(*uf->batch_ops),
					      GFP_KERNEL);
		if (!uf->batch_ops) {
			ret = -ENOMEM;
			goto out_unlock;
		}
	}
	ops = uf->batch_ops;
	ret = umdp_batch_get(ops, uops, b.count);
	if (!ret)
		ret = umdp_batch_check(file, ops, b.count);
	if (!ret)
		ret = umdp_batch_run(uf->node, ops, b.count);
	if (!ret)
		ret = umdp_batch_put_reads(uops, ops, b.count);
out_unlock:
	mutex_unlock(&uf->batch_lock);
	return ret;
}

/* rep ins and rep outs, by element size (1, 2 or 4) */
static void (*const umdp_ins[])(u16 port, void *buf, unsigned long count) = {
	[1] = insb, [2] = insw, [4] = insl,
};
static void (*const umdp_outs[])(u16 port, const void *buf,
				 unsigned long count) = {
	[1] = outsb, [2] = outsw, [4] = outsl,
};

/* elements one UMDP_IOC_STRING call moves between two checks of revoke */
#define UMDP_STRING_CHUNK	512

/*
 * Run a string I/O in chunks, leaving io_lock between them, so that a
 * revoke (which waits for io_lock) never waits for more than one chunk
 * of accesses, however slow the device; -ENODEV once revoked.
 */
static int umdp_string_run(struct umdp_node *node, u16 port, u8 size,
			   bool write, void *buf, u32 count)
{
	u32 done, n;

	for (done = 0; done < count; done += n) {
		n = min_t(u32, count - done, UMDP_STRING_CHUNK);
		if (!umdp_io_enter(node))
			return -ENODEV;
		if (write)
			umdp_outs[size](port, buf + done * size, n);
		else
			umdp_ins[size](port, buf + done * size, n);
		umdp_io_leave(node);
		cond_resched();
	}
	return 0;
}

static long umdp_ioctl_string(struct file *file, void __user *argp)
{
	struct umdp_io_string s;
	bool write;
	void *buf;
	long ret;

	ret = umdp_arg_in(&s, sizeof(s), UMDP_IO_STRING_SIZE_VER0,
			  UMDP_IO_WRITE, argp);
	if (ret)
		return ret;
	if (!umdp_valid_size(s.size) || s.count == 0 ||
	    s.count > UMDP_STRING_MAX / s.size || s.pad)
		return -EINVAL;
	if (!umdp_port_granted(umdp_file_node(file), s.port, s.size))
		return -EPERM;
	write = s.flags & UMDP_IO_WRITE;
	if (write && !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	/* at most UMDP_STRING_MAX bytes: no overflow */
	buf = kvmalloc(s.count * s.size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (write && copy_from_user(buf, u64_to_user_ptr(s.buf),
				    s.count * s.size)) {
		ret = -EFAULT;
		goto out_free_buf;
	}
	ret = umdp_string_run(umdp_file_node(file), s.port, s.size, write,
			      buf, s.count);
	if (!ret && !write &&
	    copy_to_user(u64_to_user_ptr(s.buf), buf, s.count * s.size))
		ret = -EFAULT;
out_free_buf:
	kvfree(buf);
	return ret;
}

/**
 * umdp_io_ioctl() - the port I/O ioctls of a node
 * @file: the open file
 * @cmd: UMDP_IOC_BATCH or UMDP_IOC_STRING
 * @argp: the user argument
 *
 * Return: 0 or a negative errno; -ENOTTY for another command.
 */
long umdp_io_ioctl(struct file *file, unsigned int cmd, void __user *argp)
{
	switch (cmd) {
	case UMDP_IOC_BATCH:
		return umdp_ioctl_batch(file, argp);
	case UMDP_IOC_STRING:
		return umdp_ioctl_string(file, argp);
	default:
		return -ENOTTY;
	}
}
