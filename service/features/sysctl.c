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
#include "state/procsys.h"
#include "core/sysctlparam.h"
#include "common/util.h"

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
        r = sysctl_resolve(name, &p, &path, error);
        if (r < 0)
                return r;
        r = polkit_check(c->polkit, m, (const char *const[]){ "parameter", name, NULL }, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = procsys_read(path, &value);
        if (r < 0)
                return sysctl_io_error(error, r, name, NULL);
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
        r = procsys_read(path, &value);
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
