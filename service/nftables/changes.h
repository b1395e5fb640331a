/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The content of chains and sets as it changes, for subscribers (Manager.Subscribe): Chain.RulesChanged
 * and Set/Map.ElementsChanged, one per chain or set at the end of each transaction, whoever made it.
 * Rules come with their handles and their text, elements as counts; a bulk change of rules is counted
 * too (core/rulechanges.h). The texts are read after the transaction (the kernel's events carry rules as
 * expressions, which only libnftables prints): a listing of the chain by the executor, so signals wait
 * for it, and keep their order. Nothing is kept or read while nobody is subscribed. */

#include <stdint.h>

#include "context.h"
#include "netlink/nfmsg.h"

typedef struct ChangeBatch ChangeBatch;

/* One event of the transaction being read: a rule added or removed, elements added or removed. */
void changes_note(Context *c, const NftMessage *msg);
/* Its end: the signals go out, once the texts of its new rules are read. */
void changes_end_transaction(Context *c);
/* Events were lost: what was read of the transaction is dropped. */
void changes_forget(Context *c);
/* Elements nftbus committed itself without following events (a bulk commit, monitor.h). */
void changes_announce_elements(Context *c, int family, const char *table, const char *set, uint64_t added,
                               uint64_t removed);
void changes_free(Context *c);
