/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * umdp.h - user-space driver access to umdp grants
 *
 * A grant made by the administrator under /sys/kernel/config/umdp appears as
 * the character device /dev/umdp/<grant>. This library opens it by name and
 * wraps every node operation. Every function that can fail returns 0 (or a
 * count) on success and a negative errno value on failure; umdp_strerror()
 * describes it. The library keeps no global state; one handle may be used
 * from several threads at once (each call is one system call on the node).
 *
 * A thin, typed wrapper over the kernel ABI: the fixed-layout element types
 * of <linux/umdp.h> (struct umdp_io_op, struct umdp_irq_event, struct
 * umdp_info_ports, struct umdp_info_mem, struct umdp_version) and its
 * constants are part of this API, because the library passes them to the
 * kernel as they are. The kernel's extensible ioctl arguments (argsz and
 * flags headers) are not: the library fills them in, and a caller never
 * sees one. Types of the library's own (struct umdp_info, struct
 * umdp_pci_dev) are defined here.
 */
#ifndef UMDP_H
#define UMDP_H

#include <stddef.h>
#include <stdint.h>
#include <linux/umdp.h>

#ifdef __cplusplus
extern "C" {
#endif

/** struct umdp_dev - an open grant (opaque) */
struct umdp_dev;

/** UMDP_DEV_DIR - where the grant nodes live */
#define UMDP_DEV_DIR "/dev/umdp"

/**
 * umdp_open() - open the node of a grant
 * @name: the grant's name (the directory made under the exe group)
 * @flags: must be 0 (reserved)
 * @devp: where the new handle is stored on success
 *
 * Return: 0 on success; -ENOENT when no such node exists, -ENODEV when the
 * grant is disabled, -EACCES when the calling program is not the grant's
 * program, -EBUSY when another process has it open, -EINVAL for a bad name
 * or flags, other negative errno values from open(2).
 */
int umdp_open(const char *name, unsigned int flags, struct umdp_dev **devp);

/**
 * umdp_close() - close a handle and release all it holds
 * @dev: the handle (NULL is allowed and does nothing)
 */
void umdp_close(struct umdp_dev *dev);

/**
 * umdp_fd() - the file descriptor behind a handle
 * @dev: the handle
 *
 * Return: the descriptor, owned by the handle (do not close it).
 */
int umdp_fd(const struct umdp_dev *dev);

/**
 * umdp_inb() - read one byte from a granted port
 * @dev: the handle
 * @port: the port
 * @val: where the value is stored
 *
 * umdp_inw() and umdp_inl() read 2 and 4 bytes; the whole span
 * [port, port + size) must be granted.
 *
 * Return: 0; -EPERM when the span is not granted, -ENODEV after revoke.
 */
int umdp_inb(struct umdp_dev *dev, uint16_t port, uint8_t *val);
/** umdp_inw() - read a 16-bit value from a granted port, see umdp_inb() */
int umdp_inw(struct umdp_dev *dev, uint16_t port, uint16_t *val);
/** umdp_inl() - read a 32-bit value from a granted port, see umdp_inb() */
int umdp_inl(struct umdp_dev *dev, uint16_t port, uint32_t *val);

/**
 * umdp_outb() - write one byte to a granted port
 * @dev: the handle
 * @port: the port
 * @val: the value
 *
 * umdp_outw() and umdp_outl() write 2 and 4 bytes.
 *
 * Return: 0; -EPERM when the span is not granted, -ENODEV after revoke.
 */
int umdp_outb(struct umdp_dev *dev, uint16_t port, uint8_t val);
/** umdp_outw() - write a 16-bit value to a granted port, see umdp_outb() */
int umdp_outw(struct umdp_dev *dev, uint16_t port, uint16_t val);
/** umdp_outl() - write a 32-bit value to a granted port, see umdp_outb() */
int umdp_outl(struct umdp_dev *dev, uint16_t port, uint32_t val);

/**
 * umdp_batch() - run several port accesses in one call
 * @dev: the handle
 * @ops: the accesses, in order; read values are stored in their @value
 * @count: 1..UMDP_BATCH_MAX
 *
 * Every access is validated before any is made: one bad entry means none
 * is executed.
 *
 * Return: 0; -EINVAL for a bad size, direction or count, -EPERM for a span
 * that is not granted.
 */
int umdp_batch(struct umdp_dev *dev, struct umdp_io_op *ops, unsigned int count);

/**
 * umdp_ins() - repeated input from one port into a buffer (insb/insw/insl)
 * @dev: the handle
 * @port: the port
 * @size: element size: 1, 2 or 4
 * @buf: count elements of size bytes
 * @count: number of elements; count * size <= UMDP_STRING_MAX
 *
 * Return: 0 or a negative errno value.
 */
int umdp_ins(struct umdp_dev *dev, uint16_t port, unsigned int size,
	     void *buf, unsigned int count);

/**
 * umdp_outs() - repeated output of a buffer to one port (outsb/outsw/outsl)
 * @dev: the handle
 * @port: the port
 * @size: element size: 1, 2 or 4
 * @buf: count elements of size bytes
 * @count: number of elements; count * size <= UMDP_STRING_MAX
 *
 * Return: 0 or a negative errno value.
 */
int umdp_outs(struct umdp_dev *dev, uint16_t port, unsigned int size,
	      const void *buf, unsigned int count);

/**
 * struct umdp_info - what a grant holds, from umdp_info_get()
 * @name: the grant's name
 * @flags: UMDP_GRANT_EXCLUSIVE when its ports are claimed exclusively,
 *	UMDP_GRANT_UNSAFE when it holds root-equivalent ports
 * @nr_ioports: entries in @ioports
 * @nr_irqs: entries in @irqs
 * @nr_mem: entries in @mem
 * @ioports: the port ranges, in the grant's order
 * @irqs: the IRQ lines, in the grant's order (the order of the events
 *	umdp_irq_fetch() returns)
 * @mem: the memory windows
 */
struct umdp_info {
	char name[UMDP_NAME_MAX];
	uint32_t flags;
	unsigned int nr_ioports;
	unsigned int nr_irqs;
	unsigned int nr_mem;
	struct umdp_info_ports *ioports;
	uint32_t *irqs;
	struct umdp_info_mem *mem;
};

/**
 * umdp_info_get() - what the grant holds
 * @dev: the handle
 * @infop: set to a new struct umdp_info on success; release it with
 *	umdp_info_free()
 *
 * No limit of the kernel is baked into the result: the arrays are as long
 * as the grant's lists.
 *
 * Return: 0; -ENODEV after revoke, -ENOMEM, other negative errno values.
 */
int umdp_info_get(struct umdp_dev *dev, struct umdp_info **infop);

/**
 * umdp_info_free() - release what umdp_info_get() returned
 * @info: the info (NULL is allowed and does nothing)
 */
void umdp_info_free(struct umdp_info *info);

/**
 * umdp_version() - the API version and features of the loaded module
 * @dev: the handle
 * @ver: filled with the module's UMDP_API_VERSION (@ver->api) and its
 *	UMDP_FEAT_* bits (@ver->features)
 *
 * A driver built against this library can check that the module it runs
 * on offers what it needs, e.g. (ver.features & UMDP_FEAT_IRQ).
 *
 * Return: 0; -ENOTTY from a module older than the version query,
 * -ENODEV after revoke.
 */
int umdp_version(struct umdp_dev *dev, struct umdp_version *ver);

/**
 * umdp_port_holder() - who holds an I/O port range, as /proc/ioports says
 * @first: first port
 * @last: last port
 * @buf: where the holder's name is written, NUL terminated
 * @len: size of @buf
 *
 * The kernel logs a busy range when an exclusive grant cannot claim it
 * ("ports 0x3f8-0x3ff: busy, ..."); this names the holder: the deepest
 * entry of /proc/ioports that overlaps [@first, @last] ("serial",
 * "keyboard", ...). Needs root: the kernel shows the ranges in
 * /proc/ioports to root only.
 *
 * Return: 0; -ENOENT when no entry overlaps the range, -EACCES when the
 * caller may not see the ranges, -EINVAL for a bad range or buffer, other
 * negative errno values from reading the file.
 */
int umdp_port_holder(unsigned int first, unsigned int last, char *buf,
		     size_t len);

/**
 * umdp_irq_holder() - who holds an IRQ line, as /proc/interrupts says
 * @irq: the line
 * @buf: where the names of the line's handlers are written, NUL terminated
 * @len: size of @buf
 *
 * The kernel logs "irq 8: already in use by a kernel driver" when an enable
 * finds a line taken; this names who took it: the action names of the
 * line's entry in /proc/interrupts, as the kernel prints them ("rtc0",
 * "acpi", or several separated by ", "). Needs no privilege. A line that
 * is listed without a handler (Linux 6.1 keeps listing a line after its
 * last handler was freed; 6.12 drops it) counts as free.
 *
 * Return: 0; -ENOENT when no handler holds the line (or no such line is
 * listed), -EINVAL for a bad buffer, other negative errno values from
 * reading the file.
 */
int umdp_irq_holder(unsigned int irq, char *buf, size_t len);

/**
 * umdp_map() - map a granted physical memory window into this process
 * @dev: the handle
 * @phys: physical address of the first byte; page aligned
 * @len: length in bytes (rounded up to whole pages by the kernel)
 * @flags: must be 0 (reserved)
 * @addrp: where the address of the mapping is stored on success
 *
 * One mmap(2) of the node: readable and writable, MAP_SHARED, offset =
 * @phys. The whole range [phys, phys + len) must lie inside one of the
 * grant's "mem" windows. Pages are mapped on first touch. The mapping is
 * uncached, or write-combining where the grant's window says ",wc"; use
 * volatile accesses of the width the device expects. It never grows
 * (mremap to a larger size fails) and is left out of core dumps.
 *
 * A mapping keeps the node's file open: after umdp_close() it still works,
 * and the grant stays busy for other openers, until it is unmapped. It is
 * inherited by fork(). Once the grant is revoked every access to it, in
 * every process, raises SIGBUS; umdp_unmap() remains safe.
 *
 * Return: 0; -EPERM when the range is not inside one granted window,
 * -ENODEV after revoke, -EINVAL for a misaligned @phys, a zero @len or
 * non-zero @flags, other negative errno values from mmap(2).
 */
int umdp_map(struct umdp_dev *dev, uint64_t phys, size_t len,
	     unsigned int flags, void **addrp);

/**
 * umdp_unmap() - remove a mapping made by umdp_map()
 * @addr: the address umdp_map() returned (or any page-aligned part of it)
 * @len: the length mapped
 *
 * Safe after revoke and after umdp_close().
 *
 * Return: 0 or a negative errno value from munmap(2).
 */
int umdp_unmap(void *addr, size_t len);

/**
 * umdp_irq_fd() - a descriptor to poll for the grant's interrupts
 * @dev: the handle
 *
 * poll()/epoll on it gives POLLIN when one of the grant's IRQ lines fired
 * since the last umdp_irq_fetch()/umdp_irq_wait() on this handle, and
 * POLLHUP|POLLERR once the grant is revoked. Owned by the handle.
 *
 * Return: the descriptor.
 */
int umdp_irq_fd(const struct umdp_dev *dev);

/**
 * umdp_irq_fetch() - the grant's interrupt counts, without blocking
 * @dev: the handle
 * @events: one entry per IRQ line of the grant (UMDP_MAX_RANGES always fit);
 *	@events[i].count is how many interrupts arrived since the last fetch
 * @nr: in: entries @events holds, at least the grant's number of lines
 *	(-EINVAL otherwise); out: the grant's number of lines
 *
 * Return: the number of lines with new interrupts (0 for none), or a
 * negative errno (-ENODEV after revoke).
 */
int umdp_irq_fetch(struct umdp_dev *dev, struct umdp_irq_event *events,
		   unsigned int *nr);

/**
 * umdp_irq_wait() - sleep until one of the grant's IRQ lines fires
 * @dev: the handle
 * @timeout_ms: milliseconds at most; negative waits for ever
 * @events: filled as by umdp_irq_fetch()
 * @nr: as for umdp_irq_fetch()
 *
 * Returns at once if an interrupt arrived since the last fetch. A
 * level-triggered line stays masked after it fired (UMDP_IRQ_EV_MASKED)
 * until the driver has quieted its device and calls umdp_irq_unmask().
 *
 * Return: the number of lines with new interrupts (at least 1);
 * -ETIMEDOUT, -ENODEV after revoke, -EINTR on a signal.
 */
int umdp_irq_wait(struct umdp_dev *dev, int timeout_ms,
		  struct umdp_irq_event *events, unsigned int *nr);

/**
 * umdp_irq_unmask() - unmask a level-triggered line after servicing it
 * @dev: the handle
 * @irq: the line, one of the grant's
 *
 * Unmasking a line that is not masked (or edge-triggered) does nothing.
 *
 * Return: 0; -EINVAL when @irq is not one of the grant's lines.
 */
int umdp_irq_unmask(struct umdp_dev *dev, unsigned int irq);

/*
 * The status page: interrupts seen with one memory read. The node's
 * read-only page holds, per IRQ line of the grant, the count UMDP_IOC_IRQ_FETCH
 * reports as total and the line's flags (UMDP_IRQ_EV_MASKED while a level
 * line is masked), and a page-wide sequence number that moves after every
 * change. A polling or real-time driver spins on the sequence number with
 * umdp_status_spin() instead of sleeping in umdp_irq_wait(). The layout and
 * the memory ordering are those of struct umdp_status in <linux/umdp.h>:
 * the module changes a line, then increments the sequence number with
 * release semantics; umdp_status_seq() loads it with acquire semantics, so
 * lines read after it show every change it counts (and perhaps later
 * ones: compare a line's count with the count seen last, not with the
 * sequence number). Spinning on the page and fetching through the node
 * may be mixed: both read the same counters, and a fetch changes nothing
 * on the page.
 */

/**
 * umdp_status_map() - map the grant's status page, read-only
 * @dev: the handle
 * @statusp: where the page's address is stored on success
 *
 * One mmap(2) of the node at UMDP_MMAP_STATUS, one page, PROT_READ,
 * MAP_SHARED; the page is checked (UMDP_STATUS_MAGIC, a layout this
 * library can read). It works on a handle of any grant (nr_lines is 0
 * without IRQ lines) and, like umdp_map()'s mappings, keeps the node's file
 * open until it is unmapped, is inherited by fork() and raises SIGBUS on
 * any access once the grant is revoked. The counts start at 0 when the
 * node is opened.
 *
 * Return: 0; -EOPNOTSUPP when the module has no status page (no
 * UMDP_FEAT_STATUS_PAGE), -ENODEV after revoke, -EPROTO for a page of an
 * unknown layout, other negative errno values from mmap(2).
 */
int umdp_status_map(struct umdp_dev *dev, const struct umdp_status **statusp);

/**
 * umdp_status_unmap() - remove a mapping made by umdp_status_map()
 * @status: the address umdp_status_map() stored
 *
 * Safe after revoke and after umdp_close().
 *
 * Return: 0, -EINVAL for NULL, or a negative errno value from munmap(2).
 */
int umdp_status_unmap(const struct umdp_status *status);

/**
 * umdp_status_seq() - the status page's sequence number, load-acquire
 * @status: the page
 *
 * Lines read after this call show at least every change the returned value
 * counts. One memory read; no system call.
 *
 * Return: the sequence number.
 */
static inline uint64_t umdp_status_seq(const struct umdp_status *status)
{
	return __atomic_load_n(&status->seq, __ATOMIC_ACQUIRE);
}

/**
 * umdp_status_line() - line @i of the status page
 * @status: the page
 * @i: the line's index in the grant's order (that of umdp_info_get()'s
 *	irqs and of the events of umdp_irq_fetch())
 *
 * Lines are found by the page's own header (size, line_size), so a page of
 * a newer layout is read correctly.
 *
 * Return: the line, or NULL when the grant has no line @i.
 */
static inline const struct umdp_status_line *
umdp_status_line(const struct umdp_status *status, unsigned int i)
{
	if (i >= status->nr_lines)
		return NULL;
	return (const struct umdp_status_line *)((const char *)status +
						  status->size +
						  (size_t)i * status->line_size);
}

/**
 * umdp_status_count() - a line's interrupts since the node was opened
 * @line: from umdp_status_line()
 *
 * One relaxed 64-bit load; order it after umdp_status_seq() (as a call
 * after it is) to see what that sequence number counts.
 *
 * Return: the count, the total umdp_irq_fetch() reports for the line.
 */
static inline uint64_t umdp_status_count(const struct umdp_status_line *line)
{
	return __atomic_load_n(&line->count, __ATOMIC_RELAXED);
}

/**
 * umdp_status_flags() - a line's UMDP_IRQ_EV_* flags
 * @line: from umdp_status_line()
 *
 * UMDP_IRQ_EV_MASKED is set from the moment the interrupt handler masks a
 * level line until umdp_irq_unmask() (or close) unmasks it.
 *
 * Return: the flags, as umdp_irq_fetch() reports them.
 */
static inline uint32_t umdp_status_flags(const struct umdp_status_line *line)
{
	return __atomic_load_n(&line->flags, __ATOMIC_RELAXED);
}

/**
 * umdp_status_spin() - spin until the status page changes, or a deadline
 * @status: the page
 * @seen_seq: in: the sequence number the caller has seen (0, or a value of
 *	umdp_status_seq(), or what the last call stored); out: the new one
 *	when the page changed
 * @deadline_ns: CLOCK_MONOTONIC time, in nanoseconds, at which to give up;
 *	UINT64_MAX spins for ever
 *
 * Busy-waits on the calling CPU without a system call: loads the sequence
 * number (acquire) until it differs from *@seen_seq, with a pause
 * instruction between two loads (x86 PAUSE, arm64 YIELD), and looks at the
 * clock every few turns. On return 1 every change the new sequence number
 * counts is visible in the lines. A driver meant to react within a few
 * hundred nanoseconds pins itself to a CPU the interrupt is not routed to.
 * After revoke the load raises SIGBUS.
 *
 * Return: 1 when the page changed (*@seen_seq updated), -ETIMEDOUT once
 * the deadline passed without a change (*@seen_seq unchanged), -EINVAL for
 * NULL arguments.
 */
int umdp_status_spin(const struct umdp_status *status, uint64_t *seen_seq,
		     uint64_t deadline_ns);

/**
 * umdp_list() - the names of the grants whose nodes exist now
 * @namesp: set to a NULL-terminated array of names, sorted; release it with
 *	umdp_list_free()
 *
 * Uses libudev; lists grants whether or not the caller may open them.
 *
 * Return: the number of names, or a negative errno value.
 */
int umdp_list(char ***namesp);

/**
 * umdp_list_free() - release an array returned by umdp_list()
 * @names: the array (NULL is allowed)
 */
void umdp_list_free(char **names);

/**
 * umdp_wait() - wait until a grant's node exists and udev has finished with it
 * @name: the grant's name
 * @timeout_ms: how long to wait at most; negative waits for ever
 *
 * Returns as soon as udev has processed the node's add event, so its owner,
 * group and mode are in place. No sleeping or polling loop: it listens on a
 * udev monitor.
 *
 * Return: 0; -ETIMEDOUT when the time ran out, other negative errno values.
 */
int umdp_wait(const char *name, int timeout_ms);

/**
 * umdp_info_find_mem() - the grant's memory window holding a range
 * @info: as returned by umdp_info_get()
 * @start: physical address
 * @len: bytes
 *
 * Lets a driver check, before it touches the device, that the grant holds
 * what it needs (a PCI BAR, for example).
 *
 * Return: the window that holds all of [@start, @start + @len), or NULL.
 */
const struct umdp_info_mem *
umdp_info_find_mem(const struct umdp_info *info, uint64_t start,
		   uint64_t len);

/**
 * umdp_info_has_ports() - does the grant hold a span of ports?
 * @info: as returned by umdp_info_get()
 * @port: first port
 * @len: number of ports
 *
 * Return: 1 when one granted range holds all of [@port, @port + @len), else 0.
 */
int umdp_info_has_ports(const struct umdp_info *info, uint16_t port,
			unsigned int len);

/**
 * umdp_info_has_irq() - does the grant hold an IRQ line?
 * @info: as returned by umdp_info_get()
 * @irq: the line
 *
 * Return: 1 or 0.
 */
int umdp_info_has_irq(const struct umdp_info *info, unsigned int irq);

/** UMDP_PCI_BARS - BARs a PCI function has */
#define UMDP_PCI_BARS 6

/**
 * struct umdp_pci_bar - one BAR of a PCI device, as sysfs shows it
 * @start: bus address (0 when not assigned)
 * @len: length in bytes (0 when not assigned)
 * @flags: the kernel's resource flags (IORESOURCE_*)
 */
struct umdp_pci_bar {
	uint64_t start;
	uint64_t len;
	uint64_t flags;
};

/**
 * struct umdp_pci_dev - a PCI device found by umdp_pci_find()
 * @bdf: its address, e.g. "0000:00:04.0"
 * @vendor: vendor ID
 * @device: device ID
 * @class: class code (24 bits: base class, subclass, interface)
 * @irq: the line its INTx is routed to; 0 when none (a PCI device no driver
 *	has enabled has none until root writes 1 to its sysfs `enable`)
 * @enabled: the device is enabled (sysfs `enable` is not 0)
 * @bar: BAR0 to BAR5
 */
struct umdp_pci_dev {
	char bdf[16];
	uint16_t vendor;
	uint16_t device;
	uint32_t class;
	unsigned int irq;
	int enabled;
	struct umdp_pci_bar bar[UMDP_PCI_BARS];
};

/**
 * umdp_pci_find() - find a PCI device in /sys/bus/pci/devices
 * @vendor: vendor ID
 * @device: device ID
 * @bdf: the device's address, or NULL for the first device with these IDs
 *	in address order
 * @pci: filled with its address, BARs, class, IRQ line and enable state
 *
 * Needs no privilege: it reads sysfs only. A driver then checks with
 * umdp_info_find_mem() that its grant holds the BARs it will map.
 *
 * Return: 0; -EINVAL when @bdf is not an address like 0000:00:04.0,
 * -ENODEV when the device at @bdf has other IDs, -ENOENT when no device has
 * these IDs, -EIO when sysfs could not be read.
 */
int umdp_pci_find(uint16_t vendor, uint16_t device, const char *bdf,
		  struct umdp_pci_dev *pci);

/**
 * umdp_pci_grant() - the PCI function a grant's "pci" took
 * @dev: the open grant
 * @pci: filled from the grant (UMDP_IOC_PCI_INFO) as umdp_pci_find() fills
 *	it from sysfs: address, IDs, class, enabled = 1, and the BARs with
 *	the kernel's resource flags (0x100 I/O, 0x200 memory, 0x2000
 *	prefetchable); @irq is 0 (the grant's lines are in umdp_info_get())
 *
 * Needs no sysfs and no search: what the grant holds is what the driver
 * drives.
 *
 * Return: 0; -ENOTTY for a grant without "pci" or a module without
 * UMDP_FEAT_PCI, or another negative errno from the ioctl.
 */
int umdp_pci_grant(struct umdp_dev *dev, struct umdp_pci_dev *pci);

/**
 * umdp_pci_info_get() - the granted PCI function, as the module says it
 * @dev: the open grant
 * @info: filled by UMDP_IOC_PCI_INFO (BARs, DMA limits and use, whether an
 *	IOMMU translates and bus mastering is on)
 *
 * Return: 0, or a negative errno (-ENOTTY for a grant without "pci").
 */
int umdp_pci_info_get(struct umdp_dev *dev, struct umdp_pci_info *info);

/**
 * umdp_pci_config_read() - read the granted function's config space
 * @dev: the open grant
 * @offset: byte offset, a multiple of @size
 * @size: 1, 2 or 4
 * @value: the value read
 *
 * Return: 0, or a negative errno (-EINVAL for a bad offset or size).
 */
int umdp_pci_config_read(struct umdp_dev *dev, unsigned int offset,
			 unsigned int size, uint32_t *value);

/**
 * umdp_pci_config_write() - write the granted function's Command register
 * @dev: the open grant
 * @offset: byte offset, a multiple of @size
 * @size: 1, 2 or 4
 * @value: the value
 *
 * Only the Command register's I/O Space, Memory Space and INTx Disable
 * bits may change; see struct umdp_pci_config.
 *
 * Return: 0, -EPERM for any other bit or register, or another negative
 * errno.
 */
int umdp_pci_config_write(struct umdp_dev *dev, unsigned int offset,
			  unsigned int size, uint32_t value);

/**
 * struct umdp_dma - a DMA buffer of a grant, mapped
 * @addr: where the driver reads and writes it
 * @size: its size in bytes (whole pages)
 * @iova: the bus address to give the device
 * @id: the module's id of it
 */
struct umdp_dma {
	void *addr;
	size_t size;
	uint64_t iova;
	uint32_t id;
};

/**
 * umdp_dma_alloc() - allocate a DMA buffer and map it
 * @dev: the open grant (a "pci" grant with "dma")
 * @size: bytes, rounded up to whole pages
 * @buf: filled with the buffer
 *
 * The buffer is zeroed and coherent; under an IOMMU the device reaches it
 * and the grant's other buffers only. The grant's first buffer turns the
 * function's bus mastering on.
 *
 * Return: 0; -ENOSPC beyond the grant's "dma" bytes, -ENOTTY for a grant
 * without "dma", or another negative errno.
 */
int umdp_dma_alloc(struct umdp_dev *dev, size_t size, struct umdp_dma *buf);

/**
 * umdp_dma_free() - unmap and free a DMA buffer
 * @dev: the open grant
 * @buf: as filled by umdp_dma_alloc(); zeroed on return
 *
 * The device must be done with it. Freeing the last buffer turns bus
 * mastering off.
 *
 * Return: 0, or a negative errno (-EINVAL for a buffer that is not the
 * grant's).
 */
int umdp_dma_free(struct umdp_dev *dev, struct umdp_dma *buf);

/**
 * umdp_explain_open() - say in one sentence why umdp_open() failed
 * @name: the grant name that was passed to umdp_open()
 * @err: the negative errno value umdp_open() returned
 * @buf: where the sentence is written, NUL terminated, without a newline
 * @len: size of @buf (256 bytes is plenty)
 *
 * Looks at configfs, the node and sysfs to tell the cases apart that a
 * driver's user needs to act on: umdp not loaded, no such grant, a grant
 * that exists but is not enabled, a node the user may not open, a grant
 * made for another program, a grant already open by another process.
 * For example: "grant 'kbd' is not enabled (echo 1 >
 * /sys/kernel/config/umdp/ps2kbd/kbd/enable)".
 *
 * When the grant's last enable failed, the sentence gives the reason the
 * kernel kept in the grant's configfs "last_error" instead of the enable
 * command, and names the holder of a busy port range (umdp_port_holder(),
 * root only) or IRQ line (umdp_irq_holder()) where it can read it: "grant
 * 'rtc' is not enabled: irq 8: already in use by a kernel driver (held by
 * rtc0)". When nobody has the node open but umdp_open() got -EBUSY, a
 * kernel driver took one of the grant's IRQ lines after the enable (lines
 * are requested at open); the sentence names the line and its holder.
 *
 * Return: the length snprintf() gives for the sentence, or -EINVAL when @buf
 * is NULL or @len is 0.
 */
int umdp_explain_open(const char *name, int err, char *buf, size_t len);

/**
 * umdp_strerror() - describe a value returned by this library
 * @err: a negative errno value (or 0)
 *
 * Return: a static string; umdp-specific wording where umdp gives an errno a
 * specific meaning (for example -EPERM: port or address not granted).
 */
const char *umdp_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* UMDP_H */
