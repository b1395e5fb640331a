/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/batch.h"
#include "bus/bussize.h"
#include "bus/call.h"
#include "bus/readers.h"
#include "common/errors.h"
#include "common/validate.h"
#include "log.h"
#include "common/util.h"
#include "executor/worker.h"

typedef struct Call {
        Context *context;
        sd_bus_message *message;
        call_reply_t on_success;
        char *object;
        char *reply_path; /* replied as "o" when there is no on_success */
        /* the message of NotFound, in place of the kernel's "No such file or directory"; "" for the kernel's:
         * room for a handle and three names of 255 bytes */
        char not_found[832];
        uint32_t flags;           /* CALL_* */
        call_finished_t finished; /* after the reply, whatever it was */
        void *finished_userdata;
} Call;

static Call *call_free(Call *call)
{
        if (!call)
                return NULL;
        sd_bus_message_unref(call->message);
        FREE_MANY(call->object, call->reply_path, call);
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
        } else if (reply->nft_rc != 0) {
                _cleanup_free_ char *text = nft_error_message(reply->error);
                log_change(m, action, call->object, "refused by nftables");
                const char *name = nft_error_name(reply->error);
                if (text && (streq(name, NFTBUS_ERROR_NOT_FOUND) || streq(name, NFTBUS_ERROR_ALREADY_EXISTS))) {
                        /* what is missing or there already, in words */
                        char *explained = nft_error_explain(text);
                        if (explained) {
                                free(text);
                                text = explained;
                        }
                }
                if ((call->flags & CALL_MISSING_IS_REJECTED) && streq(name, NFTBUS_ERROR_NOT_FOUND))
                        name = NFTBUS_ERROR_REJECTED;
                if (call->not_found[0] && streq(name, NFTBUS_ERROR_NOT_FOUND))
                        (void) sd_bus_error_set(&error, name, call->not_found);
                else
                        (void) sd_bus_error_set(&error, name, text && *text ? text : "nftables refused the change");
        } else {
                /* the kernel's events for this transaction are queued already (the call held the event
                 * group): take them in first, so that the objects named in the reply exist on the bus */
                r = monitor_sync(call->context->monitor);
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
        /* a refusal is the caller's answer, or the owner's to give (CallRequest.finished) */
        if (sd_bus_error_is_set(&error) && !call->finished)
                (void) sd_bus_reply_method_error(m, &error);
        /* what this job's transaction added is only meaningful to this job's reply */
        call->context->executor_rules = (RuleTrace){};
        monitor_touch(call->context->monitor);
        monitor_release(call->context->monitor);
        if (call->finished)
                call->finished(call->context, call->finished_userdata, sd_bus_error_is_set(&error) ? &error : NULL);
        call_free(call);
}

int call_execute(Context *c, sd_bus_message *m, const CallRequest *request, sd_bus_error *error)
{
        char *text = request->text ? strdup(request->text) : batch_dump(request->batch);
        uint32_t flags = request->flags & EXEC_FLAGS;
        Call *call;
        int r;

        if (!text)
                return sd_bus_error_set_errno(error, -ENOMEM);
        call = calloc(1, sizeof(Call));
        if (!call || !(call->object = strdup(request->object)) ||
            (request->reply_path && !(call->reply_path = strdup(request->reply_path)))) {
                free(text);
                call_free(call);
                return sd_bus_error_set_errno(error, -ENOMEM);
        }
        snprintf(call->not_found, sizeof(call->not_found), "%s", strempty(request->not_found));
        call->context = c;
        call->message = sd_bus_message_ref(m);
        call->on_success = request->on_success;
        call->finished = request->finished;
        call->finished_userdata = request->finished_userdata;
        call->flags = request->flags & ~(EXEC_FLAGS);

        log_debug("Executing %s", text);
        /* in the event group while the transaction runs (and a little after, for the next call): its events
         * give the mirror its objects and AddRule its handle */
        monitor_hold(c->monitor);
        monitor_touch(c->monitor);
        r = executor_submit(c->executor, flags, text, strlen(text), on_executed, call);
        if (r < 0) {
                monitor_release(c->monitor);
                call_free(call);
                return sd_bus_error_set_errno(error, r);
        }
        return 1;
}

int call_reply_fits(Context *c, sd_bus_message *m, size_t body_size, const char *alternative)
{
        int r;

        if (body_size <= c->message_max && c->message_max - body_size >= DBUS_HEADER_ALLOWANCE)
                return 1;
        log_info("The reply to %s.%s of %s would take %zu bytes, more than the bus's %zu: refused",
                 strempty(sd_bus_message_get_interface(m)), strempty(sd_bus_message_get_member(m)),
                 strempty(sd_bus_message_get_sender(m)), body_size, c->message_max);
        r = sd_bus_reply_method_errorf(m, NFTBUS_ERROR_TOO_LARGE,
                                       "The reply (%zu bytes) would not fit in one message of the bus (%zu bytes "
                                       "at most); use %s",
                                       body_size, c->message_max, alternative);
        return r < 0 ? r : 0;
}

int call_reply_string(Context *c, sd_bus_message *m, const char *text, const char *alternative)
{
        int r = call_reply_fits(c, m, dbus_size_string(0, strlen(text)), alternative);

        return r <= 0 ? r : sd_bus_reply_method_return(m, "s", text);
}

int call_read_fd(sd_bus_message *m, bool writing, int *ret, sd_bus_error *error)
{
        struct stat st;
        int fd, flags, r;

        r = sd_bus_message_read(m, "h", &fd);
        if (r < 0)
                return r;
        flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fstat(fd, &st) < 0)
                return call_invalid(error, "The file descriptor cannot be used");
        if (S_ISDIR(st.st_mode))
                return call_invalid(error, "The file descriptor is a directory");
        if ((flags & O_ACCMODE) == (writing ? O_RDONLY : O_WRONLY))
                return call_invalid(error, writing ? "The file descriptor is not open for writing"
                                                   : "The file descriptor is not open for reading");
        *ret = fd;
        return 0;
}

int call_close_containers(sd_bus_message *m, unsigned n, int r)
{
        for (; r >= 0 && n > 0; n--)
                r = sd_bus_message_close_container(m);
        return r;
}

int call_send_reply(sd_bus_message *reply, int r)
{
        return r < 0 ? r : sd_bus_send(NULL, reply, NULL);
}

int call_error_codedv(sd_bus_error *error, const char *name, const char *code, const char *fmt, va_list ap)
{
        _cleanup_free_ char *words = NULL;

        if (vasprintf(&words, fmt, ap) < 0)
                return -ENOMEM;
        /* a reply that is not UTF-8 would not be sent at all, and the caller wait for nothing */
        if (!utf8_is_valid(words))
                for (char *p = words; *p; p++)
                        if ((unsigned char) *p >= 0x80)
                                *p = '?';
        if (!code)
                return sd_bus_error_set(error, name, words);
        return *words ? sd_bus_error_setf(error, name, "%s: %s", code, words) : sd_bus_error_set(error, name, code);
}

int call_invalid(sd_bus_error *error, const char *why)
{
        return sd_bus_error_set(error, NFTBUS_ERROR_INVALID_ARGUMENT, why ? why : "Invalid argument");
}

typedef struct FdReply {
        sd_bus_message *message;
        int fd;
        char *text;
        size_t written;
        int error;
        Context *context;
        uid_t reader_uid; /* its place among the readers (bus/readers.h) */
} FdReply;

static void fd_reply_run(void *userdata)
{
        FdReply *f = userdata;

        f->error = write_all_polled(f->fd, f->text, strlen(f->text), CALL_FD_IDLE_MS, &f->written);
}

static void fd_reply_done(void *userdata)
{
        FdReply *f = userdata;
        int r;

        if (f->error == -EPIPE)
                r = sd_bus_reply_method_errorf(f->message, SD_BUS_ERROR_IO_ERROR,
                                               "The descriptor's reader has gone (%s) after %zu bytes",
                                               strerror(-f->error), f->written);
        else if (f->error == -ETIMEDOUT)
                r = sd_bus_reply_method_errorf(f->message, SD_BUS_ERROR_TIMEOUT,
                                               "The descriptor took nothing for %d s after %zu bytes",
                                               CALL_FD_IDLE_MS / 1000, f->written);
        else if (f->error < 0)
                r = sd_bus_reply_method_errnof(f->message, -f->error, "Writing to the descriptor failed: %m");
        else
                r = sd_bus_reply_method_return(f->message, "t", (uint64_t) f->written);
        if (r < 0)
                log_warning_errno(r, "Failed to send the reply to %s, ignoring: %m",
                                  strempty(sd_bus_message_get_sender(f->message)));
        readers_leave(f->context, f->reader_uid);
        sd_bus_message_unref(f->message);
        safe_close(f->fd);
        free(f->text);
        free(f);
}

int call_reply_to_fd(Context *c, sd_bus_message *m, int fd, char *text)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        FdReply *f = calloc(1, sizeof(FdReply));
        uid_t uid = UID_INVALID;
        int r;

        /* the text is held until the descriptor takes it: a bounded number of them at once */
        r = f ? readers_enter(c, m, &uid, &error) : -ENOMEM;
        if (r < 0) {
                free(f);
                safe_close(fd);
                free(text);
                if (sd_bus_error_is_set(&error))
                        return sd_bus_reply_method_error(m, &error);
                return r;
        }
        *f = (FdReply){ .message = sd_bus_message_ref(m), .fd = fd, .text = text, .context = c, .reader_uid = uid };
        r = work_start_descriptor(c->event, fd_reply_run, fd_reply_done, f);
        if (r < 0) {
                f->error = r;
                fd_reply_done(f);
        }
        return 0;
}
