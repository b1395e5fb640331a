/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Preset on /org/nftbus/Firewall1/preset/<name>: the presets of presetspec.h on the
 * bus. Apply checks the options and the sysctls before polkit, reads the preset's table, and sends what
 * differs from the plan as one transaction; the sysctls follow once it has succeeded (all or nothing,
 * sysctl.h). Preview takes the same way and replies with the text instead. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/call.h"
#include "context.h"
#include "common/errors.h"
#include "log.h"
#include "common/objpath.h"
#include "bus/options.h"
#include "core/presetspec.h"
#include "state/zones.h"
#include "common/validate.h"
#include "state/procsys.h"
#include "bus/tablejob.h"
#include "common/util.h"

typedef struct PresetJob {
        const Preset *preset;
        PresetPlan plan;
        bool preview;
} PresetJob;

static const Preset *preset_of_path(const char *path)
{
        const char *name = path ? strrchr(path, '/') : NULL;
        return name ? preset_find(name + 1) : NULL;
}

static void job_free(void *userdata)
{
        PresetJob *j = userdata;

        if (!j)
                return;
        preset_plan_clear(&j->plan);
        free(j);
}

static size_t plan_sysctls(const PresetPlan *plan, SysctlWrite *w)
{
        for (size_t i = 0; i < plan->n_sysctls; i++)
                w[i] = (SysctlWrite){ plan->sysctls[i].name, plan->sysctls[i].value };
        return plan->n_sysctls;
}

/* lists of up to this many entries in all are checked before polkit is asked, longer ones after */
#define PRESET_ENTRIES_CHECKED_BEFORE_POLKIT 4096

/* Reads the options of m (from the start) and makes the plan; checks its sysctls. */
static int plan_of_message(sd_bus_message *m, const Preset *p, PresetPlan *ret, sd_bus_error *error)
{
        PresetValue values[16] = {};
        OptionSpec specs[17] = {};
        SysctlWrite w[PRESET_SYSCTLS_MAX];
        _cleanup_free_ char *why = NULL;
        int r;

        if (p->n_options >= ELEMENTSOF(values))
                return -E2BIG;
        r = preset_values_init(p, values);
        for (size_t i = 0; r >= 0 && i < p->n_options; i++) {
                const PresetOption *o = &p->options[i];
                void *field = o->type == PRESET_BOOLEAN  ? (void *) &values[i].boolean
                              : o->type == PRESET_NUMBER ? (void *) &values[i].number
                              : o->type == PRESET_STRING ? (void *) &values[i].string
                                                         : (void *) &values[i].list;
                specs[i] = (OptionSpec){ o->name, preset_type_signature(o->type), field, &values[i].given };
        }
        if (r >= 0)
                r = sd_bus_message_rewind(m, true);
        if (r >= 0)
                r = options_read(m, specs, error);
        if (r >= 0) {
                r = preset_plan(p, values, ret, &why);
                if (r == -EINVAL)
                        r = call_invalid(error, why);
        }
        preset_values_clear(p, values);
        if (r < 0)
                return r;
        r = sysctl_check_all(w, plan_sysctls(ret, w), error);
        if (r < 0)
                preset_plan_clear(ret);
        return r;
}

/* Apply's answer: the preset's table, or the preset itself when it has none. */
static int reply_applied(sd_bus_message *m, const Preset *p)
{
        _cleanup_free_ char *path = NULL;
        int r;

        if (p->table)
                r = table_path("inet", p->table, &path);
        else
                r = asprintf(&path, "%s/%s", NFTBUS_PRESETS_PATH, p->name) < 0 ? -ENOMEM : 0;
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, "o", path);
}

/* The sysctls, then the reply; after the table's transaction, or alone. */
static int finish_apply(sd_bus_message *m, const Preset *p, const PresetPlan *plan)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *object = NULL;
        SysctlWrite w[PRESET_SYSCTLS_MAX];
        size_t n = plan_sysctls(plan, w);
        int r;

        if (n == 0)
                return reply_applied(m, p);
        if (asprintf(&object, "preset %s sysctls", plan->name) < 0)
                return -ENOMEM;
        r = sysctl_write_all(w, n, &error);
        log_change(m, strempty(polkit_action_of(m)), object, r < 0 ? "refused by the kernel" : "done");
        if (r < 0)
                return sd_bus_reply_method_error(m, &error);
        return reply_applied(m, p);
}

/* After the table's transaction, for a preset without sysctls: the answer alone. */
static int on_applied(Context *c _unused_, sd_bus_message *m, const ExecReply *reply _unused_,
                      const char *object _unused_)
{
        return reply_applied(m, preset_of_path(sd_bus_message_get_path(m)));
}

/* After the table's transaction, for a preset with sysctls (router): the plan again, from the call's own
 * options, for them. */
static int on_applied_then_sysctls(Context *c _unused_, sd_bus_message *m, const ExecReply *reply _unused_,
                                   const char *object _unused_)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(preset_plan_clear) PresetPlan plan = {};
        const Preset *p = preset_of_path(sd_bus_message_get_path(m));
        int r;

        r = plan_of_message(m, p, &plan, &error);
        if (r < 0)
                return sd_bus_reply_method_error(m, &error);
        return finish_apply(m, p, &plan);
}

static int reply_preview(sd_bus_message *m, const PresetPlan *plan, const char *changes)
{
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);

        if (!f)
                return -ENOMEM;
        fputs(changes, f);
        for (size_t i = 0; i < plan->n_sysctls; i++)
                fprintf(f, "# sysctl %s = %s\n", plan->sysctls[i].name, plan->sysctls[i].value);
        if (fclose(f) != 0)
                return -ENOMEM;
        return sd_bus_reply_method_return(m, "s", text);
}

static void preset_job_run(Context *c, sd_bus_message *m, json_t *listing, void *userdata)
{
        PresetJob *j = userdata;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *changes = NULL, *object = NULL;
        int r;

        r = preset_changes(&j->plan, listing, &changes);
        if (r >= 0 && j->preview)
                r = reply_preview(m, &j->plan, changes);
        else if (r >= 0 && !*changes)
                r = finish_apply(m, j->preset, &j->plan); /* the table is as the plan says: nothing to send */
        else if (r >= 0 && asprintf(&object, "preset %s", j->preset->name) >= 0) {
                r = call_execute(
                        c, m,
                        &(CallRequest){ .text = changes,
                                        .flags = EXEC_NFT_SYNTAX,
                                        .object = object,
                                        .on_success = j->plan.n_sysctls ? on_applied_then_sysctls : on_applied },
                        &error);
                if (r < 0)
                        r = sd_bus_reply_method_error(m, &error);
        } else if (r >= 0)
                r = -ENOMEM;
        if (r < 0)
                (void) sd_bus_reply_method_errno(m, r, NULL);
}

static void preset_job_freep(PresetJob **j)
{
        if (*j)
                job_free(*j);
}

static int method_apply_or_preview(sd_bus_message *m, Context *c, bool preview, sd_bus_error *error)
{
        const Preset *p = preset_of_path(sd_bus_message_get_path(m));
        _cleanup_(preset_job_freep) PresetJob *j = NULL;
        bool planned = false;
        size_t entries = 0;
        int r;

        if (!p)
                return sd_bus_error_set(error, NFTBUS_ERROR_NOT_FOUND, "No such preset");
        /* zones and a preset that filters what they filter would both decide: what one allows, the other
         * would drop, silently; refused, saying which and why */
        if (!preview && c->zones && c->zones->enabled && preset_zones_overlap(p))
                return sd_bus_error_setf(error, NFTBUS_ERROR_REJECTED,
                                         "Zones are on and decide %s; the %s preset would filter it a second time, "
                                         "and drop what a zone allows. Turn zones off or "
                                         "allow it in a zone",
                                         preset_zones_overlap(p), p->name);
        j = calloc(1, sizeof(PresetJob));
        if (!j)
                return -ENOMEM;
        *j = (PresetJob){ .preset = p, .preview = preview };
        /* A preset with short lists is planned before polkit, so that a bad option never asks for a
         * password; one with long lists (a country's prefixes) only once the caller is authorised, so that a
         * caller polkit refuses costs no parsing (100,000 prefixes took 3 s). */
        r = sd_bus_message_rewind(m, true);
        if (r >= 0)
                r = options_count_list_entries(m, PRESET_ENTRIES_CHECKED_BEFORE_POLKIT, &entries);
        if (r >= 0 && entries <= PRESET_ENTRIES_CHECKED_BEFORE_POLKIT) {
                r = plan_of_message(m, p, &j->plan, error);
                planned = r >= 0;
        }
        if (r >= 0)
                r = polkit_check(c->polkit, m, (const char *const[]){ "preset", p->name, NULL }, error);
        if (r > 0 && !planned) {
                r = plan_of_message(m, p, &j->plan, error);
                if (r >= 0)
                        r = 1;
        }
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (!j->plan.table) {
                if (preview)
                        return reply_preview(m, &j->plan, "");
                return finish_apply(m, p, &j->plan);
        }
        const char *table = j->plan.table; /* before TAKE_PTR(j): arguments are evaluated in no set order */
        return table_job_enqueue(c, m, "inet", table, preset_job_run, TAKE_PTR(j), job_free);
}

static int method_apply(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_apply_or_preview(m, userdata, false, error);
}

static int method_preview(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_apply_or_preview(m, userdata, true, error);
}

static int property_get(sd_bus *bus _unused_, const char *path, const char *interface _unused_, const char *property,
                        sd_bus_message *reply, void *userdata _unused_, sd_bus_error *error)
{
        const Preset *p = preset_of_path(path);
        int r;

        if (!p)
                return sd_bus_error_set(error, NFTBUS_ERROR_NOT_FOUND, "No such preset");
        if (streq(property, "Name"))
                return sd_bus_message_append(reply, "s", p->name);
        if (streq(property, "Description"))
                return sd_bus_message_append(reply, "s", p->description);

        r = sd_bus_message_open_container(reply, 'a', "(sssv)");
        for (size_t i = 0; r >= 0 && i < p->n_options; i++) {
                const PresetOption *o = &p->options[i];
                const char *signature = preset_type_signature(o->type);
                r = sd_bus_message_open_container(reply, 'r', "sssv");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "sss", o->name, signature, o->description);
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'v', signature);
                if (r >= 0 && o->type == PRESET_BOOLEAN)
                        r = sd_bus_message_append(reply, "b", (int) o->default_number);
                else if (r >= 0 && o->type == PRESET_NUMBER)
                        r = sd_bus_message_append(reply, "u", o->default_number);
                else if (r >= 0 && o->type == PRESET_STRING)
                        r = sd_bus_message_append(reply, "s", strempty(o->default_string));
                else if (r >= 0)
                        r = sd_bus_message_append(reply, "as", 0);
                r = call_close_containers(reply, 2, r);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

const sd_bus_vtable preset_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("Apply", SD_BUS_ARGS("a{sv}", options), SD_BUS_RESULT("o", applied), method_apply,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Preview", SD_BUS_ARGS("a{sv}", options), SD_BUS_RESULT("s", batch), method_preview,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_PROPERTY("Name", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Description", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Options", "a(sssv)", property_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_VTABLE_END,
};

/* A call to /org/nftbus/Firewall1/preset/NAME for a NAME that is no preset (the objects above answer those
 * that are): NotFound naming the presets there are, instead of sd-bus's UnknownObject. Introspection and
 * Peer calls go on to sd-bus. */
static int unknown_preset(sd_bus_message *m, void *userdata _unused_, sd_bus_error *error)
{
        _cleanup_free_ char *name = NULL, *shown = NULL, *names = NULL;
        const char *interface = sd_bus_message_get_interface(m);
        size_t len = 0;
        int r;

        if (!sd_bus_message_is_method_call(m, NULL, NULL) ||
            streq_ptr(interface, "org.freedesktop.DBus.Introspectable") ||
            streq_ptr(interface, "org.freedesktop.DBus.Peer"))
                return 0;
        r = sd_bus_path_decode(sd_bus_message_get_path(m), NFTBUS_PRESETS_PATH, &name);
        if (r <= 0)
                return r < 0 ? r : 0;
        for (size_t i = 0; i < presets_count; i++) {
                char *grown = realloc(names, len + strlen(presets[i].name) + 3);
                if (!grown)
                        return -ENOMEM;
                names = grown;
                len += (size_t) sprintf(names + len, "%s%s", i ? ", " : "", presets[i].name);
        }
        shown = escape_for_message(name);
        return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No preset '%s': the presets are %s", strempty(shown),
                                 strempty(names));
}

int preset_register(Context *c)
{
        int r = sd_bus_add_fallback(c->bus, NULL, NFTBUS_PRESETS_PATH, unknown_preset, c);

        if (r < 0)
                return r;
        for (size_t i = 0; i < presets_count; i++) {
                _cleanup_free_ char *path = NULL;
                if (asprintf(&path, "%s/%s", NFTBUS_PRESETS_PATH, presets[i].name) < 0)
                        return -ENOMEM;
                r = sd_bus_add_object_vtable(c->bus, NULL, path, NFTBUS_PRESET_INTERFACE, preset_vtable, c);
                if (r < 0)
                        return r;
        }
        return 0;
}
