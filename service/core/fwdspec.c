/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "core/fwdspec.h"
#include "core/richrule.h"

int fwd_value_join(ZoneListKind k, const char *const *args, char **ret)
{
        int r;

        /* each argument one field: none may bring fields of its own ("22:toaddr=10.0.0.1" as a port) */
        for (unsigned i = 0; k == ZONE_LIST_FORWARD_PORT && i < 4; i++)
                if (strchr(args[i], '=') || (i < 3 && strchr(args[i], ':')))
                        return -EINVAL;
        if (zone_list_ports(k) && (strchr(args[0], '/') || strchr(args[1], '/')))
                return -EINVAL;
        if (zone_list_ports(k))
                r = asprintf(ret, "%s/%s", args[0], args[1]);
        else if (k == ZONE_LIST_FORWARD_PORT)
                r = asprintf(ret, "port=%s:proto=%s%s%s%s%s", args[0], args[1], !*args[2] ? "" : ":toport=", args[2],
                             !*args[3] ? "" : ":toaddr=", args[3]);
        else
                r = (*ret = strdup(args[0])) ? 0 : -1;
        return r < 0 ? -ENOMEM : 0;
}

static int part(char *out, const char *from, size_t n)
{
        if (n >= FWD_PART_MAX)
                return -EINVAL;
        memcpy(out, from, n);
        out[n] = '\0';
        return 0;
}

/* the value of "key=" at *p up to ':' (or to the end, for the last key), moving *p past it */
static int field(const char **p, const char *key, bool last, char *out)
{
        size_t len = strlen(key);
        const char *end;

        if (!startswith(*p, key) || (*p)[len] != '=')
                return -EINVAL;
        *p += len + 1;
        end = last ? *p + strlen(*p) : strchrnul(*p, ':');
        if (part(out, *p, (size_t) (end - *p)) < 0)
                return -EINVAL;
        *p = *end ? end + 1 : end;
        return 0;
}

int fwd_value_split(ZoneListKind k, const char *canonical, char parts[FWD_ARGS_MAX][FWD_PART_MAX])
{
        const char *p = canonical, *slash;

        for (unsigned i = 0; i < FWD_ARGS_MAX; i++)
                parts[i][0] = '\0';
        if (zone_list_ports(k)) {
                slash = strchr(canonical, '/');
                if (!slash || part(parts[0], canonical, (size_t) (slash - canonical)) < 0)
                        return -EINVAL;
                return part(parts[1], slash + 1, strlen(slash + 1));
        }
        if (k != ZONE_LIST_FORWARD_PORT)
                return part(parts[0], canonical, strlen(canonical));
        if (field(&p, "port", false, parts[0]) < 0 || field(&p, "proto", false, parts[1]) < 0)
                return -EINVAL;
        if (startswith(p, "toport=") && field(&p, "toport", false, parts[2]) < 0)
                return -EINVAL;
        if (startswith(p, "toaddr=") && field(&p, "toaddr", true, parts[3]) < 0)
                return -EINVAL;
        return *p ? -EINVAL : 0;
}

int fwd_value_shown(ZoneListKind k, const char *const *args, char **ret)
{
        int r;

        if (zone_list_ports(k))
                r = asprintf(ret, "%s:%s", args[0], args[1]);
        else if (k == ZONE_LIST_FORWARD_PORT)
                r = asprintf(ret, "%s:%s:%s:%s", args[0], args[1], args[2], args[3]);
        else if (k == ZONE_LIST_RICH_RULE) { /* as firewalld shows it: its canonical text */
                _cleanup_free_ char *why = NULL;
                const char *code;
                r = rich_rule_canonical(args[0], ret, &code, &why);
                if (r < 0 && r != -ENOMEM)
                        r = (*ret = strdup(args[0])) ? 0 : -1;
        } else
                r = (*ret = strdup(args[0])) ? 0 : -1;
        return r < 0 ? -ENOMEM : 0;
}

const char *fwd_target_to_string(ZoneTarget t)
{
        return zone_target_name(t, true);
}

int fwd_target_from_string(const char *s)
{
        /* "{chain}_{zone}": firewalld's own placeholder for default, as its clients' new settings carry it */
        return streq(s, "{chain}_{zone}") ? (int) ZONE_TARGET_DEFAULT : zone_target_of_name(s, true);
}
