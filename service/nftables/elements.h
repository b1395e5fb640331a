/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* What org.nftbus.Firewall1.Set and .Map share: their properties and every element method. Element changes
 * do not go through libnftables: they are parsed here (setelem.h), written as netlink batches
 * (elembatch.h) and committed on a worker thread (worker.h), one transaction per call. */

#include <systemd/sd-bus.h>

#include "nftables/node.h"

/* A packed set type ("ipv4_addr . inet_service") as the string a Type property shows. */
int elements_append_type(sd_bus_message *reply, uint32_t packed);

/* The properties Set and Map share. */
bus_property_getter elements_property_get_type, elements_property_get_flags, elements_property_get_u32,
        elements_property_get_t, elements_property_get_b, elements_property_get_policy;

/* The methods Set and Map share. */
bus_method_handler elements_method_add, elements_method_delete, elements_method_add_from_fd, elements_method_list,
        elements_method_list_to_fd, elements_method_list_range, elements_method_list_detailed,
        elements_method_list_detailed_to_fd, elements_method_has, elements_method_flush;

/* The properties and methods of both interfaces; a map adds ValueType. */
#define ELEMENTS_VTABLE                                                                                               \
        NODE_PROPERTIES, SD_BUS_PROPERTY("Type", "s", elements_property_get_type, 0, SD_BUS_VTABLE_PROPERTY_CONST),   \
                SD_BUS_PROPERTY("Flags", "as", elements_property_get_flags, 0, SD_BUS_VTABLE_PROPERTY_CONST),         \
                SD_BUS_PROPERTY("Timeout", "t", elements_property_get_t, 0, SD_BUS_VTABLE_PROPERTY_CONST),            \
                SD_BUS_PROPERTY("GcInterval", "u", elements_property_get_u32, 0, SD_BUS_VTABLE_PROPERTY_CONST),       \
                SD_BUS_PROPERTY("Size", "u", elements_property_get_u32, 0, SD_BUS_VTABLE_PROPERTY_CONST),             \
                SD_BUS_PROPERTY("Policy", "s", elements_property_get_policy, 0, SD_BUS_VTABLE_PROPERTY_CONST),        \
                SD_BUS_PROPERTY("AutoMerge", "b", elements_property_get_b, 0, SD_BUS_VTABLE_PROPERTY_CONST),          \
                SD_BUS_PROPERTY("Counter", "b", elements_property_get_b, 0, SD_BUS_VTABLE_PROPERTY_CONST),            \
                SD_BUS_PROPERTY("Comment", "s", node_property_get_comment, 0, SD_BUS_VTABLE_PROPERTY_CONST),          \
                SD_BUS_METHOD_WITH_ARGS("AddElements", SD_BUS_ARGS("as", elements, "a{sv}", options),                 \
                                        SD_BUS_NO_RESULT, elements_method_add, SD_BUS_VTABLE_UNPRIVILEGED),           \
                SD_BUS_METHOD_WITH_ARGS("DeleteElements", SD_BUS_ARGS("as", elements), SD_BUS_NO_RESULT,              \
                                        elements_method_delete, SD_BUS_VTABLE_UNPRIVILEGED),                          \
                SD_BUS_METHOD_WITH_ARGS("AddElementsFromFd", SD_BUS_ARGS("h", fd, "a{sv}", options),                  \
                                        SD_BUS_RESULT("t", count), elements_method_add_from_fd,                       \
                                        SD_BUS_VTABLE_UNPRIVILEGED),                                                  \
                SD_BUS_METHOD_WITH_ARGS("ListElements", SD_BUS_NO_ARGS, SD_BUS_RESULT("as", elements),                \
                                        elements_method_list, SD_BUS_VTABLE_UNPRIVILEGED),                            \
                SD_BUS_METHOD_WITH_ARGS("ListElementsToFd", SD_BUS_ARGS("h", fd), SD_BUS_RESULT("t", count),          \
                                        elements_method_list_to_fd, SD_BUS_VTABLE_UNPRIVILEGED),                      \
                SD_BUS_METHOD_WITH_ARGS("ListElementsRange", SD_BUS_ARGS("t", start, "u", count),                     \
                                        SD_BUS_RESULT("as", elements, "t", total), elements_method_list_range,        \
                                        SD_BUS_VTABLE_UNPRIVILEGED),                                                  \
                SD_BUS_METHOD_WITH_ARGS("ListElementsDetailed", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(sa{sv})", elements), \
                                        elements_method_list_detailed, SD_BUS_VTABLE_UNPRIVILEGED),                   \
                SD_BUS_METHOD_WITH_ARGS("ListElementsDetailedToFd", SD_BUS_ARGS("h", fd), SD_BUS_RESULT("t", count),  \
                                        elements_method_list_detailed_to_fd, SD_BUS_VTABLE_UNPRIVILEGED),             \
                SD_BUS_METHOD_WITH_ARGS("HasElement", SD_BUS_ARGS("s", element), SD_BUS_RESULT("b", found),           \
                                        elements_method_has, SD_BUS_VTABLE_UNPRIVILEGED),                             \
                SD_BUS_METHOD("Flush", NULL, NULL, elements_method_flush, SD_BUS_VTABLE_UNPRIVILEGED),                \
                SD_BUS_METHOD("Delete", NULL, NULL, node_method_delete, SD_BUS_VTABLE_UNPRIVILEGED),                  \
                SD_BUS_SIGNAL_WITH_ARGS("ElementsChanged", SD_BUS_ARGS("t", added, "t", removed), 0)
