/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Parsing of nf_tables netlink messages (dump replies and change events) into plain values. Pure: a
 * buffer in, a struct out; strings point into the buffer. */

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum NftObjectKind {
        NFT_OBJECT_NONE,
        NFT_OBJECT_TABLE,
        NFT_OBJECT_GENERATION, /* end of a transaction */
} NftObjectKind;

typedef struct NftMessage {
        NftObjectKind kind;
        bool deleted; /* a DEL* message */
        int family;
        const char *table; /* table name */
        uint64_t handle;
        uint32_t flags;
        uint32_t generation;
} NftMessage;

/* Returns 1 with *ret filled for a message nftbus follows, 0 for one it does not (elements, rules,
 * other subsystems), -EBADMSG for a malformed one. */
int nfmsg_parse(const struct nlmsghdr *nlh, NftMessage *ret);
