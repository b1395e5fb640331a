/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* A batch of element messages committed behind the executor's jobs (bus/batchcommit.h). */

#include <errno.h>
#include <stdlib.h>

#include "bus/batchcommit.h"
#include "common/util.h"
#include "executor/executor.h"
#include "executor/worker.h"
#include "log.h"
#include "netlink/monitor.h"

typedef struct BatchCommit {
        Context *context;
        ElemBatch *batch;
        bool paused;
        size_t committed;
        int error;
        ElemRefusal refusal;
        batch_committed_t done;
        void *userdata;
} BatchCommit;

static void batch_commit_free(BatchCommit *b)
{
        elem_batch_free(b->batch);
        free(b);
}

/* on the worker thread */
static void commit_run(void *userdata)
{
        BatchCommit *b = userdata;
        int r = elemio_commit(b->batch, &b->refusal);

        /* the batch's memory goes back before the reply */
        b->batch = elem_batch_free(b->batch);
        if (r < 0)
                b->error = r;
}

static void commit_done(void *userdata)
{
        BatchCommit *b = userdata;
        Context *c = b->context;

        if (b->paused) {
                bool committed = b->error == 0 && !b->refusal.error;

                if (committed)
                        monitor_own_commit(c->monitor);
                monitor_resume(c->monitor);
        }
        executor_release(c->executor);
        b->done(c, b->error, &b->refusal, b->committed, b->userdata);
        batch_commit_free(b);
}

/* The executor's turn has come: nothing else changes the ruleset through nftbus until the commit is
 * done. Big commits go without change events (monitor.h says why). */
static void commit_start(void *userdata)
{
        BatchCommit *b = userdata;
        int r;

        b->committed = elem_batch_count(b->batch);
        if (b->committed >= BULK_ELEMENTS) {
                r = monitor_pause(b->context->monitor);
                if (r < 0)
                        log_warning_errno(r, "Failed to stop following change events during a bulk commit, "
                                             "ignoring: %m");
                b->paused = r >= 0;
        }
        r = work_start(b->context->event, commit_run, commit_done, b);
        if (r < 0) {
                b->error = r;
                commit_done(b);
        }
}

int batch_commit(Context *c, ElemBatch *batch, batch_committed_t done, void *userdata)
{
        BatchCommit *b = calloc(1, sizeof(BatchCommit));
        int r;

        if (!b) {
                elem_batch_free(batch);
                return -ENOMEM;
        }
        *b = (BatchCommit){ .context = c, .batch = batch, .done = done, .userdata = userdata };
        r = executor_hold(c->executor, commit_start, b);
        if (r < 0)
                batch_commit_free(b);
        return r;
}
