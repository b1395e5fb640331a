/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The netlink side of element work, blocking, each call on a socket of its own: commit a batch of element
 * changes, dump a set's elements, look one up. Safe on any thread. */

#include <stdbool.h>
#include <stddef.h>

#include "netlink/elembatch.h"

/* The kernel's refusal of a batch: its errno, the element it named (index from 0) if any, and its
 * extended ack message if any. */
typedef struct ElemRefusal {
        int error;
        bool has_index;
        size_t index;
        char message[256];
} ElemRefusal;

/* Sends the finished batch as one transaction. Returns 0 when the kernel answered: ret->error is 0 when
 * it committed, else its refusal (nothing changed). Negative errno when it could not be asked. */
int elemio_commit(ElemBatch *b, ElemRefusal *ret);

/* Calls f for every element of the set. */
int elemio_dump(int family, const char *table, const char *set, int (*f)(const RawElement *e, void *userdata),
                void *userdata);

/* Whether the set holds key (with key_end, for a range in a concatenated interval set). f, when not NULL,
 * sees the element the kernel returns. */
int elemio_get(int family, const char *table, const char *set, const uint8_t *key, const uint8_t *key_end,
               size_t key_len, int (*f)(const RawElement *e, void *userdata), void *userdata, bool *ret_found);
