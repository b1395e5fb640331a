/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

#include <stddef.h>

/* The text of path when it is a regular file (not a link) of at most max bytes: a FIFO would block for
 * ever, a link to /dev/zero grow without end. -ENOENT when there is none; -EMEDIUMTYPE for something that
 * is not a regular file (a link included); -EFBIG when larger than max. */
int file_read_regular(const char *path, size_t max, char **ret);

/* Writes dir/name (dir made, 0700, when missing): a temp file, fsync, rename, fsync of the directory, so
 * that the file is the old one or the new one, whole. */
int file_write_atomic(const char *dir, const char *name, const char *content);

/* One file of a commit: name relative to the commit's folder (one level of sub-folder allowed:
 * "zones/home.zone"), content NULL for a file removed. */
typedef struct FileChange {
        const char *name;
        const char *content;
} FileChange;

/* Writes and removes the files of changes, all or none, even across a crash: each new file is written whole
 * under a temp name, then a journal naming every step is written atomically (the commit), then the steps
 * are taken and the journal removed. A crash before the journal leaves only temp files, which
 * files_recover() removes; a crash after it is finished by files_recover(). */
int files_commit(const char *dir, const FileChange *changes, size_t n);

/* Before dir's files are read: finishes a commit a crash interrupted, and removes the temp files of one that
 * never reached its journal (in dir and in each of subdirs, NULL-terminated). 1 when dir exists, 0 if not. */
int files_recover(const char *dir, const char *const *subdirs);
