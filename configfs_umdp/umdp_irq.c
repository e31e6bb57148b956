// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: the IRQ lines of a node.
 *
 * Each line is requested exclusively (no IRQF_SHARED) while the grant is
 * enabled. The hard handler only counts and wakes the node's waitqueue: no
 * allocation, no workqueue, no sleeping lock. A level-triggered line is
 * masked there with disable_irq_nosync() and stays masked until the driver,
 * having quieted its device, unmasks it through the node
 * (umdp_irq_unmask()). Edge-triggered lines are never masked.
 *
 * Depth accounting: the UMDP_IRQ_MASKED bit is set only after the handler's
 * disable_irq_nosync() and cleared only right before the matching
 * enable_irq(), so a set bit always stands for exactly one disable depth
 * taken by umdp. The handler cannot run again on a line it disabled, so it
 * never disables twice, and test_and_clear_bit() lets exactly one of unmask
 * and revoke re-enable. Revoke balances a pending mask with enable_irq()
 * before free_irq(); free_irq() shuts the line down and the next
 * request_irq() starts it at depth 0 again, so request/free cycles never
 * drift and never trigger "Unbalanced enable" warnings.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/lockdep.h>
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

static const char *umdp_irq_cause(int err)
{
	switch (err) {
	case -EINVAL:
		return "no such IRQ, or it cannot be requested";
	case -EBUSY:
		return "already in use";
	case -ENOMEM:
		return "out of memory";
	default:
		return "request_irq failed";
	}
}

/**
 * umdp_irq_request_all() - request every IRQ line of a node's grant
 * @node: the node, not yet published
 *
 * On failure the lines already requested are freed again and one line
 * naming the grant, the IRQ and the cause is logged.
 *
 * Return: 0, or the errno of the failed request (EINVAL for a line that
 * does not exist, EBUSY for one in use).
 */
int umdp_irq_request_all(struct umdp_node *node)
{
	unsigned int i;
	int ret;

	for (i = 0; i < node->cfg.irqs.nr; i++) {
		struct umdp_irq *ui = &node->irqs[i];

		ui->node = node;
		ui->irq = node->cfg.irqs.irq[i];
		ui->flags = 0;
		atomic64_set(&ui->count, 0);
		/* Before request_irq(): the handler may run at once. */
		ui->irqd = irq_get_irq_data(ui->irq);
		/*
		 * Never shared. IRQF_PROBE_SHARED only silences the core's
		 * "Flags mismatch" line for a line in use, so that exactly one
		 * line (below) is logged for the failure.
		 */
		if (ui->irqd)
			ret = request_irq(ui->irq, umdp_irq_handler,
					  IRQF_PROBE_SHARED, node->res_name, ui);
		else
			ret = -EINVAL;
		if (ret) {
			pr_err("grant %s: irq %u: %s (error %d)\n",
			       node->name, ui->irq, umdp_irq_cause(ret), ret);
			goto err_free_irqs;
		}
		node->nr_requested++;
	}
	return 0;

err_free_irqs:
	umdp_irq_free_all(node);
	return ret;
}

/**
 * umdp_irq_free_all() - free every requested IRQ line of a node
 * @node: the node; no file operation can unmask any more (not alive)
 *
 * Waits for running handlers (free_irq()); never waits for user space.
 */
void umdp_irq_free_all(struct umdp_node *node)
{
	while (node->nr_requested) {
		struct umdp_irq *ui = &node->irqs[--node->nr_requested];

		if (test_and_clear_bit(UMDP_IRQ_MASKED, &ui->flags))
			enable_irq(ui->irq);
		free_irq(ui->irq, ui);
	}
}

/**
 * umdp_irq_unmask() - re-enable a line the handler masked
 * @node: the node
 * @index: index of the line in the grant's irqs list
 *
 * The caller holds @node->info_lock for reading and has seen the node
 * alive, so the line is still requested. Unmasking a line that is not
 * masked (or edge-triggered) does nothing.
 *
 * Return: 0, or -EINVAL for an index out of range.
 */
int umdp_irq_unmask(struct umdp_node *node, unsigned int index)
{
	struct umdp_irq *ui;

	lockdep_assert_held(&node->info_lock);
	if (index >= node->nr_requested)
		return -EINVAL;
	ui = &node->irqs[index];
	if (test_and_clear_bit(UMDP_IRQ_MASKED, &ui->flags))
		enable_irq(ui->irq);
	return 0;
}
