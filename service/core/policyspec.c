/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/validate.h"
#include "core/policyspec.h"
#include "core/richrule.h"
#include "core/zonelist.h"

static const char *const policy_targets[] = {
        [ZONE_TARGET_DEFAULT] = "CONTINUE",
        [ZONE_TARGET_ACCEPT] = "ACCEPT",
        [ZONE_TARGET_REJECT] = "REJECT",
        [ZONE_TARGET_DROP] = "DROP",
};

const char *policy_target_name(ZoneTarget t)
{
        return t < _ZONE_TARGET_MAX ? policy_targets[t] : NULL;
}

int policy_target_of_name(const char *s)
{
        for (size_t t = 0; t < ELEMENTSOF(policy_targets); t++)
                if (streq(policy_targets[t], s))
                        return (int) t;
        return -EINVAL;
}

Policy *policy_new(const char *name)
{
        Policy *p = calloc(1, sizeof(Policy));

        if (!p)
                return NULL;
        snprintf(p->zone.name, sizeof(p->zone.name), "%s", name);
        p->priority = POLICY_PRIORITY_DEFAULT;
        return p;
}

void policy_free(Policy *p)
{
        if (!p)
                return;
        for (ZoneListKind k = 0; k < _ZONE_LIST_MAX; k++)
                strlist_done(zone_list(&p->zone, k));
        FREE_MANY(p->zone.description, p->zone.short_name, p->zone.version);
        strlist_done(&p->ingress);
        strlist_done(&p->egress);
        free(p);
}

Policy *policy_copy(const Policy *from)
{
        _cleanup_(zone_freep) Zone *z = zone_copy(&from->zone);
        Policy *p = policy_new(from->zone.name);

        if (!z || !p) {
                policy_free(p);
                return NULL;
        }
        p->zone = *z; /* what the copy holds, moved */
        free(TAKE_PTR(z));
        p->priority = from->priority;
        if (strlist_copy(&from->ingress, &p->ingress) < 0 || strlist_copy(&from->egress, &p->egress) < 0) {
                policy_free(p);
                return NULL;
        }
        return p;
}

bool policy_equal(const Policy *a, const Policy *b)
{
        _cleanup_free_ char *x = NULL, *y = NULL;

        return policy_format(a, &x) >= 0 && policy_format(b, &y) >= 0 && streq(x, y);
}

int policy_check_name(const char *name, char **ret_why)
{
        const char *slash = strchr(name, '/');
        size_t n = strlen(name);

        if (n == 0)
                return why(ret_why, "name can't be empty");
        for (const char *s = name; *s; s++)
                if (!IN_SET(*s, '_', '-', '/') && !(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
                    !(*s >= '0' && *s <= '9'))
                        return why(ret_why, "'%c' is not allowed in '%s'", *s, name);
        if (name[0] == '/')
                return why(ret_why, "Policy '%s': name can't start with '/'", name);
        if (name[n - 1] == '/')
                return why(ret_why, "Policy '%s': name can't end with '/'", name);
        if (slash && strchr(slash + 1, '/'))
                return why(ret_why, "Policy '%s': name has more than one '/'", name);
        if ((slash ? (size_t) (slash - name) : n) > POLICY_NAME_FIREWALLD_MAX)
                return why(ret_why, "Policy '%s': name has %zu chars, max is %d", name,
                           slash ? (size_t) (slash - name) : n, POLICY_NAME_FIREWALLD_MAX);
        if (n > POLICY_NAME_MAX)
                return why(ret_why, "Policy '%s': name has %zu chars, nftbus takes %d at most", name, n,
                           POLICY_NAME_MAX);
        return 0;
}

int policy_check_priority(int priority, const char *name, char **ret_why)
{
        if (priority == 0 || priority < POLICY_PRIORITY_MIN || priority > POLICY_PRIORITY_MAX)
                return why(ret_why,
                           "Policy '%s': %d is invalid priority. Must be in range [%d, %d]. The following are "
                           "reserved: [0]",
                           name, priority, POLICY_PRIORITY_MIN, POLICY_PRIORITY_MAX);
        return 0;
}

/* ---- the policies of a configuration ---- */

static const char *policy_name_of(const void *p)
{
        return ((const Policy *) p)->zone.name;
}

static void policy_free_item(void *p)
{
        policy_free(p);
}

/* c's policies as a NamedArray */
#define POLICIES_OF(c) (&(NamedArray){ (void ***) &(c)->policies, &(c)->n_policies, policy_name_of, policy_free_item })

Policy *policy_config_find(const ZoneConfig *c, const char *name)
{
        bool found;
        size_t i = named_position(POLICIES_OF((ZoneConfig *) c), name, &found);

        return found ? c->policies[i] : NULL;
}

int policy_config_put(ZoneConfig *c, Policy *p)
{
        return named_put(POLICIES_OF(c), p);
}

int policy_config_remove(ZoneConfig *c, const char *name)
{
        return named_remove(POLICIES_OF(c), name);
}

int policy_config_replace(ZoneConfig *c, Policy *p)
{
        (void) policy_config_remove(c, p->zone.name);
        return policy_config_put(c, p);
}

const Policy *policy_config_naming(const ZoneConfig *c, const char *zone)
{
        for (size_t i = 0; i < c->n_policies; i++)
                if (strlist_contains(&c->policies[i]->ingress, zone) ||
                    strlist_contains(&c->policies[i]->egress, zone))
                        return c->policies[i];
        return NULL;
}

/* ---- checks ---- */

static bool zone_active(const ZoneConfig *c, const char *name)
{
        const Zone *z;

        if (IN_SET_STR(name, POLICY_ZONE_HOST, POLICY_ZONE_ANY))
                return true;
        z = zone_config_find(c, name);
        return z && (z->interfaces.n > 0 || z->sources.n > 0);
}

static bool any_active(const ZoneConfig *c, const StrList *zones)
{
        for (size_t i = 0; i < zones->n; i++)
                if (zone_active(c, zones->items[i]))
                        return true;
        return false;
}

bool policy_is_active(const ZoneConfig *c, const Policy *p)
{
        return any_active(c, &p->ingress) && any_active(c, &p->egress);
}

typedef struct Check {
        const char **code;
        char **why;
} Check;

_printf_(3, 4) static int refuse(const Check *k, const char *code, const char *fmt, ...)
{
        va_list ap;
        int r;

        *k->code = code;
        va_start(ap, fmt);
        r = vasprintf(k->why, fmt, ap);
        va_end(ap);
        return r < 0 ? -ENOMEM : -EINVAL;
}

static int check_side(const Policy *p, const ZoneConfig *c, const StrList *side, const char *key, const Check *k)
{
        const StrList *other = side == &p->ingress ? &p->egress : &p->ingress;

        for (size_t i = 0; i < side->n; i++) {
                const char *zone = side->items[i];
                bool special = IN_SET_STR(zone, POLICY_ZONE_HOST, POLICY_ZONE_ANY);
                if (!special && !zone_config_find(c, zone))
                        return refuse(k, "INVALID_ZONE", "Policy '%s': '%s' not among existing zones", p->zone.name,
                                      zone);
                if ((!special &&
                     (strlist_contains(side, POLICY_ZONE_HOST) || strlist_contains(side, POLICY_ZONE_ANY))) ||
                    (special && side->n > 1))
                        return refuse(k, "INVALID_ZONE",
                                      "Policy '%s': '%s' may only contain one of: many regular zones, ANY, or HOST",
                                      p->zone.name, key);
                if (streq(zone, POLICY_ZONE_HOST) && strlist_contains(other, POLICY_ZONE_HOST))
                        return refuse(k, "INVALID_ZONE",
                                      "Policy '%s': 'HOST' can only appear in either ingress or egress zones, but not "
                                      "both",
                                      p->zone.name);
        }
        return 0;
}

/* masquerade (of the policy, or of a rich rule): not toward or from the host */
static int check_masquerade(const Policy *p, const Check *k)
{
        if (strlist_contains(&p->egress, POLICY_ZONE_HOST))
                return refuse(k, "INVALID_ZONE", "Policy '%s': 'masquerade' is invalid for egress zone 'HOST'",
                              p->zone.name);
        if (strlist_contains(&p->ingress, POLICY_ZONE_HOST))
                return refuse(k, "INVALID_ZONE", "Policy '%s': 'masquerade' is invalid for ingress zone 'HOST'",
                              p->zone.name);
        return 0;
}

/* the egress zones, other than ANY, that have interfaces: a port forward or a mark cannot tell them apart before
 * routing */
static const char *egress_with_interfaces(const Policy *p, const ZoneConfig *c)
{
        for (size_t i = 0; i < p->egress.n; i++) {
                const Zone *z = zone_config_find(c, p->egress.items[i]);
                if (z && z->interfaces.n > 0)
                        return z->name;
        }
        return NULL;
}

/* a port forward (of the policy, or of a rich rule), with or without an address to send to */
static int check_forward_port(const Policy *p, const ZoneConfig *c, bool to_addr, const Check *k)
{
        const char *zone;

        if (strlist_contains(&p->egress, POLICY_ZONE_HOST)) {
                if (to_addr)
                        return refuse(k, "INVALID_FORWARD",
                                      "Policy '%s': A 'forward-port' with 'to-addr' is invalid for egress zone 'HOST'",
                                      p->zone.name);
                return 0;
        }
        if (p->egress.n == 0)
                return 0;
        if (!to_addr)
                return refuse(k, "INVALID_FORWARD",
                              "Policy '%s': 'forward-port' requires 'to-addr' if egress zone is 'ANY' or a zone",
                              p->zone.name);
        if (!strlist_contains(&p->egress, POLICY_ZONE_ANY) && (zone = egress_with_interfaces(p, c)))
                return refuse(k, "INVALID_ZONE",
                              "Policy '%s': 'forward-port' cannot be used because egress zone '%s' has assigned "
                              "interfaces",
                              p->zone.name, zone);
        return 0;
}

static int check_rich_rules(const Policy *p, const ZoneConfig *c, const Check *k)
{
        _cleanup_free_ RichRule *rule = malloc(sizeof(RichRule));
        const char *zone;

        if (!rule)
                return -ENOMEM;
        for (size_t i = 0; i < p->zone.rich_rules.n; i++) {
                const char *code;
                _cleanup_free_ char *reason = NULL;
                int r = rich_rule_parse(p->zone.rich_rules.items[i], rule, &code, &reason);
                if (r < 0)
                        return r == -ENOMEM ? r : refuse(k, code, "%s", strempty(reason));
                if (rule->element == RICH_MASQUERADE)
                        r = check_masquerade(p, k);
                else if (rule->element == RICH_FORWARD_PORT)
                        r = check_forward_port(p, c, *rule->to_addr != '\0', k);
                else if (rule->action == RICH_MARK && (zone = egress_with_interfaces(p, c)))
                        r = refuse(k, "INVALID_ZONE",
                                   "Policy '%s': 'mark' action cannot be used because egress zone '%s' has assigned "
                                   "interfaces",
                                   p->zone.name, zone);
                if (r < 0)
                        return r;
        }
        return 0;
}

int policy_check(const Policy *p, const ZoneConfig *c, const ServiceCatalogue *services, const char **ret_code,
                 char **ret_why)
{
        const Check k = { ret_code, ret_why };
        const char *name = p->zone.name;
        _cleanup_free_ char *words = NULL;
        int r;

        if (zone_config_find(c, name))
                return refuse(&k, "NAME_CONFLICT", "Policy '%s': Can't have the same name as a zone.", name);
        if (policy_check_priority(p->priority, name, &words) < 0)
                return refuse(&k, "INVALID_PRIORITY", "%s", strempty(words));
        r = check_side(p, c, &p->ingress, "ingress_zones", &k);
        if (r >= 0)
                r = check_side(p, c, &p->egress, "egress_zones", &k);
        if (r >= 0 && p->zone.masquerade)
                r = check_masquerade(p, &k);
        for (size_t i = 0; r >= 0 && i < p->zone.forward_ports.n; i++)
                r = check_forward_port(p, c, strstr(p->zone.forward_ports.items[i], ":toaddr=") != NULL, &k);
        if (r >= 0)
                r = check_rich_rules(p, c, &k);
        for (size_t i = 0; r >= 0 && services && i < p->zone.services.n; i++)
                if (!catalogue_find(services, p->zone.services.items[i]))
                        r = refuse(&k, "INVALID_SERVICE", "%s", p->zone.services.items[i]);
        if (r >= 0 && zone_ipsets_check(&p->zone, &c->ipsets, &words) < 0) /* words: "... CODE: words" */
                r = refuse(&k, "INVALID_IPSET", "%s", strempty(words));
        return r;
}

/* ---- the built-in policy ---- */

Policy *policy_builtin(const char *name)
{
        static const char *const nd[] = { "neighbour-advertisement", "neighbour-solicitation", "router-advertisement",
                                          "redirect" };
        Policy *p;

        if (!streq(name, "allow-host-ipv6") || !(p = policy_new(name)))
                return NULL;
        p->priority = -15000;
        if (strlist_add(&p->ingress, POLICY_ZONE_ANY) < 0 || strlist_add(&p->egress, POLICY_ZONE_HOST) < 0 ||
            !(p->zone.short_name = strdup("Allow host IPv6")) ||
            !(p->zone.description = strdup("Allows basic IPv6 functionality for the host running firewalld."))) {
                policy_free(p);
                return NULL;
        }
        for (size_t i = 0; i < ELEMENTSOF(nd); i++) {
                char rule[96];
                snprintf(rule, sizeof(rule), "rule family=\"ipv6\" icmp-type name=\"%s\" accept", nd[i]);
                if (strlist_add(&p->zone.rich_rules, rule) < 0) {
                        policy_free(p);
                        return NULL;
                }
        }
        return p;
}

int policy_config_builtin(ZoneConfig *c)
{
        Policy *p = policy_builtin("allow-host-ipv6");

        return p ? policy_config_replace(c, p) : -ENOMEM;
}

/* ---- policy files ---- */

typedef struct PolicyParse {
        Policy *policy;
        const ServiceCatalogue *services;
} PolicyParse;

static int policy_line(const char *key, const char *value, void *userdata, char **ret_why)
{
        PolicyParse *pp = userdata;
        Policy *p = pp->policy;
        int t;

        if (streq(key, "target")) {
                t = policy_target_of_name(value);
                if (t < 0)
                        return why(ret_why, "Invalid target '%s': CONTINUE, ACCEPT, REJECT or DROP", value);
                p->zone.target = (ZoneTarget) t;
                return 0;
        }
        if (streq(key, "priority")) {
                char *end;
                long n;
                errno = 0;
                n = strtol(value, &end, 10);
                if (errno || !*value || *end || n < INT32_MIN || n > INT32_MAX ||
                    policy_check_priority((int) n, p->zone.name, ret_why) < 0)
                        return *ret_why ? -EINVAL : why(ret_why, "Invalid priority '%s'", value);
                p->priority = (int) n;
                return 0;
        }
        if (streq(key, "ingress-zone") || streq(key, "egress-zone")) {
                if (!IN_SET_STR(value, POLICY_ZONE_HOST, POLICY_ZONE_ANY) && zone_check_name(value, ret_why) < 0)
                        return -EINVAL;
                return strlist_add(streq(key, "ingress-zone") ? &p->ingress : &p->egress, value) < 0 ? -ENOMEM : 0;
        }
        if (IN_SET_STR(key, "interface", "source", "forward", "icmp-block-inversion"))
                return why(ret_why, "A policy has no %s (a zone's key)", key);
        return zone_file_line(&p->zone, pp->services, key, value, ret_why);
}

int policy_parse(const char *name, const char *origin, FILE *f, const ServiceCatalogue *services, Policy **ret,
                 char **ret_why)
{
        _cleanup_free_ char *what = NULL, *words = NULL;
        PolicyParse pp = { .services = services };
        int r;

        if (policy_check_name(name, &words) < 0)
                return why(ret_why, "%s: INVALID_NAME: %s", origin ? origin : name, words);
        pp.policy = policy_new(name);
        if (!pp.policy || (origin ? !(what = strdup(origin)) : asprintf(&what, "policy %s", name) < 0)) {
                policy_free(pp.policy);
                return -ENOMEM;
        }
        r = key_values_read(f, what, policy_line, &pp, ret_why);
        if (r >= 0)
                r = zone_ports_normalize(&pp.policy->zone.ports);
        if (r >= 0)
                r = zone_ports_normalize(&pp.policy->zone.source_ports);
        if (r < 0) {
                policy_free(pp.policy);
                return r;
        }
        *ret = pp.policy;
        return 0;
}

static void policy_settings_lines(FILE *f, const void *userdata)
{
        const Policy *p = userdata;

        fprintf(f, "target=%s\npriority=%d\nmasquerade=%s\n", policy_target_name(p->zone.target), p->priority,
                p->zone.masquerade ? "yes" : "no");
        for (size_t i = 0; i < p->ingress.n; i++)
                fprintf(f, "ingress-zone=%s\n", p->ingress.items[i]);
        for (size_t i = 0; i < p->egress.n; i++)
                fprintf(f, "egress-zone=%s\n", p->egress.items[i]);
}

int policy_format(const Policy *p, char **ret)
{
        return zone_file_format(&p->zone, "policy", policy_settings_lines, p, ret);
}
