/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "core/mirror.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"

/* a kind's name, as nft says it, and its label in paths and polkit details (one word; a map's is "set") */
/* clang-format off */
static const struct {
        const char *name, *label;
} kinds[] = {
        [NFT_KIND_TABLE] =          { "table",          "table" },
        [NFT_KIND_CHAIN] =          { "chain",          "chain" },
        [NFT_KIND_COUNTER] =        { "counter",        "counter" },
        [NFT_KIND_QUOTA] =          { "quota",          "quota" },
        [NFT_KIND_LIMIT] =          { "limit",          "limit" },
        [NFT_KIND_FLOWTABLE] =      { "flowtable",      "flowtable" },
        [NFT_KIND_SET] =            { "set",            "set" },
        [NFT_KIND_MAP] =            { "map",            "set" },
        [NFT_KIND_CT_HELPER] =      { "ct helper",      "ct_helper" },
        [NFT_KIND_CT_TIMEOUT] =     { "ct timeout",     "ct_timeout" },
        [NFT_KIND_CT_EXPECTATION] = { "ct expectation", "ct_expectation" },
        [NFT_KIND_SYNPROXY] =       { "synproxy",       "synproxy" },
        [NFT_KIND_SECMARK] =        { "secmark",        "secmark" },
        [NFT_KIND_CONNLIMIT] =      { "ct count",       "ct_count" },
        [NFT_KIND_TUNNEL] =         { "tunnel",         "tunnel" },
};
/* clang-format on */

const char *nft_kind_to_string(NftKind kind)
{
        return (size_t) kind < ELEMENTSOF(kinds) ? kinds[kind].name : NULL;
}

const char *nft_kind_path_label(NftKind kind)
{
        return (size_t) kind < ELEMENTSOF(kinds) ? kinds[kind].label : NULL;
}

NftKind nft_kind_from_path_label(const char *s)
{
        for (size_t i = 0; i < ELEMENTSOF(kinds); i++)
                if (kinds[i].label && i != NFT_KIND_MAP && streq(kinds[i].label, s))
                        return (NftKind) i;
        return NFT_KIND_NONE;
}

bool nft_kind_is_generic_object(NftKind kind)
{
        return kind >= NFT_KIND_CT_HELPER && kind <= NFT_KIND_TUNNEL;
}

NftKind nft_kind_from_string(const char *s)
{
        for (size_t i = 0; i < ELEMENTSOF(kinds); i++)
                if (kinds[i].name && streq(kinds[i].name, s))
                        return (NftKind) i;
        return NFT_KIND_NONE;
}

static void node_info_done(NodeInfo *info)
{
        free(info->comment);
        free(info->chain_type);
        strv_free(info->devices);
        *info = (NodeInfo){};
}

static Node *node_free(Node *n)
{
        if (!n)
                return NULL;
        free(n->name);
        free(n->path);
        node_info_done(&n->info);
        free(n);
        return NULL;
}

static Table *table_free(Table *t)
{
        if (!t)
                return NULL;
        for (size_t i = 0; i < t->n_nodes; i++)
                node_free(t->nodes[i]);
        FREE_MANY(t->nodes, t->name, t->path, t);
        return NULL;
}

Mirror *mirror_new(void *owner)
{
        Mirror *m = calloc(1, sizeof(Mirror));

        if (m)
                m->owner = owner;
        return m;
}

Mirror *mirror_free(Mirror *m)
{
        if (!m)
                return NULL;
        for (size_t i = 0; i < m->n_tables; i++)
                table_free(m->tables[i]);
        free(m->tables);
        free(m);
        return NULL;
}

static ssize_t table_index(const Mirror *m, int family, const char *name)
{
        for (size_t i = 0; i < m->n_tables; i++)
                if (m->tables[i]->family == family && streq(m->tables[i]->name, name))
                        return (ssize_t) i;
        return -1;
}

Table *mirror_find_table(const Mirror *m, int family, const char *name)
{
        ssize_t i = table_index(m, family, name);
        return i < 0 ? NULL : m->tables[i];
}

/* A table's nodes are kept sorted by kind, then name: lookups are binary searches, listings are sorted.
 * Returns the index of the node, or of where it would go, and whether it is there. */
typedef struct NodeKey {
        NftKind kind;
        const char *name;
} NodeKey;

static int node_compare(size_t i, const void *key, const void *userdata)
{
        const Node *n = ((const Table *) userdata)->nodes[i];
        const NodeKey *k = key;

        return n->kind != k->kind ? (n->kind < k->kind ? -1 : 1) : strcmp(n->name, k->name);
}

static size_t node_position(const Table *t, NftKind kind, const char *name, bool *ret_found)
{
        return bsearch_place(t->n_nodes, node_compare, &(const NodeKey){ kind, name }, t, ret_found);
}

Node *table_find_node(const Table *t, NftKind kind, const char *name)
{
        bool found;
        size_t i = node_position(t, kind, name, &found);
        return found ? t->nodes[i] : NULL;
}

Node *table_find_node_by_handle(const Table *t, uint64_t handle)
{
        for (size_t i = 0; i < t->n_nodes; i++)
                if (t->nodes[i]->handle == handle)
                        return t->nodes[i];
        return NULL;
}

static int put_table(Mirror *m, const NftMessage *msg, void **ret)
{
        Table *t = mirror_find_table(m, msg->family, msg->table), **grown;
        int change = MIRROR_UNCHANGED;

        if (!t) {
                _cleanup_free_ Table *n = calloc(1, sizeof(Table));
                if (!n)
                        return -ENOMEM;
                n->mirror = m;
                n->family = msg->family;
                n->name = strdup(msg->table);
                if (!n->name || table_path(family_to_string(msg->family), msg->table, &n->path) < 0) {
                        free(n->name);
                        return -ENOMEM;
                }
                grown = realloc(m->tables, (m->n_tables + 1) * sizeof(Table *));
                if (!grown) {
                        free(n->name);
                        free(n->path);
                        return -ENOMEM;
                }
                m->tables = grown;
                t = m->tables[m->n_tables++] = TAKE_PTR(n);
                change = MIRROR_ADDED;
        } else if (t->handle != msg->handle || t->flags != msg->flags)
                change = MIRROR_CHANGED;

        t->handle = msg->handle;
        t->flags = msg->flags;
        t->mark = m->mark;
        *ret = t;
        return change;
}

static int strdup_or_null(const char *s, char **ret)
{
        *ret = NULL;
        if (s && !(*ret = strdup(s)))
                return -ENOMEM;
        return 0;
}

static int compare_strings(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static int node_info_from_message(const NftMessage *msg, NodeInfo *ret)
{
        NodeInfo info = {
                .flags = msg->flags,
                .has_hook = msg->has_hook,
                .hooknum = msg->hooknum,
                .priority = msg->priority,
                .has_policy = msg->has_policy,
                .policy = msg->policy,
                .rate = msg->rate,
                .unit = msg->unit,
                .burst = msg->burst,
                .limit_type = msg->limit_type,
                .set = msg->set,
        };

        /* a counter's bytes move with every packet; only a quota's size is a property */
        if (msg->kind == NFT_KIND_QUOTA) {
                info.bytes = msg->bytes;
                info.flags &= ~(uint32_t) NFT_QUOTA_F_DEPLETED;
        }
        if (strdup_or_null(msg->comment, &info.comment) < 0 || strdup_or_null(msg->chain_type, &info.chain_type) < 0)
                goto oom;
        if (msg->n_devices > 0) {
                info.devices = calloc(msg->n_devices + 1, sizeof(char *));
                if (!info.devices)
                        goto oom;
                for (size_t i = 0; i < msg->n_devices; i++)
                        if (!(info.devices[i] = strdup(msg->devices[i])))
                                goto oom;
                /* a set to the kernel, which reports it in any order */
                qsort(info.devices, msg->n_devices, sizeof(char *), compare_strings);
        }
        *ret = info;
        return 0;
oom:
        node_info_done(&info);
        return -ENOMEM;
}

static bool strv_equal(char **a, char **b)
{
        for (; a && *a && b && *b; a++, b++)
                if (!streq(*a, *b))
                        return false;
        return !(a && *a) && !(b && *b);
}

static bool node_info_equal(const NodeInfo *a, const NodeInfo *b)
{
        return a->flags == b->flags && streq_ptr(a->comment, b->comment) && a->has_hook == b->has_hook &&
               a->hooknum == b->hooknum && a->priority == b->priority && strv_equal(a->devices, b->devices) &&
               streq_ptr(a->chain_type, b->chain_type) && a->has_policy == b->has_policy && a->policy == b->policy &&
               a->bytes == b->bytes && a->rate == b->rate && a->unit == b->unit && a->burst == b->burst &&
               a->limit_type == b->limit_type && memcmp(&a->set, &b->set, sizeof(a->set)) == 0;
}

static int put_node(Mirror *m, const NftMessage *msg, void **ret)
{
        Table *t = mirror_find_table(m, msg->family, msg->table);
        NodeInfo info;
        Node *n, **grown;
        bool found;
        size_t i;
        int r;

        if (!t)
                return -ENOENT;
        if (!msg->name || !nft_kind_to_string(msg->kind))
                return -EINVAL;
        if (!utf8_is_valid(msg->name))
                return -EILSEQ;
        r = node_info_from_message(msg, &info);
        if (r < 0)
                return r;

        i = node_position(t, msg->kind, msg->name, &found);
        if (found) {
                n = t->nodes[i];
                r = n->handle == msg->handle && node_info_equal(&n->info, &info) ? MIRROR_UNCHANGED : MIRROR_CHANGED;
                node_info_done(&n->info);
                n->info = info;
                n->handle = msg->handle;
                n->mark = m->mark;
                *ret = n;
                return r;
        }

        n = calloc(1, sizeof(Node));
        grown = n ? realloc(t->nodes, (t->n_nodes + 1) * sizeof(Node *)) : NULL;
        if (grown)
                t->nodes = grown;
        if (!grown || !(n->name = strdup(msg->name)) ||
            node_path(family_to_string(t->family), t->name, nft_kind_path_label(msg->kind), msg->name, &n->path) < 0) {
                node_info_done(&info);
                node_free(n);
                return -ENOMEM;
        }
        n->table = t;
        n->kind = msg->kind;
        n->handle = msg->handle;
        n->mark = m->mark;
        n->info = info;
        memmove(t->nodes + i + 1, t->nodes + i, (t->n_nodes - i) * sizeof(Node *));
        t->nodes[i] = n;
        t->n_nodes++;
        *ret = n;
        return MIRROR_ADDED;
}

int mirror_put(Mirror *m, const NftMessage *msg, void **ret)
{
        /* D-Bus cannot carry it: such an object (made by another tool) stays off the bus */
        if (!family_to_string(msg->family))
                return -EAFNOSUPPORT;
        if (!utf8_is_valid(msg->table))
                return -EILSEQ;
        if (msg->kind == NFT_KIND_TABLE)
                return put_table(m, msg, ret);
        return put_node(m, msg, ret);
}

void mirror_drop_node(Node *n)
{
        Table *t = n->table;
        bool found;
        size_t i = node_position(t, n->kind, n->name, &found);

        if (!found)
                return;
        node_free(t->nodes[i]);
        memmove(t->nodes + i, t->nodes + i + 1, (t->n_nodes - i - 1) * sizeof(Node *));
        t->n_nodes--;
}

void mirror_drop_table(Table *t)
{
        Mirror *m = t->mirror;
        ssize_t i = table_index(m, t->family, t->name);

        if (i < 0)
                return;
        table_free(t);
        memmove(m->tables + i, m->tables + i + 1, (m->n_tables - (size_t) i - 1) * sizeof(Table *));
        m->n_tables--;
}

void table_foreach_path(const Table *t, void (*gone)(const char *path, void *userdata), void *userdata)
{
        for (size_t i = 0; i < t->n_nodes; i++)
                gone(t->nodes[i]->path, userdata);
        gone(t->path, userdata);
}

void mirror_resync_begin(Mirror *m)
{
        m->mark++;
}

void mirror_resync_sweep(Mirror *m, void (*gone)(const char *path, void *userdata), void *userdata)
{
        for (size_t i = m->n_tables; i > 0; i--) {
                Table *t = m->tables[i - 1];

                if (t->mark != m->mark) {
                        if (gone)
                                table_foreach_path(t, gone, userdata);
                        mirror_drop_table(t);
                        continue;
                }
                for (size_t j = t->n_nodes; j > 0; j--)
                        if (t->nodes[j - 1]->mark != m->mark) {
                                if (gone)
                                        gone(t->nodes[j - 1]->path, userdata);
                                mirror_drop_node(t->nodes[j - 1]);
                        }
        }
}

void table_flags_to_names(uint32_t flags, const char *ret_names[static 3])
{
        size_t n = 0;

        if (flags & NFT_TABLE_F_DORMANT)
                ret_names[n++] = "dormant";
        if (flags & NFT_TABLE_F_OWNER)
                ret_names[n++] = "owner";
        ret_names[n] = NULL;
}

int table_compare(const void *a, const void *b)
{
        const Table *x = *(const Table *const *) a, *y = *(const Table *const *) b;
        int r = strcmp(family_to_string(x->family), family_to_string(y->family));
        return r != 0 ? r : strcmp(x->name, y->name);
}
