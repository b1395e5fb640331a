/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "state/files.h"
#include "state/zones.h"
#include "common/util.h"
#include "common/validate.h"

#define ZONES_FILE_MAX (1024 * 1024)

/* a directory from the environment (the first of several, ':'-separated, as systemd gives them) */
static const char *directory_from(const char *variable, const char *fallback, char buf[static 4096])
{
        const char *env = getenv(variable);

        if (!env || !*env)
                return fallback;
        snprintf(buf, 4096, "%.*s", (int) strcspn(env, ":"), env);
        return buf;
}

const char *zones_config_directory(void)
{
        static char dir[4096];
        return directory_from("CONFIGURATION_DIRECTORY", NFTBUS_CONFIG_DIR, dir);
}

static const char *data_directory(void)
{
        static char dir[4096];
        return directory_from("NFTBUS_DATA_DIR", NFTBUS_DATA_DIR, dir);
}

/* Calls f(name, text) for every regular file DIR/NAME.SUFFIX, in name order; a directory that is not there
 * has none. */
static int each_file(const char *dir, const char *suffix, int (*f)(const char *name, const char *text, void *userdata),
                     void *userdata)
{
        struct dirent **entries = NULL;
        int n = scandir(dir, &entries, NULL, alphasort), r = 0;

        if (n < 0)
                return errno == ENOENT ? 0 : -errno;
        for (int i = 0; i < n; i++) {
                const char *name = entries[i]->d_name;
                size_t len = strlen(name), slen = strlen(suffix);
                _cleanup_free_ char *path = NULL, *text = NULL, *base = NULL;
                if (r >= 0 && len > slen && streq(name + len - slen, suffix) && name[0] != '.') {
                        if (asprintf(&path, "%s/%s", dir, name) < 0 || !(base = strndup(name, len - slen)))
                                r = -ENOMEM;
                        else if ((r = file_read_regular(path, ZONES_FILE_MAX, &text)) >= 0)
                                r = f(base, text, userdata);
                }
                free(entries[i]);
        }
        free(entries);
        return r;
}

typedef struct Loading {
        Zones *zones;
        char **why;
        const char *dir;
} Loading;

static int load_service(const char *name, const char *text, void *userdata)
{
        Loading *l = userdata;
        FILE *f = fmemopen((void *) text, strlen(text), "r");
        ServiceDef *s = NULL;
        int r;

        if (!f)
                return -ENOMEM;
        r = service_parse(name, f, &s, l->why);
        fclose(f);
        if (r < 0)
                return r;
        return catalogue_put(&l->zones->services, s);
}

static int load_zone(const char *name, const char *text, void *userdata)
{
        Loading *l = userdata;
        FILE *f = fmemopen((void *) text, strlen(text), "r");
        Zone *z = NULL;
        int r;

        if (!f)
                return -ENOMEM;
        r = zone_parse(name, f, &l->zones->services, &z, l->why);
        fclose(f);
        if (r < 0)
                return r;
        /* the file replaces the built-in zone of its name */
        return zone_config_replace(&l->zones->permanent, z);
}

static int load_settings(Zones *z, char **ret_why)
{
        _cleanup_free_ char *path = NULL, *text = NULL;
        char *save = NULL, *line;
        unsigned number = 0;
        int r;

        if (asprintf(&path, "%s/nftbus.conf", zones_config_directory()) < 0)
                return -ENOMEM;
        r = file_read_regular(path, ZONES_FILE_MAX, &text);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return why(ret_why, "%s cannot be read: %s", path, strerror(-r));
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                number++;
                line += strspn(line, " \t");
                if (!*line || *line == '#')
                        continue;
                if (startswith(line, "Zones="))
                        z->enabled_permanent = streq(line + 6, "yes");
                else if (startswith(line, "FirewallDAPI="))
                        z->firewalld_api = streq(line + 13, "yes");
                else if (startswith(line, "DefaultZone=") && zone_check_name(line + 12, NULL) >= 0)
                        snprintf(z->permanent.default_zone, sizeof(z->permanent.default_zone), "%s", line + 12);
                else
                        return why(ret_why,
                                   "Line %u of %s: expected Zones=yes|no, DefaultZone=NAME or FirewallDAPI=yes|no",
                                   number, path);
        }
        if (!zone_config_find(&z->permanent, z->permanent.default_zone))
                return why(ret_why, "%s names a default zone that does not exist: %s", path,
                           z->permanent.default_zone);
        return 0;
}

int zones_load(Zones **ret, char **ret_why)
{
        _cleanup_free_ char *services = NULL, *zones = NULL;
        Zones *z = calloc(1, sizeof(Zones));
        Loading l = { .zones = z, .why = ret_why };
        int r;

        if (!z)
                return -ENOMEM;
        r = zone_config_builtin(&z->permanent);
        if (r >= 0 && asprintf(&services, "%s/services", zones_config_directory()) < 0)
                r = -ENOMEM;
        if (r >= 0 && asprintf(&zones, "%s/zones", zones_config_directory()) < 0)
                r = -ENOMEM;
        if (r >= 0) {
                char shipped[4096];
                snprintf(shipped, sizeof(shipped), "%s/services", data_directory());
                r = each_file(shipped, ".service", load_service, &l);
        }
        if (r >= 0)
                r = each_file(services, ".service", load_service, &l);
        if (r >= 0)
                r = each_file(zones, ".zone", load_zone, &l);
        if (r >= 0)
                r = load_settings(z, ret_why);
        /* the built-in zones' services must exist */
        for (size_t i = 0; r >= 0 && i < z->permanent.n_zones; i++)
                for (size_t k = 0; r >= 0 && k < z->permanent.zones[i]->services.n; k++)
                        if (!catalogue_find(&z->services, z->permanent.zones[i]->services.items[k]))
                                r = why(ret_why, "Zone %s uses service %s, which the catalogue (%s/services) lacks",
                                        z->permanent.zones[i]->name, z->permanent.zones[i]->services.items[k],
                                        data_directory());
        if (r >= 0)
                r = zone_config_copy(&z->permanent, &z->runtime);
        if (r < 0) {
                zones_free(z);
                return r;
        }
        z->enabled = z->enabled_permanent;
        *ret = z;
        return 0;
}

Zones *zones_free(Zones *z)
{
        if (!z)
                return NULL;
        zone_config_done(&z->runtime);
        zone_config_done(&z->permanent);
        catalogue_done(&z->services);
        free(z);
        return NULL;
}

int zones_save_zone(const Zones *z, const char *name)
{
        _cleanup_free_ char *dir = NULL, *file = NULL, *text = NULL, *path = NULL;
        const Zone *zone = zone_config_find(&z->permanent, name);

        if (asprintf(&dir, "%s/zones", zones_config_directory()) < 0 || asprintf(&file, "%s.zone", name) < 0)
                return -ENOMEM;
        if (!zone) {
                if (asprintf(&path, "%s/%s", dir, file) < 0)
                        return -ENOMEM;
                return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
        }
        if (mkdir(zones_config_directory(), 0755) < 0 && errno != EEXIST)
                return -errno;
        if (zone_format(zone, &text) < 0)
                return -ENOMEM;
        return file_write_atomic(dir, file, text);
}

int zones_save_settings(const Zones *z)
{
        _cleanup_free_ char *text = NULL;

        if (asprintf(&text,
                     "# nftbus: the zones' settings (nftbusd(8)); zones/NAME.zone holds each zone\n"
                     "Zones=%s\nDefaultZone=%s\nFirewallDAPI=%s\n",
                     z->enabled_permanent ? "yes" : "no", z->permanent.default_zone,
                     z->firewalld_api ? "yes" : "no") < 0)
                return -ENOMEM;
        return file_write_atomic(zones_config_directory(), "nftbus.conf", text);
}

int zones_ruleset(const Zones *z, const StrList *carried, char **ret_text)
{
        if (!z->enabled && !z->panic) {
                *ret_text = strdup("add table inet " ZONE_TABLE "\ndelete table inet " ZONE_TABLE "\n");
                return *ret_text ? 0 : -ENOMEM;
        }
        return zone_ruleset(&z->runtime, &z->services, z->panic, carried, ret_text);
}

int zones_ruleset_update(const Zones *z, const ZoneConfig *old, bool in_force, const StrList *carried, char **ret_text)
{
        if (!in_force || !z->enabled || z->panic)
                return zones_ruleset(z, carried, ret_text);
        return zone_ruleset_update(old, &z->runtime, &z->services, carried, ret_text);
}
