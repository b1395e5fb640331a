/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl's set, map and element verbs. */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <systemd/sd-bus.h>

#include "busjson.h"
#include "columns.h"
#include "common/errors.h"
#include "common/objpath.h"
#include "common/util.h"
#include "nftbusctl.h"

/* The elements of a call: from the command line, or a descriptor (-f); options with additions. */
typedef struct ElementArgs {
        char **elements;
        int n;
        int fd;
        bool options;
} ElementArgs;

/* Sets and maps share .../set/NAME; the element methods are the same on both interfaces. */
static int set_call(sd_bus *bus, char **args, const char *method, const char *what, sd_bus_message **ret_reply,
                    int (*append)(sd_bus_message *m, void *userdata), void *userdata)
{
        const char *interfaces[] = { NFTBUS_SET_INTERFACE, NFTBUS_MAP_INTERFACE };
        int r = EXIT_FAILED;

        for (size_t i = 0; i < ELEMENTSOF(interfaces); i++) {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
                _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;

                r = node_message(bus, args, "set", interfaces[i], method, &m);
                if (r == -EINVAL)
                        return EXIT_USAGE;
                if (r >= 0 && append)
                        r = append(m, userdata);
                if (r < 0)
                        return call_failed(what, &SD_BUS_ERROR_NULL, r);
                r = call_method(bus, m, &error, ret_reply);
                if (r >= 0)
                        return EXIT_OK;
                if (i == 0 &&
                    sd_bus_error_has_names(&error, SD_BUS_ERROR_UNKNOWN_INTERFACE, SD_BUS_ERROR_UNKNOWN_METHOD))
                        continue;
                if (sd_bus_error_has_names(&error, SD_BUS_ERROR_UNKNOWN_OBJECT, SD_BUS_ERROR_UNKNOWN_INTERFACE)) {
                        fprintf(stderr, "Failed to %s: no set or map %s in table %s %s (%s)\n", what, args[2], args[0],
                                args[1], NFTBUS_ERROR_NOT_FOUND);
                        return EXIT_NOT_FOUND;
                }
                return call_failed(what, &error, r);
        }
        return r;
}

/* KIND FAMILY TABLE NAME TYPE FLAGS; a map's type is "KEY : VALUE" */
static int set_row(Columns *table, json_t *o)
{
        char type[512], flags[128] = "";
        json_t *flag;
        size_t k;

        if (streq(json_str(o, "kind"), "map"))
                snprintf(type, sizeof(type), "%s : %s", json_str(o, "type"), json_str(o, "value_type"));
        else
                snprintf(type, sizeof(type), "%s", json_str(o, "type"));
        json_array_foreach (json_object_get(o, "flags"), k, flag) {
                if (k)
                        strncat(flags, ",", sizeof(flags) - strlen(flags) - 1);
                strncat(flags, json_string_value(flag), sizeof(flags) - strlen(flags) - 1);
        }
        return columns_add(table, (const char *const[]){ json_str(o, "kind"), json_str(o, "family"),
                                                         json_str(o, "table"), json_str(o, "name"), type, flags });
}

static const Column set_columns[] = { { "KIND", 5 },  { "FAMILY", 8 }, { "TABLE", 16 },
                                      { "NAME", 20 }, { "TYPE", 32 },  { "FLAGS" } };

int cmd_list_sets(sd_bus *bus, char **args, int n)
{
        return list_objects(bus, args, n, (const char *const[]){ NFTBUS_SET_INTERFACE, NFTBUS_MAP_INTERFACE, NULL },
                            "list sets", &(const ObjectTable){ set_columns, ELEMENTSOF(set_columns), set_row });
}

/* add-set FAMILY TABLE NAME TYPE...: the type's words joined ("ipv4_addr . inet_service"); "KEY : VALUE"
 * makes a map. */
int cmd_add_set(sd_bus *bus, char **args, int n)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *type = NULL, *path = NULL;
        char *value = NULL;
        const char *created;
        size_t len = 0;
        int r;

        if (check_table_args(args[0], args[1]) < 0)
                return EXIT_USAGE;
        for (int i = 3; i < n; i++)
                len += strlen(args[i]) + 1;
        type = calloc(1, len + 1);
        if (!type)
                return EXIT_FAILED;
        for (int i = 3; i < n; i++) {
                if (i > 3)
                        strcat(type, " ");
                strcat(type, args[i]);
        }
        value = strstr(type, " : ");
        if (value) {
                *value = '\0';
                value += 3;
        }
        r = table_path(args[0], args[1], &path);
        if (r >= 0)
                r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, path, NFTBUS_TABLE_INTERFACE,
                                                   value ? "AddMap" : "AddSet");
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", args[2], type);
        if (r >= 0 && value)
                r = sd_bus_message_append(m, "s", value);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0 && arg_flags) {
                _cleanup_strv_free_ char **flags = NULL;
                _cleanup_free_ char *copy = strdup(arg_flags);
                size_t k = 0;
                char *p = copy, *f;

                flags = calloc(strlen(arg_flags) + 2, sizeof(char *));
                if (!flags || !copy)
                        return EXIT_FAILED;
                while ((f = strsep(&p, ",")))
                        if (!(flags[k++] = strdup(f)))
                                return EXIT_FAILED;
                r = append_strv_option(m, "flags", flags);
        }
        if (r >= 0 && arg_has_timeout)
                r = sd_bus_message_append(m, "{sv}", "timeout", "t", arg_timeout);
        if (r >= 0 && arg_size)
                r = sd_bus_message_append(m, "{sv}", "size", "u", (uint32_t) arg_size);
        if (r >= 0)
                r = append_string_options(m, (const char *const[]){ "comment", arg_comment, NULL });
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r < 0)
                return call_failed("add the set", &SD_BUS_ERROR_NULL, r);
        r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0)
                return add_failed("add the set", args, &error, r);
        if (sd_bus_message_read(reply, "o", &created) < 0)
                return EXIT_FAILED;
        if (arg_json)
                printf("{\"path\": \"%s\"}\n", created);
        else
                puts(created);
        return EXIT_OK;
}

int cmd_delete_set(sd_bus *bus, char **args, int n _unused_)
{
        return set_call(bus, args, "Delete", "delete the set", NULL, NULL, NULL);
}

static int append_elements(sd_bus_message *m, void *userdata)
{
        ElementArgs *e = userdata;
        int r;

        if (e->fd >= 0)
                r = sd_bus_message_append(m, "h", e->fd);
        else {
                r = sd_bus_message_open_container(m, 'a', "s");
                for (int i = 0; r >= 0 && i < e->n; i++)
                        r = sd_bus_message_append(m, "s", e->elements[i]);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        }
        if (r < 0 || !e->options)
                return r;
        r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0 && arg_has_timeout)
                r = sd_bus_message_append(m, "{sv}", "timeout", "t", arg_timeout);
        if (r >= 0)
                r = append_string_options(m, (const char *const[]){ "comment", arg_comment, NULL });
        return r < 0 ? r : sd_bus_message_close_container(m);
}

/* -f where the connection passes no descriptors (ssh, -H): the file's lines sent in pieces of ADD_PIECE
 * elements, each one transaction (blank lines and '#' comments passed over, as the service does) */
#define ADD_PIECE 10000

static int add_elements_in_pieces(sd_bus *bus, char **args, int fd)
{
        _cleanup_fclose_ FILE *f = fdopen(fd, "r");
        _cleanup_free_ char *line = NULL;
        char **piece = calloc(ADD_PIECE, sizeof(char *));
        size_t size = 0;
        uint64_t count = 0;
        int n = 0, r = EXIT_OK;
        bool end = false;

        if (!f || !piece) {
                free(piece);
                return EXIT_FAILED;
        }
        while (r == EXIT_OK && !end) {
                ssize_t len = getline(&line, &size, f);
                end = len < 0;
                if (!end) {
                        char *text = line + strspn(line, " \t");
                        text[strcspn(text, "\r\n")] = '\0';
                        if (!*text || *text == '#')
                                continue;
                        piece[n] = strdup(text);
                        if (!piece[n++])
                                r = EXIT_FAILED;
                }
                if (r == EXIT_OK && n > 0 && (n == ADD_PIECE || end)) {
                        ElementArgs e = { piece, n, -EBADF, true };
                        r = set_call(bus, args, "AddElements", "add the elements", NULL, append_elements, &e);
                        if (r == EXIT_OK)
                                count += (uint64_t) n;
                        if (r != EXIT_OK && count > 0)
                                fprintf(stderr, "nftbusctl: %" PRIu64 " elements were added before this\n", count);
                        for (int i = 0; i < n; i++)
                                free(piece[i]);
                        n = 0;
                }
        }
        for (int i = 0; i < n; i++)
                free(piece[i]);
        free(piece);
        if (r != EXIT_OK)
                return r;
        return print_number("added", count, " elements added");
}

int cmd_add_element(sd_bus *bus, char **args, int n)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_close_ int fd = -EBADF;
        ElementArgs e = { args + 3, n - 3, -EBADF, true };
        uint64_t count = (uint64_t) (n - 3);
        int r;

        if (arg_file) {
                if (n > 3) {
                        fprintf(stderr, "nftbusctl: give elements on the command line or with -f, not both\n");
                        return EXIT_USAGE;
                }
                fd = streq(arg_file, "-") ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)
                                          : open(arg_file, O_RDONLY | O_CLOEXEC);
                if (fd < 0) {
                        fprintf(stderr, "nftbusctl: cannot open %s: %s\n", arg_file, strerror(errno));
                        return EXIT_USAGE;
                }
                if (sd_bus_can_send(bus, SD_BUS_TYPE_UNIX_FD) <= 0)
                        return add_elements_in_pieces(bus, args, TAKE_FD(fd));
                e.fd = fd;
                progress_fd = fd;
        } else if (n == 3) {
                fprintf(stderr, "nftbusctl: give elements, or -f FILE\n");
                return EXIT_USAGE;
        }
        r = set_call(bus, args, fd >= 0 ? "AddElementsFromFd" : "AddElements", "add the elements", &reply,
                     append_elements, &e);
        if (r != EXIT_OK)
                return r;
        if (fd >= 0 && sd_bus_message_read(reply, "t", &count) < 0)
                return EXIT_FAILED;
        if (arg_json)
                printf("{\"added\": %" PRIu64 "}\n", count);
        else if (fd >= 0)
                printf("%" PRIu64 " elements added\n", count);
        return EXIT_OK;
}

int cmd_delete_element(sd_bus *bus, char **args, int n)
{
        ElementArgs e = { args + 3, n - 3, -EBADF, false };

        return set_call(bus, args, "DeleteElements", "delete the elements", NULL, append_elements, &e);
}

static int append_fd(sd_bus_message *m, void *userdata)
{
        return sd_bus_message_append(m, "h", *(int *) userdata);
}

/* 600000 ms as nft writes it: "10m"; "" for 0 */
static void format_ms(uint64_t ms, char *buf, size_t size)
{
        static const struct {
                uint64_t ms;
                char unit;
        } units[] = { { 86400000, 'd' }, { 3600000, 'h' }, { 60000, 'm' }, { 1000, 's' } };
        size_t len = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < ELEMENTSOF(units) && len < size; i++)
                if (ms >= units[i].ms || (i == ELEMENTSOF(units) - 1 && len == 0 && ms > 0)) {
                        len += (size_t) snprintf(buf + len, size - len, "%" PRIu64 "%c", ms / units[i].ms,
                                                 units[i].unit);
                        ms %= units[i].ms;
                }
}

/* --details: the service writes a JSON line per element into a memfd (a pipe would fill while the call
 * waits), then the lines become a table, or a JSON array with --json. */
/* ListElementsDetailed's a(sa{sv}) as the JSON lines ListElementsDetailedToFd writes, into fd: where the
 * connection passes no descriptors (ssh, -H); the set must fit one message */
static int details_from_reply(sd_bus *bus, char **args, int fd)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *element;
        int r;

        r = set_call(bus, args, "ListElementsDetailed", "list the elements", &reply, NULL, NULL);
        if (r != EXIT_OK)
                return r;
        if (sd_bus_message_enter_container(reply, 'a', "(sa{sv})") < 0)
                return EXIT_FAILED;
        while ((r = sd_bus_message_enter_container(reply, 'r', "sa{sv}")) > 0) {
                _cleanup_(json_decrefp) json_t *o = NULL;
                _cleanup_free_ char *line = NULL;
                if (sd_bus_message_read(reply, "s", &element) < 0 || bus_read_json(reply, &o) < 0 ||
                    json_object_set_new(o, "element", json_string(element)) < 0 ||
                    !(line = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS)) || dprintf(fd, "%s\n", line) < 0 ||
                    sd_bus_message_exit_container(reply) < 0)
                        return EXIT_FAILED;
        }
        return r < 0 ? EXIT_FAILED : EXIT_OK;
}

static int list_element_details(sd_bus *bus, char **args)
{
        _cleanup_(columns_freep) Columns *table = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        bool pass_fd = sd_bus_can_send(bus, SD_BUS_TYPE_UNIX_FD) > 0;
        size_t size = 0;
        int fd, r;

        fd = memfd_create("nftbusctl-elements", MFD_CLOEXEC);
        if (fd < 0 || !(f = fdopen(fd, "r"))) {
                safe_close(fd);
                return call_failed("list the elements", NULL, -errno);
        }
        r = pass_fd ? set_call(bus, args, "ListElementsDetailedToFd", "list the elements", NULL, append_fd, &fd)
                    : details_from_reply(bus, args, fd);
        if (r != EXIT_OK)
                return r;
        rewind(f);
        if (arg_json) {
                /* an array, one element a line, written as it is read */
                bool first = true;
                fputs("[", stdout);
                while (getline(&line, &size, f) > 0) {
                        line[strcspn(line, "\n")] = '\0';
                        printf("%s\n  %s", first ? "" : ",", line);
                        first = false;
                }
                puts(first ? "]" : "\n]");
                return EXIT_OK;
        }
        table = columns_new((const Column[]){ { "ELEMENT", 15, false },
                                              { "EXPIRES", 7, true },
                                              { "TIMEOUT", 7, true },
                                              { "PACKETS", 7, true },
                                              { "BYTES", 7, true },
                                              { "COMMENT", 0, false } },
                            6);
        if (!table)
                return EXIT_FAILED;
        while (getline(&line, &size, f) > 0) {
                _cleanup_(json_decrefp) json_t *o = json_loads(line, 0, NULL);
                char expires[64], timeout[64], packets[24] = "", bytes[24] = "";
                if (!o)
                        return call_failed("read the elements", NULL, -EBADMSG);
                format_ms((uint64_t) json_integer_value(json_object_get(o, "expires_ms")), expires, sizeof(expires));
                format_ms((uint64_t) json_integer_value(json_object_get(o, "timeout_ms")), timeout, sizeof(timeout));
                if (json_object_get(o, "packets")) {
                        snprintf(packets, sizeof(packets), "%" JSON_INTEGER_FORMAT,
                                 json_integer_value(json_object_get(o, "packets")));
                        snprintf(bytes, sizeof(bytes), "%" JSON_INTEGER_FORMAT,
                                 json_integer_value(json_object_get(o, "bytes")));
                }
                if (columns_add(table,
                                (const char *const[]){
                                        json_string_value(json_object_get(o, "element")), expires, timeout, packets,
                                        bytes, strempty(json_string_value(json_object_get(o, "comment"))) }) < 0)
                        return EXIT_FAILED;
        }
        columns_print(table, stdout);
        return EXIT_OK;
}

/* the elements in pieces (ListElementsRange), where the connection passes no descriptors: ssh (-H) */
#define LIST_PIECE 20000u

static int append_range(sd_bus_message *m, void *userdata)
{
        return sd_bus_message_append(m, "tu", *(uint64_t *) userdata, LIST_PIECE);
}

static int list_elements_in_pieces(sd_bus *bus, char **args)
{
        uint64_t start = 0, total = 0;

        do {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
                const char *s;
                uint64_t got = 0;
                int r = set_call(bus, args, "ListElementsRange", "list the elements", &reply, append_range, &start);
                if (r != EXIT_OK)
                        return r;
                if (sd_bus_message_enter_container(reply, 'a', "s") < 0)
                        return EXIT_FAILED;
                while ((r = sd_bus_message_read_basic(reply, 's', &s)) > 0) {
                        puts(s);
                        got++;
                }
                if (r < 0 || sd_bus_message_exit_container(reply) < 0 || sd_bus_message_read(reply, "t", &total) < 0)
                        return EXIT_FAILED;
                if (got == 0)
                        break;
                start += got;
        } while (start < total);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}

/* Streamed to stdout by the service itself, however big the set; --json collects them. */
int cmd_list_elements(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = NULL;
        const char *s;
        int out = STDOUT_FILENO, r;

        if (arg_details)
                return list_element_details(bus, args);
        if (!arg_json && sd_bus_can_send(bus, SD_BUS_TYPE_UNIX_FD) <= 0)
                return list_elements_in_pieces(bus, args);
        if (!arg_json) {
                fflush(stdout);
                return set_call(bus, args, "ListElementsToFd", "list the elements", NULL, append_fd, &out);
        }
        r = set_call(bus, args, "ListElements", "list the elements", &reply, NULL, NULL);
        if (r != EXIT_OK)
                return r;
        list = json_array();
        if (!list || sd_bus_message_enter_container(reply, 'a', "s") < 0)
                return EXIT_FAILED;
        while ((r = sd_bus_message_read_basic(reply, 's', &s)) > 0)
                if (json_array_append_new(list, json_string(s)) < 0)
                        return EXIT_FAILED;
        return r < 0 ? EXIT_FAILED : print_json(list);
}

static int append_element(sd_bus_message *m, void *userdata)
{
        return sd_bus_message_append(m, "s", (const char *) userdata);
}

/* Exit status 0 when the set has it, 1 when not, as grep does. */
int cmd_has_element(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int found, r;

        r = set_call(bus, args, "HasElement", "look the element up", &reply, append_element, args[3]);
        if (r != EXIT_OK)
                return r;
        if (sd_bus_message_read(reply, "b", &found) < 0)
                return EXIT_FAILED;
        if (arg_json)
                printf("{\"found\": %s}\n", found ? "true" : "false");
        else
                puts(found ? "yes" : "no");
        return found ? EXIT_OK : EXIT_FAILED;
}
