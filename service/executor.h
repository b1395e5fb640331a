/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* nftbusd's side of the executor: a child process that runs libnftables. Jobs run one at a time in
 * the order they were submitted; if the child dies, the job in flight fails with -EPIPE, the child is
 * started again, and the queue goes on. */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

#include "frame.h"

typedef struct ExecReply {
        int nft_rc;         /* 0 when libnftables succeeded */
        const char *output; /* JSON output (echo or listing), never NULL */
        const char *error;  /* libnftables' error text, never NULL */
} ExecReply;

/* r is 0 when the executor answered (reply is set), negative errno when it did not (reply is NULL). */
typedef void (*exec_done_t)(int r, const ExecReply *reply, void *userdata);

typedef struct Executor Executor;

int executor_new(sd_event *event, Executor **ret);

/* Kills the child; jobs still queued complete with -ECANCELED. */
Executor *executor_free(Executor *x);

/* Queues a job. Takes ownership of payload (malloc'd, size bytes). */
int executor_submit(Executor *x, uint32_t flags, char *payload, size_t size, exec_done_t done, void *userdata);

pid_t executor_pid(const Executor *x);
