/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/netfilter/nf_tables.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bussize.h"
#include "nftables/changes.h"
#include "nftables/elementjob.h"
#include "bus/readers.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/validate.h"
#include "executor/worker.h"
#include "log.h"
#include "core/batch.h"
#include "core/linestream.h"

/* ---- jobs: element work on a worker thread ---- */

void element_texts_done(Texts *t)
{
        free(t->buf);
        free(t->places);
        *t = (Texts){};
}

int element_texts_add(Texts *t, const char *s, size_t len, uint32_t line)
{
        if (t->len + len + 1 > INPUT_MAX)
                return -E2BIG;
        if (t->len + len + 1 > t->size) {
                size_t size = t->size ? t->size : 64 * 1024;
                char *buf;
                while (size < t->len + len + 1)
                        size *= 2;
                buf = realloc(t->buf, size);
                if (!buf)
                        return -ENOMEM;
                t->buf = buf;
                t->size = size;
        }
        if (ARRAY_RESERVE(t->places, t->capacity, t->n + 1, 1024) < 0)
                return -ENOMEM;
        memcpy(t->buf + t->len, s, len);
        t->buf[t->len + len] = '\0';
        t->places[t->n].offset = (uint32_t) t->len;
        t->places[t->n++].line = line;
        t->len += len + 1;
        return 0;
}

const char *element_texts_get(const Texts *t, size_t i)
{
        return i < t->n ? t->buf + t->places[i].offset : NULL;
}

ElementJob *element_job_free(ElementJob *j)
{
        if (!j)
                return NULL;
        sd_bus_message_unref(j->message);
        FREE_MANY(j->object, j->table, j->set, j->comment);
        elem_batch_free(j->batch);
        element_texts_done(&j->texts);
        element_texts_done(&j->listing);
        safe_close(j->fd);
        free(j->invalid);
        if (j->context)
                readers_leave(j->context, j->reader_uid);
        free(j);
        return NULL;
}

/* The shape of n's elements, or InvalidArgument when nftbus cannot write them. */
int element_job_shape(const Node *n, SetShape *ret, sd_bus_error *error)
{
        _cleanup_free_ char *type = NULL;
        int r;

        r = set_shape_from_kernel(n->info.set.key_type, n->info.set.data_type, n->info.flags & NFT_SET_INTERVAL,
                                  n->kind == NFT_KIND_MAP, ret);
        if (r >= 0)
                return 0;
        (void) set_type_to_string(n->info.set.key_type, &type);
        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                 "nftbus writes and reads the elements of sets of ipv4_addr, ipv6_addr, ether_addr, "
                                 "inet_proto, inet_service, mark and ifname (intervals of the ordered ones), and "
                                 "maps to those or to verdicts; %s %s has type %s%s",
                                 n->kind == NFT_KIND_MAP ? "map" : "set", n->name, strempty(type),
                                 n->kind == NFT_KIND_MAP ? " with another value type" : "");
}

int element_job_new(sd_bus_message *m, Node *n, ElementJobKind kind, ElementJob **ret)
{
        _cleanup_(element_job_freep) ElementJob *j = calloc(1, sizeof(ElementJob));

        if (!j)
                return -ENOMEM;
        j->fd = -EBADF;
        j->reader_uid = UID_INVALID;
        j->context = node_context(n);
        j->reply_max = j->context->message_max;
        j->message = sd_bus_message_ref(m);
        j->kind = kind;
        j->family = n->table->family;
        j->set_timeout_ms = n->info.set.timeout_ms;
        if (!(j->table = strdup(n->table->name)) || !(j->set = strdup(n->name)) || node_object(n, &j->object) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(j);
        return 0;
}

static const char *refusal_reason(const ElementJob *j)
{
        switch (j->refusal.error) {
        case EEXIST:
                return j->shape.interval ? "it overlaps an element already in the set" : "it exists already";
        case ENOENT:
                return j->deleting ? "it is not in the set" : "the chain it jumps to does not exist";
        case ENFILE:
                return "the set is full";
        case ENOTEMPTY:
                return "it overlaps an element already in the set";
        default:
                return NULL;
        }
}

/* ListElementsDetailed's a(sa{sv}), from the listing's JSON lines (element_details_json()) */
/* What one more line of a listing adds to its reply: a string in an array ("as"), or with its details (each
 * detail a key, a signature and 8 bytes of padding at most: "a(sa{sv})"). */
static size_t listing_size_add(size_t size, size_t len, bool detailed)
{
        if (!detailed)
                return dbus_size_string(size, len);
        return dbus_size_string(dbus_size_array_start(size, 8), len) + 6 * 32;
}

static int reply_details(ElementJob *j)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        size_t size = dbus_size_array_start(0, 8);
        int r;

        /* each line as a string, and per detail a key, a signature and 8 bytes of padding at most */
        for (size_t i = 0; i < j->listing.n; i++)
                size = listing_size_add(size, strlen(element_texts_get(&j->listing, i)), true);
        r = call_reply_fits(j->context, j->message, j->too_large ? j->reply_size : size, "ListElementsDetailedToFd");
        if (r <= 0)
                return r;
        r = sd_bus_message_new_method_return(j->message, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(sa{sv})");
        for (size_t i = 0; r >= 0 && i < j->listing.n; i++) {
                _cleanup_(json_decrefp) json_t *o = json_loads(element_texts_get(&j->listing, i), 0, NULL);
                const char *key;
                json_t *value;
                if (!o)
                        return -ENOMEM;
                r = sd_bus_message_open_container(reply, 'r', "sa{sv}");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "s", json_string_value(json_object_get(o, "element")));
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'a', "{sv}");
                json_object_foreach (o, key, value) {
                        if (r < 0 || streq(key, "element"))
                                continue;
                        if (json_is_integer(value))
                                r = sd_bus_message_append(reply, "{sv}", key, "t",
                                                          (uint64_t) json_integer_value(value));
                        else
                                r = sd_bus_message_append(reply, "{sv}", key, "s", json_string_value(value));
                }
                r = call_close_containers(reply, 2, r);
        }
        return call_send_reply(reply, call_close_containers(reply, 1, r));
}

static void job_reply(ElementJob *j)
{
        sd_bus_message *m = j->message;
        const char *action = strempty(polkit_action_of(m));
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        if (j->error < 0) {
                log_change(m, action, j->object, "failed");
                if (j->error == -E2BIG)
                        (void) sd_bus_error_setf(
                                &error, NFTBUS_ERROR_TOO_LARGE,
                                "The elements are more than nftbus takes in one call (1 GiB of text)");
                else if (j->error == -ETIMEDOUT)
                        (void) sd_bus_error_setf(&error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                                 "The file descriptor sent nothing for %d s; nothing was changed",
                                                 STREAM_IDLE_MS / 1000);
                else if (j->error == -EPIPE)
                        (void) sd_bus_error_setf(&error, SD_BUS_ERROR_IO_ERROR,
                                                 "The descriptor's reader has gone (%s); the listing stopped "
                                                 "there",
                                                 strerror(-j->error));
                else
                        (void) sd_bus_error_set_errnof(&error, -j->error, "The elements could not be %s: %s",
                                                       j->kind == ELEMENT_JOB_LIST || j->kind == ELEMENT_JOB_LIST_TO_FD
                                                               ? "listed"
                                                               : "changed",
                                                       strerror(-j->error));
        } else if (j->invalid) {
                log_change(m, action, j->object, "invalid elements");
                (void) sd_bus_error_set(&error, NFTBUS_ERROR_INVALID_ARGUMENT, j->invalid);
        } else if (j->refusal.error) {
                const char *reason = refusal_reason(j), *text = NULL;
                _cleanup_free_ char *shown = NULL;

                log_change(m, action, j->object, "refused by the kernel");
                if (j->refusal.has_index && (text = element_texts_get(&j->texts, j->refusal.index)))
                        shown = escape_for_message(text);
                if (text && shown)
                        (void) sd_bus_error_setf(&error,
                                                 j->refusal.error == ENOENT && j->deleting ? NFTBUS_ERROR_NOT_FOUND
                                                                                           : NFTBUS_ERROR_REJECTED,
                                                 "%s %u ('%s') was refused by the kernel: %s%s%s; nothing was changed",
                                                 j->from_stream ? "Line" : "Element",
                                                 j->texts.places[j->refusal.index].line, shown,
                                                 reason ? reason : strerror(j->refusal.error),
                                                 *j->refusal.message ? ": " : "", j->refusal.message);
                else
                        (void) sd_bus_error_setf(
                                &error, j->refusal.error == ENOENT ? NFTBUS_ERROR_NOT_FOUND : NFTBUS_ERROR_REJECTED,
                                "The kernel refused the elements: %s%s%s; nothing was changed",
                                strerror(j->refusal.error), *j->refusal.message ? ": " : "", j->refusal.message);
        } else {
                if (j->kind != ELEMENT_JOB_LIST && j->kind != ELEMENT_JOB_LIST_TO_FD)
                        log_change(m, action, j->object, "done");
                switch (j->kind) {
                case ELEMENT_JOB_CHANGE:
                        r = sd_bus_reply_method_return(m, NULL);
                        break;
                case ELEMENT_JOB_ADD_FROM_FD:
                case ELEMENT_JOB_LIST_TO_FD:
                        r = sd_bus_reply_method_return(m, "t", (uint64_t) j->count);
                        break;
                case ELEMENT_JOB_LIST: {
                        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
                        size_t size = dbus_size_array_start(0, 4);
                        /* ListElementsRange: the listing is the slice asked for, of count elements in all */
                        if (j->detailed) {
                                r = reply_details(j);
                                break;
                        }
                        for (size_t i = 0; i < j->listing.n; i++)
                                size = dbus_size_string(size, strlen(element_texts_get(&j->listing, i)));
                        r = call_reply_fits(j->context, m, j->too_large ? j->reply_size : size,
                                            j->ranged ? "a smaller count" : "ListElementsToFd");
                        if (r <= 0)
                                break;
                        r = sd_bus_message_new_method_return(m, &reply);
                        if (r >= 0)
                                r = sd_bus_message_open_container(reply, 'a', "s");
                        for (size_t i = 0; r >= 0 && i < j->listing.n; i++)
                                r = sd_bus_message_append_basic(reply, 's', element_texts_get(&j->listing, i));
                        if (r >= 0)
                                r = sd_bus_message_close_container(reply);
                        if (r >= 0 && j->ranged)
                                r = sd_bus_message_append(reply, "t", (uint64_t) j->count);
                        if (r >= 0)
                                r = sd_bus_send(NULL, reply, NULL);
                        if (r == -ENOBUFS || r == -EMSGSIZE) {
                                (void) sd_bus_error_setf(&error, NFTBUS_ERROR_TOO_LARGE,
                                                         "The set's %zu elements do not fit in one D-Bus message; "
                                                         "use ListElementsToFd",
                                                         j->count);
                                r = sd_bus_reply_method_error(m, &error);
                        }
                        break;
                }
                default:
                        r = -EINVAL;
                }
                if (r < 0)
                        log_warning_errno(r, "Failed to send the reply to %s, ignoring: %m",
                                          strempty(sd_bus_message_get_sender(m)));
                return;
        }
        (void) sd_bus_reply_method_error(m, &error);
}

/* ---- the thread's side ---- */

/* One element line of a stream (core/linestream.c passes over blank lines and comments). */
static int stream_line(char *line, size_t len, uint32_t number, void *userdata)
{
        _cleanup_free_ char *why = NULL;
        ElementJob *j = userdata;
        Element e;
        int r;

        r = element_parse(&j->shape, line, &e, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return asprintf(&j->invalid, "Line %u: %s; nothing was changed", number, strempty(why)) < 0 ? -ENOMEM
                                                                                                            : 1;
        r = element_texts_add(&j->texts, line, len, number);
        if (r >= 0)
                r = elem_batch_add(j->batch, &e);
        return r;
}

/* Reads the stream line by line into the batch. Returns 1 with j->invalid set for a bad line. */
static int read_stream(ElementJob *j)
{
        _cleanup_(line_stream_done) LineStream stream = {};
        int r;

        r = line_stream_init(&stream, LINE_MAX_LEN - 1, READ_CHUNK);
        if (r < 0)
                return r;
        for (;;) {
                struct pollfd p = { .fd = j->fd, .events = POLLIN };
                size_t room;
                char *space = line_stream_space(&stream, &room);
                ssize_t n;

                r = poll(&p, 1, STREAM_IDLE_MS);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return -errno;
                if (r == 0)
                        return -ETIMEDOUT;
                n = read(j->fd, space, room);
                if (n < 0 && (errno == EINTR || errno == EAGAIN))
                        continue;
                if (n < 0)
                        return -errno;
                r = line_stream_feed(&stream, (size_t) n, stream_line, j);
                if (r == -EMSGSIZE)
                        return asprintf(&j->invalid, "Line %u is longer than %d characters; nothing was changed",
                                        stream.number, LINE_MAX_LEN) < 0
                                       ? -ENOMEM
                                       : 1;
                if (r != 0 || n == 0)
                        return r;
        }
}

/* Where listed elements go: into memory for the reply, or as lines to a file descriptor. */
typedef struct Output {
        ElementJob *job;
        char *buf;
        size_t len;
        int error;
} Output;

static int output_flush(Output *o)
{
        int r = write_all_polled(o->job->fd, o->buf, o->len, STREAM_IDLE_MS, NULL);

        o->len = 0;
        return r;
}

static int output_element(Output *o, const Element *e, const ElementDetails *details)
{
        _cleanup_free_ char *text = NULL;
        int r = element_format(&o->job->shape, e, &text);
        size_t len;

        if (r < 0)
                return r;
        if (o->job->detailed) { /* the line is the element with its details, as JSON */
                static const ElementDetails none = {};
                char *line = NULL;
                r = element_details_json(text, details ? details : &none, &line);
                if (r < 0)
                        return r;
                free(text);
                text = line;
        }
        len = strlen(text);
        o->job->count++;
        if (o->job->kind == ELEMENT_JOB_LIST) {
                ElementJob *j = o->job;
                size_t i = j->count - 1;
                /* kept for the reply: the slice asked for, or all while they fit in a message of the bus (past
                 * that the reply is TooLarge, and what would not fit is never held) */
                if (j->ranged && (i < j->range_start || i - j->range_start >= j->range_count))
                        return 0;
                if (!j->ranged) {
                        j->reply_size = listing_size_add(j->reply_size, len, j->detailed);
                        j->too_large = j->too_large || j->reply_size > j->reply_max;
                        if (j->too_large) {
                                element_texts_done(&j->listing);
                                return 0;
                        }
                }
                return element_texts_add(&j->listing, text, len, 0);
        }
        if (o->len + len + 1 > READ_CHUNK) {
                r = output_flush(o);
                if (r < 0)
                        return r;
        }
        memcpy(o->buf + o->len, text, len);
        o->buf[o->len + len] = '\n';
        o->len += len + 1;
        return 0;
}

/* A kernel element's key and value into an Element. */
static int element_from_raw(const SetShape *s, const RawElement *raw, Element *e)
{
        memset(e, 0, sizeof(*e));
        if (raw->key_len != s->key_len || (raw->key_end && raw->key_end_len != s->key_len) ||
            raw->data_len > SET_DATA_MAX)
                return -EBADMSG;
        memcpy(e->key, raw->key, s->key_len);
        memcpy(e->key_last, raw->key_end ? raw->key_end : raw->key, s->key_len);
        e->range = raw->key_end && memcmp(raw->key, raw->key_end, s->key_len) != 0;
        if (raw->has_verdict) {
                e->verdict = raw->verdict;
                if (raw->chain)
                        snprintf(e->chain, sizeof(e->chain), "%s", raw->chain);
        } else if (raw->data)
                memcpy(e->data, raw->data, raw->data_len);
        return 0;
}

/* What the kernel keeps with an element, from its dump: an element that expires without a timeout of its
 * own has the set's (the kernel leaves it out of the dump). */
static void details_from_raw(const RawElement *raw, uint64_t set_timeout_ms, ElementDetails *ret)
{
        *ret = (ElementDetails){ .timeout_ms = raw->timeout_ms   ? raw->timeout_ms
                                               : raw->expires_ms ? set_timeout_ms
                                                                 : 0,
                                 .expires_ms = raw->expires_ms,
                                 .has_counter = raw->has_counter,
                                 .packets = raw->packets,
                                 .bytes = raw->bytes };
        snprintf(ret->comment, sizeof(ret->comment), "%s", strempty(raw->comment));
}

/* A plain interval set lists starts and ends one past the last value: they are paired after sorting. */
/* What the kernel keeps with a start bound, held for a detailed listing until the bounds are paired:
 * ElementDetails without its comment array (a quarter of a million bounds are held at once). */
typedef struct BoundDetails {
        uint64_t timeout_ms, expires_ms, packets, bytes;
        bool has_counter;
        char *comment; /* NULL: none */
} BoundDetails;

typedef struct Bound {
        uint8_t key[16];
        bool end;
        Element *value;        /* maps: the start's value */
        BoundDetails *details; /* a detailed listing: the start's */
} Bound;

static void bound_details_free(BoundDetails *d)
{
        if (d)
                free(d->comment);
        free(d);
}

typedef struct Collect {
        Output *output;
        Bound *bounds;
        size_t n, capacity;
        size_t key_len;
} Collect;

static int collect_one(const RawElement *raw, void *userdata)
{
        Collect *c = userdata;
        const SetShape *s = &c->output->job->shape;
        Element e;
        int r;

        r = element_from_raw(s, raw, &e);
        if (r < 0)
                return r;
        if (!s->interval || s->n_key > 1) {
                ElementDetails d;
                if (c->output->job->detailed)
                        details_from_raw(raw, c->output->job->set_timeout_ms, &d);
                return output_element(c->output, &e, c->output->job->detailed ? &d : NULL);
        }

        if (s->key_len > sizeof(c->bounds[0].key))
                return -EBADMSG;
        if (ARRAY_RESERVE(c->bounds, c->capacity, c->n + 1, 1024) < 0)
                return -ENOMEM;
        c->bounds[c->n] = (Bound){ .end = raw->interval_end };
        memcpy(c->bounds[c->n].key, raw->key, s->key_len);
        if (s->map && !raw->interval_end) {
                c->bounds[c->n].value = malloc(sizeof(Element));
                if (!c->bounds[c->n].value)
                        return -ENOMEM;
                *c->bounds[c->n].value = e;
        }
        if (c->output->job->detailed && !raw->interval_end) {
                ElementDetails d;
                BoundDetails *b = calloc(1, sizeof(BoundDetails));
                details_from_raw(raw, c->output->job->set_timeout_ms, &d);
                if (b)
                        *b = (BoundDetails){ d.timeout_ms, d.expires_ms,  d.packets,
                                             d.bytes,      d.has_counter, *d.comment ? strdup(d.comment) : NULL };
                if (!b || (*d.comment && !b->comment)) {
                        bound_details_free(b);
                        free(c->bounds[c->n].value);
                        return -ENOMEM;
                }
                c->bounds[c->n].details = b;
        }
        c->n++;
        return 0;
}

static int bound_compare(const void *a, const void *b, void *key_len)
{
        const Bound *x = a, *y = b;
        int c = memcmp(x->key, y->key, *(const size_t *) key_len);

        /* [a, b) followed by [b, c): the end comes first */
        return c != 0 ? c : (int) y->end - (int) x->end;
}

static void collect_free(Collect *c)
{
        for (size_t i = 0; i < c->n; i++) {
                free(c->bounds[i].value);
                bound_details_free(c->bounds[i].details);
        }
        free(c->bounds);
}

static int collect_finish(Collect *c)
{
        const SetShape *s = &c->output->job->shape;
        int r = 0;

        if (c->n > 0)
                qsort_r(c->bounds, c->n, sizeof(Bound), bound_compare, (void *) &s->key_len);
        for (size_t i = 0; r >= 0 && i < c->n; i++) {
                Element e;

                if (c->bounds[i].end)
                        continue;
                if (c->bounds[i].value)
                        e = *c->bounds[i].value;
                else
                        memset(&e, 0, sizeof(e));
                memcpy(e.key, c->bounds[i].key, s->key_len);
                if (i + 1 < c->n && c->bounds[i + 1].end) {
                        memcpy(e.key_last, c->bounds[i + 1].key, s->key_len);
                        (void) key_decrement(e.key_last, s->key_len);
                } else
                        memset(e.key_last, 0xff, s->key_len);
                e.range = memcmp(e.key, e.key_last, s->key_len) != 0;
                if (c->bounds[i].details) {
                        const BoundDetails *b = c->bounds[i].details;
                        ElementDetails d = { .timeout_ms = b->timeout_ms,
                                             .expires_ms = b->expires_ms,
                                             .has_counter = b->has_counter,
                                             .packets = b->packets,
                                             .bytes = b->bytes };
                        snprintf(d.comment, sizeof(d.comment), "%s", strempty(b->comment));
                        r = output_element(c->output, &e, &d);
                } else
                        r = output_element(c->output, &e, NULL);
        }
        collect_free(c);
        return r;
}

/* Lists on the worker thread. */
void element_job_list_run(void *userdata)
{
        ElementJob *j = userdata;
        Output o = { .job = j };
        Collect c = { .output = &o };
        int r;

        if (j->kind == ELEMENT_JOB_LIST_TO_FD && !(o.buf = malloc(READ_CHUNK))) {
                j->error = -ENOMEM;
                return;
        }
        r = elemio_dump(j->family, j->table, j->set, collect_one, &c);
        if (r >= 0)
                r = collect_finish(&c);
        else
                collect_free(&c);
        if (r >= 0 && j->kind == ELEMENT_JOB_LIST_TO_FD)
                r = output_flush(&o);
        free(o.buf);
        if (r < 0)
                j->error = r;
}

void element_job_done(void *userdata)
{
        ElementJob *j = userdata;

        job_reply(j);
        element_job_free(j);
}

static void element_job_committed(Context *c, int error, const ElemRefusal *refusal, size_t committed, void *userdata)
{
        ElementJob *j = userdata;

        j->error = error;
        j->refusal = *refusal;
        j->committed = committed;
        /* a bulk commit's events went unread: the subscribers hear of it here */
        if (error == 0 && !refusal->error && committed >= BULK_ELEMENTS)
                changes_announce_elements(c, j->family, j->table, j->set, j->deleting ? 0 : committed,
                                          j->deleting ? committed : 0);
        element_job_done(j);
}

int element_job_commit(ElementJob *j)
{
        ElemBatch *batch = TAKE_PTR(j->batch); /* the commit's, whatever comes of it */

        return batch_commit(j->context, batch, element_job_committed, j);
}

/* Reads the stream on the worker thread, then queues the commit. */
void element_job_read_run(void *userdata)
{
        ElementJob *j = userdata;
        int r = read_stream(j);

        if (r < 0)
                j->error = r;
        j->count = elem_batch_count(j->batch);
}

void element_job_read_done(void *userdata)
{
        ElementJob *j = userdata;
        int r;

        j->fd = safe_close(j->fd);
        if (j->error < 0 || j->invalid || j->count == 0)
                return element_job_done(j);
        r = element_job_commit(j);
        if (r < 0) {
                j->error = r;
                element_job_done(j);
        }
}

/* Parses the call's array of elements into j's batch: InvalidArgument names the first bad one. */
int element_job_parse_array(sd_bus_message *m, ElementJob *j, sd_bus_error *error)
{
        uint32_t position = 0;
        const char *text;
        int r;

        r = sd_bus_message_rewind(m, true);
        if (r >= 0)
                r = sd_bus_message_enter_container(m, 'a', "s");
        if (r < 0)
                return r;
        j->batch = elem_batch_free(j->batch);
        element_texts_done(&j->texts);
        r = elem_batch_new(j->deleting, j->family, j->table, j->set, &j->shape, &j->options, 1, &j->batch);
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read_basic(m, 's', &text)) > 0) {
                _cleanup_free_ char *why = NULL;
                Element e;

                position++;
                r = element_parse(&j->shape, text, &e, &why);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                                 "Element %u: %s; nothing was changed", position, strempty(why));
                r = element_texts_add(&j->texts, text, strlen(text), position);
                if (r == -E2BIG)
                        return sd_bus_error_set(error, NFTBUS_ERROR_TOO_LARGE,
                                                "The elements are more than nftbus takes in one call (1 GiB)");
                if (r >= 0)
                        r = elem_batch_add(j->batch, &e);
                if (r < 0)
                        return r;
        }
        return r;
}

/* How many strings the call's array holds, counting no further than limit + 1: reading each string costs
 * (sd-bus checks it), and all a refused call needs to know is whether it is small. */
int element_job_count_array(sd_bus_message *m, size_t limit, size_t *ret)
{
        const char *text;
        size_t n = 0;
        int r;

        r = sd_bus_message_rewind(m, true);
        if (r >= 0)
                r = sd_bus_message_enter_container(m, 'a', "s");
        while (r >= 0 && n <= limit && (r = sd_bus_message_read_basic(m, 's', &text)) > 0)
                n++;
        if (r < 0)
                return r;
        *ret = n;
        return 0;
}
