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
 * umdp_info() - what the grant holds
 * @dev: the handle
 * @info: filled with the grant's name, port ranges, IRQs and memory windows
 *
 * Return: 0 or a negative errno value.
 */
int umdp_info(struct umdp_dev *dev, struct umdp_grant_info *info);

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
