/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl preset list|show|preview|apply: org.nftbus.Firewall1.Preset. The options a preset takes, and
 * their types, come from its Options property, so NAME=VALUE arguments need no table here. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "busjson.h"
#include "nftbusctl.h"
#include "common/objpath.h"
#include "common/util.h"

typedef struct PresetOptionInfo {
        char *name, *signature, *description;
        json_t *default_value;
} PresetOptionInfo;

static void options_free(PresetOptionInfo *o, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(o[i].name);
                free(o[i].signature);
                free(o[i].description);
                json_decref(o[i].default_value);
        }
        free(o);
}

static int preset_path(const char *name, char **ret)
{
        return asprintf(ret, "%s/%s", NFTBUS_PRESETS_PATH, name) < 0 ? -ENOMEM : 0;
}

/* The preset's Options; EXIT_* */
static int read_options(sd_bus *bus, const char *path, PresetOptionInfo **ret, size_t *ret_n)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        PresetOptionInfo *o = NULL;
        const char *name, *signature, *description;
        size_t n = 0;
        int r;

        r = sd_bus_get_property(bus, NFTBUS_BUS_NAME, path, NFTBUS_PRESET_INTERFACE, "Options", &error, &reply,
                                "a(sssv)");
        if (r < 0)
                return call_failed("read the preset's options", &error, r);
        r = sd_bus_message_enter_container(reply, 'a', "(sssv)");
        while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'r', "sssv")) > 0) {
                PresetOptionInfo *grown = realloc(o, (n + 1) * sizeof(PresetOptionInfo));
                if (!grown) {
                        r = -ENOMEM;
                        break;
                }
                o = grown;
                o[n] = (PresetOptionInfo){};
                r = sd_bus_message_read(reply, "sss", &name, &signature, &description);
                if (r >= 0) {
                        o[n] = (PresetOptionInfo){ strdup(name), strdup(signature), strdup(description), NULL };
                        n++;
                        r = bus_read_json(reply, &o[n - 1].default_value);
                }
                if (r >= 0)
                        r = sd_bus_message_exit_container(reply);
        }
        if (r < 0) {
                options_free(o, n);
                return call_failed("read the preset's options", NULL, r);
        }
        *ret = o;
        *ret_n = n;
        return EXIT_OK;
}

/* The names of the presets: the children of the presets' path, as Introspect lists them. */
static int preset_names(sd_bus *bus, json_t *names)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *xml, *p;
        int r;

        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PRESETS_PATH, "org.freedesktop.DBus.Introspectable",
                               "Introspect", &error, &reply, NULL);
        if (r < 0)
                return call_failed("list the presets", &error, r);
        if (sd_bus_message_read(reply, "s", &xml) < 0)
                return EXIT_FAILED;
        for (p = xml; (p = strstr(p, "<node name=\"")); p++) {
                const char *name = p + strlen("<node name=\""), *end = strchr(name, '"');
                if (end)
                        json_array_append_new(names, json_stringn(name, (size_t) (end - name)));
        }
        return EXIT_OK;
}

static int preset_list(sd_bus *bus)
{
        _cleanup_(json_decrefp) json_t *names = json_array(), *list = json_array();
        json_t *name;
        size_t i;
        int r;

        r = preset_names(bus, names);
        if (r != EXIT_OK)
                return r;
        json_array_foreach (names, i, name) {
                _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
                _cleanup_free_ char *path = NULL, *description = NULL;
                if (preset_path(json_string_value(name), &path) < 0)
                        return EXIT_FAILED;
                r = sd_bus_get_property_string(bus, NFTBUS_BUS_NAME, path, NFTBUS_PRESET_INTERFACE, "Description",
                                               &error, &description);
                if (r < 0)
                        return call_failed("read the preset's description", &error, r);
                if (arg_json)
                        json_array_append_new(list, json_pack("{s:O, s:s}", "name", name, "description", description));
                else
                        printf("%-12s %s\n", json_string_value(name), description);
        }
        return arg_json ? print_json(list) : EXIT_OK;
}

static int preset_show(sd_bus *bus, const char *name)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *path = NULL, *description = NULL;
        PresetOptionInfo *o = NULL;
        size_t n = 0;
        int r;

        if (preset_path(name, &path) < 0)
                return EXIT_FAILED;
        r = sd_bus_get_property_string(bus, NFTBUS_BUS_NAME, path, NFTBUS_PRESET_INTERFACE, "Description", &error,
                                       &description);
        if (r < 0)
                return call_failed("read the preset", &error, r);
        r = read_options(bus, path, &o, &n);
        if (r != EXIT_OK)
                return r;
        if (arg_json) {
                _cleanup_(json_decrefp) json_t *options = json_array(), *j = NULL;
                for (size_t i = 0; i < n; i++)
                        json_array_append_new(options, json_pack("{s:s, s:s, s:s, s:O}", "name", o[i].name,
                                                                 "signature", o[i].signature, "description",
                                                                 o[i].description, "default", o[i].default_value));
                options_free(o, n);
                j = json_pack("{s:s, s:s, s:O}", "name", name, "description", description, "options", options);
                return j ? print_json(j) : EXIT_FAILED;
        }
        printf("%s: %s\n\nOptions (NAME=VALUE; lists comma-separated, or @FILE with one per line):\n", name,
               description);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *shown = json_dumps(o[i].default_value, JSON_ENCODE_ANY | JSON_COMPACT);
                printf("  %s (%s, default %s)\n      %s\n", o[i].name, o[i].signature, strempty(shown),
                       o[i].description);
        }
        options_free(o, n);
        return EXIT_OK;
}

/* preview and apply */
static int preset_call(sd_bus *bus, const char *name, const char *method, char **args, int n)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_free_ char *path = NULL;
        _cleanup_free_ KeyType *types = NULL;
        PresetOptionInfo *o = NULL;
        const char *result;
        size_t n_options = 0;
        int r;

        if (preset_path(name, &path) < 0)
                return EXIT_FAILED;
        r = read_options(bus, path, &o, &n_options);
        if (r != EXIT_OK)
                return r;
        types = calloc(n_options + 1, sizeof(KeyType));
        r = types ? 0 : -ENOMEM;
        for (size_t i = 0; r >= 0 && i < n_options; i++)
                types[i] = (KeyType){ o[i].name, o[i].signature };
        if (r >= 0)
                r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, path, NFTBUS_PRESET_INTERFACE, method);
        if (r >= 0)
                r = append_key_values(m, args, n, types, n_options);
        options_free(o, n_options);
        if (r == -EINVAL)
                return EXIT_USAGE;
        if (r < 0)
                return call_failed("build the call", NULL, r);
        r = call_built(bus, m, streq(method, "Apply") ? "apply the preset" : "preview the preset", &reply);
        if (r != EXIT_OK)
                return r;
        if (sd_bus_message_read(reply, streq(method, "Apply") ? "o" : "s", &result) < 0)
                return EXIT_FAILED;
        if (arg_json) {
                _cleanup_(json_decrefp) json_t *j =
                        json_pack("{s:s}", streq(method, "Apply") ? "applied" : "batch", result);
                return j ? print_json(j) : EXIT_FAILED;
        }
        if (streq(method, "Apply"))
                puts(result);
        else
                fputs(result, stdout);
        return EXIT_OK;
}

int cmd_preset(sd_bus *bus, char **args, int n)
{
        if (streq(args[0], "list") && n == 1)
                return preset_list(bus);
        if (streq(args[0], "show") && n == 2)
                return preset_show(bus, args[1]);
        if (streq(args[0], "preview") && n >= 2)
                return preset_call(bus, args[1], "Preview", args + 2, n - 2);
        if (streq(args[0], "apply") && n >= 2)
                return preset_call(bus, args[1], "Apply", args + 2, n - 2);
        return EXIT_USAGE; /* the verb table let through nothing else */
}
