/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* Calls that read a table and then decide what to change (NAT entries, presets) go one at a time: the
 * next one's listing is taken once the previous one has submitted its change, and the executor runs
 * jobs in order, so every listing sees the changes before it. */

#include <jansson.h>
#include <systemd/sd-bus.h>

#include "context.h"

/* Called with the table's JSON listing (libnftables' "list table" output), or NULL when the table does
 * not exist. It replies to m itself, now or through call_execute(); userdata is freed after it. */
typedef void (*table_job_run_t)(Context *c, sd_bus_message *m, json_t *listing, void *userdata);

/* Queues run for m; takes userdata (freed with free_userdata, also when the job never runs). Returns 1:
 * the reply comes later, or negative errno. */
int table_job_enqueue(Context *c, sd_bus_message *m, const char *family, const char *table, table_job_run_t run,
                      void *userdata, void (*free_userdata)(void *));

/* Drops the jobs still waiting, unanswered: for the end of the service. */
void table_jobs_free(Context *c);
