/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* nftbusd's side of the executor: a child process that runs libnftables. Jobs run one at a time in
 * the order they were submitted; if the child dies, the job in flight fails with -EPIPE, the child is
 * started again, and the queue goes on. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

#include "executor/frame.h"

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

/* Jobs are numbered as they are queued: the number of the last one queued, and whether the job of a
 * number has started (or is done): a listing queued but not started yet sees every change made before it
 * runs, so one can serve later requests too. */
uint64_t executor_last_queued(const Executor *x);
bool executor_started(const Executor *x, uint64_t ticket);

/* Work done outside the executor that must not overlap its transactions (a bulk element commit, during
 * which change events are not followed): start() runs when every job queued before it has finished, and no
 * job queued after it starts before executor_release(). */
typedef void (*exec_hold_t)(void *userdata);
int executor_hold(Executor *x, exec_hold_t start, void *userdata);
void executor_release(Executor *x);

pid_t executor_pid(const Executor *x);
