/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/nftsyntax.h"
#include "core/statefile.h"
#include "common/util.h"
#include "common/validate.h"

#define TRAILER_PREFIX "# end of nftbus saved ruleset: "

int state_file_compose(const char *listing, char **ret)
{
        size_t n = strlen(listing);
        const char *nl = n > 0 && listing[n - 1] != '\n' ? "\n" : "";

        return asprintf(ret, "%s%s%s" TRAILER_PREFIX "%zu bytes, fnv1a %08" PRIx32 "\n", STATE_FILE_HEADER, listing,
                        nl, n + strlen(nl), fnv1a32(FNV1A32_BASIS, listing, n)) < 0
                       ? -ENOMEM
                       : 0;
}

void state_tables_free(StateTable *tables, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(tables[i].family);
                free(tables[i].name);
                free(tables[i].text);
        }
        free(tables);
}

/* "table FAMILY NAME {" */
static int table_line(const char *line, size_t len, StateTable *t, char **ret_why)
{
        _cleanup_free_ char *copy = strndup(line, len);
        char family[16], name[257], brace[2];

        if (!copy)
                return -ENOMEM;
        if (sscanf(copy, "table %15s %256s %1s", family, name, brace) != 3 || !streq(brace, "{") ||
            validate_family(family, NULL) < 0 || validate_object_name("table", name, NULL) < 0)
                return why_value(ret_why, "The saved ruleset has a %s it cannot read: '%s'", "line", copy);
        t->family = strdup(family);
        t->name = strdup(name);
        return t->family && t->name ? 0 : -ENOMEM;
}

int state_tables_split(const char *text, size_t len, StateTable **ret, size_t *ret_n, char **ret_why)
{
        const char *end = text + len;
        StateTable *tables = NULL;
        size_t n = 0;
        int r;

        for (const char *p = text; p < end;) {
                const char *eol = memchr(p, '\n', (size_t) (end - p)), *close;
                StateTable *grown;
                if (!eol) {
                        r = why(ret_why, "The saved ruleset ends inside a line");
                        goto fail;
                }
                if (p[0] == '\n' || p[0] == '#') { /* blank lines and comments between tables */
                        p = eol + 1;
                        continue;
                }
                grown = realloc(tables, (n + 1) * sizeof(StateTable));
                if (!grown) {
                        r = -ENOMEM;
                        goto fail;
                }
                tables = grown;
                tables[n] = (StateTable){};
                r = table_line(p, (size_t) (eol - p), &tables[n++], ret_why);
                if (r < 0)
                        goto fail;
                /* the table ends at the first "}" alone on a line */
                close = memmem(eol, (size_t) (end - eol), "\n}\n", 3);
                if (!close) {
                        r = why(ret_why, "The saved ruleset's table %s %s has no end", tables[n - 1].family,
                                tables[n - 1].name);
                        goto fail;
                }
                tables[n - 1].text = strndup(p, (size_t) (close + 3 - p));
                if (!tables[n - 1].text) {
                        r = -ENOMEM;
                        goto fail;
                }
                r = batch_text_check(tables[n - 1].text, ret_why);
                if (r < 0)
                        goto fail;
                p = close + 3;
        }
        *ret = tables;
        *ret_n = n;
        return 0;
fail:
        state_tables_free(tables, n);
        return r;
}

int state_file_parse(const char *content, StateTable **ret, size_t *ret_n, char **ret_why)
{
        size_t header = strlen(STATE_FILE_HEADER), length;
        const char *body, *trailer, *end;
        uint32_t hash;

        if (strncmp(content, STATE_FILE_HEADER, header) != 0)
                return why(ret_why, "The saved ruleset does not start with the nftbus header");
        body = content + header;
        end = content + strlen(content);
        /* the trailer is the last line */
        if (end == body || end[-1] != '\n')
                return why(ret_why, "The saved ruleset is cut short: its last line is incomplete");
        for (trailer = end - 1; trailer > body && trailer[-1] != '\n'; trailer--)
                ;
        if (strncmp(trailer, TRAILER_PREFIX, strlen(TRAILER_PREFIX)) != 0 ||
            sscanf(trailer + strlen(TRAILER_PREFIX), "%zu bytes, fnv1a %" SCNx32, &length, &hash) != 2)
                return why(ret_why, "The saved ruleset is cut short: it has no end line");
        if (length != (size_t) (trailer - body) || hash != fnv1a32(FNV1A32_BASIS, body, length))
                return why(ret_why, "The saved ruleset does not match its end line: it was cut or altered");
        return state_tables_split(body, length, ret, ret_n, ret_why);
}
