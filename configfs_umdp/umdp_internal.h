/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umdp: shared definitions of the module's parts.
 *
 * Lifetimes: a grant (struct umdp_grant) is a configfs item and lives from
 * its mkdir until its last reference is dropped after rmdir. Each time it is
 * enabled it gets a fresh node (struct umdp_node): the char device, the
 * claimed resources and an immutable snapshot of the grant's settings. The
 * node is reference counted through its embedded struct device (that
 * kobject's kref is the node's refcount); the grant and every open file hold
 * one reference each, so a node outlives its revoke for as long as files
 * still point at it.
 *
 * Locking: umdp_lock (a mutex) guards the grant list, every grant's settings
 * and node pointer, every exe group's path and every enable/revoke
 * transition. A node's info_lock (rw_semaphore) guards its alive flag: file
 * operations other than port I/O hold it for reading, revoke takes it for
 * writing once. Port I/O holds the node's io_lock (percpu_rw_semaphore)
 * for reading around its accesses instead, and revoke, having cleared
 * alive, takes io_lock for writing to wait for it (umdp_io.c says why it
 * has a lock of its own). A node's open_lock (spinlock) guards who has it
 * open. Lock order: configfs's own locks -> umdp_lock -> info_lock ->
 * io_lock, and info_lock -> open_lock; nothing is taken inside io_lock.
 * Nothing that holds umdp_lock calls into configfs, and sysfs show
 * callbacks never take umdp_lock (revoke removes the sysfs files with
 * umdp_lock held).
 */
#ifndef UMDP_INTERNAL_H
#define UMDP_INTERNAL_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/configfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/percpu-rwsem.h>
#include <linux/poll.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <uapi/linux/umdp.h>

#include "umdp_compat.h"

/* Minors reserved for nodes; at most this many grants enabled at once. */
#define UMDP_MINORS		256

/* "umdp:" + grant name: the owner name in /proc/ioports, /proc/interrupts. */
#define UMDP_RES_NAME_MAX	(sizeof("umdp:") - 1 + UMDP_NAME_MAX)

/* The last enable error of a grant, a sentence, NUL included. */
#define UMDP_ERROR_MAX		256

/* owner/group: a 32-character user name, an optional '$' and the NUL. */
#define UMDP_ID_MAX		34

/*
 * Longest "path" accepted, NUL included: the add uevent must carry
 * UMDP_PATH with every other variable and the core's SEQNUM within the
 * 2 KiB uevent buffer (the other variables take at most about 600 bytes).
 */
#define UMDP_PATH_MAX		1024

/* mode not set */
#define UMDP_MODE_UNSET		(-1)

/* Upper bound of physical addresses when the CPU does not say (52 bits). */
#define UMDP_PHYS_BITS_DEFAULT	52

struct mnt_namespace;
struct pci_dev;
struct vm_area_struct;

/**
 * struct umdp_port_range - an inclusive range of I/O ports
 * @start: first port
 * @end: last port (>= @start)
 */
struct umdp_port_range {
	u32 start;
	u32 end;
};

/**
 * struct umdp_ports - the ports of a grant
 * @nr: number of ranges in use
 * @r: the ranges, in the order written, pairwise disjoint
 */
struct umdp_ports {
	unsigned int nr;
	struct umdp_port_range r[UMDP_MAX_RANGES];
};

/* struct umdp_irqs.kind: what "irqs" names */
enum umdp_irq_kind {
	UMDP_IRQ_LINES,		/* IRQ numbers */
	UMDP_IRQ_INTX,		/* "intx": the PCI function's INTx */
	UMDP_IRQ_MSI,		/* "msi:N": N MSI vectors of the function */
};

/**
 * struct umdp_irqs - the IRQ lines of a grant
 * @nr: number of lines in use; for a grant's "intx" or "msi:N" 0 until
 *	enable fills in the node's copy with the function's IRQs
 * @irq: the lines, in the order written, no duplicates
 * @kind: enum umdp_irq_kind
 * @nr_vectors: for UMDP_IRQ_MSI, N
 */
struct umdp_irqs {
	unsigned int nr;
	u32 irq[UMDP_MAX_RANGES];
	u8 kind;
	u8 nr_vectors;
};

/**
 * struct umdp_pci_addr - a PCI function as written to "pci"
 * @set: a function is named
 * @domain: its domain
 * @bus: its bus
 * @devfn: its device and function
 */
struct umdp_pci_addr {
	bool set;
	u32 domain;
	u8 bus;
	u8 devfn;
};

/* Most bytes of DMA buffers one grant may have ("dma"). */
#define UMDP_DMA_MAX		(1ULL << 30)
/* "dma_bits" when not written: what a PCI function can address by default */
#define UMDP_DMA_BITS_DEFAULT	32

/**
 * struct umdp_mem_range - a physical memory window
 * @start: first byte, page aligned
 * @len: length in bytes, page aligned, > 0
 * @wc: map write-combining instead of uncached
 */
struct umdp_mem_range {
	u64 start;
	u64 len;
	bool wc;
};

/**
 * struct umdp_mems - the memory windows of a grant
 * @nr: number of windows in use
 * @r: the windows, in the order written, pairwise disjoint
 */
struct umdp_mems {
	unsigned int nr;
	struct umdp_mem_range r[UMDP_MAX_RANGES];
};

/**
 * struct umdp_id - a user or group, as written to "owner" or "group"
 * @s: a name or decimal id, NUL terminated; empty when unset
 */
struct umdp_id {
	char s[UMDP_ID_MAX];
};

/**
 * struct umdp_cfg - the settings of a grant, one member per configfs
 *	attribute of the same name
 * @ioports: "ioports"
 * @irqs: "irqs"
 * @mem: "mem"
 * @owner: "owner"
 * @group: "group"
 * @mode: "mode", or UMDP_MODE_UNSET
 * @exclusive: "exclusive": claim the ports with request_region
 * @unsafe: "unsafe": root-equivalent resources may be granted
 * @pci: "pci": the PCI function taken at enable
 * @dma: "dma": most bytes of DMA buffers, 0 for no DMA
 * @dma_bits: "dma_bits": width of the function's bus addresses (12..64)
 */
struct umdp_cfg {
	struct umdp_ports ioports;
	struct umdp_irqs irqs;
	struct umdp_mems mem;
	struct umdp_id owner;
	struct umdp_id group;
	int mode;
	bool exclusive;
	bool unsafe;
	struct umdp_pci_addr pci;
	u64 dma;
	unsigned int dma_bits;
};

/**
 * struct umdp_exe - a driver program's group, /sys/kernel/config/umdp/<exe>
 * @group: the configfs group; the grants are its children
 * @path: absolute path of the program, NULL when unset; guarded by umdp_lock
 * @path_gen: incremented by every write of @path; guarded by umdp_lock. An
 *	enable resolves a snapshot of @path without the lock and commits only
 *	if @path_gen has not moved meanwhile.
 */
struct umdp_exe {
	struct config_group group;
	char *path;
	u64 path_gen;
};

/**
 * struct umdp_grant - one grant, /sys/kernel/config/umdp/<exe>/<grant>
 * @item: the configfs item
 * @exe: the exe group it was made in (outlives the grant's list membership)
 * @list: entry in umdp_grants; guarded by umdp_lock
 * @name: the grant's name, constant
 * @cfg: its settings; guarded by umdp_lock
 * @node: the node while enabled, else NULL; guarded by umdp_lock
 * @last_error: why the last enable failed, the sentence that was logged
 *	without the "grant <name>: " prefix; empty after a successful
 *	enable; guarded by umdp_lock
 */
struct umdp_grant {
	struct config_item item;
	struct umdp_exe *exe;
	struct list_head list;
	char name[UMDP_NAME_MAX];
	struct umdp_cfg cfg;
	struct umdp_node *node;
	char last_error[UMDP_ERROR_MAX];
};

/**
 * struct umdp_status_kline - the module's view of a struct umdp_status_line
 *	on a node's status page (the same layout, with atomic types)
 * @irq: the line
 * @flags: UMDP_IRQ_EV_*; UMDP_IRQ_EV_MASKED is the line's mask state
 *	(umdp_irq.c), changed by atomic operations only
 * @count: interrupts handled since the node was opened
 */
struct umdp_status_kline {
	u32 irq;
	atomic_t flags;
	atomic64_t count;
};

/**
 * struct umdp_status_kpage - the module's view of a node's status page
 *	(struct umdp_status, then the lines; umdp_status.c)
 * @magic: UMDP_STATUS_MAGIC
 * @version: UMDP_STATUS_VERSION
 * @size: sizeof(struct umdp_status)
 * @nr_lines: the node's IRQ lines
 * @line_size: sizeof(struct umdp_status_line)
 * @reserved: 0
 * @seq: incremented (release) after each change of a line
 * @line: one per IRQ line of the node
 */
struct umdp_status_kpage {
	u32 magic;
	u32 version;
	u32 size;
	u32 nr_lines;
	u32 line_size;
	u32 reserved;
	atomic64_t seq;
	struct umdp_status_kline line[UMDP_MAX_RANGES];
};

/**
 * struct umdp_irq - one IRQ line of a node
 * @node: the node it belongs to; set when the node is created
 * @irq: the line; set when the node is created
 * @level: the line is level-triggered; read from the line after
 *	request_irq() succeeded and before it is enabled, so never from a
 *	descriptor the kernel may since have freed (a PCI INTx GSI's is freed
 *	with the device's last disable)
 * @kind: enum umdp_irq_kind of the grant's "irqs"; set with @irq
 * @st: the line's entry on the node's status page, which holds its count
 *	and mask state (there is no other copy); set with @irq
 */
struct umdp_irq {
	struct umdp_node *node;
	unsigned int irq;
	u8 kind;
	bool level;
	struct umdp_status_kline *st;
};

/* Most PCI functions one grant's windows and port ranges may reach. */
#define UMDP_MAX_MASTERS	16

/**
 * struct umdp_master - a PCI function whose BAR a grant reaches
 * @pdev: the function, one reference
 * @was_master: Bus Master Enable was set before enable cleared it
 */
struct umdp_master {
	struct pci_dev *pdev;
	bool was_master;
};

/**
 * struct umdp_node - one enable of a grant: /dev/umdp/<grant>
 * @dev: the class device; its refcount is the node's refcount
 * @cdev: the char device
 * @info_lock: guards @alive; file operations other than port I/O hold it
 *	for reading
 * @io_lock: port I/O (pread, pwrite, UMDP_IOC_BATCH, UMDP_IOC_STRING)
 *	holds it for reading around its accesses, and checks @alive (with
 *	READ_ONCE) once it holds it; revoke takes it for writing right after
 *	clearing @alive (if a file is open: port I/O needs one), so no
 *	access that saw @alive set outlives revoke (umdp_io.c)
 * @alive: the grant is enabled; written under info_lock held for writing
 *	(WRITE_ONCE), read under it, by port I/O under io_lock, or, for an
 *	early unlocked check, with READ_ONCE
 * @wait: woken by every IRQ and by revoke
 * @map_inode: anonymous inode whose address_space every open file of this
 *	node uses as f_mapping, so that revoke can zap all its mappings
 * @open_lock: guards @opened, @opener_pid and @opener_comm
 * @opened: a file is open (one opener at a time)
 * @opener_pid: thread group id of the opener
 * @opener_comm: command name of the opener
 * @name: the grant's name, also the device's name
 * @res_name: "umdp:<grant>", owner name of the ports and IRQs
 * @exe_name: name of the exe group
 * @path_str: the program's path as written
 * @cfg: snapshot of the grant's settings at enable
 * @exe_path: the program, resolved at enable (pins its dentry and mount)
 * @root: root directory of the administrator who enabled the grant
 * @mnt_ns: mount namespace of that administrator; compared by address,
 *	never dereferenced (@root pins a mount of it, and a process of any
 *	later namespace at that address has a different root mount)
 * @minor: minor number from umdp_minor_ida, or -1
 * @nr_regions: how many of @cfg.ports are claimed with request_region
 * @irq_lock: guards @nr_requested and the request/free of @irqs
 * @nr_requested: how many of @irqs are requested (while the node is open)
 * @irqs: one entry per line of @cfg.irqs
 * @root_equivalent: a resource of @cfg hands out the machine (umdp_unsafe.c)
 * @nr_masters: how many of @masters are in use
 * @masters: the PCI functions whose Bus Master Enable enable cleared
 * @mem_lock: guards @wc_held and the reservations it records
 * @wc_held: bit i: @cfg.mem.r[i] is reserved write-combining in the PAT
 *	memtype table; taken by the first mmap() of the window, freed by
 *	revoke after the mappings are zapped (umdp_mmap.c)
 * @pdev: the PCI function of "pci", one reference; NULL for none; set
 *	at enable, cleared by umdp_pci_release() (umdp_pci.c)
 * @pci_lock: guards @pci_live and the teardown of the function, which
 *	revoke and the driver's remove (an unbind from sysfs, a hot remove)
 *	may both attempt. Order: pci_lock -> info_lock -> dma_lock.
 * @pci_live: the function is enabled, its BARs requested, its vectors
 *	allocated: cleared by the first teardown
 * @iommu: an IOMMU translates the function's DMA; set at enable
 * @intx_was_on: the function's INTx Disable bit was clear when the grant
 *	took it; teardown clears it again unless the function is asserting
 *	its INTx then; set at enable, read at teardown
 * @dma_lock: guards @dma_bufs, @dma_used, @dma_next_id and bus mastering
 * @dma_bufs: the DMA buffers (struct umdp_dma_buf, umdp_dma.c)
 * @dma_used: bytes in @dma_bufs
 * @dma_next_id: id of the next buffer; ids are never reused within a node
 *	so a stale mmap() offset never reaches a new buffer
 * @status: the status page, zeroed, allocated with the node and freed
 *	with it (every mapping of it holds a node reference); its header and
 *	the lines' @irq are written before the node is published
 *
 * @name to @mnt_ns and @root_equivalent are written before the node is published and read-only
 * afterwards, so sysfs, uevent and file operations read them without
 * locks. @minor, @nr_regions, @nr_requested, the entries of @irqs and
 * @masters change only under umdp_lock, while the node is being enabled or revoked (the IRQ
 * handler touches only a line's flags and count on @status, and its seq,
 * atomically).
 */
struct umdp_node {
	struct device dev;
	struct cdev cdev;
	struct rw_semaphore info_lock;
	struct percpu_rw_semaphore io_lock;
	bool alive;
	wait_queue_head_t wait;
	struct inode *map_inode;

	spinlock_t open_lock;	/* guards opened, opener_pid, opener_comm */
	bool opened;
	pid_t opener_pid;
	char opener_comm[TASK_COMM_LEN];

	char name[UMDP_NAME_MAX];
	char res_name[UMDP_RES_NAME_MAX];
	char *exe_name;
	char *path_str;
	struct umdp_cfg cfg;
	struct path exe_path;
	struct path root;
	struct mnt_namespace *mnt_ns;
	int minor;
	unsigned int nr_regions;
	struct mutex irq_lock;	/* guards nr_requested, request/free */
	unsigned int nr_requested;
	struct umdp_irq irqs[UMDP_MAX_RANGES];
	bool root_equivalent;
	unsigned int nr_masters;
	struct umdp_master masters[UMDP_MAX_MASTERS];
	struct mutex mem_lock;	/* guards wc_held */
	unsigned long wc_held;
	struct pci_dev *pdev;
	struct mutex pci_lock;	/* guards pci_live, the function's teardown */
	bool pci_live;
	bool iommu;
	bool intx_was_on;
	struct mutex dma_lock;	/* guards dma_bufs, dma_used, dma_next_id */
	struct list_head dma_bufs;
	u64 dma_used;
	u32 dma_next_id;
	struct umdp_status_kpage *status;
};

/**
 * struct umdp_file - what an open file of a node holds
 * @node: the node, one reference
 * @fetch_lock: guards @seen (threads of one process may fetch at once)
 * @seen: per line of the grant, the count this file last fetched
 * @batch_lock: guards @batch_ops (threads of one process may batch at once)
 * @batch_ops: room for UMDP_BATCH_MAX ops (4 KiB), allocated by the file's
 *	first UMDP_IOC_BATCH and kept until release; NULL before
 */
struct umdp_file {
	struct umdp_node *node;
	struct mutex fetch_lock;
	u64 seen[UMDP_MAX_RANGES];
	struct mutex batch_lock;	/* guards batch_ops */
	struct umdp_io_op *batch_ops;
};

static inline struct umdp_node *to_umdp_node(const struct device *dev)
{
	return container_of(dev, struct umdp_node, dev);
}

static inline struct umdp_node *umdp_file_node(const struct file *file)
{
	return ((const struct umdp_file *)file->private_data)->node;
}

/**
 * umdp_node_enter() - take info_lock for reading if the node is alive
 * @node: the node
 *
 * Every file operation that touches the hardware or the node's resources
 * runs between umdp_node_enter() and umdp_node_leave() (port I/O, under
 * io_lock, excepted: umdp_io.c): revoke waits for it and, once it has
 * cleared @alive, none starts.
 *
 * Return: 0 with info_lock held, or -ENODEV after revoke (not held).
 */
static inline int umdp_node_enter(struct umdp_node *node)
{
	down_read(&node->info_lock);
	if (node->alive)
		return 0;
	up_read(&node->info_lock);
	return -ENODEV;
}

static inline void umdp_node_leave(struct umdp_node *node)
{
	up_read(&node->info_lock);
}

/* umdp_main.c */
extern struct mutex umdp_lock;
extern struct list_head umdp_grants;
extern struct class *umdp_class;
extern dev_t umdp_devt;
extern struct ida umdp_minor_ida;

/*
 * umdp_range.c: strict parsing and canonical formatting. A parser fills
 * *out completely and returns 0, or returns -EINVAL/-ENOMEM and leaves it
 * alone; a formatter writes one line into a PAGE_SIZE sysfs or configfs
 * buffer with sysfs_emit_at() and returns its length.
 */
int umdp_parse_ports(const char *page, size_t count, struct umdp_ports *out);
int umdp_parse_irqs(const char *page, size_t count, struct umdp_irqs *out);
int umdp_parse_mem(const char *page, size_t count, struct umdp_mems *out);
int umdp_parse_id(const char *page, size_t count, struct umdp_id *out);
int umdp_parse_mode(const char *page, size_t count, int *out);
int umdp_parse_01(const char *page, size_t count, bool *out);
int umdp_parse_path(const char *page, size_t count, char **out);
int umdp_parse_dma(const char *page, size_t count, u64 *out);
int umdp_parse_dma_bits(const char *page, size_t count, unsigned int *out);
int umdp_format_dma(const u64 *dma, char *buf);
int umdp_format_uint(const unsigned int *val, char *buf);
bool umdp_valid_grant_name(const char *name);
int umdp_format_ports(const struct umdp_ports *p, char *buf);
int umdp_format_irqs(const struct umdp_irqs *p, char *buf);
int umdp_format_mem(const struct umdp_mems *p, char *buf);
int umdp_format_id(const struct umdp_id *id, char *buf);
int umdp_format_mode(const int *mode, char *buf);
int umdp_format_01(const bool *val, char *buf);

/* umdp_configfs.c */
int umdp_configfs_init(void);
void umdp_configfs_exit(void);

/* umdp_grant.c: enable and revoke; callers of these hold no umdp lock */
__printf(2, 3)
void umdp_grant_error(struct umdp_grant *grant, const char *fmt, ...);
int umdp_grant_set_enable(struct umdp_grant *grant, bool enable);
/* caller holds umdp_lock */
void umdp_grant_revoke(struct umdp_grant *grant);
bool umdp_exe_has_enabled_grant(const struct umdp_exe *exe);

/* umdp_claim.c: a grant's resources against the system and other grants */
int umdp_claim_check(struct umdp_grant *grant, const struct umdp_cfg *cfg);
int umdp_claim_ports(struct umdp_grant *grant, struct umdp_node *node);
void umdp_release_ports(struct umdp_node *node);
bool umdp_mem_page_usable(const struct umdp_node *node, unsigned long pfn);
int umdp_claim_init(void);
void umdp_claim_exit(void);

/* umdp_unsafe.c: root-equivalent grants and bus mastering */
bool umdp_cfg_root_equivalent(const struct umdp_cfg *cfg);
int umdp_unsafe_check(struct umdp_grant *grant, const struct umdp_cfg *cfg);
int umdp_masters_stop(struct umdp_grant *grant, struct umdp_node *node);
void umdp_masters_restore(struct umdp_node *node);

/* umdp_pci.c: PCI functions as grants */
int umdp_pci_check(struct umdp_grant *grant, const struct umdp_cfg *cfg);
int umdp_pci_take(struct umdp_grant *grant, struct umdp_node *node);
void umdp_pci_stop(struct umdp_node *node);
void umdp_pci_release(struct umdp_node *node);
void umdp_pci_close(struct umdp_node *node);
bool umdp_pci_owns(const struct umdp_node *node, u64 addr);
long umdp_pci_ioctl(struct file *file, unsigned int cmd, void __user *argp);
int umdp_pci_init(void);
void umdp_pci_exit(void);
int umdp_parse_pci(const char *page, size_t count, struct umdp_pci_addr *out);
int umdp_format_pci(const struct umdp_pci_addr *a, char *buf);

/* umdp_dma.c: DMA buffers of a PCI grant */
long umdp_dma_ioctl(struct file *file, unsigned int cmd, void __user *argp);
int umdp_dma_mmap(struct file *file, struct vm_area_struct *vma);
void umdp_dma_free_all(struct umdp_node *node);

/* umdp_claim.c, for umdp_pci.c: the function's BARs against other grants */
int umdp_claim_check_grants(struct umdp_grant *grant,
			    const struct umdp_cfg *cfg);

/* umdp_irq.c */
int umdp_irq_check(struct umdp_grant *grant, unsigned int irq);
void umdp_irq_init(struct umdp_node *node);
int umdp_irq_request_all(struct umdp_node *node);
void umdp_irq_free_all(struct umdp_node *node);
__poll_t umdp_irq_poll(struct file *file, poll_table *wait);
long umdp_irq_ioctl(struct file *file, unsigned int cmd, void __user *argp);

/* umdp_io.c: port I/O */
ssize_t umdp_io_read(struct file *file, char __user *buf, size_t count,
		     loff_t *ppos);
ssize_t umdp_io_write(struct file *file, const char __user *buf,
		      size_t count, loff_t *ppos);
long umdp_io_ioctl(struct file *file, unsigned int cmd, void __user *argp);

/* umdp_ioctl.c: the node's ioctls and their extensible arguments */
int umdp_arg_in(void *karg, size_t ksize, size_t minsz, u32 valid_flags,
		const void __user *uarg);
int umdp_arg_out(void __user *uarg, const void *karg, size_t ksize);
long umdp_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* umdp_mmap.c: device memory */
int umdp_mmap(struct file *file, struct vm_area_struct *vma);
void umdp_mem_release(struct umdp_node *node);

/* umdp_status.c: the status page */
int umdp_status_alloc(struct umdp_node *node);
void umdp_status_free(struct umdp_node *node);
int umdp_status_mmap(struct file *file, struct vm_area_struct *vma);

/**
 * umdp_status_changed() - tell status page readers that a line changed
 * @node: the node, whose line's count or flags were just changed
 *
 * The increment has release semantics: a reader that loads the new seq
 * with acquire semantics sees the change. It is an atomic increment, not
 * a store, because handlers of several lines may run at once on several
 * CPUs, and a lost increment would leave a spinning reader unaware of an
 * interrupt. Callable from the hard IRQ handler.
 */
static inline void umdp_status_changed(struct umdp_node *node)
{
	atomic64_inc_return_release(&node->status->seq);
}

/* umdp_node.c */
extern const struct attribute_group *umdp_node_groups[];
char *umdp_devnode(UMDP_DEVNODE_CONST struct device *dev, umode_t *mode);
int umdp_dev_uevent(UMDP_UEVENT_CONST struct device *dev,
		    struct kobj_uevent_env *env);
struct umdp_node *umdp_node_create(const struct umdp_grant *grant,
				   const struct path *exe_path,
				   const char *path_str);
int umdp_node_add(struct umdp_node *node);
void umdp_node_kill(struct umdp_node *node);
void umdp_node_del(struct umdp_node *node);
void umdp_node_get(struct umdp_node *node);
void umdp_node_put(struct umdp_node *node);

#endif /* UMDP_INTERNAL_H */
