/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* Listings under way: each holds memory until its reader takes what it says (a descriptor nobody reads holds
 * it for up to 25 s at a time), so how many may be under way at once is bounded: READERS_PER_USER for one
 * user (root aside, whose calls are the admin's own) and READERS_MAX in all. Beyond, the call is Busy. */

#include <sys/types.h>
#include <systemd/sd-bus.h>

#include "context.h"

typedef struct Readers Readers;

#define READERS_PER_USER 4U
#define READERS_MAX 16U

/* A listing of m's caller begins: 0 with *ret_uid (for readers_leave()), or negative errno with error set
 * (Busy when there is no room). */
int readers_enter(Context *c, sd_bus_message *m, uid_t *ret_uid, sd_bus_error *error);
/* It is over (uid: readers_enter()'s; UID_INVALID: it never entered). */
void readers_leave(Context *c, uid_t uid);
void readers_done(Context *c);

#define UID_INVALID ((uid_t) -1)
