/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Quota: a named quota. Its use is read from the kernel when asked. */

#include <errno.h>

#include "context.h"
#include "nftables/node.h"
#include "common/objpath.h"
#include "common/util.h"

static int property_get_used(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                             const char *property _unused_, sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        Node *n = userdata;
        int r = node_read_live(n, error);

        if (r < 0)
                return r;
        return sd_bus_message_append(reply, "t", n->live.consumed);
}

const sd_bus_vtable quota_vtable[] = {
        SD_BUS_VTABLE_START(0),
        NODE_PROPERTIES,
        SD_BUS_PROPERTY("Bytes", "t", NULL, offsetof(Node, info.bytes), SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Used", "t", property_get_used, 0, 0),
        SD_BUS_PROPERTY("Over", "b", node_property_get_over, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Comment", "s", node_property_get_comment, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD("Delete", NULL, NULL, node_method_delete, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};
