/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Long work off the event loop: run() on a thread of its own, then done() back on the event loop, so that
 * a million-element load never keeps the bus waiting. run() must not touch the bus or the mirror. */

#include <systemd/sd-event.h>

typedef void (*work_run_t)(void *userdata);
typedef void (*work_done_t)(void *userdata);

int work_start(sd_event *event, work_run_t run, work_done_t done, void *userdata);
