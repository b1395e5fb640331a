/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <endian.h>
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <string.h>

#include "netlink/nfmsg.h"
#include "common/util.h"

#define ATTR_ALIGN(n) (((n) + 3U) & ~3U)

typedef struct Attrs {
        const struct nlattr *a[24]; /* more than any object type nftbus parses has */
        size_t max;
} Attrs;

static int parse_span(const void *start, size_t len, Attrs *attrs, size_t max)
{
        size_t off = 0;

        memset(attrs, 0, sizeof(*attrs));
        if (max > ELEMENTSOF(attrs->a))
                return -EINVAL;
        attrs->max = max;

        while (off + sizeof(struct nlattr) <= len) {
                const struct nlattr *a = (const struct nlattr *) ((const char *) start + off);
                uint16_t type = a->nla_type & NLA_TYPE_MASK;

                if (a->nla_len < sizeof(struct nlattr) || off + a->nla_len > len)
                        return -EBADMSG;
                if (type < max)
                        attrs->a[type] = a;
                off += ATTR_ALIGN(a->nla_len);
        }
        return 0;
}

static int parse_attrs(const struct nlmsghdr *nlh, Attrs *attrs, size_t max)
{
        size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));

        if (nlh->nlmsg_len < off)
                return -EBADMSG;
        return parse_span((const char *) nlh + off, nlh->nlmsg_len - off, attrs, max);
}

static size_t payload_len(const struct nlattr *a)
{
        return a->nla_len - sizeof(struct nlattr);
}

static const void *payload(const struct nlattr *a)
{
        return (const char *) a + sizeof(struct nlattr);
}

static int get_string(const struct nlattr *a, const char **ret)
{
        size_t n;

        if (!a)
                return -EBADMSG;
        n = payload_len(a);
        if (n == 0 || memchr(payload(a), '\0', n) == NULL)
                return -EBADMSG;
        *ret = payload(a);
        return 0;
}

static int parse_nested(const struct nlattr *a, Attrs *attrs, size_t max)
{
        return parse_span((const char *) a + sizeof(struct nlattr), a->nla_len - sizeof(struct nlattr), attrs, max);
}

static int get_be32(const struct nlattr *a, uint32_t *ret)
{
        uint32_t v;

        if (!a || payload_len(a) < sizeof(v))
                return -EBADMSG;
        memcpy(&v, payload(a), sizeof(v));
        *ret = be32toh(v);
        return 0;
}

static int get_be64(const struct nlattr *a, uint64_t *ret)
{
        uint64_t v;

        if (!a || payload_len(a) < sizeof(v))
                return -EBADMSG;
        memcpy(&v, payload(a), sizeof(v));
        *ret = be64toh(v);
        return 0;
}

/* libnftnl's user data: a sequence of (u8 type, u8 length, value). The comment is a string with its NUL:
 * type 0 for tables, chains and objects, 7 for sets (NFTNL_UDATA_SET_COMMENT). */
static const uint8_t *get_udata(const struct nlattr *a, uint8_t type, uint8_t *ret_len)
{
        const uint8_t *p, *end;

        if (!a)
                return NULL;
        p = payload(a);
        end = p + payload_len(a);
        while (p + 2 <= end && p + 2 + p[1] <= end) {
                if (p[0] == type && p[1] > 0) {
                        *ret_len = p[1];
                        return p + 2;
                }
                p += 2 + p[1];
        }
        return NULL;
}

static void get_comment(const struct nlattr *a, uint8_t type, const char **ret)
{
        uint8_t len;
        const uint8_t *s = get_udata(a, type, &len);

        *ret = s && s[len - 1] == '\0' ? (const char *) s : NULL;
}

/* A list of NFTA_DEVICE_NAME strings. */
static int get_devices(const struct nlattr *a, NftMessage *m)
{
        size_t off = sizeof(struct nlattr);

        while (off + sizeof(struct nlattr) <= a->nla_len) {
                const struct nlattr *d = (const struct nlattr *) ((const char *) a + off);

                if (d->nla_len < sizeof(struct nlattr) || off + d->nla_len > a->nla_len)
                        return -EBADMSG;
                if ((d->nla_type & NLA_TYPE_MASK) == NFTA_DEVICE_NAME) {
                        if (m->n_devices >= NFTBUS_DEVICES_MAX || get_string(d, &m->devices[m->n_devices]) < 0)
                                return -EBADMSG;
                        m->n_devices++;
                }
                off += ATTR_ALIGN(d->nla_len);
        }
        return 0;
}

/* NFTA_CHAIN_HOOK and NFTA_FLOWTABLE_HOOK share their first two attribute numbers; a chain names one
 * device in NFTA_HOOK_DEV or several in NFTA_HOOK_DEVS, a flowtable uses NFTA_FLOWTABLE_HOOK_DEVS. */
static int get_hook(const struct nlattr *a, bool flowtable, NftMessage *m)
{
        Attrs hook;
        uint32_t prio;

        if (!a)
                return 0;
        if (parse_nested(a, &hook, __NFTA_HOOK_MAX) < 0 || get_be32(hook.a[NFTA_HOOK_HOOKNUM], &m->hooknum) < 0 ||
            get_be32(hook.a[NFTA_HOOK_PRIORITY], &prio) < 0)
                return -EBADMSG;
        m->priority = (int32_t) prio;
        m->has_hook = true;
        if (flowtable)
                return hook.a[NFTA_FLOWTABLE_HOOK_DEVS] ? get_devices(hook.a[NFTA_FLOWTABLE_HOOK_DEVS], m) : 0;
        if (hook.a[NFTA_HOOK_DEV]) {
                if (get_string(hook.a[NFTA_HOOK_DEV], &m->devices[0]) < 0)
                        return -EBADMSG;
                m->n_devices = 1;
        }
        return hook.a[NFTA_HOOK_DEVS] ? get_devices(hook.a[NFTA_HOOK_DEVS], m) : 0;
}

static int parse_table(const struct nlmsghdr *nlh, NftMessage *m)
{
        Attrs attrs;

        if (parse_attrs(nlh, &attrs, __NFTA_TABLE_MAX) < 0 || get_string(attrs.a[NFTA_TABLE_NAME], &m->table) < 0 ||
            get_be64(attrs.a[NFTA_TABLE_HANDLE], &m->handle) < 0)
                return -EBADMSG;
        if (attrs.a[NFTA_TABLE_FLAGS] && get_be32(attrs.a[NFTA_TABLE_FLAGS], &m->flags) < 0)
                return -EBADMSG;
        get_comment(attrs.a[NFTA_TABLE_USERDATA], 0, &m->comment);
        m->kind = NFT_KIND_TABLE;
        return 1;
}

static int parse_chain(const struct nlmsghdr *nlh, NftMessage *m)
{
        Attrs attrs;

        if (parse_attrs(nlh, &attrs, __NFTA_CHAIN_MAX) < 0 || get_string(attrs.a[NFTA_CHAIN_TABLE], &m->table) < 0 ||
            get_string(attrs.a[NFTA_CHAIN_NAME], &m->name) < 0 ||
            get_be64(attrs.a[NFTA_CHAIN_HANDLE], &m->handle) < 0 || get_hook(attrs.a[NFTA_CHAIN_HOOK], false, m) < 0)
                return -EBADMSG;
        if (attrs.a[NFTA_CHAIN_FLAGS] && get_be32(attrs.a[NFTA_CHAIN_FLAGS], &m->flags) < 0)
                return -EBADMSG;
        if (attrs.a[NFTA_CHAIN_POLICY]) {
                if (get_be32(attrs.a[NFTA_CHAIN_POLICY], &m->policy) < 0)
                        return -EBADMSG;
                m->has_policy = true;
        }
        if (attrs.a[NFTA_CHAIN_TYPE] && get_string(attrs.a[NFTA_CHAIN_TYPE], &m->chain_type) < 0)
                return -EBADMSG;
        get_comment(attrs.a[NFTA_CHAIN_USERDATA], 0, &m->comment);
        m->kind = NFT_KIND_CHAIN;
        return 1;
}

static int parse_object_data(const struct nlattr *a, NftMessage *m)
{
        Attrs data;

        switch (m->kind) {
        case NFT_KIND_COUNTER:
                if (parse_nested(a, &data, __NFTA_COUNTER_MAX) < 0 ||
                    get_be64(data.a[NFTA_COUNTER_PACKETS], &m->packets) < 0 ||
                    get_be64(data.a[NFTA_COUNTER_BYTES], &m->bytes) < 0)
                        return -EBADMSG;
                return 0;
        case NFT_KIND_QUOTA:
                if (parse_nested(a, &data, __NFTA_QUOTA_MAX) < 0 ||
                    get_be64(data.a[NFTA_QUOTA_BYTES], &m->bytes) < 0 ||
                    get_be32(data.a[NFTA_QUOTA_FLAGS], &m->flags) < 0)
                        return -EBADMSG;
                if (data.a[NFTA_QUOTA_CONSUMED] && get_be64(data.a[NFTA_QUOTA_CONSUMED], &m->consumed) < 0)
                        return -EBADMSG;
                return 0;
        case NFT_KIND_LIMIT:
                if (parse_nested(a, &data, __NFTA_LIMIT_MAX) < 0 || get_be64(data.a[NFTA_LIMIT_RATE], &m->rate) < 0 ||
                    get_be64(data.a[NFTA_LIMIT_UNIT], &m->unit) < 0 ||
                    get_be32(data.a[NFTA_LIMIT_BURST], &m->burst) < 0 ||
                    get_be32(data.a[NFTA_LIMIT_TYPE], &m->limit_type) < 0)
                        return -EBADMSG;
                if (data.a[NFTA_LIMIT_FLAGS] && get_be32(data.a[NFTA_LIMIT_FLAGS], &m->flags) < 0)
                        return -EBADMSG;
                return 0;
        default:
                return -EBADMSG;
        }
}

static const NftKind object_kinds[] = {
        [NFT_OBJECT_COUNTER] = NFT_KIND_COUNTER,
        [NFT_OBJECT_QUOTA] = NFT_KIND_QUOTA,
        [NFT_OBJECT_LIMIT] = NFT_KIND_LIMIT,
        [NFT_OBJECT_CT_HELPER] = NFT_KIND_CT_HELPER,
        [NFT_OBJECT_CONNLIMIT] = NFT_KIND_CONNLIMIT,
        [NFT_OBJECT_TUNNEL] = NFT_KIND_TUNNEL,
        [NFT_OBJECT_CT_TIMEOUT] = NFT_KIND_CT_TIMEOUT,
        [NFT_OBJECT_SECMARK] = NFT_KIND_SECMARK,
        [NFT_OBJECT_CT_EXPECT] = NFT_KIND_CT_EXPECTATION,
        [NFT_OBJECT_SYNPROXY] = NFT_KIND_SYNPROXY,
};

uint32_t nft_kind_object_type(NftKind kind)
{
        for (uint32_t i = 0; i < ELEMENTSOF(object_kinds); i++)
                if (object_kinds[i] != NFT_KIND_NONE && object_kinds[i] == kind)
                        return i;
        return 0;
}

static int parse_object(const struct nlmsghdr *nlh, NftMessage *m)
{
        Attrs attrs;
        uint32_t type;

        if (parse_attrs(nlh, &attrs, __NFTA_OBJ_MAX) < 0 || get_be32(attrs.a[NFTA_OBJ_TYPE], &type) < 0)
                return -EBADMSG;
        if (type >= ELEMENTSOF(object_kinds) || object_kinds[type] == NFT_KIND_NONE)
                return 0; /* a kind this kernel has and nftbus does not know yet */
        m->kind = object_kinds[type];
        if (get_string(attrs.a[NFTA_OBJ_TABLE], &m->table) < 0 || get_string(attrs.a[NFTA_OBJ_NAME], &m->name) < 0 ||
            get_be64(attrs.a[NFTA_OBJ_HANDLE], &m->handle) < 0)
                return -EBADMSG;
        /* a deletion event carries the data too, but nothing needs it */
        if (attrs.a[NFTA_OBJ_DATA] &&
            (m->kind == NFT_KIND_COUNTER || m->kind == NFT_KIND_QUOTA || m->kind == NFT_KIND_LIMIT) &&
            parse_object_data(attrs.a[NFTA_OBJ_DATA], m) < 0)
                return -EBADMSG;
        get_comment(attrs.a[NFTA_OBJ_USERDATA], 0, &m->comment);
        return 1;
}

static int parse_flowtable(const struct nlmsghdr *nlh, NftMessage *m)
{
        Attrs attrs;

        if (parse_attrs(nlh, &attrs, __NFTA_FLOWTABLE_MAX) < 0 ||
            get_string(attrs.a[NFTA_FLOWTABLE_TABLE], &m->table) < 0 ||
            get_string(attrs.a[NFTA_FLOWTABLE_NAME], &m->name) < 0 ||
            get_be64(attrs.a[NFTA_FLOWTABLE_HANDLE], &m->handle) < 0 ||
            get_hook(attrs.a[NFTA_FLOWTABLE_HOOK], true, m) < 0)
                return -EBADMSG;
        if (attrs.a[NFTA_FLOWTABLE_FLAGS] && get_be32(attrs.a[NFTA_FLOWTABLE_FLAGS], &m->flags) < 0)
                return -EBADMSG;
        m->kind = NFT_KIND_FLOWTABLE;
        return 1;
}

/* Named sets and maps; the anonymous sets of rules ({ 22, 80 }) belong to their rule and are not followed. */
static int parse_set(const struct nlmsghdr *nlh, NftMessage *m)
{
        Attrs attrs;
        uint8_t len;
        const uint8_t *merge;

        if (parse_attrs(nlh, &attrs, __NFTA_SET_MAX) < 0 || get_string(attrs.a[NFTA_SET_TABLE], &m->table) < 0 ||
            get_string(attrs.a[NFTA_SET_NAME], &m->name) < 0 || get_be64(attrs.a[NFTA_SET_HANDLE], &m->handle) < 0)
                return -EBADMSG;
        if (attrs.a[NFTA_SET_FLAGS] && get_be32(attrs.a[NFTA_SET_FLAGS], &m->flags) < 0)
                return -EBADMSG;
        /* a meter (nft's "meter m { ip saddr limit ... }") is anonymous and dynamic, with the name it was given:
         * a set like the others, filled by its rule */
        if ((m->flags & NFT_SET_ANONYMOUS) && !(m->flags & NFT_SET_EVAL))
                return 0;
        if (!m->deleted) {
                if (get_be32(attrs.a[NFTA_SET_KEY_TYPE], &m->set.key_type) < 0 ||
                    get_be32(attrs.a[NFTA_SET_KEY_LEN], &m->set.key_len) < 0)
                        return -EBADMSG;
                if (attrs.a[NFTA_SET_DATA_TYPE] && get_be32(attrs.a[NFTA_SET_DATA_TYPE], &m->set.data_type) < 0)
                        return -EBADMSG;
                if (attrs.a[NFTA_SET_TIMEOUT] && get_be64(attrs.a[NFTA_SET_TIMEOUT], &m->set.timeout_ms) < 0)
                        return -EBADMSG;
                if (attrs.a[NFTA_SET_GC_INTERVAL] &&
                    get_be32(attrs.a[NFTA_SET_GC_INTERVAL], &m->set.gc_interval_ms) < 0)
                        return -EBADMSG;
                if (attrs.a[NFTA_SET_POLICY] && get_be32(attrs.a[NFTA_SET_POLICY], &m->set.policy) < 0)
                        return -EBADMSG;
                if (attrs.a[NFTA_SET_DESC]) {
                        Attrs desc;
                        if (parse_nested(attrs.a[NFTA_SET_DESC], &desc, __NFTA_SET_DESC_MAX) < 0)
                                return -EBADMSG;
                        if (desc.a[NFTA_SET_DESC_SIZE] && get_be32(desc.a[NFTA_SET_DESC_SIZE], &m->set.size) < 0)
                                return -EBADMSG;
                }
                get_comment(attrs.a[NFTA_SET_USERDATA], 7, &m->comment);
                /* NFTNL_UDATA_SET_MERGE_ELEMENTS */
                merge = get_udata(attrs.a[NFTA_SET_USERDATA], 2, &len);
                m->set.auto_merge = merge && len == 4 && (merge[0] | merge[1] | merge[2] | merge[3]);
                m->set.has_counter = attrs.a[NFTA_SET_EXPR] || attrs.a[NFTA_SET_EXPRESSIONS];
        }
        m->kind = (m->flags & NFT_SET_MAP) ? NFT_KIND_MAP : NFT_KIND_SET;
        return 1;
}

static int parse_rule(const struct nlmsghdr *nlh, NftMessage *m)
{
        Attrs attrs;

        if (parse_attrs(nlh, &attrs, __NFTA_RULE_MAX) < 0 || get_string(attrs.a[NFTA_RULE_TABLE], &m->table) < 0 ||
            get_string(attrs.a[NFTA_RULE_CHAIN], &m->chain) < 0 || get_be64(attrs.a[NFTA_RULE_HANDLE], &m->handle) < 0)
                return -EBADMSG;
        m->has_position = attrs.a[NFTA_RULE_POSITION] && get_be64(attrs.a[NFTA_RULE_POSITION], &m->position) >= 0;
        m->appended = nlh->nlmsg_flags & NLM_F_APPEND;
        m->kind = NFT_KIND_RULE;
        return 1;
}

/* NEWSETELEM, DELSETELEM: the set, and how many elements */
static int parse_elements(const struct nlmsghdr *nlh, NftMessage *m)
{
        const struct nlattr *list, *a;
        Attrs attrs;
        size_t left;

        if (parse_attrs(nlh, &attrs, __NFTA_SET_ELEM_LIST_MAX) < 0 ||
            get_string(attrs.a[NFTA_SET_ELEM_LIST_TABLE], &m->table) < 0 ||
            get_string(attrs.a[NFTA_SET_ELEM_LIST_SET], &m->name) < 0)
                return -EBADMSG;
        list = attrs.a[NFTA_SET_ELEM_LIST_ELEMENTS];
        /* each element is one nested attribute of the list */
        left = list ? payload_len(list) : 0;
        a = list ? payload(list) : NULL;
        while (left >= sizeof(struct nlattr)) {
                size_t len = NLA_ALIGN((size_t) a->nla_len);
                if (a->nla_len < sizeof(struct nlattr) || a->nla_len > left)
                        return -EBADMSG;
                m->n_elements++;
                if (len >= left)
                        break;
                left -= len;
                a = (const struct nlattr *) ((const char *) a + len);
        }
        m->kind = NFT_KIND_ELEMENTS;
        return 1;
}

static int parse_generation(const struct nlmsghdr *nlh, NftMessage *m)
{
        Attrs attrs;

        if (parse_attrs(nlh, &attrs, __NFTA_GEN_MAX) < 0 || get_be32(attrs.a[NFTA_GEN_ID], &m->generation) < 0)
                return -EBADMSG;
        if (attrs.a[NFTA_GEN_PROC_PID] && get_be32(attrs.a[NFTA_GEN_PROC_PID], &m->pid) < 0)
                return -EBADMSG;
        m->kind = NFT_KIND_GENERATION;
        return 1;
}

/* the messages read: a kind's NEW and DEL (-1: it has none), parsed alike */
/* clang-format off */
static const struct {
        int new, del;
        int (*parse)(const struct nlmsghdr *nlh, NftMessage *m);
} parsers[] = {
        { NFT_MSG_NEWTABLE,     NFT_MSG_DELTABLE,     parse_table },
        { NFT_MSG_NEWCHAIN,     NFT_MSG_DELCHAIN,     parse_chain },
        { NFT_MSG_NEWOBJ,       NFT_MSG_DELOBJ,       parse_object },
        { NFT_MSG_NEWFLOWTABLE, NFT_MSG_DELFLOWTABLE, parse_flowtable },
        { NFT_MSG_NEWSET,       NFT_MSG_DELSET,       parse_set },
        { NFT_MSG_NEWRULE,      NFT_MSG_DELRULE,      parse_rule },
        { NFT_MSG_NEWSETELEM,   NFT_MSG_DELSETELEM,   parse_elements },
        { NFT_MSG_NEWGEN,       -1,                   parse_generation },
};
/* clang-format on */

int nfmsg_parse(const struct nlmsghdr *nlh, NftMessage *ret)
{
        const struct nfgenmsg *nfg;
        NftMessage m = {};
        int type = NFNL_MSG_TYPE(nlh->nlmsg_type);
        int r;

        if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct nfgenmsg))
                return -EBADMSG;
        if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_NFTABLES)
                return 0;
        nfg = NLMSG_DATA(nlh);
        m.family = nfg->nfgen_family;
        m.dumped = nlh->nlmsg_flags & NLM_F_MULTI;

        for (size_t i = 0; i < ELEMENTSOF(parsers); i++) {
                if (type != parsers[i].new &&type != parsers[i].del)
                        continue;
                m.deleted = type == parsers[i].del;
                r = parsers[i].parse(nlh, &m);
                if (r <= 0)
                        return r;
                *ret = m;
                return 1;
        }
        return 0;
}

static int put_attr(char *buf, size_t size, size_t *len, uint16_t type, const void *data, size_t n)
{
        struct nlattr a = { .nla_type = type, .nla_len = (uint16_t) (sizeof(a) + n) };

        if (n > UINT16_MAX - sizeof(a) || *len + ATTR_ALIGN(a.nla_len) > size)
                return -ENOBUFS;
        memset(buf + *len, 0, ATTR_ALIGN(a.nla_len));
        memcpy(buf + *len, &a, sizeof(a));
        memcpy(buf + *len + sizeof(a), data, n);
        *len += ATTR_ALIGN(a.nla_len);
        return 0;
}

int nfmsg_build_get_object(void *buf, size_t size, uint32_t seq, int family, const char *table, const char *name,
                           NftKind kind)
{
        size_t len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));
        uint32_t type = htobe32(nft_kind_object_type(kind));
        struct nlmsghdr *nlh = buf;
        struct nfgenmsg *nfg;

        if (size < len || size > UINT32_MAX)
                return -ENOBUFS;
        memset(buf, 0, len);
        if (put_attr(buf, size, &len, NFTA_OBJ_TABLE, table, strlen(table) + 1) < 0 ||
            put_attr(buf, size, &len, NFTA_OBJ_NAME, name, strlen(name) + 1) < 0 ||
            put_attr(buf, size, &len, NFTA_OBJ_TYPE, &type, sizeof(type)) < 0)
                return -ENOBUFS;
        nlh->nlmsg_len = (uint32_t) len;
        nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETOBJ;
        nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
        nlh->nlmsg_seq = seq;
        nfg = NLMSG_DATA(nlh);
        nfg->nfgen_family = (uint8_t) family;
        nfg->version = NFNETLINK_V0;
        return (int) len;
}
