/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The way from a validated, authorised method call to the executor and back: one JSON batch, one
 * transaction, then the reply (or the error, mapped to the stable names) and an audit record. */

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "context.h"

/* In CallRequest.flags, beside the executor's EXEC_* flags: the kernel's "not found" means
 * something the change refers to is missing (a jump target, a set), which is Rejected, not NotFound. */
#define CALL_MISSING_IS_REJECTED (UINT32_C(1) << 16)

/* The types of a method handler and a property getter, as sd-bus calls them: for declaring several at once. */
typedef int bus_method_handler(sd_bus_message *m, void *userdata, sd_bus_error *error);
typedef int bus_property_getter(sd_bus *bus, const char *path, const char *interface, const char *property,
                                sd_bus_message *reply, void *userdata, sd_bus_error *error);

/* Builds the success reply of m from the executor's output; NULL means an empty reply. */
typedef int (*call_reply_t)(Context *c, sd_bus_message *m, const ExecReply *reply, const char *object);

/* Called once the transaction is over: done (refusal NULL: the success reply went out), or refused by the
 * kernel or lost with the executor (refusal set: no reply went out, the owner answers or tries again). */
typedef void (*call_finished_t)(Context *c, void *userdata, const sd_bus_error *refusal);

/* What a call sends, and how it is answered. */
typedef struct CallRequest {
        const json_t *batch;     /* a JSON batch, or */
        const char *text;        /* commands as text (nft syntax with EXEC_NFT_SYNTAX: checked by nftsyntax.h, with
                                  * validated names only) */
        uint32_t flags;          /* EXEC_* and CALL_* */
        const char *object;      /* the target, for the audit record ("table inet/filter") */
        call_reply_t on_success; /* the success reply; NULL: reply_path, else an empty one */
        const char *reply_path;  /* the object path of what the batch created, as the reply */
        const char *not_found;   /* NotFound's message (something the batch names is not there), not the kernel's */
        /* called once the transaction is over, whatever the outcome: for work that must not overlap (the zones'
         * transactions, one after the other). A refusal is not replied then: finished gets it, and answers or
         * tries another way. Not called when call_execute() returns an error. */
        call_finished_t finished;
        void *finished_userdata;
} CallRequest;

/* Sends the request's batch or text for m as one transaction; the reply follows when it is over. Returns 1 (the
 * reply comes later) or negative errno with error set. */
int call_execute(Context *c, sd_bus_message *m, const CallRequest *request, sd_bus_error *error);

/* The n innermost open containers of m closed while r, what building m gave so far, is no error: r, or the first
 * error. */
int call_close_containers(sd_bus_message *m, unsigned n, int r);
/* reply sent, once built (r: what building it gave); or that error. */
int call_send_reply(sd_bus_message *reply, int r);

/* Sets error to InvalidArgument with why (or a generic text when why is NULL, after OOM). */
int call_invalid(sd_bus_error *error, const char *why);
/* error named name, its message "CODE: words" (code NULL: the words alone; no words: the code alone), as
 * firewalld's errors read. Returns the negative errno of what it set. */
int call_error_codedv(sd_bus_error *error, const char *name, const char *code, const char *fmt, va_list ap)
        __attribute__((format(printf, 4, 0)));

/* Whether a reply to m with a body of body_size bytes (bussize.h) fits in one message of the bus. If it
 * does not, m is answered with TooLarge naming the alternative (the descriptor form of the call) and 0
 * is returned: dbus-daemon drops a connection that sends a message over its limit. Returns 1 if it fits,
 * negative errno if even the error could not be sent. */
int call_reply_fits(Context *c, sd_bus_message *m, size_t body_size, const char *alternative);

/* Replies to m with the string text, or with TooLarge naming alternative when it does not fit. */
int call_reply_string(Context *c, sd_bus_message *m, const char *text, const char *alternative);

/* Writes text (taken) to fd (taken) on a worker thread, then replies to m with the number of bytes
 * written ("t"), or with an error when the descriptor stopped taking them. The *ToFd methods, whose
 * listings can be larger than a message of the bus. */
int call_reply_to_fd(Context *c, sd_bus_message *m, int fd, char *text);

/* How long a descriptor a caller passed may take nothing before the call gives up on it. */
#define CALL_FD_IDLE_MS 25000

/* Reads the "h" at the current position of m: a descriptor the caller passed, checked for the direction
 * it is used in (writing: nftbusd writes to it). *ret stays owned by m. */
int call_read_fd(sd_bus_message *m, bool writing, int *ret, sd_bus_error *error);
