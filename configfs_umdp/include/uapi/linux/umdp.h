/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * umdp: user-mode driver grants, the contract between umdp.ko and user space.
 *
 * An administrator makes a grant under /sys/kernel/config/umdp/<exe>/<grant>;
 * while it is enabled it appears as the character device /dev/umdp/<grant>.
 * This header holds the limits the configfs tree enforces and the node's
 * ioctl numbers and structures (fixed-size types, explicit padding, 64-bit
 * fields 8-byte aligned, every argument extensible: see below).
 */
#ifndef _UAPI_LINUX_UMDP_H
#define _UAPI_LINUX_UMDP_H

#include <linux/types.h>
#include <linux/ioctl.h>

/**
 * UMDP_NAME_MAX - size of a grant name including its terminating NUL
 *
 * A grant name is 1 to UMDP_NAME_MAX - 1 characters from [A-Za-z0-9_.-],
 * and neither "." nor "..". It is also the node's name under /dev/umdp/.
 */
#define UMDP_NAME_MAX		32

/**
 * UMDP_MAX_RANGES - most items one grant attribute may list
 *
 * Applies separately to the port ranges ("ioports"), the IRQ lines ("irqs",
 * counted after expanding a-b ranges) and the memory windows ("mem").
 */
#define UMDP_MAX_RANGES		16

/**
 * UMDP_PORT_MAX - highest I/O port number a grant may name
 */
#define UMDP_PORT_MAX		0xffffU

/* ---- extensible ioctl arguments ------------------------------------------ */

/*
 * Every ioctl argument is a struct that starts with
 *
 *	__u32 argsz;	size of the struct as the caller knows it
 *	__u32 flags;	UMDP_*_ flags of that ioctl; unknown bits are EINVAL
 *
 * and the ioctl numbers do not encode a size (_IO, as VFIO's). The module
 * accepts any argsz from the struct's first published size (its
 * UMDP_*_SIZE_VER0) up: fields a shorter (older) caller does not know are
 * taken as zero on input and never written on output; a longer (newer)
 * caller's unknown tail must be zero (E2BIG otherwise), as with openat2()
 * and clone3(). A field is only ever added at the end, with a flag or a
 * feature bit (struct umdp_version) that says the module understands it.
 * argsz below UMDP_*_SIZE_VER0 is EINVAL.
 *
 * Arrays (batch operations, IRQ events, the ranges of UMDP_IOC_INFO) are
 * passed by user pointer and count; their element layouts below are fixed.
 */

/**
 * UMDP_IOCTL_MAGIC - the ioctl type byte of umdp nodes
 */
#define UMDP_IOCTL_MAGIC	0xd7

/**
 * UMDP_API_VERSION - the node ABI described by this header
 *
 * Reported by UMDP_IOC_VERSION in &struct umdp_version.api. Raised only for
 * an incompatible change; additions are announced by feature bits.
 */
#define UMDP_API_VERSION	1

/* feature bits of struct umdp_version.features */
/** UMDP_FEAT_PORT_IO - pread/pwrite, UMDP_IOC_BATCH, UMDP_IOC_STRING */
#define UMDP_FEAT_PORT_IO	(1ULL << 0)
/** UMDP_FEAT_IRQ - poll(), UMDP_IOC_IRQ_FETCH, _WAIT and _UNMASK */
#define UMDP_FEAT_IRQ		(1ULL << 1)
/** UMDP_FEAT_MMAP - mmap() of "mem" windows, uncached or write-combining */
#define UMDP_FEAT_MMAP		(1ULL << 2)
/** UMDP_FEAT_INFO - UMDP_IOC_INFO */
#define UMDP_FEAT_INFO		(1ULL << 3)
/** UMDP_FEAT_LAST_ERROR - the grant's read-only configfs "last_error" */
#define UMDP_FEAT_LAST_ERROR	(1ULL << 4)
/**
 * UMDP_FEAT_UNSAFE - the grant's configfs "unsafe", root-equivalent ports
 * refused without it, UMDP_GRANT_UNSAFE in &struct umdp_grant_info, and Bus
 * Master Enable of a PCI function a grant reaches kept clear while enabled
 */
#define UMDP_FEAT_UNSAFE	(1ULL << 5)
/**
 * UMDP_FEAT_PCI - the grant's configfs "pci", the "intx" and "msi:N"
 * forms of "irqs", UMDP_IOC_PCI_INFO and UMDP_IOC_PCI_CONFIG
 */
#define UMDP_FEAT_PCI		(1ULL << 6)
/**
 * UMDP_FEAT_DMA - the grant's configfs "dma" and "dma_bits",
 * UMDP_IOC_DMA_ALLOC and UMDP_IOC_DMA_FREE, mmap() of DMA buffers
 */
#define UMDP_FEAT_DMA		(1ULL << 7)
/**
 * UMDP_FEAT_STATUS_PAGE - the node's read-only status page, mmap() at
 * UMDP_MMAP_STATUS: &struct umdp_status and its &struct umdp_status_line
 */
#define UMDP_FEAT_STATUS_PAGE	(1ULL << 8)

/**
 * struct umdp_version - argument of UMDP_IOC_VERSION
 * @argsz: in: sizeof(struct umdp_version) as the caller knows it
 * @flags: in: 0
 * @api: out: UMDP_API_VERSION of the module
 * @pad: out: 0
 * @features: out: UMDP_FEAT_* bits the module offers
 *
 * A library built against this header can tell what a module loaded later
 * (or earlier) offers before it relies on it.
 */
struct umdp_version {
	__u32 argsz;
	__u32 flags;
	__u32 api;
	__u32 pad;
	__aligned_u64 features;
};

#define UMDP_VERSION_SIZE_VER0	24

/* ---- port I/O through the node ------------------------------------------ */

/** UMDP_BATCH_MAX - most operations one UMDP_IOC_BATCH call takes */
#define UMDP_BATCH_MAX		512
/** UMDP_STRING_MAX - most bytes one UMDP_IOC_STRING call moves */
#define UMDP_STRING_MAX		65536

/* struct umdp_io_op flags and struct umdp_io_string flags */
/** UMDP_IO_READ - no UMDP_IO_WRITE bit: read from the port (in, ins) */
#define UMDP_IO_READ		0
/** UMDP_IO_WRITE - write to the port (out, outs) */
#define UMDP_IO_WRITE		(1U << 0)

/**
 * struct umdp_io_op - one port access of a batch (8 bytes, fixed layout)
 * @port: the port (0..0xffff); [port, port + size) must be granted
 * @size: 1, 2 or 4 (inb/inw/inl, outb/outw/outl)
 * @flags: UMDP_IO_WRITE, or 0 (UMDP_IO_READ); other bits are EINVAL
 * @value: written for UMDP_IO_WRITE; filled in for a read
 */
struct umdp_io_op {
	__u16 port;
	__u8 size;
	__u8 flags;
	__u32 value;
};

/**
 * struct umdp_io_batch - argument of UMDP_IOC_BATCH
 * @argsz: in: sizeof(struct umdp_io_batch) as the caller knows it
 * @flags: in: 0
 * @ops: user pointer to @count struct umdp_io_op, executed in order after
 *	all of them were validated (nothing is accessed if one is invalid);
 *	the value of each read is written back into its entry
 * @count: 1..UMDP_BATCH_MAX
 * @pad: 0
 */
struct umdp_io_batch {
	__u32 argsz;
	__u32 flags;
	__aligned_u64 ops;
	__u32 count;
	__u32 pad;
};

#define UMDP_IO_BATCH_SIZE_VER0	24

/**
 * struct umdp_io_string - argument of UMDP_IOC_STRING (ins/outs)
 * @argsz: in: sizeof(struct umdp_io_string) as the caller knows it
 * @flags: in: UMDP_IO_WRITE (outs) or 0 (ins); other bits are EINVAL
 * @buf: user pointer to @count elements of @size bytes
 * @count: number of elements; count * size <= UMDP_STRING_MAX
 * @port: the port; [port, port + size) must be granted
 * @size: 1, 2 or 4 (insb/insw/insl, outsb/outsw/outsl)
 * @pad: 0
 *
 * The module moves the elements in chunks and checks for revoke between
 * them, so a revoke never waits for a long string on a slow device; a
 * string cut short by revoke fails with -ENODEV after moving part of it.
 */
struct umdp_io_string {
	__u32 argsz;
	__u32 flags;
	__aligned_u64 buf;
	__u32 count;
	__u16 port;
	__u8 size;
	__u8 pad;
};

#define UMDP_IO_STRING_SIZE_VER0	24

/**
 * struct umdp_info_ports - a granted port range (fixed layout)
 * @start: first port
 * @len: number of ports
 */
struct umdp_info_ports {
	__u32 start;
	__u32 len;
};

/** UMDP_MEM_WC - the window is mapped write-combining */
#define UMDP_MEM_WC		(1U << 0)

/**
 * struct umdp_info_mem - a granted physical memory window (fixed layout)
 * @start: physical address (page aligned)
 * @len: length in bytes (page aligned)
 * @flags: UMDP_MEM_WC when mapped write-combining
 * @pad: zero
 */
struct umdp_info_mem {
	__aligned_u64 start;
	__aligned_u64 len;
	__u32 flags;
	__u32 pad;
};

/** UMDP_GRANT_EXCLUSIVE - the grant's ports are claimed (request_region) */
#define UMDP_GRANT_EXCLUSIVE	(1U << 0)
/**
 * UMDP_GRANT_UNSAFE - the grant holds root-equivalent ports (ISA DMA
 * 0x00-0x1f and 0xc0-0xdf, the i8042 at 0x60/0x64, 0x80-0x9f with the reset
 * port 0x92, PCI configuration 0xcf8-0xcff) and was enabled with its
 * "unsafe" attribute set to 1; announced by UMDP_FEAT_UNSAFE
 */
#define UMDP_GRANT_UNSAFE	(1U << 1)

/**
 * struct umdp_grant_info - argument of UMDP_IOC_INFO: what the grant holds
 * @argsz: in: sizeof(struct umdp_grant_info) as the caller knows it
 * @flags: in: 0
 * @name: out: the grant's name, NUL terminated
 * @grant_flags: out: UMDP_GRANT_EXCLUSIVE, UMDP_GRANT_UNSAFE
 * @nr_ioports: in: entries @ioports can hold; out: port ranges the grant has
 * @nr_irqs: in: entries @irqs can hold; out: IRQ lines the grant has
 * @nr_mem: in: entries @mem can hold; out: memory windows the grant has
 * @ioports: user pointer to struct umdp_info_ports[@nr_ioports], or 0
 * @irqs: user pointer to __u32[@nr_irqs], or 0
 * @mem: user pointer to struct umdp_info_mem[@nr_mem], or 0
 *
 * The module fills min(in, out) entries of each array, in the grant's
 * order, and always returns the full counts: call once with zero counts to
 * size the arrays. No limit of the module is part of this ABI. The first
 * UMDP_GRANT_INFO_SIZE_VER0 bytes (through @nr_mem) are a complete
 * argument on their own: the name, flags and counts.
 */
struct umdp_grant_info {
	__u32 argsz;
	__u32 flags;
	char name[UMDP_NAME_MAX];
	__u32 grant_flags;
	__u32 nr_ioports;
	__u32 nr_irqs;
	__u32 nr_mem;
	__aligned_u64 ioports;
	__aligned_u64 irqs;
	__aligned_u64 mem;
};

#define UMDP_GRANT_INFO_SIZE_VER0	56

/** UMDP_IOC_VERSION - &struct umdp_version: the module's API and features */
#define UMDP_IOC_VERSION	_IO(UMDP_IOCTL_MAGIC, 0x00)
/** UMDP_IOC_BATCH - &struct umdp_io_batch: several port accesses */
#define UMDP_IOC_BATCH		_IO(UMDP_IOCTL_MAGIC, 0x01)
/** UMDP_IOC_STRING - &struct umdp_io_string: ins/outs on one port */
#define UMDP_IOC_STRING		_IO(UMDP_IOCTL_MAGIC, 0x02)
/** UMDP_IOC_INFO - &struct umdp_grant_info: what the grant holds */
#define UMDP_IOC_INFO		_IO(UMDP_IOCTL_MAGIC, 0x03)

/* ---- interrupts ---------------------------------------------------------- */

/* struct umdp_irq_event flags */
/** UMDP_IRQ_EV_LEVEL - the line is level-triggered */
#define UMDP_IRQ_EV_LEVEL	(1U << 0)
/** UMDP_IRQ_EV_MASKED - the line is masked until UMDP_IOC_IRQ_UNMASK */
#define UMDP_IRQ_EV_MASKED	(1U << 1)
/**
 * UMDP_IRQ_EV_INTX - the PCI function's INTx, masked by its own INTx
 * Disable bit (and so shareable with other devices' lines); announced by
 * UMDP_FEAT_PCI
 */
#define UMDP_IRQ_EV_INTX	(1U << 2)
/**
 * UMDP_IRQ_EV_MSI - an MSI vector of the PCI function, edge-like: never
 * masked; the event's index among the grant's lines is the vector number;
 * announced by UMDP_FEAT_PCI
 */
#define UMDP_IRQ_EV_MSI		(1U << 3)

/**
 * struct umdp_irq_event - the counts of one of the grant's IRQ lines
 *	(fixed layout)
 * @irq: the line
 * @flags: UMDP_IRQ_EV_LEVEL, UMDP_IRQ_EV_MASKED
 * @total: interrupts since the node was opened
 * @count: interrupts since this file last fetched (0: none new); more
 *	than one means several interrupts arrived between two fetches
 */
struct umdp_irq_event {
	__u32 irq;
	__u32 flags;
	__aligned_u64 total;
	__aligned_u64 count;
};

/**
 * struct umdp_irq_fetch - argument of UMDP_IOC_IRQ_FETCH and UMDP_IOC_IRQ_WAIT
 * @argsz: in: sizeof(struct umdp_irq_fetch) as the caller knows it
 * @flags: in: 0
 * @events: user pointer to an array of struct umdp_irq_event, one entry per
 *	line of the grant in the grant's order
 * @nr: in: entries @events can hold, at least the grant's number of lines
 *	(EINVAL otherwise, so that no line's events go uncollected); out: the
 *	number of the grant's lines
 * @timeout_ms: UMDP_IOC_IRQ_WAIT only: milliseconds to wait for an event,
 *	negative for ever, 0 not at all
 * @nr_new: out: entries whose count is not 0
 * @pad: 0
 *
 * Fetching advances this file's view: the same interrupt is reported new
 * once. UMDP_IOC_IRQ_FETCH never blocks; UMDP_IOC_IRQ_WAIT returns as soon
 * as a line fired since the last fetch, -ETIMEDOUT when the time ran out,
 * -ENODEV when the grant was revoked. A grant without IRQ lines may pass
 * @nr = 0.
 */
struct umdp_irq_fetch {
	__u32 argsz;
	__u32 flags;
	__aligned_u64 events;
	__u32 nr;
	__s32 timeout_ms;
	__u32 nr_new;
	__u32 pad;
};

#define UMDP_IRQ_FETCH_SIZE_VER0	32

/**
 * struct umdp_irq_unmask - argument of UMDP_IOC_IRQ_UNMASK
 * @argsz: in: sizeof(struct umdp_irq_unmask) as the caller knows it
 * @flags: in: 0
 * @irq: the line to unmask, one of the grant's (EINVAL otherwise)
 * @pad: 0
 */
struct umdp_irq_unmask {
	__u32 argsz;
	__u32 flags;
	__u32 irq;
	__u32 pad;
};

#define UMDP_IRQ_UNMASK_SIZE_VER0	16

/** UMDP_IOC_IRQ_FETCH - &struct umdp_irq_fetch: counts, never blocks */
#define UMDP_IOC_IRQ_FETCH	_IO(UMDP_IOCTL_MAGIC, 0x10)
/** UMDP_IOC_IRQ_WAIT - &struct umdp_irq_fetch: wait, then as FETCH */
#define UMDP_IOC_IRQ_WAIT	_IO(UMDP_IOCTL_MAGIC, 0x11)
/** UMDP_IOC_IRQ_UNMASK - &struct umdp_irq_unmask: unmask a level line */
#define UMDP_IOC_IRQ_UNMASK	_IO(UMDP_IOCTL_MAGIC, 0x12)

/* ---- PCI functions (UMDP_FEAT_PCI, UMDP_FEAT_DMA) ------------------------ */

/*
 * A grant whose configfs "pci" names a function (0000:00:04.0) takes it for
 * umdp at enable: bound to the "umdp-pci" driver, enabled, every BAR
 * requested under "umdp:<grant>" and granted (memory BARs as "mem"
 * windows, I/O BARs as "ioports" ranges, listed by UMDP_IOC_INFO and
 * UMDP_IOC_PCI_INFO). Its interrupts are granted by "irqs": "intx" (the
 * function's INTx, masked through its INTx Disable bit until
 * UMDP_IOC_IRQ_UNMASK, as uio_pci_generic does) or "msi:N" (N MSI vectors,
 * 1..16, never masked; an MSI is a memory write of the device, so bus
 * mastering is then on while the grant is enabled, and the grant needs an
 * IOMMU or "unsafe" as "dma" does). Revoke turns bus mastering off, frees
 * the DMA buffers, releases the BARs, disables and unbinds the function.
 */

/** UMDP_PCI_BAR_IO - the BAR is an I/O port range (start is a port) */
#define UMDP_PCI_BAR_IO		(1U << 0)
/** UMDP_PCI_BAR_MEM - the BAR is a memory range (start is physical) */
#define UMDP_PCI_BAR_MEM	(1U << 1)
/** UMDP_PCI_BAR_PREFETCH - the memory BAR is prefetchable */
#define UMDP_PCI_BAR_PREFETCH	(1U << 2)

/**
 * struct umdp_pci_bar_info - one BAR of the granted function (fixed layout)
 * @start: first port or physical address; 0 with @len 0 for no BAR
 * @len: length in ports or bytes
 * @flags: UMDP_PCI_BAR_IO or UMDP_PCI_BAR_MEM, UMDP_PCI_BAR_PREFETCH
 * @pad: 0
 */
struct umdp_pci_bar_info {
	__aligned_u64 start;
	__aligned_u64 len;
	__u32 flags;
	__u32 pad;
};

/** UMDP_PCI_IOMMU - DMA of the function is translated by an IOMMU */
#define UMDP_PCI_IOMMU		(1U << 0)
/** UMDP_PCI_MASTER - bus mastering is on (a DMA buffer exists) */
#define UMDP_PCI_MASTER		(1U << 1)

/**
 * struct umdp_pci_info - argument of UMDP_IOC_PCI_INFO: the granted function
 * @argsz: in: sizeof(struct umdp_pci_info) as the caller knows it
 * @flags: in: 0
 * @domain: out: PCI domain (segment)
 * @bus: out: bus number
 * @devfn: out: device (bits 7-3) and function (bits 2-0)
 * @pad0: out: 0
 * @vendor: out: vendor id
 * @device: out: device id
 * @subsystem_vendor: out: subsystem vendor id
 * @subsystem_device: out: subsystem id
 * @class: out: class code (base, sub, prog-if), as sysfs "class"
 * @pci_flags: out: UMDP_PCI_IOMMU, UMDP_PCI_MASTER
 * @dma_max: out: the grant's "dma": most bytes of DMA buffers at once
 * @dma_used: out: bytes of DMA buffers allocated now
 * @dma_bits: out: the grant's "dma_bits": bus addresses fit in this many bits
 * @nr_vectors: out: MSI vectors granted (0 for "intx" or none)
 * @bar: out: BARs 0 to 5
 *
 * -ENOTTY on a grant without "pci".
 */
struct umdp_pci_info {
	__u32 argsz;
	__u32 flags;
	__u32 domain;
	__u8 bus;
	__u8 devfn;
	__u16 pad0;
	__u16 vendor;
	__u16 device;
	__u16 subsystem_vendor;
	__u16 subsystem_device;
	__u32 class;
	__u32 pci_flags;
	__aligned_u64 dma_max;
	__aligned_u64 dma_used;
	__u32 dma_bits;
	__u32 nr_vectors;
	struct umdp_pci_bar_info bar[6];
};

#define UMDP_PCI_INFO_SIZE_VER0	200

/**
 * struct umdp_pci_config - argument of UMDP_IOC_PCI_CONFIG: one access to
 *	the function's configuration space
 * @argsz: in: sizeof(struct umdp_pci_config) as the caller knows it
 * @flags: in: UMDP_IO_WRITE to write, 0 to read; other bits are EINVAL
 * @offset: in: byte offset, aligned to @size, below the function's
 *	configuration space size (256 or 4096)
 * @size: in: 1, 2 or 4
 * @value: in: the value to write; out: the value read
 *
 * Reads reach the whole space. Writes reach only the Command register's
 * I/O Space, Memory Space and INTx Disable bits: the other bits of a write
 * to the Command register must equal their current values, and a write
 * anywhere else is -EPERM. BARs, bus mastering (umdp's: see
 * UMDP_IOC_DMA_ALLOC) and the MSI capability stay the kernel's, so the
 * driver cannot move the device or point its DMA or interrupts elsewhere.
 */
struct umdp_pci_config {
	__u32 argsz;
	__u32 flags;
	__u32 offset;
	__u32 size;
	__u32 value;
	__u32 pad;
};

#define UMDP_PCI_CONFIG_SIZE_VER0	24

/**
 * struct umdp_dma_alloc - argument of UMDP_IOC_DMA_ALLOC: a DMA buffer
 * @argsz: in: sizeof(struct umdp_dma_alloc) as the caller knows it
 * @flags: in: 0
 * @size: in: bytes, rounded up to whole pages
 * @iova: out: the bus address the device must be given
 * @offset: out: the mmap() offset of the buffer (map it MAP_SHARED, from
 *	that offset, at most its size)
 * @id: out: the buffer's id for UMDP_IOC_DMA_FREE
 * @pad: 0
 *
 * The buffer is zeroed, coherent and mapped for the granted function only:
 * under an IOMMU the device reaches exactly the grant's buffers. The first
 * buffer turns the function's bus mastering on, freeing the last turns it
 * off (unless MSI vectors keep it on). -ENOSPC when the grant's "dma" bytes would be exceeded, -ENOTTY on
 * a grant without "dma", -EBADF on a file not opened for writing.
 */
struct umdp_dma_alloc {
	__u32 argsz;
	__u32 flags;
	__aligned_u64 size;
	__aligned_u64 iova;
	__aligned_u64 offset;
	__u32 id;
	__u32 pad;
};

#define UMDP_DMA_ALLOC_SIZE_VER0	40

/**
 * struct umdp_dma_free - argument of UMDP_IOC_DMA_FREE
 * @argsz: in: sizeof(struct umdp_dma_free) as the caller knows it
 * @flags: in: 0
 * @id: in: the buffer's id (-EINVAL for none of this node's)
 * @pad: 0
 *
 * Every mapping of the buffer is removed first; touching one afterwards is
 * SIGBUS. Buffers a driver leaves allocated are freed when it closes the
 * node (or dies) and at revoke: bus mastering off first, then every
 * mapping removed, then the memory freed.
 */
struct umdp_dma_free {
	__u32 argsz;
	__u32 flags;
	__u32 id;
	__u32 pad;
};

#define UMDP_DMA_FREE_SIZE_VER0	16

/**
 * UMDP_MMAP_DMA_BASE - mmap() offsets from here up are DMA buffers (never a
 * physical address: those stay below 2^52)
 */
#define UMDP_MMAP_DMA_BASE	(1ULL << 60)

/** UMDP_IOC_PCI_INFO - &struct umdp_pci_info: the granted PCI function */
#define UMDP_IOC_PCI_INFO	_IO(UMDP_IOCTL_MAGIC, 0x20)
/** UMDP_IOC_PCI_CONFIG - &struct umdp_pci_config: config space access */
#define UMDP_IOC_PCI_CONFIG	_IO(UMDP_IOCTL_MAGIC, 0x21)
/** UMDP_IOC_DMA_ALLOC - &struct umdp_dma_alloc: allocate a DMA buffer */
#define UMDP_IOC_DMA_ALLOC	_IO(UMDP_IOCTL_MAGIC, 0x22)
/** UMDP_IOC_DMA_FREE - &struct umdp_dma_free: free a DMA buffer */
#define UMDP_IOC_DMA_FREE	_IO(UMDP_IOCTL_MAGIC, 0x23)

/* ---- the status page (UMDP_FEAT_STATUS_PAGE) ----------------------------- */

/*
 * Every node has one read-only page of status that its driver maps to see
 * its interrupts without a system call: one memory read tells whether any
 * line fired. mmap() it from the node at offset UMDP_MMAP_STATUS, exactly
 * one page (the kernel's page size), MAP_SHARED, PROT_READ:
 *
 * - a private mapping, a length other than one page, or an offset from
 *   UMDP_MMAP_STATUS up to below UMDP_MMAP_DMA_BASE other than
 *   UMDP_MMAP_STATUS itself is -EINVAL;
 * - PROT_WRITE is -EPERM (on a file not open for reading, or PROT_WRITE on
 *   one not open for writing, mmap(2) itself says -EACCES first), and the
 *   mapping never becomes writable: mprotect() to PROT_WRITE is -EACCES,
 *   a store through it SIGSEGV;
 * - after revoke a new mmap() is -ENODEV, and every existing mapping of
 *   the page raises SIGBUS on its next access, as device memory does. The
 *   page stays allocated for as long as any mapping of it exists.
 *
 * Layout: a &struct umdp_status header at the start of the page, then
 * @nr_lines &struct umdp_status_line entries, the grant's IRQ lines in the
 * grant's order (that of UMDP_IOC_INFO and of the UMDP_IOC_IRQ_FETCH
 * events), line i at byte @size + i * @line_size. A node without IRQ lines
 * has the page too, with @nr_lines 0. The layout only grows: a field is
 * added at the end of the header (raising @size) or of a line (raising
 * @line_size), and @version is raised with it; @magic never changes, so a
 * reader that finds its fields (by @size, @line_size and @version) keeps
 * working.
 *
 * Reading protocol (lock-free; the module never takes a lock, and the
 * reader never writes):
 *
 * - Each change of the page (a line's @count or @flags, and the reset of
 *   all lines when the node is opened) is made first, and then @seq is
 *   incremented once, by an atomic increment with release semantics
 *   (atomic64_inc_return_release()). No increment is ever lost, so @seq
 *   moves after every change a reader has not yet been told of.
 * - A reader loads @seq with acquire semantics (C11 atomic_load_explicit(
 *   ..., memory_order_acquire), __atomic_load_n(..., __ATOMIC_ACQUIRE)),
 *   then reads lines with single 64-bit (@count) or 32-bit (@irq, @flags)
 *   loads (READ_ONCE, a relaxed atomic load): every change counted in the
 *   @seq it loaded is visible in them. Changes made after that may show
 *   too, so a reader compares a line's @count with the @count it saw last,
 *   never with @seq.
 * - Waiting without a system call: spin until @seq differs from the value
 *   last seen (one memory read per turn, a pause instruction between
 *   turns), then read the lines. @seq is not a seqlock: the lines are never
 *   torn, so there is nothing to retry.
 * - A 32-bit reader needs a single 64-bit load that does not write (SSE
 *   movq, x87 fild), never cmpxchg8b: the page is read-only.
 */

/**
 * UMDP_MMAP_STATUS - mmap() offset of the node's status page; never a
 * physical address (those stay below 2^52) nor a DMA buffer's
 */
#define UMDP_MMAP_STATUS	(1ULL << 59)

/** UMDP_STATUS_MAGIC - &struct umdp_status.magic: "UMST" read as bytes */
#define UMDP_STATUS_MAGIC	0x54534d55U
/** UMDP_STATUS_VERSION - &struct umdp_status.version of this layout */
#define UMDP_STATUS_VERSION	1

/**
 * struct umdp_status_line - one IRQ line of the grant on the status page
 *	(at least UMDP_STATUS_LINE_SIZE_VER0 bytes; fields only grow at the end)
 * @irq: the line's number, as in &struct umdp_irq_event; constant
 * @flags: UMDP_IRQ_EV_* as UMDP_IOC_IRQ_FETCH reports them:
 *	UMDP_IRQ_EV_INTX and UMDP_IRQ_EV_MSI are constant,
 *	UMDP_IRQ_EV_LEVEL is set when the node is opened (the trigger type is
 *	learnt when the line is requested), UMDP_IRQ_EV_MASKED is set by the
 *	interrupt handler when it masks a level line and cleared when the
 *	line is unmasked (UMDP_IOC_IRQ_UNMASK) or freed (close)
 * @count: interrupts since the node was opened: the @total of
 *	UMDP_IOC_IRQ_FETCH, which reads this very counter. Reset to 0 when
 *	the node is opened; otherwise it only grows, by one per interrupt,
 *	from the hard interrupt handler.
 */
struct umdp_status_line {
	__u32 irq;
	__u32 flags;
	__aligned_u64 count;
};

#define UMDP_STATUS_LINE_SIZE_VER0	16

/**
 * struct umdp_status - the header of the status page (at least
 *	UMDP_STATUS_SIZE_VER0 bytes; fields only grow at the end)
 * @magic: UMDP_STATUS_MAGIC
 * @version: UMDP_STATUS_VERSION of the module's layout; at least 1
 * @size: bytes of this header as the module lays it out; the first line
 *	starts here
 * @nr_lines: the grant's IRQ lines (at most UMDP_MAX_RANGES); constant
 * @line_size: bytes of each &struct umdp_status_line as the module lays it
 *	out
 * @reserved: 0
 * @seq: incremented (release) after each change of the page, see above;
 *	it never goes back, not even when the node is opened again
 *
 * Everything but @seq and the lines' @flags and @count is written before
 * the node can be opened and never changes.
 */
struct umdp_status {
	__u32 magic;
	__u32 version;
	__u32 size;
	__u32 nr_lines;
	__u32 line_size;
	__u32 reserved;
	__aligned_u64 seq;
};

#define UMDP_STATUS_SIZE_VER0		32

#endif /* _UAPI_LINUX_UMDP_H */
