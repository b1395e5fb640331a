/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The zones' string lists (core/zonespec.h) on the bus: as "as", in their order, and "key=value" lists (an
 * ipset's options) as "a{ss}". Shared by nftbus's interfaces and firewalld's. */

#include <systemd/sd-bus.h>

#include "core/zonespec.h"

int bus_append_strlist(sd_bus_message *reply, const StrList *l);
/* An "as" read into l: a string given twice is there once, as in firewalld's sets. */
int bus_read_strlist(sd_bus_message *m, StrList *l);
/* "key=value" items as an a{ss}, in order. */
int bus_append_pairs(sd_bus_message *reply, const StrList *pairs);
/* An a{ss} read into pairs as "key=value" items, in order; a key given twice has the last value. */
int bus_read_pairs(sd_bus_message *m, StrList *pairs);
