// SPDX-License-Identifier: LGPL-2.1-or-later
/* libumdp: one sentence on why a grant could not be opened. */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "umdp-internal.h"

#define UMDP_CONFIGFS "/sys/kernel/config/umdp"
#define UMDP_SYSFS "/sys/class/umdp"

/* The first line of a small file, without its newline; "" when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* Is there a grant directory @name under any exe group in configfs? */
static int grant_configured(const char *name, char *exe, size_t len)
{
	char path[512];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(UMDP_CONFIGFS);
	int found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), UMDP_CONFIGFS "/%s/%s", de->d_name,
			 name);
		if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
			snprintf(exe, len, "%s", de->d_name);
			found = 1;
		}
	}
	closedir(d);
	return found;
}

/*
 * Why the grant's last enable failed, from its configfs "last_error", with
 * the holder of a busy port range or IRQ line named where this process can
 * read it ("irq 8: already in use by a kernel driver (held by rtc0)").
 * "" when the grant's last enable did not fail.
 */
static void last_error(const char *exe, const char *name, char *buf,
		       size_t len)
{
	char path[512], holder[128];
	unsigned int first, last;
	size_t n;
	char *see;
	int off = 0;

	snprintf(path, sizeof(path), UMDP_CONFIGFS "/%s/%s/last_error", exe,
		 name);
	read_line(path, buf, len);
	if (sscanf(buf, "ports 0x%x-0x%x: busy%n", &first, &last, &off) == 2 &&
	    off) {
		if (umdp_port_holder(first, last, holder, sizeof(holder)))
			return;
	} else if (sscanf(buf, "irq %u: already in use%n", &first, &off) == 1 &&
		   off) {
		if (umdp_irq_holder(first, holder, sizeof(holder)))
			return;
	} else {
		return;
	}
	/* the holder replaces the kernel's pointer to procfs */
	see = strstr(buf, " (see /proc/");
	if (see)
		*see = '\0';
	n = strlen(buf);
	snprintf(buf + n, len - n, " (held by %s)", holder);
}

/*
 * The first of the enabled grant's IRQ lines (sysfs "irqs") that has a
 * handler now, with the handler's name; 0 when none has.
 */
static int irq_taken(const char *name, unsigned int *irq, char *who,
		     size_t len)
{
	char path[sizeof(UMDP_SYSFS) + UMDP_NAME_MAX + 16], irqs[256];
	char *p = irqs, *end;
	unsigned long n;

	snprintf(path, sizeof(path), UMDP_SYSFS "/%s/irqs", name);
	read_line(path, irqs, sizeof(irqs));
	while (*p) {
		n = strtoul(p, &end, 10);
		if (end == p)
			return 0;
		if (!umdp_irq_holder((unsigned int)n, who, len)) {
			*irq = (unsigned int)n;
			return 1;
		}
		p = end + (*end == ',');
	}
	return 0;
}

static void user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned int)uid);
}

UMDP_EXPORT int umdp_explain_open(const char *name, int err, char *buf,
				  size_t len)
{
	char node[sizeof(UMDP_DEV_DIR) + UMDP_NAME_MAX + 1];
	char attr[sizeof(UMDP_SYSFS) + UMDP_NAME_MAX + 16];
	char value[256], self[256], why[256], real[PATH_MAX], who[64];
	char owner[64];
	struct stat st;
	unsigned int irq;
	ssize_t n;

	if (!buf || !len)
		return -EINVAL;
	if (!umdp_valid_name(name))
		return snprintf(buf, len, "'%s' is not a valid grant name",
				name ? name : "(null)");
	snprintf(node, sizeof(node), UMDP_DEV_DIR "/%s", name);
	switch (-err) {
	case ENOENT:
	case ENODEV:
		if (access(UMDP_CONFIGFS, F_OK))
			return snprintf(buf, len,
					"umdp is not loaded (there is no "
					UMDP_CONFIGFS ")");
		if (!grant_configured(name, value, sizeof(value)))
			return snprintf(buf, len,
					"there is no grant '%s' (see " UMDP_CONFIGFS ")",
					name);
		last_error(value, name, why, sizeof(why));
		if (why[0])
			return snprintf(buf, len, "grant '%s' is not enabled: %s",
					name, why);
		return snprintf(buf, len,
				"grant '%s' is not enabled (echo 1 > "
				UMDP_CONFIGFS "/%s/%s/enable)",
				name, value, name);
	case EACCES:
		if (!stat(node, &st) && access(node, R_OK | W_OK)) {
			user_name(st.st_uid, owner, sizeof(owner));
			user_name(geteuid(), who, sizeof(who));
			return snprintf(buf, len,
					"%s belongs to %s (mode %04o) and you are %s",
					node, owner,
					(unsigned int)(st.st_mode & 07777), who);
		}
		snprintf(attr, sizeof(attr), UMDP_SYSFS "/%s/path", name);
		read_line(attr, value, sizeof(value));
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		self[n > 0 ? n : 0] = '\0';
		if (value[0] && self[0] && realpath(value, real) &&
		    !strcmp(real, self))
			return snprintf(buf, len,
					"grant '%s' refused this process: its program %s was replaced since the grant was enabled, or the process runs in another namespace or root than the administrator's",
					name, value);
		return snprintf(buf, len,
				"grant '%s' is for the program %s, not for %s",
				name, value[0] ? value : "(unknown)",
				self[0] ? self : "this one");
	case EBUSY:
		snprintf(attr, sizeof(attr), UMDP_SYSFS "/%s/opened_by", name);
		read_line(attr, value, sizeof(value));
		/* nobody has it open: a kernel driver took one of its IRQ
		 * lines after the enable checked it (they are requested at
		 * open) */
		if (!strcmp(value, "-") && irq_taken(name, &irq, who, sizeof(who)))
			return snprintf(buf, len,
					"grant '%s' cannot request irq %u at open: already in use by a kernel driver (held by %s)",
					name, irq, who);
		return snprintf(buf, len,
				"grant '%s' is already open (process %s)", name,
				value[0] ? value : "unknown");
	default:
		return snprintf(buf, len, "cannot open %s: %s", node,
				umdp_strerror(err));
	}
}
