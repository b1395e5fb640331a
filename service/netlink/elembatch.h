/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Element changes as nf_tables netlink messages, built straight from parsed elements: one batch (begin,
 * NEWSETELEM or DELSETELEM messages of up to 64 KiB each, end) is one kernel transaction, however many
 * elements it holds. This is how a million elements go in at the kernel's speed and in a few bytes each:
 * libnftables would build an expression tree per element first. Also the parser of the kernel's element
 * dumps and the mapping of its error reports back to the element they name. Pure: buffers in and out. */

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "core/setelem.h"

typedef struct ElemBatch ElemBatch;

typedef struct ElemOptions {
        uint64_t timeout_ms; /* 0: the set's default */
        uint64_t expires_ms; /* 0: a full timeout */
        const char *comment; /* NULL: none */
        bool exclusive;      /* an element that is there already is refused (EEXIST), not passed over */
} ElemOptions;

/* deleting: DELSETELEM instead of NEWSETELEM. seq numbers the messages from seq on. */
int elem_batch_new(bool deleting, int family, const char *table, const char *set, const SetShape *shape,
                   const ElemOptions *options, uint32_t seq, ElemBatch **ret);
ElemBatch *elem_batch_free(ElemBatch *b);
static inline void elem_batch_freep(ElemBatch **b)
{
        elem_batch_free(*b);
}

/* Empties the set first, in the same transaction: before any element is appended (setEntries). */
int elem_batch_flush(ElemBatch *b);

/* Appends one element (two kernel elements for a range in a plain interval set). */
int elem_batch_add(ElemBatch *b, const Element *e);
size_t elem_batch_count(const ElemBatch *b);

/* Ends the batch; then the buffers to send in one sendmsg(). */
int elem_batch_finish(ElemBatch *b, const struct iovec **ret_iov, size_t *ret_n, size_t *ret_bytes);

/* The index (from 0) of the element that an error report names: the report's sequence number and the
 * offset of the bad attribute (NLMSGERR_ATTR_OFFS) in the message. -ENOENT when it names none. */
int elem_batch_element_at(const ElemBatch *b, uint32_t seq, uint32_t offset, size_t *ret_index);

/* One element as the kernel lists it. */
typedef struct RawElement {
        const uint8_t *key, *key_end, *data;
        size_t key_len, key_end_len, data_len;
        bool interval_end;
        bool has_verdict;
        int32_t verdict;
        const char *chain;
        uint64_t timeout_ms, expires_ms;
        const char *comment; /* NUL-terminated inside the message, or NULL */
        bool has_counter;    /* a counter expression on the element (a set declared with "counter") */
        uint64_t packets, bytes;
} RawElement;

/* Calls f for each element of a NEWSETELEM message (a dump reply). Returns 0, -EBADMSG, or f's error. */
int elem_message_parse(const struct nlmsghdr *nlh, int (*f)(const RawElement *e, void *userdata), void *userdata);

/* Writes a GETSETELEM request: a dump of the whole set, or (key != NULL) the one element holding key. */
int elem_build_get(void *buf, size_t size, uint32_t seq, int family, const char *table, const char *set,
                   const uint8_t *key, size_t key_len, const uint8_t *key_end, size_t key_end_len);
