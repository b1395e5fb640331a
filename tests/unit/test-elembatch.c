/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <endian.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "netlink/elembatch.h"
#include "tap.h"
#include "common/util.h"

#define NFGEN_OFFSET (NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg)))

static SetShape shape(const char *type, bool interval)
{
        const DataType *fields[SET_FIELDS_MAX];
        size_t n;
        SetShape s;

        assert_int_equal(set_type_parse(type, fields, &n, NULL), 0);
        assert_int_equal(set_shape_from_kernel(set_type_pack(fields, n), 0, interval, false, &s), 0);
        return s;
}

static ElemBatch *batch_of(const SetShape *s, const char *const *elements, size_t n, bool deleting)
{
        ElemBatch *b;

        assert_int_equal(elem_batch_new(deleting, 1, "filter", "blocklist", s, NULL, 100, &b), 0);
        for (size_t i = 0; i < n; i++) {
                Element e;
                assert_int_equal(element_parse(s, elements[i], &e, NULL), 0);
                assert_int_equal(elem_batch_add(b, &e), 0);
        }
        return b;
}

/* The finished batch in one buffer, as the kernel sees it. */
static char *flatten(ElemBatch *b, size_t *ret_len)
{
        const struct iovec *iov;
        size_t n, bytes, off = 0;
        char *buf;

        assert_int_equal(elem_batch_finish(b, &iov, &n, &bytes), 0);
        buf = malloc(bytes);
        assert_non_null(buf);
        for (size_t i = 0; i < n; i++) {
                memcpy(buf + off, iov[i].iov_base, iov[i].iov_len);
                off += iov[i].iov_len;
        }
        assert_int_equal(off, bytes);
        *ret_len = bytes;
        return buf;
}

typedef struct Seen {
        char keys[16][64];
        bool ends[16];
        size_t n;
} Seen;

static int see(const RawElement *e, void *userdata)
{
        Seen *s = userdata;

        assert_true(s->n < 16);
        assert_int_equal(e->key_len, 4);
        snprintf(s->keys[s->n], sizeof(s->keys[0]), "%u.%u.%u.%u", e->key[0], e->key[1], e->key[2], e->key[3]);
        s->ends[s->n++] = e->interval_end;
        return 0;
}

static void test_interval_batch(void **state)
{
        SetShape s = shape("ipv4_addr", true);
        const char *elements[] = { "10.0.0.0/8", "192.0.2.7", "255.255.255.0/24" };
        _cleanup_(elem_batch_freep) ElemBatch *b = batch_of(&s, elements, 3, false);
        _cleanup_free_ char *buf = NULL;
        const struct nlmsghdr *begin, *msg, *end;
        size_t len;
        Seen seen = {};

        assert_int_equal(elem_batch_count(b), 3);
        buf = flatten(b, &len);
        begin = (const struct nlmsghdr *) buf;
        assert_int_equal(begin->nlmsg_type, NFNL_MSG_BATCH_BEGIN);
        assert_int_equal(begin->nlmsg_seq, 100);
        assert_int_equal(be16toh(((const struct nfgenmsg *) NLMSG_DATA(begin))->res_id), NFNL_SUBSYS_NFTABLES);
        msg = (const struct nlmsghdr *) (buf + begin->nlmsg_len);
        assert_int_equal(msg->nlmsg_type, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWSETELEM);
        assert_int_equal(msg->nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE);
        assert_int_equal(msg->nlmsg_seq, 101);
        end = (const struct nlmsghdr *) ((const char *) msg + NLMSG_ALIGN(msg->nlmsg_len));
        assert_int_equal(end->nlmsg_type, NFNL_MSG_BATCH_END);
        assert_int_equal((const char *) end + end->nlmsg_len - buf, (long) len);

        /* each interval is a start and an end one past it; none past the highest address */
        assert_int_equal(elem_message_parse(msg, see, &seen), 0);
        assert_int_equal(seen.n, 5);
        assert_string_equal(seen.keys[0], "10.0.0.0");
        assert_false(seen.ends[0]);
        assert_string_equal(seen.keys[1], "11.0.0.0");
        assert_true(seen.ends[1]);
        assert_string_equal(seen.keys[2], "192.0.2.7");
        assert_string_equal(seen.keys[3], "192.0.2.8");
        assert_true(seen.ends[3]);
        assert_string_equal(seen.keys[4], "255.255.255.0");
        assert_false(seen.ends[4]);
}

/* The kernel names a bad element by the offset of its attribute in the message: find the offset of the
 * k-th kernel element of a message. */
static uint32_t offset_of(const struct nlmsghdr *msg, size_t k)
{
        const char *p = (const char *) msg + NFGEN_OFFSET;
        const struct nlattr *a;

        /* table, set, then the list */
        for (int i = 0; i < 2; i++)
                p += NLA_ALIGN(((const struct nlattr *) p)->nla_len);
        a = (const struct nlattr *) p;
        assert_int_equal(a->nla_type & NLA_TYPE_MASK, NFTA_SET_ELEM_LIST_ELEMENTS);
        p += NLA_HDRLEN;
        for (size_t i = 0; i < k; i++)
                p += NLA_ALIGN(((const struct nlattr *) p)->nla_len);
        return (uint32_t) (p - (const char *) msg);
}

static void test_error_names_element(void **state)
{
        SetShape s = shape("ipv4_addr", true);
        const char *elements[] = { "10.0.0.0/8", "192.0.2.7", "255.255.255.0/24" };
        _cleanup_(elem_batch_freep) ElemBatch *b = batch_of(&s, elements, 3, false);
        _cleanup_free_ char *buf = NULL;
        const struct nlmsghdr *msg;
        size_t len, index;

        buf = flatten(b, &len);
        msg = (const struct nlmsghdr *) (buf + ((const struct nlmsghdr *) buf)->nlmsg_len);
        /* kernel elements: 10.0.0.0, end, 192.0.2.7, end, 255.255.255.0 */
        assert_int_equal(elem_batch_element_at(b, 101, offset_of(msg, 2), &index), 0);
        assert_int_equal(index, 1);
        /* an end belongs to its start */
        assert_int_equal(elem_batch_element_at(b, 101, offset_of(msg, 3), &index), 0);
        assert_int_equal(index, 1);
        assert_int_equal(elem_batch_element_at(b, 101, offset_of(msg, 4) + 8, &index), 0);
        assert_int_equal(index, 2);
        assert_int_equal(elem_batch_element_at(b, 100, offset_of(msg, 0), &index), -ENOENT);
        assert_int_equal(elem_batch_element_at(b, 101, 4, &index), -ENOENT);
}

static void test_many_messages(void **state)
{
        SetShape s = shape("ipv4_addr", false);
        _cleanup_(elem_batch_freep) ElemBatch *b = NULL;
        _cleanup_free_ char *buf = NULL;
        size_t len, n_messages = 0, index, total = 0;
        uint32_t last_seq = 0;
        const struct nlmsghdr *msg = NULL;

        assert_int_equal(elem_batch_new(true, 1, "filter", "blocklist", &s, NULL, 1, &b), 0);
        for (uint32_t i = 0; i < 100000; i++) {
                Element e = {};
                uint32_t be = htobe32(0x0a000000 + i);
                memcpy(e.key, &be, 4);
                memcpy(e.key_last, &be, 4);
                assert_int_equal(elem_batch_add(b, &e), 0);
        }
        buf = flatten(b, &len);
        /* after the begin marker: messages whose element lists fit a 16-bit attribute length */
        for (size_t off = ((const struct nlmsghdr *) buf)->nlmsg_len; off < len;) {
                const struct nlmsghdr *m = (const struct nlmsghdr *) (buf + off);
                if (m->nlmsg_type == NFNL_MSG_BATCH_END)
                        break;
                assert_int_equal(m->nlmsg_type, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_DELSETELEM);
                assert_true(m->nlmsg_len <= 65535 + NFGEN_OFFSET + 64);
                n_messages++;
                msg = m;
                last_seq = m->nlmsg_seq;
                off += NLMSG_ALIGN(m->nlmsg_len);
        }
        assert_true(n_messages > 20);
        /* the last message's last element is the 100000th */
        for (const char *p = (const char *) msg + offset_of(msg, 0); p < (const char *) msg + msg->nlmsg_len;
             p += NLA_ALIGN(((const struct nlattr *) p)->nla_len))
                total++;
        assert_int_equal(elem_batch_element_at(b, last_seq, offset_of(msg, total - 1), &index), 0);
        assert_int_equal(index, 99999);
}

static void test_get_request(void **state)
{
        char buf[512];
        const uint8_t key[4] = { 10, 0, 0, 1 };
        const struct nlmsghdr *nlh = (const struct nlmsghdr *) buf;

        assert_int_equal(elem_build_get(buf, sizeof(buf), 7, 2, "filter", "blocklist", NULL, 0, NULL, 0) > 0, 1);
        assert_int_equal(nlh->nlmsg_type, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETSETELEM);
        assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
        assert_int_equal(elem_build_get(buf, sizeof(buf), 8, 2, "filter", "blocklist", key, 4, NULL, 0) > 0, 1);
        assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
        assert_int_equal(elem_build_get(buf, 16, 8, 2, "filter", "blocklist", key, 4, NULL, 0), -ENOBUFS);
}

TAP_MAIN(cmocka_unit_test(test_interval_batch), cmocka_unit_test(test_error_names_element),
         cmocka_unit_test(test_many_messages), cmocka_unit_test(test_get_request))
