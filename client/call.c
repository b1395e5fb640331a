/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* How nftbusctl's verbs call the service and report: a method called (with the progress of a long one), a
 * failed call as an exit status and a message, an object's path from its names, the kernel's objects listed
 * through the ObjectManager, JSON printed. nftbusctl.c is the verb table, the options and main(); the verb
 * files (tables.c, rules.c, ...) use what is here, declared in nftbusctl.h. */

#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "common/errors.h"
#include "busjson.h"
#include "columns.h"
#include "nftbusctl.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"

static int exit_status_for(const sd_bus_error *e)
{
        if (sd_bus_error_has_names(e, SD_BUS_ERROR_ACCESS_DENIED, SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED))
                return EXIT_ACCESS_DENIED;
        if (sd_bus_error_has_names(e, NFTBUS_ERROR_NOT_FOUND, SD_BUS_ERROR_UNKNOWN_OBJECT))
                return EXIT_NOT_FOUND;
        if (sd_bus_error_has_names(e, NFTBUS_ERROR_INVALID_ARGUMENT, SD_BUS_ERROR_INVALID_ARGS))
                return EXIT_USAGE;
        if (sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER,
                                   SD_BUS_ERROR_NO_REPLY, SD_BUS_ERROR_DISCONNECTED))
                return EXIT_UNAVAILABLE;
        return EXIT_FAILED;
}

int call_failed(const char *what, const sd_bus_error *e, int r)
{
        if (r == -ETIMEDOUT || sd_bus_error_has_name(e, SD_BUS_ERROR_TIMEOUT)) {
                fprintf(stderr,
                        "Failed to %s: no answer within --call-timeout=%" PRIu64 "; whether the service did it is "
                        "unknown\n",
                        what, arg_call_timeout);
                return EXIT_FAILED;
        }
        if (sd_bus_error_is_set(e)) {
                fprintf(stderr, "Failed to %s: %s (%s)\n", what, e->message ? e->message : e->name, e->name);
                return exit_status_for(e);
        }
        fprintf(stderr, "Failed to %s: %s\n", what, strerror(-r));
        return EXIT_FAILED;
}

int check_table_args(const char *family, const char *name)
{
        _cleanup_free_ char *why = NULL;

        if (validate_family(family, &why) < 0 || validate_object_name("table", name, &why) < 0) {
                fprintf(stderr, "%s\n", why ? why : "Invalid argument");
                return -EINVAL;
        }
        return 0;
}

typedef struct Waiting {
        bool done;
        sd_bus_message *reply;
} Waiting;

static int on_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error _unused_)
{
        Waiting *w = userdata;

        w->done = true;
        w->reply = sd_bus_message_ref(m);
        return 0;
}

static void format_bytes(uint64_t n, char *buf, size_t size)
{
        if (n >= 1024 * 1024)
                snprintf(buf, size, "%.1f MiB", (double) n / (1024 * 1024));
        else
                snprintf(buf, size, "%.1f KiB", (double) n / 1024);
}

/* how far the service has read the file of -f: its offset, which the service's descriptor shares */
static void show_progress(int fd)
{
        struct stat st;
        off_t at = lseek(fd, 0, SEEK_CUR);
        char done[32], total[32];

        if (at < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
                return;
        format_bytes((uint64_t) at, done, sizeof(done));
        format_bytes((uint64_t) st.st_size, total, sizeof(total));
        fprintf(stderr, "\r\033[Kread %s of %s (%d%%)", done, total, (int) (at * 100 / st.st_size));
}

int call_method(sd_bus *bus, sd_bus_message *m, sd_bus_error *error, sd_bus_message **ret_reply)
{
        _cleanup_(sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
        Waiting w = {};
        int r;

        if (progress_fd < 0 || !isatty(STDERR_FILENO))
                return sd_bus_call(bus, m, 0, error, ret_reply);
        r = sd_bus_call_async(bus, &slot, m, on_reply, &w, 0);
        while (r >= 0 && !w.done) {
                r = sd_bus_process(bus, NULL);
                if (r == 0 && !w.done) {
                        show_progress(progress_fd);
                        r = sd_bus_wait(bus, 200 * 1000);
                }
        }
        fputs("\r\033[K", stderr);
        if (r < 0)
                return r;
        if (sd_bus_message_is_method_error(w.reply, NULL)) {
                r = sd_bus_error_copy(error, sd_bus_message_get_error(w.reply));
                sd_bus_message_unref(w.reply);
                return r < 0 ? r : -EIO;
        }
        if (ret_reply)
                *ret_reply = w.reply;
        else
                sd_bus_message_unref(w.reply);
        return 0;
}

int print_made(sd_bus_message *reply)
{
        const char *path;

        if (sd_bus_message_read(reply, "o", &path) < 0)
                return EXIT_FAILED;
        if (arg_json)
                printf("{\"path\": \"%s\"}\n", path);
        return EXIT_OK;
}

int call_built(sd_bus *bus, sd_bus_message *m, const char *what, sd_bus_message **ret_reply)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = sd_bus_call(bus, m, 0, &error, ret_reply);
        if (r < 0)
                return call_failed(what, &error, r);
        return EXIT_OK;
}

int call_nftbus(sd_bus *bus, const char *path, const char *interface, const char *method, const char *what,
                sd_bus_message **ret_reply, const char *types, ...)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        va_list ap;
        int r;

        va_start(ap, types);
        r = sd_bus_call_methodv(bus, NFTBUS_BUS_NAME, path, interface, method, &error, ret_reply, types, ap);
        va_end(ap);
        return r < 0 ? call_failed(what, &error, r) : EXIT_OK;
}

int print_json(json_t *j)
{
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

        if (!s)
                return EXIT_FAILED;
        puts(s);
        free(s);
        return EXIT_OK;
}

int print_number(const char *key, uint64_t n, const char *text)
{
        if (arg_json)
                printf("{\"%s\": %" PRIu64 "}\n", key, n);
        else
                printf("%" PRIu64 "%s\n", n, text);
        return EXIT_OK;
}

static int node_method_path(char **args, const char *kind, char **ret)
{
        _cleanup_free_ char *why = NULL;

        if (check_table_args(args[0], args[1]) < 0)
                return -EINVAL;
        if (validate_object_name(kind, args[2], &why) < 0) {
                fprintf(stderr, "%s\n", why ? why : "Invalid argument");
                return -EINVAL;
        }
        return node_path(args[0], args[1], kind, args[2], ret);
}

int node_message(sd_bus *bus, char **args, const char *kind, const char *interface, const char *method,
                 sd_bus_message **ret)
{
        _cleanup_free_ char *path = NULL;
        int r;

        r = node_method_path(args, kind, &path);
        if (r < 0)
                return r;
        return sd_bus_message_new_method_call(bus, ret, NFTBUS_BUS_NAME, path, interface, method);
}

/* Sends m to the chain or object named by args (FAMILY TABLE NAME); "no such" for a missing one. */
int node_send(sd_bus *bus, sd_bus_message *m, char **args, const char *kind, const char *what,
              sd_bus_message **ret_reply)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = sd_bus_call(bus, m, 0, &error, ret_reply);
        if (r < 0) {
                if (sd_bus_error_has_name(&error, SD_BUS_ERROR_UNKNOWN_OBJECT)) {
                        fprintf(stderr, "Failed to %s: no %s %s in table %s %s (%s)\n", what, kind, args[2], args[0],
                                args[1], NFTBUS_ERROR_NOT_FOUND);
                        return EXIT_NOT_FOUND;
                }
                return call_failed(what, &error, r);
        }
        return EXIT_OK;
}

/* Calls a method of the chain or object named by args, with arguments of types. */
int node_call(sd_bus *bus, char **args, const char *kind, const char *interface, const char *method, const char *what,
              sd_bus_message **ret_reply, const char *types, ...)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        va_list ap;
        int r;

        r = node_message(bus, args, kind, interface, method, &m);
        if (r == -EINVAL)
                return EXIT_USAGE;
        if (r >= 0 && types) {
                va_start(ap, types);
                r = sd_bus_message_appendv(m, types, ap);
                va_end(ap);
        }
        if (r < 0)
                return call_failed(what, &SD_BUS_ERROR_NULL, r);
        return node_send(bus, m, args, kind, what, ret_reply);
}

/* The objects below a table path (or all), of the given interfaces, from GetManagedObjects: a JSON array
 * of {"kind", "family", "table", properties... (snake case)}, in the service's order. */
int managed_objects(sd_bus *bus, const char *const *interfaces, const char *family, const char *table, json_t **ret,
                    sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        const char *path;
        int r;

        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, "org.freedesktop.DBus.ObjectManager",
                               "GetManagedObjects", error, &reply, NULL);
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
                _cleanup_free_ char *f = NULL, *t = NULL, *kind = NULL, *name = NULL;
                const char *interface;

                r = sd_bus_message_read(reply, "o", &path);
                if (r < 0)
                        return r;
                r = object_path_parse(path, &f, &t, &kind, &name);
                if (r < 0)
                        return r;
                r = sd_bus_message_enter_container(reply, 'a', "{sa{sv}}");
                if (r < 0)
                        return r;
                while ((r = sd_bus_message_enter_container(reply, 'e', "sa{sv}")) > 0) {
                        bool wanted = false;

                        r = sd_bus_message_read(reply, "s", &interface);
                        if (r < 0)
                                return r;
                        for (size_t i = 0; interfaces[i]; i++)
                                wanted = wanted || streq(interfaces[i], interface);
                        if (!wanted || !kind || (family && !streq(family, f)) || (table && !streq(table, t))) {
                                r = sd_bus_message_skip(reply, "a{sv}");
                        } else {
                                /* maps share the sets' paths; the interface tells them apart */
                                json_t *o = json_pack("{s:s, s:s, s:s}", "kind",
                                                      streq(interface, NFTBUS_MAP_INTERFACE) ? "map" : kind, "family",
                                                      f, "table", t);
                                json_t *props = NULL;

                                r = bus_read_properties_json(reply, &props);
                                if (r >= 0 && json_object_update(o, props) < 0)
                                        r = -ENOMEM;
                                json_decref(props);
                                json_array_append_new(list, o);
                        }
                        if (r < 0)
                                return r;
                        r = sd_bus_message_exit_container(reply);
                        if (r < 0)
                                return r;
                }
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(reply);
                if (r >= 0)
                        r = sd_bus_message_exit_container(reply);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(list);
        return 0;
}

int check_optional_table(char **args, int n)
{
        if (n == 1) {
                fprintf(stderr, "nftbusctl: give both FAMILY and TABLE, or neither\n");
                return -EINVAL;
        }
        return n == 2 ? check_table_args(args[0], args[1]) : 0;
}

int list_objects(sd_bus *bus, char **args, int n, const char *const *interfaces, const char *what,
                 const ObjectTable *shown)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(json_decrefp) json_t *list = NULL;
        _cleanup_(columns_freep) Columns *table = NULL;
        json_t *o;
        size_t i;
        int r;

        if (check_optional_table(args, n) < 0)
                return EXIT_USAGE;
        r = managed_objects(bus, interfaces, n ? args[0] : NULL, n ? args[1] : NULL, &list, &error);
        if (r < 0)
                return call_failed(what, &error, r);
        if (arg_json)
                return print_json(list);
        table = columns_new(shown->columns, shown->n_columns);
        if (!table)
                return EXIT_FAILED;
        json_array_foreach (list, i, o)
                if (shown->add_row(table, o) < 0)
                        return EXIT_FAILED;
        columns_print(table, stdout);
        return EXIT_OK;
}

int add_failed(const char *what, char **args, const sd_bus_error *error, int r)
{
        if (sd_bus_error_has_name(error, SD_BUS_ERROR_UNKNOWN_OBJECT)) {
                fprintf(stderr, "Failed to %s: no table %s %s (%s)\n", what, args[0], args[1], NFTBUS_ERROR_NOT_FOUND);
                return EXIT_NOT_FOUND;
        }
        return call_failed(what, error, r);
}

const char *json_str(json_t *o, const char *key)
{
        return strempty(json_string_value(json_object_get(o, key)));
}
