/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Conntrack helpers: firewalld's built in, an admin's read and written (core/helperspec.h). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/helperspec.h"
#include "common/util.h"
#include "common/validate.h"

/* firewalld's conntrack helpers (its helpers/ folder): the kernel's helper type on tcp and udp, firewalld's module,
 * family and ports; Q.931 and RAS are h323's two halves, each a helper of its own */
static const ZoneHelper helpers[] = {
        { "Q.931", "Q.931", NULL, "nf_conntrack_h323", "", { "1720/tcp" } },
        { "RAS", NULL, "RAS", "nf_conntrack_h323", "", { "1719/udp" } },
        { "amanda", NULL, "amanda", "nf_conntrack_amanda", "", { "10080/udp" } },
        { "ftp", "ftp", NULL, "nf_conntrack_ftp", "", { "21/tcp" } },
        { "h323", "Q.931", "RAS", "nf_conntrack_h323", "", {} },
        { "irc", "irc", NULL, "nf_conntrack_irc", "ipv4", { "194/tcp" } },
        { "netbios-ns", NULL, "netbios-ns", "nf_conntrack_netbios_ns", "ipv4", { "137/udp" } },
        { "pptp", "pptp", NULL, "nf_conntrack_pptp", "ipv4", { "1723/tcp" } },
        /* GRE's tracking: the kernel's own since 5.5, nothing to attach */
        { "proto-gre", NULL, NULL, "nf_conntrack_proto_gre", "", {} },
        { "sane", "sane", NULL, "nf_conntrack_sane", "", { "6566/tcp" } },
        { "sip", "sip", "sip", "nf_conntrack_sip", "", { "5060/tcp", "5060/udp" } },
        { "snmp", NULL, "snmp", "nf_conntrack_snmp", "ipv4", { "161/udp" } },
        { "tftp", NULL, "tftp", "nf_conntrack_tftp", "", { "69/udp" } },
};

const ZoneHelper *zone_helper_at(size_t i)
{
        return i < ELEMENTSOF(helpers) ? &helpers[i] : NULL;
}

const ZoneHelper *zone_helper_find(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(helpers); i++)
                if (streq(helpers[i].name, name))
                        return &helpers[i];
        return NULL;
}

const char *helper_module_type(const char *module, const char *protocol)
{
        bool tcp = streq(protocol, "tcp");

        if (!tcp && !streq(protocol, "udp"))
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(helpers); i++)
                if (streq(helpers[i].module, module) && (tcp ? helpers[i].tcp : helpers[i].udp))
                        return tcp ? helpers[i].tcp : helpers[i].udp;
        return NULL;
}

bool helper_module_known(const char *module)
{
        for (size_t i = 0; i < ELEMENTSOF(helpers); i++)
                if (streq(helpers[i].module, module))
                        return true;
        return false;
}

int helper_check_name(const char *name, char **ret_why)
{
        size_t n = strlen(name);

        if (n == 0 || n > HELPER_NAME_MAX ||
            strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") != n)
                return why_value(ret_why, "Invalid %s '%s': letters, digits, '-' and '.', 32 at most", "helper name",
                                 name);
        return 0;
}

void helper_free(HelperDef *h)
{
        if (!h)
                return;
        FREE_MANY(h->name, h->module, h->family, h->short_name, h->description, h->version);
        strlist_done(&h->ports);
        free(h);
}

static int helper_line(const char *key, const char *value, void *userdata, char **ret_why)
{
        HelperDef *h = userdata;
        _cleanup_free_ char *canonical = NULL;
        int r;

        if (IN_SET_STR(key, "description", "short", "version"))
                return free_and_strdup(streq(key, "short")     ? &h->short_name
                                       : streq(key, "version") ? &h->version
                                                               : &h->description,
                                       value);
        if (streq(key, "module")) {
                if (!startswith(value, HELPER_MODULE_PREFIX) || !value[strlen(HELPER_MODULE_PREFIX)])
                        return why_value(ret_why, "Invalid %s '%s': nf_conntrack_NAME", "module", value);
                if (!helper_module_known(value))
                        return why_value(ret_why,
                                         "Invalid %s '%s': not one of the kernel's conntrack helpers (amanda, ftp, "
                                         "h323, irc, netbios_ns, pptp, proto_gre, sane, sip, snmp, tftp)",
                                         "module", value);
                return free_and_strdup(&h->module, value);
        }
        if (streq(key, "family")) {
                if (!IN_SET_STR(value, "", "ipv4", "ipv6"))
                        return why_value(ret_why, "Invalid %s '%s': ipv4 or ipv6 (or none: both)", "family", value);
                return free_and_strdup(&h->family, value);
        }
        if (streq(key, "port")) {
                r = zone_check_port(value, &canonical, ret_why);
                if (r < 0)
                        return r;
                if (!h->module)
                        return why_value(ret_why, "Invalid %s '%s': the module comes first", "port", value);
                if (!helper_module_type(h->module, strchr(canonical, '/') + 1))
                        return why(ret_why, "Invalid port '%s': the kernel's helper of %s follows no %s", value,
                                   h->module, strchr(canonical, '/') + 1);
                return strlist_add(&h->ports, canonical) < 0 ? -ENOMEM : 0;
        }
        return why_value(ret_why, "Unknown %s '%s': module, family, port, short, description or version", "key", key);
}

int helper_parse(const char *name, const char *origin, FILE *f, HelperDef **ret, char **ret_why)
{
        HelperDef *h = calloc(1, sizeof(HelperDef));
        _cleanup_free_ char *what = NULL;
        int r;

        if (!h || !(h->name = strdup(name)) || !(h->family = strdup("")) ||
            (origin ? !(what = strdup(origin)) : asprintf(&what, "helper %s", name) < 0)) {
                helper_free(h);
                return -ENOMEM;
        }
        r = helper_check_name(name, ret_why);
        if (r >= 0)
                r = key_values_read(f, what, helper_line, h, ret_why);
        if (r >= 0 && !h->module)
                r = why(ret_why, "%s: a helper names its module (module=nf_conntrack_NAME)", what);
        if (r < 0) {
                helper_free(h);
                return r;
        }
        *ret = h;
        return 0;
}

int helper_format(const HelperDef *h, char **ret)
{
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);

        if (!f)
                return -ENOMEM;
        fprintf(f, "# nftbus helper %s: KEY=VALUE lines, one value each (see nftbusd(8))\n", h->name);
        if (h->version)
                fprintf(f, "version=%s\n", h->version);
        if (h->short_name)
                fprintf(f, "short=%s\n", h->short_name);
        if (h->description)
                fprintf(f, "description=%s\n", h->description);
        fprintf(f, "module=%s\n", h->module);
        if (h->family[0])
                fprintf(f, "family=%s\n", h->family);
        for (size_t i = 0; i < h->ports.n; i++)
                fprintf(f, "port=%s\n", h->ports.items[i]);
        if (fclose(f) != 0) {
                free(text);
                return -ENOMEM;
        }
        *ret = text;
        return 0;
}

HelperDef *helper_copy(const HelperDef *h)
{
        _cleanup_free_ char *text = NULL;
        HelperDef *copy = NULL;
        FILE *f;

        if (helper_format(h, &text) < 0 || !(f = fmemopen(text, strlen(text), "r")))
                return NULL;
        (void) helper_parse(h->name, NULL, f, &copy, NULL);
        fclose(f);
        return copy;
}

/* ---- in a catalogue ---- */

const HelperDef *catalogue_find_helper(const ServiceCatalogue *c, const char *name)
{
        for (size_t i = 0; i < c->n_helpers; i++)
                if (streq(c->helpers[i]->name, name))
                        return c->helpers[i];
        return NULL;
}

int catalogue_put_helper(ServiceCatalogue *c, HelperDef *h)
{
        size_t i = 0;

        while (i < c->n_helpers && strcmp(c->helpers[i]->name, h->name) < 0)
                i++;
        if (i < c->n_helpers && streq(c->helpers[i]->name, h->name)) {
                helper_free(c->helpers[i]);
                c->helpers[i] = h;
                return 0;
        }
        if (POINTER_ARRAY_INSERT(c->helpers, c->n_helpers, i, h) < 0) {
                helper_free(h);
                return -ENOMEM;
        }
        return 0;
}

int catalogue_remove_helper(ServiceCatalogue *c, const char *name)
{
        for (size_t i = 0; i < c->n_helpers; i++)
                if (streq(c->helpers[i]->name, name)) {
                        helper_free(POINTER_ARRAY_TAKE(c->helpers, c->n_helpers, i));
                        return 1;
                }
        return 0;
}

bool catalogue_helper_known(const ServiceCatalogue *c, const char *helper)
{
        return catalogue_helper_module(c, helper) != NULL;
}

const char *catalogue_helper_module(const ServiceCatalogue *c, const char *helper)
{
        const HelperDef *h = catalogue_find_helper(c, helper);
        const ZoneHelper *b = h ? NULL : zone_helper_find(helper);

        return h ? h->module : b ? b->module : NULL;
}

const char *catalogue_helper_port(const ServiceCatalogue *c, const char *helper, size_t i)
{
        const HelperDef *h = catalogue_find_helper(c, helper);
        const ZoneHelper *b = h ? NULL : zone_helper_find(helper);

        if (h)
                return i < h->ports.n ? h->ports.items[i] : NULL;
        return b && i < ELEMENTSOF(b->ports) ? b->ports[i] : NULL;
}

const char *catalogue_helper_type(const ServiceCatalogue *c, const char *helper, const char *protocol)
{
        const HelperDef *h = catalogue_find_helper(c, helper);
        const ZoneHelper *b = h ? NULL : zone_helper_find(helper);

        /* a built-in one by its own types: h323 is Q.931 on tcp, RAS on udp */
        return h                        ? helper_module_type(h->module, protocol)
               : !b                     ? NULL
               : streq(protocol, "tcp") ? b->tcp
               : streq(protocol, "udp") ? b->udp
                                        : NULL;
}

int catalogue_check_helpers(const ServiceCatalogue *c, char **problems)
{
        for (size_t i = 0; i < c->n; i++)
                for (size_t h = 0; h < c->services[i]->helpers.n; h++) {
                        _cleanup_free_ char *line = NULL;
                        if (catalogue_helper_known(c, c->services[i]->helpers.items[h]))
                                continue;
                        if (asprintf(&line, "Service %s names helper %s, which is neither built in nor the admin's",
                                     c->services[i]->name, c->services[i]->helpers.items[h]) < 0 ||
                            text_append_line(problems, line) < 0)
                                return -ENOMEM;
                }
        return 0;
}

const char *catalogue_helper_at(const ServiceCatalogue *c, size_t i)
{
        size_t b = 0,
               a = 0; /* the built-in ones' and the admin's, merged in name order, the admin's over a built-in */

        for (;;) {
                const char *builtin = zone_helper_at(b) ? zone_helper_at(b)->name : NULL;
                const char *admin = a < c->n_helpers ? c->helpers[a]->name : NULL;
                const char *next;
                if (!builtin && !admin)
                        return NULL;
                int order = !builtin ? 1 : !admin ? -1 : strcmp(builtin, admin);
                next = order <= 0 ? builtin : admin;
                b += order <= 0;
                a += order >= 0;
                if (i-- == 0)
                        return next;
        }
}

int catalogue_helper_view(const ServiceCatalogue *c, const char *name, HelperView *ret)
{
        const HelperDef *h = catalogue_find_helper(c, name);
        const ZoneHelper *b = h ? NULL : zone_helper_find(name);

        if (!h && !b)
                return -ENOENT;
        *ret = h ? (HelperView){ h->name,
                                 h->module,
                                 h->family,
                                 h->short_name ? h->short_name : "",
                                 h->description ? h->description : "",
                                 h->version ? h->version : "",
                                 true }
                 : (HelperView){ b->name, b->module, b->family, "", "", "", false };
        return 0;
}
