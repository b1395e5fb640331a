/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Zone on /org/nftbus/Firewall1/zone/NAME, and the zone methods of the Manager: the
 * zones of state/zones.h on the bus. A change is runtime unless its option permanent says otherwise: a
 * runtime change is made on a copy of the runtime configuration, sent as one transaction (the whole
 * nftbus_zones table) and kept only when the kernel took it; a permanent change writes the zone's file.
 * Zone changes run one after the other (zone_jobs), each on the result of the one before. */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bus/call.h"
#include "bus/options.h"
#include "bus/tablejob.h"
#include "bus/zone.h"
#include "common/errors.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"
#include "context.h"
#include "log.h"
#include "spec/mirror.h"
#include "spec/presetspec.h"
#include "state/zones.h"

#define ZONES_PATH NFTBUS_PATH "/zone"
#define ZONE_INTERFACE NFTBUS_INTERFACE_PREFIX "Zone"

/* ---- the queue of changes ---- */

typedef struct ZoneJob ZoneJob;

/* A change: applied to a copy of the configuration it is for, then, for the runtime one, sent. */
typedef int (*zone_change_t)(Zones *z, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error);

struct ZoneJob {
        ZoneJob *next;
        Context *context;
        sd_bus_message *message;
        zone_change_t change;
        char *zone;  /* the zone it is about, or NULL */
        char *what;  /* the method's member or the setting's name */
        char *value; /* canonical */
        bool permanent;
        ZoneConfig pending; /* the runtime configuration the transaction makes */
        bool enable, set_enabled, set_panic, panic;
        bool enable_as_permanent; /* Reload: on or off as the files, just read, say */
        /* another front door's reply (firewalld's API: the zone's name) and errors (its exception) */
        call_reply_t on_success;
        int (*map_error)(const sd_bus_error *e, sd_bus_error *ret);
        Zone *replacement; /* change_replace()'s */
        char *from;        /* ChangeInterface, ChangeSource: the zone polkit was asked about, which it leaves */
        bool full;         /* the whole table anew, not element by element (Reload; a refused update) */
        bool sent_update;  /* what was sent was an update element by element */
        /* SetDefaultZone at runtime, which changes the permanent default zone too: the one it replaced, to put
         * back when the kernel refuses the runtime change */
        char *default_before;
};

static ZoneJob *zone_job_free(ZoneJob *j)
{
        if (!j)
                return NULL;
        sd_bus_message_unref(j->message);
        free(j->zone);
        free(j->what);
        free(j->value);
        free(j->from);
        free(j->default_before);
        zone_free(j->replacement);
        zone_config_done(&j->pending);
        free(j);
        return NULL;
}

static void zone_jobs_next(Context *c);
static int change_reload(Zones *zones, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error);
static int change_default_zone(Zones *zones, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error);

static int zone_path(const char *name, char **ret);

/* ZonesState as the Manager says it: off (no zone filters, as configured), running (the configuration in force
 * as it is), failed (what is in force is not all the configuration asks for: ZonesError says why). */
const char *zones_state(const Context *c)
{
        if (c->zones_error)
                return "failed";
        return c->zones->enabled || c->zones->panic ? "running" : "off";
}

/* What is amiss with the zones in force (NULL: nothing), logged and signalled. */
_printf_(2, 3) void zones_set_error(Context *c, const char *fmt, ...)
{
        char *text = NULL;
        va_list ap;

        if (fmt) {
                va_start(ap, fmt);
                if (vasprintf(&text, fmt, ap) < 0)
                        text = NULL;
                va_end(ap);
                log_error("%s", strempty(text));
        }
        if (streq_ptr(text, c->zones_error) || (!text && !c->zones_error)) {
                free(text);
                return;
        }
        free(c->zones_error);
        c->zones_error = text;
        if (c->bus)
                (void) sd_bus_emit_properties_changed(c->bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ZonesError",
                                                      "ZonesState", NULL);
}

/* The signals of a change that is done: the zones added and removed (ObjectManager), the properties of the
 * zones that changed, the Manager's that changed. "before" is the runtime configuration before it. */
static void emit_changes(Context *c, const ZoneConfig *before, const ZoneConfig *after, bool enabled_before,
                         bool panic_before)
{
        const char *manager[5] = {};
        size_t n = 0;

        for (size_t i = 0; i < before->n_zones; i++) {
                _cleanup_free_ char *path = NULL, *a = NULL, *b = NULL;
                const Zone *now = zone_config_find(after, before->zones[i]->name);
                if (zone_path(before->zones[i]->name, &path) < 0)
                        continue;
                if (!now) {
                        (void) sd_bus_emit_object_removed(c->bus, path);
                        continue;
                }
                if (zone_format(before->zones[i], &b) >= 0 && zone_format(now, &a) >= 0 && !streq(a, b))
                        (void) sd_bus_emit_properties_changed_strv(c->bus, path, ZONE_INTERFACE, NULL);
        }
        for (size_t i = 0; i < after->n_zones; i++) {
                _cleanup_free_ char *path = NULL;
                if (!zone_config_find(before, after->zones[i]->name) && zone_path(after->zones[i]->name, &path) >= 0)
                        (void) sd_bus_emit_object_added(c->bus, path);
        }
        if (!streq(before->default_zone, after->default_zone))
                manager[n++] = "DefaultZone";
        if (enabled_before != c->zones->enabled)
                manager[n++] = "ZonesEnabled";
        if (panic_before != c->zones->panic)
                manager[n++] = "Panic";
        if (n > 0 && !c->zones_error && (enabled_before || panic_before) != (c->zones->enabled || c->zones->panic))
                manager[n++] = "ZonesState";
        if (n > 0)
                (void) sd_bus_emit_properties_changed_strv(c->bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE,
                                                           (char **) manager);
}

static void job_reply_error(ZoneJob *j, const sd_bus_error *error)
{
        _cleanup_(sd_bus_error_free) sd_bus_error mapped = SD_BUS_ERROR_NULL;

        if (j->map_error) {
                (void) j->map_error(error, &mapped); /* it returns the negative errno of what it set */
                if (sd_bus_error_is_set(&mapped))
                        error = &mapped;
        }
        (void) sd_bus_reply_method_error(j->message, error);
}

/* the reply of a change that is done */
static int job_reply(Context *c, ZoneJob *j)
{
        _cleanup_free_ char *object = NULL;

        if (!j->on_success)
                return sd_bus_reply_method_return(j->message, NULL);
        if (asprintf(&object, "zone %s", strempty(j->zone)) < 0)
                return -ENOMEM;
        return j->on_success(c, j->message, NULL, object);
}

static void job_reply_error(ZoneJob *j, const sd_bus_error *error);
static int zone_job_send(Context *c, ZoneJob *j, sd_bus_error *error);

/* The kernel's ruleset generation after a zone transaction of nftbusd's: while it has not moved, the table is
 * what nftbusd put there, and a change can be sent element by element. */
static void zones_note_generation(Context *c, bool known)
{
        c->zones_generation_known = known && monitor_generation(c->monitor, &c->zones_generation) >= 0;
}

/* Whether the zones' table is what the last zone transaction left: nobody (nft, another tool, a call of
 * nftbus's own on the table's objects) has committed anything since. */
static bool zones_table_current(Context *c)
{
        uint32_t now;

        return c->zones_generation_known && monitor_generation(c->monitor, &now) >= 0 && now == c->zones_generation;
}

static void job_done(Context *c, ZoneJob *j)
{
        Zones *z = c->zones;
        ZoneConfig before = z->runtime;
        bool enabled = z->enabled, panic = z->panic;

        z->runtime = j->pending;
        j->pending = (ZoneConfig){};
        if (j->set_enabled)
                z->enabled = j->enable;
        if (j->set_panic)
                z->panic = j->panic;
        if (j->change == change_reload) /* the files as read are in force: nothing is amiss any more */
                zones_set_error(c, NULL);
        emit_changes(c, &before, &z->runtime, enabled, panic);
        zone_config_done(&before);
}

/* The permanent default zone as it was before j changed it (the kernel refused the runtime change). */
static void zone_default_restore(Context *c, ZoneJob *j)
{
        Zones *z = c->zones;
        _cleanup_free_ char *why = NULL;

        if (!j->default_before)
                return;
        snprintf(z->permanent.default_zone, sizeof(z->permanent.default_zone), "%s", j->default_before);
        if (zones_save(z, &z->permanent, false, &why) < 0)
                log_error("The permanent default zone could not be put back to %s: %s", j->default_before,
                          strempty(why));
}

static void job_finished(Context *c, void *userdata, const sd_bus_error *refusal)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        ZoneJob *j = userdata;

        zones_note_generation(c, !refusal);
        if (!refusal)
                job_done(c, j);
        else if (j->sent_update && !j->full) {
                /* the table was not what nftbusd last put there after all (changed by hand between the check and
                 * the commit): the whole of it anew, which repairs whatever was done to it */
                j->full = true;
                if (zone_job_send(c, j, &error) >= 0)
                        return;
                job_reply_error(j, &error);
        } else {
                zone_default_restore(c, j);
                if (j->change == change_reload)
                        zones_set_error(c,
                                        "nftables refused the permanent configuration; the running one stays in "
                                        "force: %s",
                                        strempty(refusal->message));
                job_reply_error(j, refusal);
        }
        c->zone_jobs = j->next;
        zone_job_free(j);
        zone_jobs_next(c);
}

/* The commands from what the table holds to the job's pending configuration, sent; the reply and
 * job_finished() follow. Element by element only when the table is what nftbusd last put there; else, and
 * for a reload, the whole table anew. Returns negative errno with error set when nothing was sent. */
static int zone_job_submit(Context *c, ZoneJob *j, const StrList *carried, sd_bus_error *error)
{
        Zones *z = c->zones;
        _cleanup_free_ char *text = NULL, *object = NULL;
        bool enabled = z->enabled, panic = z->panic;
        ZoneConfig current = z->runtime;
        int r;

        if (!j->full && enabled && !panic && !zones_table_current(c))
                j->full = true;
        if (j->set_enabled)
                z->enabled = j->enable;
        if (j->set_panic)
                z->panic = j->panic;
        z->runtime = j->pending;
        j->sent_update = enabled && !panic && !j->full && z->enabled && !z->panic;
        r = zones_ruleset_update(z, &current, enabled && !panic && !j->full, carried, &text);
        z->runtime = current;
        z->enabled = enabled;
        z->panic = panic;
        if (r < 0)
                return sd_bus_error_set_errnof(error, -r, "The zones' ruleset could not be made: %m");
        if (!*text) { /* nothing to send: done as it is */
                (void) job_reply(c, j);
                job_finished(c, j, NULL);
                return 0;
        }
        if (asprintf(&object, "zone %s", j->zone ? j->zone : "*") < 0)
                return -ENOMEM;
        return call_execute_text_finally(c, j->message, text, EXEC_NFT_SYNTAX, object, j->on_success, job_finished, j,
                                         error);
}

/* The table's listing is in (NULL: no table yet): the ipsets' elements, then the transaction. */
static void zone_job_listed(Context *c, sd_bus_message *m _unused_, json_t *listing, void *userdata)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(strlist_done) StrList carried = {};
        ZoneJob *j = userdata;
        json_t *item;
        size_t i;
        int r = 0;

        json_array_foreach (json_object_get(listing, "nftables"), i, item) {
                json_t *set = json_object_get(item, "set"), *e;
                const char *name = json_string_value(json_object_get(set, "name"));
                size_t k;
                if (!name || !startswith(name, "ipset_"))
                        continue;
                json_array_foreach (json_object_get(set, "elem"), k, e) {
                        _cleanup_free_ char *text = preset_element_text(e), *line = NULL;
                        if (!text || asprintf(&line, "%s\t%s", name, text) < 0 || strlist_add(&carried, line) < 0)
                                r = -ENOMEM;
                }
        }
        if (r >= 0)
                r = zone_job_submit(c, j, &carried, &error);
        else
                (void) sd_bus_error_set_errno(&error, r);
        if (r < 0) {
                job_reply_error(j, &error);
                c->zone_jobs = j->next;
                zone_job_free(j);
                zone_jobs_next(c);
        }
}

/* The transaction of a runtime change: the ipsets' contents are the kernel's, so a rebuild carries them, read
 * from the table first. Returns negative errno with error set when nothing was sent. */
static int zone_job_send(Context *c, ZoneJob *j, sd_bus_error *error)
{
        int r;

        if (!zone_config_has_ipsets(&j->pending))
                return zone_job_submit(c, j, NULL, error);
        r = table_job_enqueue(c, j->message, "inet", ZONE_TABLE, zone_job_listed, j, NULL);
        if (r < 0)
                return sd_bus_error_set_errnof(error, -r, "The zones' table could not be read: %m");
        return 0; /* zone_job_listed() goes on */
}

/* A permanent change: the new permanent configuration takes the place of the old one once its files are
 * written, every file it changes or none. */
static int zone_job_save(Context *c, ZoneJob *j, sd_bus_error *error)
{
        Zones *z = c->zones;
        ZoneConfig saved = z->permanent;
        _cleanup_free_ char *why = NULL;
        int r;

        z->permanent = j->pending;
        j->pending = (ZoneConfig){};
        r = zones_save(z, &saved, false, &why);
        if (r < 0) {
                zone_config_done(&z->permanent); /* the old one stays */
                z->permanent = saved;
                return sd_bus_error_set(error,
                                        r == -EINVAL  ? NFTBUS_ERROR_INVALID_ARGUMENT
                                        : r == -EFBIG ? NFTBUS_ERROR_TOO_LARGE
                                                      : SD_BUS_ERROR_FAILED,
                                        why ? why : strerror(-r));
        }
        zone_config_done(&saved);
        return 0;
}

/* SetDefaultZone at runtime: nftbus.conf's DefaultZone= too, written before the runtime transaction is sent
 * (job_finished() puts it back if the kernel refuses that). Not while the zones have failed (the permanent
 * configuration may be a stand-in over the admin's files), nor for a zone only the runtime has. */
static int zone_default_save(Context *c, ZoneJob *j, sd_bus_error *error)
{
        Zones *z = c->zones;
        _cleanup_free_ char *why = NULL;
        int r;

        if (c->zones_error || !zone_config_find(&z->permanent, j->value) || streq(z->permanent.default_zone, j->value))
                return 0;
        j->default_before = strdup(z->permanent.default_zone);
        if (!j->default_before)
                return -ENOMEM;
        snprintf(z->permanent.default_zone, sizeof(z->permanent.default_zone), "%s", j->value);
        r = zones_save(z, &z->permanent, false, &why);
        if (r < 0) {
                snprintf(z->permanent.default_zone, sizeof(z->permanent.default_zone), "%s", j->default_before);
                free(j->default_before);
                j->default_before = NULL;
                return sd_bus_error_setf(error, SD_BUS_ERROR_FAILED,
                                         "The permanent default zone could not be saved: %s",
                                         why ? why : strerror(-r));
        }
        return 0;
}

/* Runs the first job: the change on a copy, then the permanent files or the transaction. */
static void zone_jobs_next(Context *c)
{
        ZoneJob *j = c->zone_jobs;
        Zones *z = c->zones;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = 0;

        if (!j)
                return;
        /* a runtime change while the zones are off would say "done" and filter nothing */
        if (!j->permanent && j->change && j->change != change_reload && !z->enabled && !z->panic)
                r = sd_bus_error_setf(&error, NFTBUS_ERROR_ZONES_OFF,
                                      "Zones are off (nothing filters by zone): a runtime change would change "
                                      "nothing in force. Turn them on first, or change the permanent "
                                      "configuration");
        if (r >= 0)
                r = zone_config_copy(j->permanent ? &z->permanent : &z->runtime, &j->pending);
        if (r >= 0 && j->change)
                r = j->change(z, &j->pending, j, &error);
        if (r >= 0 && j->enable_as_permanent)
                j->enable = z->enabled_permanent;
        if (r >= 0 && j->change == change_default_zone && !j->permanent)
                r = zone_default_save(c, j, &error);
        if (r >= 0 && j->permanent) {
                r = zone_job_save(c, j, &error);
                if (r >= 0)
                        (void) job_reply(c, j);
        } else if (r >= 0) {
                r = zone_job_send(c, j, &error);
                if (r >= 0)
                        return; /* job_finished() goes on */
        }
        if (r < 0) {
                if (!sd_bus_error_is_set(&error))
                        (void) sd_bus_error_set_errno(&error, r);
                job_reply_error(j, &error);
        }
        c->zone_jobs = j->next;
        zone_job_free(j);
        zone_jobs_next(c);
}

/* A new job, not queued yet (zone_job_start() queues it). */
static ZoneJob *zone_job_new(Context *c, sd_bus_message *m, zone_change_t change, const char *zone, const char *what,
                             const char *value, bool permanent)
{
        ZoneJob *j = calloc(1, sizeof(ZoneJob));

        if (!j || (zone && !(j->zone = strdup(zone))) || (what && !(j->what = strdup(what))) ||
            (value && !(j->value = strdup(value))))
                return zone_job_free(j);
        j->context = c;
        j->message = sd_bus_message_ref(m);
        j->change = change;
        j->permanent = permanent;
        return j;
}

/* Queues j (taken); it runs at once when nothing else does. Returns 1: the reply comes later. */
static int zone_job_start(Context *c, ZoneJob *j)
{
        ZoneJob **tail;
        bool idle = !c->zone_jobs;

        if (!j)
                return -ENOMEM;
        for (tail = &c->zone_jobs; *tail; tail = &(*tail)->next)
                ;
        *tail = j;
        if (idle)
                zone_jobs_next(c);
        return 1;
}

/* ---- the changes ---- */

static Zone *config_zone(ZoneConfig *config, const char *name, sd_bus_error *error)
{
        Zone *z = zone_config_find(config, name);

        if (!z)
                (void) sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No zone %s", name);
        return z;
}

/* which list of a zone a method changes, and how */
typedef struct ListMethod {
        const char *member;
        size_t offset; /* of the StrList in Zone */
        bool add;
        bool move; /* ChangeInterface, ChangeSource: out of every other zone first */
} ListMethod;

#define LIST(member, field, add, move)                                                                                \
        {                                                                                                             \
                member, offsetof(Zone, field), add, move                                                              \
        }
static const ListMethod list_methods[] = {
        LIST("AddInterface", interfaces, true, false),
        LIST("RemoveInterface", interfaces, false, false),
        LIST("ChangeInterface", interfaces, true, true),
        LIST("AddSource", sources, true, false),
        LIST("RemoveSource", sources, false, false),
        LIST("ChangeSource", sources, true, true),
        LIST("AddService", services, true, false),
        LIST("RemoveService", services, false, false),
        LIST("AddPort", ports, true, false),
        LIST("RemovePort", ports, false, false),
        LIST("AddProtocol", protocols, true, false),
        LIST("RemoveProtocol", protocols, false, false),
        LIST("AddForwardPort", forward_ports, true, false),
        LIST("RemoveForwardPort", forward_ports, false, false),
        LIST("AddIcmpBlock", icmp_blocks, true, false),
        LIST("RemoveIcmpBlock", icmp_blocks, false, false),
        LIST("AddRichRule", rich_rules, true, false),
        LIST("RemoveRichRule", rich_rules, false, false),
};

static const ListMethod *list_method(const char *member)
{
        for (size_t i = 0; i < ELEMENTSOF(list_methods); i++)
                if (streq(list_methods[i].member, member))
                        return &list_methods[i];
        return NULL;
}

static int change_list(Zones *zones _unused_, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        const ListMethod *lm = list_method(j->what);
        const char *zone = j->zone, *v = j->value;
        Zone *z = config_zone(config, zone, error);
        StrList *l;
        int r;

        if (!z || !lm)
                return -ENOENT;
        l = (StrList *) ((char *) z + lm->offset);
        if (lm->offset == offsetof(Zone, ports)) { /* ranges merged and broken as firewalld does */
                r = lm->add ? zone_ports_add(l, v) : zone_ports_remove(l, v);
                if (r == 0)
                        return sd_bus_error_setf(error, lm->add ? NFTBUS_ERROR_ALREADY_EXISTS : NFTBUS_ERROR_NOT_FOUND,
                                                 lm->add ? "Zone %s has %s already" : "Zone %s does not have %s", zone,
                                                 v);
                return r < 0 ? r : 0;
        }
        if (lm->add) {
                /* an interface or source is in one zone at a time */
                if (lm->offset == offsetof(Zone, interfaces) || lm->offset == offsetof(Zone, sources)) {
                        Zone *other = lm->offset == offsetof(Zone, interfaces)
                                              ? zone_config_zone_of_interface(config, v)
                                              : zone_config_zone_of_source(config, v);
                        if (other && other != z && !lm->move)
                                return sd_bus_error_setf(error, NFTBUS_ERROR_REJECTED,
                                                         "%s is in zone %s already: move it rather than add it", v,
                                                         other->name);
                        /* polkit was asked about the zone it leaves: it must still be that one */
                        if (lm->move && !streq_ptr(other && other != z ? other->name : NULL, j->from))
                                return sd_bus_error_setf(error, NFTBUS_ERROR_BUSY,
                                                         "%s moved to another zone meanwhile; try again", v);
                        if (other && other != z)
                                (void) strlist_remove((StrList *) ((char *) other + lm->offset), v);
                }
                r = strlist_add(l, v);
                if (r == 0 && !lm->move)
                        return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "Zone %s has %s already", zone,
                                                 v);
                return r < 0 ? r : 0;
        }
        if (strlist_remove(l, v) == 0)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "Zone %s does not have %s", zone, v);
        return 0;
}

/* what: Target, Masquerade or Description */
static int change_setting(Zones *zones _unused_, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        const char *what = j->what, *v = j->value;
        Zone *z = config_zone(config, j->zone, error);

        if (!z)
                return -ENOENT;
        if (streq(what, "Target"))
                z->target = (ZoneTarget) zone_target_from_string(v);
        else if (streq(what, "Masquerade"))
                z->masquerade = streq(v, "yes");
        else if (streq(what, "Forward"))
                z->forward = streq(v, "yes");
        else if (streq(what, "Description")) {
                free(z->description);
                if (!(z->description = strdup(v)))
                        return -ENOMEM;
        }
        return 0;
}

/* the zone as a whole, in place of the one of its name; its interfaces and sources in no other zone */
static int change_replace(Zones *zones _unused_, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        const Zone *r = j->replacement;
        Zone *copy;

        if (!config_zone(config, r->name, error))
                return -ENOENT;
        for (size_t i = 0; i < r->interfaces.n; i++) {
                const Zone *other = zone_config_zone_of_interface(config, r->interfaces.items[i]);
                if (other && !streq(other->name, r->name))
                        return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "%s is in zone %s already",
                                                 r->interfaces.items[i], other->name);
        }
        for (size_t i = 0; i < r->sources.n; i++) {
                const Zone *other = zone_config_zone_of_source(config, r->sources.items[i]);
                if (other && !streq(other->name, r->name))
                        return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "%s is in zone %s already",
                                                 r->sources.items[i], other->name);
        }
        copy = zone_copy(r);
        if (!copy)
                return -ENOMEM;
        return zone_config_replace(config, copy);
}

static int change_default_zone(Zones *zones _unused_, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        if (!config_zone(config, j->value, error))
                return -ENOENT;
        snprintf(config->default_zone, sizeof(config->default_zone), "%s", j->value);
        return 0;
}

static int change_add_zone(Zones *zones _unused_, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        const char *zone = j->zone;
        int r = zone_config_add(config, zone, NULL);

        if (r == -EEXIST)
                return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "Zone %s exists already", zone);
        return r;
}

static int change_delete_zone(Zones *zones _unused_, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        const char *zone = j->zone;

        if (zone_is_builtin(zone))
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                         "Zone %s is built in: it can be changed, not deleted", zone);
        if (streq(config->default_zone, zone))
                return sd_bus_error_setf(error, NFTBUS_ERROR_REJECTED,
                                         "Zone %s is the default zone: make another the default first", zone);
        if (zone_config_remove(config, zone) < 0)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No zone %s", zone);
        return 0;
}

/* Reload: the runtime becomes the permanent one (read again from the files) */
static int change_reload(Zones *zones, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        _cleanup_free_ char *problems = NULL, *warnings = NULL;
        Zones *fresh = NULL;
        int r = zones_load(&fresh, &problems, &warnings);

        if (r < 0)
                return r;
        if (warnings)
                log_warning("%s", warnings);
        if (problems) {
                zones_free(fresh);
                zones_set_error(j->context, "The permanent configuration is refused, the running one stays: %s",
                                problems);
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                         "The permanent configuration is refused, the running one stays: %s",
                                         problems);
        }
        /* the files as read now are the permanent configuration */
        zone_config_done(&zones->permanent);
        zones->permanent = fresh->permanent;
        fresh->permanent = (ZoneConfig){};
        catalogue_done(&zones->services);
        zones->services = fresh->services;
        fresh->services = (ServiceCatalogue){};
        zones->enabled_permanent = fresh->enabled_permanent;
        zones_free(fresh);
        zone_config_done(config);
        return zone_config_copy(&zones->permanent, config);
}

/* ---- method glue ---- */

static int read_permanent(sd_bus_message *m, int *ret, sd_bus_error *error)
{
        *ret = 0;
        return options_read(m, (const OptionSpec[]){ { "permanent", "b", ret }, {} }, error);
}

static int zone_polkit(Context *c, sd_bus_message *m, const char *zone, const char *interface, sd_bus_error *error)
{
        return polkit_check(c->polkit, m,
                            interface ? (const char *const[]){ "zone", zone, "interface", interface, NULL }
                                      : (const char *const[]){ "zone", zone, NULL },
                            error);
}

/* What a change is the business of, as polkit is told: the zone it changes, the zone an interface or source
 * leaves (asked about too: a grant for the zone it goes to is no grant to take it out of another), and "*"
 * for what reaches past one zone: a source that covers every address, a target that accepts everything. */
static int zone_polkit_change(Context *c, sd_bus_message *m, const char *zone, const char *from, const char *key,
                              const char *value, sd_bus_error *error)
{
        const char *const to_details[] = { "zone", zone, key, value, NULL };
        const char *const from_details[] = { "zone", strempty(from), key, value, NULL };
        const PolkitCheck checks[] = { { NULL, to_details }, { NULL, from_details } };

        return polkit_check_many(c->polkit, m, checks, from ? 2 : 1, error);
}

/* A source of every address of a family (0.0.0.0/0, ::/0): the business of every zone. */
static bool source_covers_all(const char *canonical)
{
        const char *slash = strrchr(canonical, '/');
        return slash && streq(slash, "/0");
}

/* The zone an interface or source is in now, when it is not zone (NULL: none, or zone itself). */
static const char *zone_left(Context *c, const ListMethod *lm, const char *zone, const char *value, bool permanent)
{
        const ZoneConfig *config = permanent ? &c->zones->permanent : &c->zones->runtime;
        const Zone *other = !lm->move                                  ? NULL
                            : lm->offset == offsetof(Zone, interfaces) ? zone_config_zone_of_interface(config, value)
                            : lm->offset == offsetof(Zone, sources)    ? zone_config_zone_of_source(config, value)
                                                                       : NULL;

        return other && !streq(other->name, zone) ? other->name : NULL;
}

/* The zone of the object path, from the runtime or the permanent configuration. */
static const Zone *zone_of_path(Context *c, const char *path, bool *ret_runtime)
{
        _cleanup_free_ char *name = NULL;
        const Zone *z;

        if (!c->zones || sd_bus_path_decode(path, ZONES_PATH, &name) <= 0)
                return NULL;
        z = zone_config_find(&c->zones->runtime, name);
        if (ret_runtime)
                *ret_runtime = z != NULL;
        return z ? z : zone_config_find(&c->zones->permanent, name);
}

static int check_value(const ListMethod *lm, const char *value, char **ret_canonical, const Zones *zones,
                       sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL, *canonical = NULL;
        int r = 0;

        switch (lm->offset) {
        case offsetof(Zone, interfaces):
                r = validate_ifname(value, &why);
                break;
        case offsetof(Zone, sources):
                r = zone_check_zone_source(value, &canonical, &why);
                break;
        case offsetof(Zone, services):
                if (!catalogue_find(&zones->services, value)) {
                        _cleanup_free_ char *shown = escape_for_message(value);
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                                 "Unknown service '%s': not in the catalogue of services",
                                                 strempty(shown));
                }
                break;
        case offsetof(Zone, ports):
                r = zone_check_port(value, &canonical, &why);
                break;
        case offsetof(Zone, protocols):
                r = zone_check_protocol(value, &why);
                break;
        case offsetof(Zone, forward_ports):
                r = zone_check_forward_port(value, &canonical, &why);
                break;
        case offsetof(Zone, rich_rules):
                r = zone_check_rich_rule(value, &canonical, &why);
                break;
        default:
                r = zone_check_icmp_type(value, &why);
                break;
        }
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return call_invalid(error, why);
        *ret_canonical = canonical ? TAKE_PTR(canonical) : strdup(value);
        return *ret_canonical ? 0 : -ENOMEM;
}

static int method_list_change(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const ListMethod *lm = list_method(sd_bus_message_get_member(m));
        _cleanup_free_ char *canonical = NULL, *name = NULL;
        const char *value;
        int permanent, r;

        if (!lm || sd_bus_path_decode(sd_bus_message_get_path(m), ZONES_PATH, &name) <= 0)
                return -EINVAL;
        r = sd_bus_message_read(m, "s", &value);
        if (r >= 0)
                r = read_permanent(m, &permanent, error);
        if (r < 0)
                return r;
        r = check_value(lm, value, &canonical, c->zones, error);
        if (r < 0)
                return r;
        const char *from = zone_left(c, lm, name, canonical, permanent);
        bool interface = lm->offset == offsetof(Zone, interfaces), source = lm->offset == offsetof(Zone, sources);
        r = zone_polkit_change(c, m, source && lm->add && source_covers_all(canonical) ? "*" : name, from,
                               interface ? "interface"
                               : source  ? "source"
                                         : NULL,
                               canonical, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        ZoneJob *j = zone_job_new(c, m, change_list, name, lm->member, canonical, permanent);
        if (j && from && !(j->from = strdup(from)))
                j = zone_job_free(j);
        return zone_job_start(c, j);
}

int zone_change_request(Context *c, sd_bus_message *m, const char *member, const char *zone, const char *value,
                        bool permanent, call_reply_t on_success,
                        int (*map_error)(const sd_bus_error *e, sd_bus_error *ret), sd_bus_error *error)
{
        const ListMethod *lm = list_method(member);
        _cleanup_free_ char *canonical = NULL;
        zone_change_t change = change_list;
        ZoneJob *j;
        int r;

        if (lm) {
                r = check_value(lm, value, &canonical, c->zones, error);
                if (r < 0)
                        return r;
        } else if (streq(member, "Masquerade") || streq(member, "Target"))
                change = change_setting;
        else if (streq(member, "DefaultZone"))
                change = change_default_zone;
        else
                return -EINVAL;
        j = zone_job_new(c, m, change, change == change_default_zone ? NULL : zone, member,
                         canonical ? canonical : value, permanent);
        if (!j)
                return -ENOMEM;
        /* firewalld's actions are not per zone: the zone it leaves is the one it is in now */
        const char *from = lm ? zone_left(c, lm, zone, canonical, permanent) : NULL;
        if (from && !(j->from = strdup(from))) {
                zone_job_free(j);
                return -ENOMEM;
        }
        j->on_success = on_success;
        j->map_error = map_error;
        return zone_job_start(c, j);
}

int zone_replace_request(Context *c, sd_bus_message *m, Zone *z, bool permanent, call_reply_t on_success,
                         int (*map_error)(const sd_bus_error *e, sd_bus_error *ret))
{
        ZoneJob *j = zone_job_new(c, m, change_replace, z->name, "Replace", NULL, permanent);

        if (!j) {
                zone_free(z);
                return -ENOMEM;
        }
        j->replacement = z;
        j->on_success = on_success;
        j->map_error = map_error;
        return zone_job_start(c, j);
}

int zone_switch_request(Context *c, sd_bus_message *m, bool panic, bool on, bool reload, call_reply_t on_success,
                        int (*map_error)(const sd_bus_error *e, sd_bus_error *ret))
{
        ZoneJob *j = zone_job_new(c, m, reload ? change_reload : NULL, NULL, NULL, NULL, false);

        if (j) {
                j->on_success = on_success;
                j->map_error = map_error;
        }
        if (j && reload) {
                j->set_enabled = true;
                j->enable_as_permanent = true;
                j->full = true; /* whatever was done to the table, it is made anew */
        } else if (j && panic) {
                j->set_panic = true;
                j->panic = on;
        } else if (j) {
                j->set_enabled = true;
                j->enable = on;
        }
        return zone_job_start(c, j);
}

/* SetTarget(s), SetMasquerade(b), SetDescription(s), SetForward(b) */
static int method_set(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *value = NULL;
        _cleanup_free_ char *name = NULL;
        int permanent, masquerade = 0, r;

        if (sd_bus_path_decode(sd_bus_message_get_path(m), ZONES_PATH, &name) <= 0)
                return -EINVAL;
        r = streq(member, "SetMasquerade") || streq(member, "SetForward") ? sd_bus_message_read(m, "b", &masquerade)
                                                                          : sd_bus_message_read(m, "s", &value);
        if (r >= 0)
                r = read_permanent(m, &permanent, error);
        if (r < 0)
                return r;
        if (streq(member, "SetTarget") && zone_target_from_string(value) < 0)
                return call_invalid(error, "Invalid target: default, accept, reject or drop");
        if (streq(member, "SetDescription") &&
            (strlen(value) > 1024 || strpbrk(value, "\n\r") || validate_comment(value, NULL) < 0) && strlen(value) > 0)
                return call_invalid(error, "Invalid description: one line of at most 1024 bytes, without control "
                                           "characters");
        /* a zone that accepts everything is no longer a zone's business alone */
        r = zone_polkit_change(c, m, streq(member, "SetTarget") && streq(value, "accept") ? "*" : name, NULL,
                               streq(member, "SetTarget") ? "target" : NULL, value, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_job_start(c, zone_job_new(c, m, change_setting, name, member + strlen("Set"),
                                              value        ? value
                                              : masquerade ? "yes"
                                                           : "no",
                                              permanent));
}

/* a list as nftbus's Zone shows it: sorted (firewalld's API shows the order added, bus/firewalld.c) */
static int append_strlist(sd_bus_message *reply, const StrList *l)
{
        int r = sd_bus_message_open_container(reply, 'a', "s");

        for (size_t i = 0; r >= 0 && i < l->n; i++)
                r = sd_bus_message_append_basic(reply, 's', strlist_sorted(l, i));
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* ---- Zone's properties, of the runtime configuration (of the permanent one for a zone only it has) ---- */

/* One of a zone's properties, by its name; -EINVAL for a name that is not one. */
static int append_zone_property(sd_bus_message *reply, const Zone *z, const char *property)
{
        const StrList *l = NULL;

        if (streq(property, "Name"))
                return sd_bus_message_append(reply, "s", z->name);
        if (streq(property, "Description"))
                return sd_bus_message_append(reply, "s", strempty(z->description));
        if (streq(property, "Target"))
                return sd_bus_message_append(reply, "s", zone_target_to_string(z->target));
        if (streq(property, "Masquerade"))
                return sd_bus_message_append(reply, "b", z->masquerade);
        if (streq(property, "Forward"))
                return sd_bus_message_append(reply, "b", z->forward);
        /* "Interfaces" is the list of "AddInterface", ... */
        for (size_t i = 0; i < ELEMENTSOF(list_methods); i++) {
                const char *noun = startswith(list_methods[i].member, "Add");
                if (noun && strlen(property) == strlen(noun) + 1 && strncmp(property, noun, strlen(noun)) == 0 &&
                    property[strlen(noun)] == 's')
                        l = (const StrList *) ((const char *) z + list_methods[i].offset);
        }
        if (!l)
                return -EINVAL;
        return append_strlist(reply, l);
}

static int property_get(sd_bus *bus _unused_, const char *path, const char *interface _unused_, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        const Zone *z = zone_of_path(userdata, path, NULL);

        if (!z)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "The zone is gone");
        return append_zone_property(reply, z, property);
}

/* GetPermanent(): the zone's properties as its file has them, by the same names */
static int method_get_permanent(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        static const struct {
                const char *name, *signature;
        } properties[] = {
                { "Name", "s" },       { "Description", "s" }, { "Target", "s" },        { "Masquerade", "b" },
                { "Forward", "b" },    { "Interfaces", "as" }, { "Sources", "as" },      { "Services", "as" },
                { "Ports", "as" },     { "Protocols", "as" },  { "ForwardPorts", "as" }, { "IcmpBlocks", "as" },
                { "RichRules", "as" },
        };
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *name = NULL;
        Context *c = userdata;
        const Zone *z;
        int r;

        if (sd_bus_path_decode(sd_bus_message_get_path(m), ZONES_PATH, &name) <= 0)
                return -EINVAL;
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        z = zone_config_find(&c->zones->permanent, name);
        if (!z)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND,
                                         "Zone %s has no permanent configuration (it "
                                         "runs only until a reload)",
                                         name);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "{sv}");
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(properties); i++) {
                r = sd_bus_message_open_container(reply, 'e', "sv");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "s", properties[i].name);
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'v', properties[i].signature);
                if (r >= 0)
                        r = append_zone_property(reply, z, properties[i].name);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r < 0 ? r : sd_bus_send(NULL, reply, NULL);
}

#define ZONE_LIST_METHOD(name)                                                                                        \
        SD_BUS_METHOD_WITH_ARGS(name, SD_BUS_ARGS("s", value, "a{sv}", options), SD_BUS_NO_RESULT,                    \
                                method_list_change, SD_BUS_VTABLE_UNPRIVILEGED)

static const sd_bus_vtable zone_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Name", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Description", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Target", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Masquerade", "b", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Forward", "b", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Interfaces", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Sources", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Services", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Ports", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Protocols", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("ForwardPorts", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("IcmpBlocks", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("RichRules", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD_WITH_ARGS("GetPermanent", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", settings), method_get_permanent,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        ZONE_LIST_METHOD("AddInterface"),
        ZONE_LIST_METHOD("RemoveInterface"),
        ZONE_LIST_METHOD("ChangeInterface"),
        ZONE_LIST_METHOD("AddSource"),
        ZONE_LIST_METHOD("RemoveSource"),
        ZONE_LIST_METHOD("ChangeSource"),
        ZONE_LIST_METHOD("AddService"),
        ZONE_LIST_METHOD("RemoveService"),
        ZONE_LIST_METHOD("AddPort"),
        ZONE_LIST_METHOD("RemovePort"),
        ZONE_LIST_METHOD("AddProtocol"),
        ZONE_LIST_METHOD("RemoveProtocol"),
        ZONE_LIST_METHOD("AddForwardPort"),
        ZONE_LIST_METHOD("RemoveForwardPort"),
        ZONE_LIST_METHOD("AddIcmpBlock"),
        ZONE_LIST_METHOD("RemoveIcmpBlock"),
        ZONE_LIST_METHOD("AddRichRule"),
        ZONE_LIST_METHOD("RemoveRichRule"),
        SD_BUS_METHOD_WITH_ARGS("SetTarget", SD_BUS_ARGS("s", target, "a{sv}", options), SD_BUS_NO_RESULT, method_set,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetMasquerade", SD_BUS_ARGS("b", masquerade, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_set, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetDescription", SD_BUS_ARGS("s", description, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_set, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetForward", SD_BUS_ARGS("b", forward, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_set, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

/* ---- the Manager's zone methods ---- */

static int zone_path(const char *name, char **ret)
{
        return sd_bus_path_encode(ZONES_PATH, name, ret);
}

static int method_list_zones(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const ZoneConfig *config = &c->zones->runtime;
        int r;

        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(so)");
        for (size_t i = 0; r >= 0 && i < config->n_zones; i++) {
                _cleanup_free_ char *path = NULL;
                r = zone_path(config->zones[i]->name, &path);
                if (r >= 0)
                        r = sd_bus_message_append(reply, "(so)", config->zones[i]->name, path);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r < 0 ? r : sd_bus_send(NULL, reply, NULL);
}

/* GetZoneOfInterface(s), GetZoneOfSource(s): the zone's path, or NotFound (an interface in no zone is in the
 * default zone: GetZoneOfInterface says so) */
static int method_zone_of(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        bool interface = streq(sd_bus_message_get_member(m), "GetZoneOfInterface");
        _cleanup_free_ char *canonical = NULL, *why = NULL, *path = NULL;
        const Zone *z;
        const char *value;
        int r;

        r = sd_bus_message_read(m, "s", &value);
        if (r < 0)
                return r;
        r = interface ? validate_ifname(value, &why) : zone_check_zone_source(value, &canonical, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return call_invalid(error, why);
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        z = interface ? zone_config_zone_of_interface(&c->zones->runtime, value)
                      : zone_config_zone_of_source(&c->zones->runtime, canonical);
        if (!z && interface)
                z = zone_config_find(&c->zones->runtime, c->zones->runtime.default_zone);
        if (!z)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "Source %s is bound to no zone", canonical);
        r = zone_path(z->name, &path);
        return r < 0 ? r : sd_bus_reply_method_return(m, "o", path);
}

static int method_zone_change(sd_bus_message *m, void *userdata, sd_bus_error *error, zone_change_t change,
                              bool check_name)
{
        Context *c = userdata;
        _cleanup_free_ char *why = NULL;
        const char *name;
        int permanent, r;

        r = sd_bus_message_read(m, "s", &name);
        if (r >= 0)
                r = read_permanent(m, &permanent, error);
        if (r < 0)
                return r;
        if (check_name && zone_check_name(name, &why) < 0)
                return call_invalid(error, why);
        /* the default zone is every unbound interface's: the business of every zone, not the one named */
        r = change == change_default_zone ? zone_polkit_change(c, m, "*", NULL, "default-zone", name, error)
                                          : zone_polkit(c, m, name, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_job_start(
                c, zone_job_new(c, m, change, change == change_default_zone ? NULL : name, NULL, name, permanent));
}

static int method_set_default_zone(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_zone_change(m, userdata, error, change_default_zone, true);
}

static int method_add_zone(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_zone_change(m, userdata, error, change_add_zone, true);
}

static int method_delete_zone(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_zone_change(m, userdata, error, change_delete_zone, true);
}

static int method_reload(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r;

        r = options_read(m, (const OptionSpec[]){ {} }, error);
        if (r < 0)
                return r;
        r = zone_polkit(c, m, "*", NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_switch_request(c, m, false, false, true, NULL, NULL); /* the enabled state of the files too */
}

/* RuntimeToPermanent: every zone's file and the settings written from the runtime configuration */
int zone_runtime_to_permanent(Context *c, sd_bus_error *error)
{
        Zones *z = c->zones;
        ZoneConfig saved = z->permanent;
        bool enabled_saved = z->enabled_permanent;
        _cleanup_free_ char *why = NULL;
        int r;

        if (c->zone_jobs)
                return sd_bus_error_setf(error, NFTBUS_ERROR_BUSY, "A zone change is running; try again");
        /* what runs is a stand-in for what the configuration asks (ZonesError): writing it would lose the
         * admin's configuration (firewalld refuses it too in its FAILED state) */
        if (c->zones_error)
                return sd_bus_error_setf(error, NFTBUS_ERROR_REJECTED,
                                         "The zones in force are not what the permanent configuration says (%s): "
                                         "mend the configuration and reload first",
                                         c->zones_error);
        r = zone_config_copy(&z->runtime, &z->permanent);
        if (r < 0)
                return r;
        z->enabled_permanent = z->enabled;
        r = zones_save(z, &saved, true, &why);
        if (r < 0) {
                zone_config_done(&z->permanent);
                z->permanent = saved;
                z->enabled_permanent = enabled_saved;
                return sd_bus_error_set(error, r == -EFBIG ? NFTBUS_ERROR_TOO_LARGE : SD_BUS_ERROR_FAILED,
                                        why ? why : strerror(-r));
        }
        zone_config_done(&saved);
        return 0;
}

static int method_runtime_to_permanent(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r;

        r = options_read(m, (const OptionSpec[]){ {} }, error);
        if (r < 0)
                return r;
        r = zone_polkit(c, m, "*", NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = zone_runtime_to_permanent(c, error);
        return r < 0 ? r : sd_bus_reply_method_return(m, NULL);
}

/* SetZonesEnabled(b, options), SetPanic(b): the table made or removed, or replaced by one that drops all */
static int method_switch(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        bool panic = streq(sd_bus_message_get_member(m), "SetPanic");
        int on, permanent = 0, r;

        r = sd_bus_message_read(m, "b", &on);
        if (r >= 0)
                r = panic ? options_read(m, (const OptionSpec[]){ {} }, error) : read_permanent(m, &permanent, error);
        if (r < 0)
                return r;
        r = zone_polkit(c, m, "*", NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (permanent) {
                _cleanup_free_ char *why = NULL;
                bool saved = c->zones->enabled_permanent;
                c->zones->enabled_permanent = on;
                r = zones_save(c->zones, &c->zones->permanent, false, &why);
                if (r < 0) {
                        c->zones->enabled_permanent = saved;
                        return sd_bus_error_set(error, SD_BUS_ERROR_FAILED, why ? why : strerror(-r));
                }
                return sd_bus_reply_method_return(m, NULL);
        }
        if (!panic && on) /* the presets that filter what zones filter would decide a second time (bus/preset.c) */
                for (size_t i = 0; i < presets_count; i++)
                        if (preset_zones_overlap(&presets[i]) &&
                            mirror_find_table(c->mirror, family_from_string("inet"), presets[i].table))
                                return sd_bus_error_setf(error, NFTBUS_ERROR_REJECTED,
                                                         "The %s preset's table %s filters %s; with zones on, both "
                                                         "would decide, and one would drop what the other allows. "
                                                         "Delete that table first, or leave zones off",
                                                         presets[i].name, presets[i].table,
                                                         preset_zones_overlap(&presets[i]));
        return zone_switch_request(c, m, panic, on, false, NULL, NULL);
}

static int method_list_services(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        int r;

        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "s");
        for (size_t i = 0; r >= 0 && i < c->zones->services.n; i++)
                r = sd_bus_message_append_basic(reply, 's', c->zones->services.services[i]->name);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r < 0 ? r : sd_bus_send(NULL, reply, NULL);
}

/* GetService(s) -> (description, ports, protocols, helpers, destinations) */
static int method_get_service(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const ServiceDef *s;
        const char *name;
        int r;

        r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        s = catalogue_find(&c->zones->services, name);
        if (!s) {
                _cleanup_free_ char *shown = escape_for_message(name);
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND,
                                         "Unknown service '%s': not in the catalogue of services", strempty(shown));
        }
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", strempty(s->description));
        if (r >= 0)
                r = append_strlist(reply, &s->ports);
        if (r >= 0)
                r = append_strlist(reply, &s->protocols);
        if (r >= 0)
                r = append_strlist(reply, &s->helpers);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "s");
        if (r >= 0 && s->destination_v4)
                r = sd_bus_message_append(reply, "s", s->destination_v4);
        if (r >= 0 && s->destination_v6)
                r = sd_bus_message_append(reply, "s", s->destination_v6);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r < 0 ? r : sd_bus_send(NULL, reply, NULL);
}

static int property_get_manager(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                                const char *property, sd_bus_message *reply, void *userdata,
                                sd_bus_error *error _unused_)
{
        Context *c = userdata;

        if (streq(property, "DefaultZone"))
                return sd_bus_message_append(reply, "s", c->zones->runtime.default_zone);
        if (streq(property, "ZonesEnabled"))
                return sd_bus_message_append(reply, "b", c->zones->enabled);
        if (streq(property, "Panic"))
                return sd_bus_message_append(reply, "b", c->zones->panic);
        if (streq(property, "ZonesState"))
                return sd_bus_message_append(reply, "s", zones_state(c));
        if (streq(property, "FirewallDAPI"))
                return sd_bus_message_append(reply, "s", firewalld_api_state(c));
        if (streq(property, "PermanentDefaultZone"))
                return sd_bus_message_append(reply, "s", c->zones->permanent.default_zone);
        return sd_bus_message_append(reply, "s", strempty(c->zones_error)); /* ZonesError */
}

static const sd_bus_vtable manager_zone_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("ZonesEnabled", "b", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("DefaultZone", "s", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Panic", "b", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("ZonesState", "s", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("ZonesError", "s", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("FirewallDAPI", "s", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("PermanentDefaultZone", "s", property_get_manager, 0, 0),
        SD_BUS_METHOD_WITH_ARGS("SetZonesEnabled", SD_BUS_ARGS("b", enabled, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_switch, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetPanic", SD_BUS_ARGS("b", panic, "a{sv}", options), SD_BUS_NO_RESULT, method_switch,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ListZones", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(so)", zones), method_list_zones,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetZoneOfInterface", SD_BUS_ARGS("s", interface), SD_BUS_RESULT("o", zone),
                                method_zone_of, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetZoneOfSource", SD_BUS_ARGS("s", source), SD_BUS_RESULT("o", zone), method_zone_of,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetDefaultZone", SD_BUS_ARGS("s", zone, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_set_default_zone, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddZone", SD_BUS_ARGS("s", zone, "a{sv}", options), SD_BUS_NO_RESULT, method_add_zone,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("DeleteZone", SD_BUS_ARGS("s", zone, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_delete_zone, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Reload", SD_BUS_ARGS("a{sv}", options), SD_BUS_NO_RESULT, method_reload,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("RuntimeToPermanent", SD_BUS_ARGS("a{sv}", options), SD_BUS_NO_RESULT,
                                method_runtime_to_permanent, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ListServices", SD_BUS_NO_ARGS, SD_BUS_RESULT("as", services), method_list_services,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS(
                "GetService", SD_BUS_ARGS("s", service),
                SD_BUS_RESULT("s", description, "as", ports, "as", protocols, "as", helpers, "as", destinations),
                method_get_service, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

void zone_jobs_free(Context *c)
{
        while (c->zone_jobs) {
                ZoneJob *j = c->zone_jobs;
                c->zone_jobs = j->next;
                zone_job_free(j);
        }
}

/* What GetManagedObjects costs for the zone objects, on the safe side: a zone's fixed part (its interface,
 * eleven property names and signatures, the standard interfaces, measured under 700 bytes) and each string
 * with its length, terminator and padding. */
size_t zones_objects_size_bound(const Context *c)
{
        const ZoneConfig *configs[2];
        size_t size = 0;

        if (!c->zones)
                return 0;
        configs[0] = &c->zones->runtime;
        configs[1] = &c->zones->permanent;
        for (size_t k = 0; k < ELEMENTSOF(configs); k++)
                for (size_t i = 0; i < configs[k]->n_zones; i++) {
                        const Zone *z = configs[k]->zones[i];
                        const StrList *lists[] = {
                                &z->interfaces, &z->sources,       &z->services,    &z->ports,
                                &z->protocols,  &z->forward_ports, &z->icmp_blocks, &z->rich_rules
                        };
                        if (k == 1 && zone_config_find(&c->zones->runtime, z->name))
                                continue;
                        size += 1024 + 3 * strlen(z->name) + strlen(ZONES_PATH) + strlen(strempty(z->description));
                        for (size_t l = 0; l < ELEMENTSOF(lists); l++)
                                for (size_t e = 0; e < lists[l]->n; e++)
                                        size += strlen(lists[l]->items[e]) + 8;
                }
        return size;
}

/* ---- registration and start ---- */

static int zone_find(sd_bus *bus _unused_, const char *path, const char *interface _unused_, void *userdata,
                     void **ret_found, sd_bus_error *error _unused_)
{
        Context *c = userdata;

        if (!zone_of_path(c, path, NULL))
                return 0;
        *ret_found = c;
        return 1;
}

static int zones_enumerate(sd_bus *bus _unused_, const char *path _unused_, void *userdata, char ***ret_nodes,
                           sd_bus_error *error _unused_)
{
        Context *c = userdata;
        const ZoneConfig *configs[] = { &c->zones->runtime, &c->zones->permanent };
        _cleanup_strv_free_ char **nodes = NULL;
        size_t n = 0;

        for (size_t k = 0; k < ELEMENTSOF(configs); k++)
                for (size_t i = 0; i < configs[k]->n_zones; i++) {
                        char *p = NULL;
                        if (k == 1 && zone_config_find(&c->zones->runtime, configs[k]->zones[i]->name))
                                continue;
                        if (zone_path(configs[k]->zones[i]->name, &p) < 0 || strv_push(&nodes, &n, p) < 0)
                                return -ENOMEM;
                }
        *ret_nodes = TAKE_PTR(nodes);
        return 0;
}

/* A call to /org/nftbus/Firewall1/zone/NAME for a NAME that is no zone: NotFound naming it, instead of sd-bus's
 * UnknownObject (introspection and Peer calls go on to sd-bus). */
static int unknown_zone(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const char *interface = sd_bus_message_get_interface(m);
        _cleanup_free_ char *name = NULL, *shown = NULL;

        if (!sd_bus_message_is_method_call(m, NULL, NULL) ||
            streq_ptr(interface, "org.freedesktop.DBus.Introspectable") ||
            streq_ptr(interface, "org.freedesktop.DBus.Peer") ||
            zone_of_path(userdata, sd_bus_message_get_path(m), NULL))
                return 0;
        if (sd_bus_path_decode(sd_bus_message_get_path(m), ZONES_PATH, &name) <= 0)
                return 0;
        shown = escape_for_message(name);
        return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No zone '%s'", strempty(shown));
}

int zone_register(Context *c)
{
        int r = sd_bus_add_fallback_vtable(c->bus, NULL, ZONES_PATH, ZONE_INTERFACE, zone_vtable, zone_find, c);

        if (r >= 0)
                r = sd_bus_add_fallback(c->bus, NULL, ZONES_PATH, unknown_zone, c);

        if (r >= 0)
                r = sd_bus_add_node_enumerator(c->bus, NULL, ZONES_PATH, zones_enumerate, c);
        if (r >= 0)
                r = sd_bus_add_object_vtable(c->bus, NULL, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, manager_zone_vtable,
                                             c);
        return r;
}

typedef struct ZonesStart {
        Context *context;
        void (*done)(Context *c);
        bool fallback; /* the built-in zones, after the kernel refused the configuration */
} ZonesStart;

static void on_zones_applied(int r, const ExecReply *reply, void *userdata);

static int zones_start_submit(ZonesStart *s)
{
        Context *c = s->context;
        _cleanup_free_ char *text = NULL;
        int r = zones_ruleset(c->zones, NULL, &text);
        size_t size;

        if (r < 0)
                return r;
        size = strlen(text);
        return executor_submit(c->executor, EXEC_NFT_SYNTAX, TAKE_PTR(text), size, on_zones_applied, s);
}

/* Fail closed: a configuration the kernel refuses leaves the built-in zones in force, default zone public,
 * and ZonesState failed saying why; never no table at all while the configuration turns zones on. */
static void on_zones_applied(int r, const ExecReply *reply, void *userdata)
{
        ZonesStart *s = userdata;
        Context *c = s->context;

        if (r >= 0 && reply->nft_rc == 0) {
                zones_note_generation(c, true);
                if (c->zones->enabled)
                        log_info("Zones in force, default zone %s", c->zones->runtime.default_zone);
        } else {
                _cleanup_free_ char *message = r < 0 ? NULL : nft_error_message(reply->error);
                ZoneConfig builtin = {};
                if (!s->fallback && c->zones->enabled && zone_config_builtin(&builtin) >= 0) {
                        zones_set_error(c,
                                        "nftables refused the zones' configuration in %s (%s): the built-in zones "
                                        "are in force instead, default zone %s",
                                        zones_config_directory(), message ? message : strerror(r < 0 ? -r : EIO),
                                        builtin.default_zone);
                        zone_config_done(&c->zones->runtime);
                        c->zones->runtime = builtin;
                        s->fallback = true;
                        if (zones_start_submit(s) >= 0)
                                return;
                }
                c->zones->enabled = false;
                zones_set_error(c, "nftables refused the zones' ruleset%s: %s; nothing filters by zone",
                                s->fallback ? ", the built-in zones' too" : "",
                                message ? message : strerror(r < 0 ? -r : EIO));
        }
        s->done(c);
        free(s);
}

void zones_start(Context *c, void (*done)(Context *c))
{
        _cleanup_free_ char *problems = NULL, *warnings = NULL;
        ZonesStart *s;
        int r = zones_load(&c->zones, &problems, &warnings);

        if (r < 0) {
                log_error_errno(r, "Failed to read the zones' configuration: %m");
                c->zones = calloc(1, sizeof(Zones));
                if (!c->zones || zone_config_builtin(&c->zones->permanent) < 0 ||
                    zone_config_copy(&c->zones->permanent, &c->zones->runtime) < 0)
                        log_error("Out of memory for the zones");
                return done(c);
        }
        if (warnings)
                log_warning("%s", warnings);
        /* a file that is refused costs its own contents; the rest is in force, and ZonesState says failed */
        if (problems)
                zones_set_error(c, "Parts of the zones' configuration in %s are refused; the rest is in force: %s",
                                zones_config_directory(), problems);
        s = calloc(1, sizeof(ZonesStart));
        if (!s)
                return done(c);
        *s = (ZonesStart){ c, done, false };
        /* zones off: a table a previous run left is taken away, so that what the Manager says is true */
        if (!c->zones->enabled && !mirror_find_table(c->mirror, family_from_string("inet"), ZONE_TABLE)) {
                free(s);
                return done(c);
        }
        r = zones_start_submit(s);
        if (r < 0) {
                log_error_errno(r, "Failed to put the zones in force: %m");
                free(s);
                done(c);
        }
}
