/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <endian.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <string.h>

#include "netlink/nfmsg.h"
#include "tap.h"
#include "common/util.h"

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

/* A nested attribute: begin_nest, put the inner attributes, end_nest. */
static struct nlattr *begin_nest(Builder *b, uint16_t type)
{
        struct nlattr *a = (struct nlattr *) (b->buf + NLMSG_ALIGN(b->nlh->nlmsg_len));

        a->nla_type = type | NLA_F_NESTED;
        b->nlh->nlmsg_len = NLMSG_ALIGN(b->nlh->nlmsg_len) + sizeof(struct nlattr);
        return a;
}

static void end_nest(Builder *b, struct nlattr *a)
{
        a->nla_len = (uint16_t) ((char *) b->nlh + b->nlh->nlmsg_len - (char *) a);
}

static void test_chain(void **state)
{
        Builder b;
        NftMessage m;
        struct nlattr *hook, *devs;
        const uint8_t udata[] = { 0, 6, 'h', 'e', 'l', 'l', 'o', 0 };

        begin(&b, NFT_MSG_NEWCHAIN, 5);
        put_string(&b, NFTA_CHAIN_TABLE, "t");
        put_string(&b, NFTA_CHAIN_NAME, "in");
        put_be64(&b, NFTA_CHAIN_HANDLE, 3);
        hook = begin_nest(&b, NFTA_CHAIN_HOOK);
        put_be32(&b, NFTA_HOOK_HOOKNUM, 0);
        put_be32(&b, NFTA_HOOK_PRIORITY, (uint32_t) -150);
        devs = begin_nest(&b, NFTA_HOOK_DEVS);
        put_string(&b, NFTA_DEVICE_NAME, "eth0");
        put_string(&b, NFTA_DEVICE_NAME, "eth1");
        end_nest(&b, devs);
        end_nest(&b, hook);
        put_be32(&b, NFTA_CHAIN_POLICY, 0);
        put_string(&b, NFTA_CHAIN_TYPE, "filter");
        put(&b, NFTA_CHAIN_USERDATA, udata, sizeof(udata));

        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_int_equal(m.kind, NFT_KIND_CHAIN);
        assert_string_equal(m.table, "t");
        assert_string_equal(m.name, "in");
        assert_int_equal(m.handle, 3);
        assert_true(m.has_hook);
        assert_int_equal(m.priority, -150);
        assert_int_equal(m.n_devices, 2);
        assert_string_equal(m.devices[1], "eth1");
        assert_true(m.has_policy);
        assert_int_equal(m.policy, 0);
        assert_string_equal(m.chain_type, "filter");
        assert_string_equal(m.comment, "hello");

        /* a regular chain */
        begin(&b, NFT_MSG_DELCHAIN, 1);
        put_string(&b, NFTA_CHAIN_TABLE, "t");
        put_string(&b, NFTA_CHAIN_NAME, "user");
        put_be64(&b, NFTA_CHAIN_HANDLE, 4);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_true(m.deleted);
        assert_false(m.has_hook);
        assert_false(m.has_policy);
        assert_null(m.chain_type);
}

static void test_objects(void **state)
{
        Builder b;
        NftMessage m;
        struct nlattr *data;

        begin(&b, NFT_MSG_NEWOBJ, 1);
        put_string(&b, NFTA_OBJ_TABLE, "t");
        put_string(&b, NFTA_OBJ_NAME, "q");
        put_be32(&b, NFTA_OBJ_TYPE, NFT_OBJECT_QUOTA);
        data = begin_nest(&b, NFTA_OBJ_DATA);
        put_be64(&b, NFTA_QUOTA_BYTES, 1000);
        put_be32(&b, NFTA_QUOTA_FLAGS, NFT_QUOTA_F_INV);
        put_be64(&b, NFTA_QUOTA_CONSUMED, 10);
        end_nest(&b, data);
        put_be64(&b, NFTA_OBJ_HANDLE, 9);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_int_equal(m.kind, NFT_KIND_QUOTA);
        assert_int_equal(m.bytes, 1000);
        assert_int_equal(m.consumed, 10);
        assert_int_equal(m.flags, NFT_QUOTA_F_INV);

        begin(&b, NFT_MSG_NEWOBJ, 1);
        put_string(&b, NFTA_OBJ_TABLE, "t");
        put_string(&b, NFTA_OBJ_NAME, "l");
        put_be32(&b, NFTA_OBJ_TYPE, NFT_OBJECT_LIMIT);
        data = begin_nest(&b, NFTA_OBJ_DATA);
        put_be64(&b, NFTA_LIMIT_RATE, 10);
        put_be64(&b, NFTA_LIMIT_UNIT, 60);
        put_be32(&b, NFTA_LIMIT_BURST, 5);
        put_be32(&b, NFTA_LIMIT_TYPE, NFT_LIMIT_PKT_BYTES);
        end_nest(&b, data);
        put_be64(&b, NFTA_OBJ_HANDLE, 10);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_int_equal(m.kind, NFT_KIND_LIMIT);
        assert_int_equal(m.rate, 10);
        assert_int_equal(m.unit, 60);
        assert_int_equal(m.burst, 5);
        assert_int_equal(m.limit_type, NFT_LIMIT_PKT_BYTES);

        /* every other kind the kernel has is on the bus too, through org.nftbus.Firewall1.Object; its data
         * is not read */
        begin(&b, NFT_MSG_NEWOBJ, 1);
        put_string(&b, NFTA_OBJ_TABLE, "t");
        put_string(&b, NFTA_OBJ_NAME, "h");
        put_be32(&b, NFTA_OBJ_TYPE, NFT_OBJECT_CT_HELPER);
        data = begin_nest(&b, NFTA_OBJ_DATA);
        put_string(&b, 1, "ftp");
        end_nest(&b, data);
        put_be64(&b, NFTA_OBJ_HANDLE, 11);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_int_equal(m.kind, NFT_KIND_CT_HELPER);
        assert_string_equal(m.name, "h");
        assert_int_equal(m.handle, 11);
        begin(&b, NFT_MSG_NEWOBJ, 1);
        put_string(&b, NFTA_OBJ_TABLE, "t");
        put_string(&b, NFTA_OBJ_NAME, "sp");
        put_be32(&b, NFTA_OBJ_TYPE, NFT_OBJECT_SYNPROXY);
        put_be64(&b, NFTA_OBJ_HANDLE, 12);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_int_equal(m.kind, NFT_KIND_SYNPROXY);

        /* a type this nftbus does not know yet */
        begin(&b, NFT_MSG_NEWOBJ, 1);
        put_string(&b, NFTA_OBJ_TABLE, "t");
        put_string(&b, NFTA_OBJ_NAME, "x");
        put_be32(&b, NFTA_OBJ_TYPE, 99);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 0);
}

static void test_flowtable_rule_and_generation(void **state)
{
        Builder b;
        NftMessage m;
        struct nlattr *hook, *devs;

        begin(&b, NFT_MSG_NEWFLOWTABLE, 1);
        put_string(&b, NFTA_FLOWTABLE_TABLE, "t");
        put_string(&b, NFTA_FLOWTABLE_NAME, "ft");
        put_be64(&b, NFTA_FLOWTABLE_HANDLE, 11);
        hook = begin_nest(&b, NFTA_FLOWTABLE_HOOK);
        put_be32(&b, NFTA_FLOWTABLE_HOOK_NUM, 0);
        put_be32(&b, NFTA_FLOWTABLE_HOOK_PRIORITY, 0);
        devs = begin_nest(&b, NFTA_FLOWTABLE_HOOK_DEVS);
        put_string(&b, NFTA_DEVICE_NAME, "veth0");
        end_nest(&b, devs);
        end_nest(&b, hook);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_int_equal(m.kind, NFT_KIND_FLOWTABLE);
        assert_int_equal(m.n_devices, 1);
        assert_string_equal(m.devices[0], "veth0");

        begin(&b, NFT_MSG_NEWRULE, 1);
        put_string(&b, NFTA_RULE_TABLE, "t");
        put_string(&b, NFTA_RULE_CHAIN, "c");
        put_be64(&b, NFTA_RULE_HANDLE, 12);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_int_equal(m.kind, NFT_KIND_RULE);
        assert_string_equal(m.chain, "c");
        assert_int_equal(m.handle, 12);

        begin(&b, NFT_MSG_NEWGEN, 0);
        put_be32(&b, NFTA_GEN_ID, 7);
        put_be32(&b, NFTA_GEN_PROC_PID, 4242);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_int_equal(m.pid, 4242);
}

static void test_get_object_request(void **state)
{
        _Alignas(struct nlmsghdr) char buf[256];
        const struct nlattr *a;
        int len = nfmsg_build_get_object(buf, sizeof(buf), 77, 1, "filter", "hits", NFT_KIND_COUNTER);
        const struct nlmsghdr *nlh = (const struct nlmsghdr *) buf;
        uint32_t type;

        /* header, then table, name and type attributes */
        assert_int_equal(len, NLMSG_HDRLEN + 4 + 12 + 12 + 8);
        assert_int_equal(nlh->nlmsg_len, len);
        assert_int_equal(nlh->nlmsg_type, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETOBJ);
        assert_int_equal(nlh->nlmsg_seq, 77);
        a = (const struct nlattr *) (buf + NLMSG_HDRLEN + 4);
        assert_int_equal(a->nla_type, NFTA_OBJ_TABLE);
        assert_string_equal((const char *) (a + 1), "filter");
        a = (const struct nlattr *) ((const char *) a + 12);
        assert_string_equal((const char *) (a + 1), "hits");
        a = (const struct nlattr *) ((const char *) a + 12);
        memcpy(&type, a + 1, 4);
        assert_int_equal(be32toh(type), NFT_OBJECT_COUNTER);

        assert_int_equal(nfmsg_build_get_object(buf, 40, 1, 1, "filter", "hits", NFT_KIND_COUNTER), -ENOBUFS);
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

/* element events are counted per message, for the sets' ElementsChanged */
static void test_elements(void **state)
{
        Builder b;
        NftMessage m;
        struct nlattr *list;

        begin(&b, NFT_MSG_DELSETELEM, 2);
        put_string(&b, NFTA_SET_ELEM_LIST_TABLE, "filter");
        put_string(&b, NFTA_SET_ELEM_LIST_SET, "blocked");
        list = begin_nest(&b, NFTA_SET_ELEM_LIST_ELEMENTS);
        for (int i = 0; i < 3; i++) {
                struct nlattr *e = begin_nest(&b, NFTA_LIST_ELEM);
                put_be32(&b, NFTA_SET_ELEM_FLAGS, 0);
                end_nest(&b, e);
        }
        end_nest(&b, list);
        assert_int_equal(nfmsg_parse(b.nlh, &m), 1);
        assert_int_equal(m.kind, NFT_KIND_ELEMENTS);
        assert_true(m.deleted);
        assert_string_equal(m.table, "filter");
        assert_string_equal(m.name, "blocked");
        assert_int_equal(m.n_elements, 3);
}

static void test_ignored_messages(void **state)
{
        Builder b;
        NftMessage m;

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

TAP_MAIN(cmocka_unit_test(test_new_table), cmocka_unit_test(test_del_table), cmocka_unit_test(test_chain),
         cmocka_unit_test(test_objects), cmocka_unit_test(test_flowtable_rule_and_generation),
         cmocka_unit_test(test_get_object_request), cmocka_unit_test(test_generation), cmocka_unit_test(test_elements),
         cmocka_unit_test(test_ignored_messages), cmocka_unit_test(test_malformed_messages))
