/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* Long work off the event loop: run() on a thread of its own, then done() back on the event loop, so that
 * a million-element load never keeps the bus waiting. run() must not touch the bus or the mirror. */

#include <systemd/sd-event.h>

typedef void (*work_run_t)(void *userdata);
typedef void (*work_done_t)(void *userdata);

int work_start(sd_event *event, work_run_t run, work_done_t done, void *userdata);

/* work_start() for work on a descriptor a caller passed (AddElementsFromFd, ListElementsToFd,
 * ExportToFd), which can wait on that descriptor for up to its idle limit: at most WORK_DESCRIPTOR_MAX
 * such threads run at once, the others wait their turn in order, so that a caller's pipes that are never
 * read cost threads up to that bound and no more. Commits never wait behind them. */
#define WORK_DESCRIPTOR_MAX 16
int work_start_descriptor(sd_event *event, work_run_t run, work_done_t done, void *userdata);
