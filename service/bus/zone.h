/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, spec/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The zones' changes, for the front doors other than org.nftbus.Firewall1.Zone (bus/firewalld.c). */

#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "bus/call.h"
#include "context.h"
#include "spec/zonespec.h"

/* For another front door (bus/firewalld.c): the Zone method member's change (AddService, RemoveInterface, ...,
 * or "Masquerade" with "yes"/"no", "Target" with nftbus's name of one, "DefaultZone" with the zone as value) queued
 * like the Zone methods' own; the reply is on_success's (NULL: empty), errors go through map_error (NULL: as they
 * are). Returns 1, or negative errno with error set. */
int zone_change_request(Context *c, sd_bus_message *m, const char *member, const char *zone, const char *value,
                        bool permanent, call_reply_t on_success,
                        int (*map_error)(const sd_bus_error *e, sd_bus_error *ret), sd_bus_error *error);
/* A zone as a whole (z, taken) in place of the one of its name, queued like a change: firewalld's update2 and
 * setZoneSettings2. */
int zone_replace_request(Context *c, sd_bus_message *m, Zone *z, bool permanent, call_reply_t on_success,
                         int (*map_error)(const sd_bus_error *e, sd_bus_error *ret));
/* Panic on or off, zones on or off, or a reload, queued; the reply is on_success's (NULL: empty), errors go
 * through map_error (NULL: as they are). */
int zone_switch_request(Context *c, sd_bus_message *m, bool panic, bool on, bool reload, call_reply_t on_success,
                        int (*map_error)(const sd_bus_error *e, sd_bus_error *ret));
/* The runtime configuration written as the permanent one (Busy while a change runs). 0 or negative errno with
 * error set. */
int zone_runtime_to_permanent(Context *c, sd_bus_error *error);
/* Manager.ZonesState: "off", "running" or "failed" (ZonesError says what is not in force). */
const char *zones_state(const Context *c);
