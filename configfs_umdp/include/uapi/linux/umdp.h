/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * umdp: user-mode driver grants, the contract between umdp.ko and user space.
 *
 * An administrator makes a grant under /sys/kernel/config/umdp/<exe>/<grant>;
 * while it is enabled it appears as the character device /dev/umdp/<grant>.
 * This header holds the limits the configfs tree enforces and the node's
 * ioctl numbers and structures (fixed-size types, explicit padding).
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

/* ---- port I/O through the node ------------------------------------------ */

/**
 * UMDP_IOCTL_MAGIC - the ioctl type byte of umdp nodes
 */
#define UMDP_IOCTL_MAGIC	0xd7

/** UMDP_BATCH_MAX - most operations one UMDP_IOC_BATCH call takes */
#define UMDP_BATCH_MAX		512
/** UMDP_STRING_MAX - most bytes one UMDP_IOC_STRING call moves */
#define UMDP_STRING_MAX		65536

/* directions for struct umdp_io_op and struct umdp_io_string */
#define UMDP_IO_READ		0
#define UMDP_IO_WRITE		1

/**
 * struct umdp_io_op - one port access of a batch
 * @port: the port (0..0xffff); [port, port + size) must be granted
 * @size: 1, 2 or 4 (inb/inw/inl, outb/outw/outl)
 * @dir: UMDP_IO_READ or UMDP_IO_WRITE
 * @value: written for UMDP_IO_WRITE; filled in for UMDP_IO_READ
 */
struct umdp_io_op {
	__u16 port;
	__u8 size;
	__u8 dir;
	__u32 value;
};

/**
 * struct umdp_io_batch - argument of UMDP_IOC_BATCH
 * @ops: user pointer to @count struct umdp_io_op, executed in order after
 *	all of them were validated (nothing is accessed if one is invalid);
 *	read values are written back into the array
 * @count: 1..UMDP_BATCH_MAX
 * @flags: must be 0
 */
struct umdp_io_batch {
	__u64 ops;
	__u32 count;
	__u32 flags;
};

/**
 * struct umdp_io_string - argument of UMDP_IOC_STRING (ins/outs)
 * @buf: user pointer to @count elements of @size bytes
 * @count: number of elements; count * size <= UMDP_STRING_MAX
 * @port: the port; [port, port + size) must be granted
 * @size: 1, 2 or 4 (insb/insw/insl, outsb/outsw/outsl)
 * @dir: UMDP_IO_READ (port to buffer) or UMDP_IO_WRITE
 */
struct umdp_io_string {
	__u64 buf;
	__u32 count;
	__u16 port;
	__u8 size;
	__u8 dir;
};

/**
 * struct umdp_info_ports - a granted port range
 * @start: first port
 * @len: number of ports
 */
struct umdp_info_ports {
	__u32 start;
	__u32 len;
};

/**
 * struct umdp_info_mem - a granted physical memory window
 * @start: physical address (page aligned)
 * @len: length in bytes (page aligned)
 * @flags: UMDP_MEM_WC when mapped write-combining
 * @pad: zero
 */
struct umdp_info_mem {
	__u64 start;
	__u64 len;
	__u32 flags;
	__u32 pad;
};

#define UMDP_MEM_WC		(1U << 0)

/**
 * struct umdp_grant_info - argument of UMDP_IOC_INFO: what the grant holds
 * @name: the grant's name, NUL terminated
 * @nr_ioports: entries used in @ioports
 * @nr_irqs: entries used in @irqs
 * @nr_mem: entries used in @mem
 * @flags: UMDP_GRANT_EXCLUSIVE when the ports were claimed exclusively
 * @ioports: the port ranges
 * @irqs: the IRQ numbers
 * @mem: the memory windows
 */
struct umdp_grant_info {
	char name[UMDP_NAME_MAX];
	__u32 nr_ioports;
	__u32 nr_irqs;
	__u32 nr_mem;
	__u32 flags;
	struct umdp_info_ports ioports[UMDP_MAX_RANGES];
	__u32 irqs[UMDP_MAX_RANGES];
	struct umdp_info_mem mem[UMDP_MAX_RANGES];
};

#define UMDP_GRANT_EXCLUSIVE	(1U << 0)

#define UMDP_IOC_BATCH	_IOWR(UMDP_IOCTL_MAGIC, 0x01, struct umdp_io_batch)
#define UMDP_IOC_STRING	_IOWR(UMDP_IOCTL_MAGIC, 0x02, struct umdp_io_string)
#define UMDP_IOC_INFO	_IOR(UMDP_IOCTL_MAGIC, 0x03, struct umdp_grant_info)

/* ---- interrupts ---------------------------------------------------------- */

/* struct umdp_irq_event flags */
#define UMDP_IRQ_EV_LEVEL	(1U << 0)	/* level-triggered line */
#define UMDP_IRQ_EV_MASKED	(1U << 1)	/* masked until UMDP_IOC_IRQ_UNMASK */

/**
 * struct umdp_irq_event - the counts of one of the grant's IRQ lines
 * @irq: the line
 * @flags: UMDP_IRQ_EV_LEVEL, UMDP_IRQ_EV_MASKED
 * @total: interrupts since the node was opened
 * @count: interrupts since this file last fetched (0: none new); more
 *	than one means the driver missed some between two fetches
 */
struct umdp_irq_event {
	__u32 irq;
	__u32 flags;
	__u64 total;
	__u64 count;
};

/**
 * struct umdp_irq_fetch - argument of UMDP_IOC_IRQ_FETCH and UMDP_IOC_IRQ_WAIT
 * @events: user pointer to an array of struct umdp_irq_event, one entry per
 *	line of the grant in the grant's order (UMDP_MAX_RANGES always fit)
 * @nr: in: entries @events can hold; out: number of the grant's lines
 * @timeout_ms: UMDP_IOC_IRQ_WAIT only: milliseconds to wait for an event,
 *	negative for ever, 0 not at all
 * @nr_new: out: entries whose count is not 0
 * @flags: must be 0
 *
 * Fetching advances this file's view: the same interrupt is reported new
 * once. UMDP_IOC_IRQ_FETCH never blocks; UMDP_IOC_IRQ_WAIT returns as soon
 * as a line fired since the last fetch, -ETIMEDOUT when the time ran out,
 * -ENODEV when the grant was revoked.
 */
struct umdp_irq_fetch {
	__u64 events;
	__u32 nr;
	__s32 timeout_ms;
	__u32 nr_new;
	__u32 flags;
};

#define UMDP_IOC_IRQ_FETCH	_IOWR(UMDP_IOCTL_MAGIC, 0x10, struct umdp_irq_fetch)
#define UMDP_IOC_IRQ_WAIT	_IOWR(UMDP_IOCTL_MAGIC, 0x11, struct umdp_irq_fetch)
/* argument: pointer to the __u32 IRQ line to unmask (one of the grant's) */
#define UMDP_IOC_IRQ_UNMASK	_IOW(UMDP_IOCTL_MAGIC, 0x12, __u32)

#endif /* _UAPI_LINUX_UMDP_H */
