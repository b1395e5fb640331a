/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/sysctlparam.h"
#include "tap.h"
#include "common/util.h"

static void assert_found(const char *name, const char *param, const char *path)
{
        _cleanup_free_ char *why = NULL, *p = NULL;
        const SysctlParam *found = NULL;

        assert_int_equal(sysctl_param_find(name, &found, &p, &why), 0);
        assert_string_equal(found->name, param);
        assert_string_equal(p, path);
}

static void assert_unknown(const char *name, const char *expected_why)
{
        _cleanup_free_ char *why = NULL, *p = NULL;
        const SysctlParam *found = NULL;

        assert_int_equal(sysctl_param_find(name, &found, &p, &why), -EINVAL);
        assert_null(p);
        assert_string_equal(why, expected_why);
}

static void test_names(void **state)
{
        assert_found("net.ipv4.ip_forward", "net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward");
        assert_found("net.ipv4.conf.all.rp_filter", "net.ipv4.conf.*.rp_filter",
                     "/proc/sys/net/ipv4/conf/all/rp_filter");
        assert_found("net.ipv6.conf.default.accept_ra", "net.ipv6.conf.*.accept_ra",
                     "/proc/sys/net/ipv6/conf/default/accept_ra");
        /* an interface name may hold dots (VLANs): the parameter is the last component */
        assert_found("net.ipv4.conf.eth0.100.forwarding", "net.ipv4.conf.*.forwarding",
                     "/proc/sys/net/ipv4/conf/eth0.100/forwarding");
        assert_found("net.netfilter.nf_conntrack_tcp_timeout_fin_wait",
                     "net.netfilter.nf_conntrack_tcp_timeout_fin_wait",
                     "/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_fin_wait");
        assert_found("net.ipv4.ip_local_port_range", "net.ipv4.ip_local_port_range",
                     "/proc/sys/net/ipv4/ip_local_port_range");

        assert_unknown("", "The sysctl parameter's name is empty");
        assert_unknown("kernel.hostname",
                       "Unknown sysctl parameter 'kernel.hostname': List() shows what nftbus reads and sets");
        assert_unknown("net/ipv4/ip_forward",
                       "Unknown sysctl parameter 'net/ipv4/ip_forward': List() shows what nftbus reads and sets");
        assert_unknown("net.ipv4.conf.all.mc_forwarding",
                       "Unknown sysctl parameter 'net.ipv4.conf.all.mc_forwarding': List() shows what nftbus "
                       "reads and sets");
        assert_unknown("net.ipv4.conf.../../../../kernel.hostname.forwarding",
                       "Invalid device '../../../../kernel.hostname': an interface name has 1 to 15 characters");
        assert_unknown("net.ipv4.conf.a/b.forwarding",
                       "Invalid device 'a/b': letters, digits, '_', '.', '-', '@' and '+' only");
        assert_unknown("net.ipv4.conf...forwarding", "Invalid device '.'");
        assert_unknown("net.ipv4.conf.forwarding", "Unknown sysctl parameter 'net.ipv4.conf.forwarding': give "
                                                   "net.ipv4.conf.<all|default|interface>.<name>");
        assert_unknown("net.ipv4.ip_forward\n", "Unknown sysctl parameter 'net.ipv4.ip_forward\\x0a': List() shows "
                                                "what nftbus reads and sets");
        assert_unknown("net.ipv4.conf.*.forwarding",
                       "Invalid device '*': letters, digits, '_', '.', '-', '@' and '+' only");
}

static void assert_value(const char *name, const char *value, const char *written)
{
        _cleanup_free_ char *why = NULL, *p = NULL, *text = NULL;
        const SysctlParam *found;

        assert_int_equal(sysctl_param_find(name, &found, &p, NULL), 0);
        assert_int_equal(sysctl_value_check(found, name, value, &text, &why), 0);
        assert_string_equal(text, written);
}

static void assert_bad_value(const char *name, const char *value, const char *expected_why)
{
        _cleanup_free_ char *why = NULL, *p = NULL, *text = NULL;
        const SysctlParam *found;

        assert_int_equal(sysctl_param_find(name, &found, &p, NULL), 0);
        assert_int_equal(sysctl_value_check(found, name, value, &text, &why), -EINVAL);
        assert_null(text);
        assert_string_equal(why, expected_why);
}

static void test_values(void **state)
{
        assert_value("net.ipv4.ip_forward", "1", "1");
        /* the kernel's ranges, not a guess: rp_filter and accept_ra take 2 */
        assert_value("net.ipv4.conf.all.rp_filter", "2", "2");
        assert_value("net.ipv6.conf.all.accept_ra", "2", "2");
        assert_value("net.ipv4.tcp_syncookies", "2", "2");
        assert_value("net.ipv6.conf.all.accept_source_route", "-1", "-1");
        assert_value("net.ipv4.tcp_fin_timeout", "30", "30");
        assert_value("net.netfilter.nf_conntrack_max", "2147483647", "2147483647");
        assert_value("net.ipv4.ip_local_port_range", "1024 65000", "1024 65000");
        assert_value("net.ipv4.ip_local_port_range", "32768\t60999", "32768 60999");

        assert_bad_value("net.ipv4.ip_forward", "2", "Invalid value 2 for net.ipv4.ip_forward: expected 0 or 1");
        assert_bad_value("net.ipv4.conf.all.rp_filter", "3",
                         "Invalid value 3 for net.ipv4.conf.all.rp_filter: expected 0, 1 or 2");
        assert_bad_value("net.ipv4.ip_forward", "", "Invalid value for net.ipv4.ip_forward: '' is not an integer");
        assert_bad_value("net.ipv4.ip_forward", " 1", "Invalid value for net.ipv4.ip_forward: ' 1' is not an integer");
        assert_bad_value("net.ipv4.ip_forward", "01", "Invalid value for net.ipv4.ip_forward: '01' is not an integer");
        assert_bad_value("net.ipv4.ip_forward", "+1", "Invalid value for net.ipv4.ip_forward: '+1' is not an integer");
        assert_bad_value("net.ipv4.ip_forward", "-0", "Invalid value for net.ipv4.ip_forward: '-0' is not an integer");
        assert_bad_value("net.ipv4.ip_forward", "1\n0",
                         "Invalid value for net.ipv4.ip_forward: '1\\x0a0' is not an integer");
        assert_bad_value("net.ipv4.ip_forward", "0x1",
                         "Invalid value for net.ipv4.ip_forward: '0x1' is not an integer");
        assert_bad_value("net.netfilter.nf_conntrack_max", "99999999999999999999",
                         "Invalid value for net.netfilter.nf_conntrack_max: '99999999999999999999' is not "
                         "an integer");
        assert_bad_value("net.netfilter.nf_conntrack_max", "2147483648",
                         "Invalid value 2147483648 for net.netfilter.nf_conntrack_max: expected 0 to 2147483647");
        assert_bad_value("net.ipv4.tcp_fin_timeout", "0",
                         "Invalid value 0 for net.ipv4.tcp_fin_timeout: expected 1 to 2147483");
        assert_bad_value("net.ipv4.ip_local_port_range", "1024",
                         "Invalid value for net.ipv4.ip_local_port_range: '1024' is not two ports, 'low high'");
        assert_bad_value("net.ipv4.ip_local_port_range", "2000 1000",
                         "Invalid port range 2000 1000 for net.ipv4.ip_local_port_range: expected 1 <= low "
                         "<= high <= "
                         "65535");
        assert_bad_value("net.ipv4.ip_local_port_range", "0 70000",
                         "Invalid port range 0 70000 for net.ipv4.ip_local_port_range: expected 1 <= low <= high <= "
                         "65535");
        assert_bad_value("net.ipv4.ip_local_port_range", "1 2 3",
                         "Invalid value for net.ipv4.ip_local_port_range: '1 2 3' is not two ports, 'low high'");
}

static void test_kernel_text(void **state)
{
        _cleanup_free_ char *a = NULL, *b = NULL;

        assert_int_equal(sysctl_value_from_kernel("32768\t60999\n", &a), 0);
        assert_string_equal(a, "32768 60999");
        assert_int_equal(sysctl_value_from_kernel("1\n", &b), 0);
        assert_string_equal(b, "1");
}

static void test_table(void **state)
{
        _cleanup_free_ char *name = NULL;

        /* ranges are ranges, names are unique */
        for (size_t i = 0; i < sysctl_params_count; i++) {
                assert_true(sysctl_params[i].min <= sysctl_params[i].max);
                for (size_t j = 0; j < i; j++)
                        assert_string_not_equal(sysctl_params[i].name, sysctl_params[j].name);
        }
        assert_true(sysctl_params_count >= 30);
        for (size_t i = 0; i < sysctl_params_count; i++)
                if (streq(sysctl_params[i].name, "net.ipv6.conf.*.accept_ra_pinfo"))
                        assert_int_equal(sysctl_param_name_for(&sysctl_params[i], "eth0", &name), 0);
        assert_string_equal(name, "net.ipv6.conf.eth0.accept_ra_pinfo");
}

TAP_MAIN(cmocka_unit_test(test_names), cmocka_unit_test(test_values), cmocka_unit_test(test_kernel_text),
         cmocka_unit_test(test_table))
