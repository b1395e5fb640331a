/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The way from a validated, authorised method call to the executor and back: one JSON batch, one
 * transaction, then the reply (or the error, mapped to the stable names) and an audit record. */

#include <jansson.h>
#include <systemd/sd-bus.h>

#include "context.h"

/* In the flags of call_execute*(), beside the executor's EXEC_* flags: the kernel's "not found" means
 * something the change refers to is missing (a jump target, a set), which is Rejected, not NotFound. */
#define CALL_MISSING_IS_REJECTED (UINT32_C(1) << 16)

/* Builds the success reply of m from the executor's output; NULL means an empty reply. */
typedef int (*call_reply_t)(Context *c, sd_bus_message *m, const ExecReply *reply, const char *object);

/* Sends batch for m. object names the target for the audit record (e.g. "table inet/filter").
 * Returns 1 (the reply comes later) or negative errno with error set. */
int call_execute(Context *c, sd_bus_message *m, const json_t *batch, uint32_t flags, const char *object,
                 call_reply_t on_success, sd_bus_error *error);

/* call_execute() replying with the object path of what the batch created. */
int call_execute_path(Context *c, sd_bus_message *m, const json_t *batch, const char *object, const char *path,
                      sd_bus_error *error);

/* call_execute() for a command in nft syntax, for the methods that take nft syntax: text has been
 * checked (nftsyntax.h) and holds only validated names. */
int call_execute_text(Context *c, sd_bus_message *m, const char *text, uint32_t flags, const char *object,
                      call_reply_t on_success, sd_bus_error *error);

/* call_execute_text() replying with the object path of what the command created. */
int call_execute_text_path(Context *c, sd_bus_message *m, const char *text, const char *object, const char *path,
                           sd_bus_error *error);

/* Sets error to InvalidArgument with why (or a generic text when why is NULL, after OOM). */
int call_invalid(sd_bus_error *error, const char *why);
