/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* A batch of element messages (netlink/elembatch.h) committed as one kernel transaction on the worker thread,
 * once the executor's jobs before it are done and before those after it: the Set and Map interfaces' element
 * changes (nftables/elementjob.c) and the runtime entries of the zones' ipsets (zones/engine.c). */

#include <stddef.h>

#include "context.h"
#include "netlink/elembatch.h"
#include "netlink/elemio.h"

/* commits of this many elements or more go without change events (netlink/monitor.h says why): whoever commits
 * one tells the subscribers itself */
#define BULK_ELEMENTS 1024

/* What came of a batch_commit(): error (negative errno: the kernel could not be asked), else the kernel's
 * refusal (refusal->error 0: committed), and how many elements the batch held. */
typedef void (*batch_committed_t)(Context *c, int error, const ElemRefusal *refusal, size_t committed, void *userdata);
/* Commits batch (taken, also on failure); then done() on the event loop. */
int batch_commit(Context *c, ElemBatch *batch, batch_committed_t done, void *userdata);
