/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Set: a named set. Everything it has is shared with maps (elements.c). */

#include "context.h"
#include "nftables/elements.h"

const sd_bus_vtable set_vtable[] = {
        SD_BUS_VTABLE_START(0),
        ELEMENTS_VTABLE,
        SD_BUS_VTABLE_END,
};
