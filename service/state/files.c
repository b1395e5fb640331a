/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Files nftbusd owns: read only when regular and of a sane size, written atomically. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/files.h"
#include "common/util.h"

int file_read_regular(const char *path, size_t max, char **ret)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *text = NULL;
        struct stat st;
        int r;

        if (fd < 0)
                return errno == ELOOP ? -EMEDIUMTYPE : -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EMEDIUMTYPE;
        if ((uint64_t) st.st_size > max)
                return -EFBIG;
        f = fdopen(fd, "r");
        if (!f)
                return -errno;
        TAKE_FD(fd);
        r = read_text_stream(f, &text);
        if (r < 0)
                return r;
        if (strlen(text) > max)
                return -EFBIG;
        *ret = TAKE_PTR(text);
        return 0;
}

/* temp file, fsync, rename, fsync of the directory: the file is the old one or the new one, whole */
int file_write_atomic(const char *dir, const char *name, const char *content)
{
        _cleanup_close_ int dfd = -EBADF, fd = -EBADF;
        _cleanup_free_ char *temp = NULL;
        int r;

        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return -errno;
        dfd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        if (asprintf(&temp, "%s.tmp", name) < 0)
                return -ENOMEM;
        /* a new file: whatever was left under the temp name (a FIFO would block the write) goes first */
        (void) unlinkat(dfd, temp, 0);
        fd = openat(dfd, temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return -errno;
        r = write_full(fd, content, strlen(content));
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        /* for the test of a crash between the two steps: the previous file must survive it */
        if (r >= 0 && getenv("NFTBUS_TEST_KILL_BEFORE_RENAME"))
                (void) raise(SIGKILL);
        if (r >= 0 && renameat(dfd, temp, dfd, name) < 0)
                r = -errno;
        if (r < 0) {
                /* a full disk leaves no half-written temp file behind */
                (void) unlinkat(dfd, temp, 0);
                return r;
        }
        return fsync(dfd) < 0 ? -errno : 0;
}
