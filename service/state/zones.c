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
#include "core/fwdxml.h"
#include "core/helperspec.h"
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

/* firewalld's folders: the admin's files, and the defaults its package ships */
static const char *firewalld_directory(void)
{
        static char dir[4096];
        return directory_from("NFTBUS_FIREWALLD_CONFIG_DIR", "/etc/firewalld", dir);
}

static const char *firewalld_defaults_directory(void)
{
        static char dir[4096];
        return directory_from("NFTBUS_FIREWALLD_DEFAULTS_DIR", "/usr/lib/firewalld", dir);
}

const char *zones_files_directory(const Zones *z)
{
        return z->firewalld_files ? firewalld_directory() : zones_config_directory();
}

const char *zones_file_suffix(const Zones *z, const char *kind)
{
        return z->firewalld_files ? ".xml" : kind;
}

int zones_service_directory(const Zones *z, const ServiceDef *s, char **ret)
{
        _cleanup_free_ char *file = NULL;
        const char *dir = data_directory();

        if (s->admin)
                dir = zones_files_directory(z);
        else if (z->firewalld_files) { /* firewalld's own definition, or nftbus's where firewalld has none */
                if (asprintf(&file, "%s/services/%s.xml", firewalld_defaults_directory(), s->name) < 0)
                        return -ENOMEM;
                if (access(file, F_OK) == 0)
                        dir = firewalld_defaults_directory();
        }
        return asprintf(ret, "%s/services", dir) < 0 ? -ENOMEM : 0;
}

int zones_builtin_directory(const Zones *z, const char *folder, char **ret)
{
        if (!z->firewalld_files)
                return (*ret = strdup("")) ? 0 : -ENOMEM;
        return asprintf(ret, "%s/%s", firewalld_defaults_directory(), folder) < 0 ? -ENOMEM : 0;
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

/* How the files of a folder are spelled: nftbus's KEY=VALUE lines, or firewalld's XML of a kind (core/fwdxml.h),
 * which is read as the same lines */
typedef struct Spelling {
        const char *suffix;
        bool xml;
        FwdFileKind kind;
        char **warnings; /* what firewalld's XML readers pass over (NULL: not said) */
} Spelling;

/* f's text: the file's own, or the lines its XML says */
static int parse_file(int (*f)(const char *name, const char *path, FILE *text, void *userdata, char **ret_why),
                      const Spelling *spelling, const char *name, const char *path, const char *text, void *userdata,
                      char **ret_why)
{
        _cleanup_free_ char *keys = NULL;
        int r;

        if (!spelling->xml)
                return parse_text(f, name, path, text, userdata, ret_why);
        r = fwd_xml_to_keys(spelling->kind, text, strlen(text), path, &keys, spelling->warnings, ret_why);
        return r < 0 ? r : parse_text(f, name, path, keys, userdata, ret_why);
}

/* Calls f(name, path, text) for every regular file DIR/NAME.SUFFIX, in name order; a directory that is not
 * there has none. A file that cannot be read, or that f refuses (-EINVAL), is a problem noted in *problems,
 * and the next file is read: one bad file costs its own contents, never the rest. */
static int each_file(const char *root, const char *subdir, const Spelling *spelling,
                     int (*f)(const char *name, const char *path, FILE *text, void *userdata, char **ret_why),
                     void *userdata, char **problems)
{
        const char *suffix = spelling->suffix;
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
                        else if ((k = parse_file(f, spelling, base, path, text, userdata, &why)) == -ENOMEM)
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
/* What a file is read into: the permanent configuration, or its defaults (firewalld's shipped files) */
typedef struct Loading {
        Zones *zones;
        ZoneConfig *into;
} Loading;

static int load_ipset(const char *name, const char *path, FILE *f, void *userdata, char **ret_why)
{
        Loading *l = userdata;
        IPSet *s = NULL;
        int r = ipset_parse(name, path, f, &s, ret_why);

        return r < 0 ? r : ipset_list_put(&l->into->ipsets, s);
}

static int load_zone(const char *name, const char *path, FILE *f, void *userdata, char **ret_why)
{
        Loading *l = userdata;
        Zones *z = l->zones;
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
        return zone_config_replace(l->into, zone);
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
        _cleanup_(strlist_done) StrList present = {}, absent = {}; /* each module looked for once */

        for (size_t i = 0; i < c->n; i++) {
                ServiceDef *s = c->services[i];
                for (size_t h = 0; h < s->helpers.n;) {
                        _cleanup_free_ char *name = strdup(s->helpers.items[h]);
                        if (!name)
                                return -ENOMEM;
                        const char *module = catalogue_helper_module(c, name);
                        if (!module ||
                            (!catalogue_helper_type(c, name, "tcp") && !catalogue_helper_type(c, name, "udp"))) {
                                h++; /* nothing of the kernel's to attach (proto-gre), or not there (said already) */
                                continue;
                        }
                        if (!strlist_contains(&present, module) && !strlist_contains(&absent, module) &&
                            strlist_add(kernel_has_module(module) ? &present : &absent, module) < 0)
                                return -ENOMEM;
                        if (strlist_contains(&present, module)) {
                                h++;
                                continue;
                        }
                        if (problem(warnings,
                                    "Service %s: the kernel has no conntrack helper %s (%s): its ports are "
                                    "allowed without it",
                                    s->name, name, module) < 0)
                                return -ENOMEM;
                        (void) strlist_remove(&s->helpers, name);
                        (void) strlist_remove(&s->own_helpers, name);
                }
        }
        return 0;
}

/* an admin's conntrack helper: helpers/NAME.helper (firewalld's helpers/NAME.xml) */
static int load_admin_helper(const char *name, const char *path, FILE *f, void *userdata, char **ret_why)
{
        Zones *z = userdata;
        HelperDef *h = NULL;
        int r = helper_parse(name, path, f, &h, ret_why);

        return r < 0 ? r : catalogue_put_helper(&z->services, h);
}

/* a policy file, read after the zones it names, checked as firewalld checks it */
static int load_policy(const char *file, const char *path, FILE *f, void *userdata, char **ret_why)
{
        Loading *l = userdata;
        Zones *z = l->zones;
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
        r = policy_check(p, l->into, &z->services, &code, &words);
        if (r == -EINVAL)
                return why(ret_why, "%s: %s: %s", path, code, strempty(words));
        if (r < 0)
                return r;
        /* the file replaces the built-in policy of its name */
        return policy_config_replace(l->into, TAKE_PTR(p));
}

/* The line of text that says key=value, for a message (0: none says it); in XML, the first line with "value" */
static unsigned line_of(const char *text, const char *key, const char *value, bool xml)
{
        if (xml) {
                _cleanup_free_ char *quoted = NULL;
                unsigned number = 1;
                const char *at;
                if (asprintf(&quoted, "\"%s\"", value) < 0 || !(at = strstr(text, quoted)))
                        return 0;
                for (const char *p = text; p < at; p++)
                        number += *p == '\n';
                return number;
        }
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
static int refuse_conflicts(Zones *z, const char *dir, const char *suffix, char **problems)
{
        ZoneConflict conflict;
        int r;

        while ((r = zone_config_find_conflict(&z->permanent, &conflict)) > 0) {
                _cleanup_free_ char *path = NULL, *text = NULL, *value = strdup(conflict.value);
                char name[POLICY_NAME_MAX + 1], first[POLICY_NAME_MAX + 1];
                bool source = conflict.source;
                unsigned line;

                snprintf(name, sizeof(name), "%s", conflict.second->name);
                snprintf(first, sizeof(first), "%s", conflict.first->name);
                if (!value || asprintf(&path, "%s/%s%s", dir, name, suffix) < 0)
                        return -ENOMEM;
                line = file_read_regular(path, ZONES_FILE_MAX, &text) >= 0
                               ? line_of(text, source ? "source" : "interface", value, streq(suffix, ".xml"))
                               : 0;
                r = problem(problems, "%s is refused: line %u: %s %s is in zone %s already (%s/%s%s): one zone only",
                            path, line, source ? "source" : "interface", value, first, dir, first, suffix);
                if (r < 0)
                        return r;
                /* the zone as shipped, or gone */
                (void) zone_config_remove(&z->permanent, name);
                const Zone *shipped = zones_default_zone(z, name);
                if (shipped) {
                        Zone *copy = zone_copy(shipped);
                        if (!copy || zone_config_replace(&z->permanent, copy) < 0)
                                return -ENOMEM;
                }
        }
        return r;
}

/* The defaults' zones, policies and ipsets in place of those of their names in c */
static int config_take_defaults(ZoneConfig *c, const ZoneConfig *defaults)
{
        for (size_t i = 0; i < defaults->n_zones; i++) {
                Zone *copy = zone_copy(defaults->zones[i]);
                if (!copy || zone_config_replace(c, copy) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < defaults->n_policies; i++) {
                Policy *copy = policy_copy(defaults->policies[i]);
                if (!copy || policy_config_replace(c, copy) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < defaults->ipsets.n; i++) {
                IPSet *copy = ipset_copy(defaults->ipsets.items[i]);
                if (!copy || ipset_list_put(&c->ipsets, copy) < 0)
                        return -ENOMEM;
        }
        return 0;
}

const ServiceCatalogue *zones_services(const Zones *z, bool permanent)
{
        return permanent && z->services_permanent ? z->services_permanent : &z->services;
}

int zones_service_shipped(const Zones *z, const char *name, ServiceDef **ret)
{
        _cleanup_free_ char *path = NULL, *text = NULL, *keys = NULL;
        bool xml = false;
        FILE *f;
        int r = -ENOENT;

        if (z->firewalld_files) { /* firewalld's own definition first, as the loader reads them */
                if (asprintf(&path, "%s/services/%s.xml", firewalld_defaults_directory(), name) < 0)
                        return -ENOMEM;
                r = file_read_regular(path, ZONES_FILE_MAX, &text);
                xml = r >= 0;
        }
        if (r == -ENOENT) {
                path = mfree(path);
                if (asprintf(&path, "%s/services/%s.service", data_directory(), name) < 0)
                        return -ENOMEM;
                r = file_read_regular(path, ZONES_FILE_MAX, &text);
        }
        if (r < 0)
                return r;
        if (xml && fwd_xml_to_keys(FWD_FILE_SERVICE, text, strlen(text), path, &keys, NULL, NULL) < 0)
                return -EINVAL;
        f = fmemopen(xml ? keys : text, strlen(xml ? keys : text), "r");
        if (!f)
                return -ENOMEM;
        r = service_parse(name, path, f, ret, NULL);
        fclose(f);
        if (r >= 0)
                (*ret)->shipped = true;
        return r;
}

void zones_services_permanent_drop(Zones *z)
{
        if (z->services_permanent)
                catalogue_done(z->services_permanent);
        free(z->services_permanent);
        z->services_permanent = NULL;
}

const Zone *zones_default_zone(const Zones *z, const char *name)
{
        return zone_config_find(&z->defaults, name);
}

const Policy *zones_default_policy(const Zones *z, const char *name)
{
        return policy_config_find(&z->defaults, name);
}

/* The lines of a KEY=VALUE settings file (nftbus.conf, firewalld.conf), each given to setting(); a line that is not
 * KEY=VALUE is passed over with a warning. -ENOENT when there is no such file (nothing said). */
static int read_settings(const char *path,
                         int (*setting)(void *userdata, const char *key, const char *value, const char *where,
                                        char **warnings),
                         void *userdata, char **problems, char **warnings)
{
        _cleanup_free_ char *text = NULL;
        unsigned number = 0;
        int r = file_read_regular(path, ZONES_FILE_MAX, &text);

        if (r == -ENOENT)
                return r;
        if (r < 0)
                return problem(problems, "%s cannot be read: %s", path, strerror(-r));
        /* a line is one setting: an unknown or mistyped one is passed over with a warning, as systemd's
         * parsers do, and the others still count */
        for (char *line = text, *next; line; line = next) {
                _cleanup_free_ char *where = NULL;
                char *eq;
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                number++;
                line += strspn(line, " \t");
                line[strcspn(line, "\r")] = '\0';
                if (!*line || *line == '#')
                        continue;
                if (asprintf(&where, "Line %u of %s", number, path) < 0)
                        return -ENOMEM;
                eq = strchr(line, '=');
                if (!eq)
                        r = problem(warnings, "%s: %s: not KEY=VALUE; passed over", where, line);
                else {
                        *eq = '\0';
                        r = setting(userdata, line, eq + 1, where, warnings);
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

/* nftbus.conf's settings; Configuration= says whose files hold the configuration */
static int nftbus_setting(void *userdata, const char *key, const char *value, const char *where, char **warnings)
{
        Zones *z = userdata;
        bool yes = streq(value, "yes");

        if (IN_SET_STR(key, "Zones", "FirewallDAPI") && !yes && !streq(value, "no"))
                return problem(warnings, "%s: %s=%s: expected yes or no; passed over", where, key, value);
        if (streq(key, "Configuration") && (streq(value, "nftbus") || streq(value, "firewalld")))
                z->firewalld_files = streq(value, "firewalld");
        else if (streq(key, "Zones"))
                z->enabled_permanent = yes;
        else if (streq(key, "FirewallDAPI"))
                z->firewalld_api = yes;
        else if (streq(key, "DefaultZone") && zone_check_name(value, NULL) >= 0)
                snprintf(z->permanent.default_zone, sizeof(z->permanent.default_zone), "%s", value);
        else if (streq(key, "LogDenied") && log_denied_of_name(value) >= 0)
                z->permanent.log_denied = (LogDenied) log_denied_of_name(value);
        else
                return problem(
                        warnings,
                        "%s: unknown setting '%s=%s' (Configuration=nftbus|firewalld, Zones=yes|no, "
                        "DefaultZone=NAME, FirewallDAPI=yes|no, LogDenied=off|all|unicast|broadcast|multicast); "
                        "passed over",
                        where, key, value);
        return 0;
}

/* firewalld.conf's keys that nftbus follows; the others are firewalld's alone, named in the log once */
typedef struct FirewalldSettings {
        Zones *zones;
        StrList passed_over;
} FirewalldSettings;

static int firewalld_setting(void *userdata, const char *key, const char *value, const char *where, char **warnings)
{
        FirewalldSettings *s = userdata;
        ZoneConfig *c = &s->zones->permanent;

        if (streq(key, "DefaultZone") && zone_check_name(value, NULL) >= 0)
                snprintf(c->default_zone, sizeof(c->default_zone), "%s", value);
        else if (streq(key, "LogDenied") && log_denied_of_name(value) >= 0)
                c->log_denied = (LogDenied) log_denied_of_name(value);
        else if (streq(key, "CleanupOnExit") && (streq(value, "yes") || streq(value, "no")))
                s->zones->cleanup_on_exit = streq(value, "yes");
        else if (IN_SET_STR(key, "DefaultZone", "LogDenied", "CleanupOnExit"))
                return problem(warnings,
                               "%s: %s=%s: a zone's name, a LogDenied value or yes|no was expected; passed over",
                               where, key, value);
        else if (streq(key, "Lockdown") && !streq(value, "no"))
                return problem(warnings,
                               "%s: Lockdown=%s: nftbus does not lock its API down to firewalld's whitelist (polkit "
                               "decides who may change what); passed over",
                               where, value);
        else
                return strlist_add(&s->passed_over, key) < 0 ? -ENOMEM : 0;
        return 0;
}

/* nftbus.conf, before any other file: which files hold the configuration. Without nftbus.conf, firewalld's when
 * firewalld's folder has its firewalld.conf (nftbus in firewalld's place); with firewalld's files, zones are on
 * and firewalld's API answers unless nftbus.conf says otherwise. */
static int load_nftbus_settings(Zones *z, char **problems, char **warnings)
{
        _cleanup_free_ char *path = NULL, *firewalld_conf = NULL, *text = NULL;
        int r;

        if (asprintf(&path, "%s/nftbus.conf", zones_config_directory()) < 0 ||
            asprintf(&firewalld_conf, "%s/firewalld.conf", firewalld_directory()) < 0)
                return -ENOMEM;
        r = file_read_regular(path, ZONES_FILE_MAX, &text);
        if (r == -ENOENT)
                z->firewalld_files = access(firewalld_conf, F_OK) == 0;
        else if (r >= 0)
                z->firewalld_files = line_of(text, "Configuration", "firewalld", false) > 0;
        z->enabled_permanent = z->firewalld_api = z->firewalld_files;
        r = read_settings(path, nftbus_setting, z, problems, warnings);
        return r == -ENOENT ? 0 : r;
}

/* firewalld.conf, with firewalld's files */
static int load_firewalld_settings(Zones *z, char **problems, char **warnings)
{
        _cleanup_(strlist_done) StrList passed_over = {};
        _cleanup_free_ char *path = NULL, *keys = NULL;
        FirewalldSettings settings = { .zones = z };
        int r;

        z->cleanup_on_exit = true; /* firewalld's default */
        if (asprintf(&path, "%s/direct.xml", firewalld_directory()) < 0)
                return -ENOMEM;
        /* what the admin's direct rules did is not done: said, never silent */
        if (access(path, F_OK) == 0 &&
            problem(warnings,
                    "%s: firewalld's direct rules are not nftbus's; passed over, the zones filter without them",
                    path) < 0)
                return -ENOMEM;
        path = mfree(path);
        if (asprintf(&path, "%s/firewalld.conf", firewalld_directory()) < 0)
                return -ENOMEM;
        r = read_settings(path, firewalld_setting, &settings, problems, warnings);
        passed_over = settings.passed_over;
        if (r == -ENOENT || (r >= 0 && passed_over.n == 0))
                return 0;
        if (r >= 0 && !(keys = strlist_join(&passed_over, ", ")))
                r = -ENOMEM;
        if (r >= 0 &&
            asprintf(
                    &z->notes,
                    "%s: nftbus follows DefaultZone, LogDenied and CleanupOnExit; passed over, as firewalld's own: %s",
                    path, keys) < 0)
                r = -ENOMEM;
        return r;
}

/* firewalld's shipped helpers and ICMP types: read and checked; nftbus has both built in (core/helperspec.c,
 * core/zonespec.c), and says which of these it cannot take */
static int check_helper(const char *name, const char *path, FILE *f, void *userdata, char **ret_why)
{
        _cleanup_free_ char *reason = NULL;
        char **warnings = userdata;
        HelperDef *h = NULL;
        int r = helper_parse(name, path, f, &h, &reason);

        (void) ret_why;
        helper_free(h);
        if (r == -ENOMEM)
                return r;
        return r < 0 ? problem(warnings, "%s; services that name helper %s are refused", reason, name) : 0;
}

static int check_icmp_type(const char *name, const char *path, FILE *f, void *userdata, char **ret_why)
{
        char **warnings = userdata;

        (void) f, (void) ret_why;
        return zone_icmp_type_families(name) != 0
                       ? 0
                       : problem(warnings,
                                 "%s: ICMP type %s is not one nftbus knows (its table is firewalld's "
                                 "shipped types); rules that name it are refused",
                                 path, name);
}

int zones_load(Zones **ret, char **ret_problems, char **ret_warnings)
{
        static const char *const subdirs[] = { "zones", "ipsets", "policies", "services", "helpers", NULL };
        _cleanup_free_ char *zones = NULL, *problems = NULL, *warnings = NULL;
        Zones *z = calloc(1, sizeof(Zones));
        int r;

        if (!z)
                return -ENOMEM;
        r = zone_config_builtin(&z->permanent);
        if (r >= 0)
                r = zone_config_builtin(&z->defaults);
        if (r >= 0)
                r = load_nftbus_settings(z, &problems, &warnings);
        if (r < 0) {
                zones_free(z);
                return r;
        }
        /* the admin's files, and (with firewalld's) the defaults firewalld's package ships under them */
        const char *dir = zones_files_directory(z),
                   *defaults = z->firewalld_files ? firewalld_defaults_directory() : NULL;
        const char *suffix = z->firewalld_files ? ".xml" : NULL;
#define SPELLING(kv_suffix, xml_kind)                                                                                 \
        (&(Spelling){ .suffix = suffix ? suffix : (kv_suffix),                                                        \
                      .xml = suffix != NULL,                                                                          \
                      .kind = (xml_kind),                                                                             \
                      .warnings = &warnings })
        /* a change of several files that a crash interrupted is finished first, or its leftovers removed */
        r = files_recover(dir, subdirs);
        if (r < 0)
                r = problem(&problems, "An interrupted write in %s could not be finished: %s", dir, strerror(-r));
        if (r >= 0)
                r = each_file(data_directory(), "services", &(Spelling){ .suffix = ".service" }, load_shipped_service,
                              z, &problems);
        if (r >= 0 && defaults)
                r = each_file(defaults, "services", SPELLING(".service", FWD_FILE_SERVICE), load_shipped_service, z,
                              &problems);
        if (r >= 0)
                r = each_file(dir, "helpers", SPELLING(".helper", FWD_FILE_HELPER), load_admin_helper, z, &problems);
        if (r >= 0)
                r = each_file(dir, "services", SPELLING(".service", FWD_FILE_SERVICE), load_admin_service, z,
                              &problems);
        /* a service takes what those it includes have; without the helpers the kernel lacks */
        if (r >= 0)
                r = catalogue_resolve(&z->services, &warnings);
        if (r >= 0)
                r = catalogue_check_helpers(&z->services, &problems);
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
        /* firewalld's order: ipsets before the zones that name them, then the zones, then the policies (which name
         * zones, and whose checks look at the zones' interfaces); each the defaults (which the configuration comes
         * back to: z->defaults), then the admin's */
        Loading to_defaults = { z, &z->defaults }, to_permanent = { z, &z->permanent };
        if (r >= 0 && defaults)
                r = each_file(defaults, "ipsets", SPELLING(".ipset", FWD_FILE_IPSET), load_ipset, &to_defaults,
                              &problems);
        if (r >= 0 && defaults)
                r = each_file(defaults, "zones", SPELLING(".zone", FWD_FILE_ZONE), load_zone, &to_defaults, &problems);
        if (r >= 0 && defaults)
                r = each_file(defaults, "policies", SPELLING(".policy", FWD_FILE_POLICY), load_policy, &to_defaults,
                              &problems);
        if (r >= 0)
                r = config_take_defaults(&z->permanent, &z->defaults);
        if (r >= 0)
                r = each_file(dir, "ipsets", SPELLING(".ipset", FWD_FILE_IPSET), load_ipset, &to_permanent, &problems);
        if (r >= 0)
                r = each_file(dir, "zones", SPELLING(".zone", FWD_FILE_ZONE), load_zone, &to_permanent, &problems);
        if (r >= 0 && asprintf(&zones, "%s/zones", dir) < 0)
                r = -ENOMEM;
        if (r >= 0)
                r = refuse_conflicts(z, zones, suffix ? suffix : ".zone", &problems);
        if (r >= 0)
                r = each_file(dir, "policies", SPELLING(".policy", FWD_FILE_POLICY), load_policy, &to_permanent,
                              &problems);
        /* firewalld's own helpers (the admin's are read with the services) */
        if (r >= 0 && defaults)
                r = each_file(defaults, "helpers", SPELLING(".xml", FWD_FILE_HELPER), check_helper, &warnings,
                              &problems);
        for (int pass = 0; r >= 0 && defaults && pass < 2; pass++)
                r = each_file(pass ? dir : defaults, "icmptypes", SPELLING(".xml", FWD_FILE_ICMPTYPE), check_icmp_type,
                              &warnings, &problems);
#undef SPELLING
        if (r >= 0 && z->firewalld_files)
                r = load_firewalld_settings(z, &problems, &warnings);
        if (r >= 0 && !zone_config_find(&z->permanent, z->permanent.default_zone)) {
                r = problem(&problems, "%s/%s names a default zone that does not exist: %s; public is the default",
                            z->firewalld_files ? firewalld_directory() : zones_config_directory(),
                            z->firewalld_files ? "firewalld.conf" : "nftbus.conf", z->permanent.default_zone);
                snprintf(z->permanent.default_zone, sizeof(z->permanent.default_zone), "public");
        }
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
        zone_config_done(&z->defaults);
        catalogue_done(&z->services);
        zones_services_permanent_drop(z);
        zone_skeleton_done(&z->applied);
        free(z->notes);
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

/* The file of an object (FOLDER/NAME and the layout's ending; a policy's '/' written ':', which no name has): lines
 * (taken; NULL: the file removed), nftbus's KEY=VALUE lines of it, in the layout's spelling. -EFBIG with a sentence
 * for a file larger than the loader reads. */
static int commit_object(const Zones *z, Commit *commit, const char *folder, const char *name, FwdFileKind kind,
                         char *lines, char **ret_why)
{
        static const char *const kv_suffixes[_FWD_FILE_MAX] = { [FWD_FILE_ZONE] = ".zone",
                                                                [FWD_FILE_POLICY] = ".policy",
                                                                [FWD_FILE_IPSET] = ".ipset",
                                                                [FWD_FILE_SERVICE] = ".service",
                                                                [FWD_FILE_HELPER] = ".helper" };
        _cleanup_free_ char *text = lines, *file = NULL, *xml = NULL;
        int r;

        if (asprintf(&file, "%s/%s%s", folder, name, zones_file_suffix(z, kv_suffixes[kind])) < 0)
                return -ENOMEM;
        for (char *c = file + strlen(folder) + 1; *c; c++)
                if (*c == '/')
                        *c = ':';
        if (text && z->firewalld_files) {
                r = fwd_keys_to_xml(kind, text, &xml, ret_why);
                if (r < 0)
                        return r;
                free(text);
                text = TAKE_PTR(xml);
        }
        if (text && strlen(text) > ZONES_FILE_MAX) {
                (void) why(ret_why,
                           "The %s %s would take %zu bytes in its file, more than the %u MiB the loader reads",
                           fwd_file_root(kind), name, strlen(text), ZONES_FILE_MAX_MIB);
                return -EFBIG;
        }
        return commit_add(commit, TAKE_PTR(file), TAKE_PTR(text));
}

/* the files of the ipsets that changed (all: every one's), and the removal of those gone */
static int save_ipsets(const Zones *z, const ZoneConfig *before, bool all, Commit *commit, char **ret_why)
{
        const IPSetList *now = &z->permanent.ipsets;
        int r;

        for (size_t i = 0; i < now->n; i++) {
                const IPSet *then = before ? ipset_list_find(&before->ipsets, now->items[i]->name) : NULL;
                char *text = NULL;
                if (!all && then && ipset_equal(then, now->items[i]))
                        continue;
                if (ipset_format(now->items[i], &text) < 0)
                        return -ENOMEM;
                r = commit_object(z, commit, "ipsets", now->items[i]->name, FWD_FILE_IPSET, text, ret_why);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; before && i < before->ipsets.n; i++)
                if (!ipset_list_find(now, before->ipsets.items[i]->name) &&
                    (r = commit_object(z, commit, "ipsets", before->ipsets.items[i]->name, FWD_FILE_IPSET, NULL,
                                       ret_why)) < 0)
                        return r;
        return 0;
}

/* the files of the policies that changed (all: every one's), and the removal of those gone */
static int save_policies(const Zones *z, const ZoneConfig *before, bool all, Commit *commit, char **ret_why)
{
        const ZoneConfig *now = &z->permanent;
        int r;

        for (size_t i = 0; i < now->n_policies; i++) {
                const Policy *then = before ? policy_config_find(before, now->policies[i]->zone.name) : NULL;
                char *text = NULL;
                if (!all && then && policy_equal(then, now->policies[i]))
                        continue;
                if (policy_format(now->policies[i], &text) < 0)
                        return -ENOMEM;
                r = commit_object(z, commit, "policies", now->policies[i]->zone.name, FWD_FILE_POLICY, text, ret_why);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; before && i < before->n_policies; i++)
                if (!policy_config_find(now, before->policies[i]->zone.name) &&
                    (r = commit_object(z, commit, "policies", before->policies[i]->zone.name, FWD_FILE_POLICY, NULL,
                                       ret_why)) < 0)
                        return r;
        return 0;
}

/* the files of the zones that changed (all: every one's), and the removal of those gone; with firewalld's files, a
 * zone as shipped has none of the admin's (as firewalld's loadDefaults leaves it) */
static int save_zones(const Zones *z, const ZoneConfig *before, bool all, Commit *commit, char **ret_why)
{
        int r;

        for (size_t i = 0; i < z->permanent.n_zones; i++) {
                const Zone *now = z->permanent.zones[i], *then = before ? zone_config_find(before, now->name) : NULL;
                const Zone *shipped = z->firewalld_files ? zones_default_zone(z, now->name) : NULL;
                _cleanup_free_ char *old = NULL, *as_shipped = NULL;
                char *text = NULL;
                if (zone_format(now, &text) < 0 || (then && zone_format(then, &old) < 0) ||
                    (shipped && zone_format(shipped, &as_shipped) < 0)) {
                        free(text);
                        return -ENOMEM;
                }
                if (!all && old && streq(old, text)) {
                        free(text);
                        continue;
                }
                if (as_shipped && streq(as_shipped, text)) {
                        free(text);
                        text = NULL;
                }
                r = commit_object(z, commit, "zones", now->name, FWD_FILE_ZONE, text, ret_why);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; before && i < before->n_zones; i++)
                if (!zone_config_find(&z->permanent, before->zones[i]->name) &&
                    (r = commit_object(z, commit, "zones", before->zones[i]->name, FWD_FILE_ZONE, NULL, ret_why)) < 0)
                        return r;
        return 0;
}

/* text with the line KEY=VALUE in place of the first that sets key (or after the last line): firewalld.conf as
 * firewalld rewrites it, its comments and other settings kept */
static int setting_replaced(const char *text, const char *key, const char *value, char **ret)
{
        size_t klen = strlen(key);

        for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
                if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
                        size_t rest = strcspn(line, "\n");
                        return asprintf(ret, "%.*s%s=%s%s", (int) (line - text), text, key, value, line + rest) < 0
                                       ? -ENOMEM
                                       : 0;
                }
        size_t n = strlen(text);
        return asprintf(ret, "%s%s%s=%s\n", text, n && text[n - 1] != '\n' ? "\n" : "", key, value) < 0 ? -ENOMEM : 0;
}

/* The settings file of the layout when it changes: nftbus.conf, or firewalld.conf with DefaultZone and LogDenied */
static int save_settings(const Zones *z, Commit *commit)
{
        _cleanup_free_ char *path = NULL, *on_disk = NULL, *text = NULL, *first = NULL;
        const char *name = z->firewalld_files ? "firewalld.conf" : "nftbus.conf";
        int r;

        if (asprintf(&path, "%s/%s", zones_files_directory(z), name) < 0)
                return -ENOMEM;
        r = file_read_regular(path, ZONES_FILE_MAX, &on_disk);
        if (z->firewalld_files) {
                if (r < 0 && r != -ENOENT)
                        return r; /* never a firewalld.conf written over one that cannot be read */
                r = setting_replaced(strempty(on_disk), "DefaultZone", z->permanent.default_zone, &first);
                if (r >= 0)
                        r = setting_replaced(first, "LogDenied", log_denied_name(z->permanent.log_denied), &text);
        } else
                r = settings_text(z, &text);
        if (r < 0)
                return r;
        if (on_disk && streq(on_disk, text))
                return 0;
        return commit_add(commit, strdup(name), TAKE_PTR(text));
}

/* With firewalld's files, nftbus.conf says what nftbus alone has (zones off, firewalld's API off) when it does, or
 * was there: written apart (another folder), after firewalld's files */
static int save_nftbus_settings(const Zones *z, char **ret_why)
{
        _cleanup_free_ char *path = NULL, *on_disk = NULL, *text = NULL;
        int r;

        if (asprintf(&path, "%s/nftbus.conf", zones_config_directory()) < 0 ||
            asprintf(&text,
                     "# nftbus: the zones' settings (nftbusd(8)); firewalld's files hold the zones\n"
                     "Configuration=firewalld\nZones=%s\nFirewallDAPI=%s\n",
                     z->enabled_permanent ? "yes" : "no", z->firewalld_api ? "yes" : "no") < 0)
                return -ENOMEM;
        r = file_read_regular(path, ZONES_FILE_MAX, &on_disk);
        /* the admin's file is left as it is while it says what nftbus has (yes unless it says no) */
        bool zones = !on_disk || !line_of(on_disk, "Zones", "no", false),
             api = !on_disk || !line_of(on_disk, "FirewallDAPI", "no", false);
        if ((r >= 0 || r == -ENOENT) && zones == z->enabled_permanent && api == z->firewalld_api)
                return 0;
        r = file_write_atomic(zones_config_directory(), "nftbus.conf", text);
        if (r < 0)
                (void) why(ret_why, "%s could not be written: %s", path, strerror(-r));
        return r;
}

int zones_save(const Zones *z, const ZoneConfig *before, bool all, char **ret_why)
{
        _cleanup_(commit_done) Commit commit = {};
        int r;

        /* one validator for what is written and what is read */
        r = zone_config_check(&z->permanent, ret_why);
        if (r >= 0)
                r = save_zones(z, before, all, &commit, ret_why);
        if (r >= 0)
                r = save_ipsets(z, before, all, &commit, ret_why);
        if (r >= 0)
                r = save_policies(z, before, all, &commit, ret_why);
        if (r >= 0)
                r = save_settings(z, &commit);
        if (r == -EINVAL || r == -EFBIG)
                return r;
        if (r >= 0 && commit.n > 0)
                r = files_commit(zones_files_directory(z), commit.changes, commit.n);
        if (r < 0) {
                (void) why(ret_why, "The permanent configuration could not be written to %s: %s",
                           zones_files_directory(z), strerror(-r));
                return r;
        }
        return z->firewalld_files ? save_nftbus_settings(z, ret_why) : 0;
}

/* The admin's file of one object of a folder (services, helpers): the one named gone removed (NULL: none), the
 * one named name written with text (taken; NULL: none), in one commit */
static int save_object(const Zones *z, const char *folder, FwdFileKind kind, const char *gone, const char *name,
                       char *text, char **ret_why)
{
        _cleanup_(commit_done) Commit commit = {};
        int r = 0;

        if (gone && (!name || !streq(gone, name)))
                r = commit_object(z, &commit, folder, gone, kind, NULL, ret_why);
        if (r >= 0 && name)
                r = commit_object(z, &commit, folder, name, kind, TAKE_PTR(text), ret_why);
        free(text);
        if (r == -EINVAL || r == -EFBIG)
                return r;
        if (r >= 0)
                r = files_commit(zones_files_directory(z), commit.changes, commit.n);
        if (r < 0)
                (void) why(ret_why, "The permanent configuration could not be written to %s: %s",
                           zones_files_directory(z), strerror(-r));
        return r;
}

int zones_save_service(const Zones *z, const char *gone, const ServiceDef *s, char **ret_why)
{
        char *text = NULL;

        if (s && service_format(s, &text) < 0)
                return -ENOMEM;
        return save_object(z, "services", FWD_FILE_SERVICE, gone, s ? s->name : NULL, text, ret_why);
}

int zones_save_helper(const Zones *z, const char *gone, const HelperDef *h, char **ret_why)
{
        char *text = NULL;

        if (h && helper_format(h, &text) < 0)
                return -ENOMEM;
        return save_object(z, "helpers", FWD_FILE_HELPER, gone, h ? h->name : NULL, text, ret_why);
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
