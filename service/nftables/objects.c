/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The mirror on the bus: finding the object behind a path for every interface's fallback vtable, the
 * node enumerator behind GetManagedObjects and introspection, and keeping the bus in step with the
 * kernel's change events, whoever made the change. */

#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>

#include "bus/call.h"
#include "nftables/changes.h"
#include "context.h"
#include "log.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"

/* The Table (kind NFT_KIND_TABLE) or Node of kind at path: 1 and *ret_found, or 0. */
static int object_find(Context *c, const char *path, NftKind kind, void **ret_found)
{
        _cleanup_free_ char *family = NULL, *table = NULL, *label = NULL, *name = NULL;
        Table *t;
        Node *n;
        int r, f;

        r = object_path_parse(path, &family, &table, &label, &name);
        if (r <= 0)
                return r;
        f = family_from_string(family);
        if (f < 0)
                return 0;
        t = mirror_find_table(c->mirror, f, table);
        if (!t)
                return 0;
        if (kind == NFT_KIND_TABLE) {
                if (r != 1)
                        return 0;
                *ret_found = t;
                return 1;
        }
        if (r != 2 || !streq(label, nft_kind_path_label(kind)))
                return 0;
        n = table_find_node(t, kind, name);
        if (!n)
                return 0;
        *ret_found = n;
        return 1;
}

/* Every kind of object with its interface. */
static const struct {
        const char *interface;
        const sd_bus_vtable *vtable;
} object_interfaces[] = {
        [NFT_KIND_TABLE] = { NFTBUS_TABLE_INTERFACE, table_vtable },
        [NFT_KIND_CHAIN] = { NFTBUS_CHAIN_INTERFACE, chain_vtable },
        [NFT_KIND_COUNTER] = { NFTBUS_COUNTER_INTERFACE, counter_vtable },
        [NFT_KIND_QUOTA] = { NFTBUS_QUOTA_INTERFACE, quota_vtable },
        [NFT_KIND_LIMIT] = { NFTBUS_LIMIT_INTERFACE, limit_vtable },
        [NFT_KIND_FLOWTABLE] = { NFTBUS_FLOWTABLE_INTERFACE, flowtable_vtable },
        [NFT_KIND_SET] = { NFTBUS_SET_INTERFACE, set_vtable },
        [NFT_KIND_MAP] = { NFTBUS_MAP_INTERFACE, map_vtable },
        [NFT_KIND_CT_HELPER] = { NFTBUS_OBJECT_INTERFACE, object_vtable },
        [NFT_KIND_CT_TIMEOUT] = { NFTBUS_OBJECT_INTERFACE, object_vtable },
        [NFT_KIND_CT_EXPECTATION] = { NFTBUS_OBJECT_INTERFACE, object_vtable },
        [NFT_KIND_SYNPROXY] = { NFTBUS_OBJECT_INTERFACE, object_vtable },
        [NFT_KIND_SECMARK] = { NFTBUS_OBJECT_INTERFACE, object_vtable },
        [NFT_KIND_CONNLIMIT] = { NFTBUS_OBJECT_INTERFACE, object_vtable },
        [NFT_KIND_TUNNEL] = { NFTBUS_OBJECT_INTERFACE, object_vtable },
};

/* Whether the interface of kind k was registered by an earlier kind (several kinds share Object's). */
static bool interface_seen_before(size_t k)
{
        for (size_t i = 0; i < k; i++)
                if (object_interfaces[i].interface &&
                    streq(object_interfaces[i].interface, object_interfaces[k].interface))
                        return true;
        return false;
}

/* The find callback of every fallback vtable below /org/nftbus/Firewall1/table: sd-bus names the
 * interface it looks for, which names the kind. */
static int object_vtable_find(sd_bus *bus _unused_, const char *path, const char *interface, void *userdata,
                              void **ret_found, sd_bus_error *error _unused_)
{
        for (size_t k = 0; k < ELEMENTSOF(object_interfaces); k++)
                if (object_interfaces[k].interface && streq(object_interfaces[k].interface, interface)) {
                        int r = object_find(userdata, path, (NftKind) k, ret_found);
                        if (r != 0)
                                return r; /* else another kind of this interface may be the one */
                }
        return 0;
}

static int objects_enumerate(sd_bus *bus _unused_, const char *path _unused_, void *userdata, char ***ret_nodes,
                             sd_bus_error *error _unused_)
{
        Context *c = userdata;
        _cleanup_strv_free_ char **nodes = NULL;
        size_t n = 0, k = 0;

        for (size_t i = 0; i < c->mirror->n_tables; i++)
                n += 1 + c->mirror->tables[i]->n_nodes;
        nodes = calloc(n + 1, sizeof(char *));
        if (!nodes)
                return -ENOMEM;
        for (size_t i = 0; i < c->mirror->n_tables; i++) {
                const Table *t = c->mirror->tables[i];

                if (!(nodes[k++] = strdup(t->path)))
                        return -ENOMEM;
                for (size_t j = 0; j < t->n_nodes; j++)
                        if (!(nodes[k++] = strdup(t->nodes[j]->path)))
                                return -ENOMEM;
        }
        *ret_nodes = TAKE_PTR(nodes);
        return 0;
}

/* The signals of one kernel transaction are coalesced: what it adds is announced at its end, once, if it
 * is still there; what it adds and removes again is never announced; a property that changes many times
 * is announced once. c->pending_signals maps a path to PENDING_ADDED or to PENDING_CHANGED + kind. */
enum { PENDING_ADDED = 1 << 8, PENDING_CHANGED = 2 << 8 };

static void pending_set(Context *c, const char *path, int value)
{
        if (!c->pending_signals && !(c->pending_signals = json_object()))
                return;
        (void) json_object_set_new(c->pending_signals, path, json_integer(value));
}

static int pending_get(Context *c, const char *path)
{
        return (int) json_integer_value(json_object_get(c->pending_signals, path));
}

/* InterfacesRemoved lists the object's interfaces, so it goes out at once, while the object still
 * exists; unless its InterfacesAdded has not gone out yet: then neither does. */
static void emit_removed(const char *path, void *userdata)
{
        Context *c = userdata;
        int pending = pending_get(c, path);

        (void) json_object_del(c->pending_signals, path);
        if (c->bus && pending != PENDING_ADDED)
                (void) sd_bus_emit_object_removed(c->bus, path);
}

static void note_added(Context *c, const char *path)
{
        pending_set(c, path, PENDING_ADDED);
}

static void note_changed(Context *c, const char *path, NftKind kind)
{
        if (pending_get(c, path) != PENDING_ADDED) /* an announcement to come carries the new values */
                pending_set(c, path, PENDING_CHANGED | (int) kind);
}

/* The end of a transaction: its signals go out. */
static void flush_signals(Context *c)
{
        const char *path;
        json_t *value;

        json_object_foreach (c->pending_signals, path, value) {
                int pending = (int) json_integer_value(value);
                if (!c->bus)
                        break;
                if (pending == PENDING_ADDED)
                        (void) sd_bus_emit_object_added(c->bus, path);
                else
                        (void) sd_bus_emit_properties_changed_strv(c->bus, path,
                                                                   object_interfaces[pending & 0xff].interface, NULL);
        }
        json_object_clear(c->pending_signals);
}

static void record_rule(Context *c, const NftMessage *msg)
{
        RuleTrace *t = &c->pending_rules;

        changes_note(c, msg);
        if (msg->deleted)
                return;
        t->count++;
        t->family = msg->family;
        t->handle = msg->handle;
        snprintf(t->table, sizeof(t->table), "%s", msg->table);
        snprintf(t->chain, sizeof(t->chain), "%s", msg->chain);
}

static void end_transaction(Context *c, const NftMessage *msg)
{
        bool ours = c->executor && msg->pid != 0 && (pid_t) msg->pid == executor_pid(c->executor);

        if (ours)
                c->executor_rules = c->pending_rules;
        c->pending_rules = (RuleTrace){};
        flush_signals(c);
        changes_end_transaction(c);
        /* the tables nftbus's own transactions made are the ones Save keeps */
        for (size_t i = 0; i < c->mirror->n_tables; i++) {
                Table *t = c->mirror->tables[i];
                if (t->new_in_transaction && ours)
                        t->managed = true;
                t->new_in_transaction = false;
        }
}

static void object_deleted(Context *c, const NftMessage *msg)
{
        Table *t = mirror_find_table(c->mirror, msg->family, msg->table);
        Node *n;

        if (!t)
                return;
        if (msg->kind == NFT_KIND_TABLE) {
                table_foreach_path(t, emit_removed, c);
                mirror_drop_table(t);
                return;
        }
        n = table_find_node(t, msg->kind, msg->name);
        if (!n)
                return;
        emit_removed(n->path, c);
        mirror_drop_node(n);
}

void objects_kernel_message(Context *c, const NftMessage *msg)
{
        void *found = NULL;
        const char *path;
        int r;

        switch (msg->kind) {
        case NFT_KIND_RULE:
                record_rule(c, msg);
                return;
        case NFT_KIND_GENERATION:
                end_transaction(c, msg);
                return;
        case NFT_KIND_ELEMENTS:
                changes_note(c, msg);
                return;
        default:
                break;
        }

        if (msg->deleted) {
                object_deleted(c, msg);
                return;
        }

        /* a renamed chain keeps its handle: the old path goes away (only chains can be renamed) */
        if (msg->kind == NFT_KIND_CHAIN) {
                Table *t = mirror_find_table(c->mirror, msg->family, msg->table);
                Node *n = t ? table_find_node_by_handle(t, msg->handle) : NULL;

                if (n && (n->kind != msg->kind || !streq(n->name, msg->name))) {
                        emit_removed(n->path, c);
                        mirror_drop_node(n);
                }
        }

        r = mirror_put(c->mirror, msg, &found);
        if (r < 0) {
                if (r == -EILSEQ)
                        log_debug("A name is not valid UTF-8, leaving the object off the bus");
                else if (r != -EAFNOSUPPORT && r != -ENOENT)
                        log_warning_errno(r, "Failed to record %s %s, ignoring: %m", nft_kind_to_string(msg->kind),
                                          strempty(msg->name ? msg->name : msg->table));
                return;
        }
        if (r == MIRROR_ADDED && msg->kind == NFT_KIND_TABLE) {
                Table *t = found;
                t->new_in_transaction = true;
                /* firewalld runs too: both firewalls decide (nftbusctl status says it as well) */
                if (t->family == NFTBUS_FAMILY_INET && streq(t->name, "firewalld"))
                        log_warning("firewalld's table inet firewalld is in the kernel: firewalld filters beside "
                                    "nftbus, and a packet must pass both; run one of them");
        }
        if (!c->bus)
                return;
        path = msg->kind == NFT_KIND_TABLE ? ((Table *) found)->path : ((Node *) found)->path;
        if (r == MIRROR_ADDED)
                note_added(c, path);
        else if (r == MIRROR_CHANGED)
                note_changed(c, path, msg->kind);
}

int objects_dump(Context *c)
{
        int r = monitor_dump(c->monitor);

        /* what a dump reports was there already: nobody's new table; and before the bus, nobody to tell */
        for (size_t i = 0; i < c->mirror->n_tables; i++)
                c->mirror->tables[i]->new_in_transaction = false;
        if (!c->bus)
                json_object_clear(c->pending_signals);
        return r;
}

void objects_resync(Context *c, bool missed)
{
        int r;

        /* what was read of a transaction whose events were lost is no account of it */
        changes_forget(c);
        mirror_resync_begin(c->mirror);
        r = objects_dump(c);
        if (r < 0) {
                log_warning_errno(r, "Failed to reread the kernel's objects, ignoring: %m");
                return;
        }
        mirror_resync_sweep(c->mirror, emit_removed, c);
        flush_signals(c);
        /* subscribers were owed the rules and elements those events carried: they read them again */
        if (missed && c->subscribers && c->bus)
                (void) sd_bus_emit_signal(c->bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "Resynchronized", NULL);
}

/* Before a call is dispatched, the mirror made current, at most once per event loop iteration: out of the
 * event group (nobody subscribed), a reread when the kernel's ruleset generation moved (monitor_sync());
 * and the kernel releases a table with the owner flag when its owner's netlink socket closes, sending no
 * event for it: while such tables exist, a reread. */
static int objects_filter(sd_bus_message *m, void *userdata, sd_bus_error *error _unused_)
{
        Context *c = userdata;
        uint64_t now = 0;
        bool owned = false;

        if (!sd_bus_message_is_method_call(m, NULL, NULL))
                return 0;
        if (!monitor_following(c->monitor) && sd_event_now(c->event, CLOCK_MONOTONIC, &now) >= 0 &&
            now != c->generation_check_usec) {
                c->generation_check_usec = now;
                int r = monitor_sync(c->monitor);
                if (r < 0)
                        log_warning_errno(r, "Failed to check the kernel's ruleset generation, ignoring: %m");
        }

        for (size_t i = 0; i < c->mirror->n_tables; i++)
                if (c->mirror->tables[i]->flags & NFT_TABLE_F_OWNER)
                        owned = true;
        if (!owned)
                return 0;
        if (sd_event_now(c->event, CLOCK_MONOTONIC, &now) >= 0 && now == c->owned_refresh_usec)
                return 0;
        c->owned_refresh_usec = now;
        objects_resync(c, false);
        return 0; /* go on dispatching */
}

/* What GetManagedObjects costs one object at most beside its path and strings, with the standard
 * interfaces sd-bus lists for it: measured (tests/integration/bigcall measure) as 276 for a table, 373 for
 * a chain, 298 for a counter, 340 for a quota or limit, 464 for a set or map, and rounded up. */
static size_t object_fixed_size(NftKind kind)
{
        switch (kind) {
        case NFT_KIND_TABLE:
                return 320;
        case NFT_KIND_CHAIN:
                return 420;
        case NFT_KIND_COUNTER:
                return 340;
        case NFT_KIND_SET:
        case NFT_KIND_MAP:
                return 512 + 128; /* and the type names */
        default:
                return 480;
        }
}

static size_t node_size_bound(const Node *n)
{
        size_t size = object_fixed_size(n->kind) + strlen(n->path) + strlen(n->name) +
                      strlen(strempty(n->info.comment)) + strlen(strempty(n->info.chain_type));

        for (char **d = n->info.devices; d && *d; d++)
                size += strlen(*d) + 8;
        return size;
}

/* An estimate, on the safe side, of the size of GetManagedObjects' reply: the kernel's objects and the
 * zones' and the ipsets'. */
static size_t managed_objects_size_bound(const Context *c)
{
        const Mirror *m = c->mirror;
        size_t size = 8192 + zones_objects_size_bound(c); /* the Manager, the sysctl, NAT and preset objects */

        for (size_t i = 0; i < m->n_tables; i++) {
                const Table *t = m->tables[i];
                size += object_fixed_size(NFT_KIND_TABLE) + strlen(t->path) + strlen(t->name);
                for (size_t j = 0; j < t->n_nodes; j++)
                        size += node_size_bound(t->nodes[j]);
        }
        return size;
}

/* sd-bus answers GetManagedObjects itself, from every object's properties: with ~80,000 chains that
 * reply is larger than the bus takes, and dbus-daemon would drop the service's connection. Such a call is
 * answered here, before sd-bus sees it, with TooLarge. */
static int managed_objects_filter(sd_bus_message *m, void *userdata, sd_bus_error *error _unused_)
{
        Context *c = userdata;
        int r;

        if (!sd_bus_message_is_method_call(m, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects") ||
            !streq_ptr(sd_bus_message_get_path(m), NFTBUS_PATH))
                return 0;
        r = call_reply_fits(c, m, managed_objects_size_bound(c),
                            "Manager.ListTables, then Introspect and GetAll on the objects wanted, or "
                            "Manager.ExportToFd for the whole ruleset");
        return r == 0 ? 1 : 0; /* 1: answered here */
}

int objects_register(Context *c)
{
        int r;

        /* run before every incoming message is dispatched: methods, property reads, introspection alike.
         * sd-bus runs the filter added last first: the mirror is made current before GetManagedObjects'
         * size is estimated from it. */
        r = sd_bus_add_filter(c->bus, NULL, managed_objects_filter, c);
        if (r >= 0)
                r = sd_bus_add_filter(c->bus, NULL, objects_filter, c);
        if (r < 0)
                return r;
        for (size_t k = 0; k < ELEMENTSOF(object_interfaces); k++) {
                if (!object_interfaces[k].interface || interface_seen_before(k))
                        continue;
                r = sd_bus_add_fallback_vtable(c->bus, NULL, NFTBUS_TABLES_PATH, object_interfaces[k].interface,
                                               object_interfaces[k].vtable, object_vtable_find, c);
                if (r < 0)
                        return r;
        }
        return sd_bus_add_node_enumerator(c->bus, NULL, NFTBUS_TABLES_PATH, objects_enumerate, c);
}
