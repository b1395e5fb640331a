/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Manager on /org/nftbus/Firewall1: the tables, and the service itself. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "core/batch.h"
#include "bus/call.h"
#include "config.h"
#include "context.h"
#include "common/errors.h"
#include "common/objpath.h"
#include "core/nftsyntax.h"
#include "bus/options.h"
#include "nftables/persist.h"
#include "common/util.h"
#include "common/validate.h"

/* Reads and validates (family, name), as every method naming a table does. */
static int read_table_args(sd_bus_message *m, const char **ret_family, const char **ret_name, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        int r;

        r = sd_bus_message_read(m, "ss", ret_family, ret_name);
        if (r < 0)
                return r;
        if (validate_family(*ret_family, &why) < 0 || validate_object_name("table", *ret_name, &why) < 0)
                return call_invalid(error, why);
        return 0;
}

static int method_list_tables(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ Table **sorted = NULL;
        Context *c = userdata;
        Mirror *mirror = c->mirror;
        int r;

        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        sorted = malloc((mirror->n_tables + 1) * sizeof(Table *));
        if (!sorted)
                return -ENOMEM;
        if (mirror->n_tables > 0) /* (no tables: no array to copy from) */
                memcpy(sorted, mirror->tables, mirror->n_tables * sizeof(Table *));
        qsort(sorted, mirror->n_tables, sizeof(Table *), table_compare);

        r = sd_bus_message_new_method_return(m, &reply);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(reply, 'a', "(sso)");
        if (r < 0)
                return r;
        for (size_t i = 0; i < mirror->n_tables; i++) {
                r = sd_bus_message_append(reply, "(sso)", family_to_string(sorted[i]->family), sorted[i]->name,
                                          sorted[i]->path);
                if (r < 0)
                        return r;
        }
        r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_get_table(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *family, *name;
        Table *t;
        int r;

        r = read_table_args(m, &family, &name, error);
        if (r < 0)
                return r;

        r = polkit_check(c->polkit, m, (const char *const[]){ "family", family, "table", name, NULL }, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        t = mirror_find_table(c->mirror, family_from_string(family), name);
        if (!t)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No table %s %s", family, name);
        return sd_bus_reply_method_return(m, "o", t->path);
}

/* GetChain, GetSet, GetMap, GetCounter, GetQuota, GetLimit, GetFlowtable: the kind is in the method's name. */
static int method_get_object(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL, *kind_name = NULL;
        Context *c = userdata;
        const char *family, *table, *name, *member = sd_bus_message_get_member(m);
        NftKind kind;
        Table *t;
        Node *n;
        int r;

        kind_name = strdup(member + strlen("Get"));
        if (!kind_name)
                return -ENOMEM;
        kind_name[0] = (char) (kind_name[0] - 'A' + 'a');
        kind = nft_kind_from_string(kind_name);
        r = sd_bus_message_read(m, "sss", &family, &table, &name);
        if (r < 0)
                return r;
        if (validate_family(family, &why) < 0 || validate_object_name("table", table, &why) < 0 ||
            validate_object_name(kind_name, name, &why) < 0)
                return call_invalid(error, why);

        r = polkit_check(
                c->polkit, m,
                (const char *const[]){ "family", family, "table", table, nft_kind_path_label(kind), name, NULL },
                error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        t = mirror_find_table(c->mirror, family_from_string(family), table);
        n = t ? table_find_node(t, kind, name) : NULL;
        if (!n)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No %s %s in table %s %s%s", kind_name, name,
                                         family, table, t ? "" : " (there is no such table)");
        return sd_bus_reply_method_return(m, "o", n->path);
}

/* GetObject: a stateful object of org.nftbus.Firewall1.Object by its kind's label (ct_helper, ct_timeout,
 * ct_expectation, synproxy, secmark, ct_count, tunnel). */
static int method_get_generic_object(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        Context *c = userdata;
        const char *family, *table, *label, *name;
        NftKind kind;
        Table *t;
        Node *n;
        int r;

        r = sd_bus_message_read(m, "ssss", &family, &table, &label, &name);
        if (r < 0)
                return r;
        kind = nft_kind_from_path_label(label);
        if (!nft_kind_is_generic_object(kind)) {
                _cleanup_free_ char *shown = escape_for_message(label);
                return sd_bus_error_setf(
                        error, NFTBUS_ERROR_INVALID_ARGUMENT,
                        "Invalid kind '%s': expected ct_helper, ct_timeout, ct_expectation, synproxy, "
                        "secmark, ct_count or tunnel (GetChain, GetSet, ... find the others)",
                        strempty(shown));
        }
        if (validate_family(family, &why) < 0 || validate_object_name("table", table, &why) < 0 ||
            validate_object_name("object", name, &why) < 0)
                return call_invalid(error, why);

        r = polkit_check(c->polkit, m, (const char *const[]){ "family", family, "table", table, label, name, NULL },
                         error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        t = mirror_find_table(c->mirror, family_from_string(family), table);
        n = t ? table_find_node(t, kind, name) : NULL;
        if (!n)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No %s %s in table %s %s%s",
                                         nft_kind_to_string(kind), name, family, table,
                                         t ? "" : " (there is no such table)");
        return sd_bus_reply_method_return(m, "o", n->path);
}

static int reply_table_path(Context *c _unused_, sd_bus_message *m, const ExecReply *reply _unused_,
                            const char *object _unused_)
{
        _cleanup_free_ char *path = NULL;
        const char *family, *name;
        int r;

        r = sd_bus_message_rewind(m, true);
        if (r < 0)
                return r;
        r = sd_bus_message_read(m, "ss", &family, &name);
        if (r < 0)
                return r;
        r = table_path(family, name, &path);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, "o", path);
}

static int method_add_table(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(json_decrefp) json_t *batch = NULL;
        _cleanup_free_ char *object = NULL;
        Context *c = userdata;
        const char *family, *name;
        int r;

        r = read_table_args(m, &family, &name, error);
        if (r < 0)
                return r;
        /* no options yet: libnftables 1.0.6 drops a table's "comment" and "flags" from JSON input, and
         * an option that silently does nothing is worse than none */
        r = options_read(m, (const OptionSpec[]){ {} }, error);
        if (r < 0)
                return r;

        if (mirror_find_table(c->mirror, family_from_string(family), name))
                return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "Table %s %s exists already", family,
                                         name);

        r = polkit_check(c->polkit, m, (const char *const[]){ "family", family, "table", name, NULL }, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        /* create, not add: an existing table is an error, not a silent success */
        batch = batch_one("create", "table", table_spec(family, name));
        if (!batch)
                return -ENOMEM;
        if (asprintf(&object, "table %s/%s", family, name) < 0)
                return -ENOMEM;
        return call_execute(c, m, &(CallRequest){ .batch = batch, .object = object, .on_success = reply_table_path },
                            error);
}

static int reply_echo(Context *c, sd_bus_message *m, const ExecReply *reply, const char *object _unused_)
{
        return call_reply_string(c, m, strempty(reply->output),
                                 "the option echo false: the batch was applied, but its echo is too large");
}

#define APPLY_JSON_CHECKED_BEFORE_POLKIT (64 * 1024)

/* A whole batch, libnftables JSON or nft syntax, as one transaction; its echo, with handles, is the reply.
 */
static int method_apply(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(json_decrefp) json_t *root = NULL;
        _cleanup_free_ char *why = NULL;
        Context *c = userdata;
        const char *text;
        int check = 0, echo = 1, replace = 0, r;
        bool json;

        r = sd_bus_message_read(m, "s", &text);
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "check", "b", &check }, { "echo", "b", &echo }, { "replace", "b", &replace }, {} },
                         error);
        if (r < 0)
                return r;
        json = text[strspn(text, " \t\r\n")] == '{';
        /* A JSON batch is parsed before polkit only when small, so that a typo never asks for a password;
         * a big one is libnftables' to read once the caller is authorised: a refused 23 MB batch took 3 s
         * and 480 MB to parse. An nft batch's check is one pass over its bytes. */
        if (json && strlen(text) <= APPLY_JSON_CHECKED_BEFORE_POLKIT) {
                json_error_t e;
                root = json_loads(text, 0, &e);
                if (!root)
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                                 "The JSON batch does not parse: line %d: %s", e.line, e.text);
                if (!json_is_array(json_object_get(root, "nftables")) ||
                    json_array_size(json_object_get(root, "nftables")) == 0)
                        return call_invalid(error, "A JSON batch is {\"nftables\": [command, ...]}, with one "
                                                   "command or more");
        } else if (!json && batch_text_check(text, &why) < 0)
                return call_invalid(error, why);
        /* the tables replace would make anew: named as nftbus names tables (a big JSON batch's, once read) */
        if (replace && (root || !json)) {
                _cleanup_strv_free_ char **tables = NULL;
                r = root ? batch_json_tables(root, &tables, &why) : batch_text_tables(text, &tables, &why);
                if (r == -EINVAL)
                        return call_invalid(error, why);
                if (r < 0)
                        return r;
        }

        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return call_execute(c, m,
                            &(CallRequest){ .text = text,
                                            .flags = (echo ? EXEC_ECHO : 0) | EXEC_LOCATE |
                                                     (check ? EXEC_DRY_RUN : 0) | (replace ? EXEC_REPLACE : 0) |
                                                     (json ? 0 : EXEC_NFT_SYNTAX),
                                            .object = check ? "batch (check)" : "batch",
                                            .on_success = reply_echo },
                            error);
}

typedef struct ExportOptions {
        char *family, *table, *format;
} ExportOptions;

static void export_options_clear(ExportOptions *o)
{
        free(o->family);
        free(o->table);
        free(o->format);
}

/* Reads Export's options from the start of m's a{sv}, and checks them. */
static int read_export_options(sd_bus_message *m, ExportOptions *o, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        int r;

        r = sd_bus_message_rewind(m, true);
        if (r >= 0 && streq(sd_bus_message_get_member(m), "ExportToFd"))
                r = sd_bus_message_skip(m, "h");
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){ { "family", "s", &o->family },
                                               { "table", "s", &o->table },
                                               { "format", "s", &o->format },
                                               {} },
                         error);
        if (r < 0)
                return r;
        if (o->format && !streq(o->format, "nft") && !streq(o->format, "json"))
                return call_invalid(error, "Invalid format: expected nft (the default) or json");
        if (o->table && !o->family)
                return call_invalid(error, "Option table needs option family");
        if ((o->family && validate_family(o->family, &why) < 0) ||
            (o->table && validate_object_name("table", o->table, &why) < 0))
                return call_invalid(error, why);
        return 0;
}

/* The export in text: to the descriptor for ExportToFd, else as the reply if it fits. */
static int reply_export_text(Context *c, sd_bus_message *m, char *text)
{
        _cleanup_free_ char *owned = text;
        int fd, r;

        if (!streq(sd_bus_message_get_member(m), "ExportToFd"))
                return call_reply_string(c, m, text, "ExportToFd");
        r = sd_bus_message_rewind(m, true);
        if (r >= 0)
                r = sd_bus_message_read(m, "h", &fd);
        if (r < 0)
                return r;
        /* a file ends with a newline (libnftables' compact JSON has none) */
        if (*text && text[strlen(text) - 1] != '\n') {
                char *ended = NULL;
                if (asprintf(&ended, "%s\n", text) < 0)
                        return -ENOMEM;
                free(owned);
                owned = ended;
        }
        fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return sd_bus_reply_method_errnof(m, errno, "Failed to duplicate the descriptor: %m");
        return call_reply_to_fd(c, m, fd, TAKE_PTR(owned));
}

/* libnftables' JSON listing, with only the tables of one family (and their objects) kept. */
static int reply_export(Context *c, sd_bus_message *m, const ExecReply *reply, const char *object _unused_)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(export_options_clear) ExportOptions o = {};
        _cleanup_(json_decrefp) json_t *root = NULL;
        _cleanup_free_ char *text = NULL;
        json_t *items, *item;
        size_t i;

        if (read_export_options(m, &o, &error) < 0)
                return sd_bus_reply_method_error(m, &error);
        if (!o.format || streq(o.format, "nft")) {
                text = strdup(strempty(reply->output));
                if (!text)
                        return -ENOMEM;
                listing_strip_handles(text);
                return reply_export_text(c, m, TAKE_PTR(text));
        }
        if (o.table || !o.family) {
                text = strdup(strempty(reply->output));
                return text ? reply_export_text(c, m, TAKE_PTR(text)) : -ENOMEM;
        }
        root = json_loads(strempty(reply->output), 0, NULL);
        items = json_object_get(root, "nftables");
        if (!items)
                return sd_bus_reply_method_errorf(m, NFTBUS_ERROR_REJECTED, "Could not read the listing");
        json_array_foreach (items, i, item) {
                const char *key;
                json_t *value;
                json_object_foreach (item, key, value) {
                        const char *family = json_string_value(json_object_get(value, "family"));
                        if (family && !streq(family, o.family)) {
                                json_array_remove(items, i--);
                                break;
                        }
                }
        }
        text = json_dumps(root, JSON_COMPACT);
        return text ? reply_export_text(c, m, TAKE_PTR(text)) : -ENOMEM;
}

/* A batch Apply takes: nft's own listing (nft syntax: everything round-trips) or libnftables' JSON. */
static int method_export(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(export_options_clear) ExportOptions o = {};
        _cleanup_free_ char *command = NULL;
        Context *c = userdata;
        bool json;
        int r;

        if (streq(sd_bus_message_get_member(m), "ExportToFd")) {
                int fd;
                r = call_read_fd(m, true, &fd, error);
                if (r < 0)
                        return r;
        }
        r = read_export_options(m, &o, error);
        if (r < 0)
                return r;
        json = o.format && streq(o.format, "json");
        if (o.table && !mirror_find_table(c->mirror, family_from_string(o.family), o.table))
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No table %s %s", o.family, o.table);

        r = polkit_check(c->polkit, m,
                         (const char *const[]){ o.family ? "family" : NULL, o.family, "table", o.table, NULL }, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        if (json && o.table)
                r = asprintf(&command,
                             "{\"nftables\": [{\"list\": {\"table\": {\"family\": \"%s\", \"name\": \"%s\"}}}]}",
                             o.family, o.table);
        else if (json)
                r = asprintf(&command, "{\"nftables\": [{\"list\": {\"ruleset\": null}}]}");
        else if (o.table)
                r = asprintf(&command, "list table %s %s", o.family, o.table);
        else
                r = asprintf(&command, "list ruleset%s%s", o.family ? " " : "", strempty(o.family));
        if (r < 0)
                return -ENOMEM;
        return call_execute(c, m,
                            &(CallRequest){ .text = command,
                                            .flags = json ? 0 : EXEC_NFT_SYNTAX,
                                            .object = "export",
                                            .on_success = reply_export },
                            error);
}

/* The managed tables, and those named in option tables ("FAMILY NAME"), to the state directory. */
static int method_save(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_strv_free_ char **tables = NULL;
        Context *c = userdata;
        int r;

        r = options_read(m, (const OptionSpec[]){ { "tables", "as", &tables }, {} }, error);
        if (r < 0)
                return r;
        for (char **t = tables; t && *t; t++) {
                _cleanup_free_ char *why = NULL, *family = NULL;
                const char *space = strchr(*t, ' ');
                if (!space || !(family = strndup(*t, (size_t) (space - *t))))
                        return call_invalid(error, "Option tables holds \"FAMILY NAME\" strings");
                if (validate_family(family, &why) < 0 || validate_object_name("table", space + 1, &why) < 0)
                        return call_invalid(error, why);
                if (!mirror_find_table(c->mirror, family_from_string(family), space + 1))
                        return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No table %s", *t);
        }
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return persist_save(c, m, error);
}

static int property_get_restore_error(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                                      const char *property _unused_, sd_bus_message *reply, void *userdata,
                                      sd_bus_error *error _unused_)
{
        Context *c = userdata;
        return sd_bus_message_append(reply, "s", strempty(c->restore_error));
}

static int property_get_backend_version(sd_bus *bus _unused_, const char *path _unused_,
                                        const char *interface _unused_, const char *property _unused_,
                                        sd_bus_message *reply, void *userdata, sd_bus_error *error _unused_)
{
        Context *c = userdata;
        return sd_bus_message_append(reply, "s", strempty(c->backend_version));
}

static int property_get_version(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                                const char *property _unused_, sd_bus_message *reply, void *userdata _unused_,
                                sd_bus_error *error _unused_)
{
        return sd_bus_message_append(reply, "s", PROJECT_VERSION);
}

/* The last subscriber unsubscribed or left the bus: out of the event group, unless something else holds it. */
static int on_subscribers_gone(sd_bus_track *track, void *userdata)
{
        Context *c = userdata;

        if (sd_bus_track_count(track) > 0)
                return 0;
        c->subscribers = sd_bus_track_unref(c->subscribers);
        monitor_release(c->monitor);
        return 0;
}

#define SUBSCRIBERS_MAX 64U

/* Subscribe(): the change signals as they happen, for as long as the caller is on the bus (or until
 * Unsubscribe): nftbusd follows the kernel's change events only while someone is subscribed. */
static int method_subscribe(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r;

        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        /* one subscription a bus name (subscribing again counts once), and a bound on them all */
        if (c->subscribers && sd_bus_track_count(c->subscribers) >= SUBSCRIBERS_MAX &&
            !sd_bus_track_contains(c->subscribers, sd_bus_message_get_sender(m)))
                return sd_bus_error_setf(error, NFTBUS_ERROR_BUSY, "%u subscribers already: no room for more",
                                         SUBSCRIBERS_MAX);
        if (!c->subscribers) {
                r = sd_bus_track_new(c->bus, &c->subscribers, on_subscribers_gone, c);
                if (r < 0)
                        return r;
                monitor_hold(c->monitor);
        }
        r = sd_bus_track_add_sender(c->subscribers, m);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, NULL);
}

static int method_unsubscribe(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r;

        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = c->subscribers ? sd_bus_track_remove_sender(c->subscribers, m) : 0;
        if (r < 0)
                return r;
        if (r == 0)
                return sd_bus_error_set(error, NFTBUS_ERROR_NOT_FOUND, "Not subscribed");
        return sd_bus_reply_method_return(m, NULL);
}

const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Version", "s", property_get_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("BackendVersion", "s", property_get_backend_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("RestoreError", "s", property_get_restore_error, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_METHOD_WITH_ARGS("ListTables", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(sso)", tables), method_list_tables,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddTable", SD_BUS_ARGS("s", family, "s", name, "a{sv}", options),
                                SD_BUS_RESULT("o", table), method_add_table, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetTable", SD_BUS_ARGS("s", family, "s", name), SD_BUS_RESULT("o", table),
                                method_get_table, SD_BUS_VTABLE_UNPRIVILEGED),
#define GET_OBJECT(method, result)                                                                                    \
        SD_BUS_METHOD_WITH_ARGS(method, SD_BUS_ARGS("s", family, "s", table, "s", name), SD_BUS_RESULT("o", result),  \
                                method_get_object, SD_BUS_VTABLE_UNPRIVILEGED)
        GET_OBJECT("GetChain", chain),
        GET_OBJECT("GetSet", set),
        GET_OBJECT("GetMap", map),
        GET_OBJECT("GetCounter", counter),
        GET_OBJECT("GetQuota", quota),
        GET_OBJECT("GetLimit", limit),
        GET_OBJECT("GetFlowtable", flowtable),
        SD_BUS_METHOD_WITH_ARGS("GetObject", SD_BUS_ARGS("s", family, "s", table, "s", kind, "s", name),
                                SD_BUS_RESULT("o", object), method_get_generic_object, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Apply", SD_BUS_ARGS("s", batch, "a{sv}", options), SD_BUS_RESULT("s", echo),
                                method_apply, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Export", SD_BUS_ARGS("a{sv}", options), SD_BUS_RESULT("s", batch), method_export,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ExportToFd", SD_BUS_ARGS("h", fd, "a{sv}", options), SD_BUS_RESULT("t", size),
                                method_export, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Save", SD_BUS_ARGS("a{sv}", options), SD_BUS_NO_RESULT, method_save,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("Subscribe", NULL, NULL, method_subscribe, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("Unsubscribe", NULL, NULL, method_unsubscribe, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL("Resynchronized", NULL, 0),
        SD_BUS_VTABLE_END,
};

int manager_register(Context *c)
{
        int r;

        r = sd_bus_add_object_vtable(c->bus, NULL, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, manager_vtable, c);
        if (r < 0)
                return r;
        return sd_bus_add_object_manager(c->bus, NULL, NFTBUS_PATH);
}
