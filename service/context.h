/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* All state of nftbusd, created in run() and freed when it returns. */

#include <stdbool.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "executor.h"
#include "mirror.h"
#include "monitor.h"
#include "polkit.h"

typedef struct Context {
        sd_event *event;
        sd_bus *bus;
        Executor *executor;
        Monitor *monitor;
        Mirror *mirror;
        Polkit *polkit;
        char *backend_version; /* libnftables' version, as the executor reports it */
        uint64_t owned_refresh_usec; /* event loop time of the last reread for owned tables */
} Context;

/* Bus glue, one file per interface; each registers its vtable and knows its kernel objects. */
extern const sd_bus_vtable manager_vtable[];
int manager_register(Context *c);

extern const sd_bus_vtable table_vtable[];
int table_register(Context *c);
/* Keeps the mirror and the bus in step with one message from the kernel. */
void table_kernel_message(Context *c, const NftMessage *msg);
/* After lost events: reread the kernel's tables and signal what changed. */
void table_resync(Context *c);
