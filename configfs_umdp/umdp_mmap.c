// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: device memory through mmap() of the node.
 *
 * The mmap offset is the physical address (vm_pgoff = phys >> PAGE_SHIFT)
 * and the whole mapping must lie inside one granted "mem" window. Only
 * MAP_SHARED is allowed. Windows are mapped uncached, or write-combining
 * where the grant says ",wc"; the VMA is VM_IO | VM_PFNMAP | VM_DONTEXPAND |
 * VM_DONTDUMP, so it never grows (mremap), never lands in a core dump and
 * is never reached by get_user_pages().
 *
 * Nothing is mapped up front: each page is inserted by the fault handler on
 * first touch. That is what makes revoke work without user space's help:
 * revoke clears node->alive under info_lock (write) and only then zaps every
 * mapping of the node (umdp_node_kill() -> umdp_node_zap_mappings(), which
 * walks the node's map_inode address_space, the f_mapping of all its files).
 * The fault handler checks alive and inserts the PTE while holding info_lock
 * for reading, so a fault either completes before revoke's down_write()
 * returns, and its PTE is then removed by the zap, or it runs afterwards and
 * sees the node dead and raises SIGBUS. A VMA created concurrently with
 * revoke has no PTEs yet, so the same holds for it.
 *
 * Cache attributes: on x86 with PAT, vmf_insert_pfn_prot() replaces the
 * cache mode asked for with the one the PAT memtype table records for the
 * page (uncached-minus when nothing is recorded). The first mmap() of a
 * write-combining window therefore reserves the whole window as WC in that
 * table (arch_io_reserve_memtype_wc(), as DRM drivers do for their
 * apertures), and the node holds that reservation until revoke, which frees
 * it right after zapping the mappings (umdp_mem_release()). It never
 * outlives the grant: a driver that survives revoke by catching SIGBUS
 * keeps VMAs but no reservation, the next enable of the window without
 * ",wc" maps it uncached, and a kernel driver's later ioremap() of the BAR
 * is not silently turned into WC. Enable made sure a WC window lies inside
 * one iomem resource, so the reservation passes the PAT code's sanity
 * check. An uncached mapping reserves nothing: uncached-minus is the
 * default for device memory.
 *
 * Each fault also checks its page again (umdp_mem_page_usable()): System RAM
 * onlined since enable, or a region a kernel driver claimed since, is
 * SIGBUS, never mapped.
 *
 * Lifetime: one struct umdp_mapping per successful mmap() call, shared by
 * every VMA made from it (splits by munmap/mprotect, copies by fork, moves
 * by mremap), counted by the vm_ops open/close callbacks. It holds a
 * reference on the node, so munmap after revoke, close of the file while
 * mappings live and fork are all safe. Locking rule this imposes: nothing
 * may touch user memory while holding info_lock, because that memory may be
 * a umdp mapping whose fault takes info_lock again; nor while holding
 * io_lock, for which revoke waits with info_lock held (umdp_io.c).
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/refcount.h>
#include <linux/slab.h>

#include "umdp_internal.h"

/**
 * struct umdp_mapping - one mmap() of a node, shared by the VMAs made from it
 * @ref: number of VMAs pointing here
 * @node: the node, one reference
 * @pfn: first page frame mapped by the mmap() call
 * @pages: number of pages it mapped
 */
struct umdp_mapping {
	refcount_t ref;
	struct umdp_node *node;
	unsigned long pfn;
	unsigned long pages;
};

/*
 * The granted window holding pages [pfn, pfn + pages), or NULL. Computed in
 * page frames, so nothing can overflow.
 */
static const struct umdp_mem_range *
umdp_mem_window(const struct umdp_node *node, unsigned long pfn,
		unsigned long pages)
{
	const struct umdp_mems *mem = &node->cfg.mem;
	unsigned int i;

	for (i = 0; i < mem->nr; i++) {
		u64 first = mem->r[i].start >> PAGE_SHIFT;
		u64 n = mem->r[i].len >> PAGE_SHIFT;

		if (pfn >= first && pages <= n && pfn - first <= n - pages)
			return &mem->r[i];
	}
	return NULL;
}

static void umdp_mapping_put(struct umdp_mapping *map)
{
	if (!refcount_dec_and_test(&map->ref))
		return;
	umdp_node_put(map->node);
	kfree(map);
}

/* A VMA made from an existing one: split, fork or mremap. */
static void umdp_vm_open(struct vm_area_struct *vma)
{
	struct umdp_mapping *map = vma->vm_private_data;

	refcount_inc(&map->ref);
}

static void umdp_vm_close(struct vm_area_struct *vma)
{
	umdp_mapping_put(vma->vm_private_data);
}

/*
 * First touch of a page: insert its PFN (vmf->pgoff is the PFN, since
 * vm_pgoff is), unless the grant was revoked: SIGBUS then. See the top of
 * the file for why info_lock is held across the insert.
 */
static vm_fault_t umdp_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct umdp_mapping *map = vma->vm_private_data;
	struct umdp_node *node = map->node;
	vm_fault_t ret;

	/* VM_DONTEXPAND keeps every VMA inside its mmap() call's range. */
	if (vmf->pgoff < map->pfn || vmf->pgoff - map->pfn >= map->pages)
		return VM_FAULT_SIGBUS;

	if (umdp_node_enter(node))
		return VM_FAULT_SIGBUS;
	if (umdp_mem_page_usable(node, vmf->pgoff))
		ret = vmf_insert_pfn_prot(vma, vmf->address, vmf->pgoff,
					  vma->vm_page_prot);
	else
		ret = VM_FAULT_SIGBUS;
	umdp_node_leave(node);
	return ret;
}

static const struct vm_operations_struct umdp_vm_ops = {
	.open	= umdp_vm_open,
	.close	= umdp_vm_close,
	.fault	= umdp_vm_fault,
};

/*
 * The first mapping of a write-combining window reserves the whole window
 * WC for the node. Caller is inside umdp_node_enter(), so revoke's
 * umdp_mem_release() runs either before (and this is never reached) or
 * after (and frees what this took).
 */
static int umdp_mem_hold_wc(struct umdp_node *node,
			    const struct umdp_mem_range *r)
{
	unsigned int i = r - node->cfg.mem.r;
	int ret = 0;

	mutex_lock(&node->mem_lock);
	if (!test_bit(i, &node->wc_held)) {
		ret = arch_io_reserve_memtype_wc(r->start, r->len);
		if (!ret)
			__set_bit(i, &node->wc_held);
	}
	mutex_unlock(&node->mem_lock);
	return ret;
}

/**
 * umdp_mem_release() - free the write-combining memtypes a node holds
 * @node: the node, already killed (alive cleared, mappings zapped)
 */
void umdp_mem_release(struct umdp_node *node)
{
	unsigned int i;

	mutex_lock(&node->mem_lock);
	for (i = 0; i < node->cfg.mem.nr; i++) {
		const struct umdp_mem_range *r = &node->cfg.mem.r[i];

		if (__test_and_clear_bit(i, &node->wc_held))
			arch_io_free_memtype_wc(r->start, r->len);
	}
	mutex_unlock(&node->mem_lock);
}

/**
 * umdp_mmap() - map a granted physical memory window
 * @file: an open file of the node
 * @vma: the new mapping; its offset is the physical address
 *
 * MAP_SHARED is told apart from MAP_PRIVATE by VM_MAYSHARE: the kernel
 * clears VM_SHARED (and VM_MAYWRITE) for MAP_SHARED of a file opened
 * read-only, which stays a valid, read-only shared mapping.
 *
 * Offsets from UMDP_MMAP_STATUS up are not physical addresses: the status
 * page (umdp_status.c) and, from UMDP_MMAP_DMA_BASE, DMA buffers
 * (umdp_dma.c).
 *
 * Return: 0; -ENODEV when the grant was revoked, -EINVAL for a private
 * mapping, -EPERM when [offset, offset + length) is not inside one granted
 * window, -ENOMEM, or the error of reserving the write-combining memtype.
 */
int umdp_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct umdp_node *node = umdp_file_node(file);
	unsigned long pages = vma_pages(vma);
	const struct umdp_mem_range *r;
	struct umdp_mapping *map;
	int ret;

	if (vma->vm_pgoff >= UMDP_MMAP_DMA_BASE >> PAGE_SHIFT)
		return umdp_dma_mmap(file, vma);
	/* [UMDP_MMAP_STATUS, UMDP_MMAP_DMA_BASE): the status page's */
	if (vma->vm_pgoff >= UMDP_MMAP_STATUS >> PAGE_SHIFT)
		return umdp_status_mmap(file, vma);
	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;

	ret = umdp_node_enter(node);
	if (ret)
		goto err_free;
	if (!(vma->vm_flags & VM_MAYSHARE)) {
		ret = -EINVAL;
		goto err_leave;
	}
	r = umdp_mem_window(node, vma->vm_pgoff, pages);
	if (!r) {
		ret = -EPERM;
		goto err_leave;
	}
	/* The snapshot in node->cfg is immutable: *r stays valid. */
	if (r->wc) {
		ret = umdp_mem_hold_wc(node, r);
		if (ret)
			goto err_leave;
	}
	umdp_node_leave(node);

	refcount_set(&map->ref, 1);
	umdp_node_get(node);
	map->node = node;
	map->pfn = vma->vm_pgoff;
	map->pages = pages;

	vma->vm_private_data = map;
	vma->vm_ops = &umdp_vm_ops;
	vma->vm_page_prot = r->wc ? pgprot_writecombine(vma->vm_page_prot) :
				    pgprot_noncached(vma->vm_page_prot);
	umdp_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
			       VM_DONTDUMP);
	return 0;

err_leave:
	umdp_node_leave(node);
err_free:
	kfree(map);
	return ret;
}
