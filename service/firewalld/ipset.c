/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's ipsets (firewalld.ipset(5)) over nftbus's zone table: org.fedoraproject.FirewallD1.ipset on
 * /org/fedoraproject/FirewallD1 (the runtime ipsets and their entries), the ipset members of
 * org.fedoraproject.FirewallD1.config (the permanent ones by name, addIPSet), and
 * org.fedoraproject.FirewallD1.config.ipset on each permanent ipset's object, /org/fedoraproject/FirewallD1/config/
 * ipset/N (N: its number, given once: firewalld/shared.c). Each call is checked as firewalld checks it, with its
 * codes and words (core/ipsetspec.h), before polkit; then the zone engine makes the change (zones/engine.h):
 * a permanent one writes the ipset's file, a runtime one sends the set's elements. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auth/polkit.h"
#include "common/util.h"
#include "core/ipsetspec.h"
#include "firewalld/firewalld.h"
#include "state/zones.h"

/* setEntries tells of at most this many entries added and removed, an EntryAdded or EntryRemoved each
 * (firewalld tells of all: a million signals for a million entries) */
#define ENTRY_SIGNALS_MAX 1000

static const IPSetList *ipsets_of(Context *c, bool permanent)
{
        return permanent ? &c->zones->permanent.ipsets : &c->zones->runtime.ipsets;
}

static const IPSet *named_ipset(Context *c, const char *name, bool permanent, sd_bus_error *error)
{
        const IPSet *s = ipset_list_find(ipsets_of(c, permanent), name);

        if (!s)
                (void) fwd_error(error, "INVALID_IPSET", "%s", name);
        return s;
}

/* the permanent ipset of a config.ipset object */
static const IPSet *path_ipset(Context *c, const char *path)
{
        const char *name = fwd_object_name(c, FWD_KIND_IPSET, path);

        return name ? ipset_list_find(&c->zones->permanent.ipsets, name) : NULL;
}

static int called_ipset(Context *c, sd_bus_message *m, const IPSet **ret, sd_bus_error *error)
{
        *ret = path_ipset(c, sd_bus_message_get_path(m));
        return *ret ? 0 : fwd_error(error, "INVALID_IPSET", "%s", sd_bus_message_get_path(m));
}

static int refuse(sd_bus_error *error, int r, const char *code, const char *why)
{
        return r == -EINVAL ? fwd_error(error, code, "%s", strempty(why)) : r;
}

/* ---- settings: (ssssa{ss}as) ---- */

static int append_settings(sd_bus_message *reply, const IPSet *s)
{
        int r = sd_bus_message_open_container(reply, 'r', "ssssa{ss}as");

        if (r >= 0)
                r = sd_bus_message_append(reply, "ssss", s->version, s->short_name, s->description,
                                          ipset_type_name(s->type));
        if (r >= 0)
                r = bus_append_pairs(reply, &s->options);
        if (r >= 0)
                r = bus_append_strlist(reply, &s->entries->list);
        return r >= 0 ? sd_bus_message_close_container(reply) : r;
}

/* An ipset named name from firewalld's settings, checked as firewalld's import_config() checks them. */
static int ipset_from_parts(const char *name, const char *version, const char *short_name, const char *description,
                            const char *type, StrList *options, StrList *entries, IPSet **ret, sd_bus_error *error)
{
        _cleanup_(ipset_freep) IPSet *s = NULL;
        _cleanup_free_ char *why = NULL;
        const char *code = NULL;
        int t = ipset_type_of_name(type), r;

        if (t < 0)
                return entries->n > 0 ? fwd_error(error, "INVALID_IPSET", "ipset type '%s' not usable", type)
                                      : fwd_error(error, "INVALID_TYPE", "'%s' is not valid ipset type", type);
        r = ipset_check_text("version", version, &code, &why);
        if (r >= 0)
                r = ipset_check_text("short", short_name, &code, &why);
        if (r >= 0)
                r = ipset_check_text("description", description, &code, &why);
        if (r >= 0)
                r = ipset_check_settings((IPSetType) t, options, entries, &code, &why);
        if (r < 0)
                return refuse(error, r, code, why);
        s = ipset_new(name, (IPSetType) t);
        if (!s)
                return -ENOMEM;
        strlist_done(&s->options);
        s->options = *options;
        *options = (StrList){};
        if (free_and_strdup(&s->version, version) < 0 || free_and_strdup(&s->short_name, short_name) < 0 ||
            free_and_strdup(&s->description, description) < 0 || ipset_entries_replace(s, entries) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(s);
        return 0;
}

static int read_settings(sd_bus_message *m, const char *name, IPSet **ret, sd_bus_error *error)
{
        _cleanup_(strlist_done) StrList options = {}, entries = {};
        const char *version, *short_name, *description, *type;
        int r = sd_bus_message_enter_container(m, 'r', "ssssa{ss}as");

        if (r >= 0)
                r = sd_bus_message_read(m, "ssss", &version, &short_name, &description, &type);
        if (r >= 0)
                r = bus_read_pairs(m, &options);
        if (r >= 0)
                r = bus_read_strlist(m, &entries);
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        return ipset_from_parts(name, version, short_name, description, type, &options, &entries, ret, error);
}

/* the object path of the permanent ipset named name; -ENOENT when there is none */
static int ipset_path(Context *c, const char *name, char **ret)
{
        return fwd_object_path(c, FWD_KIND_IPSET, name, ret);
}

/* ---- answers ---- */

static int reply_done(Context *c _unused_, sd_bus_message *m, const ExecReply *reply _unused_,
                      const char *object _unused_)
{
        return sd_bus_reply_method_return(m, NULL);
}

/* EntryAdded, EntryRemoved: addEntry(ipset, entry), removeEntry(ipset, entry) */
static int reply_entry(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object _unused_)
{
        const char *name, *entry;
        bool add = streq(sd_bus_message_get_member(m), "addEntry");

        if (sd_bus_message_rewind(m, true) >= 0 && sd_bus_message_read(m, "ss", &name, &entry) >= 0)
                (void) sd_bus_emit_signal(c->bus, FWD_PATH, FWD_IPSET_INTERFACE, add ? "EntryAdded" : "EntryRemoved",
                                          "ss", name, entry);
        return sd_bus_reply_method_return(m, NULL);
}

/* the config.ipset object's Updated(name), or Removed, Renamed; addIPSet's path and IPSetAdded */
static int reply_config(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object)
{
        return fwd_reply_config_change(c, m, object, FWD_CONFIG_IPSET_INTERFACE, "addIPSet", "IPSetAdded",
                                       FWD_KIND_IPSET);
}

static const ZoneAnswer answer_done = { reply_done, fwd_map_error }, answer_entry = { reply_entry, fwd_map_error },
                        answer_config = { reply_config, fwd_map_error };

/* ---- org.fedoraproject.FirewallD1.ipset: the runtime ipsets ---- */

static const char *ipset_name_at(const void *list, size_t i)
{
        return ((const IPSetList *) list)->items[i]->name;
}

/* getIPSets(); config's getIPSetNames(), listIPSets() */
int fwd_method_ipset_names(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        bool permanent = streq(sd_bus_message_get_interface(m), FWD_CONFIG_INTERFACE);
        const IPSetList *l = ipsets_of(c, permanent);
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (streq(sd_bus_message_get_member(m), "listIPSets"))
                return fwd_reply_objects(c, m, FWD_KIND_IPSET, true);
        return fwd_reply_names(m, l, l->n, ipset_name_at);
}

static int method_query_ipset(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *name;
        int r = sd_bus_message_read(m, "s", &name);

        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return sd_bus_reply_method_return(m, "b", ipset_list_find(&c->zones->runtime.ipsets, name) != NULL);
}

/* The ipset a runtime call names (its first argument), or the config.ipset object's */
static int entry_call_ipset(Context *c, sd_bus_message *m, bool permanent, const IPSet **ret, sd_bus_error *error)
{
        const char *name;
        int r;

        if (permanent)
                return called_ipset(c, m, ret, error);
        r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        *ret = named_ipset(c, name, false, error);
        return *ret ? 0 : -EINVAL;
}

/* addEntry, removeEntry, queryEntry (ipset, entry) at runtime; addEntry, removeEntry, queryEntry (entry) of a
 * config.ipset: the entry normalized as firewalld does; added, checked against the ipset's type */
static int method_entry(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *normalized = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *entry;
        bool permanent = streq(sd_bus_message_get_interface(m), FWD_CONFIG_IPSET_INTERFACE);
        bool add = streq(member, "addEntry"), query = streq(member, "queryEntry");
        const IPSet *s;
        int r = entry_call_ipset(c, m, permanent, &s, error);

        if (r >= 0)
                r = sd_bus_message_read(m, "s", &entry);
        if (r < 0)
                return r;
        r = ipset_entry_value_check(s, entry, add, query, permanent, &normalized, &e);
        if (r < 0)
                return sd_bus_error_is_set(&e) ? fwd_map_error(&e, error) : r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (query)
                return sd_bus_reply_method_return(m, "b", strlist_contains(&s->entries->list, normalized));
        return ipset_entry_request(c, m, s, add, normalized, permanent, permanent ? &answer_config : &answer_entry,
                                   error);
}

/* getIPSetSettings(ipset) and getEntries(ipset) at runtime; getSettings() and getEntries() of a config.ipset */
static int method_read(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        bool permanent = streq(sd_bus_message_get_interface(m), FWD_CONFIG_IPSET_INTERFACE);
        const IPSet *s;
        int r = entry_call_ipset(c, m, permanent, &s, error);

        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = streq(sd_bus_message_get_member(m), "getEntries") ? bus_append_strlist(reply, &s->entries->list)
                                                                      : append_settings(reply, s);
        return r < 0 ? r : sd_bus_message_send(reply);
}

/* setEntries' signals: the entries added and removed, as firewalld tells of them (at most ENTRY_SIGNALS_MAX) */
static void emit_entry_changes(Context *c, const char *name, const StrList *before, const StrList *after)
{
        size_t n = 0;

        for (size_t i = 0; i < after->n && n < ENTRY_SIGNALS_MAX; i++)
                if (!strlist_contains(before, after->items[i]) && ++n)
                        (void) sd_bus_emit_signal(c->bus, FWD_PATH, FWD_IPSET_INTERFACE, "EntryAdded", "ss", name,
                                                  after->items[i]);
        for (size_t i = 0; i < before->n && n < ENTRY_SIGNALS_MAX; i++)
                if (!strlist_contains(after, before->items[i]) && ++n)
                        (void) sd_bus_emit_signal(c->bus, FWD_PATH, FWD_IPSET_INTERFACE, "EntryRemoved", "ss", name,
                                                  before->items[i]);
}

/* setEntries(ipset, entries) at runtime, config.ipset's setEntries(entries): firewalld's checks of the whole list
 * (overlaps, then each entry as given), then the set emptied and filled in one transaction */
static int method_set_entries(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_(strlist_done) StrList entries = {};
        Context *c = userdata;
        bool permanent = streq(sd_bus_message_get_interface(m), FWD_CONFIG_IPSET_INTERFACE);
        const IPSet *s;
        int r = entry_call_ipset(c, m, permanent, &s, error);

        if (r >= 0)
                r = bus_read_strlist(m, &entries);
        if (r < 0)
                return r;
        r = ipset_entries_value_check(s, &entries, permanent, &e);
        if (r < 0)
                return sd_bus_error_is_set(&e) ? fwd_map_error(&e, error) : r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        /* told when the change is queued (the list before it is at hand only now); a refusal of the kernel after
         * this is rare (the entries are checked) and is answered as an error */
        if (!permanent && !ipset_has_timeout(s))
                emit_entry_changes(c, s->name, &s->entries->list, &entries);
        return ipset_request(c, m, IPSET_ENTRIES_SET, s->name, NULL, NULL, &entries, permanent,
                             permanent ? &answer_config : &answer_done, error);
}

const FwdMember fwd_ipset_members[] = {
        { "queryIPSet", method_query_ipset },
        { "getIPSets", fwd_method_ipset_names },
        { "getIPSetSettings", method_read },
        { "addEntry", method_entry },
        { "removeEntry", method_entry },
        { "queryEntry", method_entry },
        { "getEntries", method_read },
        { "setEntries", method_set_entries },
        {},
};

/* ---- org.fedoraproject.FirewallD1.config: the permanent ipsets by name ---- */

int fwd_method_ipset_by_name(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *path = NULL;
        Context *c = userdata;
        const char *name;
        int r = sd_bus_message_read(m, "s", &name);

        if (r < 0)
                return r;
        if (!ipset_list_find(&c->zones->permanent.ipsets, name))
                return fwd_error(error, "INVALID_IPSET", "%s", name);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = ipset_path(c, name, &path);
        return r < 0 ? r : sd_bus_reply_method_return(m, "o", path);
}

/* addIPSet(name, settings) */
int fwd_method_add_ipset(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(ipset_freep) IPSet *s = NULL;
        _cleanup_free_ char *why = NULL;
        Context *c = userdata;
        const char *name, *code = NULL;
        int r = sd_bus_message_read(m, "s", &name);

        if (r < 0)
                return r;
        r = ipset_check_name(name, &code, &why);
        if (r < 0)
                return refuse(error, r, code, why);
        if (ipset_list_find(&c->zones->permanent.ipsets, name))
                return fwd_error(error, "NAME_CONFLICT", "new_ipset(): '%s'", name);
        r = read_settings(m, name, &s, error);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return ipset_request(c, m, IPSET_ADD, name, TAKE_PTR(s), NULL, NULL, true, &answer_config, error);
}

/* ---- org.fedoraproject.FirewallD1.config.ipset ---- */

/* update(settings) */
static int method_update(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(ipset_freep) IPSet *s = NULL;
        Context *c = userdata;
        const IPSet *now;
        int r = called_ipset(c, m, &now, error);

        if (r >= 0)
                r = read_settings(m, now->name, &s, error);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return ipset_request(c, m, IPSET_UPDATE, now->name, TAKE_PTR(s), NULL, NULL, true, &answer_config, error);
}

/* remove(), rename(name); loadDefaults is NOT_SUPPORTED: nftbus ships no ipsets, none has defaults */
static int method_lifecycle(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *name = NULL, *code = NULL;
        const IPSet *s;
        int r = called_ipset(c, m, &s, error);

        if (r >= 0 && streq(member, "rename"))
                r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        if (name && (r = ipset_check_name(name, &code, &why)) < 0)
                return refuse(error, r, code, why);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return ipset_request(c, m, name ? IPSET_RENAME : IPSET_REMOVE, s->name, NULL, name, NULL, true, &answer_config,
                             error);
}

/* The getters of one field: getVersion, getShort, getDescription, getType, getOptions */
static int method_get_field(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m);
        const IPSet *s;
        int r = called_ipset(c, m, &s, error);

        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (streq(member, "getVersion"))
                return sd_bus_reply_method_return(m, "s", s->version);
        if (streq(member, "getShort"))
                return sd_bus_reply_method_return(m, "s", s->short_name);
        if (streq(member, "getDescription"))
                return sd_bus_reply_method_return(m, "s", s->description);
        if (streq(member, "getType"))
                return sd_bus_reply_method_return(m, "s", ipset_type_name(s->type));
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = bus_append_pairs(reply, &s->options);
        return r < 0 ? r : sd_bus_message_send(reply);
}

/* The setters of one field: setVersion, setShort, setDescription, setType, setOptions, addOption, removeOption,
 * queryOption: the ipset's settings with that one changed, checked as update() checks them */
static int method_set_field(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(strlist_done) StrList options = {}, entries = {};
        _cleanup_(ipset_freep) IPSet *changed = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *value = NULL, *key = NULL;
        const char *version, *short_name, *description, *type, *now;
        const IPSet *s;
        int r = called_ipset(c, m, &s, error);

        if (r < 0)
                return r;
        version = s->version;
        short_name = s->short_name;
        description = s->description;
        type = ipset_type_name(s->type);
        if (strlist_copy(&s->options, &options) < 0 || strlist_copy(&s->entries->list, &entries) < 0)
                return -ENOMEM;
        if (streq(member, "setOptions")) {
                strlist_done(&options);
                r = bus_read_pairs(m, &options);
        } else if (IN_SET_STR(member, "addOption", "queryOption"))
                r = sd_bus_message_read(m, "ss", &key, &value);
        else if (streq(member, "removeOption"))
                r = sd_bus_message_read(m, "s", &key);
        else
                r = sd_bus_message_read(m, "s", &value);
        if (r < 0)
                return r;
        now = key ? ipset_option(s, key) : NULL;
        if (streq(member, "queryOption")) {
                r = fwd_check(c, m, error);
                POLKIT_RETURN_UNLESS_AUTHORIZED(r);
                return sd_bus_reply_method_return(m, "b", streq_ptr(now, value));
        }
        if (streq(member, "addOption") && streq_ptr(now, value))
                return fwd_error(error, "ALREADY_ENABLED", "'%s': '%s'", key, value);
        if (streq(member, "removeOption") && !now)
                return fwd_error(error, "NOT_ENABLED", "%s", key);
        if (key && ipset_options_put(&options, key, value) < 0) /* addOption, removeOption (value NULL) */
                return -ENOMEM;
        if (streq(member, "setVersion"))
                version = value;
        else if (streq(member, "setShort"))
                short_name = value;
        else if (streq(member, "setDescription"))
                description = value;
        else if (streq(member, "setType"))
                type = value;
        r = ipset_from_parts(s->name, version, short_name, description, type, &options, &entries, &changed, error);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return ipset_request(c, m, IPSET_UPDATE, s->name, TAKE_PTR(changed), NULL, NULL, true, &answer_config, error);
}

/* name, filename, path; builtin and default: nftbus ships no ipsets */
static int property_get(sd_bus *bus _unused_, const char *path, const char *interface _unused_, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *text = NULL;
        Context *c = userdata;
        const IPSet *s = path_ipset(c, path);

        if (!s)
                return fwd_error(error, "INVALID_IPSET", "%s", path);
        if (streq(property, "name"))
                return sd_bus_message_append(reply, "s", s->name);
        if (streq(property, "builtin") || streq(property, "default"))
                return sd_bus_message_append(reply, "b", false);
        if (streq(property, "filename"))
                return asprintf(&text, "%s%s", s->name, zones_file_suffix(c->zones, ".ipset")) < 0
                               ? -ENOMEM
                               : sd_bus_message_append(reply, "s", text);
        return asprintf(&text, "%s/ipsets", zones_files_directory(c->zones)) < 0
                       ? -ENOMEM
                       : sd_bus_message_append(reply, "s", text);
}

const FwdMember fwd_config_ipset_members[] = {
        { FWD_EVERY_PROPERTY, .get = property_get },
        { "getSettings", method_read },
        { "update", method_update },
        { "remove", method_lifecycle },
        { "rename", method_lifecycle },
        { "getVersion", method_get_field },
        { "setVersion", method_set_field },
        { "getShort", method_get_field },
        { "setShort", method_set_field },
        { "getDescription", method_get_field },
        { "setDescription", method_set_field },
        { "getType", method_get_field },
        { "setType", method_set_field },
        { "getOptions", method_get_field },
        { "setOptions", method_set_field },
        { "addOption", method_set_field },
        { "removeOption", method_set_field },
        { "queryOption", method_set_field },
        { "getEntries", method_read },
        { "setEntries", method_set_entries },
        { "addEntry", method_entry },
        { "removeEntry", method_entry },
        { "queryEntry", method_entry },
        {},
};

int fwd_ipset_register(Context *c)
{
        return fwd_register_numbered(c, FWD_KIND_IPSET, FWD_CONFIG_IPSET_INTERFACE, fwd_config_ipset_vtable);
}
