/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "bus/tablejob.h"
#include "common/util.h"

struct TableJob {
        Context *context;
        sd_bus_message *message;
        char *list; /* the JSON command that lists the table */
        table_job_run_t run;
        void *userdata;
        void (*free_userdata)(void *);
        TableJob *next;
};

static TableJob *job_free(TableJob *j)
{
        if (!j)
                return NULL;
        sd_bus_message_unref(j->message);
        free(j->list);
        if (j->free_userdata)
                j->free_userdata(j->userdata);
        free(j);
        return NULL;
}

static void start_next(Context *c);

static void on_listed(int r, const ExecReply *reply, void *userdata)
{
        TableJob *j = userdata;
        Context *c = j->context;
        _cleanup_(json_decrefp) json_t *listing = NULL;

        c->table_job_running = NULL;
        if (r < 0)
                (void) sd_bus_reply_method_errorf(j->message, NFTBUS_ERROR_BACKEND_FAILED,
                                                  "The nftables executor failed; try again");
        else if (reply->nft_rc != 0) /* no such table */
                j->run(c, j->message, NULL, j->userdata);
        else if (!(listing = json_loads(reply->output, 0, NULL)))
                (void) sd_bus_reply_method_errorf(j->message, NFTBUS_ERROR_REJECTED,
                                                  "Could not read the table's listing");
        else
                j->run(c, j->message, listing, j->userdata);
        job_free(j);
        start_next(c);
}

static void start_next(Context *c)
{
        TableJob *j;
        int r;

        while (!c->table_job_running && (j = c->table_jobs)) {
                c->table_jobs = j->next;
                c->table_job_running = j;
                /* the executor takes the payload; the job keeps its own copy for nothing else */
                char *payload = TAKE_PTR(j->list);
                r = executor_submit(c->executor, 0, payload, strlen(payload), on_listed, j);
                if (r >= 0)
                        return;
                c->table_job_running = NULL;
                (void) sd_bus_reply_method_errorf(j->message, NFTBUS_ERROR_BACKEND_FAILED,
                                                  "The nftables executor is not available");
                job_free(j);
        }
}

int table_job_enqueue(Context *c, sd_bus_message *m, const char *family, const char *table, table_job_run_t run,
                      void *userdata, void (*free_userdata)(void *))
{
        TableJob *j = calloc(1, sizeof(TableJob)), **tail;

        if (!j) {
                if (free_userdata)
                        free_userdata(userdata);
                return -ENOMEM;
        }
        *j = (TableJob){ .context = c,
                         .message = sd_bus_message_ref(m),
                         .run = run,
                         .userdata = userdata,
                         .free_userdata = free_userdata };
        /* family and table are validated names */
        if (asprintf(&j->list, "{\"nftables\": [{\"list\": {\"table\": {\"family\": \"%s\", \"name\": \"%s\"}}}]}",
                     family, table) < 0) {
                j->list = NULL;
                job_free(j);
                return -ENOMEM;
        }
        for (tail = &c->table_jobs; *tail; tail = &(*tail)->next)
                ;
        *tail = j;
        start_next(c);
        return 1;
}

void table_jobs_free(Context *c)
{
        TableJob *j;

        while ((j = c->table_jobs)) {
                c->table_jobs = j->next;
                job_free(j);
        }
}
