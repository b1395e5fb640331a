/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* Follows the kernel's nftables objects over netlink, read-only and without libnftables: a dump when
 * asked, and the change events of every transaction, whoever made it (nftbus, nft, other tools). */

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-event.h>

#include "netlink/nfmsg.h"
#include "common/util.h"

typedef struct Monitor Monitor;

typedef void (*monitor_message_t)(const NftMessage *msg, void *userdata);
/* Events were lost (the socket overflowed): the caller resyncs with monitor_dump(). */
/* missed: events that someone held the group for went unread (the socket overflowed, or a bulk commit
 * paused the group meanwhile and others changed the ruleset); not when nobody wanted them. */
typedef void (*monitor_lost_t)(bool missed, void *userdata);

/* The receive buffer for change events, unless monitor_new() is given another size. */
#define MONITOR_EVENT_BUFFER_DEFAULT ((size_t) 16 * 1024 * 1024)

int monitor_new(sd_event *event, size_t event_buffer, monitor_message_t on_message, monitor_lost_t on_lost,
                void *userdata, Monitor **ret);
Monitor *monitor_free(Monitor *mon);
DEFINE_POINTER_CLEANUP(Monitor, monitor_free)

/* Dumps the tables, chains, stateful objects and flowtables synchronously, calling on_message for each. */
int monitor_dump(Monitor *mon);

/* Reads one counter, quota or limit synchronously: its live values (packets, bytes, consumed). The
 * strings of *ret are cleared. -ENOENT when it does not exist. */
int monitor_get_object(Monitor *mon, int family, const char *table, const char *name, NftKind kind, NftMessage *ret);

/* The nftables event group costs every tool on the host: while any member exists, the kernel builds an
 * event per element of every transaction, in any namespace (a million-element commit seven times slower).
 * So the monitor is a member only while someone holds it: a subscriber (Manager.Subscribe), a transaction
 * of nftbus's own in flight (its events give AddRule its handle), the start (the monitor begins held once,
 * released when the service has its name). Out of the group, monitor_sync() compares the kernel's ruleset
 * generation with the one the mirror was read at and calls on_lost when it moved. Joining again rereads
 * what changed meanwhile. */
void monitor_hold(Monitor *mon);
void monitor_release(Monitor *mon);
/* A hold for a while (two seconds after the last touch): calls in a row keep the group rather than join
 * and leave it each time, which costs the kernel an RCU grace period. */
void monitor_touch(Monitor *mon);
bool monitor_following(const Monitor *mon);

/* Bulk element commits leave the group whoever holds it: pause() takes in what is queued and leaves;
 * resume() joins again if held, rereading what changed meanwhile. Nested pauses count. */
int monitor_pause(Monitor *mon);
void monitor_resume(Monitor *mon);
/* A transaction of nftbus's own committed while paused (a bulk element commit, which changes nothing the
 * mirror holds): the generation it moved to is not news, and no reason to reread. */
void monitor_own_commit(Monitor *mon);

/* The kernel's ruleset generation (one netlink request). */
int monitor_generation(Monitor *mon, uint32_t *ret);

/* The mirror made current: in the group, every event already queued; out of it, a reread (on_lost) if the
 * generation moved. Called after each executor reply, so that the change a method made is in the mirror
 * before the method replies, and before a call is dispatched. 1 when it reread. */
int monitor_sync(Monitor *mon);

/* Handles every event already queued. */
int monitor_drain(Monitor *mon);
