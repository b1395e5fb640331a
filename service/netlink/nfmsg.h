/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Parsing of nf_tables netlink messages (dump replies and change events) into plain values, and the
 * few requests nftbusd sends itself. Pure: a buffer in, a struct out; strings point into the buffer. */

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kinds of kernel object nftbus follows. Tables hold all the others. */
typedef enum NftKind {
        NFT_KIND_NONE,
        NFT_KIND_TABLE,
        NFT_KIND_CHAIN,
        NFT_KIND_COUNTER,
        NFT_KIND_QUOTA,
        NFT_KIND_LIMIT,
        NFT_KIND_FLOWTABLE,
        NFT_KIND_SET,
        NFT_KIND_MAP, /* a set with values; the same name space as sets */
        /* the stateful objects nftbus shows through one interface, org.nftbus.Firewall1.Object */
        NFT_KIND_CT_HELPER,
        NFT_KIND_CT_TIMEOUT,
        NFT_KIND_CT_EXPECTATION,
        NFT_KIND_SYNPROXY,
        NFT_KIND_SECMARK,
        NFT_KIND_CONNLIMIT,
        NFT_KIND_TUNNEL,
        NFT_KIND_RULE,       /* followed for AddRule's handle, not mirrored */
        NFT_KIND_GENERATION, /* end of a transaction */
        NFT_KIND_ELEMENTS,   /* elements added to or deleted from a set: counted, not mirrored */
} NftKind;

/* The kernel's NFT_NETDEVICE_MAX */
#define NFTBUS_DEVICES_MAX 256

/* What the kernel says about a set or map. Plain numbers without padding, compared with memcmp(). */
typedef struct NftSetInfo {
        uint32_t key_type; /* nftables' data type numbers, packed for concatenations */
        uint32_t key_len;
        uint32_t data_type;
        uint32_t gc_interval_ms;
        uint32_t size;
        uint32_t policy; /* NFT_SET_POL_PERFORMANCE, NFT_SET_POL_MEMORY */
        uint64_t timeout_ms;
        uint32_t auto_merge;
        uint32_t has_counter; /* an expression on every element */
} NftSetInfo;

typedef struct NftMessage {
        NftKind kind;
        bool deleted; /* a DEL* message */
        int family;
        const char *table; /* table name */
        const char *name;  /* the object's name; NULL for tables and rules */
        const char *chain; /* a rule's chain */
        uint64_t handle;
        bool dumped; /* from a dump (NLM_F_MULTI), not an event */

        /* rules: added at the end (NLM_F_APPEND), and the rule before it (events name it but for a chain's first
         * and last) */
        bool appended, has_position;
        uint64_t position;

        uint32_t flags;      /* NFT_TABLE_F_*, NFT_CHAIN_*, NFT_FLOWTABLE_* */
        const char *comment; /* from the user data, or NULL */

        /* base chains and flowtables */
        bool has_hook;
        uint32_t hooknum;
        int32_t priority;
        const char *devices[NFTBUS_DEVICES_MAX];
        size_t n_devices;

        /* chains */
        const char *chain_type; /* "filter", "nat", "route"; base chains only */
        bool has_policy;
        uint32_t policy; /* NF_DROP, NF_ACCEPT */

        /* counters (packets, bytes) and quotas (bytes is the quota, consumed the use) */
        uint64_t packets;
        uint64_t bytes;
        uint64_t consumed;

        /* limits; flags above hold NFT_QUOTA_F_* or NFT_LIMIT_F_* */
        uint64_t rate;
        uint64_t unit; /* seconds */
        uint32_t burst;
        uint32_t limit_type; /* NFT_LIMIT_PKTS, NFT_LIMIT_PKT_BYTES */

        /* sets and maps; flags above hold NFT_SET_* */
        NftSetInfo set;

        /* the end of a transaction, and the process that made it */
        uint32_t generation;
        uint32_t pid;

        /* NFT_KIND_ELEMENTS: how many elements the message carries (name: the set's) */
        uint32_t n_elements;
} NftMessage;

/* Returns 1 with *ret filled for a message nftbus follows (objects, rules, elements counted per message,
 * the end of a transaction), 0 for one it does not (other object types, other subsystems), -EBADMSG for a
 * malformed one. */
int nfmsg_parse(const struct nlmsghdr *nlh, NftMessage *ret);

/* Writes a GETOBJ request for one stateful object into buf. Returns its length, or -ENOBUFS when buf is
 * too small. */
int nfmsg_build_get_object(void *buf, size_t size, uint32_t seq, int family, const char *table, const char *name,
                           NftKind kind);

/* The kernel's NFT_OBJECT_* type of a kind, 0 for kinds that are not stateful objects. */
uint32_t nft_kind_object_type(NftKind kind);
