/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "netlink/elemio.h"
#include "nftables/elementjob.h"
#include "bus/readers.h"
#include "nftables/elements.h"
#include "common/errors.h"
#include "log.h"
#include "bus/options.h"
#include "core/setelem.h"
#include "common/util.h"
#include "common/validate.h"
#include "executor/worker.h"

/* ---- properties ---- */

int elements_append_type(sd_bus_message *reply, uint32_t packed)
{
        _cleanup_free_ char *s = NULL;
        int r = set_type_to_string(packed, &s);

        if (r < 0)
                return r;
        return sd_bus_message_append(reply, "s", s);
}

int elements_property_get_type(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                               const char *property _unused_, sd_bus_message *reply, void *userdata,
                               sd_bus_error *error _unused_)
{
        Node *n = userdata;
        return elements_append_type(reply, n->info.set.key_type);
}

int elements_property_get_flags(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                                const char *property _unused_, sd_bus_message *reply, void *userdata,
                                sd_bus_error *error _unused_)
{
        static const struct {
                uint32_t flag;
                const char *name;
        } flags[] = {
                { NFT_SET_CONSTANT, "constant" },
                { NFT_SET_INTERVAL, "interval" },
                { NFT_SET_TIMEOUT, "timeout" },
                { NFT_SET_EVAL, "dynamic" },
        };
        Node *n = userdata;
        int r;

        r = sd_bus_message_open_container(reply, 'a', "s");
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(flags); i++)
                if (n->info.flags & flags[i].flag)
                        r = sd_bus_message_append(reply, "s", flags[i].name);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

int elements_property_get_u32(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                              const char *property, sd_bus_message *reply, void *userdata,
                              sd_bus_error *error _unused_)
{
        Node *n = userdata;

        /* GcInterval in seconds, as AddSet takes it */
        return sd_bus_message_append(reply, "u",
                                     streq(property, "Size") ? n->info.set.size : n->info.set.gc_interval_ms / 1000);
}

int elements_property_get_t(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                            const char *property _unused_, sd_bus_message *reply, void *userdata,
                            sd_bus_error *error _unused_)
{
        Node *n = userdata;

        return sd_bus_message_append(reply, "t", n->info.set.timeout_ms / 1000);
}

int elements_property_get_b(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                            const char *property, sd_bus_message *reply, void *userdata, sd_bus_error *error _unused_)
{
        Node *n = userdata;

        return sd_bus_message_append(reply, "b",
                                     streq(property, "AutoMerge") ? n->info.set.auto_merge : n->info.set.has_counter);
}

int elements_property_get_policy(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                                 const char *property _unused_, sd_bus_message *reply, void *userdata,
                                 sd_bus_error *error _unused_)
{
        Node *n = userdata;

        return sd_bus_message_append(reply, "s", n->info.set.policy == NFT_SET_POL_MEMORY ? "memory" : "performance");
}

/* ---- the methods ---- */

static const char *const *element_details(const Node *n, const char *details[static 7])
{
        details[0] = "family";
        details[1] = family_to_string(n->table->family);
        details[2] = "table";
        details[3] = n->table->name;
        details[4] = "set";
        details[5] = n->name;
        details[6] = NULL;
        return details;
}

static int read_options(sd_bus_message *m, const Node *n, ElementJob *j, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        uint64_t timeout = 0, expires = 0;
        int r;

        r = options_read(m,
                         (const OptionSpec[]){
                                 { "timeout", "t", &timeout },
                                 { "expires", "t", &expires },
                                 { "comment", "s", &j->comment },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        if ((timeout || expires) && !(n->info.flags & NFT_SET_TIMEOUT))
                return call_invalid(error, "timeout and expires need a set with the timeout flag");
        /* the kernel keeps milliseconds in 64 bits, and refuses more than it can count in jiffies */
        if (timeout > UINT32_MAX || expires > UINT32_MAX)
                return call_invalid(error, "timeout and expires go up to 4294967295 seconds");
        if (expires && !timeout && !n->info.set.timeout_ms)
                return call_invalid(error, "expires needs a timeout: give one with the elements, or give the set one");
        if (expires && expires > (timeout ? timeout : n->info.set.timeout_ms / 1000))
                return call_invalid(error, "expires cannot be longer than the element's timeout");
        if (j->comment && validate_comment(j->comment, &why) < 0)
                return call_invalid(error, why);
        j->options =
                (ElemOptions){ .timeout_ms = timeout * 1000, .expires_ms = expires * 1000, .comment = j->comment };
        return 0;
}

/* AddElements' and DeleteElements' arguments read into a job: the elements parsed (*ret_parsed) when there are
 * few, so that a typo never asks for a password; a big array only once the caller is authorised, so that a
 * caller polkit refuses costs no parsing (1.5 million elements took 100 MB and seconds). 0: no elements. */
static int read_change(sd_bus_message *m, Node *n, bool deleting, ElementJob **ret, bool *ret_parsed,
                       sd_bus_error *error)
{
        _cleanup_(element_job_freep) ElementJob *j = NULL;
        size_t count;
        int r;

        r = element_job_new(m, n, ELEMENT_JOB_CHANGE, &j);
        if (r < 0)
                return r;
        j->deleting = deleting;
        r = element_job_shape(n, &j->shape, error);
        if (r < 0)
                return r;
        if (!deleting) {
                /* the options follow the array; read them first, the elements need none of them */
                r = sd_bus_message_skip(m, "as");
                if (r < 0)
                        return r;
                r = read_options(m, n, j, error);
                if (r < 0)
                        return r;
        }
        r = element_job_count_array(m, ELEMENTS_CHECKED_BEFORE_POLKIT, &count);
        if (r < 0 || count == 0)
                return r;
        *ret_parsed = count <= ELEMENTS_CHECKED_BEFORE_POLKIT;
        if (*ret_parsed) {
                r = element_job_parse_array(m, j, error);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(j);
        return 1;
}

static void element_job_forget(void *j)
{
        element_job_free(j);
}

/* whether the elements parsed for one shape are good for the other (the set was made anew meanwhile) */
static bool same_shape(const SetShape *a, const SetShape *b)
{
        return a->n_key == b->n_key && a->key_len == b->key_len && a->interval == b->interval && a->map == b->map &&
               a->data == b->data && a->data_len == b->data_len &&
               memcmp(a->key, b->key, a->n_key * sizeof(a->key[0])) == 0;
}

/* AddElements and DeleteElements. The elements parsed before polkit is asked wait with the question, so that
 * they are parsed once. */
static int method_change(sd_bus_message *m, Node *n, bool deleting, sd_bus_error *error)
{
        Polkit *polkit = node_context(n)->polkit;
        _cleanup_(element_job_freep) ElementJob *j = polkit_take_kept(polkit, m);
        const char *details[7];
        bool parsed = j != NULL;
        SetShape now;
        int r;

        if (j) {
                r = element_job_shape(n, &now, error);
                if (r < 0)
                        return r;
                if (!same_shape(&now, &j->shape))
                        j = element_job_free(j);
        }
        if (!j) {
                r = read_change(m, n, deleting, &j, &parsed, error);
                if (r <= 0) /* nothing to do is done */
                        return r < 0 ? r : sd_bus_reply_method_return(m, NULL);
        }
        r = polkit_check(polkit, m, element_details(n, details), error);
        if (r == 0 && parsed) /* asked: the parsed elements wait for the answer with the question */
                (void) polkit_keep(polkit, m, TAKE_PTR(j), element_job_forget);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (!parsed) {
                r = element_job_parse_array(m, j, error);
                if (r < 0)
                        return r;
        }
        r = element_job_commit(j);
        if (r < 0)
                return r;
        TAKE_PTR(j);
        return 1;
}

int elements_method_add(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_change(m, userdata, false, error);
}

int elements_method_delete(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_change(m, userdata, true, error);
}

int elements_method_add_from_fd(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(element_job_freep) ElementJob *j = NULL;
        Node *n = userdata;
        const char *details[7];
        int fd, r;

        r = element_job_new(m, n, ELEMENT_JOB_ADD_FROM_FD, &j);
        if (r < 0)
                return r;
        j->from_stream = true;
        r = element_job_shape(n, &j->shape, error);
        if (r < 0)
                return r;
        r = call_read_fd(m, false, &fd, error);
        if (r < 0)
                return r;
        r = read_options(m, n, j, error);
        if (r < 0)
                return r;

        r = polkit_check(j->context->polkit, m, element_details(n, details), error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        j->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (j->fd < 0)
                return -errno;
        r = elem_batch_new(false, j->family, j->table, j->set, &j->shape, &j->options, 1, &j->batch);
        if (r < 0)
                return r;
        r = work_start_descriptor(j->context->event, element_job_read_run, element_job_read_done, j);
        if (r < 0)
                return r;
        TAKE_PTR(j);
        return 1;
}

/* the most elements ListElementsRange gives in one reply */
#define LIST_RANGE_MAX 1000000u

static int method_list(sd_bus_message *m, Node *n, ElementJobKind kind, bool detailed, sd_bus_error *error)
{
        _cleanup_(element_job_freep) ElementJob *j = NULL;
        const char *details[7];
        int fd = -EBADF, r;

        r = element_job_new(m, n, kind, &j);
        if (r < 0)
                return r;
        j->detailed = detailed;
        if (streq(sd_bus_message_get_member(m), "ListElementsRange")) {
                r = sd_bus_message_read(m, "tu", &j->range_start, &j->range_count);
                if (r < 0)
                        return r;
                if (j->range_count == 0 || j->range_count > LIST_RANGE_MAX)
                        return call_invalid(error, "Invalid count: 1 to 1000000 elements");
                j->ranged = true;
        }
        r = element_job_shape(n, &j->shape, error);
        if (r < 0)
                return r;
        if (kind == ELEMENT_JOB_LIST_TO_FD) {
                r = call_read_fd(m, true, &fd, error);
                if (r < 0)
                        return r;
        }
        r = polkit_check(j->context->polkit, m, element_details(n, details), error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = readers_enter(j->context, m, &j->reader_uid, error);
        if (r < 0)
                return r;
        if (fd >= 0) {
                j->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
                if (j->fd < 0)
                        return -errno;
        }
        r = j->fd >= 0 ? work_start_descriptor(j->context->event, element_job_list_run, element_job_done, j)
                       : work_start(j->context->event, element_job_list_run, element_job_done, j);
        if (r < 0)
                return r;
        TAKE_PTR(j);
        return 1;
}

int elements_method_list(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_list(m, userdata, ELEMENT_JOB_LIST, false, error);
}

int elements_method_list_to_fd(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_list(m, userdata, ELEMENT_JOB_LIST_TO_FD, false, error);
}

int elements_method_list_range(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_list(m, userdata, ELEMENT_JOB_LIST, false, error);
}

int elements_method_list_detailed(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_list(m, userdata, ELEMENT_JOB_LIST, true, error);
}

int elements_method_list_detailed_to_fd(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_list(m, userdata, ELEMENT_JOB_LIST_TO_FD, true, error);
}

/* A plain interval set answers a lookup with the interval holding the value: both ends of a range must
 * fall in the same one. */
static int note_key(const RawElement *raw, void *userdata)
{
        uint8_t *key = userdata;

        if (raw->key && raw->key_len <= SET_KEY_MAX && !raw->interval_end)
                memcpy(key, raw->key, raw->key_len);
        return 0;
}

int elements_method_has(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        Node *n = userdata;
        const char *details[7], *text;
        SetShape shape;
        Element e;
        bool found = false;
        int r;

        r = element_job_shape(n, &shape, error);
        if (r < 0)
                return r;
        r = sd_bus_message_read(m, "s", &text);
        if (r < 0)
                return r;
        if (shape.map && strstr(text, " : "))
                return call_invalid(error, "HasElement takes a map's key, without its value");
        /* a key alone */
        shape.map = false;
        r = element_parse(&shape, text, &e, &why);
        if (r < 0)
                return r == -ENOMEM ? r : call_invalid(error, why);

        r = polkit_check(node_context(n)->polkit, m, element_details(n, details), error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        if (shape.interval && shape.n_key == 1 && e.range) {
                uint8_t first[SET_KEY_MAX] = {}, last[SET_KEY_MAX] = {};
                bool found_last = false;

                r = elemio_get(n->table->family, n->table->name, n->name, e.key, NULL, shape.key_len, note_key, first,
                               &found);
                if (r >= 0 && found)
                        r = elemio_get(n->table->family, n->table->name, n->name, e.key_last, NULL, shape.key_len,
                                       note_key, last, &found_last);
                found = found && found_last && memcmp(first, last, shape.key_len) == 0;
        } else
                r = elemio_get(n->table->family, n->table->name, n->name, e.key,
                               shape.interval && shape.n_key > 1 ? e.key_last : NULL, shape.key_len, NULL, NULL,
                               &found);
        if (r < 0)
                return sd_bus_error_set_errnof(error, r, "Failed to look the element up: %m");
        return sd_bus_reply_method_return(m, "b", found);
}

int elements_method_flush(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int r = node_authorize(m, userdata, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return node_command(m, userdata, "flush", 0, NULL, error);
}
