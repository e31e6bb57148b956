// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: the IRQ lines of a node.
 *
 * Lifetime: enable only checks that each line exists and is free (no
 * kernel handler, no other enabled grant names it). The lines are requested
 * when the grant's program opens the node and freed when that file is
 * released (close or process death) or when the grant is revoked, whichever
 * comes first: a dead driver leaves no line requested or masked.
 *
 * The hard handler only counts and wakes the node's waitqueue: no
 * allocation, no workqueue, no lock. A level-triggered line is masked there
 * with disable_irq_nosync() and stays masked until the driver, having
 * quieted its device, unmasks it through the node (UMDP_IOC_IRQ_UNMASK).
 * Edge-triggered lines are never masked.
 *
 * Depth accounting: the UMDP_IRQ_MASKED bit is set only after the handler's
 * disable_irq_nosync() and cleared only right before the matching
 * enable_irq(), so a set bit always stands for exactly one disable depth
 * taken by umdp. The handler cannot run again on a line it disabled, so it
 * never disables twice, and test_and_clear_bit() lets exactly one of unmask
 * and free re-enable. Free balances a pending mask with enable_irq() before
 * free_irq(), so request/free cycles never drift and never trigger
 * "Unbalanced enable" warnings.
 *
 * Events: each open file remembers, per line, the count it last fetched;
 * poll() reports POLLIN while any line's count moved past it, and the fetch
 * ioctls hand out total and new counts and advance it. A node's lines and
 * counters are its own: no other node ever hears of them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/lockdep.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "umdp_internal.h"

static irqreturn_t umdp_irq_handler(int irq, void *dev_id)
{
	struct umdp_irq *ui = dev_id;

	if (irqd_is_level_type(ui->irqd) &&
	    !test_bit(UMDP_IRQ_MASKED, &ui->flags)) {
		disable_irq_nosync(irq);
		/* The depth is taken before anyone can see the bit. */
		smp_mb__before_atomic();
		set_bit(UMDP_IRQ_MASKED, &ui->flags);
	}
	atomic64_inc(&ui->count);
	wake_up_interruptible(&ui->node->wait);
	return IRQ_HANDLED;
}

/**
 * umdp_irq_check_all() - check at enable that every line can be requested
 * @grant: the grant being enabled; caller holds umdp_lock
 * @node: its new node
 *
 * Logs one line naming the grant, the IRQ and the cause on failure.
 *
 * Return: 0; -EINVAL for a line that does not exist, -EBUSY for one a
 * kernel driver or another enabled grant holds.
 */
int umdp_irq_check_all(const struct umdp_grant *grant, struct umdp_node *node)
{
	const struct umdp_grant *other;
	unsigned int i, j;

	lockdep_assert_held(&umdp_lock);
	for (i = 0; i < node->cfg.irqs.nr; i++) {
		unsigned int irq = node->cfg.irqs.irq[i];
		struct umdp_irq *ui = &node->irqs[i];

		ui->node = node;
		ui->irq = irq;
		ui->irqd = irq_get_irq_data(irq);
		if (!ui->irqd) {
			pr_err("grant %s: irq %u: no such IRQ\n", grant->name,
			       irq);
			return -EINVAL;
		}
		if (irq_has_action(irq)) {
			pr_err("grant %s: irq %u: already in use (see /proc/interrupts)\n",
			       grant->name, irq);
			return -EBUSY;
		}
		list_for_each_entry(other, &umdp_grants, list) {
			if (other == grant || !other->node)
				continue;
			for (j = 0; j < other->node->cfg.irqs.nr; j++) {
				if (other->node->cfg.irqs.irq[j] != irq)
					continue;
				pr_err("grant %s: irq %u: already granted to enabled grant %s\n",
				       grant->name, irq, other->name);
				return -EBUSY;
			}
		}
	}
	return 0;
}

/**
 * umdp_irq_request_all() - request every line of a node for its opener
 * @node: the node; caller holds info_lock for reading and saw it alive
 *
 * Counters start from zero. On failure the lines already requested are
 * freed again and one line naming the grant, the IRQ and the cause is
 * logged.
 *
 * Return: 0, or the errno of the failed request_irq().
 */
int umdp_irq_request_all(struct umdp_node *node)
{
	int ret = 0;

	mutex_lock(&node->irq_lock);
	while (node->nr_requested < node->cfg.irqs.nr) {
		struct umdp_irq *ui = &node->irqs[node->nr_requested];

		ui->flags = 0;
		atomic64_set(&ui->count, 0);
		/*
		 * Never shared. IRQF_PROBE_SHARED only silences the core's
		 * "Flags mismatch" line for a line in use, so that exactly one
		 * line (below) is logged for the failure.
		 */
		ret = request_irq(ui->irq, umdp_irq_handler, IRQF_PROBE_SHARED,
				  node->res_name, ui);
		if (ret) {
			pr_err("grant %s: irq %u: cannot request it at open (error %d)\n",
			       node->name, ui->irq, ret);
			break;
		}
		node->nr_requested++;
	}
	mutex_unlock(&node->irq_lock);
	if (ret)
		umdp_irq_free_all(node);
	return ret;
}

/**
 * umdp_irq_free_all() - free every requested line of a node
 * @node: the node
 *
 * Called by release and by revoke; whichever comes second finds nothing
 * left. A line the handler masked is unmasked first. Waits for running
 * handlers (free_irq()); never waits for user space.
 */
void umdp_irq_free_all(struct umdp_node *node)
{
	mutex_lock(&node->irq_lock);
	while (node->nr_requested) {
		struct umdp_irq *ui = &node->irqs[--node->nr_requested];

		if (test_and_clear_bit(UMDP_IRQ_MASKED, &ui->flags))
			enable_irq(ui->irq);
		free_irq(ui->irq, ui);
	}
	mutex_unlock(&node->irq_lock);
}

/* Has any line of the node fired since this file last fetched? */
static bool umdp_irq_pending(const struct umdp_file *uf)
{
	const struct umdp_node *node = uf->node;
	unsigned int i;

	for (i = 0; i < node->cfg.irqs.nr; i++)
		if ((u64)atomic64_read(&node->irqs[i].count) != uf->seen[i])
			return true;
	return false;
}

/**
 * umdp_node_poll() - POLLIN|POLLRDNORM when one of the grant's lines fired
 *	since this file last fetched; POLLHUP|POLLERR once revoked
 * @file: the file
 * @wait: the poll table
 *
 * Return: the poll mask.
 */
__poll_t umdp_node_poll(struct file *file, poll_table *wait)
{
	struct umdp_file *uf = file->private_data;
	struct umdp_node *node = uf->node;

	poll_wait(file, &node->wait, wait);
	if (!READ_ONCE(node->alive))
		return EPOLLHUP | EPOLLERR;
	return umdp_irq_pending(uf) ? EPOLLIN | EPOLLRDNORM : 0;
}

/* Fill @ev with every line's counts and advance this file's view. */
static unsigned int umdp_irq_collect(struct umdp_file *uf,
				     struct umdp_irq_event *ev,
				     unsigned int cap)
{
	struct umdp_node *node = uf->node;
	unsigned int i, n = min_t(unsigned int, cap, node->cfg.irqs.nr);
	unsigned int nr_new = 0;

	for (i = 0; i < n; i++) {
		struct umdp_irq *ui = &node->irqs[i];
		u64 total = atomic64_read(&ui->count);

		ev[i].irq = ui->irq;
		ev[i].flags = 0;
		if (ui->irqd && irqd_is_level_type(ui->irqd))
			ev[i].flags |= UMDP_IRQ_EV_LEVEL;
		if (test_bit(UMDP_IRQ_MASKED, &ui->flags))
			ev[i].flags |= UMDP_IRQ_EV_MASKED;
		ev[i].total = total;
		ev[i].count = total - uf->seen[i];
		if (ev[i].count)
			nr_new++;
		uf->seen[i] = total;
	}
	return nr_new;
}

static long umdp_irq_fetch(struct umdp_file *uf, void __user *argp, bool block)
{
	struct umdp_node *node = uf->node;
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	struct umdp_irq_fetch f;
	unsigned int n;
	long ret;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	if (f.flags)
		return -EINVAL;
	if (block && f.timeout_ms) {
		if (f.timeout_ms < 0) {
			ret = wait_event_interruptible(node->wait,
					!READ_ONCE(node->alive) ||
					umdp_irq_pending(uf));
		} else {
			ret = wait_event_interruptible_timeout(node->wait,
					!READ_ONCE(node->alive) ||
					umdp_irq_pending(uf),
					msecs_to_jiffies(f.timeout_ms));
			if (ret == -ERESTARTSYS)
				ret = -EINTR;
		}
		if (ret < 0)
			return ret;
	}
	if (!READ_ONCE(node->alive))
		return -ENODEV;

	mutex_lock(&uf->fetch_lock);
	n = min_t(unsigned int, f.nr, node->cfg.irqs.nr);
	f.nr_new = umdp_irq_collect(uf, ev, n);
	mutex_unlock(&uf->fetch_lock);
	f.nr = node->cfg.irqs.nr;
	if (block && !f.nr_new)
		return -ETIMEDOUT;
	if (n && copy_to_user(u64_to_user_ptr(f.events), ev, n * sizeof(ev[0])))
		return -EFAULT;
	if (copy_to_user(argp, &f, sizeof(f)))
		return -EFAULT;
	return 0;
}

static long umdp_irq_ioctl_unmask(struct umdp_node *node, void __user *argp)
{
	unsigned int i;
	u32 irq;
	long ret;

	if (get_user(irq, (u32 __user *)argp))
		return -EFAULT;
	down_read(&node->info_lock);
	if (!node->alive) {
		ret = -ENODEV;
		goto out_unlock;
	}
	ret = -EINVAL;
	mutex_lock(&node->irq_lock);
	for (i = 0; i < node->nr_requested; i++) {
		struct umdp_irq *ui = &node->irqs[i];

		if (ui->irq != irq)
			continue;
		if (test_and_clear_bit(UMDP_IRQ_MASKED, &ui->flags))
			enable_irq(ui->irq);
		ret = 0;
		break;
	}
	mutex_unlock(&node->irq_lock);
out_unlock:
	up_read(&node->info_lock);
	return ret;
}

/**
 * umdp_irq_ioctl() - the IRQ ioctls of a node
 * @uf: the open file
 * @cmd: UMDP_IOC_IRQ_FETCH, UMDP_IOC_IRQ_WAIT or UMDP_IOC_IRQ_UNMASK
 * @argp: the user argument
 *
 * Return: 0 or a negative errno; -ENOTTY for another command.
 */
long umdp_irq_ioctl(struct umdp_file *uf, unsigned int cmd, void __user *argp)
{
	switch (cmd) {
	case UMDP_IOC_IRQ_FETCH:
		return umdp_irq_fetch(uf, argp, false);
	case UMDP_IOC_IRQ_WAIT:
		return umdp_irq_fetch(uf, argp, true);
	case UMDP_IOC_IRQ_UNMASK:
		return umdp_irq_ioctl_unmask(uf->node, argp);
	default:
		return -ENOTTY;
	}
}
