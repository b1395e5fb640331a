/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* Runtime additions that last a while (firewalld's addService(zone, service, timeout), ...): a timer for each,
 * which takes the addition back when it fires, through the front door that made it (fire). A removal of the
 * value from its zone's runtime configuration cancels its timer (the engine's change_list()), a reload cancels
 * them all: the running configuration is the permanent one then, as in firewalld. */

#include <stdint.h>

#include "context.h"
#include "core/zonelist.h"

#define ZONE_TIMEOUT_ARGS 4 /* the strings a value passes to firewalld's calls: a forward port's four */
/* The kind of a timer of the zone's masquerading (value "masquerade"), beside the list kinds */
#define ZONE_TIMEOUT_MASQUERADE _ZONE_LIST_MAX

/* What a timer does when it fires: the removal of value (canonical; args: the strings it was added with) from
 * zone's list of kind k. */
typedef void (*zone_timeout_fire_t)(Context *c, ZoneListKind k, const char *zone, const char *value,
                                    char *const *args);

/* A timer of seconds for value (in place of one it had). 0 or negative errno. */
int zone_timeout_add(Context *c, ZoneListKind k, const char *zone, const char *value, const char *const *args,
                     uint32_t seconds, zone_timeout_fire_t fire);
/* The timer of value in zone's list of kind k goes, if there is one. */
void zone_timeout_cancel(Context *c, ZoneListKind k, const char *zone, const char *value);
/* Every timer goes: a reload, the end of the service. */
void zone_timeouts_free(Context *c);
