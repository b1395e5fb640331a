/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.IPSet on /org/nftbus/Firewall1/ipset/NAME, and the Manager's ipset methods: firewalld's
 * ipsets (core/ipsetspec.h) as nftbus's own objects, under polkit actions of their own: manage-ipsets for what
 * an ipset is (made, changed, deleted), manage-ipset-entries for what it holds. Both tell polkit the ipset, the
 * zones that name it (what its entries reach: an ipset that is a zone's source binds its entries to that zone)
 * and, for one entry, the entry. Each method checks its arguments as firewalld's API does (core/ipsetspec.h),
 * asks polkit, and queues its change in the zone engine (zones/engine.h). A change is runtime unless its option
 * permanent says otherwise; a runtime one lasts until the next Reload. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/call.h"
#include "bus/options.h"
#include "bus/strlists.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/validate.h"
#include "context.h"
#include "core/ipsetspec.h"
#include "state/zones.h"
#include "zones/engine.h"

static const ZoneConfig *config_of(Context *c, bool permanent)
{
        return permanent ? &c->zones->permanent : &c->zones->runtime;
}

/* The ipset of an object path: the runtime one, or the permanent one for an ipset only it has. */
static const IPSet *ipset_of_path(Context *c, const char *path)
{
        _cleanup_free_ char *name = NULL;
        const IPSet *s;

        if (!c->zones || sd_bus_path_decode(path, IPSETS_PATH, &name) <= 0)
                return NULL;
        s = ipset_list_find(&c->zones->runtime.ipsets, name);
        return s ? s : ipset_list_find(&c->zones->permanent.ipsets, name);
}

static int no_ipset(sd_bus_error *error, const char *name, bool permanent)
{
        return config_object_not_found(error, "ipset", name, permanent);
}

/* The ipset a call on an IPSet object is about, in the configuration it is for. */
static int called_ipset(Context *c, sd_bus_message *m, bool permanent, const IPSet **ret, sd_bus_error *error)
{
        _cleanup_free_ char *name = NULL;

        if (sd_bus_path_decode(sd_bus_message_get_path(m), IPSETS_PATH, &name) <= 0)
                return -EINVAL;
        *ret = ipset_list_find(&config_of(c, permanent)->ipsets, name);
        return *ret ? 0 : no_ipset(error, name, permanent);
}

/* polkit, for the method's action: the ipset, the zones of the configuration the call is for that name it
 * (comma-separated, "" for none), and the entry (NULL: none). */
static int ipset_polkit(Context *c, sd_bus_message *m, const char *name, bool permanent, const char *entry,
                        sd_bus_error *error)
{
        const ZoneConfig *config = config_of(c, permanent);
        _cleanup_free_ char *zones = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&zones, &size);

        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < config->n_zones; i++)
                if (zone_uses_ipset(config->zones[i], name))
                        fprintf(f, "%s%s", size > 0 ? "," : "", config->zones[i]->name);
        if (fclose(f) != 0)
                return -ENOMEM;
        return polkit_check(
                c->polkit, m,
                (const char *const[]){ "ipset", name, "zones", zones, entry ? "entry" : NULL, entry, NULL }, error);
}

static int refuse(sd_bus_error *error, int r, const char *code, const char *why)
{
        return r == -EINVAL ? zone_coded_error(error, code, "%s", strempty(why)) : r;
}

/* The reply of a permanent change, and the signal of the object when it shows the permanent ipset (one not in
 * force): made, deleted, or changed. */
static int reply_permanent(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object _unused_)
{
        const char *member = sd_bus_message_get_member(m), *name = NULL;
        _cleanup_free_ char *path = NULL, *decoded = NULL;
        int r = sd_bus_reply_method_return(m, NULL);

        if (streq(sd_bus_message_get_interface(m), IPSET_INTERFACE))
                path = strdup(sd_bus_message_get_path(m));
        else if (sd_bus_message_rewind(m, true) >= 0 && sd_bus_message_read(m, "s", &name) >= 0)
                (void) ipset_object_path(name, &path);
        if (!path || sd_bus_path_decode(path, IPSETS_PATH, &decoded) <= 0 ||
            ipset_list_find(&c->zones->runtime.ipsets, decoded))
                return r;
        if (streq(member, "AddIPSet"))
                (void) sd_bus_emit_object_added(c->bus, path);
        else if (streq(member, "DeleteIPSet"))
                (void) sd_bus_emit_object_removed(c->bus, path);
        else
                (void) sd_bus_emit_properties_changed_strv(c->bus, path, IPSET_INTERFACE, NULL);
        return r;
}

static const ZoneAnswer *answer_of(bool permanent)
{
        static const ZoneAnswer answer_permanent = { reply_permanent, NULL };

        return permanent ? &answer_permanent : NULL;
}

/* ---- settings: a{sv} of Type (s), Options (a{ss}), Short (s), Description (s) ---- */

/* One setting of the a{sv} at m's position (key read) into s, checked. */
static int read_setting(sd_bus_message *m, const char *key, IPSet *s, bool *type_given, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        const char *text, *code = NULL;
        char **field = NULL;
        int r, t;

        if (streq(key, "Options")) {
                _cleanup_(strlist_done) StrList options = {};
                r = sd_bus_message_enter_container(m, 'v', "a{ss}");
                if (r >= 0)
                        r = bus_read_pairs(m, &options);
                if (r == -ENXIO || r == -EINVAL)
                        return call_invalid(error, "Invalid setting Options: an a{ss} of option and value");
                if (r < 0)
                        return r;
                strlist_done(&s->options);
                s->options = options;
                options = (StrList){};
                return sd_bus_message_exit_container(m);
        }
        if (!IN_SET_STR(key, "Type", "Short", "Description")) {
                _cleanup_free_ char *shown = escape_for_message(key);
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                         "Unknown setting '%s': Type, Options, Short or Description", strempty(shown));
        }
        r = sd_bus_message_enter_container(m, 'v', "s");
        if (r == -ENXIO || r == -EINVAL)
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT, "Invalid setting %s: a string", key);
        if (r >= 0)
                r = sd_bus_message_read_basic(m, 's', &text);
        if (r < 0)
                return r;
        if (streq(key, "Type")) {
                t = ipset_type_of_name(text);
                if (t < 0)
                        return zone_coded_error(error, "INVALID_TYPE", "'%s' is not valid ipset type", text);
                s->type = (IPSetType) t;
                *type_given = true;
        } else {
                r = ipset_check_text(streq(key, "Short") ? "short" : "description", text, &code, &why);
                if (r < 0)
                        return refuse(error, r, code, why);
                field = streq(key, "Short") ? &s->short_name : &s->description;
                if (free_and_strdup(field, text) < 0)
                        return -ENOMEM;
        }
        return sd_bus_message_exit_container(m);
}

/* The settings of a call as an ipset named name: those given, the others as base has them (NULL: none, and
 * Type must be given). Checked as firewalld checks an ipset's settings, without its entries (the engine checks
 * those it has against a new type when the change runs). */
static int read_settings(sd_bus_message *m, const char *name, const IPSet *base, IPSet **ret, sd_bus_error *error)
{
        _cleanup_(ipset_freep) IPSet *s = NULL;
        _cleanup_free_ char *why = NULL;
        const char *key, *code = NULL;
        bool type_given = false;
        int r;

        s = base ? ipset_copy(base) : ipset_new(name, IPSET_HASH_IP);
        if (!s || (base && ipset_entries_replace(s, NULL) < 0))
                return -ENOMEM;
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                r = sd_bus_message_read_basic(m, 's', &key);
                if (r >= 0)
                        r = read_setting(m, key, s, &type_given, error);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        if (!base && !type_given)
                return call_invalid(error, "An ipset needs a Type: hash:ip, hash:ip,port, hash:ip,port,ip, "
                                           "hash:ip,port,net, hash:ip,mark, hash:net, hash:net,net, hash:net,port, "
                                           "hash:net,port,net, hash:net,iface or hash:mac");
        r = ipset_check_settings(s->type, &s->options, &s->entries->list, &code, &why);
        if (r < 0)
                return refuse(error, r, code, why);
        *ret = TAKE_PTR(s);
        return 0;
}

/* ---- IPSet's properties, of the runtime ipset (of the permanent one for an ipset only it has) ---- */

static const ConfigProperty ipset_properties[] = {
        { "Name", "s" },  { "Type", "s" },        { "Options", "a{ss}" },
        { "Short", "s" }, { "Description", "s" }, { "EntryCount", "u" },
};

/* One of an ipset's properties, by its name. */
static int append_ipset_property(sd_bus_message *reply, const void *object, const char *property)
{
        const IPSet *s = object;
        if (streq(property, "Options"))
                return bus_append_pairs(reply, &s->options);
        if (streq(property, "EntryCount"))
                return sd_bus_message_append(reply, "u", (uint32_t) MIN(s->entries->list.n, UINT32_MAX));
        return sd_bus_message_append(reply, "s",
                                     streq(property, "Name")    ? s->name
                                     : streq(property, "Type")  ? ipset_type_name(s->type)
                                     : streq(property, "Short") ? s->short_name
                                                                : s->description);
}

static int property_get(sd_bus *bus _unused_, const char *path, const char *interface _unused_, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        const IPSet *s = ipset_of_path(userdata, path);

        if (!s)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "The ipset is gone");
        return append_ipset_property(reply, s, property);
}

/* GetPermanent() -> a{sv}: the ipset's file, by the properties' names; GetEntries(options) -> as */
static int method_read(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        bool entries = streq(sd_bus_message_get_member(m), "GetEntries");
        const IPSet *s;
        int permanent = true, r = entries ? options_read_permanent(m, &permanent, error) : 0;

        if (r >= 0)
                r = called_ipset(c, m, permanent, &s, error);
        if (r < 0)
                return r;
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (entries) {
                r = sd_bus_message_new_method_return(m, &reply);
                return call_send_reply(reply, r >= 0 ? bus_append_strlist(reply, &s->entries->list) : r);
        }
        return config_object_reply_settings(m, ipset_properties, ELEMENTSOF(ipset_properties), append_ipset_property,
                                            s);
}

/* HasEntry(entry, options) -> b; AddEntry(entry, options), RemoveEntry(entry, options) */
static int method_entry(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *normalized = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *entry;
        bool add = streq(member, "AddEntry"), query = streq(member, "HasEntry");
        const IPSet *s;
        int permanent, r = sd_bus_message_read(m, "s", &entry);

        if (r >= 0)
                r = options_read_permanent(m, &permanent, error);
        if (r >= 0)
                r = called_ipset(c, m, permanent, &s, error);
        if (r >= 0)
                r = ipset_entry_value_check(s, entry, add, query, permanent, &normalized, error);
        if (r < 0)
                return r;
        r = query ? polkit_check(c->polkit, m, NULL, error)
                  : ipset_polkit(c, m, s->name, permanent, normalized, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (query)
                return sd_bus_reply_method_return(m, "b", strlist_contains(&s->entries->list, normalized));
        return ipset_entry_request(c, m, s, add, normalized, permanent, answer_of(permanent), error);
}

/* SetEntries(entries, options): the ipset's entries, all of them */
static int method_set_entries(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(strlist_done) StrList entries = {};
        Context *c = userdata;
        const IPSet *s;
        int permanent, r = bus_read_strlist(m, &entries);

        if (r >= 0)
                r = options_read_permanent(m, &permanent, error);
        if (r >= 0)
                r = called_ipset(c, m, permanent, &s, error);
        if (r >= 0)
                r = ipset_entries_value_check(s, &entries, permanent, error);
        if (r < 0)
                return r;
        r = ipset_polkit(c, m, s->name, permanent, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return ipset_request(c, m, IPSET_ENTRIES_SET, s->name, NULL, NULL, &entries, permanent, answer_of(permanent),
                             error);
}

/* Update(settings, options): the settings given changed, the others and the entries kept */
static int method_update(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(ipset_freep) IPSet *changed = NULL;
        _cleanup_free_ char *name = NULL;
        Context *c = userdata;
        const IPSet *s;
        int permanent, r;

        /* the settings are read after the options, which say which configuration they change */
        r = sd_bus_message_skip(m, "a{sv}");
        if (r >= 0)
                r = options_read_permanent(m, &permanent, error);
        if (r >= 0)
                r = called_ipset(c, m, permanent, &s, error);
        if (r >= 0)
                r = sd_bus_message_rewind(m, true);
        if (r >= 0)
                r = read_settings(m, s->name, s, &changed, error);
        if (r < 0)
                return r;
        r = ipset_polkit(c, m, s->name, permanent, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return ipset_request(c, m, IPSET_SETTINGS, s->name, TAKE_PTR(changed), NULL, NULL, permanent,
                             answer_of(permanent), error);
}

static const sd_bus_vtable ipset_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Name", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Type", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("Options", "a{ss}", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("Short", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("Description", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("EntryCount", "u", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_METHOD_WITH_ARGS("GetPermanent", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", settings), method_read,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetEntries", SD_BUS_ARGS("a{sv}", options), SD_BUS_RESULT("as", entries), method_read,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("HasEntry", SD_BUS_ARGS("s", entry, "a{sv}", options), SD_BUS_RESULT("b", present),
                                method_entry, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddEntry", SD_BUS_ARGS("s", entry, "a{sv}", options), SD_BUS_NO_RESULT, method_entry,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("RemoveEntry", SD_BUS_ARGS("s", entry, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_entry, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetEntries", SD_BUS_ARGS("as", entries, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_set_entries, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Update", SD_BUS_ARGS("a{sv}", settings, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_update, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

/* ---- the Manager's ipset methods ---- */

/* ListIPSets(options) -> a(sso): name, type, object path */
static int method_list_ipsets(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const IPSetList *l;
        int permanent, r = options_read_permanent(m, &permanent, error);

        if (r < 0)
                return r;
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        l = &config_of(c, permanent)->ipsets;
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(sso)");
        for (size_t i = 0; r >= 0 && i < l->n; i++) {
                _cleanup_free_ char *path = NULL;
                r = ipset_object_path(l->items[i]->name, &path);
                if (r >= 0)
                        r = sd_bus_message_append(reply, "(sso)", l->items[i]->name,
                                                  ipset_type_name(l->items[i]->type), path);
        }
        return call_send_reply(reply, call_close_containers(reply, 1, r));
}

/* AddIPSet(name, settings, options) */
static int method_add_ipset(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(ipset_freep) IPSet *s = NULL;
        _cleanup_free_ char *why = NULL;
        Context *c = userdata;
        const char *name, *code = NULL;
        int permanent, r = sd_bus_message_read(m, "s", &name);

        if (r < 0)
                return r;
        r = ipset_check_name(name, &code, &why);
        if (r < 0)
                return refuse(error, r, code, why);
        r = read_settings(m, name, NULL, &s, error);
        if (r >= 0)
                r = options_read_permanent(m, &permanent, error);
        if (r < 0)
                return r;
        if (ipset_list_find(&config_of(c, permanent)->ipsets, name))
                return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "There is an ipset '%s' already", name);
        r = ipset_polkit(c, m, name, permanent, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return ipset_request(c, m, IPSET_ADD, name, TAKE_PTR(s), NULL, NULL, permanent, answer_of(permanent), error);
}

/* DeleteIPSet(name, options) */
static int method_delete_ipset(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        Context *c = userdata;
        const char *name, *code = NULL;
        int permanent, r = sd_bus_message_read(m, "s", &name);

        if (r >= 0)
                r = options_read_permanent(m, &permanent, error);
        if (r < 0)
                return r;
        r = ipset_check_name(name, &code, &why);
        if (r < 0)
                return refuse(error, r, code, why);
        if (!ipset_list_find(&config_of(c, permanent)->ipsets, name))
                return no_ipset(error, name, permanent);
        r = ipset_polkit(c, m, name, permanent, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return ipset_request(c, m, IPSET_REMOVE, name, NULL, NULL, NULL, permanent, answer_of(permanent), error);
}

static const sd_bus_vtable manager_ipset_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("ListIPSets", SD_BUS_ARGS("a{sv}", options), SD_BUS_RESULT("a(sso)", ipsets),
                                method_list_ipsets, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddIPSet", SD_BUS_ARGS("s", name, "a{sv}", settings, "a{sv}", options),
                                SD_BUS_NO_RESULT, method_add_ipset, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("DeleteIPSet", SD_BUS_ARGS("s", name, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_delete_ipset, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

/* ---- registration ---- */

int ipset_register(Context *c)
{
        return config_objects_register(c, IPSETS_PATH, IPSET_INTERFACE, ipset_vtable, manager_ipset_vtable);
}
