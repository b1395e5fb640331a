/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Flowtable: a flowtable, the fast path that "flow add @name" offloads
 * connections to. */

#include <errno.h>

#include "core/basechain.h"
#include "context.h"
#include "nftables/node.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"

static int property_get_hook(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                             const char *property _unused_, sd_bus_message *reply, void *userdata,
                             sd_bus_error *error _unused_)
{
        Node *n = userdata;
        /* a flowtable hooks a device's ingress, numbered as in the netdev family */
        return sd_bus_message_append(reply, "s", strempty(hook_to_string(NFTBUS_FAMILY_NETDEV, n->info.hooknum)));
}

const sd_bus_vtable flowtable_vtable[] = {
        SD_BUS_VTABLE_START(0),
        NODE_PROPERTIES,
        SD_BUS_PROPERTY("Hook", "s", property_get_hook, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Priority", "i", NULL, offsetof(Node, info.priority), SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Devices", "as", node_property_get_devices, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD("Delete", NULL, NULL, node_method_delete, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};
