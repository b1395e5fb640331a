/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "busjson.h"
#include "common/busbasic.h"
#include "common/util.h"

static int read_basic(sd_bus_message *m, char type, json_t **ret)
{
        bool negative;
        uint64_t magnitude;
        BusBasic v;
        int r = sd_bus_message_read_basic(m, type, &v);

        if (r < 0)
                return r;
        if (bus_basic_integer(type, &v, &negative, &magnitude)) {
                *ret = json_integer((json_int_t) (negative ? 0 - magnitude : magnitude));
                return *ret ? 0 : -ENOMEM;
        }
        switch (type) {
        case 's':
        case 'o':
        case 'g':
                *ret = json_string(v.s);
                break;
        case 'b':
                *ret = json_boolean(v.b);
                break;
        case 'd':
                *ret = json_real(v.d);
                break;
        default: /* h: a descriptor means nothing to print */
                *ret = json_null();
        }
        return *ret ? 0 : -ENOMEM;
}

int bus_read_json(sd_bus_message *m, json_t **ret)
{
        _cleanup_(json_decrefp) json_t *out = NULL;
        const char *contents;
        char type;
        int r;

        r = sd_bus_message_peek_type(m, &type, &contents);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        if (!strchr("avre", type))
                return read_basic(m, type, ret);

        r = sd_bus_message_enter_container(m, type, contents);
        if (r < 0)
                return r;
        if (type == 'v') {
                r = bus_read_json(m, &out);
        } else if (type == 'a' && contents[0] == '{') {
                /* a dictionary: an object, its keys as text */
                _cleanup_free_ char *entry = strndup(contents + 1, strlen(contents) - 2); /* "{sv}" -> "sv" */
                out = json_object();
                if (!entry)
                        r = -ENOMEM;
                while (out && r >= 0 && (r = sd_bus_message_enter_container(m, 'e', entry)) > 0) {
                        json_t *key = NULL, *value = NULL;
                        r = bus_read_json(m, &key);
                        if (r >= 0)
                                r = bus_read_json(m, &value);
                        if (r >= 0) {
                                _cleanup_free_ char *k = json_is_string(key) ? strdup(json_string_value(key))
                                                                             : json_dumps(key, JSON_ENCODE_ANY);
                                if (!k || json_object_set_new(out, k, value) < 0)
                                        r = -ENOMEM;
                                value = NULL;
                        }
                        json_decref(key);
                        json_decref(value);
                        if (r >= 0)
                                r = sd_bus_message_exit_container(m);
                }
        } else {
                /* an array, or a struct: a list */
                out = json_array();
                while (out && r >= 0 && !sd_bus_message_at_end(m, false)) {
                        json_t *item = NULL;
                        r = bus_read_json(m, &item);
                        if (r >= 0 && json_array_append_new(out, item) < 0)
                                r = -ENOMEM;
                }
        }
        if (!out)
                return -ENOMEM;
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r >= 0)
                *ret = TAKE_PTR(out);
        return r < 0 ? r : 0;
}

int bus_read_properties_json(sd_bus_message *m, json_t **ret)
{
        _cleanup_(json_decrefp) json_t *props = NULL, *out = json_object();
        const char *key;
        json_t *value;
        int r;

        r = bus_read_json(m, &props);
        if (r < 0)
                return r;
        if (!out || !json_is_object(props))
                return -ENOMEM;
        json_object_foreach (props, key, value) {
                char snake[128];
                size_t n = 0;
                for (const char *p = key; *p && n + 2 < sizeof(snake); p++) {
                        if (isupper((unsigned char) *p) && p != key)
                                snake[n++] = '_';
                        snake[n++] = (char) tolower((unsigned char) *p);
                }
                snake[n] = '\0';
                if (json_object_set(out, snake, value) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(out);
        return 0;
}
