/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Counter: a named counter. Its values move with every packet, so they are read from
 * the kernel when asked, and never signalled. */

#include <errno.h>

#include "context.h"
#include "nftables/node.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"

/* Packets, Bytes: one netlink request each, without libnftables. */
static int property_get_value(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                              const char *property, sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        Node *n = userdata;
        int r = node_read_live(n, error);

        if (r < 0)
                return r;
        return sd_bus_message_append(reply, "t", streq(property, "Packets") ? n->live.packets : n->live.bytes);
}

/* libnftables lists the counter as it was before the reset. */
static int reply_reset(Context *c _unused_, sd_bus_message *m, const ExecReply *reply, const char *object _unused_)
{
        _cleanup_(json_decrefp) json_t *root = json_loads(reply->output, 0, NULL);
        json_t *item;
        size_t i;

        json_array_foreach (json_object_get(root, "nftables"), i, item) {
                json_t *counter = json_object_get(item, "counter");
                if (counter)
                        return sd_bus_reply_method_return(
                                m, "tt", (uint64_t) json_integer_value(json_object_get(counter, "packets")),
                                (uint64_t) json_integer_value(json_object_get(counter, "bytes")));
        }
        return -EBADMSG;
}

static int method_reset(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int r = node_authorize(m, userdata, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return node_command(m, userdata, "reset", EXEC_FRESH, reply_reset, error);
}

const sd_bus_vtable counter_vtable[] = {
        SD_BUS_VTABLE_START(0),
        NODE_PROPERTIES,
        SD_BUS_PROPERTY("Packets", "t", property_get_value, 0, 0),
        SD_BUS_PROPERTY("Bytes", "t", property_get_value, 0, 0),
        SD_BUS_PROPERTY("Comment", "s", node_property_get_comment, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD_WITH_ARGS("Reset", SD_BUS_NO_ARGS, SD_BUS_RESULT("t", packets, "t", bytes), method_reset,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("Delete", NULL, NULL, node_method_delete, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};
