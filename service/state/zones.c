/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "config.h"
#include "state/files.h"
#include "core/ipsetspec.h"
#include "core/policyspec.h"
#include "state/zones.h"
#include "common/util.h"
#include "common/validate.h"

/* The largest file of the configuration the loader reads, and so the largest the writer writes. */
#define ZONES_FILE_MAX_MIB 64 /* an ipset of a million entries takes 17 */
#define ZONES_FILE_MAX ((size_t) ZONES_FILE_MAX_MIB * 1024 * 1024)

/* Appends a sentence to *list (lines). 0, or -ENOMEM. */
__attribute__((format(printf, 2, 3))) static int problem(char **list, const char *fmt, ...)
{
        _cleanup_free_ char *line = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&line, fmt, ap);
        va_end(ap);
        return r < 0 ? -ENOMEM : text_append_line(list, line);
}

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

int zones_service_directory(const ServiceDef *s, char **ret)
{
        return asprintf(ret, "%s/services", s->admin ? zones_config_directory() : data_directory()) < 0 ? -ENOMEM : 0;
}

/* f(name, path, text as a stream) */
static int parse_text(int (*f)(const char *name, const char *path, FILE *text, void *userdata, char **ret_why),
                      const char *name, const char *path, const char *text, void *userdata, char **ret_why)
{
        FILE *stream = fmemopen((void *) text, strlen(text), "r");
        int r;

        if (!stream)
                return -ENOMEM;
        r = f(name, path, stream, userdata, ret_why);
        fclose(stream);
        return r;
}

/* Calls f(name, path, text) for every regular file DIR/NAME.SUFFIX, in name order; a directory that is not
 * there has none. A file that cannot be read, or that f refuses (-EINVAL), is a problem noted in *problems,
 * and the next file is read: one bad file costs its own contents, never the rest. */
static int each_file(const char *root, const char *subdir, const char *suffix,
                     int (*f)(const char *name, const char *path, FILE *text, void *userdata, char **ret_why),
                     void *userdata, char **problems)
{
        _cleanup_free_ char *dir = NULL;
        struct dirent **entries = NULL;
        int n, r = 0;

        if (asprintf(&dir, "%s/%s", root, subdir) < 0)
                return -ENOMEM;
        n = scandir(dir, &entries, NULL, alphasort);

        if (n < 0)
                return errno == ENOENT ? 0 : problem(problems, "%s cannot be read: %s", dir, strerror(errno));
        for (int i = 0; i < n; i++) {
                const char *name = entries[i]->d_name;
                size_t len = strlen(name), slen = strlen(suffix);
                _cleanup_free_ char *path = NULL, *text = NULL, *base = NULL, *why = NULL;
                if (r >= 0 && len > slen && streq(name + len - slen, suffix) && name[0] != '.') {
                        int k;
                        if (asprintf(&path, "%s/%s", dir, name) < 0 || !(base = strndup(name, len - slen)))
                                r = -ENOMEM;
                        else if ((k = file_read_regular(path, ZONES_FILE_MAX, &text)) < 0)
                                r = k == -EFBIG
                                            ? problem(problems, "%s cannot be read: larger than the limit of %u MiB",
                                                      path, ZONES_FILE_MAX_MIB)
                                            : problem(problems, "%s cannot be read: %s", path, strerror(-k));
                        else if ((k = parse_text(f, base, path, text, userdata, &why)) == -ENOMEM)
                                r = k;
                        else if (k < 0)
                                r = why ? problem(problems, "%s", why)
                                        : problem(problems, "%s: %s", path, strerror(-k));
                }
                free(entries[i]);
        }
        free(entries);
        return r;
}

/* a service file, nftbus's own (shipped) or the admin's */
static int load_service(const char *name, const char *path, FILE *f, Zones *z, bool admin, char **ret_why)
{
        ServiceDef *s = NULL;
        int r = service_parse(name, path, f, &s, ret_why);

        if (r < 0)
                return r;
        s->shipped = !admin;
        s->admin = admin;
        return catalogue_put(&z->services, s);
}

static int load_shipped_service(const char *name, const char *path, FILE *f, void *userdata, char **ret_why)
{
        return load_service(name, path, f, userdata, false, ret_why);
}

static int load_admin_service(const char *name, const char *path, FILE *f, void *userdata, char **ret_why)
{
        return load_service(name, path, f, userdata, true, ret_why);
}

/* an ipset file: ipsets/NAME.ipset */
static int load_ipset(const char *name, const char *path, FILE *f, void *userdata, char **ret_why)
{
        Zones *z = userdata;
        IPSet *s = NULL;
        int r = ipset_parse(name, path, f, &s, ret_why);

        return r < 0 ? r : ipset_list_put(&z->permanent.ipsets, s);
}

static int load_zone(const char *name, const char *path, FILE *f, void *userdata, char **ret_why)
{
        Zones *z = userdata;
        Zone *zone = NULL;
        int r = zone_parse(name, path, f, &z->services, &zone, ret_why);

        if (r < 0)
                return r;
        /* the ipsets it names are read before it */
        _cleanup_free_ char *why = NULL;
        r = zone_ipsets_check(zone, &z->permanent.ipsets, &why);
        if (r == -EINVAL && asprintf(ret_why, "%s: %s", path, why) < 0)
                r = -ENOMEM;
        if (r < 0) {
                zone_free(zone);
                return r;
        }
        /* the file replaces the built-in zone of its name */
        return zone_config_replace(&z->permanent, zone);
}

/* A policy's file: policies/NAME.policy, a '/' of its name written ':' (which no name has) */
static int policy_file(const char *name, char **ret)
{
        if (asprintf(ret, "policies/%s.policy", name) < 0)
                return -ENOMEM;
        for (char *s = *ret + strlen("policies/"); *s; s++)
                if (*s == '/')
                        *s = ':';
        return 0;
}

/* Whether the kernel has the module: loaded (its directory under /sys/module, or $NFTBUS_MODULES_DIR), or one it
 * can load or has built in (modules.dep, modules.builtin of the running kernel) */
static bool kernel_has_module(const char *module)
{
        const char *sys = getenv("NFTBUS_MODULES_DIR");
        _cleanup_free_ char *dir = NULL, *needle = NULL;
        struct utsname u;

        if (asprintf(&dir, "%s/%s", sys ? sys : "/sys/module", module) < 0)
                return true; /* out of memory: as if there, as before */
        if (access(dir, F_OK) == 0)
                return true;
        if (sys || uname(&u) < 0 || asprintf(&needle, "/%s.ko", module) < 0)
                return false;
        for (const char *list = "modules.dep"; list; list = streq(list, "modules.dep") ? "modules.builtin" : NULL) {
                _cleanup_free_ char *path = NULL, *text = NULL;
                if (asprintf(&path, "/lib/modules/%s/%s", u.release, list) < 0)
                        return true;
                if (file_read_regular(path, 64 << 20, &text) >= 0 && strstr(text, needle))
                        return true;
        }
        return false;
}

/* A conntrack helper the kernel does not have is left out of the services that name it, said in warnings: their
 * ports are still allowed, as firewalld does (the zones' table would be refused whole otherwise) */
static int helpers_degrade(ServiceCatalogue *c, char **warnings)
{
        _cleanup_(strlist_done) StrList present = {}, absent = {}; /* each helper looked for once */

        for (size_t i = 0; i < c->n; i++) {
                ServiceDef *s = c->services[i];
                for (size_t h = 0; h < s->helpers.n;) {
                        _cleanup_free_ char *module = NULL, *name = strdup(s->helpers.items[h]);
                        if (!name || asprintf(&module, "nf_conntrack_%s", name) < 0)
                                return -ENOMEM;
                        for (char *p = module; *p; p++)
                                if (*p == '-')
                                        *p = '_';
                        if (!strlist_contains(&present, name) && !strlist_contains(&absent, name) &&
                            strlist_add(kernel_has_module(module) ? &present : &absent, name) < 0)
                                return -ENOMEM;
                        if (strlist_contains(&present, name)) {
                                h++;
                                continue;
                        }
                        (void) strlist_remove(&s->helpers, name);
                        (void) strlist_remove(&s->own_helpers, name);
                        if (problem(warnings,
                                    "Service %s: the kernel has no conntrack helper %s (%s): its ports are "
                                    "allowed without it",
                                    s->name, name, module) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

/* a policy file, read after the zones it names, checked as firewalld checks it */
static int load_policy(const char *file, const char *path, FILE *f, void *userdata, char **ret_why)
{
        Zones *z = userdata;
        _cleanup_(policy_freep) Policy *p = NULL;
        _cleanup_free_ char *words = NULL, *name = strdup(file);
        const char *code = NULL;
        int r;

        if (!name)
                return -ENOMEM;
        for (char *s = name; *s; s++)
                if (*s == ':')
                        *s = '/';
        r = policy_parse(name, path, f, &z->services, &p, ret_why);

        if (r < 0)
                return r;
        r = policy_check(p, &z->permanent, &z->services, &code, &words);
        if (r == -EINVAL)
                return why(ret_why, "%s: %s: %s", path, code, strempty(words));
        if (r < 0)
                return r;
        /* the file replaces the built-in policy of its name */
        return policy_config_replace(&z->permanent, TAKE_PTR(p));
}

/* The line of text that says key=value, for a message (0: none says it). */
static unsigned line_of(const char *text, const char *key, const char *value)
{
        unsigned number = 1;

        for (const char *line = text; line && *line;
             line = strchr(line, '\n'), line = line ? line + 1 : NULL, number++) {
                const char *s = line + strspn(line, " \t");
                size_t klen = strlen(key), vlen = strlen(value);
                if (strncmp(s, key, klen) == 0 && s[klen] == '=' && strncmp(s + klen + 1, value, vlen) == 0 &&
                    strchr("\r\n \t", s[klen + 1 + vlen]))
                        return number;
        }
        return 0;
}

/* An interface or source that two zone files claim stays with the first zone (in name order); the second
 * zone's file is refused whole, as a file with any other mistake: its zone is the built-in one again, or
 * none. Until no two zones claim one thing. */
static int refuse_conflicts(Zones *z, const char *dir, char **problems)
{
        ZoneConflict conflict;
        int r;

        while ((r = zone_config_find_conflict(&z->permanent, &conflict)) > 0) {
                _cleanup_free_ char *path = NULL, *text = NULL, *value = strdup(conflict.value);
                char name[POLICY_NAME_MAX + 1], first[POLICY_NAME_MAX + 1];
                bool source = conflict.source;
                ZoneConfig builtin = {};
                unsigned line;

                snprintf(name, sizeof(name), "%s", conflict.second->name);
                snprintf(first, sizeof(first), "%s", conflict.first->name);
                if (!value || asprintf(&path, "%s/%s.zone", dir, name) < 0)
                        return -ENOMEM;
                line = file_read_regular(path, ZONES_FILE_MAX, &text) >= 0
                               ? line_of(text, source ? "source" : "interface", value)
                               : 0;
                r = problem(problems,
                            "%s is refused: line %u: %s %s is in zone %s already (%s/%s.zone): one zone only", path,
                            line, source ? "source" : "interface", value, first, dir, first);
                if (r < 0)
                        return r;
                /* the zone as it is built in, or gone */
                (void) zone_config_remove(&z->permanent, name);
                if (zone_is_builtin(name)) {
                        r = zone_config_builtin(&builtin);
                        Zone *b = r >= 0 ? zone_config_find(&builtin, name) : NULL;
                        Zone *copy = b ? zone_copy(b) : NULL;
                        zone_config_done(&builtin);
                        if (!copy || zone_config_replace(&z->permanent, copy) < 0)
                                return -ENOMEM;
                }
        }
        return r;
}

static int load_settings(Zones *z, char **problems, char **warnings)
{
        _cleanup_free_ char *path = NULL, *text = NULL;
        unsigned number = 0;
        int r;

        if (asprintf(&path, "%s/nftbus.conf", zones_config_directory()) < 0)
                return -ENOMEM;
        r = file_read_regular(path, ZONES_FILE_MAX, &text);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return problem(problems, "%s cannot be read: %s", path, strerror(-r));
        /* a line is one setting: an unknown or mistyped one is passed over with a warning, as systemd's
         * parsers do, and the others still count */
        for (char *line = text, *next; line; line = next) {
                const char *value;
                bool yes;
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                number++;
                line += strspn(line, " \t");
                line[strcspn(line, "\r")] = '\0';
                if (!*line || *line == '#')
                        continue;
                value = strchr(line, '=');
                value = value ? value + 1 : "";
                yes = streq(value, "yes");
                if ((startswith(line, "Zones=") || startswith(line, "FirewallDAPI=")) && !yes && !streq(value, "no"))
                        r = problem(warnings, "Line %u of %s: %s: expected yes or no; passed over", number, path,
                                    line);
                else if (startswith(line, "Zones="))
                        z->enabled_permanent = yes;
                else if (startswith(line, "FirewallDAPI="))
                        z->firewalld_api = yes;
                else if (startswith(line, "DefaultZone=") && zone_check_name(value, NULL) >= 0)
                        snprintf(z->permanent.default_zone, sizeof(z->permanent.default_zone), "%s", value);
                else if (startswith(line, "LogDenied=") && log_denied_of_name(value) >= 0)
                        z->permanent.log_denied = (LogDenied) log_denied_of_name(value);
                else
                        r = problem(warnings,
                                    "Line %u of %s: unknown setting '%s' (Zones=yes|no, DefaultZone=NAME, "
                                    "FirewallDAPI=yes|no, LogDenied=off|all|unicast|broadcast|multicast); passed "
                                    "over",
                                    number, path, line);
                if (r < 0)
                        return r;
        }
        if (!zone_config_find(&z->permanent, z->permanent.default_zone)) {
                r = problem(problems, "%s names a default zone that does not exist: %s; public is the default", path,
                            z->permanent.default_zone);
                snprintf(z->permanent.default_zone, sizeof(z->permanent.default_zone), "public");
        }
        return r;
}

int zones_load(Zones **ret, char **ret_problems, char **ret_warnings)
{
        static const char *const subdirs[] = { "zones", "ipsets", "policies", NULL };
        _cleanup_free_ char *zones = NULL, *problems = NULL, *warnings = NULL;
        Zones *z = calloc(1, sizeof(Zones));
        int r;

        if (!z)
                return -ENOMEM;
        /* a change of several files that a crash interrupted is finished first, or its leftovers removed */
        r = files_recover(zones_config_directory(), subdirs);
        if (r < 0)
                r = problem(&problems, "An interrupted write in %s could not be finished: %s",
                            zones_config_directory(), strerror(-r));
        if (r >= 0)
                r = zone_config_builtin(&z->permanent);
        if (r >= 0)
                r = each_file(data_directory(), "services", ".service", load_shipped_service, z, &problems);
        if (r >= 0)
                r = each_file(zones_config_directory(), "services", ".service", load_admin_service, z, &problems);
        /* a service takes what those it includes have; without the helpers the kernel lacks */
        if (r >= 0)
                r = catalogue_resolve(&z->services, &warnings);
        if (r >= 0)
                r = helpers_degrade(&z->services, &warnings);
        /* the built-in zones' services must exist */
        for (size_t i = 0; r >= 0 && i < z->permanent.n_zones; i++)
                for (size_t k = 0; r >= 0 && k < z->permanent.zones[i]->services.n; k++)
                        if (!catalogue_find(&z->services, z->permanent.zones[i]->services.items[k]))
                                r = problem(&problems,
                                            "Zone %s uses service %s, which the catalogue (%s/services) lacks",
                                            z->permanent.zones[i]->name, z->permanent.zones[i]->services.items[k],
                                            data_directory());
        /* firewalld's order: ipsets before the zones that name them */
        if (r >= 0)
                r = each_file(zones_config_directory(), "ipsets", ".ipset", load_ipset, z, &problems);
        if (r >= 0)
                r = each_file(zones_config_directory(), "zones", ".zone", load_zone, z, &problems);
        if (r >= 0 && asprintf(&zones, "%s/zones", zones_config_directory()) < 0)
                r = -ENOMEM;
        if (r >= 0)
                r = refuse_conflicts(z, zones, &problems);
        /* then the policies, which name zones (and whose checks look at the zones' interfaces) */
        if (r >= 0)
                r = each_file(zones_config_directory(), "policies", ".policy", load_policy, z, &problems);
        if (r >= 0)
                r = load_settings(z, &problems, &warnings);
        if (r >= 0)
                r = zone_config_copy(&z->permanent, &z->runtime);
        if (r < 0) {
                zones_free(z);
                return r;
        }
        z->enabled = z->enabled_permanent;
        *ret = z;
        *ret_problems = TAKE_PTR(problems);
        if (ret_warnings)
                *ret_warnings = TAKE_PTR(warnings);
        return 0;
}

Zones *zones_free(Zones *z)
{
        if (!z)
                return NULL;
        zone_config_done(&z->runtime);
        zone_config_done(&z->permanent);
        catalogue_done(&z->services);
        zone_skeleton_done(&z->applied);
        free(z);
        return NULL;
}

static int settings_text(const Zones *z, char **ret)
{
        return asprintf(ret,
                        "# nftbus: the zones' settings (nftbusd(8)); zones/NAME.zone holds each zone\n"
                        "Zones=%s\nDefaultZone=%s\nFirewallDAPI=%s\n%s%s%s",
                        z->enabled_permanent ? "yes" : "no", z->permanent.default_zone,
                        z->firewalld_api ? "yes" : "no", z->permanent.log_denied ? "LogDenied=" : "",
                        z->permanent.log_denied ? log_denied_name(z->permanent.log_denied) : "",
                        z->permanent.log_denied ? "\n" : "") < 0
                       ? -ENOMEM
                       : 0;
}

typedef struct Commit {
        FileChange *changes;
        char **texts; /* owned, beside changes[] */
        char **names; /* owned */
        size_t n;
} Commit;

static void commit_done(Commit *c)
{
        for (size_t i = 0; i < c->n; i++) {
                free(c->texts[i]);
                free(c->names[i]);
        }
        free(c->changes);
        free(c->texts);
        free(c->names);
}

/* name and text (both taken; text NULL: the file removed) */
static int commit_add(Commit *c, char *name, char *text)
{
        FileChange *changes = realloc(c->changes, (c->n + 1) * sizeof(FileChange));
        char **texts = changes ? realloc(c->texts, (c->n + 1) * sizeof(char *)) : NULL;
        char **names = texts ? realloc(c->names, (c->n + 1) * sizeof(char *)) : NULL;

        if (changes)
                c->changes = changes;
        if (texts)
                c->texts = texts;
        if (!names || !name) {
                free(name);
                free(text);
                return -ENOMEM;
        }
        c->names = names;
        c->names[c->n] = name;
        c->texts[c->n] = text;
        c->changes[c->n] = (FileChange){ name, text };
        c->n++;
        return 0;
}

/* the files of the ipsets that changed (all: every one's), and the removal of those gone */
static int save_ipsets(const Zones *z, const ZoneConfig *before, bool all, Commit *commit, char **ret_why)
{
        const IPSetList *now = &z->permanent.ipsets;
        int r;

        for (size_t i = 0; i < now->n; i++) {
                const IPSet *then = before ? ipset_list_find(&before->ipsets, now->items[i]->name) : NULL;
                _cleanup_free_ char *text = NULL, *name = NULL;
                if (!all && then && ipset_equal(then, now->items[i]))
                        continue;
                if (ipset_format(now->items[i], &text) < 0 ||
                    asprintf(&name, "ipsets/%s.ipset", now->items[i]->name) < 0)
                        return -ENOMEM;
                if (strlen(text) > ZONES_FILE_MAX) {
                        (void) why(ret_why,
                                   "ipset %s would take %zu bytes in its file, more than the %u MiB the loader reads",
                                   now->items[i]->name, strlen(text), ZONES_FILE_MAX_MIB);
                        return -EFBIG;
                }
                r = commit_add(commit, TAKE_PTR(name), TAKE_PTR(text));
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; before && i < before->ipsets.n; i++) {
                char *name = NULL;
                if (ipset_list_find(now, before->ipsets.items[i]->name))
                        continue;
                if (asprintf(&name, "ipsets/%s.ipset", before->ipsets.items[i]->name) < 0)
                        return -ENOMEM;
                r = commit_add(commit, name, NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* the files of the policies that changed (all: every one's), and the removal of those gone */
static int save_policies(const Zones *z, const ZoneConfig *before, bool all, Commit *commit)
{
        const ZoneConfig *now = &z->permanent;
        int r;

        for (size_t i = 0; i < now->n_policies; i++) {
                const Policy *then = before ? policy_config_find(before, now->policies[i]->zone.name) : NULL;
                _cleanup_free_ char *text = NULL, *name = NULL;
                if (!all && then && policy_equal(then, now->policies[i]))
                        continue;
                if (policy_format(now->policies[i], &text) < 0 || policy_file(now->policies[i]->zone.name, &name) < 0)
                        return -ENOMEM;
                r = commit_add(commit, TAKE_PTR(name), TAKE_PTR(text));
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; before && i < before->n_policies; i++) {
                char *name = NULL;
                if (policy_config_find(now, before->policies[i]->zone.name))
                        continue;
                if (policy_file(before->policies[i]->zone.name, &name) < 0)
                        return -ENOMEM;
                r = commit_add(commit, name, NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}

int zones_save(const Zones *z, const ZoneConfig *before, bool all, char **ret_why)
{
        _cleanup_(commit_done) Commit commit = {};
        _cleanup_free_ char *settings = NULL, *settings_path = NULL, *on_disk = NULL;
        int r;

        /* one validator for what is written and what is read */
        r = zone_config_check(&z->permanent, ret_why);
        if (r < 0)
                return r;
        for (size_t i = 0; i < z->permanent.n_zones; i++) {
                const Zone *now = z->permanent.zones[i], *then = before ? zone_config_find(before, now->name) : NULL;
                _cleanup_free_ char *text = NULL, *old = NULL, *name = NULL;
                if (zone_format(now, &text) < 0 || (then && zone_format(then, &old) < 0))
                        return -ENOMEM;
                if (!all && old && streq(old, text))
                        continue;
                if (strlen(text) > ZONES_FILE_MAX) {
                        (void) why(ret_why,
                                   "Zone %s would take %zu bytes in its file, more than the %u MiB the loader reads",
                                   now->name, strlen(text), ZONES_FILE_MAX_MIB);
                        return -EFBIG;
                }
                if (asprintf(&name, "zones/%s.zone", now->name) < 0)
                        return -ENOMEM;
                r = commit_add(&commit, TAKE_PTR(name), TAKE_PTR(text));
                if (r < 0)
                        return r;
        }
        r = save_ipsets(z, before, all, &commit, ret_why);
        if (r >= 0)
                r = save_policies(z, before, all, &commit);
        if (r < 0)
                return r;
        for (size_t i = 0; before && i < before->n_zones; i++) {
                char *name = NULL;
                if (zone_config_find(&z->permanent, before->zones[i]->name))
                        continue;
                if (asprintf(&name, "zones/%s.zone", before->zones[i]->name) < 0)
                        return -ENOMEM;
                r = commit_add(&commit, name, NULL);
                if (r < 0)
                        return r;
        }
        if (settings_text(z, &settings) < 0 ||
            asprintf(&settings_path, "%s/nftbus.conf", zones_config_directory()) < 0)
                return -ENOMEM;
        if (file_read_regular(settings_path, ZONES_FILE_MAX, &on_disk) < 0 || !streq(on_disk, settings)) {
                r = commit_add(&commit, strdup("nftbus.conf"), TAKE_PTR(settings));
                if (r < 0)
                        return r;
        }
        if (commit.n == 0)
                return 0;
        r = files_commit(zones_config_directory(), commit.changes, commit.n);
        if (r < 0)
                (void) why(ret_why, "The permanent configuration could not be written to %s: %s",
                           zones_config_directory(), strerror(-r));
        return r < 0 ? r : 0;
}

int zones_ruleset(const Zones *z, const StrList *carried, char **ret_text)
{
        if (!z->enabled && !z->panic) {
                *ret_text = strdup("add table inet " ZONE_TABLE "\ndelete table inet " ZONE_TABLE "\n");
                return *ret_text ? 0 : -ENOMEM;
        }
        return zone_ruleset(&z->runtime, &z->services, z->panic, carried, ret_text);
}

int zones_ruleset_update(const Zones *z, const ZoneConfig *old, bool in_force, bool whole, const StrList *carried,
                         zone_chain_handles_t handles, void *userdata, ZoneSkeleton *ret_skeleton, char **ret_text)
{
        if (!in_force || !z->enabled || z->panic)
                return zones_ruleset(z, carried, ret_text);
        return zone_ruleset_update(old, &z->applied, &z->runtime, &z->services, carried, whole, handles, userdata,
                                   ret_skeleton, ret_text);
}
