/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - umdp-fuzz: what its files share.
 *
 * One supervisor process (main.c) forks NWORKERS workers (worker.c). Each
 * worker draws operations from its own PRNG stream (gen.c), derived from
 * the run's seed, so the same seed gives every worker the same sequence of
 * operations; what the kernel answers never feeds back into the choice.
 * Operations are configfs provisioning (mkdir, rmdir, attribute writes,
 * enable, revoke) and node use (open, pread/pwrite, ioctls, mmap and
 * touches, poll, forks killed mid-operation). Each worker logs its last
 * RING_SIZE operations in shared memory, so the log survives kill -9. The
 * supervisor watches /dev/kmsg (kmsg.c) and stops the run at the first
 * kernel report.
 *
 * Hardware safety (safe.c): this runs in QEMU, where some ports end or
 * reset the machine. Every well-formed value written to ioports, irqs or
 * mem comes from the pool of pc-testdev resources, and every port span or
 * physical address the fuzzer itself reaches for lies in that pool too,
 * even where the kernel is expected to refuse it.
 *
 * PCI (when the guest has an edu no driver is bound to): grants g4 and g5
 * may take an edu ("pci"), with DMA buffers ("dma") where an IOMMU
 * translates its DMA (q35). Node operations then use the PCI and DMA
 * ioctls and map and touch DMA buffers. The fuzzer never touches edu's
 * BAR (so the device never masters the bus on its own), and every config
 * space write it asks for lands on bytes that are harmless even if the
 * kernel let it through (safe.c). Every result of a PCI or DMA ioctl, and
 * of an mmap of a DMA buffer, must be success or an errno the uapi header
 * documents (mmap(2)'s own errors included): anything else is reported.
 */
#ifndef UMDP_FUZZ_H
#define UMDP_FUZZ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define MAX_WORKERS	16
#define RING_SIZE	64
#define RING_TEXT	168

#define NEXE		4	/* exe groups fz0..fz2 and one long name */
#define NGRANT		8	/* grants g0..g5, a 31-character one, a bad one */
#define NSLOT		6	/* node file descriptors per worker */
#define NMAP		6	/* mappings per worker */
#define NDMA		8	/* DMA buffers remembered per slot */

#define CFS_ROOT	"/sys/kernel/config/umdp"

/* The pc-testdev resources, the only ones the fuzzer may ever enable. */
#define TESTDEV_MEM	((uint64_t)0xff000000)
#define TESTDEV_MEM_LEN	((uint64_t)0x10000)
/* Physical addresses the fuzzer may map at all: the window and around. */
#define MAP_LO		(TESTDEV_MEM - 0x10000)
#define MAP_HI		(TESTDEV_MEM + 0x20000)
/* Beyond any physical address (52 bits): the kernel must refuse. */
#define PHYS_BEYOND	((uint64_t)1 << 56)

enum op_kind {
	OP_MKDIR_EXE,
	OP_RMDIR_EXE,
	OP_MKDIR_GRANT,
	OP_RMDIR_GRANT,
	OP_PROVISION,
	OP_PATH,
	OP_ATTR,
	OP_READ,
	OP_ENABLE,
	OP_REVOKE,
	OP_OPEN,
	OP_OPEN_USER,
	OP_CLOSE,
	OP_DUP,
	OP_PREAD,
	OP_PWRITE,
	OP_IOCTL,
	OP_MMAP,
	OP_TOUCH,
	OP_MUNMAP,
	OP_MREMAP,
	OP_MPROTECT,
	OP_POLL,
	OP_EPOLL,
	OP_RAISE,
	OP_FORK_KILL,
	OP_NKINDS
};

/* grant attributes, then the exe group's path */
enum attr {
	ATTR_IOPORTS,
	ATTR_IRQS,
	ATTR_MEM,
	ATTR_OWNER,
	ATTR_GROUP,
	ATTR_MODE,
	ATTR_EXCLUSIVE,
	ATTR_ENABLE,
	ATTR_LAST_ERROR,
	ATTR_PCI,
	ATTR_DMA,
	ATTR_DMA_BITS,
	ATTR_PATH,
	ATTR_N
};

/* how an attribute value is made (values.c) */
enum vclass {
	V_VALID,	/* well formed, from the safe pool */
	V_EMPTY,	/* empty: clears */
	V_MARKER,	/* a byte no value may hold, inserted */
	V_GARBAGE,	/* random bytes with such a byte */
	V_NUL,		/* an embedded NUL */
	V_OVERLONG,	/* about a page or more */
	V_REVERSED,	/* a range whose end is below its start */
	V_HUGE,		/* numbers past every limit (low bits safe) */
	V_SIGN,		/* a leading + or - */
	V_EMPTY_ITEM,	/* ",x", "x," or "x,,y" */
	V_NEWLINES,	/* two newlines, or CR LF */
	V_BLANK,	/* leading or trailing blanks */
	V_UNALIGNED,	/* mem: not page aligned (inside the window) */
	V_ZERO_LEN,	/* a+0 */
	V_NCLASS
};

/* ioctl argument makers (ioctl.c) */
enum ioc {
	IOC_VERSION,
	IOC_BATCH,
	IOC_STRING,
	IOC_INFO,
	IOC_IRQ_FETCH,
	IOC_IRQ_WAIT,
	IOC_IRQ_UNMASK,
	IOC_PCI_INFO,
	IOC_PCI_CONFIG,
	IOC_DMA_ALLOC,
	IOC_DMA_FREE,
	IOC_UNKNOWN,
	IOC_GENERIC,
	IOC_N
};

/* where a user buffer points (bufs.c) */
enum bufkind {
	BUF_GOOD,
	BUF_NULL,
	BUF_UNMAPPED,
	BUF_KERNEL,
	BUF_NONCANON,
	BUF_READONLY,
	BUF_GUARD,	/* ends in a PROT_NONE page */
	BUF_MISALIGNED,
	BUF_UMDP_MAP,	/* inside one of this worker's umdp mappings */
	BUF_N
};

/*
 * One operation, fully described by the PRNG: executing it may use
 * further pseudo-random numbers, but only from @sub.
 */
struct op {
	enum op_kind kind;
	unsigned int exe;	/* exe group index */
	unsigned int grant;	/* grant index */
	unsigned int slot;	/* fd or map slot */
	unsigned int slot2;
	unsigned int attr;	/* enum attr, enum ioc, read target */
	unsigned int variant;	/* enum vclass, enum bufkind, flags choice */
	uint64_t a, b, c;	/* kind-specific: port/offset, size/len, value */
	uint64_t sub;		/* seed of everything else */
	bool child;		/* runs in a forked child: may block */
};

/* ---- PRNG (gen.c) ---- */
struct rng {
	uint64_t s;
};

uint64_t splitmix64(uint64_t *s);
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
uint64_t rng_below(struct rng *r, uint64_t n);
bool rng_chance(struct rng *r, unsigned int percent);
uint64_t worker_seed(uint64_t seed, unsigned int worker);

/* ---- operations (gen.c) ---- */
extern const char *const op_names[OP_NKINDS];
extern const char *const attr_names[ATTR_N];
extern const char *const vclass_names[V_NCLASS];
extern const char *const ioc_names[IOC_N];
extern const char *const buf_names[BUF_N];

void gen_op(struct rng *r, struct op *op);
void gen_node_op(struct rng *r, struct op *op, bool child);
size_t op_format(const struct op *op, char *buf, size_t len);
const char *exe_name(unsigned int exe);
const char *grant_name(unsigned int grant);

/* ---- safety (safe.c) ---- */
bool port_span_safe(uint64_t port, uint64_t size, bool write);
bool phys_touch_safe(uint64_t phys, unsigned int width);
bool config_write_safe(uint64_t offset, uint64_t size);
uint32_t gen_config_offset(struct rng *r, bool write, uint32_t size);
uint64_t gen_port(struct rng *r, uint64_t size, bool write);
uint64_t gen_io_size(struct rng *r);
void gen_map_range(struct rng *r, uint64_t *off, uint64_t *len);
void fatal_unsafe(const char *what, uint64_t a, uint64_t b);

/* ---- attribute values (values.c) ---- */
#define MAX_EDU		2

struct value_ctx {
	const char *self;	/* this program's path */
	const char *user;	/* the unprivileged user's name */
	unsigned int uid;
	/* edus no driver is bound to ("0000:00:04.0"), in address order */
	unsigned int nedu;
	char edu[MAX_EDU][16];
	bool iommu;		/* an IOMMU translates their DMA: "dma" works */
};

#define VALUE_MAX	8400
size_t attr_value(const struct value_ctx *ctx, unsigned int attr,
		  unsigned int vclass, uint64_t sub, char *out, size_t cap);
unsigned int gen_vclass(struct rng *r, unsigned int attr);

/* ---- shared memory (main.c creates it, workers write it) ---- */
#define RES_PENDING	INT32_MIN
#define RES_SIGNAL	100000	/* res = RES_SIGNAL + signo: caught fault */
#define RES_NONE	100100	/* nothing to do (empty slot) */

#define RESULTS		136
#define RESULT_NONE	134
#define RESULT_SIG	135

struct ring_ent {
	_Atomic uint64_t seq;	/* 0: being written */
	uint64_t opno;
	int64_t t_us;
	_Atomic int32_t res;
	char text[RING_TEXT];
};

struct wshm {
	_Atomic pid_t pid;
	_Atomic uint64_t ops;
	_Atomic uint64_t head;
	_Atomic int64_t op_start_us;	/* 0 when between operations */
	_Atomic uint64_t count[OP_NKINDS];
	_Atomic uint64_t ok[OP_NKINDS];
	/* results by kind: [0] ok, [e] errno e, [RESULT_NONE], [RESULT_SIG] */
	_Atomic uint32_t result[OP_NKINDS][RESULTS];
	_Atomic uint64_t faults;	/* SIGBUS/SIGSEGV caught on touches */
	_Atomic uint64_t irq_lines;	/* lines with new IRQs, from fetches */
	_Atomic uint64_t unsafe;	/* operations the safety check refused */
	_Atomic uint64_t undocumented;	/* results the uapi does not name */
	_Atomic uint64_t dma_maps;	/* mmaps of DMA buffers that worked */
	_Atomic uint64_t dma_allocs;	/* DMA buffers allocated */
	_Atomic uint64_t dma_frees;	/* and freed (DMA_FREE that worked) */
	_Atomic uint64_t ioc_count[IOC_N];	/* ioctls by argument maker */
	_Atomic uint64_t ioc_ok[IOC_N];
	_Atomic uint32_t ioc_errno[IOC_N][RESULTS];	/* their errnos */
	struct ring_ent ring[RING_SIZE];
};

struct shm {
	_Atomic int stop;
	uint64_t seed;
	int64_t t0_us;
	struct wshm w[MAX_WORKERS];
};

extern struct shm *shm;

/* ---- options ---- */
struct opts {
	uint64_t seed;
	unsigned int seconds;
	unsigned int workers;
	uint64_t ops;		/* per worker; 0: until time is up */
	bool dry_run;
	const char *module;
	bool keep_module;
	const char *user;
	unsigned int hang_seconds;
	bool selftest_report;
	bool verbose;
};

extern struct opts opt;
extern struct value_ctx vctx;

int64_t now_us(void);

/* ---- workers (worker.c, nodeops.c, ioctl.c, bufs.c) ---- */

/* a DMA buffer a slot's node allocated (UMDP_IOC_DMA_ALLOC) */
struct dma_rec {
	uint32_t id;
	uint64_t offset, size;
	bool freed;
};

struct wstate {
	unsigned int id;
	struct wshm *w;
	int fd[NSLOT];
	struct {
		void *addr;
		size_t len;
		uint64_t phys;	/* physical address of addr */
		bool dma;	/* a DMA buffer (the fuzzer's own RAM) */
		bool status;	/* the node's status page (read-only) */
	} map[NMAP];
	/* what each slot's grant holds (UMDP_IOC_INFO at open), to aim at */
	struct {
		unsigned int nports, nmem;
		uint32_t port[4][2];	/* start, len */
		uint64_t mem[4][2];	/* start, len */
		bool pci;		/* a "pci" grant (UMDP_IOC_PCI_INFO) */
		uint64_t dma_max;	/* its "dma" */
	} held[NSLOT];
	/* DMA buffers allocated through each slot (freed ones stay, for
	 * double frees), the oldest overwritten first */
	struct {
		unsigned int n, next;
		struct dma_rec b[NDMA];
	} dma[NSLOT];
	char note[48];		/* what an operation aimed at, for the ring */
	int epfd;
	int portfd;		/* /dev/port, for raising IRQs */
	uid_t uid;
	gid_t gid;
	bool in_child;
	uint64_t child_ops;
};

void worker_main(unsigned int id);
int exec_op(struct wstate *ws, const struct op *op);
int exec_node_op(struct wstate *ws, const struct op *op);
int pick_slot(const struct wstate *ws, unsigned int slot);
int pick_pci_slot(const struct wstate *ws, unsigned int slot, bool dma,
		  uint64_t pick);
void learn_grant(struct wstate *ws, int slot);
uint64_t aim_port(struct wstate *ws, int slot, uint64_t port, uint64_t size,
		  bool write, uint64_t pick);
int exec_ioctl(struct wstate *ws, const struct op *op);
bool map_touch_safe(const struct wstate *ws, unsigned int m, uint64_t t,
		    unsigned int width);
void dma_forget(struct wstate *ws, int slot);
/* a result of @what that the uapi does not document: count and log it */
int undocumented(struct wstate *ws, const char *what, int res);
void ring_log(struct wstate *ws, const struct op *op, uint64_t opno,
	      struct ring_ent **entp);
void ring_done(struct wstate *ws, struct ring_ent *ent, int res);
void run_child_ops(struct wstate *ws, uint64_t sub, unsigned int n);

void bufs_init(void);
/* a user pointer of @kind with room for @len bytes where it is good */
void *buf_pick(struct wstate *ws, unsigned int kind, size_t len, bool for_read,
	       uint64_t sub);
extern unsigned char *bigbuf;	/* per-process scratch, BIGBUF bytes */
#define BIGBUF		(256 * 1024)

/* touches run under sigsetjmp; the handler jumps back on SIGBUS/SIGSEGV */
int guarded_touch(volatile void *p, unsigned int width, bool write,
		  uint64_t val);
int guarded_copy(void *dst, const void *src, size_t n);
void fault_handlers_init(void);

/* ---- kernel log (kmsg.c) ---- */
struct kmsg;
struct kmsg *kmsg_open(void);
/*
 * Read what is there (waiting up to @timeout_ms for the first record).
 * Returns 1 when a report line was seen (kmsg_report_* then hold it).
 */
int kmsg_poll(struct kmsg *k, int timeout_ms);
void kmsg_collect(struct kmsg *k, int ms);
void kmsg_print_report(struct kmsg *k, FILE *f);
uint64_t kmsg_lost(const struct kmsg *k);
bool kmsg_is_report(const char *msg);
void kmsg_add_pattern(const char *pat);
bool kmsg_in_report(const struct kmsg *k);
void kmsg_reset(struct kmsg *k);
void kmsg_start_report(struct kmsg *k);

/* ---- the end (cleanup.c) ---- */
int cleanup_configfs(FILE *log);
int lower_irq_lines(FILE *log);
int module_load(const char *ko);
int module_unload(FILE *log);
bool kmemleak_available(void);
void kmemleak_clear(void);
int kmemleak_check(FILE *f);

#endif /* UMDP_FUZZ_H */
