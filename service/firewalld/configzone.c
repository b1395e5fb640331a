/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's permanent zones: org.fedoraproject.FirewallD1.config.zone on each zone's object,
 * /org/fedoraproject/FirewallD1/config/zone/N (N: its number, given once: firewalld/shared.c), and
 * config's addZone2. The lists' and settings' methods runtime zones share are zonecalls.c's; here, what only the
 * permanent configuration has: the target by firewalld's names, a zone made, removed, renamed or reset to what
 * nftbus ships, its version, short name and description, a whole list set at once. Each is a permanent change of
 * nftbus's zones (the zone's file in /etc/nftbus/zones), told by the object's Updated (Removed, Renamed) and
 * config's ZoneAdded. */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/polkit.h"
#include "common/util.h"
#include "common/validate.h"
#include "firewalld/firewalld.h"
#include "state/zones.h"
#include "zones/engine.h"

/* getTarget(), setTarget(s) of the permanent zone: firewalld's names of targets */
static int method_config_target(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *target = NULL;
        const Zone *z;
        int t = 0, r;

        r = fwd_call_zone(c, m, NULL, &z, error);
        if (r >= 0 && streq(sd_bus_message_get_member(m), "setTarget"))
                r = sd_bus_message_read(m, "s", &target);
        if (r < 0)
                return r;
        if (target && (t = fwd_target_from_string(target)) < 0) {
                _cleanup_free_ char *shown = escape_for_message(target);
                return fwd_error(error, "INVALID_TARGET", "%s", strempty(shown));
        }
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (!target)
                return sd_bus_reply_method_return(m, "s", fwd_target_to_string(z->target));
        return zone_setting_request(c, m, "Target", z->name, zone_target_name((ZoneTarget) t, false), true,
                                    &fwd_updated, error);
}

static int property_get(sd_bus *bus _unused_, const char *path, const char *interface _unused_, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const Zone *z = fwd_path_zone(c, path);

        if (!z)
                return fwd_error(error, "INVALID_ZONE", "%s", path);
        if (streq(property, "name"))
                return sd_bus_message_append(reply, "s", z->name);
        if (streq(property, "builtin") || streq(property, "default"))
                return sd_bus_message_append(reply, "b", zones_default_zone(c->zones, z->name) != NULL);
        if (streq(property, "filename")) {
                char file[POLICY_NAME_MAX + 8];
                snprintf(file, sizeof(file), "%s%s", z->name, zones_file_suffix(c->zones, ".zone"));
                return sd_bus_message_append(reply, "s", file);
        }
        _cleanup_free_ char *dir = NULL;
        if (asprintf(&dir, "%s/zones", zones_files_directory(c->zones)) < 0)
                return -ENOMEM;
        return sd_bus_message_append(reply, "s", dir);
}

/* ---- zones made, removed, renamed, reset ---- */

/* addZone2's reply: the new zone's object, and config's ZoneAdded(name) */
static int reply_added(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object)
{
        return fwd_reply_added(c, m, FWD_KIND_ZONE, object + strlen("zone "), "ZoneAdded");
}

/* remove's and rename's reply: the object's Removed(name) or Renamed(new name) */
static int reply_lifecycle(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object)
{
        const char *member = sd_bus_message_get_member(m), *name = object + strlen("zone ");
        int r = sd_bus_reply_method_return(m, NULL);

        if (streq(member, "rename") && sd_bus_message_rewind(m, true) >= 0 && sd_bus_message_read(m, "s", &name) >= 0)
                fwd_object_renamed(sd_bus_message_get_path(m), name); /* the path is the renamed zone's still */
        (void) sd_bus_emit_signal(c->bus, sd_bus_message_get_path(m), FWD_CONFIG_ZONE_INTERFACE,
                                  streq(member, "remove") ? "Removed" : "Renamed", "s", name);
        return r;
}

static const ZoneAnswer answer_added = { reply_added, fwd_map_error },
                        answer_lifecycle = { reply_lifecycle, fwd_map_error };

/* A new zone's name, as firewalld checks it: INVALID_NAME, or NAME_CONFLICT with a zone there (a built-in one
 * too). */
static int check_new_name(Context *c, const char *name, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        const char *slash = strchr(name, '/');
        size_t length = slash ? (size_t) (slash - name) : strlen(name);
        int r;

        /* firewalld's check_name(), in its words */
        if (!*name)
                return fwd_error(error, "INVALID_NAME", "name can't be empty");
        for (const char *p = name; *p; p++)
                if ((unsigned char) *p < 0x80 && !isalnum((unsigned char) *p) && !strchr("_-/", *p))
                        return fwd_error(error, "INVALID_NAME", "'%c' is not allowed in '%s'", *p, name);
        if (name[0] == '/' || (slash && (!slash[1] || strchr(slash + 1, '/'))))
                return fwd_error(error, "INVALID_NAME", "Zone '%s': name can't %s", name,
                                 name[0] == '/' ? "start with '/'" : "end with '/' or have more than one");
        if (length > ZONE_NAME_MAX)
                return fwd_error(error, "INVALID_NAME", "Zone '%s': name has %zu chars, max is %d", name, length,
                                 ZONE_NAME_MAX);
        /* and nftbus's, which a name of a chain and a file must pass */
        r = zone_check_name(name, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return fwd_error(error, "INVALID_NAME", "%s", strempty(why));
        if (zone_config_find(&c->zones->permanent, name) || zones_default_zone(c->zones, name))
                return fwd_error(error, "NAME_CONFLICT", "new_zone(): '%s'", name);
        return 0;
}

/* config's addZone2(name, settings) -> o: a zone of the settings given over a new one's (firewall-cmd's
 * --new-zone, Ansible's state present, libvirt's and podman's zones); addZone(name, tuple) the same, firewalld's first
 * form */
int fwd_method_add_zone(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(zone_freep) Zone *base = NULL, *z = NULL;
        Context *c = userdata;
        const char *name;
        int r = sd_bus_message_read(m, "s", &name);

        if (r >= 0)
                r = check_new_name(c, name, error);
        if (r < 0)
                return r;
        base = zone_new_custom(name);
        if (!base)
                return -ENOMEM;
        r = fwd_settings_tuple(m) ? fwd_zone_from_tuple(c, m, base, &z, error)
                                  : fwd_zone_from_settings(c, m, base, &z, error);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_create_request(c, m, TAKE_PTR(z), true, &answer_added, error);
}

/* remove(), rename(name) of a custom zone (firewalld's BUILTIN_ZONE for a built-in one); loadDefaults() of a
 * built-in one (NO_DEFAULTS for a custom one): the zone as shipped (zones_default_zone()), without the interfaces
 * and sources the admin bound */
static int method_lifecycle(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *name = NULL;
        bool defaults = streq(member, "loadDefaults");
        const Zone *z;
        Zone *copy;
        int r = fwd_call_zone(c, m, NULL, &z, error);

        if (r >= 0 && streq(member, "rename"))
                r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        const Zone *shipped = zones_default_zone(c->zones, z->name);
        if (defaults && !shipped)
                return fwd_error(error, "NO_DEFAULTS", "'%s' not a built-in zone", z->name);
        if (!defaults && shipped)
                return fwd_error(error, "BUILTIN_ZONE", "'%s' is built-in zone", z->name);
        if (name && (r = check_new_name(c, name, error)) < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (name)
                return zone_rename_request(c, m, z->name, name, true, &answer_lifecycle, error);
        if (!defaults)
                return zone_delete_request(c, m, z->name, true, &answer_lifecycle, error);
        copy = zone_copy(shipped);
        return copy ? zone_replace_request(c, m, copy, true, &fwd_updated, error) : -ENOMEM;
}

/* getVersion, getShort, getDescription ("" when none); setVersion(s), setShort(s), setDescription(s): one line
 * each in the zone's file */
static int method_text(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(zone_freep) Zone *copy = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *text = NULL, *field = member + strlen("get");
        bool set = startswith(member, "set");
        const Zone *z;
        char **slot;
        int r = fwd_call_zone(c, m, NULL, &z, error);

        if (r >= 0 && set)
                r = sd_bus_message_read(m, "s", &text);
        if (r < 0)
                return r;
        if (set && (strlen(text) > 1024 || validate_comment(text, NULL) < 0))
                return fwd_error(error, "INVALID_SETTING", "%s", field);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        copy = zone_copy(z);
        if (!copy)
                return -ENOMEM;
        slot = streq(field, "Version") ? &copy->version
               : streq(field, "Short") ? &copy->short_name
                                       : &copy->description;
        if (!set)
                return sd_bus_reply_method_return(m, "s", strempty(*slot));
        r = free_and_strdup(slot, *text ? text : NULL);
        return r < 0 ? r : zone_replace_request(c, m, TAKE_PTR(copy), true, &fwd_updated, error);
}

/* setMasquerade(b), setIcmpBlockInversion(b) */
static int method_set_flag(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const Zone *z;
        int on, r = fwd_call_zone(c, m, NULL, &z, error);

        if (r >= 0)
                r = sd_bus_message_read(m, "b", &on);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_setting_request(c, m, sd_bus_message_get_member(m) + strlen("set"), z->name, on ? "yes" : "no",
                                    true, &fwd_updated, error);
}

/* setServices(as), setPorts(a(ss)), ..., setRichRules(as): the whole list, each value checked as its add is */
static int method_set_list(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(zone_freep) Zone *copy = NULL;
        Context *c = userdata;
        const char *noun = sd_bus_message_get_member(m) + strlen("set");
        int k = -1, r;
        const Zone *z;

        for (ZoneListKind i = 0; i < _ZONE_LIST_MAX; i++)
                if (startswith(noun, zone_list_types[i].noun) && streq(noun + strlen(zone_list_types[i].noun), "s"))
                        k = (int) i;
        if (k < 0)
                return -EINVAL;
        r = fwd_call_zone(c, m, NULL, &z, error);
        if (r < 0)
                return r;
        copy = zone_copy(z);
        if (!copy)
                return -ENOMEM;
        r = fwd_read_list(c, m, (ZoneListKind) k, zone_list(copy, (ZoneListKind) k), error);
        if (r >= 0 && zone_list_ports((ZoneListKind) k))
                r = zone_ports_normalize(zone_list(copy, (ZoneListKind) k));
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_replace_request(c, m, TAKE_PTR(copy), true, &fwd_updated, error);
}

const FwdMember fwd_config_zone_members[] = {
        { FWD_EVERY_PROPERTY, .get = property_get },
        { "getSettings", fwd_method_zone_settings },
        { "getSettings2", fwd_method_zone_settings },
        { "update", fwd_method_zone_update },
        { "update2", fwd_method_zone_update },
        FWD_LIST_MEMBERS(fwd_method_list, "Service"),
        FWD_LIST_MEMBERS(fwd_method_list, "Port"),
        FWD_LIST_MEMBERS(fwd_method_list, "Protocol"),
        FWD_LIST_MEMBERS(fwd_method_list, "IcmpBlock"),
        FWD_LIST_MEMBERS(fwd_method_list, "ForwardPort"),
        FWD_LIST_MEMBERS(fwd_method_list, "Interface"),
        FWD_LIST_MEMBERS(fwd_method_list, "Source"),
        FWD_LIST_MEMBERS(fwd_method_list, "RichRule"),
        FWD_LIST_MEMBERS(fwd_method_list, "SourcePort"),
        { "getTarget", method_config_target },
        { "setTarget", method_config_target },
        { "addMasquerade", fwd_method_flag },
        { "removeMasquerade", fwd_method_flag },
        { "queryMasquerade", fwd_method_flag },
        { "getMasquerade", fwd_method_flag },
        { "setMasquerade", method_set_flag },
        { "addIcmpBlockInversion", fwd_method_flag },
        { "removeIcmpBlockInversion", fwd_method_flag },
        { "queryIcmpBlockInversion", fwd_method_flag },
        { "getIcmpBlockInversion", fwd_method_flag },
        { "setIcmpBlockInversion", method_set_flag },
        { "remove", method_lifecycle },
        { "rename", method_lifecycle },
        { "loadDefaults", method_lifecycle },
        { "getVersion", method_text },
        { "setVersion", method_text },
        { "getShort", method_text },
        { "setShort", method_text },
        { "getDescription", method_text },
        { "setDescription", method_text },
        { "setServices", method_set_list },
        { "setPorts", method_set_list },
        { "setProtocols", method_set_list },
        { "setIcmpBlocks", method_set_list },
        { "setForwardPorts", method_set_list },
        { "setInterfaces", method_set_list },
        { "setSources", method_set_list },
        { "setRichRules", method_set_list },
        { "setSourcePorts", method_set_list },
        {},
};

int fwd_config_zone_register(Context *c)
{
        return fwd_register_numbered(c, FWD_KIND_ZONE, FWD_CONFIG_ZONE_INTERFACE, fwd_config_zone_vtable);
}
