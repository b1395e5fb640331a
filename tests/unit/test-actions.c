/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Walks the method -> polkit action table against the contract: every method of every interface in
 * introspection/ has exactly one action, every entry names a real method, and every action is declared in
 * its polkit policy file: nftbus's, or the one of firewalld's actions for firewalld's API. (firewalld had two
 * CVEs from wrong per-method mappings.) */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/actions.h"
#include "tap.h"
#include "common/util.h"

#define MAX_METHODS 512

typedef struct Method {
        char interface[128];
        char name[128];
} Method;

static Method methods[MAX_METHODS];
static size_t n_methods;
static char *policy_text;           /* org.nftbus.Firewall1.policy */
static char *firewalld_policy_text; /* org.fedoraproject.FirewallD1.nftbus.policy */
static char **xml_files;
static int n_xml_files;

static char *read_file(const char *path)
{
        FILE *f = fopen(path, "re");
        char *buf;
        long size;

        if (!f)
                return NULL;
        fseek(f, 0, SEEK_END);
        size = ftell(f);
        rewind(f);
        buf = calloc(1, (size_t) size + 1);
        if (buf && fread(buf, 1, (size_t) size, f) != (size_t) size) {
                free(buf);
                buf = NULL;
        }
        fclose(f);
        return buf;
}

static void strip_comments(char *s)
{
        char *start, *end;

        while ((start = strstr(s, "<!--")) && (end = strstr(start, "-->")))
                memmove(start, end + 3, strlen(end + 3) + 1);
}

/* copies the value of attribute name="..." found right after p */
static int copy_name(const char *p, char *out, size_t size)
{
        const char *q = strstr(p, "name=\"");
        const char *end;

        if (!q)
                return -1;
        q += 6;
        end = strchr(q, '"');
        if (!end || (size_t) (end - q) >= size)
                return -1;
        memcpy(out, q, (size_t) (end - q));
        out[end - q] = '\0';
        return 0;
}

static int collect_methods(void **state)
{
        for (int i = 0; i < n_xml_files; i++) {
                _cleanup_free_ char *xml = read_file(xml_files[i]);
                char interface[128] = "";

                if (!xml) {
                        fprintf(stderr, "cannot read %s\n", xml_files[i]);
                        return -1;
                }
                strip_comments(xml);
                for (char *p = xml; (p = strchr(p, '<')); p++) {
                        if (strncmp(p, "<interface ", 11) == 0) {
                                if (copy_name(p, interface, sizeof(interface)) < 0)
                                        return -1;
                        } else if (strncmp(p, "<method ", 8) == 0) {
                                if (n_methods == MAX_METHODS)
                                        return -1;
                                strcpy(methods[n_methods].interface, interface);
                                if (copy_name(p, methods[n_methods].name, sizeof(methods[n_methods].name)) < 0)
                                        return -1;
                                n_methods++;
                        }
                }
        }
        return n_methods > 0 ? 0 : -1;
}

/* every method of nftbus's has exactly one action; firewalld's at most one: those nftbus does not offer have
 * none, and answer NOT_SUPPORTED before polkit (which the privilege walk calls each of them to see) */
static void test_every_method_has_exactly_one_action(void **state)
{
        for (size_t i = 0; i < n_methods; i++) {
                size_t found = 0;
                for (size_t j = 0; j < method_actions_count; j++)
                        if (streq(method_actions[j].interface, methods[i].interface) &&
                            streq(method_actions[j].method, methods[i].name))
                                found++;
                if (found > 1 || (found == 0 && !startswith(methods[i].interface, "org.fedoraproject.FirewallD1")))
                        fail_msg("%s.%s has %zu actions", methods[i].interface, methods[i].name, found);
        }
}

static void test_every_entry_is_a_real_method(void **state)
{
        for (size_t j = 0; j < method_actions_count; j++) {
                bool found = false;
                for (size_t i = 0; i < n_methods; i++)
                        if (streq(method_actions[j].interface, methods[i].interface) &&
                            streq(method_actions[j].method, methods[i].name))
                                found = true;
                if (!found)
                        fail_msg("%s.%s is in the table but not in introspection/", method_actions[j].interface,
                                 method_actions[j].method);
        }
}

static bool known_action(const char *action)
{
        for (const char *const *a = nftbus_actions; *a; a++)
                if (streq(*a, action))
                        return true;
        for (const char *const *a = firewalld_actions; *a; a++)
                if (streq(*a, action))
                        return true;
        return false;
}

static void assert_declared(const char *const *actions, const char *text)
{
        for (const char *const *a = actions; *a; a++) {
                char needle[256];
                snprintf(needle, sizeof(needle), "<action id=\"%s\">", *a);
                if (!strstr(text, needle))
                        fail_msg("%s is not declared in its policy file", *a);
        }
}

static size_t count_declared(const char *text)
{
        size_t n = 0;

        for (const char *p = text; (p = strstr(p, "<action id=\"")); p++)
                n++;
        return n;
}

static size_t count(const char *const *actions)
{
        size_t n = 0;

        while (actions[n])
                n++;
        return n;
}

static void test_every_action_is_declared(void **state)
{
        for (size_t j = 0; j < method_actions_count; j++)
                if (!known_action(method_actions[j].action))
                        fail_msg("%s is not a known action", method_actions[j].action);

        assert_declared(nftbus_actions, policy_text);
        assert_declared(firewalld_actions, firewalld_policy_text);
}

static void test_policy_declares_nothing_else(void **state)
{
        assert_int_equal(count_declared(policy_text), count(nftbus_actions));
        assert_int_equal(count(nftbus_actions), 15);
        assert_int_equal(count_declared(firewalld_policy_text), count(firewalld_actions));
        assert_int_equal(count(firewalld_actions), 8);
}

static void test_lookups(void **state)
{
        assert_string_equal(action_for_method("org.nftbus.Firewall1.Manager", "ListTables"),
                            "org.nftbus.Firewall1.read");
        assert_string_equal(action_for_method("org.nftbus.Firewall1.Manager", "GetTable"),
                            "org.nftbus.Firewall1.read");
        /* following the changes holds the kernel's event group, a host-wide cost: not a read */
        assert_string_equal(action_for_method("org.nftbus.Firewall1.Manager", "Subscribe"),
                            "org.nftbus.Firewall1.subscribe");
        assert_string_equal(action_for_method("org.nftbus.Firewall1.Manager", "Unsubscribe"),
                            "org.nftbus.Firewall1.subscribe");
        assert_string_equal(action_for_method("org.nftbus.Firewall1.Manager", "AddTable"),
                            "org.nftbus.Firewall1.manage-tables");
        assert_string_equal(action_for_method("org.nftbus.Firewall1.Table", "Delete"),
                            "org.nftbus.Firewall1.manage-tables");
        assert_string_equal(action_for_method("org.nftbus.Firewall1.Table", "Flush"),
                            "org.nftbus.Firewall1.manage-tables");
        /* only base chains have policies: what decides for the host's traffic is delegated apart */
        assert_string_equal(action_for_method("org.nftbus.Firewall1.Chain", "SetPolicy"),
                            "org.nftbus.Firewall1.manage-base-chains");
        /* fail closed */
        assert_null(action_for_method("org.nftbus.Firewall1.Table", "NoSuchMethod"));
        assert_null(action_for_method("org.nftbus.Firewall1.Manager", "Delete"));
        assert_null(action_for_method(NULL, "Delete"));
        /* firewalld's API under firewalld's actions, as firewalld guards each method */
        assert_string_equal(action_for_method("org.fedoraproject.FirewallD1", "authorizeAll"),
                            "org.fedoraproject.FirewallD1.all");
        assert_string_equal(action_for_method("org.fedoraproject.FirewallD1.zone", "getActiveZones"),
                            "org.fedoraproject.FirewallD1.info");
        assert_string_equal(action_for_method("org.fedoraproject.FirewallD1.zone", "getServices"),
                            "org.fedoraproject.FirewallD1.config.info");
        assert_string_equal(action_for_method("org.fedoraproject.FirewallD1.zone", "addService"),
                            "org.fedoraproject.FirewallD1.config");
        assert_string_equal(action_for_method("org.fedoraproject.FirewallD1.config.zone", "getServices"),
                            "org.fedoraproject.FirewallD1.config");
        assert_string_equal(action_for_method("org.fedoraproject.FirewallD1.zone", "addRichRule"),
                            "org.fedoraproject.FirewallD1.config");
        assert_string_equal(action_for_method("org.fedoraproject.FirewallD1.policy", "setPolicySettings"),
                            "org.fedoraproject.FirewallD1.config");
        assert_string_equal(action_for_method("org.fedoraproject.FirewallD1.policy", "getPolicySettings"),
                            "org.fedoraproject.FirewallD1.config.info");
        /* firewalld's direct rules, which nftbus has not: asked under firewalld's actions all the same */
        assert_string_equal(action_for_method("org.fedoraproject.FirewallD1.direct", "addRule"),
                            "org.fedoraproject.FirewallD1.direct");
        assert_string_equal(action_for_method("org.fedoraproject.FirewallD1.direct", "getAllRules"),
                            "org.fedoraproject.FirewallD1.direct.info");
        /* what nftbus does not serve has no action: refused before polkit */
        assert_null(action_for_method("org.fedoraproject.FirewallD1.config.icmptype", "update"));
}

int main(int argc, char *argv[])
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_every_method_has_exactly_one_action),
                cmocka_unit_test(test_every_entry_is_a_real_method),
                cmocka_unit_test(test_every_action_is_declared),
                cmocka_unit_test(test_policy_declares_nothing_else),
                cmocka_unit_test(test_lookups),
        };

        if (argc < 4) {
                fprintf(stderr, "usage: test-actions POLICY FIREWALLD-POLICY XML...\n");
                return 2;
        }
        policy_text = read_file(argv[1]);
        firewalld_policy_text = read_file(argv[2]);
        if (!policy_text || !firewalld_policy_text)
                return 2;
        xml_files = argv + 3;
        n_xml_files = argc - 3;
        cmocka_set_message_output(CM_OUTPUT_TAP);
        int r = cmocka_run_group_tests(tests, collect_methods, NULL);
        free(policy_text);
        free(firewalld_policy_text);
        return r;
}
