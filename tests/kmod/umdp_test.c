// SPDX-License-Identifier: GPL-2.0
/*
 * umdp_test.ko - kernel-side conditions the bats tests cannot make from
 * user space. Loaded in the QEMU guest only, never shipped or installed.
 *
 * odd_irqs=1: allocates four IRQ descriptors on the dummy chip: one marked
 * no-request, one per-CPU (percpu_devid), one nested-threaded, and a plain
 * one as the control. Their numbers are read-only parameters.
 *
 * take_irq=N: requests line N (not shared) with a handler that claims
 * nothing, as a kernel driver bound after a grant's enable would.
 *
 * slow_ins=US: every call of umdp.ko's insb() first spins US microseconds
 * per byte it is to read, as each access to a port on a dead bus stalls
 * the CPU: a kprobe on umdp's own out-of-line copy of insb().
 *
 * fail_add=GRANT: the first device_add() of umdp's device GRANT fails with
 * -ENOMEM after fail_ms milliseconds, its device not added: a kprobe at
 * device_add()'s entry sends it to umdp_test_fail_add(), which returns to
 * device_add()'s caller. The cdev is live during the wait; the device
 * number is logged first, so a test can open it through a node of its own.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kdev_t.h>
#include <linux/kprobes.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/string.h>

static bool odd_irqs;
module_param(odd_irqs, bool, 0444);
MODULE_PARM_DESC(odd_irqs, "allocate the no-request, per-CPU, nested and plain lines");

static int irq_norequest, irq_percpu, irq_nested, irq_plain;
module_param(irq_norequest, int, 0444);
module_param(irq_percpu, int, 0444);
module_param(irq_nested, int, 0444);
module_param(irq_plain, int, 0444);

static int take_irq = -1;
module_param(take_irq, int, 0444);
MODULE_PARM_DESC(take_irq, "an IRQ line to request at load");

static unsigned int slow_ins;
module_param(slow_ins, uint, 0444);
MODULE_PARM_DESC(slow_ins, "microseconds per byte each insb() call of umdp.ko spins first");

static char fail_add[64];
module_param_string(fail_add, fail_add, sizeof(fail_add), 0444);
MODULE_PARM_DESC(fail_add, "the umdp grant whose first device_add() fails");

static unsigned int fail_ms = 3000;
module_param(fail_ms, uint, 0444);
MODULE_PARM_DESC(fail_ms, "how long the failing device_add() waits first");

static int irq_base = -1;
/* armed until the first matching device_add(): one failure only */
static atomic_t fail_armed = ATOMIC_INIT(0);
/* the failed device's number, set by the kprobe before the failure runs */
static dev_t fail_devt;
static bool kprobe_registered, slow_registered;

static irqreturn_t umdp_test_irq(int irq, void *data)
{
	return IRQ_NONE;
}

/*
 * Runs instead of device_add(), in its caller's context (process context,
 * the caller's locks held), and returns to that caller.
 */
static noinline int umdp_test_fail_add(void)
{
	pr_info("umdp_test: device_add of umdp/%s (%u:%u) fails in %u ms\n",
		fail_add, MAJOR(fail_devt), MINOR(fail_devt), fail_ms);
	msleep(fail_ms);
	pr_info("umdp_test: device_add of umdp/%s failed\n", fail_add);
	return -ENOMEM;
}

static int umdp_test_device_add_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct device *dev = (struct device *)regs->di;

	if (!dev->class || strcmp(dev->class->name, "umdp") ||
	    strcmp(dev_name(dev) ?: "", fail_add) ||
	    !atomic_cmpxchg(&fail_armed, 1, 0))
		return 0;
	fail_devt = dev->devt;
	instruction_pointer_set(regs, (unsigned long)umdp_test_fail_add);
	/* ip changed: kprobes skips the probed instruction */
	return 1;
}

/*
 * A post handler keeps kprobes from optimizing the probe into a jump,
 * whose handler call ignores a changed instruction pointer (as
 * fail_function's fei_post_handler).
 */
static void umdp_test_post(struct kprobe *p, struct pt_regs *regs,
			   unsigned long flags)
{
}

static struct kprobe device_add_kp = {
	.symbol_name = "device_add",
	.pre_handler = umdp_test_device_add_pre,
	.post_handler = umdp_test_post,
};

/* insb(port, buf, count): count is the third argument */
static int umdp_test_insb_pre(struct kprobe *p, struct pt_regs *regs)
{
	u64 us = (u64)slow_ins * regs->dx;

	mdelay(div_u64(us, 1000));
	udelay(us % 1000);
	return 0;
}

static struct kprobe insb_kp = {
	.symbol_name = "umdp:insb",
	.pre_handler = umdp_test_insb_pre,
};

static int umdp_test_alloc_irqs(void)
{
	int i;

	irq_base = irq_alloc_descs(-1, 1, 4, NUMA_NO_NODE);
	if (irq_base < 0)
		return irq_base;
	for (i = 0; i < 4; i++) {
		irq_set_chip_and_handler(irq_base + i, &dummy_irq_chip,
					 handle_simple_irq);
		irq_clear_status_flags(irq_base + i,
				       IRQ_NOREQUEST | IRQ_NOPROBE);
	}
	irq_norequest = irq_base;
	irq_set_status_flags(irq_norequest, IRQ_NOREQUEST);
	irq_percpu = irq_base + 1;
	irq_set_percpu_devid_flags(irq_percpu);
	irq_nested = irq_base + 2;
	irq_set_nested_thread(irq_nested, true);
	irq_plain = irq_base + 3;
	return 0;
}

static void umdp_test_free_irqs(void)
{
	if (irq_base >= 0)
		irq_free_descs(irq_base, 4);
}

static int __init umdp_test_init(void)
{
	int ret;

	if (odd_irqs) {
		ret = umdp_test_alloc_irqs();
		if (ret)
			return ret;
	}
	if (take_irq >= 0) {
		ret = request_irq(take_irq, umdp_test_irq, 0, "umdp_test", NULL);
		if (ret)
			goto err_free_irqs;
	}
	if (fail_add[0]) {
		atomic_set(&fail_armed, 1);
		ret = register_kprobe(&device_add_kp);
		if (ret)
			goto err_free_taken;
		kprobe_registered = true;
	}
	if (slow_ins) {
		ret = register_kprobe(&insb_kp);
		if (ret)
			goto err_unregister_add;
		slow_registered = true;
	}
	return 0;

err_unregister_add:
	if (kprobe_registered)
		unregister_kprobe(&device_add_kp);
err_free_taken:
	if (take_irq >= 0)
		free_irq(take_irq, NULL);
err_free_irqs:
	umdp_test_free_irqs();
	return ret;
}

static void __exit umdp_test_exit(void)
{
	if (slow_registered)
		unregister_kprobe(&insb_kp);
	if (kprobe_registered)
		unregister_kprobe(&device_add_kp);
	if (take_irq >= 0)
		free_irq(take_irq, NULL);
	umdp_test_free_irqs();
}

module_init(umdp_test_init);
module_exit(umdp_test_exit);
MODULE_DESCRIPTION("umdp's test conditions (tests only)");
MODULE_LICENSE("GPL");
