/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/util.h"
#include "common/validate.h"

const sd_bus_error_map nftbus_error_map[] = {
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_INVALID_ARGUMENT, EINVAL),
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_NOT_FOUND, ENOENT),
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_ALREADY_EXISTS, EEXIST),
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_REJECTED, EPROTO),
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_TOO_LARGE, E2BIG),
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_BUSY, EBUSY),
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_BACKEND_FAILED, EPIPE),
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_ZONES_OFF, ESHUTDOWN),
        SD_BUS_ERROR_MAP_END,
};

int nftbus_errors_register(void)
{
        return sd_bus_error_add_map(nftbus_error_map);
}

/* libnftables reports netlink errors with strerror() text; the daemon runs in the C locale. */
static const struct {
        const char *text;
        const char *name;
} nft_errors[] = {
        { "No such file or directory", NFTBUS_ERROR_NOT_FOUND },
        { "File exists", NFTBUS_ERROR_ALREADY_EXISTS },
        { "Argument list too long", NFTBUS_ERROR_TOO_LARGE },
        { "Numerical result out of range", NFTBUS_ERROR_TOO_LARGE },
        { "File too large", NFTBUS_ERROR_TOO_LARGE },
        { "Device or resource busy", NFTBUS_ERROR_BUSY },
};

const char *nft_error_name(const char *message)
{
        if (message)
                for (size_t i = 0; i < ELEMENTSOF(nft_errors); i++)
                        if (strstr(message, nft_errors[i].text))
                                return nft_errors[i].name;
        return NFTBUS_ERROR_REJECTED;
}

char *nft_error_message(const char *message)
{
        static const char location[] = "internal:0:0-0: ";
        static const char cut[] = "...", more[] = "\n(further errors cut)";
        const char *s = strempty(message);
        char *out = malloc(strlen(s) + sizeof(more)), *p = out;

        if (!out)
                return NULL;
        /* drop the meaningless location from the start of every line; a batch read from a memfd
         * (executor-child.c) says "line N: " instead of the file's name and columns */
        while (*s) {
                const char *eol = strchrnul(s, '\n');
                unsigned fd, line;
                int skip = 0;
                if (strncmp(s, location, sizeof(location) - 1) == 0)
                        s += sizeof(location) - 1;
                else if (sscanf(s, "/proc/self/fd/%u:%u:%*u-%*u: %n", &fd, &line, &skip) == 2 && skip > 0) {
                        int len = sprintf(p, "line %u: ", line);
                        p += len;
                        s += skip;
                }
                if ((size_t) (p - out) >= NFT_ERROR_MESSAGE_MAX) {
                        memcpy(p, more, sizeof(more) - 1);
                        p += sizeof(more) - 1;
                        break;
                }
                /* nft quotes the failing line and underlines it: a 16 MiB line would make an error
                 * twice that size, more than a message of the bus may be */
                size_t len = (size_t) (eol - s);
                if (len > NFT_ERROR_LINE_MAX) {
                        len = NFT_ERROR_LINE_MAX - (sizeof(cut) - 1);
                        while (len > 0 && ((unsigned char) s[len] & 0xc0) == 0x80)
                                len--; /* not inside a UTF-8 sequence */
                        memcpy(p, s, len);
                        memcpy(p + len, cut, sizeof(cut) - 1);
                        p += len + sizeof(cut) - 1;
                } else {
                        memcpy(p, s, len);
                        p += len;
                }
                if (*eol == '\n')
                        *p++ = '\n';
                s = *eol ? eol + 1 : eol;
        }
        while (p > out && (p[-1] == '\n' || p[-1] == ' ' || p[-1] == '\t'))
                p--;
        *p = '\0';
        return out;
}

/* The words of command before column end, at most n, into words (pointers into copy). */
static size_t words_before(char *copy, size_t end, char **words, size_t n)
{
        size_t k = 0;

        copy[end] = '\0';
        for (char *w = strtok(copy, " \t"); w && k < n; w = strtok(NULL, " \t"))
                words[k++] = w;
        return k;
}

/* The sentence for what is missing: marked is the underlined text of command. */
static char *object_sentence(const char *command, size_t start, const char *marked, bool exists)
{
        _cleanup_free_ char *copy = strdup(command);
        char *w[64], table[160] = "", chain[240] = "", set[240] = "", *out = NULL;
        size_t n;
        int r;

        if (!copy)
                return NULL;
        n = words_before(copy, start, w, ELEMENTSOF(w));
        if (n < 2)
                return asprintf(&out, exists ? "'%s' exists already" : "'%s' does not exist", marked) < 0 ? NULL : out;
        /* VERB OBJECT [FAMILY] TABLE [CHAIN|SET ...] */
        bool has_family = n >= 3 && family_from_string(w[2]) >= 0;
        size_t t = has_family ? 3 : 2;
        const char *family = has_family ? w[2] : "ip";
        if (n > t)
                snprintf(table, sizeof(table), " in table %s %s", family, w[t]);
        if (n > t + 1 && streq(w[1], "rule"))
                snprintf(chain, sizeof(chain), " in chain %s %s %s", family, w[t], w[t + 1]);
        if (n > t + 1 && streq(w[1], "element"))
                snprintf(set, sizeof(set), " in set %s %s %s", family, w[t], w[t + 1]);
        const char *prev = w[n - 1], *prev2 = w[n - 2];
        size_t len = strlen(marked);
        _cleanup_free_ char *unquoted =
                len >= 2 && marked[0] == '"' && marked[len - 1] == '"' ? strndup(marked + 1, len - 2) : strdup(marked);
        const char *handle =
                streq(prev, "handle") || streq(prev, "position") ? marked : startswith(marked, "position ");

        if (!unquoted)
                return NULL;
        if (!handle)
                handle = startswith(marked, "handle ");
        if (exists) {
                if (n == t)
                        r = asprintf(&out, "Table %s %s exists already", family, marked);
                else if (n == t + 1)
                        r = asprintf(&out, "The %s '%s' exists already%s", w[1], marked, table);
                else if (*set)
                        r = asprintf(&out, "Element %s exists already%s", marked, set);
                else
                        r = asprintf(&out, "'%s' exists already%s", marked, table);
        } else if (handle && *chain)
                r = asprintf(&out, "No rule with handle %s%s", handle, chain);
        else if (n == t)
                r = asprintf(&out, "No table %s %s", family, marked);
        else if (n == t + 1)
                r = asprintf(&out, "No %s '%s'%s",
                             streq(w[1], "rule")      ? "chain"
                             : streq(w[1], "element") ? "set or map"
                                                      : w[1],
                             marked, table);
        else if (*set)
                r = asprintf(&out, "No element %s%s", marked, set);
        else if (marked[0] == '@')
                r = asprintf(&out, "No set or map '%s'%s", marked + 1, table);
        else if (streq(prev, "jump") || streq(prev, "goto"))
                r = asprintf(&out, "No chain '%s'%s", marked, table);
        else if (streq(prev, "name") || streq(prev, "set")) /* counter name X, ct helper set X */
                r = asprintf(&out, "No %s%s '%s'%s", n > 2 && streq(w[n - 3], "ct") ? "ct " : "", prev2, unquoted,
                             table);
        else
                r = asprintf(&out, "'%s' does not exist%s", marked, table);
        return r < 0 ? NULL : out;
}

char *nft_error_explain(const char *message)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        const char *s = strempty(message);

        if (!f)
                return NULL;
        while (*s) {
                const char *eol = strchrnul(s, '\n'), *next = *eol ? eol + 1 : eol;
                const char *next_eol = strchrnul(next, '\n'), *carets = *next_eol ? next_eol + 1 : next_eol;
                const char *carets_eol = strchrnul(carets, '\n'), *error = strstr(s, "Error: ");
                size_t start = strspn(carets, " "), len = strspn(carets + start, "^");
                _cleanup_free_ char *command = NULL, *marked = NULL, *sentence = NULL;

                bool missing = memmem(s, (size_t) (eol - s), "No such file or directory", 25) != NULL,
                     exists = memmem(s, (size_t) (eol - s), "File exists", 11) != NULL;
                if (error && error < eol && (missing || exists) && len > 0 && carets + start + len == carets_eol &&
                    start + len <= (size_t) (next_eol - next) &&
                    (command = strndup(next, (size_t) (next_eol - next))) && (marked = strndup(next + start, len)) &&
                    (sentence = object_sentence(command, start, marked, exists))) {
                        fprintf(f, "%.*sError: %s\n", (int) (error - s), s, sentence);
                        s = next;
                        continue;
                }
                fprintf(f, "%.*s%s", (int) (eol - s), s, *eol ? "\n" : "");
                s = next;
        }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}
