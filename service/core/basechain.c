/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <limits.h>
#include <linux/netfilter.h>
#include <linux/netfilter_arp.h>
#include <stdlib.h>
#include <string.h>

#include "core/basechain.h"
#include "common/util.h"
#include "common/validate.h"

typedef enum Families {
        F_IP = 1 << 0,
        F_IP6 = 1 << 1,
        F_INET = 1 << 2,
        F_ARP = 1 << 3,
        F_BRIDGE = 1 << 4,
        F_NETDEV = 1 << 5,
        F_INETS = F_IP | F_IP6 | F_INET,
} Families;

static Families family_bit(int family)
{
        switch (family) {
        case NFTBUS_FAMILY_IP:
                return F_IP;
        case NFTBUS_FAMILY_IP6:
                return F_IP6;
        case NFTBUS_FAMILY_INET:
                return F_INET;
        case NFTBUS_FAMILY_ARP:
                return F_ARP;
        case NFTBUS_FAMILY_BRIDGE:
                return F_BRIDGE;
        case NFTBUS_FAMILY_NETDEV:
                return F_NETDEV;
        default:
                return 0;
        }
}

/* Each hook with the families it exists in, those where it needs devices, and its kernel number. */
static const struct {
        const char *name;
        Families families;
        Families needs_device;
        uint32_t number;       /* ip, ip6, inet, bridge (NF_INET_*, NF_BR_*) */
        uint32_t other_number; /* arp (NF_ARP_*) and netdev (NF_NETDEV_*) */
} hooks[] = {
        { "prerouting", F_INETS | F_BRIDGE, 0, NF_INET_PRE_ROUTING, 0 },
        { "input", F_INETS | F_BRIDGE | F_ARP, 0, NF_INET_LOCAL_IN, NF_ARP_IN },
        { "forward", F_INETS | F_BRIDGE, 0, NF_INET_FORWARD, 0 },
        { "output", F_INETS | F_BRIDGE | F_ARP, 0, NF_INET_LOCAL_OUT, NF_ARP_OUT },
        { "postrouting", F_INETS | F_BRIDGE, 0, NF_INET_POST_ROUTING, 0 },
        { "ingress", F_INET | F_NETDEV, F_INET | F_NETDEV, NF_INET_INGRESS, NF_NETDEV_INGRESS },
        { "egress", F_NETDEV, F_NETDEV, 0, NF_NETDEV_EGRESS },
};

/* Chain types with their families and hooks, as the kernel registers them. */
static const struct {
        const char *name;
        Families families;
        const char *const hooks[6];
} types[] = {
        { "filter", F_INETS | F_ARP | F_BRIDGE | F_NETDEV, {} }, /* every hook of the family */
        { "nat", F_INETS, { "prerouting", "input", "output", "postrouting" } },
        { "route", F_INETS, { "output" } },
};

/* The standard priority names nft knows, per family. */
static const struct {
        const char *name;
        Families families;
        int32_t value;
} priorities[] = {
        { "raw", F_INETS, -300 },     { "mangle", F_INETS, -150 },
        { "dstnat", F_INETS, -100 },  { "filter", F_INETS | F_ARP | F_NETDEV, 0 },
        { "security", F_INETS, 50 },  { "srcnat", F_INETS, 100 },
        { "dstnat", F_BRIDGE, -300 }, { "filter", F_BRIDGE, -200 },
        { "out", F_BRIDGE, 100 },     { "srcnat", F_BRIDGE, 300 },
};

static bool parse_int32(const char *s, int32_t *ret)
{
        char *end;
        long long v;

        if (!*s || strchr(" \t+", *s))
                return false;
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno != 0 || *end || v < INT32_MIN || v > INT32_MAX)
                return false;
        *ret = (int32_t) v;
        return true;
}

int priority_parse(int family, const char *text, int32_t *ret, char **ret_why)
{
        Families f = family_bit(family);
        const char *p = text;
        size_t n;
        int32_t base = 0, offset = 0;
        bool found = false;
        char sign;

        if (parse_int32(text, ret))
                return 0;

        n = strspn(p, "abcdefghijklmnopqrstuvwxyz");
        for (size_t i = 0; i < ELEMENTSOF(priorities); i++)
                if ((priorities[i].families & f) && strlen(priorities[i].name) == n &&
                    strncmp(priorities[i].name, p, n) == 0) {
                        base = priorities[i].value;
                        found = true;
                }
        if (n == 0 || !found)
                return why_value(ret_why,
                                 "Invalid %s '%s': expected a number, or a standard name of the family "
                                 "(raw, mangle, dstnat, filter, security, srcnat; bridge: dstnat, filter, out, "
                                 "srcnat) with an optional offset such as 'filter + 10'",
                                 "priority", text);
        p += n;
        if (*p == '\0') {
                *ret = base;
                return 0;
        }
        p += strspn(p, " ");
        sign = *p;
        if (sign != '+' && sign != '-')
                return why_value(ret_why, "Invalid %s '%s': an offset is written '+ N' or '- N'", "priority", text);
        p++;
        p += strspn(p, " ");
        if (!parse_int32(p, &offset) || offset < 0 || offset > 100000)
                return why_value(ret_why, "Invalid %s '%s': the offset is a number from 0 to 100000", "priority",
                                 text);
        *ret = sign == '+' ? base + offset : base - offset;
        return 0;
}

int chain_options_check(int family, const ChainOptions *o, int32_t *ret_priority, char **ret_why)
{
        Families f = family_bit(family);
        const char *type = o->type ? o->type : "filter";
        size_t h, t;
        bool has_devices = o->devices && o->devices[0];
        int32_t priority = 0;
        int r;

        if (!o->hook) {
                if (o->policy)
                        return why(ret_why, "A policy needs a base chain: give a hook, or leave the policy out "
                                            "(a regular chain has none)");
                if (o->type || o->priority || has_devices)
                        return why(ret_why, "Type, priority and devices belong to base chains: give a hook too");
                *ret_priority = 0;
                return 0;
        }

        for (h = 0; h < ELEMENTSOF(hooks); h++)
                if (streq(hooks[h].name, o->hook))
                        break;
        if (h == ELEMENTSOF(hooks))
                return why_value(ret_why,
                                 "Invalid %s '%s': expected prerouting, input, forward, output, postrouting, "
                                 "ingress or egress",
                                 "hook", o->hook);
        if (!(hooks[h].families & f))
                return why(ret_why, "The %s family has no %s hook", family_to_string(family), hooks[h].name);

        for (t = 0; t < ELEMENTSOF(types); t++)
                if (streq(types[t].name, type))
                        break;
        if (t == ELEMENTSOF(types))
                return why_value(ret_why, "Invalid %s '%s': expected filter, nat or route", "type", type);
        if (!(types[t].families & f))
                return why(ret_why, "%s chains do not exist in the %s family; they exist in ip, ip6 and inet",
                           types[t].name, family_to_string(family));
        if (types[t].hooks[0]) {
                bool ok = false;
                for (size_t i = 0; i < ELEMENTSOF(types[t].hooks) && types[t].hooks[i]; i++)
                        ok = ok || streq(types[t].hooks[i], o->hook);
                if (!ok)
                        return why(ret_why, "A %s chain cannot use the %s hook%s", types[t].name, o->hook,
                                   streq(types[t].name, "route") ? ": route chains hook output only"
                                                                 : ": nat chains hook prerouting, input, output "
                                                                   "or postrouting");
        }

        if ((hooks[h].needs_device & f) && !has_devices)
                return why(ret_why,
                           "The %s hook of the %s family needs a device: give the device or devices "
                           "option",
                           o->hook, family_to_string(family));
        if (!(hooks[h].needs_device & f) && has_devices)
                return why(ret_why, "Devices belong to ingress and egress chains only, not to the %s hook", o->hook);
        for (char **d = o->devices; d && *d; d++) {
                r = validate_ifname(*d, ret_why);
                if (r < 0)
                        return r;
        }

        if (o->policy && !streq(o->policy, "accept") && !streq(o->policy, "drop"))
                return why_value(ret_why, "Invalid %s '%s': expected accept or drop", "policy", o->policy);

        if (o->priority) {
                r = priority_parse(family, o->priority, &priority, ret_why);
                if (r < 0)
                        return r;
        } else
                (void) priority_parse(family, "filter", &priority, NULL);
        *ret_priority = priority;
        return 0;
}

const char *hook_to_string(int family, uint32_t hooknum)
{
        Families f = family_bit(family);

        for (size_t h = 0; h < ELEMENTSOF(hooks); h++) {
                if (!(hooks[h].families & f))
                        continue;
                if ((f & (F_ARP | F_NETDEV)) ? hooks[h].other_number == hooknum : hooks[h].number == hooknum)
                        return hooks[h].name;
        }
        return NULL;
}

const char *policy_to_string(uint32_t policy)
{
        return policy == NF_ACCEPT ? "accept" : policy == NF_DROP ? "drop" : NULL;
}
