/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The element work of the Set and Map interfaces (nftables/elements.c): a job per call, parsed before or after
 * polkit, committed as one netlink batch or listed, on a worker thread, and its reply. */

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-bus.h>

#include "nftables/node.h"
#include "context.h"
#include "netlink/elembatch.h"
#include "netlink/elemio.h"
#include "bus/batchcommit.h"
#include "core/setelem.h"

/* one call reads at most this much element text; the offsets below are 32 bits */
#define INPUT_MAX (UINT32_C(1) << 30)
#define LINE_MAX_LEN 4096
/* a stream that sends nothing for this long is given up */
#define STREAM_IDLE_MS 25000
#define READ_CHUNK (256 * 1024)
/* arrays of up to this many elements are parsed before polkit is asked, larger ones after */
#define ELEMENTS_CHECKED_BEFORE_POLKIT 4096

typedef enum ElementJobKind {
        ELEMENT_JOB_CHANGE,      /* a batch built from the call's array */
        ELEMENT_JOB_ADD_FROM_FD, /* read, parsed and built on the thread */
        ELEMENT_JOB_LIST,
        ELEMENT_JOB_LIST_TO_FD,
} ElementJobKind;

/* The element texts of a call, for naming a bad one: NUL-separated, with each one's line or position. */
typedef struct Texts {
        char *buf;
        size_t len, size;
        struct {
                uint32_t offset, line;
        } * places;
        size_t n, capacity;
} Texts;

typedef struct ElementJob {
        Context *context;
        sd_bus_message *message;
        ElementJobKind kind;
        bool from_stream; /* texts are numbered by line */
        bool deleting;
        char *object;
        int family;
        char *table, *set;
        SetShape shape;
        ElemOptions options;
        char *comment;
        ElemBatch *batch;
        Texts texts;
        int fd;
        /* what came of it */
        int error;     /* negative errno: it could not be done */
        char *invalid; /* the first bad element of a stream */
        ElemRefusal refusal;
        size_t committed; /* elements in the commit */
        size_t count;
        Texts listing;     /* a listing's lines, for the reply (ListElementsRange: the slice asked for) */
        size_t reply_size; /* what the listing's reply takes on the bus so far */
        size_t reply_max;  /* the bus's message limit: a listing past it is no longer kept */
        bool too_large;    /* ... and it was past it */
        uid_t reader_uid;  /* a listing: its place among the readers (bus/readers.h) */
        bool detailed;     /* a listing with each element's details, a line of JSON each */
        bool ranged;       /* ListElementsRange: the listing's elements from range_start, range_count of them */
        uint64_t range_start;
        uint32_t range_count;
        uint64_t set_timeout_ms; /* the timeout of elements that have none of their own */
} ElementJob;

void element_texts_done(Texts *t);
int element_texts_add(Texts *t, const char *s, size_t len, uint32_t line);
const char *element_texts_get(const Texts *t, size_t i);

int element_job_new(sd_bus_message *m, Node *n, ElementJobKind kind, ElementJob **ret);
ElementJob *element_job_free(ElementJob *j);
DEFINE_POINTER_CLEANUP(ElementJob, element_job_free);

/* The shape of n's elements, or InvalidArgument when nftbus cannot write them. */
int element_job_shape(const Node *n, SetShape *ret, sd_bus_error *error);

/* The call's array of elements: how many (counting no further than limit + 1), and parsed into j's batch
 * (InvalidArgument names the first bad one). */
int element_job_count_array(sd_bus_message *m, size_t limit, size_t *ret);
int element_job_parse_array(sd_bus_message *m, ElementJob *j, sd_bus_error *error);

/* Queues j's batch for commit behind the executor's jobs (takes j). */
int element_job_commit(ElementJob *j);

/* Worker functions (executor/worker.h): a stream read into the batch, then committed; a listing. */
void element_job_read_run(void *userdata);
void element_job_read_done(void *userdata);
void element_job_list_run(void *userdata);
/* Replies and frees j. */
void element_job_done(void *userdata);
