/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Sends nftbusd a method call too big for busctl's command line, as a hostile caller would, and prints
 * the reply ("ok" and the reply's first string or number, or "ERROR name: message"):
 *
 *   bigcall strv-option PATH INTERFACE METHOD PREFIX_SIG OPTION COUNT VALUE [TIMEOUT_S]
 *       the method with its leading arguments empty ("" for s, 0 for numbers; PREFIX_SIG is their
 *       signature, "-" for none) and a{sv} { OPTION: as of COUNT copies of VALUE }
 *   bigcall strv-arg PATH INTERFACE METHOD COUNT VALUE [TIMEOUT_S]
 *       the method with (as of COUNT copies of VALUE, a{sv} {})
 *   bigcall string-arg PATH INTERFACE METHOD SIZE [TIMEOUT_S]
 *       the method with (s of SIZE bytes "a", a{sv} {})
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

static int append_empty(sd_bus_message *m, const char *sig)
{
        int r = 0;

        for (const char *t = sig; r >= 0 && *t && !(t[0] == '-' && !t[1]); t++)
                switch (*t) {
                case 's':
                        r = sd_bus_message_append_basic(m, 's', "");
                        break;
                case 'q':
                case 'u':
                case 't': {
                        uint64_t zero = 0;
                        r = sd_bus_message_append_basic(m, *t, &zero);
                        break;
                }
                default:
                        return -EINVAL;
                }
        return r;
}

static int append_strv(sd_bus_message *m, unsigned long count, const char *value)
{
        int r = sd_bus_message_open_container(m, 'a', "s");

        for (unsigned long i = 0; r >= 0 && i < count; i++)
                r = sd_bus_message_append_basic(m, 's', value);
        return r < 0 ? r : sd_bus_message_close_container(m);
}

int main(int argc, char *argv[])
{
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = NULL, *reply = NULL;
        sd_bus *bus = NULL;
        const char *mode = argc > 1 ? argv[1] : "", *timeout_arg = NULL;
        int r;

        if (sd_bus_open_system(&bus) < 0)
                return 2;
        if (strcmp(mode, "strv-option") == 0 && (argc == 9 || argc == 10)) {
                r = sd_bus_message_new_method_call(bus, &m, "org.nftbus.Firewall1", argv[2], argv[3], argv[4]);
                if (r >= 0)
                        r = append_empty(m, argv[5]);
                if (r >= 0)
                        r = sd_bus_message_open_container(m, 'a', "{sv}");
                if (r >= 0)
                        r = sd_bus_message_open_container(m, 'e', "sv");
                if (r >= 0)
                        r = sd_bus_message_append_basic(m, 's', argv[6]);
                if (r >= 0)
                        r = sd_bus_message_open_container(m, 'v', "as");
                if (r >= 0)
                        r = append_strv(m, strtoul(argv[7], NULL, 10), argv[8]);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
                timeout_arg = argc == 10 ? argv[9] : NULL;
        } else if (strcmp(mode, "strv-arg") == 0 && (argc == 7 || argc == 8)) {
                r = sd_bus_message_new_method_call(bus, &m, "org.nftbus.Firewall1", argv[2], argv[3], argv[4]);
                if (r >= 0)
                        r = append_strv(m, strtoul(argv[5], NULL, 10), argv[6]);
                if (r >= 0)
                        r = sd_bus_message_append(m, "a{sv}", 0);
                timeout_arg = argc == 8 ? argv[7] : NULL;
        } else if (strcmp(mode, "string-arg") == 0 && (argc == 6 || argc == 7)) {
                size_t size = strtoul(argv[5], NULL, 10);
                char *s = malloc(size + 1);
                if (!s)
                        return 2;
                memset(s, 'a', size);
                s[size] = '\0';
                r = sd_bus_message_new_method_call(bus, &m, "org.nftbus.Firewall1", argv[2], argv[3], argv[4]);
                if (r >= 0)
                        r = sd_bus_message_append(m, "sa{sv}", s, 0);
                free(s);
                timeout_arg = argc == 7 ? argv[6] : NULL;
        } else {
                fprintf(stderr, "bigcall: usage: see the head of bigcall.c\n");
                return 2;
        }
        if (r < 0) {
                fprintf(stderr, "bigcall: building the call: %s\n", strerror(-r));
                return 2;
        }
        r = sd_bus_call(bus, m, timeout_arg ? strtoull(timeout_arg, NULL, 10) * 1000000ULL : 0, &error, &reply);
        if (r < 0)
                printf("ERROR %s: %s\n", error.name ? error.name : "?", error.message ? error.message : strerror(-r));
        else {
                const char *contents = NULL;
                char type = 0;
                if (sd_bus_message_peek_type(reply, &type, &contents) > 0 && type == 's') {
                        const char *s;
                        (void) sd_bus_message_read_basic(reply, 's', &s);
                        printf("ok %zu bytes\n", strlen(s));
                } else if (type == 't') {
                        uint64_t t;
                        (void) sd_bus_message_read_basic(reply, 't', &t);
                        printf("ok %" PRIu64 "\n", t);
                } else
                        printf("ok\n");
        }
        sd_bus_error_free(&error);
        sd_bus_message_unref(m);
        sd_bus_message_unref(reply);
        sd_bus_flush_close_unref(bus);
        return 0;
}
