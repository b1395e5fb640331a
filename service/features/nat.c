/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.NAT on /org/nftbus/Firewall1/nat: masquerade, port forwards, source and
 * destination NAT, static (1:1) NAT and redirects, for IPv4 and IPv6, as rules of table inet nftbus_nat
 * (natspec.h). An entry is found again by its spec, so the same call twice changes nothing.
 *
 * A call first lists the table, then decides (tablejob.h). */

#include <errno.h>
#include <jansson.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "bus/call.h"
#include "context.h"
#include "common/errors.h"
#include "log.h"
#include "core/natspec.h"
#include "common/objpath.h"
#include "bus/options.h"
#include "bus/tablejob.h"
#include "common/util.h"
#include "common/validate.h"

typedef enum NatOp {
        NAT_OP_ADD,
        NAT_OP_REMOVE,
        NAT_OP_LIST,
} NatOp;

typedef struct NatJob {
        NatOp op;
        char *spec;
        char id[9];
} NatJob;

static void job_free(void *userdata)
{
        NatJob *j = userdata;

        if (!j)
                return;
        free(j->spec);
        free(j);
}

static int reply_added(Context *c _unused_, sd_bus_message *m, const ExecReply *reply _unused_, const char *object)
{
        /* object is "nat <id>" */
        return sd_bus_reply_method_return(m, "s", object + strlen("nat "));
}

/* "absent_interfaces": the entry's interfaces that do not exist (yet): a masquerade of a VPN's interface is
 * accepted before the VPN comes up, and List says that it waits. */
static int append_absent_interfaces(sd_bus_message *reply, const NatEntry *e)
{
        const char *names[] = { e->in_interface, e->out_interface };
        const char *absent[ELEMENTSOF(names) + 1] = {};
        size_t n = 0;

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (names[i] && if_nametoindex(names[i]) == 0)
                        absent[n++] = names[i];
        if (n == 0)
                return 0;
        return sd_bus_message_append(reply, "{sv}", "absent_interfaces", "as", n, absent[0], absent[1]);
}

static int append_entry(sd_bus_message *reply, const char *spec, const char *id)
{
        _cleanup_(nat_entry_clear) NatEntry e = {};
        int r;

        if (nat_spec_parse(spec, &e) < 0)
                return 0; /* a comment that is not ours */
        r = sd_bus_message_open_container(reply, 'r', "ssa{sv}");
        if (r >= 0)
                r = sd_bus_message_append(reply, "ss", id, nat_kind_to_string(e.kind));
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "{sv}");
        for (size_t i = 0; r >= 0 && i < nat_fields_count; i++) {
                const NatField *f = &nat_fields[i];
                if (nat_field_is_port(f) && *nat_field_port(&e, f))
                        r = sd_bus_message_append(reply, "{sv}", f->name, "q", *nat_field_port(&e, f));
                else if (!nat_field_is_port(f) && *nat_field_string(&e, f))
                        r = sd_bus_message_append(reply, "{sv}", f->name, "s", *nat_field_string(&e, f));
                if (r >= 0 && f->type == NAT_FIELD_PORTS && e.port_last)
                        r = sd_bus_message_append(reply, "{sv}", "port_last", "q", e.port_last);
        }
        if (r >= 0)
                r = append_absent_interfaces(reply, &e);
        r = call_close_containers(reply, 2, r);
        return r;
}

static int reply_list(sd_bus_message *m, const NatRule *rules, size_t n)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r;

        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ssa{sv})");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                char id[9];
                bool seen = false;
                /* a static entry has two rules: one entry */
                for (size_t k = 0; k < i; k++)
                        seen = seen || streq(rules[k].spec, rules[i].spec);
                if (seen)
                        continue;
                nat_spec_id(rules[i].spec, id);
                r = append_entry(reply, rules[i].spec, id);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

/* The listing is in (NULL: no table yet, no entries yet): add, remove or list. */
static void nat_job_run(Context *c, sd_bus_message *m, json_t *listing, void *userdata)
{
        NatJob *j = userdata;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ NatRule *rules = NULL;
        _cleanup_free_ char *text = NULL, *object = NULL;
        size_t n = 0;
        int r;

        if (listing && nat_rules_of(listing, &rules, &n) < 0)
                goto oom;

        if (j->op == NAT_OP_LIST) {
                if (reply_list(m, rules, n) < 0)
                        (void) sd_bus_reply_method_errorf(m, NFTBUS_ERROR_REJECTED, "Could not list the NAT entries");
                return;
        }
        if (asprintf(&object, "nat %s", j->id) < 0)
                goto oom;
        if (j->op == NAT_OP_ADD) {
                _cleanup_(nat_entry_clear) NatEntry e = {};
                _cleanup_free_ char *rules_text = NULL;
                for (size_t i = 0; i < n; i++)
                        if (streq(rules[i].spec, j->spec)) {
                                (void) sd_bus_reply_method_return(m, "s", j->id);
                                return;
                        }
                if (nat_spec_parse(j->spec, &e) < 0 || nat_entry_commands(&e, j->spec, rules, n, &rules_text) < 0 ||
                    asprintf(&text, "%s%s", nat_setup_commands(), rules_text) < 0)
                        goto oom;
        } else {
                if (nat_delete_commands(rules, n, j->id, &text) < 0)
                        goto oom;
                if (!text) {
                        (void) sd_bus_reply_method_errorf(m, NFTBUS_ERROR_NOT_FOUND,
                                                          "No NAT entry with that id; List shows them");
                        return;
                }
        }
        r = call_execute(c, m,
                         &(CallRequest){ .text = text,
                                         .flags = EXEC_NFT_SYNTAX,
                                         .object = object,
                                         .on_success = j->op == NAT_OP_ADD ? reply_added : NULL },
                         &error);
        if (r < 0)
                (void) sd_bus_reply_method_error(m, &error);
        return;
oom:
        (void) sd_bus_reply_method_errorf(m, NFTBUS_ERROR_REJECTED, "Out of memory");
}

static int enqueue(Context *c, sd_bus_message *m, NatOp op, char *spec, const char *id)
{
        NatJob *j = calloc(1, sizeof(NatJob));

        if (!j) {
                free(spec);
                return -ENOMEM;
        }
        *j = (NatJob){ .op = op, .spec = spec };
        if (id)
                snprintf(j->id, sizeof(j->id), "%s", id);
        return table_job_enqueue(c, m, "inet", NAT_TABLE, nat_job_run, j, job_free);
}

/* The options a method takes. */
typedef enum NatOption {
        NAT_OPTION_IN_INTERFACE = 1 << 0,
        NAT_OPTION_SOURCE = 1 << 1,
        NAT_OPTION_FAMILY = 1 << 2,
        NAT_OPTION_PORT_LAST = 1 << 3,
} NatOption;

/* Reads the options a method takes into e. */
static int read_options(sd_bus_message *m, NatEntry *e, NatOption options, sd_bus_error *error)
{
        _cleanup_free_ char *in_interface = NULL, *src = NULL, *fam = NULL, *why = NULL;
        OptionSpec specs[5] = {};
        uint32_t port_last = 0;
        size_t n = 0;
        int r;

        if (options & NAT_OPTION_IN_INTERFACE)
                specs[n++] = (OptionSpec){ "in_interface", "s", &in_interface };
        if (options & NAT_OPTION_SOURCE)
                specs[n++] = (OptionSpec){ "source", "s", &src };
        if (options & NAT_OPTION_FAMILY)
                specs[n++] = (OptionSpec){ "family", "s", &fam };
        if (options & NAT_OPTION_PORT_LAST)
                specs[n++] = (OptionSpec){ "port_last", "u", &port_last };
        r = options_read(m, specs, error);
        if (r < 0)
                return r;
        if ((in_interface && nat_set_interface(&e->in_interface, "in_interface", in_interface, &why) < 0) ||
            (src && nat_set_address(&e->source, "source", src, true, &why) < 0) ||
            nat_set_port_last(e, port_last, &why) < 0)
                return call_invalid(error, why);
        if (fam) {
                if (!streq(fam, "ipv4") && !streq(fam, "ipv6"))
                        return call_invalid(error, "Invalid family: expected ipv4 or ipv6 (both when not given)");
                e->family = TAKE_PTR(fam);
        }
        return 0;
}

static int read_masquerade(sd_bus_message *m, NatEntry *e, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        const char *out;
        int r;

        r = sd_bus_message_read(m, "s", &out);
        if (r < 0)
                return r;
        if (nat_set_interface(&e->out_interface, "out_interface", out, &why) < 0)
                return call_invalid(error, why);
        r = read_options(m, e, NAT_OPTION_SOURCE | NAT_OPTION_FAMILY, error);
        if (r < 0)
                return r;
        return 0;
}

static int read_port_forward(sd_bus_message *m, NatEntry *e, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        const char *protocol, *to;
        uint16_t port, to_port;
        int r;

        r = sd_bus_message_read(m, "sqsq", &protocol, &port, &to, &to_port);
        if (r < 0)
                return r;
        if (nat_set_protocol(e, protocol, &why) < 0 || nat_set_port(&e->port, "port", port, false, &why) < 0 ||
            nat_set_address(&e->to_address, "to_address", to, false, &why) < 0 ||
            nat_set_port(&e->to_port, "to_port", to_port, true, &why) < 0)
                return call_invalid(error, why);
        r = read_options(m, e, NAT_OPTION_IN_INTERFACE | NAT_OPTION_SOURCE | NAT_OPTION_PORT_LAST, error);
        if (r < 0)
                return r;
        return 0;
}

static int read_source_nat(sd_bus_message *m, NatEntry *e, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        const char *out, *to;
        int r;

        r = sd_bus_message_read(m, "ss", &out, &to);
        if (r < 0)
                return r;
        if (nat_set_interface(&e->out_interface, "out_interface", out, &why) < 0 ||
            nat_set_address(&e->to_address, "to_address", to, false, &why) < 0)
                return call_invalid(error, why);
        r = read_options(m, e, NAT_OPTION_SOURCE, error);
        if (r < 0)
                return r;
        return 0;
}

static int read_destination_nat(sd_bus_message *m, NatEntry *e, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL, *in = NULL, *protocol = NULL, *src = NULL;
        const char *destination, *to;
        uint32_t port = 0, port_last = 0, to_port = 0;
        int r;

        r = sd_bus_message_read(m, "ss", &destination, &to);
        if (r < 0)
                return r;
        if (nat_set_address(&e->destination, "destination", destination, false, &why) < 0 ||
            nat_set_address(&e->to_address, "to_address", to, false, &why) < 0)
                return call_invalid(error, why);
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "in_interface", "s", &in },
                                 { "source", "s", &src },
                                 { "protocol", "s", &protocol },
                                 { "port", "u", &port },
                                 { "port_last", "u", &port_last },
                                 { "to_port", "u", &to_port },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        if ((in && nat_set_interface(&e->in_interface, "in_interface", in, &why) < 0) ||
            (src && nat_set_address(&e->source, "source", src, true, &why) < 0) ||
            (protocol && nat_set_protocol(e, protocol, &why) < 0) ||
            nat_set_port(&e->port, "port", port, true, &why) < 0 || nat_set_port_last(e, port_last, &why) < 0 ||
            nat_set_port(&e->to_port, "to_port", to_port, true, &why) < 0)
                return call_invalid(error, why);
        return 0;
}

static int read_static_nat(sd_bus_message *m, NatEntry *e, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        const char *public, *private;
        int r;

        r = sd_bus_message_read(m, "ss", &public, &private);
        if (r < 0)
                return r;
        if (nat_set_address(&e->destination, "public", public, true, &why) < 0 ||
            nat_set_address(&e->to_address, "private", private, true, &why) < 0)
                return call_invalid(error, why);
        r = options_read(m, (const OptionSpec[]){ {} }, error);
        if (r < 0)
                return r;
        return 0;
}

static int read_redirect(sd_bus_message *m, NatEntry *e, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        const char *protocol;
        uint16_t port, to_port;
        int r;

        r = sd_bus_message_read(m, "sqq", &protocol, &port, &to_port);
        if (r < 0)
                return r;
        if (nat_set_protocol(e, protocol, &why) < 0 || nat_set_port(&e->port, "port", port, false, &why) < 0 ||
            nat_set_port(&e->to_port, "to_port", to_port, true, &why) < 0)
                return call_invalid(error, why);
        r = read_options(m, e, NAT_OPTION_IN_INTERFACE | NAT_OPTION_SOURCE | NAT_OPTION_FAMILY | NAT_OPTION_PORT_LAST,
                         error);
        if (r < 0)
                return r;
        return 0;
}

static const struct {
        const char *member;
        NatKind kind;
        int (*read)(sd_bus_message *m, NatEntry *e, sd_bus_error *error);
} add_methods[] = {
        { "Masquerade", NAT_MASQUERADE, read_masquerade }, { "PortForward", NAT_PORT_FORWARD, read_port_forward },
        { "SourceNat", NAT_SOURCE, read_source_nat },      { "DestinationNat", NAT_DESTINATION, read_destination_nat },
        { "StaticNat", NAT_STATIC, read_static_nat },      { "Redirect", NAT_REDIRECT, read_redirect },
};

/* Masquerade, PortForward, SourceNat, DestinationNat, StaticNat, Redirect: the entry read (by the kind's own
 * reader) and checked, polkit asked, then the entry queued; the reply is its id. */
static int method_add(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(nat_entry_clear) NatEntry e = {};
        _cleanup_free_ char *why = NULL, *spec = NULL;
        const char *member = sd_bus_message_get_member(m);
        Context *c = userdata;
        size_t i = 0;
        char id[9];
        int r;

        while (i < ELEMENTSOF(add_methods) && !streq(add_methods[i].member, member))
                i++;
        if (i == ELEMENTSOF(add_methods))
                return -EINVAL;
        e.kind = add_methods[i].kind;
        r = add_methods[i].read(m, &e, error);
        if (r < 0)
                return r;
        if (nat_entry_check(&e, &why) < 0)
                return call_invalid(error, why);
        r = nat_entry_spec(&e, &spec);
        if (r == -E2BIG)
                return sd_bus_error_set(error, NFTBUS_ERROR_TOO_LARGE,
                                        "The entry's description is longer than the 127 bytes of a rule comment");
        if (r < 0)
                return r;
        r = polkit_check(c->polkit, m, (const char *const[]){ "kind", nat_kind_to_string(e.kind), NULL }, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        nat_spec_id(spec, id);
        return enqueue(c, m, NAT_OP_ADD, TAKE_PTR(spec), id);
}

static int method_list(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r;

        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return enqueue(c, m, NAT_OP_LIST, NULL, NULL);
}

static int method_remove(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *id;
        int r;

        r = sd_bus_message_read(m, "s", &id);
        if (r < 0)
                return r;
        if (strlen(id) != 8 || strspn(id, "0123456789abcdef") != 8) {
                _cleanup_free_ char *shown = escape_for_message(id);
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                         "Invalid NAT entry id '%s': expected 8 hex digits, as List shows",
                                         strempty(shown));
        }
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return enqueue(c, m, NAT_OP_REMOVE, NULL, id);
}

const sd_bus_vtable nat_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("Masquerade", SD_BUS_ARGS("s", out_interface, "a{sv}", options),
                                SD_BUS_RESULT("s", id), method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("PortForward",
                                SD_BUS_ARGS("s", protocol, "q", port, "s", to_address, "q", to_port, "a{sv}", options),
                                SD_BUS_RESULT("s", id), method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SourceNat", SD_BUS_ARGS("s", out_interface, "s", to_address, "a{sv}", options),
                                SD_BUS_RESULT("s", id), method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("DestinationNat", SD_BUS_ARGS("s", destination, "s", to_address, "a{sv}", options),
                                SD_BUS_RESULT("s", id), method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("StaticNat", SD_BUS_ARGS("s", public, "s", private, "a{sv}", options),
                                SD_BUS_RESULT("s", id), method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Redirect", SD_BUS_ARGS("s", protocol, "q", port, "q", to_port, "a{sv}", options),
                                SD_BUS_RESULT("s", id), method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("List", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(ssa{sv})", entries), method_list,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Remove", SD_BUS_ARGS("s", id), SD_BUS_NO_RESULT, method_remove,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

int nat_register(Context *c)
{
        return sd_bus_add_object_vtable(c->bus, NULL, NFTBUS_NAT_PATH, NFTBUS_NAT_INTERFACE, nat_vtable, c);
}
