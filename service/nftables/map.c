/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Map: a named map, a set whose elements carry a value; a verdict map's value is a
 * verdict. Elements are written "KEY : VALUE". */

#include "context.h"
#include "nftables/elements.h"

static int property_get_value_type(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                                   const char *property _unused_, sd_bus_message *reply, void *userdata,
                                   sd_bus_error *error _unused_)
{
        Node *n = userdata;
        return elements_append_type(reply, n->info.set.data_type);
}

const sd_bus_vtable map_vtable[] = {
        SD_BUS_VTABLE_START(0),
        ELEMENTS_VTABLE,
        SD_BUS_PROPERTY("ValueType", "s", property_get_value_type, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_VTABLE_END,
};
