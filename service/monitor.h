/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Follows the kernel's nftables objects over netlink, read-only and without libnftables: a dump when
 * asked, and the change events of every transaction, whoever made it (nftbus, nft, other tools). */

#include <systemd/sd-event.h>

#include "nfmsg.h"
#include "util.h"

typedef struct Monitor Monitor;

typedef void (*monitor_message_t)(const NftMessage *msg, void *userdata);
/* Events were lost (the socket overflowed): the caller resyncs with monitor_dump(). */
typedef void (*monitor_lost_t)(void *userdata);

int monitor_new(sd_event *event, monitor_message_t on_message, monitor_lost_t on_lost, void *userdata,
                Monitor **ret);
Monitor *monitor_free(Monitor *mon);
DEFINE_POINTER_CLEANUP(Monitor, monitor_free)

/* Dumps the tables, chains, stateful objects and flowtables synchronously, calling on_message for each. */
int monitor_dump(Monitor *mon);

/* Reads one counter, quota or limit synchronously: its live values (packets, bytes, consumed). The
 * strings of *ret are cleared. -ENOENT when it does not exist. */
int monitor_get_object(Monitor *mon, int family, const char *table, const char *name, NftKind kind,
                       NftMessage *ret);

/* Handles every event already queued. Called after each executor reply, so that the change a method
 * made is in the mirror before the method replies. */
int monitor_drain(Monitor *mon);
