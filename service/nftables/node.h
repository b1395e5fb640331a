/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* What the objects inside a table (chains, counters, quotas, limits, flowtables) share on the bus: their
 * common properties, their devices and comment, and Delete. */

#include <stddef.h>
#include <systemd/sd-bus.h>

#include "bus/call.h"
#include "context.h"
#include "core/mirror.h"

/* The daemon's Context, which the mirror keeps for the bus glue as its owner. */
static inline Context *table_context(const Table *t)
{
        return t->mirror->owner;
}

static inline Context *node_context(const Node *n)
{
        return table_context(n->table);
}

#define NODE_PROPERTIES                                                                                               \
        SD_BUS_PROPERTY("Name", "s", NULL, offsetof(Node, name), SD_BUS_VTABLE_PROPERTY_CONST),                       \
                SD_BUS_PROPERTY("Handle", "t", NULL, offsetof(Node, handle), SD_BUS_VTABLE_PROPERTY_CONST)

/* Devices and Comment; "Over" of quotas and limits: whether the flag that inverts the match is set. */
bus_property_getter node_property_get_devices, node_property_get_comment, node_property_get_over;

/* Brings n->live up to date: one read from the kernel per event loop iteration, so that the properties
 * of one GetAll (Packets and Bytes) cost one netlink round trip. */
int node_read_live(Node *n, sd_bus_error *error);

/* The polkit details of a node: family, table, and its kind with its name ("counter", "hits"). */
#define NODE_DETAILS(n)                                                                                               \
        (const char *const[])                                                                                         \
        {                                                                                                             \
                "family", family_to_string((n)->table->family), "table", (n)->table->name,                            \
                        nft_kind_path_label((n)->kind), (n)->name, NULL                                               \
        }

/* "counter inet/filter/hits", for the audit record. */
int node_object(const Node *n, char **ret);

/* polkit_check() of the method's action with the node's details (the handler shows its re-dispatch:
 * POLKIT_RETURN_UNLESS_AUTHORIZED). */
int node_authorize(sd_bus_message *m, Node *n, sd_bus_error *error);

/* Runs {verb: {kind: {"family", "table", "name"}}} for the node, authorised: Delete, and Reset for counters. */
int node_command(sd_bus_message *m, Node *n, const char *verb, uint32_t flags, call_reply_t on_success,
                 sd_bus_error *error);

/* The handler of Delete for every kind but chains. */
int node_method_delete(sd_bus_message *m, void *userdata, sd_bus_error *error);
