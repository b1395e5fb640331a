/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The daemon's picture of the kernel's nftables objects, fed only by the kernel itself (a netlink dump
 * at start and after lost events, then change events). Bus objects and properties are answered from
 * it because sd-bus asks for them synchronously. Pure: no bus, no I/O. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct Mirror Mirror;

typedef struct Table {
        Mirror *mirror;
        int family;
        char *name;
        char *path; /* its D-Bus object path */
        uint64_t handle;
        uint32_t flags; /* NFT_TABLE_F_* */
        unsigned mark; /* resync generation that last saw it */
} Table;

struct Mirror {
        Table **tables;
        size_t n_tables;
        unsigned mark;
        void *owner; /* for the bus glue: the daemon's Context */
};

typedef enum MirrorChange {
        MIRROR_UNCHANGED,
        MIRROR_ADDED,
        MIRROR_CHANGED, /* flags or handle differ */
} MirrorChange;

Mirror *mirror_new(void *owner);
Mirror *mirror_free(Mirror *m);

Table *mirror_find_table(const Mirror *m, int family, const char *name);

/* Records a table as the kernel reported it. Returns a MirrorChange or negative errno. */
int mirror_put_table(Mirror *m, int family, const char *name, uint64_t handle, uint32_t flags,
                     Table **ret_table);

/* Forgets a table. Returns 1 and its object path (owned by the caller) if it was known, else 0. */
int mirror_drop_table(Mirror *m, int family, const char *name, char **ret_path);

/* A resync: begin, put every table the dump reports, then sweep calls gone() for each table the dump
 * did not report, and forgets it. */
void mirror_resync_begin(Mirror *m);
void mirror_resync_sweep(Mirror *m, void (*gone)(const Table *t, void *userdata), void *userdata);

/* Table flags as names ("dormant", "owner"), NULL-terminated, in a static array of at least 3. */
void table_flags_to_names(uint32_t flags, const char *ret_names[static 3]);

/* Sorted by family, then name, for stable listings. */
int table_compare(const void *a, const void *b);
