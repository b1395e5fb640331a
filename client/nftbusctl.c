/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl: a small client of org.nftbus.Firewall1, in the manner of busctl and systemctl. */

#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "config.h"
#include "common/errors.h"
#include "busjson.h"
#include "complete.h"
#include "pager.h"
#include "columns.h"
#include "nftbusctl.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"
#include "verbs.h"

#define PKTTYAGENT "/usr/bin/pkttyagent"

bool arg_json = false;
static bool arg_ask_password = true;
static pid_t agent_pid = 0;

/* A polkit agent on the terminal, as systemctl starts one, so that auth_admin can ask for a password. */
static void agent_open(void)
{
        int pipefd[2];
        char fd_arg[16], pid_arg[16];
        char c;

        if (!arg_ask_password || !isatty(STDIN_FILENO) || access(PKTTYAGENT, X_OK) < 0)
                return;
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return;
        snprintf(fd_arg, sizeof(fd_arg), "%d", pipefd[1]);
        snprintf(pid_arg, sizeof(pid_arg), "%d", (int) getpid());
        agent_pid = fork();
        if (agent_pid == 0) {
                (void) fcntl(pipefd[1], F_SETFD, 0);
                execl(PKTTYAGENT, "pkttyagent", "--notify-fd", fd_arg, "--fallback", "--process", pid_arg,
                      (char *) NULL);
                _exit(EXIT_FAILURE);
        }
        (void) close(pipefd[1]);
        /* the agent writes when it is registered, or exits */
        if (agent_pid > 0)
                (void) read(pipefd[0], &c, 1);
        (void) close(pipefd[0]);
}

static void agent_close(void)
{
        if (agent_pid <= 0)
                return;
        (void) kill(agent_pid, SIGTERM);
        (void) waitpid(agent_pid, NULL, 0);
        agent_pid = 0;
}

/* The options of the verbs (verbs.h), as parse_options() found them. */
const char *arg_type = NULL, *arg_hook = NULL, *arg_priority = NULL, *arg_policy = NULL, *arg_comment = NULL;
char *arg_devices[17] = {};
size_t arg_n_devices = 0;
const char *arg_flags = NULL;
const char *arg_file = NULL, *arg_family = NULL, *arg_table = NULL, *arg_format = NULL;
bool arg_check = false;
bool arg_replace = false;
bool arg_details = false;
bool arg_permanent = false;
uint64_t arg_timeout = 0, arg_size = 0;
uint64_t arg_call_timeout = 0; /* seconds; 0: wait for the answer */
bool arg_legend = true, arg_pager = true;
static const char *arg_host, *arg_machine;
int progress_fd = -EBADF;
bool arg_has_timeout = false;
bool arg_has_index = false, arg_has_position = false, arg_position_before = false;
uint32_t arg_index = 0;
uint64_t arg_position = 0;

#define RULE_PLACE (OPT_COMMENT | OPT_INDEX)

static const Verb verbs[] = {
        { "status", NULL, 0, 0, "",
          "Show the service and the zones in force;\nexit status 1 when they are not the configuration's", 0,
          cmd_status, "{service, version, backend_version, zones, firewalld_api, restore_error, firewalld_beside}" },
        { "list-tables", NULL, 0, 0, "", "List the kernel's tables", 0, cmd_list_tables, "[{family, name, path}]" },
        { "add-table", NULL, 2, 2, "FAMILY NAME", "Add a table (ip ip6 inet arp bridge netdev)", 0, cmd_add_table,
          "{path}" },
        { "delete-table", NULL, 2, 2, "FAMILY NAME", "Delete a table and everything in it", 0, cmd_delete_table,
          "{}" },
        { "flush-table", NULL, 2, 2, "FAMILY NAME", "Remove every rule of a table", 0, cmd_flush_table, "{}" },
        { "list-chains", NULL, 0, 2, "[FAMILY TABLE]", "List chains with type, hook, priority, policy", 0,
          cmd_list_chains, "[{kind, family, table, name, handle, type, hook, priority, policy, devices, comment}]" },
        { "add-chain", NULL, 3, 3, "FAMILY TABLE NAME", "Add a chain; a base chain with --hook",
          OPT_HOOK | OPT_TYPE | OPT_PRIORITY | OPT_POLICY | OPT_DEVICE | OPT_COMMENT, cmd_add_chain, "{path}" },
        { "delete-chain", NULL, 3, 3, "FAMILY TABLE NAME", "Delete a chain and its rules", 0, cmd_delete_chain, "{}" },
        { "list-rules", NULL, 3, 3, "FAMILY TABLE CHAIN", "List a chain's rules with their handles", 0, cmd_list_rules,
          "[{handle, rule, comment}]" },
        { "add-rule", NULL, 4, -1, "FAMILY TABLE CHAIN RULE...", "Append a rule (nft syntax); prints its handle",
          RULE_PLACE | OPT_AFTER, cmd_add_rule, "{handle}" },
        { "insert-rule", NULL, 4, -1, "FAMILY TABLE CHAIN RULE...",
          "Insert a rule at the start (or --before, --index)", RULE_PLACE | OPT_BEFORE, cmd_insert_rule, "{handle}" },
        { "replace-rule", NULL, 5, -1, "FAMILY TABLE CHAIN HANDLE RULE...", "Replace a rule, keeping its handle", 0,
          cmd_replace_rule, "{}" },
        { "delete-rule", NULL, 4, 4, "FAMILY TABLE CHAIN HANDLE", "Delete a rule", 0, cmd_delete_rule, "{}" },
        { "list-objects", NULL, 0, 2, "[FAMILY TABLE]",
          "List named counters, quotas, limits, flowtables, ct\nhelpers, timeouts, expectations, synproxies, ...", 0,
          cmd_list_objects, "[{kind, family, table, name, ...}]" },
        { "reset-counter", NULL, 3, 3, "FAMILY TABLE NAME", "Zero a named counter; prints what it held", 0,
          cmd_reset_counter, "{packets, bytes}" },
        { "list-sets", NULL, 0, 2, "[FAMILY TABLE]", "List sets and maps with type and flags", 0, cmd_list_sets,
          "[{kind, family, table, name, handle, type, flags, ...}]" },
        { "add-set", NULL, 4, -1, "FAMILY TABLE NAME TYPE [: VALUE_TYPE]",
          "Add a set (TYPE e.g. ipv4_addr . inet_service);\n\"KEY_TYPE : VALUE_TYPE\" adds a map",
          OPT_FLAGS | OPT_TIMEOUT | OPT_SIZE | OPT_COMMENT, cmd_add_set, "{path}" },
        { "delete-set", NULL, 3, 3, "FAMILY TABLE NAME", "Delete a set or map", 0, cmd_delete_set, "{}" },
        { "add-element", NULL, 3, -1, "FAMILY TABLE SET [ELEMENT...]",
          "Add elements in one transaction, or -f FILE\n(one per line, - for stdin) of any size",
          OPT_TIMEOUT | OPT_COMMENT | OPT_FILE, cmd_add_element, "{added}" },
        { "delete-element", NULL, 4, -1, "FAMILY TABLE SET ELEMENT...", "Delete elements in one transaction", 0,
          cmd_delete_element, "{}" },
        { "list-elements", NULL, 3, 3, "FAMILY TABLE SET",
          "Print the elements, one per line; --details: with\ntheir expiry, timeout, counters and comment",
          OPT_DETAILS, cmd_list_elements, "[string] | [{element, ...}]" },
        { "has-element", NULL, 4, 4, "FAMILY TABLE SET ELEMENT", "yes (exit 0) or no (exit 1)", 0, cmd_has_element,
          "{found}" },
        { "sysctl", "list", 0, 0, "", "The network sysctls nftbus manages, with values", 0, cmd_sysctl,
          "[{name, value}]" },
        { "sysctl", "get", 1, 1, "NAME", "One of them (e.g. net.ipv4.ip_forward)", 0, cmd_sysctl, "{name, value}" },
        { "sysctl", "set", 2, 2, "NAME VALUE", "Set one (net.ipv4.conf.IFNAME.* per interface)", 0, cmd_sysctl, "{}" },
        { "nat", "masquerade", 1, -1, "OUT_INTERFACE [source=PREFIX] [family=ipv4|ipv6]",
          "Source NAT to OUT_INTERFACE's address", 0, cmd_nat, "{id}" },
        { "nat", "forward", 4, -1, "PROTOCOL PORT[-LAST] TO_ADDRESS TO_PORT [in_interface=IF] [source=PREFIX]",
          "Forward a port or a range (PROTOCOL: tcp, udp, sctp, udplite)", 0, cmd_nat, "{id}" },
        { "nat", "snat", 2, -1, "OUT_INTERFACE TO_ADDRESS [source=PREFIX]", "Source NAT to TO_ADDRESS", 0, cmd_nat,
          "{id}" },
        { "nat", "dnat", 2, -1,
          "DESTINATION TO_ADDRESS [in_interface=IF] [source=PREFIX] [protocol=P port=N [port_last=N] to_port=N]",
          "Destination NAT", 0, cmd_nat, "{id}" },
        { "nat", "static", 2, 2, "PUBLIC PRIVATE", "One-to-one NAT of addresses or of equal prefixes, both directions",
          0, cmd_nat, "{id}" },
        { "nat", "redirect", 3, -1, "PROTOCOL PORT[-LAST] TO_PORT [in_interface=IF] [source=PREFIX] [family=F]",
          "Redirect a port to this host", 0, cmd_nat, "{id}" },
        { "nat", "list", 0, 0, "", "The entries, with the ids the commands above print", 0, cmd_nat,
          "[{id, kind, parameters}]" },
        { "nat", "remove", 1, 1, "ID", "Remove an entry", 0, cmd_nat, "{}" },
        { "zone", "list", 0, 0, "",
          "The zones, the default one marked (--permanent: those\nwith a file, the permanent default marked)",
          OPT_PERMANENT, cmd_zone, "[{name, default}]" },
        { "zone", "show", 0, 1, "[ZONE]",
          "A zone's settings (the running ones, or with --permanent\nits file's; the default zone without a name)",
          OPT_PERMANENT, cmd_zone,
          "{name, description, target, masquerade, forward, icmp_block_inversion, interfaces, sources, services, "
          "ports, protocols, "
          "forward_ports, icmp_blocks, rich_rules, source_ports}" },
        { "zone", "active", 0, 0, "", "The zones with interfaces or sources, and those", 0, cmd_zone,
          "[{name, interfaces, sources}]" },
        { "zone", "of-interface", 1, 1, "INTERFACE", "The zone an interface is in (unbound: the default zone)", 0,
          cmd_zone, "{zone}" },
        { "zone", "of-source", 1, 1, "SOURCE", "The zone a source is bound to (exit 3: none)", 0, cmd_zone, "{zone}" },
        { "zone", "default", 0, 1, "[ZONE]",
          "Print the default zone (--permanent: the file's), or set it\n(runtime and permanent)", OPT_PERMANENT,
          cmd_zone, "{default_zone} | {}" },
        { "zone", "new", 1, 1, "ZONE", "Add a zone of your own", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "delete", 1, 1, "ZONE", "Delete a zone of your own", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "enable", 0, 0, "", "Put the zones in force (table inet nftbus_zones)", OPT_PERMANENT, cmd_zone,
          "{}" },
        { "zone", "disable", 0, 0, "", "Take them out of force", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "set-target", 2, 2, "ZONE TARGET", "default, accept, reject or drop", OPT_PERMANENT, cmd_zone,
          "{}" },
        { "zone", "masquerade", 2, 2, "ZONE on|off", "Masquerade what leaves through the zone", OPT_PERMANENT,
          cmd_zone, "{}" },
        { "zone", "icmp-block-inversion", 2, 2, "ZONE on|off",
          "Let in only the ICMP types blocked, and refuse the\nrest of ICMP (firewalld's ICMP block inversion)",
          OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "forward", 2, 2, "ZONE on|off", "Forward within the zone, between its own\ninterfaces and sources",
          OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "add-interface", 2, 2, "ZONE INTERFACE", "Bind an interface to the zone", OPT_PERMANENT, cmd_zone,
          "{}" },
        { "zone", "remove-interface", 2, 2, "ZONE INTERFACE", "Unbind it (it falls to the default zone)",
          OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "change-interface", 2, 2, "ZONE INTERFACE", "Move an interface into the zone, one step",
          OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "add-source", 2, 2, "ZONE SOURCE", "Bind an address, network or MAC (before interfaces)",
          OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "remove-source", 2, 2, "ZONE SOURCE", "Unbind it", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "change-source", 2, 2, "ZONE SOURCE", "Move a source into the zone", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "add-service", 2, 2, "ZONE SERVICE", "Allow a service of the catalogue", OPT_PERMANENT | OPT_TIMEOUT,
          cmd_zone, "{}" },
        { "zone", "remove-service", 2, 2, "ZONE SERVICE", "Stop allowing it", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "add-port", 2, 2, "ZONE PORT/PROTO", "Allow a port or range (22/tcp, 6000-6010/udp)",
          OPT_PERMANENT | OPT_TIMEOUT, cmd_zone, "{}" },
        { "zone", "remove-port", 2, 2, "ZONE PORT/PROTO", "Stop allowing it", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "add-protocol", 2, 2, "ZONE PROTOCOL", "Allow an IP protocol (gre, esp, ...)",
          OPT_PERMANENT | OPT_TIMEOUT, cmd_zone, "{}" },
        { "zone", "remove-protocol", 2, 2, "ZONE PROTOCOL", "Stop allowing it", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "add-forward-port", 2, 2, "ZONE SPEC", "Forward port=P:proto=tcp[:toport=P][:toaddr=A]",
          OPT_PERMANENT | OPT_TIMEOUT, cmd_zone, "{}" },
        { "zone", "remove-forward-port", 2, 2, "ZONE SPEC", "Remove a port forward", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "add-icmp-block", 2, 2, "ZONE TYPE", "Refuse an ICMP type (echo-request, ...)",
          OPT_PERMANENT | OPT_TIMEOUT, cmd_zone, "{}" },
        { "zone", "remove-icmp-block", 2, 2, "ZONE TYPE", "Stop refusing it", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "add-rich-rule", 2, 2, "ZONE RULE",
          "Add a rich rule: 'rule family=ipv4 source address=A\naccept|reject|drop' (priority, destination, NOT)",
          OPT_PERMANENT | OPT_TIMEOUT, cmd_zone, "{}" },
        { "zone", "remove-rich-rule", 2, 2, "ZONE RULE", "Remove a rich rule", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "add-source-port", 2, 2, "ZONE PORT/PROTO", "Let in what comes from a source port or range",
          OPT_PERMANENT | OPT_TIMEOUT, cmd_zone, "{}" },
        { "zone", "remove-source-port", 2, 2, "ZONE PORT/PROTO", "Stop letting it in", OPT_PERMANENT, cmd_zone, "{}" },
        { "zone", "query-source-port", 2, 2, "ZONE PORT/PROTO", "yes (exit 0) or no (exit 1)", 0, cmd_zone,
          "{enabled}" },
        { "zone", "query-interface", 2, 2, "ZONE INTERFACE", "yes (exit 0) if bound to the zone, no (exit 1)", 0,
          cmd_zone, "{enabled}" },
        { "zone", "query-source", 2, 2, "ZONE SOURCE", "yes (exit 0) or no (exit 1)", 0, cmd_zone, "{enabled}" },
        { "zone", "query-service", 2, 2, "ZONE SERVICE", "yes (exit 0) or no (exit 1)", 0, cmd_zone, "{enabled}" },
        { "zone", "query-port", 2, 2, "ZONE PORT/PROTO", "yes (exit 0) or no (exit 1)", 0, cmd_zone, "{enabled}" },
        { "zone", "query-protocol", 2, 2, "ZONE PROTOCOL", "yes (exit 0) or no (exit 1)", 0, cmd_zone, "{enabled}" },
        { "zone", "query-forward-port", 2, 2, "ZONE SPEC", "yes (exit 0) or no (exit 1)", 0, cmd_zone, "{enabled}" },
        { "zone", "query-icmp-block", 2, 2, "ZONE TYPE", "yes (exit 0) or no (exit 1)", 0, cmd_zone, "{enabled}" },
        { "zone", "query-masquerade", 1, 1, "ZONE", "yes (exit 0) or no (exit 1)", 0, cmd_zone, "{enabled}" },
        { "zone", "query-forward", 1, 1, "ZONE", "yes (exit 0) or no (exit 1)", 0, cmd_zone, "{enabled}" },
        { "zone", "query-icmp-block-inversion", 1, 1, "ZONE", "yes (exit 0) or no (exit 1)", 0, cmd_zone,
          "{enabled}" },
        { "policy", "list", 0, 0, "",
          "The policies: what goes from some zones to others\n(--permanent: those of the "
          "permanent configuration)",
          OPT_PERMANENT, cmd_policy, "[{name, target, priority}]" },
        { "policy", "show", 1, 1, "POLICY", "A policy's zones, target, priority and what it allows", OPT_PERMANENT,
          cmd_policy,
          "{name, short, description, target, priority, ingress_zones, egress_zones, masquerade, services, ports, "
          "protocols, forward_ports, icmp_blocks, rich_rules, source_ports, ...}" },
        { "policy", "new", 1, -1, "POLICY [SETTING=VALUE...]",
          "Make a policy; settings as its file has them:\ningress-zone=ZONE|HOST|ANY egress-zone=...\n"
          "target=CONTINUE|ACCEPT|REJECT|DROP priority=N\nservice=... port=... rule=... masquerade=yes",
          OPT_PERMANENT, cmd_policy, "{}" },
        { "policy", "set", 2, -1, "POLICY SETTING=VALUE...",
          "Change its settings; a list given (service=a\nservice=b) replaces the list, KEY= empties it", OPT_PERMANENT,
          cmd_policy, "{}" },
        { "policy", "delete", 1, 1, "POLICY", "Delete a policy (not the built-in allow-host-ipv6)", OPT_PERMANENT,
          cmd_policy, "{}" },
        { "ipset", "list", 0, 0, "", "The ipsets and their types (--permanent: those of\nthe permanent configuration)",
          OPT_PERMANENT, cmd_ipset, "[{name, type}]" },
        { "ipset", "show", 1, 1, "IPSET", "An ipset's type, options and how many entries it has", OPT_PERMANENT,
          cmd_ipset, "{name, type, options, short, description, entry_count}" },
        { "ipset", "new", 2, -1, "IPSET TYPE [SETTING=VALUE...]",
          "Make an ipset: hash:ip, hash:net, hash:ip,port, ...;\nsettings family, timeout, hashsize, maxelem, "
          "short,\ndescription",
          OPT_PERMANENT, cmd_ipset, "{}" },
        { "ipset", "set", 2, -1, "IPSET SETTING=VALUE...",
          "Change its settings (type too); an option set to\nnothing (timeout=) goes; the entries stay", OPT_PERMANENT,
          cmd_ipset, "{}" },
        { "ipset", "delete", 1, 1, "IPSET", "Delete an ipset no zone names", OPT_PERMANENT, cmd_ipset, "{}" },
        { "ipset", "entries", 1, 1, "IPSET", "Its entries, one per line", OPT_PERMANENT, cmd_ipset, "[string]" },
        { "ipset", "add-entry", 2, 2, "IPSET ENTRY",
          "Add an address, network, ... (192.0.2.1, 10.0.0.0/8,\n"
          "192.0.2.1,tcp:80, as firewalld writes them)",
          OPT_PERMANENT, cmd_ipset, "{}" },
        { "ipset", "remove-entry", 2, 2, "IPSET ENTRY", "Remove an entry", OPT_PERMANENT, cmd_ipset, "{}" },
        { "ipset", "query-entry", 2, 2, "IPSET ENTRY", "yes (exit 0) or no (exit 1)", OPT_PERMANENT, cmd_ipset,
          "{enabled}" },
        { "ipset", "set-entries", 1, 1, "IPSET",
          "All its entries, from -f FILE (one per line, - for\nstdin), "
          "in one change",
          OPT_PERMANENT | OPT_FILE, cmd_ipset, "{}" },
        { "zone", "log-denied", 0, 1, "[off|all|unicast|broadcast|multicast]",
          "Print what is logged of what zones refuse, or set it\n(logs before each refusal, firewalld's prefixes)",
          OPT_PERMANENT, cmd_zone, "{log_denied} | {}" },
        { "reload", NULL, 0, 0, "", "Put the permanent zones (/etc/nftbus) in force; runtime changes are dropped", 0,
          cmd_reload, "{}" },
        { "runtime-to-permanent", NULL, 0, 0, "", "Write the running zones as the permanent ones", 0,
          cmd_runtime_to_permanent, "{}" },
        { "panic", NULL, 1, 1, "on|off|query",
          "Drop all traffic in and out, or stop; query: yes (exit 0)\nor no (exit 1)", 0, cmd_panic, "{} | {panic}" },
        { "service", "list", 0, 0, "", "The services zones can allow", 0, cmd_service, "[string]" },
        { "service", "show", 1, 1, "SERVICE", "A service's ports, protocols, helpers", 0, cmd_service,
          "{name, description, ports, protocols, helpers, destinations}" },
        { "preset", "list", 0, 0, "", "The presets (workstation, server, router, harden)", 0, cmd_preset,
          "[{name, description}]" },
        { "preset", "show", 1, 1, "NAME", "A preset's options, types and defaults", 0, cmd_preset,
          "{name, description, options}" },
        { "preset", "preview", 1, -1, "NAME [OPTION=VALUE...]", "The nft commands and sysctls apply would send now", 0,
          cmd_preset, "{batch}" },
        { "preset", "apply", 1, -1, "NAME [OPTION=VALUE...]",
          "Apply it, one transaction; lists are comma-separated\nor @FILE (one per line, @- for stdin)", 0, cmd_preset,
          "{applied}" },
        { "apply", NULL, 0, 0, "",
          "Apply a batch (nft syntax or JSON) from -f as one\ntransaction; --check: the kernel checks it, nothing "
          "changes;\n--replace: the tables it declares are made anew\n(restore an export over a live ruleset)",
          OPT_FILE | OPT_CHECK | OPT_REPLACE, cmd_apply, "{echo, applied}" },
        { "export", NULL, 0, 0, "", "Print the ruleset as a batch apply takes back",
          OPT_FAMILY | OPT_TABLE | OPT_FORMAT, cmd_export, "{nftables}" },
        { "save", NULL, 0, -1, "[FAMILY NAME]...",
          "Save the tables made through nftbus (and those named)\nfor the service to restore at start", 0, cmd_save,
          "{}" },
        { "monitor", NULL, 0, 0, "",
          "Print the firewall's changes as they happen, by anyone:\nobjects, rules with their text, counts of "
          "elements",
          0, cmd_monitor, "{event, ...}" },
};

/* the verbs whose output can be long, which go through a pager on a terminal */
static bool pages(const Verb *v)
{
        return startswith(v->name, "list-") || streq(v->name, "export") ||
               (v->sub && (streq(v->sub, "list") || streq(v->sub, "show") || streq(v->sub, "preview")));
}

static void help(void)
{
        printf("nftbusctl [OPTIONS...] COMMAND [OPTIONS...] [ARGS...]\n\n"
               "Manage the nftables firewall through the nftbus service (%s).\n\n"
               "Commands (nftbusctl COMMAND --help shows one with its options):\n",
               NFTBUS_BUS_NAME);
        verbs_list(stdout, verbs, ELEMENTSOF(verbs));
        printf("\nOptions for every command:\n"
               "  -h --help                  Show this help, or a command's\n"
               "     --version               Show the version\n"
               "     --json                  Print JSON: every command, in the shape its help gives\n"
               "     --no-ask-password       Do not ask for a password; fail if polkit would\n"
               "     --no-legend             Listings without their header line\n"
               "     --no-pager              Do not pipe long output into a pager\n"
               "     --call-timeout SECONDS  Give up waiting for an answer after SECONDS (default: wait;\n"
               "                             the service answers every call, or leaves the bus)\n"
               "  -H --host [USER@]HOST      The service of another host, over ssh (systemd-stdio-bridge)\n"
               "  -M --machine CONTAINER     The service of a local container\n"
               "  Options go before or after a command's arguments; -- ends them.\n\n"
               "Exit status:\n"
               "  0 success, 1 the service refused or failed, 2 usage error or invalid argument,\n"
               "  3 not found, 4 access denied, 5 the service is not reachable.\n");
}

static int parse_number(const char *s, uint64_t max, uint64_t *ret)
{
        if (parse_decimal(s, max, ret) < 0) {
                fprintf(stderr, "nftbusctl: '%s' is not a number from 0 to %" PRIu64 "\n", s, max);
                return -EINVAL;
        }
        return 0;
}

/* Options may come before the command and between the command and its arguments; "+" stops at the
 * first argument, so rule text like "meta mark set 1" or a negative priority is never taken apart. */
static uint32_t arg_given; /* the OPT_* bits of the options given */
static bool arg_help;

/* permute: options may follow the arguments (the last call, for the verb's own words); else they stop at
 * the first word that is not one (the verb, the sub-verb) */
static int parse_options(int argc, char *argv[], bool permute)
{
        enum {
                ARG_VERSION = 0x100,
                ARG_JSON,
                ARG_NO_ASK_PASSWORD,
                ARG_NO_LEGEND,
                ARG_NO_PAGER,
                ARG_CALL_TIMEOUT,
                ARG_TYPE,
                ARG_HOOK,
                ARG_PRIORITY,
                ARG_POLICY,
                ARG_DEVICE,
                ARG_COMMENT,
                ARG_INDEX,
                ARG_AFTER,
                ARG_BEFORE,
                ARG_FLAGS,
                ARG_TIMEOUT,
                ARG_SIZE,
                ARG_CHECK,
                ARG_REPLACE,
                ARG_DETAILS,
                ARG_PERMANENT,
                ARG_FAMILY,
                ARG_TABLE,
                ARG_FORMAT,
        };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "json", no_argument, NULL, ARG_JSON },
                { "no-ask-password", no_argument, NULL, ARG_NO_ASK_PASSWORD },
                { "no-legend", no_argument, NULL, ARG_NO_LEGEND },
                { "no-pager", no_argument, NULL, ARG_NO_PAGER },
                { "call-timeout", required_argument, NULL, ARG_CALL_TIMEOUT },
                { "host", required_argument, NULL, 'H' },
                { "machine", required_argument, NULL, 'M' },
                { "type", required_argument, NULL, ARG_TYPE },
                { "hook", required_argument, NULL, ARG_HOOK },
                { "priority", required_argument, NULL, ARG_PRIORITY },
                { "policy", required_argument, NULL, ARG_POLICY },
                { "device", required_argument, NULL, ARG_DEVICE },
                { "comment", required_argument, NULL, ARG_COMMENT },
                { "index", required_argument, NULL, ARG_INDEX },
                { "after", required_argument, NULL, ARG_AFTER },
                { "before", required_argument, NULL, ARG_BEFORE },
                { "flags", required_argument, NULL, ARG_FLAGS },
                { "timeout", required_argument, NULL, ARG_TIMEOUT },
                { "size", required_argument, NULL, ARG_SIZE },
                { "check", no_argument, NULL, ARG_CHECK },
                { "replace", no_argument, NULL, ARG_REPLACE },
                { "details", no_argument, NULL, ARG_DETAILS },
                { "permanent", no_argument, NULL, ARG_PERMANENT },
                { "family", required_argument, NULL, ARG_FAMILY },
                { "table", required_argument, NULL, ARG_TABLE },
                { "format", required_argument, NULL, ARG_FORMAT },
                { "file", required_argument, NULL, 'f' },
                {},
        };
        uint64_t v;
        int c;

        while ((c = getopt_long(argc, argv, permute ? "hf:H:M:" : "+hf:H:M:", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        arg_help = true;
                        break;
                case ARG_VERSION:
                        puts(PROJECT_VERSION);
                        return 0;
                case ARG_JSON:
                        arg_json = true;
                        break;
                case ARG_NO_ASK_PASSWORD:
                        arg_ask_password = false;
                        break;
                case ARG_NO_LEGEND:
                        arg_legend = false;
                        columns_legend = false;
                        break;
                case ARG_NO_PAGER:
                        arg_pager = false;
                        break;
                case 'H':
                        arg_host = optarg;
                        break;
                case 'M':
                        arg_machine = optarg;
                        break;
                case ARG_CALL_TIMEOUT:
                        if (parse_number(optarg, UINT32_MAX, &arg_call_timeout) < 0)
                                return -EINVAL;
                        break;
                case ARG_TYPE:
                        arg_given |= OPT_TYPE;
                        arg_type = optarg;
                        break;
                case ARG_HOOK:
                        arg_given |= OPT_HOOK;
                        arg_hook = optarg;
                        break;
                case ARG_PRIORITY:
                        arg_given |= OPT_PRIORITY;
                        arg_priority = optarg;
                        break;
                case ARG_POLICY:
                        arg_given |= OPT_POLICY;
                        arg_policy = optarg;
                        break;
                case ARG_DEVICE:
                        arg_given |= OPT_DEVICE;
                        if (arg_n_devices + 1 >= ELEMENTSOF(arg_devices)) {
                                fprintf(stderr, "nftbusctl: at most %zu devices\n", ELEMENTSOF(arg_devices) - 1);
                                return -EINVAL;
                        }
                        arg_devices[arg_n_devices++] = optarg;
                        break;
                case ARG_COMMENT:
                        arg_given |= OPT_COMMENT;
                        arg_comment = optarg;
                        break;
                case ARG_INDEX:
                        arg_given |= OPT_INDEX;
                        if (parse_number(optarg, UINT32_MAX, &v) < 0)
                                return -EINVAL;
                        arg_index = (uint32_t) v;
                        arg_has_index = true;
                        break;
                case ARG_AFTER:
                case ARG_BEFORE:
                        arg_given |= c == ARG_BEFORE ? OPT_BEFORE : OPT_AFTER;
                        if (parse_number(optarg, INT64_MAX, &v) < 0)
                                return -EINVAL;
                        arg_position = v;
                        arg_has_position = true;
                        arg_position_before = c == ARG_BEFORE;
                        break;
                case ARG_FLAGS:
                        arg_given |= OPT_FLAGS;
                        arg_flags = optarg;
                        break;
                case ARG_TIMEOUT:
                        arg_given |= OPT_TIMEOUT;
                        if (parse_number(optarg, UINT32_MAX, &arg_timeout) < 0)
                                return -EINVAL;
                        arg_has_timeout = true;
                        break;
                case ARG_SIZE:
                        arg_given |= OPT_SIZE;
                        if (parse_number(optarg, UINT32_MAX, &arg_size) < 0)
                                return -EINVAL;
                        break;
                case 'f':
                        arg_given |= OPT_FILE;
                        arg_file = optarg;
                        break;
                case ARG_CHECK:
                        arg_given |= OPT_CHECK;
                        arg_check = true;
                        break;
                case ARG_REPLACE:
                        arg_given |= OPT_REPLACE;
                        arg_replace = true;
                        break;
                case ARG_DETAILS:
                        arg_given |= OPT_DETAILS;
                        arg_details = true;
                        break;
                case ARG_PERMANENT:
                        arg_given |= OPT_PERMANENT;
                        arg_permanent = true;
                        break;
                case ARG_FAMILY:
                        arg_given |= OPT_FAMILY;
                        arg_family = optarg;
                        break;
                case ARG_TABLE:
                        arg_given |= OPT_TABLE;
                        arg_table = optarg;
                        break;
                case ARG_FORMAT:
                        arg_given |= OPT_FORMAT;
                        arg_format = optarg;
                        break;
                default:
                        return -EINVAL;
                }
        return 1;
}

static int copy_to_stdout(int fd)
{
        char buf[65536];
        ssize_t n;

        fflush(stdout);
        while ((n = read(fd, buf, sizeof(buf))) > 0)
                for (ssize_t done = 0, w; done < n; done += w)
                        if ((w = write(STDOUT_FILENO, buf + done, (size_t) (n - done))) < 0)
                                return -errno;
        return n < 0 ? -errno : 0;
}

/* "nftbusctl frob" or "nftbusctl zone frob": what is there, and the nearest if it looks like a typo */
static int unknown_verb(char **argv, int argc, bool group)
{
        const char *word = group ? NULL : argv[0], *nearest;

        for (int k = 1; group && k < argc && !word; k++)
                if (argv[k][0] != '-')
                        word = argv[k];
        nearest = verb_nearest(verbs, ELEMENTSOF(verbs), group ? argv[0] : NULL, word);
        if (!group) {
                fprintf(stderr, "nftbusctl: unknown command '%s'", argv[0]);
                if (nearest)
                        fprintf(stderr, "; did you mean '%s'?", nearest);
                fprintf(stderr, " (see --help)\n");
                return EXIT_USAGE;
        }
        if (word)
                fprintf(stderr, "nftbusctl: %s has no command '%s'%s%s%s\n", argv[0], word,
                        nearest ? "; did you mean '" : "", strempty(nearest), nearest ? "'?" : "");
        fprintf(stderr, "nftbusctl: %s takes one of:", argv[0]);
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(verbs[i].name, argv[0]))
                        fprintf(stderr, " %s", verbs[i].sub);
        fputc('\n', stderr);
        return EXIT_USAGE;
}

int main(int argc, char *argv[])
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *why = NULL;
        const Verb *verb;
        bool group;
        int r, n;

        /* the shells' completion: nftbusctl --complete [--] WORD... */
        if (argc >= 2 && streq(argv[1], "--complete")) {
                int skip = argc >= 3 && streq(argv[2], "--") ? 3 : 2;
                return complete_words(verbs, ELEMENTSOF(verbs), argv + skip, argc - skip);
        }
        r = parse_options(argc, argv, false);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_OK;
        if (optind >= argc) {
                if (arg_help) {
                        help();
                        return EXIT_OK;
                }
                fprintf(stderr, "nftbusctl: a command is needed; see --help\n");
                return EXIT_USAGE;
        }
        /* the verb (and the sub-verb of a group), then the verb's own options, then its arguments */
        argv += optind;
        argc -= optind;
        verb = verb_find(verbs, ELEMENTSOF(verbs), argv, argc, &group);
        if (!verb) {
                if (group) {
                        /* "nftbusctl sysctl --help" */
                        optind = 0;
                        if (parse_options(argc, argv, false) < 0)
                                return EXIT_USAGE;
                }
                if (group && arg_help) {
                        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                                if (streq(verbs[i].name, argv[0]))
                                        verb_help(stdout, &verbs[i]), putchar('\n');
                        return EXIT_OK;
                }
                return unknown_verb(argv, argc, group);
        }
        /* getopt takes argv[0] as the program: the sub-verb of a group stays in the arguments (optind 0: getopt
         * starts anew, in the mode this call asks for) */
        optind = 0;
        r = parse_options(argc, argv, !verb->sub);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_OK;
        n = argc - optind;
        if (verb->sub && !arg_help) {
                /* the sub-verb came first; options may follow it, before or after the arguments */
                if (n < 1 || !streq(argv[optind], verb->sub)) {
                        fprintf(stderr, "nftbusctl: options go after \"%s %s\"\n", verb->name, verb->sub);
                        return EXIT_USAGE;
                }
                argv += optind;
                argc -= optind;
                optind = 0;
                r = parse_options(argc, argv, true);
                if (r <= 0)
                        return r < 0 ? EXIT_USAGE : EXIT_OK;
                n = argc - optind;
        }
        if (arg_help) {
                verb_help(stdout, verb);
                return EXIT_OK;
        }
        if (verb_check_options(verb, arg_given, &why) < 0) {
                fprintf(stderr, "nftbusctl: %s; see nftbusctl %s%s%s --help\n",
                        why ? why : "an option does not go here", verb->name, verb->sub ? " " : "",
                        verb->sub ? verb->sub : "");
                return EXIT_USAGE;
        }
        if (verb_check_arguments(verb, n) < 0) {
                fputs("nftbusctl: usage: nftbusctl ", stderr);
                verb_usage(stderr, verb);
                return EXIT_USAGE;
        }
        if (arg_has_index && arg_has_position) {
                fprintf(stderr, "nftbusctl: give --index or --after/--before, not both\n");
                return EXIT_USAGE;
        }
        if (arg_host && arg_machine) {
                fprintf(stderr, "nftbusctl: give --host or --machine, not both\n");
                return EXIT_USAGE;
        }
        r = nftbus_errors_register();
        if (r >= 0)
                r = arg_host      ? sd_bus_open_system_remote(&bus, arg_host)
                    : arg_machine ? sd_bus_open_system_machine(&bus, arg_machine)
                                  : sd_bus_open_system(&bus);
        if (r < 0) {
                fprintf(stderr, "Failed to connect to the system bus%s%s: %s\n", arg_host || arg_machine ? " of " : "",
                        arg_host ? arg_host : strempty(arg_machine), strerror(-r));
                return EXIT_UNAVAILABLE;
        }
        (void) sd_bus_set_allow_interactive_authorization(bus, arg_ask_password);
        /* no fixed limit: a million elements, a big batch or a password typed slowly take what they take */
        (void) sd_bus_set_method_call_timeout(bus, arg_call_timeout ? arg_call_timeout * 1000000ULL : UINT64_MAX);
        if (!arg_host && !arg_machine) /* a password typed here is for this host's polkit */
                agent_open();
        if (arg_pager && !arg_json && pages(verb))
                pager_open();
        /* --json: what the verb prints is gathered, so that a change without a result says {} (every verb prints
         * JSON); monitor runs until interrupted and prints as it goes */
        int json_out = -EBADF, stdout_saved = -EBADF;
        if (arg_json && verb->run != cmd_monitor) {
                fflush(stdout);
                json_out = memfd_create("nftbusctl-json", MFD_CLOEXEC);
                stdout_saved = json_out >= 0 ? fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3) : -EBADF;
                if (stdout_saved < 0 || dup2(json_out, STDOUT_FILENO) < 0) {
                        fprintf(stderr, "nftbusctl: cannot gather the output: %s\n", strerror(errno));
                        return EXIT_FAILED;
                }
        }
        if (verb->sub) {
                /* a group's run() takes its sub-verb as the first argument */
                _cleanup_free_ char **args = calloc(n + 2, sizeof(char *));
                if (!args)
                        return EXIT_FAILED;
                args[0] = (char *) verb->sub;
                memcpy(args + 1, argv + optind, n * sizeof(char *));
                r = verb->run(bus, args, n + 1);
        } else
                r = verb->run(bus, argv + optind, n);
        if (json_out >= 0) {
                fflush(stdout);
                if (dup2(stdout_saved, STDOUT_FILENO) < 0)
                        return EXIT_FAILED;
                safe_close(stdout_saved);
                off_t size = lseek(json_out, 0, SEEK_END);
                if (size == 0 && r == EXIT_OK)
                        puts("{}");
                else if (size > 0 && (lseek(json_out, 0, SEEK_SET) < 0 || copy_to_stdout(json_out) < 0))
                        r = EXIT_FAILED;
                safe_close(json_out);
        }
        pager_close();
        agent_close();
        return r;
}
