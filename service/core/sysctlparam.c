/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sysctlparam.h"
#include "common/util.h"
#include "common/validate.h"

/* Seconds the kernel keeps in jiffies: it refuses more than INT_MAX / HZ, and HZ may be 1000. */
#define JIFFY_SECONDS_MAX (INT_MAX / 1000)

/* The kernel's own ranges: where it gives meaning to a few values (rp_filter's 0, 1, 2), exactly those;
 * where it takes any integer, any that it can store. */
const SysctlParam sysctl_params[] = {
        { "net.ipv4.ip_forward", SYSCTL_INTEGER, 0, 1, "IPv4 forwarding between interfaces" },
        { "net.ipv4.conf.*.forwarding", SYSCTL_INTEGER, 0, 1, "IPv4 forwarding on the interface" },
        { "net.ipv4.conf.*.rp_filter", SYSCTL_INTEGER, 0, 2,
          "Reverse path filter: 0 off, 1 strict, 2 loose (the higher of all and the interface applies)" },
        { "net.ipv4.conf.*.accept_source_route", SYSCTL_INTEGER, 0, 1, "Accept source-routed IPv4 packets" },
        { "net.ipv4.conf.*.send_redirects", SYSCTL_INTEGER, 0, 1, "Send ICMP redirects" },
        { "net.ipv4.conf.*.accept_redirects", SYSCTL_INTEGER, 0, 1, "Accept ICMP redirects" },
        { "net.ipv4.conf.*.secure_redirects", SYSCTL_INTEGER, 0, 1,
          "Accept ICMP redirects only from the default gateways" },
        { "net.ipv4.conf.*.log_martians", SYSCTL_INTEGER, 0, 1, "Log packets with impossible addresses" },
        { "net.ipv4.conf.*.arp_ignore", SYSCTL_INTEGER, 0, 8,
          "Answer ARP requests: 0 for any local address, 1 only for the interface's, 2 also in its subnet, "
          "3 not for host-scope addresses, 8 never" },
        { "net.ipv4.conf.*.arp_announce", SYSCTL_INTEGER, 0, 2,
          "Source address of ARP requests: 0 any local, 1 one in the target's subnet, 2 the best local" },
        { "net.ipv4.conf.*.arp_filter", SYSCTL_INTEGER, 0, 1, "Answer ARP only on the interface that routes back" },
        { "net.ipv4.conf.*.arp_accept", SYSCTL_INTEGER, 0, 2,
          "Gratuitous ARP: 0 ignored, 1 creates neighbour entries, 2 only for addresses in the subnet" },
        { "net.ipv4.conf.*.proxy_arp", SYSCTL_INTEGER, 0, 1, "Answer ARP for addresses routed elsewhere" },
        { "net.ipv6.conf.*.forwarding", SYSCTL_INTEGER, 0, 1, "IPv6 forwarding on the interface (all: everywhere)" },
        { "net.ipv6.conf.*.accept_redirects", SYSCTL_INTEGER, 0, 1, "Accept ICMPv6 redirects" },
        { "net.ipv6.conf.*.accept_source_route", SYSCTL_INTEGER, INT_MIN, INT_MAX,
          "Routing headers: 0 or more accepts type 2 only, less than 0 accepts none" },
        { "net.ipv6.conf.*.accept_ra", SYSCTL_INTEGER, 0, 2,
          "Router advertisements: 0 ignored, 1 accepted unless forwarding, 2 accepted even when "
          "forwarding" },
        { "net.ipv6.conf.*.accept_ra_defrtr", SYSCTL_INTEGER, 0, 1,
          "Learn the default router from router advertisements" },
        { "net.ipv6.conf.*.accept_ra_pinfo", SYSCTL_INTEGER, 0, 1,
          "Learn prefixes (autoconfiguration) from router advertisements" },
        { "net.ipv6.conf.*.accept_ra_rtr_pref", SYSCTL_INTEGER, 0, 1,
          "Learn router preferences from router advertisements" },
        { "net.ipv6.conf.*.disable_ipv6", SYSCTL_INTEGER, 0, 1, "IPv6 off on the interface (all: everywhere)" },
        { "net.ipv6.conf.*.autoconf", SYSCTL_INTEGER, 0, 1, "Make addresses from advertised prefixes" },
        { "net.ipv6.conf.*.use_tempaddr", SYSCTL_INTEGER, -1, 2,
          "Privacy addresses: -1 or 0 off, 1 made but not preferred, 2 made and preferred" },
        { "net.ipv6.conf.*.hop_limit", SYSCTL_INTEGER, 1, 255, "Hop limit of the packets sent" },
        { "net.ipv6.conf.*.router_solicitations", SYSCTL_INTEGER, -1, INT_MAX,
          "Router solicitations sent before giving up; -1 without end" },
        { "net.ipv6.icmp.echo_ignore_all", SYSCTL_INTEGER, 0, 1, "Ignore all ICMPv6 echo requests" },
        { "net.ipv6.icmp.echo_ignore_multicast", SYSCTL_INTEGER, 0, 1,
          "Ignore ICMPv6 echo requests to multicast addresses" },
        { "net.ipv6.icmp.echo_ignore_anycast", SYSCTL_INTEGER, 0, 1,
          "Ignore ICMPv6 echo requests to anycast addresses" },
        { "net.ipv6.icmp.ratelimit", SYSCTL_INTEGER, 0, INT_MAX,
          "Milliseconds between rate-limited ICMPv6 messages; 0 no limit" },
        { "net.ipv4.tcp_syncookies", SYSCTL_INTEGER, 0, 2,
          "SYN cookies: 0 never, 1 when the SYN queue overflows, 2 always" },
        { "net.ipv4.tcp_timestamps", SYSCTL_INTEGER, 0, 2,
          "TCP timestamps: 0 off, 1 on with random offsets, 2 on without them" },
        { "net.ipv4.tcp_tw_reuse", SYSCTL_INTEGER, 0, 2,
          "Reuse TIME-WAIT sockets for new connections: 0 no, 1 yes, 2 on loopback only" },
        { "net.ipv4.tcp_rfc1337", SYSCTL_INTEGER, 0, 1,
          "Drop RSTs for sockets in TIME-WAIT (RFC 1337's assassination hazards)" },
        { "net.ipv4.tcp_ecn", SYSCTL_INTEGER, 0, 2,
          "Explicit congestion notification: 0 off, 1 asked and answered, 2 answered only" },
        { "net.ipv4.tcp_sack", SYSCTL_INTEGER, 0, 1, "Selective acknowledgements" },
        { "net.ipv4.tcp_window_scaling", SYSCTL_INTEGER, 0, 1, "TCP window scaling (RFC 1323)" },
        { "net.ipv4.tcp_syn_retries", SYSCTL_INTEGER, 1, 127, "SYN retransmissions of an outgoing connection" },
        { "net.ipv4.tcp_synack_retries", SYSCTL_INTEGER, 0, 255, "SYN-ACK retransmissions of an incoming connection" },
        { "net.ipv4.tcp_max_syn_backlog", SYSCTL_INTEGER, 0, INT_MAX,
          "Half-open connections remembered per listener" },
        { "net.ipv4.tcp_max_tw_buckets", SYSCTL_INTEGER, 0, INT_MAX, "Sockets in TIME-WAIT at most" },
        { "net.ipv4.tcp_fin_timeout", SYSCTL_INTEGER, 1, JIFFY_SECONDS_MAX,
          "Seconds an orphaned connection stays in FIN-WAIT-2" },
        { "net.ipv4.tcp_keepalive_time", SYSCTL_INTEGER, 1, JIFFY_SECONDS_MAX,
          "Seconds a connection is idle before the first keepalive probe" },
        { "net.ipv4.tcp_keepalive_probes", SYSCTL_INTEGER, 0, 255,
          "Keepalive probes before the connection is dropped" },
        { "net.ipv4.tcp_keepalive_intvl", SYSCTL_INTEGER, 1, JIFFY_SECONDS_MAX, "Seconds between keepalive probes" },
        { "net.ipv4.icmp_echo_ignore_all", SYSCTL_INTEGER, 0, 1, "Ignore all ICMP echo requests" },
        { "net.ipv4.icmp_echo_ignore_broadcasts", SYSCTL_INTEGER, 0, 1,
          "Ignore ICMP echo requests to broadcast and multicast addresses" },
        { "net.ipv4.icmp_ratelimit", SYSCTL_INTEGER, 0, INT_MAX,
          "Milliseconds between rate-limited ICMP messages; 0 no limit" },
        { "net.ipv4.icmp_ratemask", SYSCTL_INTEGER, 0, INT_MAX, "ICMP types that are rate-limited, as a bit mask" },
        { "net.ipv4.icmp_ignore_bogus_error_responses", SYSCTL_INTEGER, 0, 1,
          "Do not log ICMP errors answering broadcasts (RFC 1122 violations)" },
        { "net.ipv4.ip_default_ttl", SYSCTL_INTEGER, 1, 255, "Time to live of the IPv4 packets sent" },
        { "net.ipv4.ip_nonlocal_bind", SYSCTL_INTEGER, 0, 1, "Let sockets bind to addresses that are not local" },
        { "net.ipv4.ip_no_pmtu_disc", SYSCTL_INTEGER, 0, 3,
          "Path MTU discovery: 0 on, 1 off, 2 and 3 ignore ICMP fragmentation-needed messages" },
        { "net.ipv4.ip_local_port_range", SYSCTL_PORT_RANGE, 1, 65535, "Ports for outgoing connections: low high" },
        { "net.netfilter.nf_conntrack_max", SYSCTL_INTEGER, 0, INT_MAX, "Connections conntrack tracks at most" },
        { "net.netfilter.nf_conntrack_helper", SYSCTL_INTEGER, 0, 1,
          "Assign conntrack helpers by port (removed from newer kernels: rules assign them)" },
        { "net.netfilter.nf_conntrack_acct", SYSCTL_INTEGER, 0, 1, "Count packets and bytes per connection" },
        { "net.netfilter.nf_conntrack_timestamp", SYSCTL_INTEGER, 0, 1, "Record when connections start" },
        { "net.netfilter.nf_conntrack_checksum", SYSCTL_INTEGER, 0, 1,
          "Check checksums: packets with bad ones are invalid" },
        { "net.netfilter.nf_conntrack_log_invalid", SYSCTL_INTEGER, 0, 255,
          "Log invalid packets of this protocol number (255: all)" },
        { "net.netfilter.nf_conntrack_tcp_loose", SYSCTL_INTEGER, 0, 1,
          "Pick up TCP connections that were already established" },
        { "net.netfilter.nf_conntrack_tcp_be_liberal", SYSCTL_INTEGER, 0, 1,
          "Accept out-of-window TCP packets instead of marking them invalid" },
        { "net.netfilter.nf_conntrack_expect_max", SYSCTL_INTEGER, 1, INT_MAX, "Expected connections at most" },
        { "net.netfilter.nf_conntrack_udp_timeout", SYSCTL_INTEGER, 1, JIFFY_SECONDS_MAX,
          "Seconds a UDP flow seen one way stays tracked" },
        { "net.netfilter.nf_conntrack_udp_timeout_stream", SYSCTL_INTEGER, 1, JIFFY_SECONDS_MAX,
          "Seconds a UDP flow seen both ways stays tracked" },
        { "net.netfilter.nf_conntrack_icmp_timeout", SYSCTL_INTEGER, 1, JIFFY_SECONDS_MAX,
          "Seconds an ICMP exchange stays tracked" },
        { "net.netfilter.nf_conntrack_generic_timeout", SYSCTL_INTEGER, 1, JIFFY_SECONDS_MAX,
          "Seconds a flow of another protocol stays tracked" },
        { "net.netfilter.nf_conntrack_tcp_timeout_established", SYSCTL_INTEGER, 1, JIFFY_SECONDS_MAX,
          "Seconds an idle established TCP connection stays tracked" },
        { "net.netfilter.nf_conntrack_tcp_timeout_time_wait", SYSCTL_INTEGER, 1, JIFFY_SECONDS_MAX,
          "Seconds a TCP connection stays tracked in TIME-WAIT" },
        { "net.netfilter.nf_conntrack_tcp_timeout_close_wait", SYSCTL_INTEGER, 1, JIFFY_SECONDS_MAX,
          "Seconds a TCP connection stays tracked in CLOSE-WAIT" },
        { "net.netfilter.nf_conntrack_tcp_timeout_fin_wait", SYSCTL_INTEGER, 1, JIFFY_SECONDS_MAX,
          "Seconds a TCP connection stays tracked in FIN-WAIT" },
};

const size_t sysctl_params_count = ELEMENTSOF(sysctl_params);

static const char *const conf_prefixes[] = { "net.ipv4.conf.", "net.ipv6.conf." };

bool sysctl_param_per_interface(const SysctlParam *p)
{
        return strstr(p->name, ".*.") != NULL;
}

static int path_of(const char *name, char **ret_path)
{
        char *path;

        if (asprintf(&path, "/proc/sys/%s", name) < 0)
                return -ENOMEM;
        for (char *s = path + strlen("/proc/sys/"); *s; s++)
                if (*s == '.')
                        *s = '/';
        *ret_path = path;
        return 0;
}

/* net.ipv4.conf.<ifname>.key: the interface between the prefix and the last dot, which may hold dots */
static int find_per_interface(const char *name, const char *prefix, const SysctlParam **ret_param, char **ret_path,
                              char **ret_why)
{
        _cleanup_free_ char *ifname = NULL;
        const char *rest = name + strlen(prefix), *key = strrchr(rest, '.');

        if (!key || key == rest)
                return why_value(ret_why, "Unknown %s '%s': give net.ipv4.conf.<all|default|interface>.<name>",
                                 "sysctl parameter", name);
        ifname = strndup(rest, (size_t) (key - rest));
        if (!ifname)
                return -ENOMEM;
        key++;
        if (validate_ifname(ifname, ret_why) < 0)
                return -EINVAL;
        for (size_t i = 0; i < sysctl_params_count; i++) {
                const SysctlParam *p = &sysctl_params[i];
                size_t n = strlen(prefix);

                if (strncmp(p->name, prefix, n) != 0 || strncmp(p->name + n, "*.", 2) != 0 ||
                    !streq(p->name + n + 2, key))
                        continue;
                if (asprintf(ret_path, "/proc/sys/net/%s/conf/%s/%s", strstr(prefix, "ipv6") ? "ipv6" : "ipv4", ifname,
                             key) < 0)
                        return -ENOMEM;
                *ret_param = p;
                return 0;
        }
        return why_value(ret_why, "Unknown %s '%s': List() shows what nftbus reads and sets", "sysctl parameter",
                         name);
}

int sysctl_param_find(const char *name, const SysctlParam **ret_param, char **ret_path, char **ret_why)
{
        if (!name || !*name)
                return why(ret_why, "The sysctl parameter's name is empty");
        if (strlen(name) > 128)
                return why(ret_why, "Unknown sysctl parameter: %zu bytes long", strlen(name));
        for (size_t i = 0; i < sysctl_params_count; i++)
                if (!sysctl_param_per_interface(&sysctl_params[i]) && streq(sysctl_params[i].name, name)) {
                        *ret_param = &sysctl_params[i];
                        return path_of(name, ret_path);
                }
        for (size_t i = 0; i < ELEMENTSOF(conf_prefixes); i++)
                if (strncmp(name, conf_prefixes[i], strlen(conf_prefixes[i])) == 0)
                        return find_per_interface(name, conf_prefixes[i], ret_param, ret_path, ret_why);
        return why_value(ret_why, "Unknown %s '%s': List() shows what nftbus reads and sets", "sysctl parameter",
                         name);
}

int sysctl_param_name_for(const SysctlParam *p, const char *ifname, char **ret_name)
{
        const char *star = strstr(p->name, ".*.");

        if (!star)
                return -EINVAL;
        return asprintf(ret_name, "%.*s.%s.%s", (int) (star - p->name), p->name, ifname, star + 3) < 0 ? -ENOMEM : 0;
}

/* A decimal integer as people write it: optional '-', no '+', no leading zeros, no spaces. */
static bool parse_integer(const char *s, size_t len, int64_t *ret)
{
        int64_t v = 0;
        bool negative = false;
        size_t i = 0;

        if (len > 0 && s[0] == '-')
                negative = true, i = 1;
        if (i == len || len - i > 11 || (s[i] == '0' && len - i > 1) || (negative && s[i] == '0'))
                return false;
        for (; i < len; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return false;
                v = v * 10 + (s[i] - '0');
        }
        *ret = negative ? -v : v;
        return true;
}

int sysctl_value_check(const SysctlParam *p, const char *name, const char *value, char **ret_text, char **ret_why)
{
        int64_t a, b;

        if (p->kind == SYSCTL_INTEGER) {
                if (!parse_integer(value, strlen(value), &a))
                        return why_value(ret_why, "Invalid value for %s: '%s' is not an integer", name, value);
                if (a < p->min || a > p->max) {
                        _cleanup_free_ char *shown = escape_for_message(value);
                        if (p->max - p->min <= 2)
                                return why(ret_why, "Invalid value %s for %s: expected %s", shown ? shown : "", name,
                                           p->max - p->min == 1 ? "0 or 1" : "0, 1 or 2");
                        return why(ret_why, "Invalid value %s for %s: expected %lld to %lld", shown ? shown : "", name,
                                   (long long) p->min, (long long) p->max);
                }
                return asprintf(ret_text, "%lld", (long long) a) < 0 ? -ENOMEM : 0;
        }

        /* a port range: two integers separated by spaces or tabs, as the kernel prints and takes it */
        const char *sep = value + strcspn(value, " \t"), *second = sep + strspn(sep, " \t");
        if (!*sep || !parse_integer(value, (size_t) (sep - value), &a) || !parse_integer(second, strlen(second), &b))
                return why_value(ret_why, "Invalid value for %s: '%s' is not two ports, 'low high'", name, value);
        if (a < p->min || b > p->max || a > b)
                return why(ret_why, "Invalid port range %lld %lld for %s: expected %lld <= low <= high <= %lld",
                           (long long) a, (long long) b, name, (long long) p->min, (long long) p->max);
        return asprintf(ret_text, "%lld %lld", (long long) a, (long long) b) < 0 ? -ENOMEM : 0;
}

int sysctl_value_from_kernel(const char *raw, char **ret_text)
{
        char *text = strdup(raw);
        size_t n;

        if (!text)
                return -ENOMEM;
        n = strlen(text);
        while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
                text[--n] = '\0';
        for (char *s = text; *s; s++)
                if (*s == '\t')
                        *s = ' ';
        *ret_text = text;
        return 0;
}
