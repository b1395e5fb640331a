/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, spec/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

#include <stddef.h>

/* The text of path when it is a regular file (not a link) of at most max bytes: a FIFO would block for
 * ever, a link to /dev/zero grow without end. -ENOENT when there is none; -EMEDIUMTYPE for something that
 * is not a regular file (a link included); -EFBIG when larger than max. */
int file_read_regular(const char *path, size_t max, char **ret);

/* Writes dir/name (dir made, 0700, when missing): a temp file, fsync, rename, fsync of the directory, so
 * that the file is the old one or the new one, whole. */
int file_write_atomic(const char *dir, const char *name, const char *content);
