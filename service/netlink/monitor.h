/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, spec/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* Follows the kernel's nftables objects over netlink, read-only and without libnftables: a dump when
 * asked, and the change events of every transaction, whoever made it (nftbus, nft, other tools). */

#include <systemd/sd-event.h>

#include "netlink/nfmsg.h"
#include "common/util.h"

typedef struct Monitor Monitor;

typedef void (*monitor_message_t)(const NftMessage *msg, void *userdata);
/* Events were lost (the socket overflowed): the caller resyncs with monitor_dump(). */
typedef void (*monitor_lost_t)(void *userdata);

int monitor_new(sd_event *event, monitor_message_t on_message, monitor_lost_t on_lost, void *userdata, Monitor **ret);
Monitor *monitor_free(Monitor *mon);
DEFINE_POINTER_CLEANUP(Monitor, monitor_free)

/* Dumps the tables, chains, stateful objects and flowtables synchronously, calling on_message for each. */
int monitor_dump(Monitor *mon);

/* Reads one counter, quota or limit synchronously: its live values (packets, bytes, consumed). The
 * strings of *ret are cleared. -ENOENT when it does not exist. */
int monitor_get_object(Monitor *mon, int family, const char *table, const char *name, NftKind kind, NftMessage *ret);

/* Bulk element commits: while any listener is subscribed, the kernel builds a change event per element,
 * which makes a million-element commit seven times slower (3.8 s against 28 s, measured). pause() takes
 * in what is queued and leaves the event group; resume() joins it again and calls on_lost, so that
 * whatever changed meanwhile is reread. Nested pauses count. */
int monitor_pause(Monitor *mon);
void monitor_resume(Monitor *mon);

/* Handles every event already queued. Called after each executor reply, so that the change a method
 * made is in the mirror before the method replies. */
int monitor_drain(Monitor *mon);
