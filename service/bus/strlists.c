/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/strlists.h"
#include "common/util.h"
#include "core/ipsetspec.h"

int bus_append_strlist(sd_bus_message *reply, const StrList *l)
{
        int r = sd_bus_message_open_container(reply, 'a', "s");

        for (size_t i = 0; r >= 0 && i < l->n; i++)
                r = sd_bus_message_append_basic(reply, 's', l->items[i]);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

int bus_read_strlist(sd_bus_message *m, StrList *l)
{
        const char *s;
        int r = sd_bus_message_enter_container(m, 'a', "s");

        while (r >= 0 && (r = sd_bus_message_read_basic(m, 's', &s)) > 0)
                r = strlist_add(l, s) < 0 ? -ENOMEM : 1;
        return r < 0 ? r : sd_bus_message_exit_container(m);
}

int bus_append_pairs(sd_bus_message *reply, const StrList *pairs)
{
        int r = sd_bus_message_open_container(reply, 'a', "{ss}");

        for (size_t i = 0; r >= 0 && i < pairs->n; i++) {
                _cleanup_free_ char *key = strdup(pairs->items[i]);
                char *eq = key ? strchr(key, '=') : NULL;
                if (!eq)
                        return key ? -EINVAL : -ENOMEM;
                *eq = '\0';
                r = sd_bus_message_append(reply, "{ss}", key, eq + 1);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

int bus_read_pairs(sd_bus_message *m, StrList *pairs)
{
        const char *key, *value;
        int r = sd_bus_message_enter_container(m, 'a', "{ss}");

        while (r >= 0 && (r = sd_bus_message_read(m, "{ss}", &key, &value)) > 0)
                r = ipset_options_put(pairs, key, value) < 0 ? -ENOMEM : 1;
        return r < 0 ? r : sd_bus_message_exit_container(m);
}
