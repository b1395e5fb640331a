/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The allow-listed sysctls under /proc/sys (the network namespace's own): read, and written all or
 * nothing. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/util.h"
#include "log.h"
#include "core/sysctlparam.h"
#include "state/procsys.h"

#define VALUE_MAX 256

int procsys_read(const char *path, char **ret)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        char buf[VALUE_MAX];
        ssize_t n;

        if (fd < 0)
                return -errno;
        n = read(fd, buf, sizeof(buf) - 1);
        if (n < 0)
                return -errno;
        buf[n] = '\0';
        return sysctl_value_from_kernel(buf, ret);
}

static int procsys_write(const char *path, const char *text)
{
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        size_t n = strlen(text);

        if (fd < 0)
                return -errno;
        /* the kernel takes a sysctl in one write */
        if (write(fd, text, n) != (ssize_t) n)
                return -errno;
        return 0;
}

/* A parameter the running kernel lacks, an interface that is not there, or one that is read-only here:
 * a sentence, not a crash. */
int sysctl_io_error(sd_bus_error *error, int r, const char *name, const char *value)
{
        switch (r) {
        case -ENOENT:
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "The running kernel has no %s", name);
        case -EACCES:
        case -EPERM:
        case -EROFS:
                return sd_bus_error_setf(error, NFTBUS_ERROR_REJECTED,
                                         "%s is read-only here: the kernel lets only the initial network "
                                         "namespace change it",
                                         name);
        case -EINVAL:
        case -ERANGE:
                return sd_bus_error_setf(error, NFTBUS_ERROR_REJECTED, "The kernel refused %s for %s", value, name);
        default:
                return sd_bus_error_set_errnof(error, r, "Failed to access %s: %s", name, strerror(-r));
        }
}

/* The parameter's file, after checking the name; for conf.<ifname>.*, that the interface exists. */
int sysctl_resolve(const char *name, const SysctlParam **ret_param, char **ret_path, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL, *path = NULL;
        struct stat st;
        int r;

        r = sysctl_param_find(name, ret_param, &path, &why);
        if (r == -EINVAL)
                return sd_bus_error_set(error, NFTBUS_ERROR_INVALID_ARGUMENT, why ? why : "Invalid argument");
        if (r < 0)
                return r;
        if (sysctl_param_per_interface(*ret_param)) {
                _cleanup_free_ char *dir = strndup(path, (size_t) (strrchr(path, '/') - path));
                if (!dir)
                        return -ENOMEM;
                if (stat(dir, &st) < 0)
                        return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No interface %s here (%s)",
                                                 strrchr(dir, '/') + 1, name);
        }
        *ret_path = TAKE_PTR(path);
        return 0;
}

typedef struct Pending {
        char *path;
        char *text; /* normalised, to write */
        char *old;  /* to put back */
} Pending;

static void pending_free(Pending *p, size_t n)
{
        for (size_t i = 0; p && i < n; i++) {
                free(p[i].path);
                free(p[i].text);
                free(p[i].old);
        }
        free(p);
}

/* Resolves and checks every write into pending; with read_old, also reads the values a refusal puts
 * back. */
static int pending_prepare(const SysctlWrite *w, size_t n, Pending *pending, bool read_old, sd_bus_error *error)
{
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *why = NULL;
                const SysctlParam *p;
                int r;

                r = sysctl_resolve(w[i].name, &p, &pending[i].path, error);
                if (r < 0)
                        return r;
                if (sysctl_value_check(p, w[i].name, w[i].value, &pending[i].text, &why) < 0)
                        return sd_bus_error_set(error, NFTBUS_ERROR_INVALID_ARGUMENT, why ? why : "Invalid argument");
                if (read_old && (r = procsys_read(pending[i].path, &pending[i].old)) < 0)
                        return sysctl_io_error(error, r, w[i].name, w[i].value);
        }
        return 0;
}

int sysctl_check_all(const SysctlWrite *w, size_t n, sd_bus_error *error)
{
        Pending *pending = calloc(n + 1, sizeof(Pending));
        int r;

        if (!pending)
                return -ENOMEM;
        r = pending_prepare(w, n, pending, false, error);
        pending_free(pending, n);
        return r;
}

int sysctl_write_all(const SysctlWrite *w, size_t n, sd_bus_error *error)
{
        Pending *pending = calloc(n + 1, sizeof(Pending));
        size_t done = 0;
        int r;

        if (!pending)
                return -ENOMEM;
        /* every check and every old value first: nothing is written unless all can be, and a refusal
         * by the kernel puts back what was written before it */
        r = pending_prepare(w, n, pending, true, error);
        for (; r >= 0 && done < n; done++) {
                r = procsys_write(pending[done].path, pending[done].text);
                if (r < 0) {
                        r = sysctl_io_error(error, r, w[done].name, pending[done].text);
                        break;
                }
                log_info("sysctl %s = %s (was %s)", w[done].name, pending[done].text, pending[done].old);
        }
        if (r < 0)
                for (size_t i = done; i-- > 0;)
                        if (procsys_write(pending[i].path, pending[i].old) < 0)
                                log_warning("Failed to put %s back to %s", w[i].name, pending[i].old);
        pending_free(pending, n);
        return r < 0 ? r : 0;
}
