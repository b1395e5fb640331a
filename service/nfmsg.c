/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <endian.h>
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <string.h>

#include "nfmsg.h"
#include "util.h"

#define ATTR_ALIGN(n) (((n) + 3U) & ~3U)

typedef struct Attrs {
        const struct nlattr *a[16]; /* more than any object type nftbus parses has */
        size_t max;
} Attrs;

static int parse_attrs(const struct nlmsghdr *nlh, Attrs *attrs, size_t max)
{
        size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));

        memset(attrs, 0, sizeof(*attrs));
        if (max > ELEMENTSOF(attrs->a))
                return -EINVAL;
        attrs->max = max;
        if (nlh->nlmsg_len < off)
                return -EBADMSG;

        while (off + sizeof(struct nlattr) <= nlh->nlmsg_len) {
                const struct nlattr *a = (const struct nlattr *) ((const char *) nlh + off);
                uint16_t type = a->nla_type & NLA_TYPE_MASK;

                if (a->nla_len < sizeof(struct nlattr) || off + a->nla_len > nlh->nlmsg_len)
                        return -EBADMSG;
                if (type < max)
                        attrs->a[type] = a;
                off += ATTR_ALIGN(a->nla_len);
        }
        return 0;
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

int nfmsg_parse(const struct nlmsghdr *nlh, NftMessage *ret)
{
        const struct nfgenmsg *nfg;
        NftMessage m = {};
        Attrs attrs;
        int r;

        if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct nfgenmsg))
                return -EBADMSG;
        if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_NFTABLES)
                return 0;
        nfg = NLMSG_DATA(nlh);
        m.family = nfg->nfgen_family;

        switch (NFNL_MSG_TYPE(nlh->nlmsg_type)) {
        case NFT_MSG_NEWTABLE:
        case NFT_MSG_DELTABLE:
                r = parse_attrs(nlh, &attrs, __NFTA_TABLE_MAX);
                if (r < 0)
                        return r;
                m.kind = NFT_OBJECT_TABLE;
                m.deleted = NFNL_MSG_TYPE(nlh->nlmsg_type) == NFT_MSG_DELTABLE;
                if (get_string(attrs.a[NFTA_TABLE_NAME], &m.table) < 0 ||
                    get_be64(attrs.a[NFTA_TABLE_HANDLE], &m.handle) < 0)
                        return -EBADMSG;
                if (attrs.a[NFTA_TABLE_FLAGS] && get_be32(attrs.a[NFTA_TABLE_FLAGS], &m.flags) < 0)
                        return -EBADMSG;
                break;
        case NFT_MSG_NEWGEN:
                r = parse_attrs(nlh, &attrs, __NFTA_GEN_MAX);
                if (r < 0)
                        return r;
                m.kind = NFT_OBJECT_GENERATION;
                if (get_be32(attrs.a[NFTA_GEN_ID], &m.generation) < 0)
                        return -EBADMSG;
                break;
        default:
                return 0;
        }

        *ret = m;
        return 1;
}
