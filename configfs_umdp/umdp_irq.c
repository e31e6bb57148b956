// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: the IRQ lines of a node.
 *
 * Lifetime: enable only checks that each line exists and is free (no
 * kernel handler here; no other enabled grant names it, umdp_claim.c). The
 * lines are requested
 * when the grant's program opens the node and freed when that file is
 * released (close or process death) or when the grant is revoked, whichever
 * comes first: a dead driver leaves no line requested or masked.
 *
 * The hard handler only counts (on the status page, whose seq it bumps)
 * and wakes the node's waitqueue: no allocation, no workqueue, no lock. A
 * level-triggered line is masked there with disable_irq_nosync(), at the
 * chip at once (IRQ_DISABLE_UNLAZY, see umdp_irq_request()), and stays
 * masked until the driver, having quieted its device, unmasks it through
 * the node (UMDP_IOC_IRQ_UNMASK).
 * Edge-triggered lines are never masked. Whether a line is level-triggered
 * is read after request_irq() (with IRQF_NO_AUTOEN, before the line is
 * enabled): no pointer into the line's descriptor is kept, because the
 * kernel frees the descriptor of a PCI INTx GSI with the device's last
 * disable and allocates a new one when it is enabled again.
 *
 * Depth accounting: the UMDP_IRQ_EV_MASKED flag of a line is set only after
 * the handler's disable_irq_nosync() and cleared only right before the
 * matching enable_irq(), so a set flag always stands for exactly one
 * disable depth taken by umdp. The handler cannot run again on a line it
 * disabled, so it never disables twice, and atomic_fetch_andnot() lets
 * exactly one of unmask and free re-enable. Free balances a pending mask
 * with enable_irq() before free_irq(), so request/free cycles never drift
 * and never trigger "Unbalanced enable" warnings.
 *
 * State: a line's count and flags live on the node's status page
 * (umdp_status.c), which the driver may map read-only; there is no other
 * copy, so what the page shows and what UMDP_IOC_IRQ_FETCH reports are the
 * same counters. Every change of them is followed by umdp_status_changed(),
 * an atomic increment of the page's seq with release semantics.
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
#include <linux/irqdesc.h>
#include <linux/lockdep.h>
#include <linux/pci.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "umdp_internal.h"

static bool umdp_irq_masked(const struct umdp_irq *ui)
{
	return atomic_read(&ui->st->flags) & UMDP_IRQ_EV_MASKED;
}

/* Clear the line's mask flag; true if it was set (exactly one caller wins). */
static bool umdp_irq_test_and_clear_masked(struct umdp_irq *ui)
{
	return atomic_fetch_andnot(UMDP_IRQ_EV_MASKED, &ui->st->flags) &
	       UMDP_IRQ_EV_MASKED;
}

/*
 * One interrupt on @ui: count it, then tell the status page (the count is
 * visible before the seq moves), then wake poll() and the wait ioctl. No
 * lock, no allocation: called from the hard handler.
 */
static void umdp_irq_count(struct umdp_irq *ui)
{
	atomic64_inc(&ui->st->count);
	umdp_status_changed(ui->node);
	wake_up_interruptible(&ui->node->wait);
}

static irqreturn_t umdp_irq_handler(int irq, void *dev_id)
{
	struct umdp_irq *ui = dev_id;

	if (ui->level && !umdp_irq_masked(ui)) {
		disable_irq_nosync(irq);
		/* The depth is taken before anyone can see the flag. */
		smp_mb__before_atomic();
		atomic_or(UMDP_IRQ_EV_MASKED, &ui->st->flags);
	}
	umdp_irq_count(ui);
	return IRQ_HANDLED;
}

/*
 * A PCI function's INTx ("irqs" = "intx"): the line may be shared, so the
 * handler claims only an interrupt its function asserts, and masks it at
 * the function (INTx Disable) instead of at the line, as uio_pci_generic
 * does. node->pdev outlives every requested line.
 */
static irqreturn_t umdp_irq_intx_handler(int irq, void *dev_id)
{
	struct umdp_irq *ui = dev_id;

	if (!pci_check_and_mask_intx(ui->node->pdev))
		return IRQ_NONE;
	atomic_or(UMDP_IRQ_EV_MASKED, &ui->st->flags);
	umdp_irq_count(ui);
	return IRQ_HANDLED;
}

/*
 * Unmask a PCI function's INTx after the handler masked it. If the
 * function still asserts it, it stays masked and counts as a new
 * interrupt, as a level line would fire again at once.
 */
static void umdp_irq_intx_unmask(struct umdp_irq *ui)
{
	if (pci_check_and_unmask_intx(ui->node->pdev))
		return;
	atomic_or(UMDP_IRQ_EV_MASKED, &ui->st->flags);
	umdp_irq_count(ui);
}

/**
 * umdp_irq_check() - check at enable that a line can be requested at open
 * @grant: the grant being enabled, for its error
 * @irq: the line
 *
 * Logs one line naming the grant, the IRQ and the cause on failure. Called
 * with umdp_lock held.
 *
 * Return: 0; -EINVAL for a line that does not exist or that no driver may
 * request (no-request, per-CPU, nested-threaded), -EBUSY for one a kernel
 * driver holds.
 */
int umdp_irq_check(struct umdp_grant *grant, unsigned int irq)
{
	if (!irq_get_irq_data(irq)) {
		umdp_grant_error(grant, "irq %u: no such IRQ", irq);
		return -EINVAL;
	}
	/* lines request_irq() would refuse at every open */
	if (irq_check_status_bit(irq, IRQ_NOREQUEST | IRQ_PER_CPU |
				 IRQ_PER_CPU_DEVID | IRQ_NESTED_THREAD)) {
		umdp_grant_error(grant, "irq %u: cannot be requested by a driver (per-CPU, nested-threaded or reserved)",
				 irq);
		return -EINVAL;
	}
	if (irq_has_action(irq)) {
		umdp_grant_error(grant, "irq %u: already in use by a kernel driver (see /proc/interrupts)",
				 irq);
		return -EBUSY;
	}
	return 0;
}

/* The flags a line has for its whole life: what kind of line it is. */
static u32 umdp_irq_kind_flags(const struct umdp_irq *ui)
{
	switch (ui->kind) {
	case UMDP_IRQ_INTX:
		return UMDP_IRQ_EV_INTX;
	case UMDP_IRQ_MSI:
		return UMDP_IRQ_EV_MSI;
	default:
		return 0;
	}
}

/**
 * umdp_irq_init() - set up the IRQ entries of a new node from its settings
 * @node: the node, not yet published, with its status page
 *
 * Fills the status page's lines too. Called again by umdp_pci_take() once
 * the function's IRQs are known.
 */
void umdp_irq_init(struct umdp_node *node)
{
	struct umdp_status_kpage *st = node->status;
	unsigned int i;

	for (i = 0; i < node->cfg.irqs.nr; i++) {
		struct umdp_irq *ui = &node->irqs[i];

		ui->node = node;
		ui->irq = node->cfg.irqs.irq[i];
		ui->kind = node->cfg.irqs.kind;
		ui->st = &st->line[i];
		ui->st->irq = ui->irq;
		atomic_set(&ui->st->flags, umdp_irq_kind_flags(ui));
	}
	st->nr_lines = node->cfg.irqs.nr;
}

/*
 * Request one line, disabled, learn its trigger type from the descriptor it
 * has now, then enable it. A line a kernel driver took since the enable is
 * EBUSY without a request (request_irq() of a busy non-shared line would
 * log on every attempt).
 */
static int umdp_irq_request(struct umdp_node *node, struct umdp_irq *ui)
{
	int ret;

	/* not requested: no handler runs on it */
	atomic_set(&ui->st->flags, umdp_irq_kind_flags(ui));
	atomic64_set(&ui->st->count, 0);
	if (ui->kind == UMDP_IRQ_INTX) {
		/* masked at the function until the line is ours */
		ret = request_irq(ui->irq, umdp_irq_intx_handler, IRQF_SHARED,
				  node->res_name, ui);
		if (ret)
			return ret;
		ui->level = true;
		atomic_or(UMDP_IRQ_EV_LEVEL, &ui->st->flags);
		pci_intx(node->pdev, 1);
		return 0;
	}
	if (irq_has_action(ui->irq))
		return -EBUSY;
	ret = request_irq(ui->irq, umdp_irq_handler, IRQF_NO_AUTOEN,
			  node->res_name, ui);
	if (ret)
		return ret;
	/* the descriptor cannot go while we hold the line */
	ui->level = irqd_is_level_type(irq_get_irq_data(ui->irq));
	if (ui->level) {
		atomic_or(UMDP_IRQ_EV_LEVEL, &ui->st->flags);
		/*
		 * The handler's disable_irq_nosync() masks the line at the
		 * chip at once, not lazily: a lazily disabled level line is
		 * still unmasked and high at the handler's EOI, and the
		 * interrupt controller delivers it again. Should that
		 * delivery land after the driver has quieted its device and
		 * unmasked, the handler would count an interrupt the device
		 * no longer raises (QEMU's IO-APIC did in up to a fifth of
		 * the round trips with the handler on another CPU).
		 */
		irq_set_status_flags(ui->irq, IRQ_DISABLE_UNLAZY);
	}
	enable_irq(ui->irq);
	return 0;
}

/**
 * umdp_irq_request_all() - request every line of a node for its opener
 * @node: the node; caller is inside umdp_node_enter()
 *
 * Counters start from zero, and the status page's seq moves to say so.
 * On failure the lines already requested are freed again and one line
 * naming the grant, the IRQ and the cause is logged.
 *
 * Return: 0, or the errno of the failed request_irq().
 */
int umdp_irq_request_all(struct umdp_node *node)
{
	int ret = 0;

	mutex_lock(&node->irq_lock);
	while (node->nr_requested < node->cfg.irqs.nr) {
		struct umdp_irq *ui = &node->irqs[node->nr_requested];

		ret = umdp_irq_request(node, ui);
		if (ret) {
			pr_err_ratelimited("grant %s: irq %u: cannot request it at open (error %d)\n",
					   node->name, ui->irq, ret);
			break;
		}
		node->nr_requested++;
	}
	mutex_unlock(&node->irq_lock);
	if (node->cfg.irqs.nr)
		umdp_status_changed(node);
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
	bool freed = false;

	mutex_lock(&node->irq_lock);
	while (node->nr_requested) {
		struct umdp_irq *ui = &node->irqs[--node->nr_requested];

		if (ui->kind == UMDP_IRQ_INTX) {
			pci_intx(node->pdev, 0);
			umdp_irq_test_and_clear_masked(ui);
		} else if (umdp_irq_test_and_clear_masked(ui)) {
			enable_irq(ui->irq);
		}
		if (ui->kind != UMDP_IRQ_INTX && ui->level)
			irq_clear_status_flags(ui->irq, IRQ_DISABLE_UNLAZY);
		free_irq(ui->irq, ui);
		freed = true;
	}
	mutex_unlock(&node->irq_lock);
	if (freed)
		umdp_status_changed(node);
}

/* Has any line of the node fired since this file last fetched? */
static bool umdp_irq_pending(const struct umdp_file *uf)
{
	const struct umdp_node *node = uf->node;
	unsigned int i;

	for (i = 0; i < node->cfg.irqs.nr; i++)
		if ((u64)atomic64_read(&node->irqs[i].st->count) != uf->seen[i])
			return true;
	return false;
}

/**
 * umdp_irq_poll() - POLLIN|POLLRDNORM when one of the grant's lines fired
 *	since this file last fetched; POLLHUP|POLLERR once revoked
 * @file: the file
 * @wait: the poll table
 *
 * Return: the poll mask.
 */
__poll_t umdp_irq_poll(struct file *file, poll_table *wait)
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
		u64 total = atomic64_read(&ui->st->count);

		ev[i].irq = ui->irq;
		/* level, kind and mask state, as the status page shows them */
		ev[i].flags = atomic_read(&ui->st->flags);
		ev[i].total = total;
		ev[i].count = total - uf->seen[i];
		if (ev[i].count)
			nr_new++;
		uf->seen[i] = total;
	}
	return nr_new;
}

/*
 * Sleep until a line fired since this file's last fetch or the grant is
 * revoked: 0 then; -ETIMEDOUT is left to the caller (it finds nothing new),
 * -EINTR on a signal. @timeout_ms < 0 waits for ever.
 */
static long umdp_irq_wait(struct umdp_file *uf, int timeout_ms)
{
	struct umdp_node *node = uf->node;
	long ret;

	if (timeout_ms < 0)
		return wait_event_interruptible(node->wait,
						!READ_ONCE(node->alive) ||
						umdp_irq_pending(uf));
	ret = wait_event_interruptible_timeout(node->wait,
					       !READ_ONCE(node->alive) ||
					       umdp_irq_pending(uf),
					       msecs_to_jiffies(timeout_ms));
	return ret == -ERESTARTSYS ? -EINTR : 0;
}

static long umdp_irq_fetch(struct umdp_file *uf, void __user *argp, bool block)
{
	struct umdp_node *node = uf->node;
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	struct umdp_irq_fetch f;
	unsigned int n = node->cfg.irqs.nr;
	long ret;

	ret = umdp_arg_in(&f, sizeof(f), UMDP_IRQ_FETCH_SIZE_VER0, 0, argp);
	if (ret)
		return ret;
	if (f.pad || f.nr < n)
		return -EINVAL;
	if (block && f.timeout_ms) {
		ret = umdp_irq_wait(uf, f.timeout_ms);
		if (ret < 0)
			return ret;
	}
	if (!READ_ONCE(node->alive))
		return -ENODEV;

	mutex_lock(&uf->fetch_lock);
	f.nr_new = umdp_irq_collect(uf, ev, n);
	mutex_unlock(&uf->fetch_lock);
	f.nr = n;
	if (block && !f.nr_new)
		return -ETIMEDOUT;
	if (n && copy_to_user(u64_to_user_ptr(f.events), ev, n * sizeof(ev[0])))
		return -EFAULT;
	return umdp_arg_out(argp, &f, sizeof(f));
}

static long umdp_irq_unmask(struct file *file, void __user *argp)
{
	struct umdp_node *node = umdp_file_node(file);
	struct umdp_irq_unmask u;
	unsigned int i;
	long ret;

	ret = umdp_arg_in(&u, sizeof(u), UMDP_IRQ_UNMASK_SIZE_VER0, 0, argp);
	if (ret)
		return ret;
	if (u.pad)
		return -EINVAL;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = umdp_node_enter(node);
	if (ret)
		return ret;
	ret = -EINVAL;
	mutex_lock(&node->irq_lock);
	for (i = 0; i < node->nr_requested; i++) {
		struct umdp_irq *ui = &node->irqs[i];

		if (ui->irq != u.irq)
			continue;
		if (umdp_irq_test_and_clear_masked(ui)) {
			/* readers see it unmasked before it can fire again */
			umdp_status_changed(node);
			if (ui->kind == UMDP_IRQ_INTX)
				umdp_irq_intx_unmask(ui);
			else
				enable_irq(ui->irq);
		}
		ret = 0;
		break;
	}
	mutex_unlock(&node->irq_lock);
	umdp_node_leave(node);
	return ret;
}

/**
 * umdp_irq_ioctl() - the IRQ ioctls of a node
 * @file: the open file
 * @cmd: UMDP_IOC_IRQ_FETCH, UMDP_IOC_IRQ_WAIT or UMDP_IOC_IRQ_UNMASK
 * @argp: the user argument
 *
 * Return: 0 or a negative errno; -ENOTTY for another command.
 */
long umdp_irq_ioctl(struct file *file, unsigned int cmd, void __user *argp)
{
	switch (cmd) {
	case UMDP_IOC_IRQ_FETCH:
		return umdp_irq_fetch(file->private_data, argp, false);
	case UMDP_IOC_IRQ_WAIT:
		return umdp_irq_fetch(file->private_data, argp, true);
	case UMDP_IOC_IRQ_UNMASK:
		return umdp_irq_unmask(file, argp);
	default:
		return -ENOTTY;
	}
}
