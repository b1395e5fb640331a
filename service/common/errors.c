/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "common/errors.h"
#include "common/util.h"

const sd_bus_error_map nftbus_error_map[] = {
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_INVALID_ARGUMENT, EINVAL), SD_BUS_ERROR_MAP(NFTBUS_ERROR_NOT_FOUND, ENOENT),
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_ALREADY_EXISTS, EEXIST),   SD_BUS_ERROR_MAP(NFTBUS_ERROR_REJECTED, EPROTO),
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_TOO_LARGE, E2BIG),         SD_BUS_ERROR_MAP(NFTBUS_ERROR_BUSY, EBUSY),
        SD_BUS_ERROR_MAP(NFTBUS_ERROR_BACKEND_FAILED, EPIPE),    SD_BUS_ERROR_MAP_END,
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
