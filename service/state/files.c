/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Files nftbusd owns: read only when regular and of a sane size, written atomically. */

#include <dirent.h>
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

/* the folder part of name ("zones" of "zones/home.zone"; "." for none) made when missing */
static int make_parent(int dfd, const char *name)
{
        const char *slash = strrchr(name, '/');
        _cleanup_free_ char *parent = NULL;

        if (!slash)
                return 0;
        parent = strndup(name, (size_t) (slash - name));
        if (!parent)
                return -ENOMEM;
        return mkdirat(dfd, parent, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

static int fsync_parent(int dfd, const char *name)
{
        const char *slash = strrchr(name, '/');
        _cleanup_free_ char *parent = slash ? strndup(name, (size_t) (slash - name)) : strdup(".");
        _cleanup_close_ int fd = -EBADF;

        if (!parent)
                return -ENOMEM;
        fd = openat(dfd, parent, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        return fsync(fd) < 0 ? -errno : 0;
}

/* dir/name.tmp (dfd: dir), written whole and synced; a temp file left by anyone goes first (a FIFO would block
 * the write) */
static int write_temp(int dfd, const char *name, const char *content, mode_t mode)
{
        _cleanup_free_ char *temp = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (asprintf(&temp, "%s.tmp", name) < 0)
                return -ENOMEM;
        r = make_parent(dfd, name);
        if (r < 0)
                return r;
        (void) unlinkat(dfd, temp, 0);
        fd = openat(dfd, temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0)
                return -errno;
        r = write_full(fd, content, strlen(content));
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (r < 0) /* a full disk leaves no half-written temp file behind */
                (void) unlinkat(dfd, temp, 0);
        return r;
}

/* temp file, fsync, rename, fsync of the directory: the file is the old one or the new one, whole */
int file_write_atomic(const char *dir, const char *name, const char *content)
{
        _cleanup_close_ int dfd = -EBADF;
        _cleanup_free_ char *temp = NULL;
        int r;

        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return -errno;
        dfd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        if (asprintf(&temp, "%s.tmp", name) < 0)
                return -ENOMEM;
        r = write_temp(dfd, name, content, 0600);
        /* for the test of a crash between the two steps: the previous file must survive it */
        if (r >= 0 && getenv("NFTBUS_TEST_KILL_BEFORE_RENAME"))
                (void) raise(SIGKILL);
        if (r >= 0 && renameat(dfd, temp, dfd, name) < 0) {
                r = -errno;
                (void) unlinkat(dfd, temp, 0);
        }
        if (r < 0)
                return r;
        return fsync(dfd) < 0 ? -errno : 0;
}

/* ---- several files, all or none ---- */

#define COMMIT_JOURNAL ".commit"

/* The journal's steps: "+NAME" (NAME.tmp renamed to NAME), "-NAME" (NAME removed), one a line. Each step can
 * be done again: a crash half way through is finished by the next files_recover(). */
static int journal_play(int dfd, const char *journal)
{
        _cleanup_free_ char *copy = strdup(journal);
        char *save = NULL, *line;
        unsigned done = 0;
        int r = 0;

        if (!copy)
                return -ENOMEM;
        for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                const char *name = line + 1;
                if (line[0] == '+') {
                        _cleanup_free_ char *temp = NULL;
                        if (asprintf(&temp, "%s.tmp", name) < 0)
                                return -ENOMEM;
                        /* renamed before a crash already: nothing left under the temp name */
                        if (renameat(dfd, temp, dfd, name) < 0 && errno != ENOENT && r >= 0)
                                r = -errno;
                } else if (line[0] == '-' && unlinkat(dfd, name, 0) < 0 && errno != ENOENT && r >= 0)
                        r = -errno;
                /* for the test of a crash between two steps: the next start finishes the commit */
                if (++done == 1 && getenv("NFTBUS_TEST_KILL_IN_COMMIT"))
                        (void) raise(SIGKILL);
        }
        for (line = strtok_r(strcpy(copy, journal), "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                int k = fsync_parent(dfd, line + 1);
                if (k < 0 && r >= 0)
                        r = k;
        }
        return r;
}

int files_commit(const char *dir, const FileChange *changes, size_t n)
{
        _cleanup_close_ int dfd = -EBADF;
        _cleanup_free_ char *journal = NULL;
        size_t size = 0;
        FILE *f;
        int r = 0;

        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return -errno;
        dfd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        f = open_memstream(&journal, &size);
        if (!f)
                return -ENOMEM;
        /* the new files, whole, under their temp names */
        for (size_t i = 0; i < n; i++) {
                if (r >= 0 && changes[i].content)
                        r = write_temp(dfd, changes[i].name, changes[i].content, 0644);
                fprintf(f, "%c%s\n", changes[i].content ? '+' : '-', changes[i].name);
        }
        if (fclose(f) != 0 && r >= 0)
                r = -ENOMEM;
        /* the journal is the commit: before it, none of the changes is; after it, all are */
        if (r >= 0)
                r = file_write_atomic(dir, COMMIT_JOURNAL, journal);
        if (r < 0) {
                for (size_t i = 0; i < n; i++) {
                        _cleanup_free_ char *temp = NULL;
                        if (changes[i].content && asprintf(&temp, "%s.tmp", changes[i].name) >= 0)
                                (void) unlinkat(dfd, temp, 0);
                }
                return r;
        }
        r = journal_play(dfd, journal);
        if (r < 0)
                return r; /* the journal stays: the next files_recover() finishes it */
        if (unlinkat(dfd, COMMIT_JOURNAL, 0) < 0)
                return -errno;
        return fsync(dfd) < 0 ? -errno : 0;
}

/* the temp files of dir/sub that no journal names: a commit that never reached its journal */
static void remove_temps(int dfd, const char *sub)
{
        _cleanup_close_ int fd = openat(dfd, sub, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        struct dirent **entries = NULL;
        int n;

        if (fd < 0)
                return;
        n = scandirat(fd, ".", &entries, NULL, NULL);
        for (int i = 0; i < n; i++) {
                const char *name = entries[i]->d_name;
                size_t len = strlen(name);
                if (len > 4 && streq(name + len - 4, ".tmp") && entries[i]->d_type != DT_DIR)
                        (void) unlinkat(fd, name, 0);
                free(entries[i]);
        }
        free(entries);
}

int files_recover(const char *dir, const char *const *subdirs)
{
        _cleanup_close_ int dfd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        _cleanup_free_ char *path = NULL, *journal = NULL;
        int r;

        if (dfd < 0)
                return errno == ENOENT ? 0 : -errno;
        if (asprintf(&path, "%s/" COMMIT_JOURNAL, dir) < 0)
                return -ENOMEM;
        r = file_read_regular(path, SIZE_MAX / 2, &journal);
        if (r >= 0) {
                r = journal_play(dfd, journal);
                if (r < 0)
                        return r;
                if (unlinkat(dfd, COMMIT_JOURNAL, 0) < 0)
                        return -errno;
        } else if (r != -ENOENT)
                return r;
        remove_temps(dfd, ".");
        for (size_t i = 0; subdirs && subdirs[i]; i++)
                remove_temps(dfd, subdirs[i]);
        return 1;
}
