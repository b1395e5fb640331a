/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>

#include "batch.h"
#include "call.h"
#include "errors.h"
#include "log.h"
#include "util.h"

typedef struct Call {
        Context *context;
        sd_bus_message *message;
        call_reply_t on_success;
        char *object;
        char *reply_path; /* replied as "o" when there is no on_success */
        uint32_t flags;   /* CALL_* */
} Call;

static Call *call_free(Call *call)
{
        if (!call)
                return NULL;
        sd_bus_message_unref(call->message);
        free(call->object);
        free(call->reply_path);
        free(call);
        return NULL;
}

static void on_executed(int r, const ExecReply *reply, void *userdata)
{
        Call *call = userdata;
        sd_bus_message *m = call->message;
        const char *action = strempty(polkit_action_of(m));
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;

        if (r < 0) {
                log_change(m, action, call->object, "executor failed");
                (void) sd_bus_error_setf(&error, NFTBUS_ERROR_BACKEND_FAILED,
                                         "The nftables executor failed during the call (%s); it is being "
                                         "restarted. The change may or may not have been applied.",
                                         strerror(-r));
                (void) sd_bus_reply_method_error(m, &error);
        } else if (reply->nft_rc != 0) {
                _cleanup_free_ char *text = nft_error_message(reply->error);
                log_change(m, action, call->object, "refused by nftables");
                const char *name = nft_error_name(reply->error);
                if ((call->flags & CALL_MISSING_IS_REJECTED) && streq(name, NFTBUS_ERROR_NOT_FOUND))
                        name = NFTBUS_ERROR_REJECTED;
                (void) sd_bus_error_set(&error, name, text && *text ? text : "nftables refused the change");
                (void) sd_bus_reply_method_error(m, &error);
        } else {
                /* the kernel's events for this transaction are queued already: take them in first,
                 * so that the objects named in the reply exist on the bus */
                r = monitor_drain(call->context->monitor);
                if (r < 0)
                        log_warning_errno(r, "Failed to read nftables change events, ignoring: %m");
                log_change(m, action, call->object, "done");
                if (call->on_success)
                        r = call->on_success(call->context, m, reply, call->object);
                else if (call->reply_path)
                        r = sd_bus_reply_method_return(m, "o", call->reply_path);
                else
                        r = sd_bus_reply_method_return(m, NULL);
                if (r < 0)
                        log_warning_errno(r, "Failed to send the reply to %s, ignoring: %m",
                                          strempty(sd_bus_message_get_sender(m)));
        }
        /* what this job's transaction added is only meaningful to this job's reply */
        call->context->executor_rules = (RuleTrace){};
        call_free(call);
}

static int submit(Context *c, sd_bus_message *m, char *text, uint32_t flags, const char *object,
                  call_reply_t on_success, const char *reply_path, sd_bus_error *error)
{
        Call *call;
        int r;

        if (!text)
                return sd_bus_error_set_errno(error, -ENOMEM);
        call = calloc(1, sizeof(Call));
        if (!call || !(call->object = strdup(object)) || (reply_path && !(call->reply_path = strdup(reply_path)))) {
                free(text);
                call_free(call);
                return sd_bus_error_set_errno(error, -ENOMEM);
        }
        call->context = c;
        call->message = sd_bus_message_ref(m);
        call->on_success = on_success;
        call->flags = flags & ~(EXEC_FLAGS);
        flags &= EXEC_FLAGS;

        log_debug("Executing %s", text);
        r = executor_submit(c->executor, flags, text, strlen(text), on_executed, call);
        if (r < 0) {
                call_free(call);
                return sd_bus_error_set_errno(error, r);
        }
        return 1;
}

int call_execute(Context *c, sd_bus_message *m, const json_t *batch, uint32_t flags, const char *object,
                 call_reply_t on_success, sd_bus_error *error)
{
        return submit(c, m, batch_dump(batch), flags, object, on_success, NULL, error);
}

int call_execute_path(Context *c, sd_bus_message *m, const json_t *batch, const char *object, const char *path,
                      sd_bus_error *error)
{
        return submit(c, m, batch_dump(batch), 0, object, NULL, path, error);
}

int call_execute_text_path(Context *c, sd_bus_message *m, const char *text, const char *object, const char *path,
                           sd_bus_error *error)
{
        return submit(c, m, strdup(text), 0, object, NULL, path, error);
}

int call_execute_text(Context *c, sd_bus_message *m, const char *text, uint32_t flags, const char *object,
                      call_reply_t on_success, sd_bus_error *error)
{
        return submit(c, m, strdup(text), flags, object, on_success, NULL, error);
}

int call_invalid(sd_bus_error *error, const char *why)
{
        return sd_bus_error_set(error, NFTBUS_ERROR_INVALID_ARGUMENT, why ? why : "Invalid argument");
}
