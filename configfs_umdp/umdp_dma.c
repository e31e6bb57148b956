// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: DMA buffers of a PCI grant.
 *
 * A grant with "pci" and "dma" lets its driver allocate coherent DMA
 * buffers for the function (UMDP_IOC_DMA_ALLOC), up to "dma" bytes in all.
 * Each comes back with the bus address the device must use and an mmap()
 * offset above UMDP_MMAP_DMA_BASE: buffer id << 32 past it, so a buffer's
 * offsets are its own for the node's lifetime (ids are never reused). Under
 * an IOMMU the DMA API maps each buffer, and nothing else, into the
 * function's domain: the device reaches exactly these buffers.
 *
 * Under an IOMMU umdp allocates the pages itself and maps them with
 * dma_map_sgtable() rather than dma_alloc_coherent(): a domain with a
 * flush queue (DMA-FQ, lazy invalidation: Debian's default) invalidates
 * the IOTLB for an unmapped range up to ~10 ms later, and
 * dma_free_coherent() hands the pages back to the allocator before that,
 * so a device still mastering the bus (the grant's other buffers keep Bus
 * Master Enable on) could write a page the kernel already reuses. Here the
 * pages go back only after the unmap and a synchronous flush of the
 * domain's IOTLB (umdp is x86's: DMA is cache-coherent, the pages need no
 * syncs). Without an IOMMU ("unsafe") the buffers are coherent allocations
 * within the function's DMA mask.
 *
 * Bus mastering is on exactly while a buffer exists (or, for a grant with
 * MSI vectors, from enable to revoke: umdp_pci.c): the first allocation
 * sets it, freeing the last clears it, and the teardowns (revoke, the
 * function's remove; close of the node unless MSI needs it) clear it
 * before any buffer is freed.
 *
 * Mappings are filled at fault time under dma_lock, never up front: a
 * buffer being freed is first taken off the list, then every mapping of
 * its offsets is zapped, then its memory is freed, so a fault either
 * inserted its page before the zap (and loses it to the zap) or finds no
 * buffer and raises SIGBUS. A freed buffer is never reachable from user
 * space. (Filling the page tables in mmap() would race with a free: the
 * VMA joins the file's mapping only after mmap() returns, out of the
 * zap's reach.)
 *
 * Locking: dma_lock guards the list, dma_used, dma_next_id and the Bus
 * Master Enable transitions. No user memory is touched under it (a fault
 * of a umdp mapping takes it). Order: pci_lock -> info_lock -> dma_lock;
 * mmap_lock -> dma_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "umdp_internal.h"

/* Offsets of buffer id are UMDP_MMAP_DMA_BASE + (id << UMDP_DMA_ID_SHIFT). */
#define UMDP_DMA_ID_SHIFT	32
/* Ids stay below this, so offsets stay below 2^61 (positive off_t). */
#define UMDP_DMA_ID_LIMIT	(1U << 28)

#define UMDP_DMA_PGOFF_BASE	(UMDP_MMAP_DMA_BASE >> PAGE_SHIFT)
#define UMDP_DMA_PGOFF_ID_SHIFT	(UMDP_DMA_ID_SHIFT - PAGE_SHIFT)

/**
 * struct umdp_dma_buf - one DMA buffer of a node
 * @list: entry in the node's dma_bufs
 * @id: its id
 * @size: bytes, a multiple of the page size
 * @cpu: without an IOMMU: the kernel's address of the coherent allocation
 * @pages: under an IOMMU: its pages, mapped for the device through @sgt
 * @sgt: under an IOMMU: the mapping of @pages
 * @iova: the device's address of it
 */
struct umdp_dma_buf {
	struct list_head list;
	u32 id;
	size_t size;
	void *cpu;
	struct page **pages;
	struct sg_table sgt;
	dma_addr_t iova;
};

static u64 umdp_dma_offset(u32 id)
{
	return UMDP_MMAP_DMA_BASE + ((u64)id << UMDP_DMA_ID_SHIFT);
}

/* The buffer with @id; caller holds dma_lock. */
static struct umdp_dma_buf *umdp_dma_find(struct umdp_node *node, u64 id)
{
	struct umdp_dma_buf *buf;

	lockdep_assert_held(&node->dma_lock);
	list_for_each_entry(buf, &node->dma_bufs, list)
		if (buf->id == id)
			return buf;
	return NULL;
}

static void umdp_dma_pages_free(struct page **pages, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		if (pages[i])
			__free_page(pages[i]);
	kvfree(pages);
}

/*
 * Allocate @buf's memory (buf->size bytes, zeroed) and map it for the
 * function: under an IOMMU pages of its own, mapped at one contiguous
 * range of bus addresses; without one a coherent allocation.
 */
static int umdp_dma_mem_alloc(struct umdp_node *node, struct umdp_dma_buf *buf)
{
	struct device *dev = &node->pdev->dev;
	unsigned long i, n = buf->size >> PAGE_SHIFT;
	struct scatterlist *sg;
	dma_addr_t next;
	unsigned int k;
	int ret;

	if (!node->iommu) {
		buf->cpu = dma_alloc_coherent(dev, buf->size, &buf->iova,
					      GFP_KERNEL | __GFP_NOWARN);
		return buf->cpu ? 0 : -ENOMEM;
	}
	buf->pages = kvcalloc(n, sizeof(*buf->pages), GFP_KERNEL);
	if (!buf->pages)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		buf->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO |
					   __GFP_NOWARN);
		if (!buf->pages[i]) {
			ret = -ENOMEM;
			goto err_pages;
		}
	}
	ret = sg_alloc_table_from_pages(&buf->sgt, buf->pages, n, 0,
					buf->size, GFP_KERNEL);
	if (ret)
		goto err_pages;
	ret = dma_map_sgtable(dev, &buf->sgt, DMA_BIDIRECTIONAL, 0);
	if (ret)
		goto err_table;
	/* the IOMMU maps the whole list at one range of bus addresses */
	buf->iova = sg_dma_address(buf->sgt.sgl);
	next = buf->iova;
	for_each_sgtable_dma_sg(&buf->sgt, sg, k) {
		if (sg_dma_address(sg) != next)
			break;
		next += sg_dma_len(sg);
	}
	if (next - buf->iova == buf->size)
		return 0;
	pr_warn_ratelimited("grant %s: %s: the IOMMU mapped a DMA buffer at discontiguous bus addresses\n",
			    node->name, pci_name(node->pdev));
	ret = -ENOMEM;
	dma_unmap_sgtable(dev, &buf->sgt, DMA_BIDIRECTIONAL, 0);
	iommu_flush_iotlb_all(iommu_get_domain_for_dev(dev));
err_table:
	sg_free_table(&buf->sgt);
err_pages:
	umdp_dma_pages_free(buf->pages, n);
	buf->pages = NULL;
	return ret;
}

/*
 * Unmap @buf's memory from the function and free it. Under an IOMMU the
 * domain's IOTLB is flushed before the pages go back to the allocator: a
 * domain with a flush queue would invalidate it only later (up to ~10 ms),
 * and until then a device still mastering the bus reaches the pages.
 */
static void umdp_dma_mem_free(struct umdp_node *node, struct umdp_dma_buf *buf)
{
	struct device *dev = &node->pdev->dev;

	if (!buf->pages) {
		dma_free_coherent(dev, buf->size, buf->cpu, buf->iova);
		return;
	}
	dma_unmap_sgtable(dev, &buf->sgt, DMA_BIDIRECTIONAL, 0);
	iommu_flush_iotlb_all(iommu_get_domain_for_dev(dev));
	sg_free_table(&buf->sgt);
	umdp_dma_pages_free(buf->pages, buf->size >> PAGE_SHIFT);
}

/* Remove every mapping of @buf, then free it. No lock held but pci_lock
 * or info_lock (the function is still enabled). */
static void umdp_dma_buf_free(struct umdp_node *node, struct umdp_dma_buf *buf)
{
	unmap_mapping_range(node->map_inode->i_mapping,
			    umdp_dma_offset(buf->id), buf->size, 1);
	umdp_dma_mem_free(node, buf);
	kfree(buf);
}

/*
 * The last buffer is going: bus mastering off, unless the node's MSI
 * vectors need it (they cannot reach memory through the IOMMU the grant
 * then has, or unsafe said so). Caller holds dma_lock.
 */
static void umdp_dma_master_off(struct umdp_node *node)
{
	lockdep_assert_held(&node->dma_lock);
	if (node->cfg.irqs.kind != UMDP_IRQ_MSI)
		pci_clear_master(node->pdev);
}

/**
 * umdp_dma_free_all() - free every DMA buffer of a node
 * @node: the node; caller holds pci_lock and the function is still enabled
 *
 * Bus mastering goes off first, then each buffer's mappings, then its
 * memory.
 */
void umdp_dma_free_all(struct umdp_node *node)
{
	struct umdp_dma_buf *buf, *tmp;
	LIST_HEAD(gone);

	lockdep_assert_held(&node->pci_lock);
	mutex_lock(&node->dma_lock);
	if (!list_empty(&node->dma_bufs))
		umdp_dma_master_off(node);
	list_splice_init(&node->dma_bufs, &gone);
	node->dma_used = 0;
	mutex_unlock(&node->dma_lock);
	list_for_each_entry_safe(buf, tmp, &gone, list)
		umdp_dma_buf_free(node, buf);
}

static long umdp_dma_alloc(struct file *file, struct umdp_node *node,
			   void __user *argp)
{
	struct umdp_dma_buf *buf;
	struct umdp_dma_alloc a;
	long ret;

	ret = umdp_arg_in(&a, sizeof(a), UMDP_DMA_ALLOC_SIZE_VER0, 0, argp);
	if (ret)
		return ret;
	if (a.pad || !a.size || a.size > UMDP_DMA_MAX)
		return -EINVAL;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	buf->size = PAGE_ALIGN(a.size);

	ret = umdp_node_enter(node);
	if (ret)
		goto err_free_buf;
	mutex_lock(&node->dma_lock);
	if (buf->size > node->cfg.dma - node->dma_used ||
	    node->dma_next_id == UMDP_DMA_ID_LIMIT) {
		ret = -ENOSPC;
		goto err_unlock;
	}
	ret = umdp_dma_mem_alloc(node, buf);
	if (ret)
		goto err_unlock;
	buf->id = node->dma_next_id++;
	if (list_empty(&node->dma_bufs))
		pci_set_master(node->pdev);
	list_add_tail(&buf->list, &node->dma_bufs);
	node->dma_used += buf->size;
	a.iova = buf->iova;
	a.offset = umdp_dma_offset(buf->id);
	a.id = buf->id;
	mutex_unlock(&node->dma_lock);
	umdp_node_leave(node);
	/* A buffer the caller never learns of is freed at close or revoke. */
	return umdp_arg_out(argp, &a, sizeof(a));

err_unlock:
	mutex_unlock(&node->dma_lock);
	umdp_node_leave(node);
err_free_buf:
	kfree(buf);
	return ret;
}

static long umdp_dma_free(struct file *file, struct umdp_node *node,
			  void __user *argp)
{
	struct umdp_dma_buf *buf;
	struct umdp_dma_free f;
	long ret;

	ret = umdp_arg_in(&f, sizeof(f), UMDP_DMA_FREE_SIZE_VER0, 0, argp);
	if (ret)
		return ret;
	if (f.pad)
		return -EINVAL;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = umdp_node_enter(node);
	if (ret)
		return ret;
	mutex_lock(&node->dma_lock);
	buf = umdp_dma_find(node, f.id);
	if (buf) {
		list_del(&buf->list);
		node->dma_used -= buf->size;
		if (list_empty(&node->dma_bufs))
			umdp_dma_master_off(node);
	}
	mutex_unlock(&node->dma_lock);
	if (buf)
		umdp_dma_buf_free(node, buf);
	umdp_node_leave(node);
	return buf ? 0 : -EINVAL;
}

/**
 * umdp_dma_ioctl() - UMDP_IOC_DMA_ALLOC and UMDP_IOC_DMA_FREE
 * @file: an open file of the node
 * @cmd: the command
 * @argp: its user argument
 *
 * Return: 0 or a negative errno; -ENOTTY for another command or a grant
 * without "dma".
 */
long umdp_dma_ioctl(struct file *file, unsigned int cmd, void __user *argp)
{
	struct umdp_node *node = umdp_file_node(file);

	if (cmd != UMDP_IOC_DMA_ALLOC && cmd != UMDP_IOC_DMA_FREE)
		return -ENOTTY;
	if (!node->cfg.dma)
		return -ENOTTY;
	if (cmd == UMDP_IOC_DMA_ALLOC)
		return umdp_dma_alloc(file, node, argp);
	return umdp_dma_free(file, node, argp);
}

/* First touch of a page of a buffer: insert it, if the buffer still is. */
static vm_fault_t umdp_dma_fault(struct vm_fault *vmf)
{
	struct umdp_node *node = vmf->vma->vm_private_data;
	unsigned long rel = vmf->pgoff - UMDP_DMA_PGOFF_BASE;
	unsigned long idx = rel & ((1UL << UMDP_DMA_PGOFF_ID_SHIFT) - 1);
	struct umdp_dma_buf *buf;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	if (vmf->pgoff < UMDP_DMA_PGOFF_BASE)
		return VM_FAULT_SIGBUS;
	mutex_lock(&node->dma_lock);
	buf = umdp_dma_find(node, rel >> UMDP_DMA_PGOFF_ID_SHIFT);
	if (buf && idx < buf->size >> PAGE_SHIFT) {
		unsigned long pfn;

		if (buf->pages) {
			pfn = page_to_pfn(buf->pages[idx]);
		} else {
			void *p = buf->cpu + (idx << PAGE_SHIFT);

			pfn = is_vmalloc_addr(p) ? vmalloc_to_pfn(p) :
			      page_to_pfn(virt_to_page(p));
		}
		ret = vmf_insert_pfn(vmf->vma, vmf->address, pfn);
	}
	mutex_unlock(&node->dma_lock);
	return ret;
}

static void umdp_dma_vm_open(struct vm_area_struct *vma)
{
	umdp_node_get(vma->vm_private_data);
}

static void umdp_dma_vm_close(struct vm_area_struct *vma)
{
	umdp_node_put(vma->vm_private_data);
}

static const struct vm_operations_struct umdp_dma_vm_ops = {
	.open	= umdp_dma_vm_open,
	.close	= umdp_dma_vm_close,
	.fault	= umdp_dma_fault,
};

/**
 * umdp_dma_mmap() - map (part of) a DMA buffer
 * @file: an open file of the node
 * @vma: the new mapping; its offset is at or above UMDP_MMAP_DMA_BASE
 *
 * Return: 0; -EINVAL for a private mapping or a grant without "dma",
 * -EPERM when the range is not inside one of the node's buffers, -ENODEV
 * after revoke.
 */
int umdp_dma_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct umdp_node *node = umdp_file_node(file);
	unsigned long rel = vma->vm_pgoff - UMDP_DMA_PGOFF_BASE;
	unsigned long idx = rel & ((1UL << UMDP_DMA_PGOFF_ID_SHIFT) - 1);
	unsigned long pages = vma_pages(vma);
	struct umdp_dma_buf *buf;
	int ret;

	if (!(vma->vm_flags & VM_MAYSHARE) || !node->cfg.dma)
		return -EINVAL;
	ret = umdp_node_enter(node);
	if (ret)
		return ret;
	mutex_lock(&node->dma_lock);
	buf = umdp_dma_find(node, rel >> UMDP_DMA_PGOFF_ID_SHIFT);
	if (!buf || pages > buf->size >> PAGE_SHIFT ||
	    idx > (buf->size >> PAGE_SHIFT) - pages)
		ret = -EPERM;
	mutex_unlock(&node->dma_lock);
	umdp_node_leave(node);
	if (ret)
		return ret;

	umdp_node_get(node);
	vma->vm_private_data = node;
	vma->vm_ops = &umdp_dma_vm_ops;
	umdp_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
			       VM_DONTDUMP);
	return 0;
}
