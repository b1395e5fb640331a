/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Table: one object per table in the kernel, whoever made it. */

#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <stdbool.h>
#include <stdlib.h>

#include "batch.h"
#include "call.h"
#include "context.h"
#include "errors.h"
#include "log.h"
#include "objpath.h"
#include "util.h"
#include "validate.h"

/* The kernel releases a table with the owner flag when its owner's netlink socket closes, and sends no
 * event for it. While such tables exist, reread the tables before a message is dispatched, at most once
 * per event loop iteration. */
static void table_refresh_if_owned(Context *c)
{
        uint64_t now = 0;
        bool owned = false;

        for (size_t i = 0; i < c->mirror->n_tables; i++)
                if (c->mirror->tables[i]->flags & NFT_TABLE_F_OWNER)
                        owned = true;
        if (!owned)
                return;
        if (sd_event_now(c->event, CLOCK_MONOTONIC, &now) >= 0 && now == c->owned_refresh_usec)
                return;
        c->owned_refresh_usec = now;
        table_resync(c);
}

static int table_find(sd_bus *bus _unused_, const char *path, const char *interface _unused_, void *userdata,
                      void **ret_found, sd_bus_error *error _unused_)
{
        _cleanup_free_ char *family = NULL, *name = NULL;
        Context *c = userdata;
        Table *t;
        int r;

        r = table_path_parse(path, &family, &name);
        if (r <= 0)
                return r;
        r = family_from_string(family);
        if (r < 0)
                return 0;
        t = mirror_find_table(c->mirror, r, name);
        if (!t)
                return 0;
        *ret_found = t;
        return 1;
}

static int table_enumerate(sd_bus *bus _unused_, const char *path _unused_, void *userdata, char ***ret_nodes,
                           sd_bus_error *error _unused_)
{
        Context *c = userdata;
        char **nodes = calloc(c->mirror->n_tables + 1, sizeof(char *));

        if (!nodes)
                return -ENOMEM;
        for (size_t i = 0; i < c->mirror->n_tables; i++)
                if (!(nodes[i] = strdup(c->mirror->tables[i]->path))) {
                        strv_free(nodes);
                        return -ENOMEM;
                }
        *ret_nodes = nodes;
        return 0;
}

static int property_get_family(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                               const char *property _unused_, sd_bus_message *reply, void *userdata,
                               sd_bus_error *error _unused_)
{
        Table *t = userdata;
        return sd_bus_message_append(reply, "s", family_to_string(t->family));
}

static int property_get_name(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                             const char *property _unused_, sd_bus_message *reply, void *userdata,
                             sd_bus_error *error _unused_)
{
        Table *t = userdata;
        return sd_bus_message_append(reply, "s", t->name);
}

static int property_get_flags(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                              const char *property _unused_, sd_bus_message *reply, void *userdata,
                              sd_bus_error *error _unused_)
{
        Table *t = userdata;
        const char *names[3];

        table_flags_to_names(t->flags, names);
        return sd_bus_message_append_strv(reply, (char **) names);
}

/* Family and name of the table a method was called on, copied: the Table may be gone when the
 * executor answers. */
static int table_batch(Table *t, const char *verb, json_t **ret_batch, char **ret_object)
{
        _cleanup_(json_decrefp) json_t *batch = batch_new();
        const char *family = family_to_string(t->family);
        char *object = NULL;

        if (!batch || batch_add(batch, verb, "table", table_spec(family, t->name)) < 0)
                return -ENOMEM;
        if (asprintf(&object, "table %s/%s", family, t->name) < 0)
                return -ENOMEM;
        *ret_batch = TAKE_PTR(batch);
        *ret_object = object;
        return 0;
}

static int table_change(sd_bus_message *m, Table *t, const char *verb, sd_bus_error *error)
{
        Context *c = t->mirror->owner;
        _cleanup_(json_decrefp) json_t *batch = NULL;
        _cleanup_free_ char *object = NULL;
        int r;

        r = polkit_check(c->polkit, m,
                         (const char *const[]){ "family", family_to_string(t->family), "table", t->name, NULL },
                         error);
        if (r <= 0)
                return r < 0 ? r : 1;

        r = table_batch(t, verb, &batch, &object);
        if (r < 0)
                return sd_bus_error_set_errno(error, r);
        return call_execute(c, m, batch, 0, object, NULL, error);
}

static int method_delete(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return table_change(m, userdata, "delete", error);
}

static int method_flush(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return table_change(m, userdata, "flush", error);
}

const sd_bus_vtable table_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Family", "s", property_get_family, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Name", "s", property_get_name, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Handle", "t", NULL, offsetof(Table, handle), SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Flags", "as", property_get_flags, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD("Delete", NULL, NULL, method_delete, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("Flush", NULL, NULL, method_flush, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

/* Runs before every incoming message is dispatched: methods, property reads, introspection alike. */
static int table_filter(sd_bus_message *m _unused_, void *userdata, sd_bus_error *error _unused_)
{
        table_refresh_if_owned(userdata);
        return 0; /* go on dispatching */
}

int table_register(Context *c)
{
        int r;

        r = sd_bus_add_filter(c->bus, NULL, table_filter, c);
        if (r < 0)
                return r;

        r = sd_bus_add_fallback_vtable(c->bus, NULL, NFTBUS_TABLES_PATH, NFTBUS_TABLE_INTERFACE, table_vtable,
                                       table_find, c);
        if (r < 0)
                return r;
        return sd_bus_add_node_enumerator(c->bus, NULL, NFTBUS_TABLES_PATH, table_enumerate, c);
}

static void table_gone(const Table *t, void *userdata)
{
        Context *c = userdata;

        if (c->bus)
                (void) sd_bus_emit_object_removed(c->bus, t->path);
}

void table_kernel_message(Context *c, const NftMessage *msg)
{
        Table *t;
        int r;

        if (msg->kind != NFT_OBJECT_TABLE)
                return;

        if (msg->deleted) {
                t = mirror_find_table(c->mirror, msg->family, msg->table);
                if (!t)
                        return;
                /* the signal lists the object's interfaces, so it goes out while the object exists */
                table_gone(t, c);
                (void) mirror_drop_table(c->mirror, msg->family, msg->table, NULL);
                return;
        }

        r = mirror_put_table(c->mirror, msg->family, msg->table, msg->handle, msg->flags, &t);
        if (r < 0) {
                if (r == -EILSEQ)
                        log_debug("A table's name is not valid UTF-8, leaving it off the bus");
                else if (r != -EAFNOSUPPORT)
                        log_warning_errno(r, "Failed to record table %s, ignoring: %m", msg->table);
                return;
        }
        if (!c->bus)
                return;
        if (r == MIRROR_ADDED)
                (void) sd_bus_emit_object_added(c->bus, t->path);
        else if (r == MIRROR_CHANGED)
                (void) sd_bus_emit_properties_changed(c->bus, t->path, NFTBUS_TABLE_INTERFACE, "Flags", NULL);
}

void table_resync(Context *c)
{
        int r;

        mirror_resync_begin(c->mirror);
        r = monitor_dump(c->monitor);
        if (r < 0) {
                log_warning_errno(r, "Failed to reread the kernel's tables, ignoring: %m");
                return;
        }
        mirror_resync_sweep(c->mirror, table_gone, c);
}
