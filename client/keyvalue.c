/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* NAME=VALUE arguments as an a{sv}, each value of the D-Bus type its name has: b (true, false, yes, no, 1,
 * 0), u and q (a number), s (as is), as (comma-separated; @FILE reads one per line, @- standard input). */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nftbusctl.h"
#include "common/util.h"

int parse_decimal(const char *s, uint64_t max, uint64_t *ret)
{
        char *end;
        unsigned long long v;

        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno || *end || end == s || *s == '-' || v > max)
                return -EINVAL;
        *ret = v;
        return 0;
}

static int parse_uint(const char *name, const char *s, uint64_t max, uint64_t *ret)
{
        if (parse_decimal(s, max, ret) < 0) {
                fprintf(stderr, "nftbusctl: %s takes a number from 0 to %" PRIu64 ", not '%s'\n", name, max, s);
                return -EINVAL;
        }
        return 0;
}

static int append_lines(sd_bus_message *m, const char *name, const char *path)
{
        FILE *f = streq(path, "-") ? stdin : fopen(path, "re");
        _cleanup_free_ char *line = NULL;
        size_t size = 0;
        ssize_t len;
        int r = 0;

        if (!f) {
                fprintf(stderr, "nftbusctl: cannot open %s for %s: %s\n", path, name, strerror(errno));
                return -EINVAL;
        }
        while (r >= 0 && (len = getline(&line, &size, f)) >= 0) {
                while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                        line[--len] = '\0';
                if (len > 0 && line[0] != '#')
                        r = sd_bus_message_append(m, "s", line);
        }
        if (f != stdin)
                fclose(f);
        return r;
}

static int append_value(sd_bus_message *m, const char *name, const char *signature, const char *value)
{
        uint64_t v;
        int r;

        if (streq(signature, "b")) {
                bool yes = streq(value, "true") || streq(value, "yes") || streq(value, "1");
                if (!yes && !streq(value, "false") && !streq(value, "no") && !streq(value, "0")) {
                        fprintf(stderr, "nftbusctl: %s is true or false, not '%s'\n", name, value);
                        return -EINVAL;
                }
                return sd_bus_message_append(m, "v", "b", (int) yes);
        }
        if (streq(signature, "u") || streq(signature, "q")) {
                r = parse_uint(name, value, signature[0] == 'u' ? UINT32_MAX : UINT16_MAX, &v);
                if (r < 0)
                        return r;
                return signature[0] == 'u' ? sd_bus_message_append(m, "v", "u", (uint32_t) v)
                                           : sd_bus_message_append(m, "v", "q", (uint16_t) v);
        }
        if (streq(signature, "s"))
                return sd_bus_message_append(m, "v", "s", value);
        if (!streq(signature, "as")) {
                fprintf(stderr, "nftbusctl: %s has type %s, which nftbusctl cannot write\n", name, signature);
                return -EINVAL;
        }
        r = sd_bus_message_open_container(m, 'v', "as");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "s");
        if (r >= 0 && value[0] == '@')
                r = append_lines(m, name, value + 1);
        else if (r >= 0 && value[0]) {
                _cleanup_free_ char *copy = strdup(value);
                char *save = NULL;
                if (!copy)
                        return -ENOMEM;
                for (char *w = strtok_r(copy, ",", &save); r >= 0 && w; w = strtok_r(NULL, ",", &save))
                        r = sd_bus_message_append(m, "s", w);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

int append_key_values(sd_bus_message *m, char **args, int n, const KeyType *types, size_t n_types)
{
        int r;

        r = sd_bus_message_open_container(m, 'a', "{sv}");
        for (int i = 0; r >= 0 && i < n; i++) {
                const char *eq = strchr(args[i], '=');
                const KeyType *t = NULL;
                for (size_t k = 0; eq && k < n_types; k++)
                        if (strlen(types[k].name) == (size_t) (eq - args[i]) &&
                            strncmp(types[k].name, args[i], (size_t) (eq - args[i])) == 0)
                                t = &types[k];
                if (!t) {
                        fprintf(stderr, "nftbusctl: '%s' is not NAME=VALUE with one of the names:", args[i]);
                        for (size_t k = 0; k < n_types; k++)
                                fprintf(stderr, " %s", types[k].name);
                        fputc('\n', stderr);
                        return -EINVAL;
                }
                r = sd_bus_message_open_container(m, 'e', "sv");
                if (r >= 0)
                        r = sd_bus_message_append(m, "s", t->name);
                if (r >= 0)
                        r = append_value(m, t->name, t->signature, eq + 1);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

int append_string_options(sd_bus_message *m, const char *const *keys_values)
{
        int r = 0;

        for (size_t i = 0; r >= 0 && keys_values[i]; i += 2)
                if (keys_values[i + 1])
                        r = sd_bus_message_append(m, "{sv}", keys_values[i], "s", keys_values[i + 1]);
        return r;
}

int append_strv_option(sd_bus_message *m, const char *name, char **list)
{
        int r = sd_bus_message_open_container(m, 'e', "sv");

        if (r >= 0)
                r = sd_bus_message_append(m, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', "as");
        if (r >= 0)
                r = sd_bus_message_append_strv(m, list);
        /* the variant, then the entry */
        for (int i = 0; r >= 0 && i < 2; i++)
                r = sd_bus_message_close_container(m);
        return r;
}
