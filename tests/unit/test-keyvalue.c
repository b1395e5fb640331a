/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "busjson.h"
#include "common/util.h"
#include "nftbusctl.h"
#include "tap.h"

/* The client's a{sv} from NAME=VALUE arguments, read back as JSON. A bus on a socketpair is enough to make
 * messages: nothing is sent. */
static const KeyType types[] = {
        { "ping", "b" }, { "port", "q" }, { "size", "u" }, { "wan", "s" }, { "lan", "as" },
};

static int build(char **args, int n, json_t **ret)
{
        sd_bus *bus = NULL;
        sd_bus_message *m = NULL;
        int fds[2], r;

        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        assert_true(sd_bus_new(&bus) >= 0);
        assert_true(sd_bus_set_fd(bus, fds[0], fds[0]) >= 0);
        assert_true(sd_bus_start(bus) >= 0);
        assert_true(sd_bus_message_new_method_call(bus, &m, "org.nftbus.Firewall1", "/x", "x.Y", "Z") >= 0);
        r = append_key_values(m, args, n, types, ELEMENTSOF(types));
        if (r >= 0) {
                assert_true(sd_bus_message_seal(m, 1, 0) >= 0);
                assert_true(sd_bus_message_rewind(m, true) >= 0);
                assert_true(bus_read_json(m, ret) >= 0);
        }
        sd_bus_message_unref(m);
        /* close, never flush: nobody at the other end will finish the authentication */
        sd_bus_close_unref(bus);
        close(fds[1]);
        return r;
}

static void test_types(void **state)
{
        char *args[] = { "ping=yes", "port=8080", "size=4294967295", "wan=eth0", "lan=eth1,wlan0" };
        _cleanup_free_ char *text = NULL;
        json_t *j = NULL;

        assert_int_equal(build(args, 5, &j), 0);
        text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
        assert_string_equal(text, "{\"lan\":[\"eth1\",\"wlan0\"],\"ping\":true,\"port\":8080,\"size\":4294967295,"
                                  "\"wan\":\"eth0\"}");
        json_decref(j);
}

static void test_refusals(void **state)
{
        char *unknown[] = { "bogus=1" }, *big[] = { "port=65536" }, *word[] = { "ping=maybe" }, *bare[] = { "wan" };
        json_t *j = NULL;

        assert_int_equal(build(unknown, 1, &j), -EINVAL);
        assert_int_equal(build(big, 1, &j), -EINVAL);
        assert_int_equal(build(word, 1, &j), -EINVAL);
        assert_int_equal(build(bare, 1, &j), -EINVAL);
}

static void test_decimal(void **state)
{
        uint64_t v;

        assert_int_equal(parse_decimal("65535", UINT16_MAX, &v), 0);
        assert_int_equal(v, 65535);
        assert_int_equal(parse_decimal("65536", UINT16_MAX, &v), -EINVAL);
        assert_int_equal(parse_decimal("-1", UINT16_MAX, &v), -EINVAL);
        assert_int_equal(parse_decimal("", UINT16_MAX, &v), -EINVAL);
        assert_int_equal(parse_decimal("12x", UINT16_MAX, &v), -EINVAL);
}

TAP_MAIN(cmocka_unit_test(test_types), cmocka_unit_test(test_refusals), cmocka_unit_test(test_decimal))
