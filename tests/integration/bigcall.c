/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Sends nftbusd a method call too big for busctl's command line, as a hostile caller would, and prints
 * the reply ("ok" and the reply's first string or number, or "ERROR name: message"):
 *
 *   bigcall strv-option PATH INTERFACE METHOD PREFIX OPTION COUNT VALUE [TIMEOUT_S]
 *       the method with its leading arguments (PREFIX: "-" for none, else comma-separated TYPE:VALUE
 *       with TYPE s, u or t) and a{sv} { OPTION: as of COUNT copies of VALUE }
 *   bigcall strv-arg PATH INTERFACE METHOD COUNT VALUE [TIMEOUT_S]
 *       the method with (as of COUNT copies of VALUE, a{sv} {})
 *   bigcall string-arg PATH INTERFACE METHOD SIZE [TIMEOUT_S]
 *       the method with (s of SIZE bytes "a", a{sv} {})
 *   bigcall file-arg PATH INTERFACE METHOD FILE [TIMEOUT_S]
 *       the method with (s the contents of FILE, a{sv} {})
 *   bigcall flood N PATH INTERFACE METHOD PREFIX
 *       N calls of the method at once (PREFIX as above, then an empty a{sv}), then waits for every
 *       answer; prints "ok K" and, for each error name, "NAME K", sorted
 *   bigcall measure PATH INTERFACE METHOD
 *       the method without arguments; prints the size of the reply's body as D-Bus marshals it
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

/* The leading arguments: "-" for none, else comma-separated TYPE:VALUE (s, u or t). */
static int append_prefix(sd_bus_message *m, const char *prefix)
{
        char *copy = strdup(prefix), *save = NULL;
        int r = 0;

        if (!copy)
                return -ENOMEM;
        for (char *a = strtok_r(copy, ",", &save); r >= 0 && a && strcmp(a, "-") != 0;
             a = strtok_r(NULL, ",", &save)) {
                if (a[0] == 's' && a[1] == ':')
                        r = sd_bus_message_append_basic(m, 's', a + 2);
                else if ((a[0] == 'u' || a[0] == 't') && a[1] == ':') {
                        uint64_t t = strtoull(a + 2, NULL, 10);
                        uint32_t u = (uint32_t) t;
                        r = sd_bus_message_append_basic(m, a[0], a[0] == 'u' ? (void *) &u : (void *) &t);
                } else
                        r = -EINVAL;
        }
        free(copy);
        return r;
}

static int append_strv(sd_bus_message *m, unsigned long count, const char *value)
{
        int r = sd_bus_message_open_container(m, 'a', "s");

        for (unsigned long i = 0; r >= 0 && i < count; i++)
                r = sd_bus_message_append_basic(m, 's', value);
        return r < 0 ? r : sd_bus_message_close_container(m);
}

static size_t align(size_t o, size_t n)
{
        return (o + n - 1) & ~(n - 1);
}

/* The marshalled size of what follows in m, from offset o, by the specification's alignment rules. */
static int walk(sd_bus_message *m, size_t *o)
{
        const char *contents;
        char type;
        int r;

        while ((r = sd_bus_message_peek_type(m, &type, &contents)) > 0) {
                switch (type) {
                case 'a':
                case 'r':
                case 'e':
                case 'v': {
                        if (type == 'a') {
                                *o = align(*o, 4) + 4;
                                /* the first element's alignment: 8 for structs, dict entries and 64-bit */
                                *o = align(*o, strchr("({xtd", contents[0])               ? 8
                                               : strchr("ybg", contents[0])               ? 1
                                               : contents[0] == 'n' || contents[0] == 'q' ? 2
                                                                                          : 4);
                        } else if (type == 'v')
                                *o += 1 + strlen(contents) + 1;
                        else
                                *o = align(*o, 8);
                        r = sd_bus_message_enter_container(m, type, contents);
                        if (r < 0)
                                return r;
                        r = walk(m, o);
                        if (r < 0)
                                return r;
                        r = sd_bus_message_exit_container(m);
                        if (r < 0)
                                return r;
                        break;
                }
                case 's':
                case 'o':
                case 'g': {
                        const char *v;
                        r = sd_bus_message_read_basic(m, type, &v);
                        if (r < 0)
                                return r;
                        *o = type == 'g' ? *o + 1 + strlen(v) + 1 : align(*o, 4) + 4 + strlen(v) + 1;
                        break;
                }
                default: {
                        uint64_t v;
                        size_t n = strchr("xtd", type)  ? 8
                                   : strchr("yb", type) ? (type == 'b' ? 4 : 1)
                                   : strchr("nq", type) ? 2
                                                        : 4;
                        r = sd_bus_message_read_basic(m, type, &v);
                        if (r < 0)
                                return r;
                        *o = align(*o, n) + n;
                }
                }
        }
        return r;
}

typedef struct Tally {
        char names[16][128];
        unsigned counts[16], n, answered;
} Tally;

static int on_answer(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        Tally *t = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(reply);
        const char *name = e ? e->name : "ok";
        unsigned i;

        for (i = 0; i < t->n && strcmp(t->names[i], name) != 0; i++)
                ;
        if (i == t->n && t->n < 16)
                snprintf(t->names[t->n++], sizeof(t->names[0]), "%s", name);
        if (i < 16)
                t->counts[i]++;
        t->answered++;
        return 0;
}

static int flood(sd_bus *bus, unsigned n, char *argv[])
{
        Tally t = {};
        int r;

        for (unsigned i = 0; i < n; i++) {
                sd_bus_message *m = NULL;
                r = sd_bus_message_new_method_call(bus, &m, "org.nftbus.Firewall1", argv[0], argv[1], argv[2]);
                if (r >= 0)
                        r = append_prefix(m, argv[3]);
                if (r >= 0)
                        r = sd_bus_message_append(m, "a{sv}", 0);
                if (r >= 0)
                        r = sd_bus_call_async(bus, NULL, m, on_answer, &t, 120 * 1000000ULL);
                sd_bus_message_unref(m);
                if (r < 0)
                        return r;
        }
        while (t.answered < n) {
                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return r;
                if (r == 0 && (r = sd_bus_wait(bus, UINT64_MAX)) < 0)
                        return r;
        }
        for (unsigned i = 0; i < t.n; i++)
                printf("%s %u\n", t.names[i], t.counts[i]);
        return 0;
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
                        r = append_prefix(m, argv[5]);
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
                /* the variant, the entry, the a{sv} */
                for (int k = 0; r >= 0 && k < 3; k++)
                        r = sd_bus_message_close_container(m);
                timeout_arg = argc == 10 ? argv[9] : NULL;
        } else if (strcmp(mode, "strv-arg") == 0 && (argc == 7 || argc == 8)) {
                r = sd_bus_message_new_method_call(bus, &m, "org.nftbus.Firewall1", argv[2], argv[3], argv[4]);
                if (r >= 0)
                        r = append_strv(m, strtoul(argv[5], NULL, 10), argv[6]);
                if (r >= 0)
                        r = sd_bus_message_append(m, "a{sv}", 0);
                timeout_arg = argc == 8 ? argv[7] : NULL;
        } else if ((strcmp(mode, "string-arg") == 0 || strcmp(mode, "file-arg") == 0) && (argc == 6 || argc == 7)) {
                char *s = NULL;
                if (strcmp(mode, "file-arg") == 0) {
                        size_t size = 0;
                        FILE *f = fopen(argv[5], "r"), *out = open_memstream(&s, &size);
                        char buf[65536];
                        size_t k;
                        if (!f || !out)
                                return 2;
                        while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
                                fwrite(buf, 1, k, out);
                        fclose(f);
                        fclose(out);
                } else {
                        size_t size = strtoul(argv[5], NULL, 10);
                        s = malloc(size + 1);
                        if (!s)
                                return 2;
                        memset(s, 'a', size);
                        s[size] = '\0';
                }
                r = sd_bus_message_new_method_call(bus, &m, "org.nftbus.Firewall1", argv[2], argv[3], argv[4]);
                if (r >= 0)
                        r = sd_bus_message_append(m, "sa{sv}", s, 0);
                free(s);
                timeout_arg = argc == 7 ? argv[6] : NULL;
        } else if (strcmp(mode, "flood") == 0 && argc == 7) {
                r = flood(bus, (unsigned) strtoul(argv[2], NULL, 10), argv + 3);
                sd_bus_flush_close_unref(bus);
                return r < 0 ? 2 : 0;
        } else if (strcmp(mode, "measure") == 0 && argc == 5) {
                size_t o = 0;
                r = sd_bus_call_method(bus, "org.nftbus.Firewall1", argv[2], argv[3], argv[4], &error, &reply, NULL);
                if (r < 0) {
                        printf("ERROR %s: %s\n", error.name, error.message);
                        sd_bus_error_free(&error);
                        sd_bus_flush_close_unref(bus);
                        return 0;
                }
                r = walk(reply, &o);
                if (r < 0)
                        return 2;
                printf("%zu\n", o);
                sd_bus_message_unref(reply);
                sd_bus_flush_close_unref(bus);
                return 0;
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
