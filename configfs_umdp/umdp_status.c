// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: the status page of a node, mapped read-only by its driver.
 *
 * Every node has one zeroed page, allocated when the node is created and
 * freed with it: a struct umdp_status header, then one struct
 * umdp_status_line per IRQ line of the grant (the uapi header describes
 * the layout and the reading protocol). The page is the only home of a
 * line's count and mask state: the hard handler counts there (umdp_irq.c),
 * UMDP_IOC_IRQ_FETCH, poll() and sysfs read from there, and after each
 * change the page's seq is incremented with release semantics
 * (umdp_status_changed()), so a driver spinning on seq sees an interrupt
 * with one memory read and no system call. A node without IRQ lines has
 * the page too (nr_lines 0): one page per enabled grant, at most
 * UMDP_MINORS of them, buys a page every driver can map the same way and
 * fault and mmap paths without a "no page" case.
 *
 * mmap() at UMDP_MMAP_STATUS maps exactly that one page, MAP_SHARED and
 * read-only: PROT_WRITE is -EPERM (the grant gives the page to be read,
 * as it refuses memory it does not give with -EPERM), and VM_MAYWRITE is
 * cleared so that mprotect() cannot add write later (-EACCES). Like
 * device memory (umdp_mmap.c) and DMA buffers (umdp_dma.c), nothing is
 * mapped up front: the fault handler inserts the page while holding
 * info_lock for reading, after checking that the node is alive. Revoke
 * clears alive under info_lock held for writing and then zaps every
 * mapping of the node's map_inode, so a fault either completed before the
 * revoke (and its PTE is zapped) or sees the node dead and raises SIGBUS:
 * after revoke every mapping of the page is SIGBUS, and the page, whose
 * lines are freed, stops changing anyway.
 *
 * Lifetime: every VMA of the page holds a reference on the node (taken by
 * mmap(), and by the vm_ops open callback for copies made by fork, split
 * or mremap), and the page is freed only by the node's release, so no PTE
 * can outlive the page.
 */
#include <linux/build_bug.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/stddef.h>

#include "umdp_internal.h"

#define UMDP_STATUS_PGOFF	(UMDP_MMAP_STATUS >> PAGE_SHIFT)

/* The module's view of the page is the uapi layout, with atomic types. */
static_assert(sizeof(struct umdp_status) == UMDP_STATUS_SIZE_VER0);
static_assert(sizeof(struct umdp_status_line) == UMDP_STATUS_LINE_SIZE_VER0);
static_assert(offsetof(struct umdp_status_kpage, seq) ==
	      offsetof(struct umdp_status, seq));
static_assert(offsetof(struct umdp_status_kpage, nr_lines) ==
	      offsetof(struct umdp_status, nr_lines));
static_assert(offsetof(struct umdp_status_kpage, line) ==
	      sizeof(struct umdp_status));
static_assert(sizeof(struct umdp_status_kline) ==
	      sizeof(struct umdp_status_line));
static_assert(offsetof(struct umdp_status_kline, flags) ==
	      offsetof(struct umdp_status_line, flags));
static_assert(offsetof(struct umdp_status_kline, count) ==
	      offsetof(struct umdp_status_line, count));
static_assert(sizeof(atomic_t) == sizeof(__u32));
static_assert(sizeof(atomic64_t) == sizeof(__u64));
static_assert(sizeof(struct umdp_status_kpage) <= PAGE_SIZE);
static_assert(UMDP_MMAP_STATUS < UMDP_MMAP_DMA_BASE);

/**
 * umdp_status_alloc() - give a new node its status page
 * @node: the node, not yet published; its lines are filled in later by
 *	umdp_irq_init()
 *
 * Return: 0 or -ENOMEM.
 */
int umdp_status_alloc(struct umdp_node *node)
{
	struct umdp_status_kpage *st;

	st = (struct umdp_status_kpage *)get_zeroed_page(GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	st->magic = UMDP_STATUS_MAGIC;
	st->version = UMDP_STATUS_VERSION;
	st->size = sizeof(struct umdp_status);
	st->line_size = sizeof(struct umdp_status_line);
	node->status = st;
	return 0;
}

/**
 * umdp_status_free() - free a node's status page
 * @node: the node, from its release: no mapping of the page is left
 */
void umdp_status_free(struct umdp_node *node)
{
	free_page((unsigned long)node->status);
	node->status = NULL;
}

/*
 * First touch of the page: insert it, unless the grant was revoked
 * (SIGBUS). info_lock is held across the insert: see the top of the file.
 */
static vm_fault_t umdp_status_fault(struct vm_fault *vmf)
{
	struct umdp_node *node = vmf->vma->vm_private_data;
	vm_fault_t ret;

	/* VM_DONTEXPAND keeps the VMA at its one page */
	if (vmf->pgoff != UMDP_STATUS_PGOFF)
		return VM_FAULT_SIGBUS;
	if (umdp_node_enter(node))
		return VM_FAULT_SIGBUS;
	ret = vmf_insert_pfn(vmf->vma, vmf->address,
			     page_to_pfn(virt_to_page(node->status)));
	umdp_node_leave(node);
	return ret;
}

/* A VMA made from an existing one: fork or mremap. */
static void umdp_status_vm_open(struct vm_area_struct *vma)
{
	umdp_node_get(vma->vm_private_data);
}

static void umdp_status_vm_close(struct vm_area_struct *vma)
{
	umdp_node_put(vma->vm_private_data);
}

static const struct vm_operations_struct umdp_status_vm_ops = {
	.open	= umdp_status_vm_open,
	.close	= umdp_status_vm_close,
	.fault	= umdp_status_fault,
};

/**
 * umdp_status_mmap() - map the node's status page, read-only
 * @file: an open file of the node
 * @vma: the new mapping; its offset is at or above UMDP_MMAP_STATUS and
 *	below UMDP_MMAP_DMA_BASE
 *
 * Return: 0; -ENODEV after revoke, -EINVAL for a private mapping, a
 * length other than one page or an offset other than UMDP_MMAP_STATUS,
 * -EPERM for a writable mapping.
 */
int umdp_status_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct umdp_node *node = umdp_file_node(file);

	/* early: the fault checks alive again, under info_lock */
	if (!READ_ONCE(node->alive))
		return -ENODEV;
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_pgoff != UMDP_STATUS_PGOFF || vma_pages(vma) != 1)
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE)
		return -EPERM;

	umdp_node_get(node);
	vma->vm_private_data = node;
	vma->vm_ops = &umdp_status_vm_ops;
	umdp_vm_flags_mod(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP,
			  VM_MAYWRITE);
	return 0;
}
