/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* A table's lifecycle through sd-bus, as a C program using the service would do it: exact replies,
 * exact error names, the ObjectManager signals, and the kernel's own listing after every step. Runs
 * inside tests/integration/harness; prints TAP. */

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "common/errors.h"

#define BUS_NAME "org.nftbus.Firewall1"
#define ROOT "/org/nftbus/Firewall1"
#define MANAGER "org.nftbus.Firewall1.Manager"
#define TABLE "org.nftbus.Firewall1.Table"

static int n_tests, n_failed;

static void check(bool ok, const char *fmt, ...)
{
        va_list ap;

        n_tests++;
        if (!ok)
                n_failed++;
        printf("%s %d - ", ok ? "ok" : "not ok", n_tests);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
}

static void check_str(const char *expected, const char *actual, const char *what)
{
        bool ok = actual && strcmp(expected, actual) == 0;
        check(ok, "%s", what);
        if (!ok)
                printf("# expected: %s\n# actual:   %s\n", expected, actual ? actual : "(null)");
}

/* The kernel's tables as "family/name family/name ...", sorted by nft. */
static char *kernel_tables(void)
{
        FILE *p = popen("nft -j list tables", "r");
        json_t *root, *item;
        char *out = calloc(1, 4096);
        size_t i;

        root = json_loadf(p, 0, NULL);
        pclose(p);
        json_array_foreach (json_object_get(root, "nftables"), i, item) {
                json_t *t = json_object_get(item, "table");
                if (!t)
                        continue;
                if (*out)
                        strcat(out, " ");
                strcat(out, json_string_value(json_object_get(t, "family")));
                strcat(out, "/");
                strcat(out, json_string_value(json_object_get(t, "name")));
        }
        json_decref(root);
        return out;
}

static char *last_signal;

static int on_object_manager_signal(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const char *path;

        if (sd_bus_message_read(m, "o", &path) < 0)
                return 0;
        free(last_signal);
        if (asprintf(&last_signal, "%s %s", sd_bus_message_get_member(m), path) < 0)
                last_signal = NULL;
        return 0;
}

/* Checks the kernel's tables, then processes the bus until a signal has come (or a second has passed)
 * and checks it was the expected one. */
static void check_kernel_and_signal(sd_bus *bus, const char *tables, const char *signal, const char *what)
{
        char *s = kernel_tables();

        check_str(tables, s, "the kernel's tables follow");
        free(s);
        for (int i = 0; i < 20 && !last_signal; i++) {
                while (sd_bus_process(bus, NULL) > 0)
                        ;
                if (!last_signal)
                        sd_bus_wait(bus, 50000);
        }
        check_str(signal, last_signal, what);
        free(last_signal);
        last_signal = NULL;
}

/* The guard of lib.sh: this test runs nft, so only inside the namespace the harness made. */
static bool in_harness_namespace(void)
{
        const char *expected = getenv("NFTBUS_HARNESS_NETNS"), *host = getenv("NFTBUS_HOST_NETNS");
        char current[64] = "";
        ssize_t n = readlink("/proc/self/ns/net", current, sizeof(current) - 1);

        if (n > 0)
                current[n] = '\0';
        return n > 0 && expected && *expected && strcmp(current, expected) == 0 &&
               (!host || strcmp(host, expected) != 0);
}

int main(void)
{
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        sd_bus *bus = NULL;
        const char *path = NULL, *family, *name;
        uint64_t handle = 0;
        int r;

        if (!in_harness_namespace()) {
                fprintf(stderr, "test-tables-sdbus: refusing to run outside the namespace of "
                                "tests/integration/harness\n");
                return 1;
        }

        /* a C client registers the service's error names to get errno values for them */
        check(nftbus_errors_register() >= 0, "register the error map");
        r = sd_bus_open_system(&bus);
        check(r >= 0, "connect to the system bus");
        if (r < 0)
                return 1;
        r = sd_bus_match_signal(bus, NULL, BUS_NAME, ROOT, "org.freedesktop.DBus.ObjectManager", NULL,
                                on_object_manager_signal, NULL);
        check(r >= 0, "subscribe to the ObjectManager's signals");

        r = sd_bus_call_method(bus, BUS_NAME, ROOT, MANAGER, "AddTable", &error, &reply, "ssa{sv}", "inet", "sdbus",
                               0);
        if (r >= 0)
                r = sd_bus_message_read(reply, "o", &path);
        check_str("/org/nftbus/Firewall1/table/inet/sdbus", r >= 0 ? path : error.message, "AddTable replies");
        reply = sd_bus_message_unref(reply);
        check_kernel_and_signal(bus, "inet/sdbus", "InterfacesAdded /org/nftbus/Firewall1/table/inet/sdbus",
                                "InterfacesAdded is emitted for it");

        r = sd_bus_get_property_trivial(bus, BUS_NAME, "/org/nftbus/Firewall1/table/inet/sdbus", TABLE, "Handle",
                                        &error, 't', &handle);
        check(r >= 0 && handle > 0, "Handle is set (%" PRIu64 ")", handle);

        r = sd_bus_call_method(bus, BUS_NAME, ROOT, MANAGER, "AddTable", &error, NULL, "ssa{sv}", "inet", "sdbus", 0);
        check(r == -EEXIST, "AddTable again fails with EEXIST through the error map (%d)", r);
        check_str("org.nftbus.Firewall1.Error.AlreadyExists", error.name, "named AlreadyExists");
        sd_bus_error_free(&error);

        r = sd_bus_call_method(bus, BUS_NAME, ROOT, MANAGER, "GetTable", &error, NULL, "ss", "inet", "a b");
        check(r == -EINVAL, "GetTable with a bad name fails with EINVAL (%d)", r);
        check_str("org.nftbus.Firewall1.Error.InvalidArgument", error.name, "named InvalidArgument");
        check_str("Invalid table name 'a b': only letters, digits, '_', '-' and '.' are allowed", error.message,
                  "naming the bad value");
        sd_bus_error_free(&error);

        r = sd_bus_call_method(bus, BUS_NAME, ROOT, MANAGER, "ListTables", &error, &reply, NULL);
        if (r >= 0)
                r = sd_bus_message_read(reply, "a(sso)", 1, &family, &name, &path);
        check(r > 0 && strcmp(family, "inet") == 0 && strcmp(name, "sdbus") == 0 &&
                      strcmp(path, "/org/nftbus/Firewall1/table/inet/sdbus") == 0,
              "ListTables lists exactly the table");
        reply = sd_bus_message_unref(reply);

        check(system("nft add chain inet sdbus c && nft add rule inet sdbus c counter") == 0, "add a rule with nft");
        r = sd_bus_call_method(bus, BUS_NAME, "/org/nftbus/Firewall1/table/inet/sdbus", TABLE, "Flush", &error, NULL,
                               NULL);
        check(r >= 0, "Flush succeeds");
        check(system("test \"$(nft -j list table inet sdbus | jq '[.nftables[] | select(.rule)] | length')\" = 0") ==
                      0,
              "Flush removed the rule from the kernel");

        r = sd_bus_call_method(bus, BUS_NAME, "/org/nftbus/Firewall1/table/inet/sdbus", TABLE, "Delete", &error, NULL,
                               NULL);
        check(r >= 0, "Delete succeeds");
        check_kernel_and_signal(bus, "", "InterfacesRemoved /org/nftbus/Firewall1/table/inet/sdbus",
                                "InterfacesRemoved is emitted for it");

        r = sd_bus_call_method(bus, BUS_NAME, ROOT, MANAGER, "GetTable", &error, NULL, "ss", "inet", "sdbus");
        check(r == -ENOENT, "GetTable after Delete fails with ENOENT (%d)", r);
        check_str("org.nftbus.Firewall1.Error.NotFound", error.name, "named NotFound");
        sd_bus_error_free(&error);

        sd_bus_flush_close_unref(bus);
        printf("1..%d\n", n_tests);
        return n_failed == 0 ? 0 : 1;
}
