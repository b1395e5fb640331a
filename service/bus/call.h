/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, spec/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The way from a validated, authorised method call to the executor and back: one JSON batch, one
 * transaction, then the reply (or the error, mapped to the stable names) and an audit record. */

#include <jansson.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "context.h"

/* In the flags of call_execute*(), beside the executor's EXEC_* flags: the kernel's "not found" means
 * something the change refers to is missing (a jump target, a set), which is Rejected, not NotFound. */
#define CALL_MISSING_IS_REJECTED (UINT32_C(1) << 16)

/* Builds the success reply of m from the executor's output; NULL means an empty reply. */
typedef int (*call_reply_t)(Context *c, sd_bus_message *m, const ExecReply *reply, const char *object);

/* Called once the transaction is over: done (refusal NULL: the success reply went out), or refused by the
 * kernel or lost with the executor (refusal set: no reply went out, the owner answers or tries again). */
typedef void (*call_finished_t)(Context *c, void *userdata, const sd_bus_error *refusal);

/* Sends batch for m. object names the target for the audit record (e.g. "table inet/filter").
 * Returns 1 (the reply comes later) or negative errno with error set. */
int call_execute(Context *c, sd_bus_message *m, const json_t *batch, uint32_t flags, const char *object,
                 call_reply_t on_success, sd_bus_error *error);

/* call_execute() with an empty reply, whose NotFound (something the batch names is not there) says
 * not_found instead of the kernel's "No such file or directory". */
int call_execute_or_not_found(Context *c, sd_bus_message *m, const json_t *batch, const char *object,
                              const char *not_found, sd_bus_error *error);

/* call_execute() replying with the object path of what the batch created. */
int call_execute_path(Context *c, sd_bus_message *m, const json_t *batch, const char *object, const char *path,
                      sd_bus_error *error);

/* call_execute() for a command in nft syntax, for the methods that take nft syntax: text has been
 * checked (nftsyntax.h) and holds only validated names. */
int call_execute_text(Context *c, sd_bus_message *m, const char *text, uint32_t flags, const char *object,
                      call_reply_t on_success, sd_bus_error *error);

/* call_execute_text() that calls finished once the transaction is over, whatever the outcome: for work that
 * must not overlap (the zones' transactions, one after the other). A refusal is not replied: finished gets
 * it, and answers or tries another way. Not called when it returns an error. */
int call_execute_text_finally(Context *c, sd_bus_message *m, const char *text, uint32_t flags, const char *object,
                              call_reply_t on_success, call_finished_t finished, void *userdata, sd_bus_error *error);

/* call_execute_text() replying with the object path of what the command created. */
int call_execute_text_path(Context *c, sd_bus_message *m, const char *text, const char *object, const char *path,
                           sd_bus_error *error);

/* Sets error to InvalidArgument with why (or a generic text when why is NULL, after OOM). */
int call_invalid(sd_bus_error *error, const char *why);

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
