/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* Persistence: Save writes the managed tables (statefile.h) to ruleset.nft in the state directory,
 * atomically; at start, the tables of that file that the kernel lacks are restored in one transaction.
 * A damaged file is moved aside, nothing of it is applied, and the problem is kept for the Manager's
 * RestoreError property and logged. */

#include <systemd/sd-bus.h>

#include "context.h"

#define PERSIST_FILE "ruleset.nft"

/* $STATE_DIRECTORY (systemd's StateDirectory=), else /var/lib/nftbus. */
const char *persist_directory(void);

/* Restores what is missing, then calls done (also when there is nothing to restore, or on failure). */
void persist_restore(Context *c, void (*done)(Context *c));

/* Manager.Save, after its options (tables: "FAMILY NAME" strings) were checked and polkit said yes. */
int persist_save(Context *c, sd_bus_message *m, sd_bus_error *error);
