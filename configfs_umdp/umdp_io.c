// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: port I/O through the node.
 *
 * pread/pwrite of 1, 2 or 4 bytes at offset = port is one in/out; the
 * UMDP_IOC_BATCH and UMDP_IOC_STRING ioctls move many accesses per call,
 * copying user memory once in and once out. A span must lie inside one
 * granted range. The granted ranges are the node's immutable snapshot, so
 * they are checked without locks; info_lock (read) only keeps revoke out
 * while the hardware is touched.
 */
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "umdp_internal.h"

static struct umdp_node *umdp_file_node(struct file *file)
{
	return ((struct umdp_file *)file->private_data)->node;
}

static bool umdp_port_granted(const struct umdp_node *node, u32 port,
			      u32 size)
{
	const struct umdp_ports *p = &node->cfg.ports;
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

/* Take info_lock for reading; -ENODEV once the grant was revoked. */
static int umdp_node_enter(struct umdp_node *node)
{
	down_read(&node->info_lock);
	if (node->alive)
		return 0;
	up_read(&node->info_lock);
	return -ENODEV;
}

static void umdp_node_leave(struct umdp_node *node)
{
	up_read(&node->info_lock);
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

ssize_t umdp_node_read(struct file *file, char __user *buf, size_t count,
		       loff_t *ppos)
{
	struct umdp_node *node = umdp_file_node(file);
	u32 val;
	int ret;

	ret = umdp_check_access(node, count, *ppos);
	if (ret)
		return ret;
	ret = umdp_node_enter(node);
	if (ret)
		return ret;
	val = umdp_in((u16)*ppos, (u8)count);
	umdp_node_leave(node);
	/* x86 is little endian: the first count bytes are the value */
	if (copy_to_user(buf, &val, count))
		return -EFAULT;
	return count;
}

ssize_t umdp_node_write(struct file *file, const char __user *buf,
			size_t count, loff_t *ppos)
{
	struct umdp_node *node = umdp_file_node(file);
	u32 val = 0;
	int ret;

	ret = umdp_check_access(node, count, *ppos);
	if (ret)
		return ret;
	if (copy_from_user(&val, buf, count))
		return -EFAULT;
	ret = umdp_node_enter(node);
	if (ret)
		return ret;
	umdp_out((u16)*ppos, (u8)count, val);
	umdp_node_leave(node);
	return count;
}

static long umdp_ioctl_batch(struct umdp_node *node, void __user *argp)
{
	struct umdp_io_batch b;
	struct umdp_io_op *ops;
	size_t bytes;
	unsigned int i;
	long ret;

	if (copy_from_user(&b, argp, sizeof(b)))
		return -EFAULT;
	if (b.flags || b.count == 0 || b.count > UMDP_BATCH_MAX)
		return -EINVAL;
	bytes = (size_t)b.count * sizeof(*ops);
	ops = memdup_user(u64_to_user_ptr(b.ops), bytes);
	if (IS_ERR(ops))
		return PTR_ERR(ops);

	/* validate all, then run all */
	for (i = 0; i < b.count; i++) {
		if (!umdp_valid_size(ops[i].size) ||
		    (ops[i].dir != UMDP_IO_READ && ops[i].dir != UMDP_IO_WRITE)) {
			ret = -EINVAL;
			goto out_free_ops;
		}
		if (!umdp_port_granted(node, ops[i].port, ops[i].size)) {
			ret = -EPERM;
			goto out_free_ops;
		}
	}
	ret = umdp_node_enter(node);
	if (ret)
		goto out_free_ops;
	for (i = 0; i < b.count; i++) {
		if (ops[i].dir == UMDP_IO_READ)
			ops[i].value = umdp_in(ops[i].port, ops[i].size);
		else
			umdp_out(ops[i].port, ops[i].size, ops[i].value);
	}
	umdp_node_leave(node);
	if (copy_to_user(u64_to_user_ptr(b.ops), ops, bytes))
		ret = -EFAULT;
out_free_ops:
	kfree(ops);
	return ret;
}

static long umdp_ioctl_string(struct umdp_node *node, void __user *argp)
{
	struct umdp_io_string s;
	void __user *ubuf;
	size_t bytes;
	void *buf;
	long ret;

	if (copy_from_user(&s, argp, sizeof(s)))
		return -EFAULT;
	if (!umdp_valid_size(s.size) || s.count == 0 ||
	    s.count > UMDP_STRING_MAX / s.size ||
	    (s.dir != UMDP_IO_READ && s.dir != UMDP_IO_WRITE))
		return -EINVAL;
	if (!umdp_port_granted(node, s.port, s.size))
		return -EPERM;
	bytes = (size_t)s.count * s.size;
	ubuf = u64_to_user_ptr(s.buf);
	if (s.dir == UMDP_IO_WRITE) {
		buf = memdup_user(ubuf, bytes);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
	} else {
		buf = kmalloc(bytes, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	ret = umdp_node_enter(node);
	if (ret)
		goto out_free_buf;
	if (s.dir == UMDP_IO_READ) {
		if (s.size == 1)
			insb(s.port, buf, s.count);
		else if (s.size == 2)
			insw(s.port, buf, s.count);
		else
			insl(s.port, buf, s.count);
	} else {
		if (s.size == 1)
			outsb(s.port, buf, s.count);
		else if (s.size == 2)
			outsw(s.port, buf, s.count);
		else
			outsl(s.port, buf, s.count);
	}
	umdp_node_leave(node);
	if (s.dir == UMDP_IO_READ && copy_to_user(ubuf, buf, bytes))
		ret = -EFAULT;
out_free_buf:
	kfree(buf);
	return ret;
}

static long umdp_ioctl_info(struct umdp_node *node, void __user *argp)
{
	const struct umdp_cfg *cfg = &node->cfg;
	struct umdp_grant_info *info;
	unsigned int i;
	long ret = 0;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	strscpy(info->name, node->name, sizeof(info->name));
	info->nr_ioports = cfg->ports.nr;
	for (i = 0; i < cfg->ports.nr; i++) {
		info->ioports[i].start = cfg->ports.r[i].start;
		info->ioports[i].len = cfg->ports.r[i].end -
				       cfg->ports.r[i].start + 1;
	}
	info->nr_irqs = cfg->irqs.nr;
	for (i = 0; i < cfg->irqs.nr; i++)
		info->irqs[i] = cfg->irqs.irq[i];
	info->nr_mem = cfg->mem.nr;
	for (i = 0; i < cfg->mem.nr; i++) {
		info->mem[i].start = cfg->mem.r[i].start;
		info->mem[i].len = cfg->mem.r[i].len;
		info->mem[i].flags = cfg->mem.r[i].wc ? UMDP_MEM_WC : 0;
	}
	if (cfg->exclusive)
		info->flags |= UMDP_GRANT_EXCLUSIVE;
	if (copy_to_user(argp, info, sizeof(*info)))
		ret = -EFAULT;
	kfree(info);
	return ret;
}

long umdp_node_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct umdp_node *node = umdp_file_node(file);
	void __user *argp = (void __user *)arg;

	if (!READ_ONCE(node->alive))
		return -ENODEV;
	switch (cmd) {
	case UMDP_IOC_BATCH:
		return umdp_ioctl_batch(node, argp);
	case UMDP_IOC_STRING:
		return umdp_ioctl_string(node, argp);
	case UMDP_IOC_INFO:
		return umdp_ioctl_info(node, argp);
	default:
		return umdp_irq_ioctl(file->private_data, cmd, argp);
	}
}
