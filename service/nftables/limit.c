/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Limit: a named rate limit. */

#include <errno.h>
#include <linux/netfilter/nf_tables.h>

#include "context.h"
#include "nftables/node.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"

static int property_get_per(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                            const char *property _unused_, sd_bus_message *reply, void *userdata,
                            sd_bus_error *error _unused_)
{
        Node *n = userdata;
        return sd_bus_message_append(reply, "s", strempty(limit_per_to_string(n->info.unit)));
}

static int property_get_unit(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                             const char *property _unused_, sd_bus_message *reply, void *userdata,
                             sd_bus_error *error _unused_)
{
        Node *n = userdata;
        return sd_bus_message_append(reply, "s", n->info.limit_type == NFT_LIMIT_PKT_BYTES ? "bytes" : "packets");
}

const sd_bus_vtable limit_vtable[] = {
        SD_BUS_VTABLE_START(0),
        NODE_PROPERTIES,
        SD_BUS_PROPERTY("Rate", "t", NULL, offsetof(Node, info.rate), SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Per", "s", property_get_per, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Burst", "u", NULL, offsetof(Node, info.burst), SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Unit", "s", property_get_unit, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Over", "b", node_property_get_over, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Comment", "s", node_property_get_comment, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD("Delete", NULL, NULL, node_method_delete, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};
