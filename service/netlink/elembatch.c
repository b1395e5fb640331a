/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <endian.h>
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netlink/elembatch.h"
#include "common/util.h"

#define ALIGN4(n) (((n) + 3U) & ~3U)
#define NFGEN_OFFSET (NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg)))

/* Buffers of 1 MiB; sendmsg() takes at most 1024 of them, which is far more than the kernel's 64 MiB of
 * elements per set commands ever need. */
#define CHUNK_SIZE (1U << 20)
#define CHUNKS_MAX 1024
/* A nested attribute's length is 16 bits: a message's elements stay below that, with room for the
 * largest element nftbus writes (two kernel elements with every attribute). */
#define NEST_MAX 65535U
#define ELEMENT_ROOM 1400U
#define MESSAGE_MAX (NEST_MAX + 1024U)

typedef struct Message {
        uint32_t chunk;
        uint32_t offset;
        size_t first; /* index of its first element */
} Message;

struct ElemBatch {
        struct iovec chunks[CHUNKS_MAX];
        size_t n_chunks;
        Message *messages;
        size_t n_messages, messages_size;
        struct nlattr *elements; /* the open message's list, or NULL */
        size_t count;
        bool deleting;
        int family;
        uint32_t seq;
        char table[256], set[256];
        SetShape shape;
        ElemOptions options;
        char comment[129];
};

static void *tail(ElemBatch *b)
{
        struct iovec *c = &b->chunks[b->n_chunks - 1];
        return (char *) c->iov_base + c->iov_len;
}

static int ensure_room(ElemBatch *b, size_t n)
{
        if (b->n_chunks > 0 && b->chunks[b->n_chunks - 1].iov_len + n <= CHUNK_SIZE)
                return 0;
        if (b->n_chunks == CHUNKS_MAX)
                return -E2BIG;
        b->chunks[b->n_chunks].iov_base = malloc(CHUNK_SIZE);
        if (!b->chunks[b->n_chunks].iov_base)
                return -ENOMEM;
        b->chunks[b->n_chunks++].iov_len = 0;
        return 0;
}

/* Appends len bytes to the current chunk; ensure_room() has made the space. */
static void *put(ElemBatch *b, size_t len)
{
        void *p = tail(b);

        memset(p, 0, ALIGN4(len));
        b->chunks[b->n_chunks - 1].iov_len += ALIGN4(len);
        return p;
}

static struct nlattr *put_attr(ElemBatch *b, uint16_t type, const void *data, size_t len)
{
        struct nlattr *a = put(b, sizeof(struct nlattr) + len);

        a->nla_type = type;
        a->nla_len = (uint16_t) (sizeof(struct nlattr) + len);
        if (len)
                memcpy(a + 1, data, len);
        return a;
}

static struct nlattr *nest_begin(ElemBatch *b, uint16_t type)
{
        return put_attr(b, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(ElemBatch *b, struct nlattr *a)
{
        a->nla_len = (uint16_t) ((char *) tail(b) - (char *) a);
}

static struct nlmsghdr *put_header(ElemBatch *b, uint16_t type, uint16_t flags, int family, uint16_t res_id)
{
        struct nlmsghdr *nlh = put(b, NFGEN_OFFSET);
        struct nfgenmsg *g = (struct nfgenmsg *) ((char *) nlh + NLMSG_HDRLEN);

        nlh->nlmsg_type = type;
        nlh->nlmsg_flags = NLM_F_REQUEST | flags;
        nlh->nlmsg_seq = b->seq++;
        g->nfgen_family = (uint8_t) family;
        g->version = NFNETLINK_V0;
        g->res_id = htobe16(res_id);
        return nlh;
}

static int put_batch_marker(ElemBatch *b, uint16_t type)
{
        struct nlmsghdr *nlh;
        int r = ensure_room(b, NFGEN_OFFSET);

        if (r < 0)
                return r;
        nlh = put_header(b, type, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
        nlh->nlmsg_len = NFGEN_OFFSET;
        return 0;
}

static void message_close(ElemBatch *b)
{
        Message *m;
        struct nlmsghdr *nlh;

        if (!b->elements)
                return;
        nest_end(b, b->elements);
        m = &b->messages[b->n_messages - 1];
        nlh = (struct nlmsghdr *) ((char *) b->chunks[m->chunk].iov_base + m->offset);
        nlh->nlmsg_len = (uint32_t) ((char *) tail(b) - (char *) nlh);
        b->elements = NULL;
}

static int message_open(ElemBatch *b)
{
        uint16_t type = (NFNL_SUBSYS_NFTABLES << 8) | (b->deleting ? NFT_MSG_DELSETELEM : NFT_MSG_NEWSETELEM);
        int r;

        r = ensure_room(b, MESSAGE_MAX);
        if (r < 0)
                return r;
        r = ARRAY_RESERVE(b->messages, b->messages_size, b->n_messages + 1, 64);
        if (r < 0)
                return r;
        b->messages[b->n_messages++] = (Message){
                .chunk = (uint32_t) (b->n_chunks - 1),
                .offset = (uint32_t) b->chunks[b->n_chunks - 1].iov_len,
                .first = b->count,
        };
        (void) put_header(b, type, b->deleting ? 0 : NLM_F_CREATE | (b->options.exclusive ? NLM_F_EXCL : 0), b->family,
                          0);
        put_attr(b, NFTA_SET_ELEM_LIST_TABLE, b->table, strlen(b->table) + 1);
        put_attr(b, NFTA_SET_ELEM_LIST_SET, b->set, strlen(b->set) + 1);
        b->elements = nest_begin(b, NFTA_SET_ELEM_LIST_ELEMENTS);
        return 0;
}

int elem_batch_new(bool deleting, int family, const char *table, const char *set, const SetShape *shape,
                   const ElemOptions *options, uint32_t seq, ElemBatch **ret)
{
        ElemBatch *b;
        int r;

        if (strlen(table) >= sizeof(b->table) || strlen(set) >= sizeof(b->set))
                return -EINVAL;
        b = calloc(1, sizeof(*b));
        if (!b)
                return -ENOMEM;
        b->deleting = deleting;
        b->family = family;
        b->seq = seq;
        strcpy(b->table, table);
        strcpy(b->set, set);
        b->shape = *shape;
        if (options) {
                b->options = *options;
                if (options->comment) {
                        snprintf(b->comment, sizeof(b->comment), "%s", options->comment);
                        b->options.comment = b->comment;
                }
        }
        r = put_batch_marker(b, NFNL_MSG_BATCH_BEGIN);
        if (r < 0) {
                elem_batch_free(b);
                return r;
        }
        *ret = b;
        return 0;
}

ElemBatch *elem_batch_free(ElemBatch *b)
{
        if (!b)
                return NULL;
        for (size_t i = 0; i < b->n_chunks; i++)
                free(b->chunks[i].iov_base);
        free(b->messages);
        free(b);
        return NULL;
}

static void put_data(ElemBatch *b, uint16_t type, const void *data, size_t len)
{
        struct nlattr *n = nest_begin(b, type);
        put_attr(b, NFTA_DATA_VALUE, data, len);
        nest_end(b, n);
}

static void put_be32(ElemBatch *b, uint16_t type, uint32_t v)
{
        v = htobe32(v);
        put_attr(b, type, &v, sizeof(v));
}

static void put_be64(ElemBatch *b, uint16_t type, uint64_t v)
{
        v = htobe64(v);
        put_attr(b, type, &v, sizeof(v));
}

/* One kernel element: the start (or only) one carries the data and options. */
static void put_element(ElemBatch *b, const Element *e, const uint8_t *key, const uint8_t *key_end, bool end)
{
        const SetShape *s = &b->shape;
        struct nlattr *elem = nest_begin(b, NFTA_LIST_ELEM);

        put_data(b, NFTA_SET_ELEM_KEY, key, s->key_len);
        if (key_end)
                put_data(b, NFTA_SET_ELEM_KEY_END, key_end, s->key_len);
        if (end)
                put_be32(b, NFTA_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
        else if (!b->deleting) {
                if (b->options.timeout_ms)
                        put_be64(b, NFTA_SET_ELEM_TIMEOUT, b->options.timeout_ms);
                if (b->options.expires_ms)
                        put_be64(b, NFTA_SET_ELEM_EXPIRATION, b->options.expires_ms);
                if (b->options.comment) {
                        /* libnftnl's user data: type 0 (comment), length, the string with its NUL */
                        uint8_t udata[2 + sizeof(b->comment)];
                        size_t n = strlen(b->options.comment) + 1;
                        udata[0] = 0;
                        udata[1] = (uint8_t) n;
                        memcpy(udata + 2, b->options.comment, n);
                        put_attr(b, NFTA_SET_ELEM_USERDATA, udata, 2 + n);
                }
                if (s->map && s->data->id == DATATYPE_VERDICT) {
                        struct nlattr *data = nest_begin(b, NFTA_SET_ELEM_DATA);
                        struct nlattr *verdict = nest_begin(b, NFTA_DATA_VERDICT);
                        put_be32(b, NFTA_VERDICT_CODE, (uint32_t) e->verdict);
                        if (e->verdict == NFT_JUMP || e->verdict == NFT_GOTO)
                                put_attr(b, NFTA_VERDICT_CHAIN, e->chain, strlen(e->chain) + 1);
                        nest_end(b, verdict);
                        nest_end(b, data);
                } else if (s->map)
                        put_data(b, NFTA_SET_ELEM_DATA, e->data, s->data_len);
        }
        nest_end(b, elem);
}

int elem_batch_flush(ElemBatch *b)
{
        struct nlmsghdr *nlh;
        int r;

        if (b->count > 0 || b->elements)
                return -EBUSY;
        r = ensure_room(b, NFGEN_OFFSET + 2 * 260);
        if (r < 0)
                return r;
        nlh = put_header(b, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_DELSETELEM, 0, b->family, 0);
        put_attr(b, NFTA_SET_ELEM_LIST_TABLE, b->table, strlen(b->table) + 1);
        put_attr(b, NFTA_SET_ELEM_LIST_SET, b->set, strlen(b->set) + 1);
        nlh->nlmsg_len = (uint32_t) ((char *) tail(b) - (char *) nlh);
        return 0;
}

int elem_batch_add(ElemBatch *b, const Element *e)
{
        const SetShape *s = &b->shape;
        int r;

        if (b->elements && (size_t) ((char *) tail(b) - (char *) b->elements) + ELEMENT_ROOM > NEST_MAX)
                message_close(b);
        if (!b->elements) {
                r = message_open(b);
                if (r < 0)
                        return r;
        }

        if (s->interval && s->n_key > 1)
                /* concatenated ranges: the kernel's pipapo set takes the first and last key */
                put_element(b, e, e->key, e->range ? e->key_last : NULL, false);
        else if (s->interval) {
                /* a plain interval set holds a start, and an end one past the last value: none when the
                 * range runs to the highest value */
                uint8_t end[SET_KEY_MAX];
                bool has_end;

                memcpy(end, e->key_last, s->key_len);
                has_end = key_increment(end, s->key_len);
                put_element(b, e, e->key, NULL, false);
                if (has_end)
                        put_element(b, e, end, NULL, true);
        } else
                put_element(b, e, e->key, NULL, false);
        b->count++;
        return 0;
}

size_t elem_batch_count(const ElemBatch *b)
{
        return b->count;
}

int elem_batch_finish(ElemBatch *b, const struct iovec **ret_iov, size_t *ret_n, size_t *ret_bytes)
{
        size_t bytes = 0;
        int r;

        message_close(b);
        r = put_batch_marker(b, NFNL_MSG_BATCH_END);
        if (r < 0)
                return r;
        for (size_t i = 0; i < b->n_chunks; i++)
                bytes += b->chunks[i].iov_len;
        *ret_iov = b->chunks;
        *ret_n = b->n_chunks;
        *ret_bytes = bytes;
        return 0;
}

/* The attributes after a message's nfgenmsg, or of a nest: calls f for each. */
static int walk(const void *start, size_t len, int (*f)(const struct nlattr *a, void *userdata), void *userdata)
{
        size_t off = 0;
        int r;

        while (off + sizeof(struct nlattr) <= len) {
                const struct nlattr *a = (const struct nlattr *) ((const char *) start + off);

                if (a->nla_len < sizeof(struct nlattr) || off + a->nla_len > len)
                        return -EBADMSG;
                r = f(a, userdata);
                if (r != 0)
                        return r;
                off += ALIGN4(a->nla_len);
        }
        return 0;
}

static const void *payload(const struct nlattr *a)
{
        return a + 1;
}

static size_t payload_len(const struct nlattr *a)
{
        return a->nla_len - sizeof(struct nlattr);
}

static int nested(const struct nlattr *a, int (*f)(const struct nlattr *a, void *userdata), void *userdata)
{
        return walk(payload(a), payload_len(a), f, userdata);
}

static const struct nlattr *find_attr(const void *start, size_t len, uint16_t type)
{
        size_t off = 0;

        while (off + sizeof(struct nlattr) <= len) {
                const struct nlattr *a = (const struct nlattr *) ((const char *) start + off);

                if (a->nla_len < sizeof(struct nlattr) || off + a->nla_len > len)
                        return NULL;
                if ((a->nla_type & NLA_TYPE_MASK) == type)
                        return a;
                off += ALIGN4(a->nla_len);
        }
        return NULL;
}

static const struct nlattr *find_nested(const struct nlattr *a, uint16_t type)
{
        return a ? find_attr(payload(a), payload_len(a), type) : NULL;
}

static uint32_t be32_of(const struct nlattr *a)
{
        uint32_t v = 0;
        if (a && payload_len(a) >= sizeof(v))
                memcpy(&v, payload(a), sizeof(v));
        return be32toh(v);
}

static uint64_t be64_of(const struct nlattr *a)
{
        uint64_t v = 0;
        if (a && payload_len(a) >= sizeof(v))
                memcpy(&v, payload(a), sizeof(v));
        return be64toh(v);
}

typedef struct Locate {
        uint32_t offset; /* from the message's start */
        const char *message;
        size_t starts; /* start elements before the one found */
        bool found;
} Locate;

static int locate_one(const struct nlattr *a, void *userdata)
{
        Locate *l = userdata;
        uint32_t begin = (uint32_t) ((const char *) a - l->message);
        bool end = be32_of(find_nested(a, NFTA_SET_ELEM_FLAGS)) & NFT_SET_ELEM_INTERVAL_END;

        if (l->offset >= begin && l->offset < begin + a->nla_len) {
                /* an interval's end belongs to the start before it */
                if (end && l->starts > 0)
                        l->starts--;
                l->found = true;
                return 1;
        }
        if (!end)
                l->starts++;
        return 0;
}

int elem_batch_element_at(const ElemBatch *b, uint32_t seq, uint32_t offset, size_t *ret_index)
{
        /* seq: the batch's begin marker, then one per message */
        uint32_t first_seq = b->seq - (uint32_t) b->n_messages - 2 + 1;
        const struct nlmsghdr *nlh;
        const struct nlattr *list;
        Locate l = { .offset = offset };
        const Message *m;

        if (seq < first_seq || seq - first_seq >= b->n_messages)
                return -ENOENT;
        m = &b->messages[seq - first_seq];
        nlh = (const struct nlmsghdr *) ((const char *) b->chunks[m->chunk].iov_base + m->offset);
        l.message = (const char *) nlh;
        list = find_attr((const char *) nlh + NFGEN_OFFSET, nlh->nlmsg_len - NFGEN_OFFSET,
                         NFTA_SET_ELEM_LIST_ELEMENTS);
        if (!list || nested(list, locate_one, &l) < 0 || !l.found)
                return -ENOENT;
        *ret_index = m->first + l.starts;
        return 0;
}

typedef struct ParseElements {
        int (*f)(const RawElement *e, void *userdata);
        void *userdata;
} ParseElements;

/* The comment in an element's user data: type-length-value records as libnftnl writes them, the comment
 * (type 0, NFTNL_UDATA_SET_ELEM_COMMENT) NUL-terminated. NULL when there is none, or it is malformed. */
static const char *udata_comment(const struct nlattr *udata)
{
        const uint8_t *p = udata ? payload(udata) : NULL, *end = p ? p + payload_len(udata) : NULL;

        while (p && p + 2 <= end && p + 2 + p[1] <= end) {
                if (p[0] == 0 && p[1] > 0 && p[2 + p[1] - 1] == '\0')
                        return (const char *) p + 2;
                p += 2 + p[1];
        }
        return NULL;
}

/* A counter expression of an element: {NFTA_EXPR_NAME "counter", NFTA_EXPR_DATA {bytes, packets}}. */
static int element_expression(const struct nlattr *expr, void *userdata)
{
        RawElement *e = userdata;
        const struct nlattr *name = find_nested(expr, NFTA_EXPR_NAME), *data = find_nested(expr, NFTA_EXPR_DATA);

        if (!name || payload_len(name) != sizeof("counter") ||
            memcmp(payload(name), "counter", sizeof("counter")) != 0)
                return 0;
        e->has_counter = true;
        e->bytes = be64_of(find_nested(data, NFTA_COUNTER_BYTES));
        e->packets = be64_of(find_nested(data, NFTA_COUNTER_PACKETS));
        return 0;
}

static int parse_one(const struct nlattr *a, void *userdata)
{
        ParseElements *p = userdata;
        const struct nlattr *key = find_nested(find_nested(a, NFTA_SET_ELEM_KEY), NFTA_DATA_VALUE),
                            *key_end = find_nested(find_nested(a, NFTA_SET_ELEM_KEY_END), NFTA_DATA_VALUE),
                            *data = find_nested(a, NFTA_SET_ELEM_DATA), *value = find_nested(data, NFTA_DATA_VALUE),
                            *verdict = find_nested(data, NFTA_DATA_VERDICT);
        RawElement e = {};

        if ((a->nla_type & NLA_TYPE_MASK) != NFTA_LIST_ELEM)
                return 0;
        if (key) {
                e.key = payload(key);
                e.key_len = payload_len(key);
        }
        if (key_end) {
                e.key_end = payload(key_end);
                e.key_end_len = payload_len(key_end);
        }
        if (value) {
                e.data = payload(value);
                e.data_len = payload_len(value);
        }
        if (verdict) {
                const struct nlattr *code = find_nested(verdict, NFTA_VERDICT_CODE),
                                    *chain = find_nested(verdict, NFTA_VERDICT_CHAIN);
                if (!code)
                        return -EBADMSG;
                e.has_verdict = true;
                e.verdict = (int32_t) be32_of(code);
                if (chain) {
                        if (payload_len(chain) == 0 || memchr(payload(chain), '\0', payload_len(chain)) == NULL)
                                return -EBADMSG;
                        e.chain = payload(chain);
                }
        }
        e.interval_end = be32_of(find_nested(a, NFTA_SET_ELEM_FLAGS)) & NFT_SET_ELEM_INTERVAL_END;
        e.timeout_ms = be64_of(find_nested(a, NFTA_SET_ELEM_TIMEOUT));
        e.expires_ms = be64_of(find_nested(a, NFTA_SET_ELEM_EXPIRATION));
        e.comment = udata_comment(find_nested(a, NFTA_SET_ELEM_USERDATA));
        /* one expression is NFTA_SET_ELEM_EXPR, several are a list */
        (void) element_expression(find_nested(a, NFTA_SET_ELEM_EXPR), &e);
        if (find_nested(a, NFTA_SET_ELEM_EXPRESSIONS))
                (void) nested(find_nested(a, NFTA_SET_ELEM_EXPRESSIONS), element_expression, &e);
        return p->f(&e, p->userdata);
}

int elem_message_parse(const struct nlmsghdr *nlh, int (*f)(const RawElement *e, void *userdata), void *userdata)
{
        const struct nlattr *list;
        ParseElements p = { f, userdata };

        if (nlh->nlmsg_len < NFGEN_OFFSET)
                return -EBADMSG;
        list = find_attr((const char *) nlh + NFGEN_OFFSET, nlh->nlmsg_len - NFGEN_OFFSET,
                         NFTA_SET_ELEM_LIST_ELEMENTS);
        if (!list)
                return 0;
        return nested(list, parse_one, &p);
}

int elem_build_get(void *buf, size_t size, uint32_t seq, int family, const char *table, const char *set,
                   const uint8_t *key, size_t key_len, const uint8_t *key_end, size_t key_end_len)
{
        /* built with the batch writer into a scratch batch, then copied out */
        ElemBatch *b = calloc(1, sizeof(ElemBatch));
        struct nlmsghdr *nlh;
        size_t len;
        int r;

        if (!b)
                return -ENOMEM;
        b->seq = seq;
        r = ensure_room(b, MESSAGE_MAX);
        if (r < 0)
                goto out;
        nlh = put_header(b, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETSETELEM, key ? NLM_F_ACK : NLM_F_DUMP, family, 0);
        put_attr(b, NFTA_SET_ELEM_LIST_TABLE, table, strlen(table) + 1);
        put_attr(b, NFTA_SET_ELEM_LIST_SET, set, strlen(set) + 1);
        if (key) {
                struct nlattr *list = nest_begin(b, NFTA_SET_ELEM_LIST_ELEMENTS);
                struct nlattr *elem = nest_begin(b, NFTA_LIST_ELEM);
                put_data(b, NFTA_SET_ELEM_KEY, key, key_len);
                if (key_end)
                        put_data(b, NFTA_SET_ELEM_KEY_END, key_end, key_end_len);
                nest_end(b, elem);
                nest_end(b, list);
        }
        len = (size_t) ((char *) tail(b) - (char *) nlh);
        nlh->nlmsg_len = (uint32_t) len;
        if (len > size) {
                r = -ENOBUFS;
                goto out;
        }
        memcpy(buf, nlh, len);
        r = (int) len;
out:
        elem_batch_free(b);
        return r;
}
