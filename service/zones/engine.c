/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The zone engine (zones/engine.h): the queue of zone changes, the changes themselves, the transaction or the
 * files that make each one real, the signals that tell of it, and the zones put in force at start. */

#include <errno.h>
#include <linux/netfilter.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bus/batchcommit.h"
#include "bus/call.h"
#include "bus/tablejob.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/validate.h"
#include "context.h"
#include "core/mirror.h"
#include "core/ipsetspec.h"
#include "core/presetspec.h"
#include "core/setelem.h"
#include "log.h"
#include "netlink/elembatch.h"
#include "state/zones.h"
#include "core/policyspec.h"
#include "zones/engine.h"
#include "core/rulebook.h"
#include "zones/timeouts.h"

/* ---- the queue of changes ---- */

typedef struct ZoneJob ZoneJob;

/* A change: applied to a copy of the configuration it is for, then, for the runtime one, sent. */
typedef int (*zone_change_t)(Zones *z, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error);

struct ZoneJob {
        ZoneJob *next;
        Context *context;
        sd_bus_message *message;
        zone_change_t change;
        char *zone;        /* the zone it is about, or NULL */
        ZoneListKind list; /* change_list()'s */
        ZoneListOp op;
        char *what;  /* change_setting()'s: Target, Masquerade, Forward or Description */
        char *value; /* canonical */
        bool permanent;
        ZoneConfig pending; /* the runtime configuration the transaction makes */
        bool enable, set_enabled, set_panic, panic;
        bool enable_as_permanent; /* Reload: on or off as the files, just read, say */
        ZoneAnswer answer;        /* another front door's reply (firewalld's API: the zone's name) and errors */
        Zone *replacement;        /* change_replace()'s; change_add_zone()'s settings */
        char *from;               /* ChangeInterface, ChangeSource: the zone polkit was asked about, which it leaves */
        bool full;                /* the whole table anew, not element by element (Reload; a refused update) */
        bool sent_update;         /* what was sent counted on the table being what nftbusd last made of it (an update
                                   * element by element, or a rebuild that keeps the ipsets' sets) */
        /* SetDefaultZone at runtime, which changes the permanent default zone too: the one it replaced, to put
         * back when the kernel refuses the runtime change */
        char *default_before;
        /* change_ipset()'s: what is done to the ipset named zone */
        IPSetOp ipset_op;
        IPSet *ipset;          /* IPSET_ADD's, IPSET_UPDATE's and IPSET_SETTINGS' settings */
        IPSetEntries *entries; /* the entries' changes' (checked and normalized; never NULL for them) */
        bool was_current;      /* an entries' change sent while the table was what nftbusd last put there */
        /* change_policy()'s: what is done to the policy named zone (to value, a new name), with policy's settings */
        PolicyOp policy_op;
        Policy *policy;
        /* the ipsets' sets filled before the transaction (ipsets_prefill()) */
        bool prefill_tried;
        IPSetList prefill;    /* to fill, then filled: the transaction keeps them */
        size_t prefill_next;  /* the next to fill */
        ZoneSkeleton applied; /* what the transaction makes of the table, when it goes by difference */
};

static ZoneJob *zone_job_free(ZoneJob *j)
{
        if (!j)
                return NULL;
        sd_bus_message_unref(j->message);
        FREE_MANY(j->zone, j->what, j->value, j->from, j->default_before);
        zone_free(j->replacement);
        zone_config_done(&j->pending);
        ipset_free(j->ipset);
        policy_free(j->policy);
        ipset_entries_unref(j->entries);
        ipset_list_done(&j->prefill);
        zone_skeleton_done(&j->applied);
        free(j);
        return NULL;
}

static void zone_jobs_next(Context *c);

/* The first job is over (answered): freed, and the next one runs. */
static void zone_job_end(Context *c, ZoneJob *j)
{
        c->zone_jobs = j->next;
        zone_job_free(j);
        zone_jobs_next(c);
}

static int change_ipset(Zones *zones, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error);
static int ipset_entries_send(Context *c, ZoneJob *j, sd_bus_error *error);
static int change_reload(Zones *zones, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error);
static int change_default_zone(Zones *zones, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error);

int zone_path(const char *name, char **ret)
{
        return sd_bus_path_encode(ZONES_PATH, name, ret);
}

int ipset_object_path(const char *name, char **ret)
{
        return sd_bus_path_encode(IPSETS_PATH, name, ret);
}

int policy_object_path(const char *name, char **ret)
{
        return sd_bus_path_encode(POLICIES_PATH, name, ret);
}

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
/* The IPSet objects' signals for a change of the runtime ipsets (one only the permanent configuration has stays
 * an object, showing that). */
static void emit_ipset_changes(Context *c, const IPSetList *before, const IPSetList *after)
{
        const IPSetList *permanent = &c->zones->permanent.ipsets;

        for (size_t i = 0; i < before->n; i++) {
                _cleanup_free_ char *path = NULL;
                const IPSet *then = before->items[i], *now = ipset_list_find(after, then->name);
                if (ipset_object_path(then->name, &path) < 0)
                        continue;
                if (!now && !ipset_list_find(permanent, then->name))
                        (void) sd_bus_emit_object_removed(c->bus, path);
                else if (!now || !ipset_equal(then, now))
                        (void) sd_bus_emit_properties_changed_strv(c->bus, path, IPSET_INTERFACE, NULL);
        }
        for (size_t i = 0; i < after->n; i++) {
                _cleanup_free_ char *path = NULL;
                const char *name = after->items[i]->name;
                if (ipset_list_find(before, name) || ipset_object_path(name, &path) < 0)
                        continue;
                if (ipset_list_find(permanent, name))
                        (void) sd_bus_emit_properties_changed_strv(c->bus, path, IPSET_INTERFACE, NULL);
                else
                        (void) sd_bus_emit_object_added(c->bus, path);
        }
}

/* The Zone interface's properties that differ between two versions of a zone, NULL-terminated into names: how
 * many. (Comparing the lists is cheaper than writing either zone out, with 10,000 rich rules.) */
#define ZONE_PROPERTIES_MAX 14

static size_t zone_changed_properties(const Zone *a, const Zone *b, const char *names[static ZONE_PROPERTIES_MAX + 1])
{
        static const struct {
                const char *name;
                size_t offset;
        } lists[] = {
                { "Interfaces", offsetof(Zone, interfaces) },    { "Sources", offsetof(Zone, sources) },
                { "Services", offsetof(Zone, services) },        { "Ports", offsetof(Zone, ports) },
                { "Protocols", offsetof(Zone, protocols) },      { "ForwardPorts", offsetof(Zone, forward_ports) },
                { "IcmpBlocks", offsetof(Zone, icmp_blocks) },   { "RichRules", offsetof(Zone, rich_rules) },
                { "SourcePorts", offsetof(Zone, source_ports) },
        };
        size_t n = 0;

        if (!streq_ptr(a->description, b->description))
                names[n++] = "Description";
        if (a->target != b->target)
                names[n++] = "Target";
        if (a->masquerade != b->masquerade)
                names[n++] = "Masquerade";
        if (a->forward != b->forward)
                names[n++] = "Forward";
        if (a->icmp_block_inversion != b->icmp_block_inversion)
                names[n++] = "IcmpBlockInversion";
        for (size_t i = 0; i < ELEMENTSOF(lists); i++)
                if (!strlist_equal((const StrList *) ((const char *) a + lists[i].offset),
                                   (const StrList *) ((const char *) b + lists[i].offset)))
                        names[n++] = lists[i].name;
        names[n] = NULL;
        return n;
}

static void emit_changes(Context *c, const ZoneConfig *before, const ZoneConfig *after, bool enabled_before,
                         bool panic_before)
{
        const char *manager[6] = {};
        size_t n = 0;

        for (size_t i = 0; i < before->n_zones; i++) {
                _cleanup_free_ char *path = NULL;
                const Zone *now = zone_config_find(after, before->zones[i]->name);
                const char *changed[ZONE_PROPERTIES_MAX + 1];
                if (zone_path(before->zones[i]->name, &path) < 0)
                        continue;
                if (!now) {
                        (void) sd_bus_emit_object_removed(c->bus, path);
                        continue;
                }
                if (zone_changed_properties(before->zones[i], now, changed) > 0)
                        (void) sd_bus_emit_properties_changed_strv(c->bus, path, ZONE_INTERFACE, (char **) changed);
        }
        for (size_t i = 0; i < after->n_zones; i++) {
                _cleanup_free_ char *path = NULL;
                if (!zone_config_find(before, after->zones[i]->name) && zone_path(after->zones[i]->name, &path) >= 0)
                        (void) sd_bus_emit_object_added(c->bus, path);
        }
        emit_ipset_changes(c, &before->ipsets, &after->ipsets);
        if (!streq(before->default_zone, after->default_zone))
                manager[n++] = "DefaultZone";
        if (before->log_denied != after->log_denied)
                manager[n++] = "LogDenied";
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

        if (j->answer.map_error) {
                (void) j->answer.map_error(error, &mapped); /* it returns the negative errno of what it set */
                if (sd_bus_error_is_set(&mapped))
                        error = &mapped;
        }
        (void) sd_bus_reply_method_error(j->message, error);
}

/* the reply of a change that is done */
static int job_reply(Context *c, ZoneJob *j)
{
        _cleanup_free_ char *object = NULL;

        if (!j->answer.on_success)
                return sd_bus_reply_method_return(j->message, NULL);
        if (asprintf(&object, "zone %s", strempty(j->zone)) < 0)
                return -ENOMEM;
        return j->answer.on_success(c, j->message, NULL, object);
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
        /* what the next change starts from: known when this one went by difference */
        zone_skeleton_done(&z->applied);
        z->applied = j->applied;
        j->applied = (ZoneSkeleton){};
        if (j->set_enabled)
                z->enabled = j->enable;
        if (j->set_panic)
                z->panic = j->panic;
        if (j->change == change_reload) /* the permanent configuration, without the additions that last a while */
                zone_timeouts_free(c);
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
        else if (j->sent_update) {
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
        zone_job_end(c, j);
}

/* The handles of a chain of the zones' table, as its change events said them (core/rulebook.h) */
static int zone_chain_handles(const char *chain, const uint64_t **ret, size_t *ret_n, void *userdata)
{
        Context *c = userdata;

        return rule_book_handles(c->zone_rule_book, chain, ret, ret_n);
}

/* The zones' table's change events: its rules' handles kept, for changes by difference */
void zones_kernel_message(Context *c, const NftMessage *msg)
{
        RuleBook *b = c->zone_rule_book;

        if (!b || msg->family != NFPROTO_INET || !msg->table || !streq(msg->table, ZONE_TABLE) || msg->dumped)
                return;
        switch (msg->kind) {
        case NFT_KIND_TABLE:
                if (msg->deleted)
                        rule_book_forget(b);
                break;
        case NFT_KIND_CHAIN:
                if (msg->deleted)
                        rule_book_chain_deleted(b, msg->name);
                else
                        rule_book_chain_added(b, msg->name);
                break;
        case NFT_KIND_RULE:
                if (msg->deleted)
                        rule_book_rule_deleted(b, msg->chain, msg->handle);
                else
                        rule_book_rule_added(b, msg->chain, msg->handle, msg->appended, msg->has_position,
                                             msg->position);
                break;
        default:
                break;
        }
}

void zones_kernel_messages_lost(Context *c)
{
        rule_book_forget(c->zone_rule_book);
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
        /* the table is what the last transaction left: its sets that stay as they are keep their elements */
        bool in_force = enabled && !panic && zones_table_current(c);
        int r;

        if (!in_force)
                j->full = true;
        if (j->set_enabled)
                z->enabled = j->enable;
        if (j->set_panic)
                z->panic = j->panic;
        z->runtime = j->pending;
        j->sent_update = in_force && z->enabled && !z->panic;
        /* the sets filled before are in the table as the pending configuration has them: the table is what
         * current and they make, and the transaction keeps them */
        _cleanup_(ipset_list_done) IPSetList table_ipsets = {};
        IPSetList runtime_ipsets = current.ipsets;
        r = j->prefill.n > 0 ? ipset_list_copy(&current.ipsets, &table_ipsets) : 0;
        for (size_t i = 0; r >= 0 && i < j->prefill.n; i++) {
                IPSet *copy = ipset_copy(j->prefill.items[i]);
                r = copy ? ipset_list_put(&table_ipsets, copy) : -ENOMEM;
        }
        if (j->prefill.n > 0)
                current.ipsets = table_ipsets;
        zone_skeleton_done(&j->applied);
        if (r >= 0)
                r = zones_ruleset_update(z, &current, in_force, j->full, carried, zone_chain_handles, c, &j->applied,
                                         &text);
        current.ipsets = runtime_ipsets;
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
        return call_execute(c, j->message,
                            &(CallRequest){ .text = text,
                                            .flags = EXEC_NFT_SYNTAX,
                                            .object = object,
                                            .on_success = j->answer.on_success,
                                            .finished = job_finished,
                                            .finished_userdata = j },
                            error);
}

/* The table's listing is in (NULL: no table yet): the elements of the ipsets with a timeout, then the
 * transaction. */
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
                zone_job_end(c, j);
        }
}

/* The transaction of a runtime change: the entries of ipsets with a timeout are the kernel's alone, so a rebuild
 * carries them, read from the table first. Returns negative errno with error set when nothing was sent. */
static int ipsets_prefill(Context *c, ZoneJob *j);
static int ipset_batch(const IPSet *s, bool deleting, ElemBatch **ret, SetShape *ret_shape);
static int ipset_batch_add(ElemBatch *batch, const SetShape *shape, const IPSet *s, const char *entry, char **ret_why);

static int zone_job_send(Context *c, ZoneJob *j, sd_bus_error *error)
{
        int r;

        if (!j->prefill_tried) {
                j->prefill_tried = true;
                r = ipsets_prefill(c, j);
                if (r != 0)
                        return r < 0 ? sd_bus_error_set_errno(error, r) : 0; /* ipsets_prefill() goes on */
        }
        /* a table as nftbusd made it keeps those sets (zone_ruleset_update()) */
        if (!zone_config_has_timeout_ipsets(&j->pending) || zones_table_current(c))
                return zone_job_submit(c, j, NULL, error);
        r = table_job_enqueue(c, j->message, "inet", ZONE_TABLE, zone_job_listed, j, NULL);
        if (r < 0)
                return sd_bus_error_set_errnof(error, -r, "The zones' table could not be read: %m");
        return 0; /* zone_job_listed() goes on */
}

/* ---- big ipsets filled before the transaction ----
 *
 * A set of a thousand entries or more that the transaction would send anew (a new ipset, or one whose entries
 * changed: a reload) is filled first through the kernel's netlink element messages, at the kernel's speed, then
 * kept by the transaction (zone_ruleset_update()): libnftables would take 20 s and 760 MB for a million. A new
 * set is made empty first (no rule names it yet); one that is there is emptied and filled in one batch. Whatever
 * fails here leaves the transaction to send them itself, as it would have. */

#define PREFILL_MIN 1024

static void prefill_done(Context *c, ZoneJob *j, bool ok)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;

        if (!ok) /* the transaction sends them itself */
                ipset_list_done(&j->prefill);
        if (zone_job_send(c, j, &error) >= 0)
                return;
        job_reply_error(j, &error);
        zone_job_end(c, j);
}

static void prefill_next(Context *c, ZoneJob *j);

static void prefill_filled(Context *c, int error, const ElemRefusal *refusal, size_t committed _unused_,
                           void *userdata)
{
        ZoneJob *j = userdata;
        bool ok = error == 0 && !refusal->error;

        zones_note_generation(c, ok && j->was_current);
        if (!ok) {
                log_warning("An ipset's set could not be filled ahead (%s); the transaction sends its entries",
                            error < 0 ? strerror(-error) : strerror(refusal->error));
                return prefill_done(c, j, false);
        }
        j->prefill_next++;
        prefill_next(c, j);
}

/* the next set's batch: emptied, then every entry */
static void prefill_next(Context *c, ZoneJob *j)
{
        const IPSet *s = j->prefill_next < j->prefill.n ? j->prefill.items[j->prefill_next] : NULL;
        ElemBatch *batch = NULL;
        SetShape shape;
        int r;

        if (!s)
                return prefill_done(c, j, true);
        r = ipset_batch(s, false, &batch, &shape);
        if (r >= 0)
                r = elem_batch_flush(batch);
        for (size_t i = 0; r >= 0 && i < s->entries->list.n; i++)
                r = ipset_batch_add(batch, &shape, s, s->entries->list.items[i], NULL);
        j->was_current = zones_table_current(c);
        if (r >= 0)
                r = batch_commit(c, batch, prefill_filled, j);
        else
                elem_batch_free(batch);
        if (r < 0)
                prefill_done(c, j, false);
}

static void prefill_made(int r, const ExecReply *reply, void *userdata)
{
        ZoneJob *j = userdata;
        Context *c = j->context;
        bool ok = r >= 0 && reply->nft_rc == 0;

        zones_note_generation(c, ok && j->was_current);
        if (!ok)
                return prefill_done(c, j, false);
        prefill_next(c, j);
}

/* Whether s's set is one to fill ahead: big, sent anew by the transaction (new, or its entries changed), and the
 * same kind of set as the one in its place (else the transaction's) */
static bool prefill_wanted(const IPSet *s, const ZoneConfig *runtime)
{
        const IPSet *then = ipset_list_find(&runtime->ipsets, s->name);

        if (ipset_has_timeout(s) || s->entries->list.n < PREFILL_MIN)
                return false;
        return !then || (!ipset_entries_equal(then, s) && ipset_same_set(then, s));
}

/* 1: the sets are being filled (the transaction follows), 0: none to fill, negative errno */
static int ipsets_prefill(Context *c, ZoneJob *j)
{
        Zones *z = c->zones;
        _cleanup_free_ char *text = NULL;
        size_t size = 0, made = 0;
        bool big = false;
        FILE *f;
        int r = 0;

        /* only into the table nftbusd made, that stays in force: the transaction keeps what it finds there (the
         * kernel is asked about the table only when there is a set to fill) */
        if (!z->enabled || z->panic || (j->set_enabled && !j->enable) || (j->set_panic && j->panic))
                return 0;
        for (size_t i = 0; i < j->pending.ipsets.n && !big; i++)
                big = prefill_wanted(j->pending.ipsets.items[i], &z->runtime);
        if (!big || !zones_table_current(c))
                return 0;
        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        fputs("table inet " ZONE_TABLE " {\n", f);
        for (size_t i = 0; r >= 0 && i < j->pending.ipsets.n; i++) {
                const IPSet *s = j->pending.ipsets.items[i], *then = ipset_list_find(&z->runtime.ipsets, s->name);
                IPSet *copy;
                if (!prefill_wanted(s, &z->runtime))
                        continue;
                if (!then) {
                        r = ipset_declare(f, s, NULL, false);
                        made++;
                }
                copy = r >= 0 ? ipset_copy(s) : NULL;
                r = copy ? ipset_list_put(&j->prefill, copy) : -ENOMEM;
        }
        fputs("}\n", f);
        if (fclose(f) != 0)
                r = -ENOMEM;
        if (r < 0 || j->prefill.n == 0)
                return r;
        j->was_current = true;
        if (made == 0) {
                prefill_next(c, j);
                return 1;
        }
        r = executor_submit(c->executor, EXEC_NFT_SYNTAX, TAKE_PTR(text), size, prefill_made, j);
        return r < 0 ? r : 1;
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
        /* the runtime entries of an ipset: element by element, the configuration changed in place once the kernel
         * took them (a million entries are not copied) */
        if (r >= 0 && !j->permanent && j->change == change_ipset && j->ipset_op >= IPSET_ENTRY_ADD) {
                r = ipset_entries_send(c, j, &error);
                if (r >= 0)
                        return; /* ipset_entries_committed() goes on */
        }
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
        zone_job_end(c, j);
}

/* A new job, not queued yet (zone_job_start() queues it); answer NULL: nftbus's own. */
static ZoneJob *zone_job_new(Context *c, sd_bus_message *m, zone_change_t change, const char *zone, const char *what,
                             const char *value, bool permanent, const ZoneAnswer *answer)
{
        ZoneJob *j = calloc(1, sizeof(ZoneJob));

        if (!j || (zone && !(j->zone = strdup(zone))) || (what && !(j->what = strdup(what))) ||
            (value && !(j->value = strdup(value))))
                return zone_job_free(j);
        j->context = c;
        j->message = sd_bus_message_ref(m);
        j->change = change;
        j->permanent = permanent;
        if (answer)
                j->answer = *answer;
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

/* The policies that name zone, checked as firewalld checks them on every change of a configuration: an interface
 * that a zone takes may not be where a policy forwards ports to or marks */
static int policies_check(Zones *zones, const ZoneConfig *config, bool permanent, const char *zone,
                          sd_bus_error *error)
{
        for (size_t i = 0; i < config->n_policies; i++) {
                _cleanup_free_ char *words = NULL;
                const char *code = NULL;
                const Policy *p = config->policies[i];
                int r;
                if (!strlist_contains(&p->ingress, zone) && !strlist_contains(&p->egress, zone))
                        continue;
                r = policy_check(p, config, zones_services(zones, permanent), &code, &words);
                if (r == -EINVAL)
                        return zone_coded_error(error, code, "%s", strempty(words));
                if (r < 0)
                        return r;
        }
        return 0;
}

static int change_list(Zones *zones, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        const char *zone = j->zone, *v = j->value;
        bool add = j->op != ZONE_LIST_REMOVE, move = j->op == ZONE_LIST_CHANGE;
        Zone *z = config_zone(config, zone, error);
        StrList *l;
        int r;

        if (!z)
                return -ENOENT;
        l = zone_list(z, j->list);
        if (!add && !j->permanent) /* a removal before its time: its timer goes too */
                zone_timeout_cancel(j->context, j->list, zone, v);
        if (add && (j->list == ZONE_LIST_SOURCE || j->list == ZONE_LIST_RICH_RULE)) {
                /* the ipsets it names are in this configuration, of a type that fits */
                _cleanup_free_ char *why = NULL, *canonical = NULL;
                const char *code = NULL;
                r = j->list == ZONE_LIST_SOURCE
                            ? zone_source_ipset_check(&config->ipsets, v, &code, &why)
                            : zone_rich_rule_check(v, NULL, &config->ipsets, &canonical, &code, &why);
                if (r == -EINVAL)
                        return zone_coded_error(error, code, "%s", strempty(why));
                if (r < 0)
                        return r;
        }
        if (zone_list_ports(j->list)) { /* ranges merged and broken as firewalld does */
                r = add ? zone_ports_add(l, v) : zone_ports_remove(l, v);
                if (r == 0)
                        return sd_bus_error_setf(error, add ? NFTBUS_ERROR_ALREADY_EXISTS : NFTBUS_ERROR_NOT_FOUND,
                                                 add ? "Zone %s has %s already" : "Zone %s does not have %s", zone, v);
                return r < 0 ? r : 0;
        }
        if (add) {
                /* an interface or source is in one zone at a time */
                Zone *other = zone_config_bound(config, j->list, v);
                if (other && other != z && !move)
                        return sd_bus_error_setf(error, NFTBUS_ERROR_REJECTED,
                                                 "%s is in zone %s already: move it rather than add it", v,
                                                 other->name);
                /* polkit was asked about the zone it leaves: it must still be that one, unless it is where it is
                 * asked to go already (a change queued twice, as NetworkManager sends them: done, nothing to leave) */
                if (move && other != z && !streq_ptr(other ? other->name : NULL, j->from))
                        return sd_bus_error_setf(error, NFTBUS_ERROR_BUSY,
                                                 "%s moved to another zone meanwhile; try again", v);
                if (other && other != z)
                        (void) strlist_remove(zone_list(other, j->list), v);
                r = strlist_add(l, v);
                if (r == 0 && !move)
                        return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "Zone %s has %s already", zone,
                                                 v);
                if (r > 0 && j->list == ZONE_LIST_INTERFACE) /* a policy's port forward may not work then */
                        r = policies_check(zones, config, j->permanent, zone, error);
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
                z->target = (ZoneTarget) zone_target_of_name(v, false);
        else if (streq(what, "Masquerade")) {
                z->masquerade = streq(v, "yes");
                if (!z->masquerade && !j->permanent) /* before its time: its timer goes too */
                        zone_timeout_cancel(j->context, ZONE_TIMEOUT_MASQUERADE, z->name, "masquerade");
        } else if (streq(what, "Forward"))
                z->forward = streq(v, "yes");
        else if (streq(what, "IcmpBlockInversion"))
                z->icmp_block_inversion = streq(v, "yes");
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

/* A new zone: empty, or the replacement's settings (firewalld's addZone2) */
static int change_add_zone(Zones *zones, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        const char *zone = j->zone;
        int r = zone_config_add(config, zone, NULL);

        if (r == -EEXIST)
                return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "Zone %s exists already", zone);
        return r >= 0 && j->replacement ? change_replace(zones, config, j, error) : r;
}

/* A zone that a policy names stays while it does: the policy would name no zone */
static int zone_named_by_policy(const ZoneConfig *config, const char *zone, sd_bus_error *error)
{
        const Policy *p = policy_config_naming(config, zone);

        if (!p)
                return 0;
        return zone_coded_error(
                error, "INVALID_ZONE",
                "Zone '%s' is an ingress or egress zone of policy '%s': take it out of the policy first", zone,
                p->zone.name);
}

/* A custom zone under another name (j->value), with all it has */
static int change_rename_zone(Zones *zones, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        const Zone *z = config_zone(config, j->zone, error);
        Zone *copy;

        if (!z)
                return -ENOENT;
        if (zones_default_zone(zones, z->name))
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                         "Zone %s is built in: it can be changed, not renamed", z->name);
        if (zone_config_find(config, j->value))
                return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "Zone %s exists already", j->value);
        if (zone_named_by_policy(config, z->name, error) < 0)
                return -EINVAL;
        copy = zone_copy(z);
        if (!copy)
                return -ENOMEM;
        snprintf(copy->name, sizeof(copy->name), "%s", j->value);
        (void) zone_config_remove(config, j->zone);
        return zone_config_replace(config, copy);
}

static int change_delete_zone(Zones *zones, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        const char *zone = j->zone;
        int r;

        if (zones_default_zone(zones, zone))
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                         "Zone %s is built in: it can be changed, not deleted", zone);
        if (streq(config->default_zone, zone))
                return sd_bus_error_setf(error, NFTBUS_ERROR_REJECTED,
                                         "Zone %s is the default zone: make another the default first", zone);
        r = zone_named_by_policy(config, zone, error);
        if (r < 0)
                return r;
        if (zone_config_remove(config, zone) < 0)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No zone %s", zone);
        return 0;
}

/* What is logged of what zones refuse (j->value: a name of log_denied_of_name()) */
static int change_log_denied(Zones *zones _unused_, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        int l = log_denied_of_name(j->value);

        if (l < 0)
                return call_invalid(error, "Invalid log denied: off, all, unicast, broadcast or multicast");
        config->log_denied = (LogDenied) l;
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
        if (fresh->notes)
                log_info("%s", fresh->notes);
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
        zones_services_permanent_drop(zones); /* the files' services are the ones in force now */
        zones->enabled_permanent = fresh->enabled_permanent;
        zones->firewalld_files = fresh->firewalld_files;
        zones->cleanup_on_exit = fresh->cleanup_on_exit;
        zone_config_done(&zones->defaults);
        zones->defaults = fresh->defaults;
        fresh->defaults = (ZoneConfig){};
        zones_free(fresh);
        zone_config_done(config);
        return zone_config_copy(&zones->permanent, config);
}

/* ---- ipsets ---- */

/* firewalld's code and words, as InvalidArgument "CODE: words" (ALREADY_ENABLED and NOT_ENABLED as AlreadyExists
 * and NotFound, their words alone): firewalld's front door answers that code (fwd_map_error()), nftbus's own the
 * sentence */
int zone_coded_error(sd_bus_error *error, const char *code, const char *fmt, ...)
{
        bool enabled = streq(code, "ALREADY_ENABLED"), not_enabled = streq(code, "NOT_ENABLED");
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = call_error_codedv(error,
                              enabled       ? NFTBUS_ERROR_ALREADY_EXISTS
                              : not_enabled ? NFTBUS_ERROR_NOT_FOUND
                                            : NFTBUS_ERROR_INVALID_ARGUMENT,
                              enabled || not_enabled ? NULL : code, fmt, ap);
        va_end(ap);
        return r;
}

/* What an entries' change finds amiss in s as it is: an entry there already, or not there. */
static int ipset_entries_check(const IPSet *s, const ZoneJob *j, sd_bus_error *error)
{
        if (ipset_has_timeout(s)) { /* no list of them, as firewalld keeps none: the kernel's alone */
                if (j->permanent && j->entries->list.n > 0)
                        return zone_coded_error(error, "IPSET_WITH_TIMEOUT", "%s", "");
                if (j->ipset_op == IPSET_ENTRY_REMOVE) /* none is listed, so none can be removed */
                        return zone_coded_error(error, "NOT_ENABLED", "'%s' not in '%s'", j->entries->list.items[0],
                                                s->name);
                return 0;
        }
        for (size_t i = 0; j->ipset_op != IPSET_ENTRIES_SET && i < j->entries->list.n; i++) {
                bool there = strlist_contains(&s->entries->list, j->entries->list.items[i]);
                if (j->ipset_op == IPSET_ENTRY_ADD && there)
                        return zone_coded_error(error, "ALREADY_ENABLED", "'%s' already is in '%s'",
                                                j->entries->list.items[i], s->name);
                if (j->ipset_op == IPSET_ENTRY_REMOVE && !there)
                        return zone_coded_error(error, "NOT_ENABLED", "'%s' not in '%s'", j->entries->list.items[i],
                                                s->name);
        }
        return 0;
}

/* An ipset made, changed (IPSET_SETTINGS: with the entries it has when the change runs, which must fit the new
 * type), renamed or removed. */
static int change_ipset_definition(ZoneConfig *config, IPSet *s, const ZoneJob *j, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        const char *code = NULL;
        IPSet *copy;
        int r;

        switch (j->ipset_op) {
        case IPSET_ADD:
        case IPSET_UPDATE:
        case IPSET_SETTINGS:
                copy = ipset_copy(j->ipset);
                if (!copy)
                        return -ENOMEM;
                if (j->ipset_op == IPSET_SETTINGS) {
                        ipset_entries_use(copy, s->entries);
                        r = ipset_check_settings(copy->type, &copy->options, &copy->entries->list, &code, &why);
                        if (r == -EINVAL && streq(code, "IPSET_WITH_TIMEOUT"))
                                r = zone_coded_error(error, code,
                                                     "an ipset with a timeout lists no entries, and %s has %zu: "
                                                     "empty it first",
                                                     s->name, s->entries->list.n);
                        else if (r == -EINVAL)
                                r = zone_coded_error(error, code, "%s", strempty(why));
                        if (r < 0) {
                                ipset_free(copy);
                                return r;
                        }
                }
                return ipset_list_put(&config->ipsets, copy);
        case IPSET_REMOVE:
                return ipset_list_remove(&config->ipsets, j->zone) > 0 ? 0 : -ENOENT;
        case IPSET_RENAME:
                if (ipset_list_find(&config->ipsets, j->value))
                        return zone_coded_error(error, "NAME_CONFLICT", "rename_ipset(): '%s'", j->value);
                copy = ipset_copy(s);
                if (!copy)
                        return -ENOMEM;
                snprintf(copy->name, sizeof(copy->name), "%s", j->value);
                (void) ipset_list_remove(&config->ipsets, j->zone);
                return ipset_list_put(&config->ipsets, copy);
        default:
                return -EINVAL;
        }
}

/* An ipset made, changed, renamed or removed, or its entries (config may be the runtime configuration itself:
 * the entries' change the kernel took). A runtime definition's change leaves every zone's ipsets there and of a
 * type it takes (the permanent one is checked so when its files are written). */
static int change_ipset(Zones *zones _unused_, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        IPSet *s = ipset_list_find(&config->ipsets, j->zone);
        int r;

        if (j->ipset_op == IPSET_ADD) {
                if (s)
                        return zone_coded_error(error, "NAME_CONFLICT", "new_ipset(): '%s'", j->zone);
        } else if (!s)
                return zone_coded_error(error, "INVALID_IPSET", "%s", j->zone);
        if (j->ipset_op < IPSET_ENTRY_ADD) {
                _cleanup_free_ char *why = NULL;
                r = change_ipset_definition(config, s, j, error);
                if (r >= 0 && !j->permanent && zone_config_check(config, &why) < 0)
                        return why ? sd_bus_error_set(error, NFTBUS_ERROR_INVALID_ARGUMENT, why) : -ENOMEM;
                return r;
        }
        r = ipset_entries_check(s, j, error);
        if (r < 0 || ipset_has_timeout(s))
                return r;
        r = j->ipset_op == IPSET_ENTRIES_SET ? 0 : ipset_entries_unshare(s);
        for (size_t i = 0; r >= 0 && j->ipset_op != IPSET_ENTRIES_SET && i < j->entries->list.n; i++)
                r = j->ipset_op == IPSET_ENTRY_ADD ? strlist_add(&s->entries->list, j->entries->list.items[i])
                                                   : strlist_remove(&s->entries->list, j->entries->list.items[i]);
        if (r >= 0 && j->ipset_op == IPSET_ENTRIES_SET) /* the call's list itself, not a copy of a million */
                ipset_entries_use(s, j->entries);
        return r < 0 ? r : 0;
}

/* A batch of elements of s's set in the zones' table (deleting: of deletions); the shape comes from s's type. */
static int ipset_batch(const IPSet *s, bool deleting, ElemBatch **ret, SetShape *ret_shape)
{
        _cleanup_free_ char *type = NULL;
        const DataType *fields[SET_FIELDS_MAX];
        char set[sizeof(IPSET_SET_PREFIX) + IPSET_NAME_MAX];
        SetShape shape;
        size_t n_fields;
        bool interval;
        int r;

        ipset_set_name(s->name, set);
        r = ipset_set_type(s, &type, &interval);
        if (r >= 0)
                r = set_type_parse(type, fields, &n_fields, NULL);
        if (r >= 0)
                r = set_shape_from_kernel(set_type_pack(fields, n_fields), 0, interval, false, &shape);
        if (r >= 0)
                r = elem_batch_new(deleting, NFPROTO_INET, ZONE_TABLE, set, &shape,
                                   &(ElemOptions){ .exclusive = !deleting }, 1, ret);
        if (r >= 0)
                *ret_shape = shape;
        return r;
}

/* One entry of s into the batch of its shape; -EINVAL (*ret_why) for what the set cannot hold. */
static int ipset_batch_add(ElemBatch *batch, const SetShape *shape, const IPSet *s, const char *entry, char **ret_why)
{
        _cleanup_free_ char *text = NULL;
        Element e;
        int r = ipset_element_text(s, entry, &text, ret_why);

        if (r >= 0)
                r = element_parse(shape, text, &e, ret_why);
        return r < 0 ? r : elem_batch_add(batch, &e);
}

/* what the kernel says of a runtime entries' change */
static void ipset_entries_committed(Context *c, int error, const ElemRefusal *refusal, size_t committed _unused_,
                                    void *userdata)
{
        _cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
        ZoneJob *j = userdata;
        Zones *z = c->zones;
        IPSet *s = ipset_list_find(&z->runtime.ipsets, j->zone);

        if (error < 0)
                (void) sd_bus_error_set_errnof(&e, -error, "The ipset's entries could not be changed: %m");
        else if (refusal->error == EEXIST && j->ipset_op == IPSET_ENTRY_ADD) {
                /* what overlaps (firewalld's check, made only when the kernel refuses: it is O(n)) */
                const char *entry = j->entries->list.items[refusal->has_index ? refusal->index : 0];
                const char *other = s ? ipset_entry_overlapping(&s->entries->list, entry) : NULL;
                if (other)
                        (void) zone_coded_error(&e, "INVALID_ENTRY", "Entry '%s' overlaps with existing entry '%s'",
                                                entry, other);
                else
                        (void) zone_coded_error(&e, "INVALID_ENTRY", "Entry '%s' overlaps with an existing entry",
                                                entry);
        } else if (refusal->error) {
                /* the table is not what nftbusd made (changed by hand): the whole of it anew, with the change */
                j->full = true;
                if (zone_config_copy(&z->runtime, &j->pending) >= 0 && change_ipset(z, &j->pending, j, &e) >= 0 &&
                    zone_job_send(c, j, &e) >= 0)
                        return; /* job_finished() goes on */
                if (!sd_bus_error_is_set(&e))
                        (void) sd_bus_error_setf(&e, SD_BUS_ERROR_FAILED, "The kernel refused the ipset's entries: %s",
                                                 strerror(refusal->error));
        }
        if (!sd_bus_error_is_set(&e)) {
                zones_note_generation(c, j->was_current);
                if (change_ipset(z, &z->runtime, j, &e) >= 0) {
                        _cleanup_free_ char *path = NULL;
                        if (ipset_object_path(j->zone, &path) >= 0)
                                (void) sd_bus_emit_properties_changed(c->bus, path, IPSET_INTERFACE, "EntryCount",
                                                                      NULL);
                        (void) job_reply(c, j);
                }
        }
        if (sd_bus_error_is_set(&e))
                job_reply_error(j, &e);
        zone_job_end(c, j);
}

/* A runtime entries' change: checked against the runtime configuration, then one netlink batch of the set's
 * elements (ipset_entries_committed() follows). In panic, the configuration alone changes (the panic table has
 * no sets; the next table has the entries). */
static int ipset_entries_send(Context *c, ZoneJob *j, sd_bus_error *error)
{
        Zones *z = c->zones;
        IPSet *s = ipset_list_find(&z->runtime.ipsets, j->zone);
        ElemBatch *batch = NULL;
        SetShape shape;
        int r;

        if (!s)
                return zone_coded_error(error, "INVALID_IPSET", "%s", j->zone);
        r = ipset_entries_check(s, j, error);
        if (r < 0)
                return r;
        if (z->panic) {
                r = change_ipset(z, &z->runtime, j, error);
                if (r >= 0) {
                        (void) job_reply(c, j);
                        zone_job_end(c, j);
                }
                return r < 0 ? r : 0;
        }
        r = ipset_batch(s, j->ipset_op == IPSET_ENTRY_REMOVE, &batch, &shape);
        if (r >= 0 && j->ipset_op == IPSET_ENTRIES_SET)
                r = elem_batch_flush(batch);
        for (size_t i = 0; r >= 0 && i < j->entries->list.n; i++) {
                _cleanup_free_ char *why = NULL;
                r = ipset_batch_add(batch, &shape, s, j->entries->list.items[i], &why);
                if (r == -EINVAL) {
                        elem_batch_free(batch);
                        return zone_coded_error(error, "COMMAND_FAILED", "'%s': %s", j->entries->list.items[i],
                                                strempty(why));
                }
        }
        if (r < 0) {
                elem_batch_free(batch);
                return sd_bus_error_set_errnof(error, -r, "The ipset's entries could not be written: %m");
        }
        j->was_current = zones_table_current(c);
        r = batch_commit(c, batch, ipset_entries_committed, j);
        return r < 0 ? sd_bus_error_set_errnof(error, -r, "The ipset's entries could not be sent: %m") : 0;
}

static int zone_request(Context *c, ZoneJob *j, sd_bus_error *error);

int ipset_request(Context *c, sd_bus_message *m, IPSetOp op, const char *name, IPSet *settings, const char *new_name,
                  StrList *entries, bool permanent, const ZoneAnswer *answer, sd_bus_error *error)
{
        ZoneJob *j = zone_job_new(c, m, change_ipset, name, NULL, new_name, permanent, answer);

        if (j) {
                j->ipset_op = op;
                j->ipset = TAKE_PTR(settings);
                if (entries && !(j->entries = ipset_entries_new(entries)))
                        j = zone_job_free(j);
        }
        ipset_free(settings);
        return zone_request(c, j, error);
}

/* ---- policies ---- */

static int change_policy(Zones *zones, ZoneConfig *config, const ZoneJob *j, sd_bus_error *error)
{
        const char *name = j->zone, *code = NULL;
        _cleanup_free_ char *words = NULL;
        const Policy *now = policy_config_find(config, name);
        _cleanup_(policy_freep) Policy *p = NULL;
        int r;

        if (j->policy_op != POLICY_ADD && !now)
                return zone_coded_error(error, "INVALID_POLICY", "%s", name);
        switch (j->policy_op) {
        case POLICY_ADD:
                if (now)
                        return zone_coded_error(error, "NAME_CONFLICT", "new_policy_object(): '%s'", name);
                p = policy_copy(j->policy);
                break;
        case POLICY_UPDATE:
                p = policy_copy(j->policy);
                break;
        case POLICY_RENAME:
        case POLICY_REMOVE:
                if (zones_default_policy(zones, name))
                        return zone_coded_error(error, "BUILTIN_POLICY", "'%s' is built-in policy", name);
                if (j->policy_op == POLICY_REMOVE)
                        return policy_config_remove(config, name);
                if (policy_config_find(config, j->value))
                        return zone_coded_error(error, "NAME_CONFLICT", "new_policy_object(): '%s'", j->value);
                p = policy_copy(now);
                if (p)
                        snprintf(p->zone.name, sizeof(p->zone.name), "%s", j->value);
                break;
        case POLICY_LOAD_DEFAULTS:
                if (!zones_default_policy(zones, name))
                        return zone_coded_error(error, "NO_DEFAULTS", "'%s' not a built-in policy", name);
                p = policy_copy(zones_default_policy(zones, name));
                if (p && policy_equal(p, now)) /* as shipped: firewalld has no file of it to take back */
                        return zone_coded_error(error, "NO_DEFAULTS", "%s", name);
                break;
        }
        if (!p)
                return -ENOMEM;
        r = policy_check(p, config, zones_services(zones, j->permanent), &code, &words);
        if (r == -EINVAL)
                return zone_coded_error(error, code, "%s", strempty(words));
        if (r < 0)
                return r;
        if (j->policy_op == POLICY_RENAME)
                (void) policy_config_remove(config, name);
        return policy_config_replace(config, TAKE_PTR(p));
}

int policy_request(Context *c, sd_bus_message *m, PolicyOp op, const char *name, Policy *settings,
                   const char *new_name, bool permanent, const ZoneAnswer *answer, sd_bus_error *error)
{
        ZoneJob *j = zone_job_new(c, m, change_policy, name, NULL, new_name, permanent, answer);

        if (j) {
                j->policy_op = op;
                j->policy = TAKE_PTR(settings);
        }
        policy_free(settings);
        return zone_request(c, j, error);
}

/* ---- the requests of the front doors ---- */

int ipset_entry_request(Context *c, sd_bus_message *m, const IPSet *s, bool add, const char *entry, bool permanent,
                        const ZoneAnswer *answer, sd_bus_error *error)
{
        _cleanup_(strlist_done) StrList entries = {};

        if (strlist_add(&entries, entry) < 0)
                return -ENOMEM;
        return ipset_request(c, m, add ? IPSET_ENTRY_ADD : IPSET_ENTRY_REMOVE, s->name, NULL, NULL, &entries,
                             permanent, answer, error);
}

int ipset_entry_value_check(const IPSet *s, const char *entry, bool add, bool query, bool permanent,
                            char **ret_normalized, sd_bus_error *error)
{
        _cleanup_free_ char *normalized = NULL, *why = NULL;
        const char *code = NULL;
        int r = ipset_check_entry(s, entry, &normalized, &code, &why);

        if (r == -ENOMEM)
                return r;
        if (r < 0 && add)
                return zone_coded_error(error, code, "%s", strempty(why));
        /* no check for a removal or a query, as firewalld: what is not there is not there */
        if (r < 0 && !(normalized = strdup(entry)))
                return -ENOMEM;
        if ((query || permanent) && ipset_has_timeout(s))
                return zone_coded_error(error, "IPSET_WITH_TIMEOUT", "%s", query ? s->name : "");
        if (add && permanent && !strlist_contains(&s->entries->list, normalized)) {
                const char *other = ipset_entry_overlapping(&s->entries->list, normalized);
                if (other)
                        return zone_coded_error(error, "INVALID_ENTRY", "Entry '%s' overlaps with existing entry '%s'",
                                                normalized, other);
        }
        *ret_normalized = TAKE_PTR(normalized);
        return 0;
}

int ipset_entries_value_check(const IPSet *s, const StrList *entries, bool permanent, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        const char *code = NULL;
        int r;

        if (permanent && ipset_has_timeout(s) && entries->n > 0)
                return zone_coded_error(error, "IPSET_WITH_TIMEOUT", "%s", "");
        r = ipset_entries_check_overlaps(entries, &code, &why);
        for (size_t i = 0; r >= 0 && i < entries->n; i++)
                r = ipset_check_entry_as_is(s->type, ipset_family(s), entries->items[i], &code, &why);
        return r == -EINVAL ? zone_coded_error(error, code, "%s", strempty(why)) : r;
}

int zone_value_check(Context *c, bool permanent, ZoneListKind k, const char *value, char **ret_canonical,
                     sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        int r = zone_list_check(k, value, zones_services(c->zones, permanent), ret_canonical, &why);

        if (r == -ENOMEM)
                return r;
        return r < 0 ? call_invalid(error, why) : 0;
}

const char *zone_left(Context *c, ZoneListKind k, ZoneListOp op, const char *zone, const char *value, bool permanent)
{
        const Zone *other =
                op == ZONE_LIST_CHANGE
                        ? zone_config_bound(permanent ? &c->zones->permanent : &c->zones->runtime, k, value)
                        : NULL;

        return other && !streq(other->name, zone) ? other->name : NULL;
}

/* Queues j (NULL: out of memory); 1, or negative errno with error set. */
static int zone_request(Context *c, ZoneJob *j, sd_bus_error *error)
{
        if (!j)
                return sd_bus_error_set_errno(error, -ENOMEM);
        return zone_job_start(c, j);
}

int zone_list_request(Context *c, sd_bus_message *m, ZoneListKind k, ZoneListOp op, const char *zone,
                      const char *value, bool permanent, const ZoneAnswer *answer, sd_bus_error *error)
{
        _cleanup_free_ char *canonical = NULL;
        ZoneJob *j;
        int r;

        if (op != ZONE_LIST_ADD && op != ZONE_LIST_REMOVE && op != ZONE_LIST_CHANGE)
                return -EINVAL;
        r = zone_value_check(c, permanent, k, value, &canonical, error);
        if (r < 0)
                return r;
        j = zone_job_new(c, m, change_list, zone, NULL, canonical, permanent, answer);
        if (j) {
                /* the zone it leaves is the one it is in now, which polkit was asked about */
                const char *from = zone_left(c, k, op, zone, canonical, permanent);
                j->list = k;
                j->op = op;
                if (from && !(j->from = strdup(from)))
                        j = zone_job_free(j);
        }
        return zone_request(c, j, error);
}

int zone_setting_request(Context *c, sd_bus_message *m, const char *what, const char *zone, const char *value,
                         bool permanent, const ZoneAnswer *answer, sd_bus_error *error)
{
        return zone_request(c, zone_job_new(c, m, change_setting, zone, what, value, permanent, answer), error);
}

int zone_default_request(Context *c, sd_bus_message *m, const char *zone, bool permanent, const ZoneAnswer *answer,
                         sd_bus_error *error)
{
        return zone_request(c, zone_job_new(c, m, change_default_zone, NULL, NULL, zone, permanent, answer), error);
}

int zone_add_request(Context *c, sd_bus_message *m, const char *zone, bool permanent, const ZoneAnswer *answer,
                     sd_bus_error *error)
{
        return zone_request(c, zone_job_new(c, m, change_add_zone, zone, NULL, zone, permanent, answer), error);
}

int zone_delete_request(Context *c, sd_bus_message *m, const char *zone, bool permanent, const ZoneAnswer *answer,
                        sd_bus_error *error)
{
        return zone_request(c, zone_job_new(c, m, change_delete_zone, zone, NULL, zone, permanent, answer), error);
}

/* A change of a zone as a whole: z (taken), its settings */
static int zone_whole_request(Context *c, sd_bus_message *m, zone_change_t change, Zone *z, bool permanent,
                              const ZoneAnswer *answer, sd_bus_error *error)
{
        ZoneJob *j = zone_job_new(c, m, change, z->name, NULL, NULL, permanent, answer);

        if (j)
                j->replacement = z;
        else
                zone_free(z);
        return zone_request(c, j, error);
}

int zone_replace_request(Context *c, sd_bus_message *m, Zone *z, bool permanent, const ZoneAnswer *answer,
                         sd_bus_error *error)
{
        return zone_whole_request(c, m, change_replace, z, permanent, answer, error);
}

int zone_create_request(Context *c, sd_bus_message *m, Zone *z, bool permanent, const ZoneAnswer *answer,
                        sd_bus_error *error)
{
        return zone_whole_request(c, m, change_add_zone, z, permanent, answer, error);
}

int zone_log_denied_request(Context *c, sd_bus_message *m, LogDenied l, bool permanent, const ZoneAnswer *answer,
                            sd_bus_error *error)
{
        return zone_request(
                c, zone_job_new(c, m, change_log_denied, NULL, NULL, log_denied_name(l), permanent, answer), error);
}

int zone_rename_request(Context *c, sd_bus_message *m, const char *zone, const char *new_name, bool permanent,
                        const ZoneAnswer *answer, sd_bus_error *error)
{
        return zone_request(c, zone_job_new(c, m, change_rename_zone, zone, NULL, new_name, permanent, answer), error);
}

int zone_switch_request(Context *c, sd_bus_message *m, ZoneSwitch what, bool on, const ZoneAnswer *answer,
                        sd_bus_error *error)
{
        bool reload = what == ZONE_SWITCH_RELOAD;
        ZoneJob *j = zone_job_new(c, m, reload ? change_reload : NULL, NULL, NULL, NULL, false, answer);

        if (j && reload) {
                j->set_enabled = true;
                j->enable_as_permanent = true;
                j->full = true; /* whatever was done to the table, it is made anew */
        } else if (j && what == ZONE_SWITCH_PANIC) {
                j->set_panic = true;
                j->panic = on;
        } else if (j) {
                j->set_enabled = true;
                j->enable = on;
        }
        return zone_request(c, j, error);
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

void zone_jobs_free(Context *c)
{
        while (c->zone_jobs) {
                ZoneJob *j = c->zone_jobs;
                c->zone_jobs = j->next;
                zone_job_free(j);
        }
}

/* ---- the zones put in force at start ---- */

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
                                        zones_files_directory(c->zones),
                                        message ? message : strerror(r < 0 ? -r : EIO), builtin.default_zone);
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
        if (c->zones->notes)
                log_info("%s", c->zones->notes);
        /* a file that is refused costs its own contents; the rest is in force, and ZonesState says failed */
        if (problems)
                zones_set_error(c, "Parts of the zones' configuration in %s are refused; the rest is in force: %s",
                                zones_files_directory(c->zones), problems);
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

/* ---- the stop ---- */

typedef struct ZonesStop {
        Context *context;
        void (*done)(Context *c);
} ZonesStop;

static void on_zones_cleaned(int r, const ExecReply *reply, void *userdata)
{
        ZonesStop *s = userdata;

        if (r < 0 || reply->nft_rc != 0)
                log_error("The zones' table could not be taken away at the stop (CleanupOnExit=yes)");
        else
                log_info("The zones' table taken away, as firewalld.conf's CleanupOnExit=yes says");
        s->done(s->context);
        free(s);
}

void zones_stop(Context *c, void (*done)(Context *c))
{
        ZonesStop *s;
        char *text;

        /* nftbus's own files: the zones keep filtering after a stop (fail closed); firewalld's: as its firewalld.conf
         * says, firewalld's way */
        if (!c->zones || !c->zones->firewalld_files || !c->zones->cleanup_on_exit || !c->executor)
                return done(c);
        s = calloc(1, sizeof(ZonesStop));
        text = strdup("add table inet " ZONE_TABLE "\ndelete table inet " ZONE_TABLE "\n");
        if (!s || !text) {
                free(s);
                free(text);
                return done(c);
        }
        *s = (ZonesStop){ c, done };
        if (executor_submit(c->executor, EXEC_NFT_SYNTAX, text, strlen(text), on_zones_cleaned, s) < 0) {
                free(s);
                done(c);
        }
}
