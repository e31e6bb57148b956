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
#include <linux/slab.h>
#include <linux/string.h>
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

bool umdp_port_ranges_overlap(const struct umdp_port_range *a,
			      const struct umdp_port_range *b)
{
	return a->start <= b->end && b->start <= a->end;
}

bool umdp_mem_ranges_overlap(const struct umdp_mem_range *a,
			     const struct umdp_mem_range *b)
{
	/* Both are validated: start + len cannot wrap. */
	return a->start < b->start + b->len && b->start < a->start + a->len;
}

/*
 * ioports: "a", "a-b" (inclusive) or "a+len" items, comma separated; every
 * port <= 0xffff, no two items overlapping.
 */
int umdp_parse_ports(const char *page, size_t count, struct umdp_ports *out)
{
	struct umdp_ports tmp = {};
	struct umdp_port_range r;
	char *str, *cur, *tok;
	unsigned int i;
	u64 a, b;
	char op;
	int ret;

	ret = umdp_input(page, count, &str);
	if (ret)
		return ret;
	ret = -EINVAL;
	cur = umdp_list_start(str);
	while ((tok = strsep(&cur, ",")) != NULL) {
		if (tmp.nr == UMDP_MAX_RANGES)
			goto out;
		if (umdp_item(tok, &a, &b, &op) || a > UMDP_PORT_MAX)
			goto out;
		r.start = a;
		switch (op) {
		case 0:
			r.end = a;
			break;
		case '-':
			if (b > UMDP_PORT_MAX || b < a)
				goto out;
			r.end = b;
			break;
		default:
			if (!b || b > UMDP_PORT_MAX + 1 - a)
				goto out;
			r.end = a + b - 1;
			break;
		}
		for (i = 0; i < tmp.nr; i++)
			if (umdp_port_ranges_overlap(&tmp.r[i], &r))
				goto out;
		tmp.r[tmp.nr++] = r;
	}
	*out = tmp;
	ret = 0;
out:
	kfree(str);
	return ret;
}

/* irqs: "n" or "a-b" items, every line < nr_irqs, no duplicates. */
int umdp_parse_irqs(const char *page, size_t count, struct umdp_irqs *out)
{
	struct umdp_irqs tmp = {};
	char *str, *cur, *tok;
	unsigned int i;
	u64 a, b, v;
	char op;
	int ret;

	ret = umdp_input(page, count, &str);
	if (ret)
		return ret;
	ret = -EINVAL;
	cur = umdp_list_start(str);
	while ((tok = strsep(&cur, ",")) != NULL) {
		if (umdp_item(tok, &a, &b, &op) || op == '+')
			goto out;
		if (!op)
			b = a;
		if (b < a || b >= (u64)nr_irqs)
			goto out;
		if (b - a >= UMDP_MAX_RANGES - tmp.nr)
			goto out;
		for (v = a; v <= b; v++) {
			for (i = 0; i < tmp.nr; i++)
				if (tmp.irq[i] == v)
					goto out;
			tmp.irq[tmp.nr++] = v;
		}
	}
	*out = tmp;
	ret = 0;
out:
	kfree(str);
	return ret;
}

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
 * mem: "start+len" or "start-end" (inclusive) items, each optionally
 * followed by a "wc" item; page aligned, non-empty, below the physical
 * address limit, no two windows overlapping.
 */
int umdp_parse_mem(const char *page, size_t count, struct umdp_mems *out)
{
	u64 limit = umdp_phys_limit();
	struct umdp_mems tmp = {};
	struct umdp_mem_range r;
	char *str, *cur, *tok;
	unsigned int i;
	u64 a, b;
	char op;
	int ret;

	ret = umdp_input(page, count, &str);
	if (ret)
		return ret;
	ret = -EINVAL;
	cur = umdp_list_start(str);
	while ((tok = strsep(&cur, ",")) != NULL) {
		if (!strcmp(tok, "wc")) {
			if (!tmp.nr || tmp.r[tmp.nr - 1].wc)
				goto out;
			tmp.r[tmp.nr - 1].wc = true;
			continue;
		}
		if (tmp.nr == UMDP_MAX_RANGES)
			goto out;
		if (umdp_item(tok, &a, &b, &op) || !op)
			goto out;
		if (op == '-') {
			if (b < a || b == U64_MAX)
				goto out;
			b = b - a + 1;
		}
		if (!b || !IS_ALIGNED(a, PAGE_SIZE) || !IS_ALIGNED(b, PAGE_SIZE))
			goto out;
		if (b > limit || a > limit - b)
			goto out;
		r.start = a;
		r.len = b;
		r.wc = false;
		for (i = 0; i < tmp.nr; i++)
			if (umdp_mem_ranges_overlap(&tmp.r[i], &r))
				goto out;
		tmp.r[tmp.nr++] = r;
	}
	*out = tmp;
	ret = 0;
out:
	kfree(str);
	return ret;
}

static bool umdp_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/*
 * owner, group: a decimal id, or a name matching [a-z_][a-z0-9_-]{0,31}
 * with an optional trailing '$'; empty clears. @out has UMDP_ID_MAX bytes.
 */
int umdp_parse_id(const char *page, size_t count, char *out)
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
	strscpy(out, s, UMDP_ID_MAX);
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
 * path: absolute, shorter than PATH_MAX; *out becomes a new string, or NULL
 * for an empty write (clears).
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
	if (s[0] != '/' || strlen(s) >= PATH_MAX) {
		kfree(s);
		return -EINVAL;
	}
	*out = s;
	return 0;
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

/* "0x60,0x1f0-0x1f7\n"; an empty list is "\n". Returns the length. */
size_t umdp_format_ports(const struct umdp_ports *p, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < p->nr; i++) {
		const struct umdp_port_range *r = &p->r[i];

		len += scnprintf(buf + len, size - len, "%s0x%x",
				 i ? "," : "", r->start);
		if (r->end != r->start)
			len += scnprintf(buf + len, size - len, "-0x%x",
					 r->end);
	}
	len += scnprintf(buf + len, size - len, "\n");
	return len;
}

/* "1,12\n"; an empty list is "\n". Returns the length. */
size_t umdp_format_irqs(const struct umdp_irqs *p, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < p->nr; i++)
		len += scnprintf(buf + len, size - len, "%s%u",
				 i ? "," : "", p->irq[i]);
	len += scnprintf(buf + len, size - len, "\n");
	return len;
}

/* "0xfd000000+0x1000000,wc,0xff000000+0x10000\n". Returns the length. */
size_t umdp_format_mem(const struct umdp_mems *p, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < p->nr; i++) {
		const struct umdp_mem_range *r = &p->r[i];

		len += scnprintf(buf + len, size - len, "%s0x%llx+0x%llx%s",
				 i ? "," : "", r->start, r->len,
				 r->wc ? ",wc" : "");
	}
	len += scnprintf(buf + len, size - len, "\n");
	return len;
}

/* "0660\n", or "\n" when unset. Returns the length. */
size_t umdp_format_mode(int mode, char *buf, size_t size)
{
	if (mode == UMDP_MODE_UNSET)
		return scnprintf(buf, size, "\n");
	return scnprintf(buf, size, "%04o\n", mode);
}
