/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The daemon's picture of the kernel's nftables objects, fed only by the kernel itself (a netlink dump
 * at start and after lost events, then change events): tables, and inside each the chains, named
 * counters, quotas, limits, flowtables, sets and maps. Rules and set elements are not kept: they are read from the
 * kernel when asked. Bus objects and properties are answered from here because sd-bus asks for them synchronously.
 * Pure: no bus, no I/O. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "netlink/nfmsg.h"

typedef struct Mirror Mirror;
typedef struct Table Table;

/* What the kernel says about an object besides its name and handle; which fields are used depends on
 * the kind (see NftMessage). Strings are owned. */
typedef struct NodeInfo {
        uint32_t flags;
        char *comment;
        bool has_hook;
        uint32_t hooknum;
        int32_t priority;
        char **devices; /* NULL-terminated, or NULL */
        char *chain_type;
        bool has_policy;
        uint32_t policy;
        uint64_t bytes; /* a quota's size */
        uint64_t rate;
        uint64_t unit;
        uint32_t burst;
        uint32_t limit_type;
        NftSetInfo set;
} NodeInfo;

/* A chain, counter, quota, limit, flowtable, set or map. */
typedef struct Node {
        Table *table;
        NftKind kind;
        char *name;
        char *path;
        uint64_t handle;
        unsigned mark;
        NodeInfo info;
        /* a counter's or quota's values as last read from the kernel, and the event loop time of that read:
         * the properties of one GetAll share one read */
        struct {
                uint64_t read_usec;
                uint64_t packets;
                uint64_t bytes;
                uint64_t consumed;
        } live;
} Node;

struct Table {
        Mirror *mirror;
        int family;
        char *name;
        char *path; /* its D-Bus object path */
        uint64_t handle;
        uint32_t flags;          /* NFT_TABLE_F_* */
        unsigned mark;           /* resync generation that last saw it */
        bool managed;            /* made through nftbus (or restored by it): what Save keeps */
        bool new_in_transaction; /* added by the transaction whose events are being read */
        Node **nodes;
        size_t n_nodes;
};

struct Mirror {
        Table **tables;
        size_t n_tables;
        unsigned mark;
        void *owner; /* for the bus glue: the daemon's Context */
};

typedef enum MirrorChange {
        MIRROR_UNCHANGED,
        MIRROR_ADDED,
        MIRROR_CHANGED, /* a property differs */
} MirrorChange;

Mirror *mirror_new(void *owner);
Mirror *mirror_free(Mirror *m);

Table *mirror_find_table(const Mirror *m, int family, const char *name);
Node *table_find_node(const Table *t, NftKind kind, const char *name);
Node *table_find_node_by_handle(const Table *t, uint64_t handle);

/* Records a table (msg->kind NFT_KIND_TABLE) or an object inside one as the kernel reported it; the
 * object's table must be known. Returns a MirrorChange and the Table or Node, or negative errno:
 * -EAFNOSUPPORT for a family nftbus does not expose, -EILSEQ for a name D-Bus cannot carry, -ENOENT for
 * an object of an unknown table. */
int mirror_put(Mirror *m, const NftMessage *msg, void **ret);

/* Forget one object, or a table with everything in it. */
void mirror_drop_node(Node *n);
void mirror_drop_table(Table *t);

/* Calls gone() with the path of each object of t, then of t itself, while they still exist. */
void table_foreach_path(const Table *t, void (*gone)(const char *path, void *userdata), void *userdata);

/* A resync: begin, put every object the dump reports, then sweep calls gone() for each object the dump
 * did not report (while it still exists) and forgets it. */
void mirror_resync_begin(Mirror *m);
void mirror_resync_sweep(Mirror *m, void (*gone)(const char *path, void *userdata), void *userdata);

/* Table flags as names ("dormant", "owner"), NULL-terminated, in a static array of at least 3. */
void table_flags_to_names(uint32_t flags, const char *ret_names[static 3]);

/* Sorted by family, then name, for stable listings. */
int table_compare(const void *a, const void *b);

/* "table", "chain", "counter", "quota", "limit", "flowtable", "set", "map": the kind as libnftables names it. */
const char *nft_kind_to_string(NftKind kind);
/* The kind's label in object paths and polkit details: "set" for maps too, which share the sets' names. */
const char *nft_kind_path_label(NftKind kind);
NftKind nft_kind_from_string(const char *s);
/* The kind whose path label is s ("ct_helper"), or NFT_KIND_NONE; "set" is NFT_KIND_SET. */
NftKind nft_kind_from_path_label(const char *s);
/* Whether the kind is one of those org.nftbus.Firewall1.Object shows (ct helpers, synproxies, ...). */
bool nft_kind_is_generic_object(NftKind kind);
