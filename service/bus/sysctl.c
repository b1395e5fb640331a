/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Sysctl on /org/nftbus/Firewall1/sysctl: Get, Set and List of the allow-listed
 * parameters, and the all-or-nothing writes presets use. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus/call.h"
#include "context.h"
#include "common/errors.h"
#include "log.h"
#include "common/objpath.h"
#include "bus/sysctl.h"
#include "spec/sysctlparam.h"
#include "common/util.h"

#define VALUE_MAX 256

static int read_file(const char *path, char **ret)
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

static int write_file(const char *path, const char *text)
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
static int set_io_error(sd_bus_error *error, int r, const char *name, const char *value)
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
static int resolve(const char *name, const SysctlParam **ret_param, char **ret_path, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL, *path = NULL;
        struct stat st;
        int r;

        r = sysctl_param_find(name, ret_param, &path, &why);
        if (r == -EINVAL)
                return call_invalid(error, why);
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

                r = resolve(w[i].name, &p, &pending[i].path, error);
                if (r < 0)
                        return r;
                if (sysctl_value_check(p, w[i].name, w[i].value, &pending[i].text, &why) < 0)
                        return call_invalid(error, why);
                if (read_old && (r = read_file(pending[i].path, &pending[i].old)) < 0)
                        return set_io_error(error, r, w[i].name, w[i].value);
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
                r = write_file(pending[done].path, pending[done].text);
                if (r < 0) {
                        r = set_io_error(error, r, w[done].name, pending[done].text);
                        break;
                }
                log_info("sysctl %s = %s (was %s)", w[done].name, pending[done].text, pending[done].old);
        }
        if (r < 0)
                for (size_t i = done; i-- > 0;)
                        if (write_file(pending[i].path, pending[i].old) < 0)
                                log_warning("Failed to put %s back to %s", w[i].name, pending[i].old);
        pending_free(pending, n);
        return r < 0 ? r : 0;
}

static int method_get(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *path = NULL, *value = NULL;
        Context *c = userdata;
        const SysctlParam *p;
        const char *name;
        int r;

        r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        r = resolve(name, &p, &path, error);
        if (r < 0)
                return r;
        r = polkit_check(c->polkit, m, (const char *const[]){ "parameter", name, NULL }, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = read_file(path, &value);
        if (r < 0)
                return set_io_error(error, r, name, NULL);
        return sd_bus_reply_method_return(m, "s", value);
}

static int method_set(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *name, *value;
        _cleanup_free_ char *object = NULL;
        int r;

        r = sd_bus_message_read(m, "ss", &name, &value);
        if (r < 0)
                return r;
        r = sysctl_check_all(&(SysctlWrite){ name, value }, 1, error);
        if (r < 0)
                return r;
        r = polkit_check(c->polkit, m, (const char *const[]){ "parameter", name, NULL }, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (asprintf(&object, "sysctl %s", name) < 0)
                return -ENOMEM;
        r = sysctl_write_all(&(SysctlWrite){ name, value }, 1, error);
        log_change(m, strempty(polkit_action_of(m)), object, r < 0 ? "refused by the kernel" : "done");
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, NULL);
}

static int compare_strings(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static void closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}

/* The interfaces of /proc/sys/net/<ipv4|ipv6>/conf, sorted, after all and default; NULL-terminated. */
static int conf_entries(const char *dir_path, char ***ret)
{
        _cleanup_(closedirp) DIR *dir = opendir(dir_path);
        _cleanup_strv_free_ char **names = calloc(3, sizeof(char *));
        size_t n = 2;
        struct dirent *e;

        if (!names || !(names[0] = strdup("all")) || !(names[1] = strdup("default")))
                return -ENOMEM;
        while (dir && (e = readdir(dir))) {
                char **grown;
                if (e->d_name[0] == '.' || streq(e->d_name, "all") || streq(e->d_name, "default"))
                        continue;
                grown = realloc(names, (n + 2) * sizeof(char *));
                if (!grown)
                        return -ENOMEM;
                names = grown;
                names[n + 1] = NULL;
                if (!(names[n] = strdup(e->d_name)))
                        return -ENOMEM;
                n++;
        }
        qsort(names + 2, n - 2, sizeof(char *), compare_strings);
        *ret = TAKE_PTR(names);
        return 0;
}

/* Appends (name, value); what this kernel lacks (a module not loaded, IPv6 off) and an interface whose
 * name nftbus would refuse are not listed. */
static int append_value(sd_bus_message *reply, const char *name)
{
        _cleanup_free_ char *path = NULL, *value = NULL;
        const SysctlParam *p;
        int r;

        if (sysctl_param_find(name, &p, &path, NULL) < 0)
                return 0;
        r = read_file(path, &value);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        return sd_bus_message_append(reply, "(ss)", name, value);
}

static int method_list(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_strv_free_ char **ipv4 = NULL, **ipv6 = NULL;
        Context *c = userdata;
        int r;

        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        /* the interfaces, once for all the per-interface parameters */
        r = conf_entries("/proc/sys/net/ipv4/conf", &ipv4);
        if (r >= 0)
                r = conf_entries("/proc/sys/net/ipv6/conf", &ipv6);
        if (r >= 0)
                r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ss)");
        for (size_t i = 0; r >= 0 && i < sysctl_params_count; i++) {
                const SysctlParam *p = &sysctl_params[i];
                char **ifnames = strstr(p->name, "ipv6") ? ipv6 : ipv4;

                if (!sysctl_param_per_interface(p)) {
                        r = append_value(reply, p->name);
                        continue;
                }
                for (size_t k = 0; r >= 0 && ifnames[k]; k++) {
                        _cleanup_free_ char *name = NULL;
                        r = sysctl_param_name_for(p, ifnames[k], &name);
                        if (r >= 0)
                                r = append_value(reply, name);
                }
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

const sd_bus_vtable sysctl_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("Get", SD_BUS_ARGS("s", name), SD_BUS_RESULT("s", value), method_get,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Set", SD_BUS_ARGS("s", name, "s", value), SD_BUS_NO_RESULT, method_set,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("List", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(ss)", parameters), method_list,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

int sysctl_register(Context *c)
{
        return sd_bus_add_object_vtable(c->bus, NULL, NFTBUS_SYSCTL_PATH, NFTBUS_SYSCTL_INTERFACE, sysctl_vtable, c);
}
