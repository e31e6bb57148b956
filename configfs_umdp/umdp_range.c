// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: strict parsing and canonical formatting of grant attributes.
 *
 * Every parser takes a raw configfs write (page, count) and either fills its
 * output completely and returns 0, or returns -EINVAL (-ENOMEM when out of
 * memory) and leaves its output untouched. A value may end in exactly one
 * newline. Rejected: an embedded NUL or newline, writes configfs may have
 * truncated (count >= PAGE_SIZE - 1), signs, blanks, empty list items,
 * numbers wider than 64 bits and anything after a number. Numbers are read by
 * kstrtou64() with base 0: "0x3f8" is hex, "1016" decimal (and "010" octal).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/irqnr.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#ifdef CONFIG_X86
#include <asm/processor.h>
#endif

#include "umdp_internal.h"

/* Copy the value of a write into a new NUL-terminated string. */
static int umdp_input(const char *page, size_t count, char **out)
{
	char *s;

	if (count >= PAGE_SIZE - 1)
		return -EINVAL;
	if (strnlen(page, count) != count)
		return -EINVAL;
	if (count && page[count - 1] == '\n')
		count--;
	if (memchr(page, '\n', count))
		return -EINVAL;
	s = kmemdup_nul(page, count, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	*out = s;
	return 0;
}

/* A whole string as one unsigned number; it must start with a digit. */
static int umdp_number(const char *s, u64 *val)
{
	if (!isdigit(*s))
		return -EINVAL;
	if (kstrtou64(s, 0, val))
		return -EINVAL;
	return 0;
}

/*
 * One list item: "a", "a-b" or "a+b". Sets *op to 0, '-' or '+' and *b to 0
 * for a single number. Modifies @tok.
 */
static int umdp_item(char *tok, u64 *a, u64 *b, char *op)
{
	char *sep = strpbrk(tok, "-+");

	*op = 0;
	*b = 0;
	if (sep) {
		*op = *sep;
		*sep = '\0';
		if (umdp_number(sep + 1, b))
			return -EINVAL;
	}
	return umdp_number(tok, a);
}

/* First item of a list for strsep(): NULL for an empty list. */
static char *umdp_list_start(char *str)
{
	return *str ? str : NULL;
}

static bool umdp_port_ranges_overlap(const struct umdp_port_range *a,
				     const struct umdp_port_range *b)
{
	return a->start <= b->end && b->start <= a->end;
}

static bool umdp_mem_ranges_overlap(const struct umdp_mem_range *a,
				    const struct umdp_mem_range *b)
{
	/* Both are validated: start + len cannot wrap. */
	return a->start < b->start + b->len && b->start < a->start + a->len;
}

/*
 * UMDP_RANGE_APPEND(name, list, range, overlap) - umdp_<name>_append():
 * add *r to @list unless it overlaps a range already there (-EINVAL).
 */
#define UMDP_RANGE_APPEND(_name, _list, _range, _overlap)		\
static int umdp_##_name##_append(_list *p, const _range *r)		\
{									\
	unsigned int i;							\
									\
	for (i = 0; i < p->nr; i++)					\
		if (_overlap(&p->r[i], r))				\
			return -EINVAL;					\
	p->r[p->nr++] = *r;						\
	return 0;							\
}

UMDP_RANGE_APPEND(port, struct umdp_ports, struct umdp_port_range,
		  umdp_port_ranges_overlap)
UMDP_RANGE_APPEND(mem, struct umdp_mems, struct umdp_mem_range,
		  umdp_mem_ranges_overlap)

/*
 * Parse a comma-separated list: @item is called on each item (the empty
 * list has none) with @ctx, and the first error stops the parse.
 */
static int umdp_parse_list(const char *page, size_t count,
			   int (*item)(char *tok, void *ctx), void *ctx)
{
	char *str, *cur, *tok;
	int ret;

	ret = umdp_input(page, count, &str);
	if (ret)
		return ret;
	cur = umdp_list_start(str);
	while (!ret && (tok = strsep(&cur, ",")) != NULL)
		ret = item(tok, ctx);
	kfree(str);
	return ret;
}

/*
 * UMDP_PARSE_LIST(name, type, item) - umdp_parse_<name>(): a list of items
 * parsed by @item into a zeroed @type, committed to *out only when every
 * item is valid.
 */
#define UMDP_PARSE_LIST(_name, _type, _item)				\
int umdp_parse_##_name(const char *page, size_t count, _type *out)	\
{									\
	_type tmp = {};							\
	int ret;							\
									\
	ret = umdp_parse_list(page, count, _item, &tmp);		\
	if (!ret)							\
		*out = tmp;						\
	return ret;							\
}

/* One ioports item: "a", "a-b" (inclusive) or "a+len", all <= 0xffff. */
static int umdp_port_item(char *tok, void *ctx)
{
	struct umdp_ports *p = ctx;
	struct umdp_port_range r;
	u64 a, b;
	char op;

	if (p->nr == UMDP_MAX_RANGES)
		return -EINVAL;
	if (umdp_item(tok, &a, &b, &op) || a > UMDP_PORT_MAX)
		return -EINVAL;
	r.start = a;
	if (!op)
		r.end = a;
	else if (op == '-' && b <= UMDP_PORT_MAX && b >= a)
		r.end = b;
	else if (op == '+' && b && b <= UMDP_PORT_MAX + 1 - a)
		r.end = a + b - 1;
	else
		return -EINVAL;
	return umdp_port_append(p, &r);
}

UMDP_PARSE_LIST(ports, struct umdp_ports, umdp_port_item)

/*
 * One irqs item: "n" or "a-b", every line < nr_irqs, no duplicates; or,
 * as the whole value, "intx" or "msi:N" (1 <= N <= UMDP_MAX_RANGES), the
 * interrupts of the grant's PCI function.
 */
static int umdp_irq_item(char *tok, void *ctx)
{
	struct umdp_irqs *p = ctx;
	unsigned int i;
	u64 a, b, v;
	char op;

	if (p->kind != UMDP_IRQ_LINES)
		return -EINVAL;
	if (!strcmp(tok, "intx") || !strncmp(tok, "msi:", 4)) {
		if (p->nr)
			return -EINVAL;
		if (tok[0] == 'i') {
			p->kind = UMDP_IRQ_INTX;
			return 0;
		}
		if (umdp_number(tok + 4, &v) || !v || v > UMDP_MAX_RANGES)
			return -EINVAL;
		p->kind = UMDP_IRQ_MSI;
		p->nr_vectors = v;
		return 0;
	}
	if (umdp_item(tok, &a, &b, &op) || op == '+')
		return -EINVAL;
	if (!op)
		b = a;
	if (b < a || b >= (u64)nr_irqs)
		return -EINVAL;
	if (b - a >= UMDP_MAX_RANGES - p->nr)
		return -EINVAL;
	for (v = a; v <= b; v++) {
		for (i = 0; i < p->nr; i++)
			if (p->irq[i] == v)
				return -EINVAL;
		p->irq[p->nr++] = v;
	}
	return 0;
}

UMDP_PARSE_LIST(irqs, struct umdp_irqs, umdp_irq_item)

/* Physical addresses must stay below this. */
static u64 umdp_phys_limit(void)
{
#ifdef CONFIG_X86
	if (boot_cpu_data.x86_phys_bits &&
	    boot_cpu_data.x86_phys_bits <= UMDP_PHYS_BITS_DEFAULT)
		return 1ULL << boot_cpu_data.x86_phys_bits;
#endif
	return 1ULL << UMDP_PHYS_BITS_DEFAULT;
}

/*
 * One mem item: "start+len" or "start-end" (inclusive), page aligned,
 * non-empty, below the physical address limit, not overlapping another;
 * or "wc", which marks the window before it write-combining.
 */
static int umdp_mem_item(char *tok, void *ctx)
{
	struct umdp_mems *p = ctx;
	u64 limit = umdp_phys_limit();
	struct umdp_mem_range r;
	u64 a, b;
	char op;

	if (!strcmp(tok, "wc")) {
		if (!p->nr || p->r[p->nr - 1].wc)
			return -EINVAL;
		p->r[p->nr - 1].wc = true;
		return 0;
	}
	if (p->nr == UMDP_MAX_RANGES)
		return -EINVAL;
	if (umdp_item(tok, &a, &b, &op) || !op)
		return -EINVAL;
	if (op == '-') {
		if (b < a || b == U64_MAX)
			return -EINVAL;
		b = b - a + 1;
	}
	if (!b || !IS_ALIGNED(a, PAGE_SIZE) || !IS_ALIGNED(b, PAGE_SIZE))
		return -EINVAL;
	if (b > limit || a > limit - b)
		return -EINVAL;
	r.start = a;
	r.len = b;
	r.wc = false;
	return umdp_mem_append(p, &r);
}

UMDP_PARSE_LIST(mem, struct umdp_mems, umdp_mem_item)

static bool umdp_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/*
 * owner, group: a decimal id, or a name matching [a-z_][a-z0-9_-]{0,31}
 * with an optional trailing '$'; empty clears.
 */
int umdp_parse_id(const char *page, size_t count, struct umdp_id *out)
{
	size_t n, i;
	char *s;
	u32 id;
	int ret;

	ret = umdp_input(page, count, &s);
	if (ret)
		return ret;
	ret = -EINVAL;
	n = strlen(s);
	if (n >= UMDP_ID_MAX)
		goto out;
	if (n && isdigit(s[0])) {
		if (kstrtou32(s, 10, &id) || id == U32_MAX)
			goto out;
	} else if (n) {
		if (s[n - 1] == '$')
			n--;
		if (!n || n > UMDP_ID_MAX - 2)
			goto out;
		if (s[0] != '_' && !(s[0] >= 'a' && s[0] <= 'z'))
			goto out;
		for (i = 1; i < n; i++)
			if (!umdp_id_char(s[i]))
				goto out;
	}
	strscpy(out->s, s, sizeof(out->s));
	ret = 0;
out:
	kfree(s);
	return ret;
}

/* mode: octal 0..0777; empty clears (UMDP_MODE_UNSET). */
int umdp_parse_mode(const char *page, size_t count, int *out)
{
	unsigned int mode;
	char *s;
	int ret;

	ret = umdp_input(page, count, &s);
	if (ret)
		return ret;
	ret = -EINVAL;
	if (!*s) {
		*out = UMDP_MODE_UNSET;
	} else {
		if (!isdigit(*s) || kstrtouint(s, 8, &mode) || mode > 0777)
			goto out;
		*out = mode;
	}
	ret = 0;
out:
	kfree(s);
	return ret;
}

/* exclusive, enable: exactly "0" or "1". */
int umdp_parse_01(const char *page, size_t count, bool *out)
{
	char *s;
	int ret;

	ret = umdp_input(page, count, &s);
	if (ret)
		return ret;
	ret = 0;
	if (!strcmp(s, "0"))
		*out = false;
	else if (!strcmp(s, "1"))
		*out = true;
	else
		ret = -EINVAL;
	kfree(s);
	return ret;
}

/*
 * path: absolute, shorter than UMDP_PATH_MAX; *out becomes a new string, or
 * NULL for an empty write (clears).
 */
int umdp_parse_path(const char *page, size_t count, char **out)
{
	char *s;
	int ret;

	ret = umdp_input(page, count, &s);
	if (ret)
		return ret;
	if (!*s) {
		kfree(s);
		*out = NULL;
		return 0;
	}
	if (s[0] != '/' || strlen(s) >= UMDP_PATH_MAX) {
		kfree(s);
		return -EINVAL;
	}
	*out = s;
	return 0;
}

/*
 * pci: "DDDD:BB:DD.F" (hex domain, bus and device, function 0-7), as
 * lspci -D and sysfs write it; empty clears.
 */
static bool umdp_pci_shape(const char *s)
{
	static const char shape[] = "xxxx:xx:xx.d";
	unsigned int i;

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (i = 0; shape[i]; i++) {
		if (shape[i] == 'x' ? !isxdigit(s[i]) :
		    shape[i] == 'd' ? !isdigit(s[i]) : s[i] != shape[i])
			return false;
	}
	return true;
}

int umdp_parse_pci(const char *page, size_t count, struct umdp_pci_addr *out)
{
	unsigned int dom, bus, dev, fn;
	int ret, n = 0;
	char *s;

	ret = umdp_input(page, count, &s);
	if (ret)
		return ret;
	ret = -EINVAL;
	if (!*s) {
		*out = (struct umdp_pci_addr){};
		ret = 0;
	} else if (umdp_pci_shape(s) &&
		   sscanf(s, "%4x:%2x:%2x.%1u%n", &dom, &bus, &dev, &fn,
			  &n) == 4 && n == 12 && dev < 32 && fn < 8) {
		out->set = true;
		out->domain = dom;
		out->bus = bus;
		out->devfn = PCI_DEVFN(dev, fn);
		ret = 0;
	}
	kfree(s);
	return ret;
}

/* "0000:00:04.0\n", or "\n" when unset */
int umdp_format_pci(const struct umdp_pci_addr *a, char *buf)
{
	if (!a->set)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%04x:%02x:%02x.%d\n", a->domain, a->bus,
			  PCI_SLOT(a->devfn), PCI_FUNC(a->devfn));
}

/*
 * dma: bytes of DMA buffers, a number with an optional K, M or G suffix
 * (powers of 1024), at most UMDP_DMA_MAX; 0 for none.
 */
int umdp_parse_dma(const char *page, size_t count, u64 *out)
{
	unsigned int shift = 0;
	size_t n;
	u64 v;
	char *s;
	int ret;

	ret = umdp_input(page, count, &s);
	if (ret)
		return ret;
	ret = -EINVAL;
	n = strlen(s);
	if (n && strchr("KMG", s[n - 1])) {
		shift = s[n - 1] == 'K' ? 10 : s[n - 1] == 'M' ? 20 : 30;
		s[--n] = '\0';
	}
	if (n && !umdp_number(s, &v) && v <= UMDP_DMA_MAX >> shift) {
		*out = v << shift;
		ret = 0;
	}
	kfree(s);
	return ret;
}

/* dma_bits: 12..64 */
int umdp_parse_dma_bits(const char *page, size_t count, unsigned int *out)
{
	u64 v;
	char *s;
	int ret;

	ret = umdp_input(page, count, &s);
	if (ret)
		return ret;
	ret = -EINVAL;
	if (!umdp_number(s, &v) && v >= 12 && v <= 64) {
		*out = v;
		ret = 0;
	}
	kfree(s);
	return ret;
}

/* "1048576\n" */
int umdp_format_dma(const u64 *dma, char *buf)
{
	return sysfs_emit(buf, "%llu\n", *dma);
}

/* "32\n" */
int umdp_format_uint(const unsigned int *val, char *buf)
{
	return sysfs_emit(buf, "%u\n", *val);
}

/* 1..UMDP_NAME_MAX - 1 characters of [A-Za-z0-9_.-], not "." or "..". */
bool umdp_valid_grant_name(const char *name)
{
	size_t n = strnlen(name, UMDP_NAME_MAX);
	size_t i;

	if (!n || n >= UMDP_NAME_MAX)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return false;
	}
	return true;
}

/* "0x60,0x1f0-0x1f7\n"; an empty list is "\n". */
int umdp_format_ports(const struct umdp_ports *p, char *buf)
{
	unsigned int i;
	int len = 0;

	for (i = 0; i < p->nr; i++) {
		const struct umdp_port_range *r = &p->r[i];

		len += sysfs_emit_at(buf, len, "%s0x%x", i ? "," : "",
				     r->start);
		if (r->end != r->start)
			len += sysfs_emit_at(buf, len, "-0x%x", r->end);
	}
	return len + sysfs_emit_at(buf, len, "\n");
}

/* "1,12\n", "intx\n" or "msi:2\n"; an empty list is "\n". */
int umdp_format_irqs(const struct umdp_irqs *p, char *buf)
{
	unsigned int i;
	int len = 0;

	if (p->kind == UMDP_IRQ_INTX)
		return sysfs_emit(buf, "intx\n");
	if (p->kind == UMDP_IRQ_MSI)
		return sysfs_emit(buf, "msi:%u\n", p->nr_vectors);

	for (i = 0; i < p->nr; i++)
		len += sysfs_emit_at(buf, len, "%s%u", i ? "," : "",
				     p->irq[i]);
	return len + sysfs_emit_at(buf, len, "\n");
}

/* "0xfd000000+0x1000000,wc,0xff000000+0x10000\n" */
int umdp_format_mem(const struct umdp_mems *p, char *buf)
{
	unsigned int i;
	int len = 0;

	for (i = 0; i < p->nr; i++) {
		const struct umdp_mem_range *r = &p->r[i];

		len += sysfs_emit_at(buf, len, "%s0x%llx+0x%llx%s",
				     i ? "," : "", r->start, r->len,
				     r->wc ? ",wc" : "");
	}
	return len + sysfs_emit_at(buf, len, "\n");
}

/* "umdp-demo\n", or "\n" when unset */
int umdp_format_id(const struct umdp_id *id, char *buf)
{
	return sysfs_emit(buf, "%s\n", id->s);
}

/* "0660\n", or "\n" when unset */
int umdp_format_mode(const int *mode, char *buf)
{
	if (*mode == UMDP_MODE_UNSET)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%04o\n", *mode);
}

/* "0\n" or "1\n" */
int umdp_format_01(const bool *val, char *buf)
{
	return sysfs_emit(buf, "%d\n", *val);
}
