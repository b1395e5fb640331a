/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <endian.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <string.h>

#include "nfmsg.h"
#include "tap.h"
#include "util.h"

/* Builds nf_tables netlink messages the way the kernel lays them out. */
typedef struct Builder {
        _Alignas(struct nlmsghdr) char buf[512];
        struct nlmsghdr *nlh;
} Builder;

static void begin(Builder *b, uint16_t type, uint8_t family)
{
        struct nfgenmsg *nfg;

        memset(b->buf, 0, sizeof(b->buf));
        b->nlh = (struct nlmsghdr *) b->buf;
        b->nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | type;
        b->nlh->nlmsg_len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));
        nfg = NLMSG_DATA(b->nlh);
        nfg->nfgen_family = family;
        nfg->version = NFNETLINK_V0;
}

static void put(Builder *b, uint16_t type, const void *data, size_t len)
{
        struct nlattr *a = (struct nlattr *) (b->buf + NLMSG_ALIGN(b->nlh->nlmsg_len));

        a->nla_type = type;
        a->nla_len = (uint16_t) (sizeof(struct nlattr) + len);
        memcpy((char *) a + sizeof(struct nlattr), data, len);
        b->nlh->nlmsg_len = NLMSG_ALIGN(b->nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void put_string(Builder *b, uint16_t type, const char *s)
{
        put(b, type, s, strlen(s) + 1);
}

static void put_be32(Builder *b, uint16_t type, uint32_t v)
{
        v = htobe32(v);
        put(b, type, &v, sizeof(v));
}

static void put_be64(Builder *b, uint16_t type, uint64_t v)
{
        v = htobe64(v);
        put(b, type, &v, sizeof(v));
}

static void test_new_table(void **state)
{
        Builder b;
        NftMessage m;

        begin(&b, NFT_MSG_NEWTABLE, 1);
        put_string(&b, NFTA_TABLE_NAME, "filter");
        put_be32(&b, NFTA_TABLE_FLAGS, NFT_TABLE_F_DORMANT);
        put_be32(&b, NFTA_TABLE_USE, 3);
        put_be64(&b, NFTA_TABLE_HANDLE | NLA_F_NET_BYTEORDER, 42);

        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_int_equal(m.kind, NFT_KIND_TABLE);
        assert_false(m.deleted);
        assert_int_equal(m.family, 1);
        assert_string_equal(m.table, "filter");
        assert_int_equal(m.handle, 42);
        assert_int_equal(m.flags, NFT_TABLE_F_DORMANT);
}

static void test_del_table(void **state)
{
        Builder b;
        NftMessage m;

        begin(&b, NFT_MSG_DELTABLE, 10);
        put_string(&b, NFTA_TABLE_NAME, "t6");
        put_be64(&b, NFTA_TABLE_HANDLE, 5);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_true(m.deleted);
        assert_int_equal(m.family, 10);
        assert_string_equal(m.table, "t6");
        assert_int_equal(m.flags, 0);
}

static void test_generation(void **state)
{
        Builder b;
        NftMessage m;

        begin(&b, NFT_MSG_NEWGEN, 0);
        put_be32(&b, NFTA_GEN_ID, 1234);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_int_equal(m.kind, NFT_KIND_GENERATION);
        assert_int_equal(m.generation, 1234);
}

static void test_ignored_messages(void **state)
{
        Builder b;
        NftMessage m;

        begin(&b, NFT_MSG_NEWSETELEM, 1);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 0);
        begin(&b, NFT_MSG_NEWTABLE, 1);
        b.nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | NFT_MSG_NEWTABLE;
        assert_int_equal(nfmsg_parse(b.nlh, &m), 0);
}

static void test_malformed_messages(void **state)
{
        Builder b;
        NftMessage m;
        const char unterminated[3] = { 'a', 'b', 'c' };

        /* no name */
        begin(&b, NFT_MSG_NEWTABLE, 1);
        put_be64(&b, NFTA_TABLE_HANDLE, 1);
        assert_int_equal(nfmsg_parse(b.nlh, &m), -EBADMSG);

        /* a name without its NUL */
        begin(&b, NFT_MSG_NEWTABLE, 1);
        put(&b, NFTA_TABLE_NAME, unterminated, sizeof(unterminated));
        put_be64(&b, NFTA_TABLE_HANDLE, 1);
        assert_int_equal(nfmsg_parse(b.nlh, &m), -EBADMSG);

        /* a short handle */
        begin(&b, NFT_MSG_NEWTABLE, 1);
        put_string(&b, NFTA_TABLE_NAME, "x");
        put_be32(&b, NFTA_TABLE_HANDLE, 1);
        assert_int_equal(nfmsg_parse(b.nlh, &m), -EBADMSG);

        /* an attribute running past the message */
        begin(&b, NFT_MSG_NEWTABLE, 1);
        put_string(&b, NFTA_TABLE_NAME, "x");
        b.nlh->nlmsg_len -= 4;
        assert_int_equal(nfmsg_parse(b.nlh, &m), -EBADMSG);

        /* shorter than its headers */
        begin(&b, NFT_MSG_NEWTABLE, 1);
        b.nlh->nlmsg_len = NLMSG_HDRLEN;
        assert_int_equal(nfmsg_parse(b.nlh, &m), -EBADMSG);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_new_table),
                cmocka_unit_test(test_del_table),
                cmocka_unit_test(test_generation),
                cmocka_unit_test(test_ignored_messages),
                cmocka_unit_test(test_malformed_messages),
        };
        cmocka_set_message_output(CM_OUTPUT_TAP);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
