/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/validate.h"

/* nft's longest accepted comment (NFT_USERDATA_MAXLEN) */
#define COMMENT_MAX 128
/* how much of an untrusted value a message quotes */
#define MESSAGE_VALUE_MAX 64

static const struct {
        const char *name;
        int value;
} families[] = {
        { "ip", NFTBUS_FAMILY_IP },   { "ip6", NFTBUS_FAMILY_IP6 },       { "inet", NFTBUS_FAMILY_INET },
        { "arp", NFTBUS_FAMILY_ARP }, { "bridge", NFTBUS_FAMILY_BRIDGE }, { "netdev", NFTBUS_FAMILY_NETDEV },
};

int family_from_string(const char *s)
{
        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(families); i++)
                if (streq(families[i].name, s))
                        return families[i].value;
        return -EINVAL;
}

const char *family_to_string(int family)
{
        for (size_t i = 0; i < ELEMENTSOF(families); i++)
                if (families[i].value == family)
                        return families[i].name;
        return NULL;
}

int why(char **ret_why, const char *fmt, ...)
{
        char *s = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (ret_why && vasprintf(&s, fmt, ap) >= 0)
                *ret_why = s;
        va_end(ap);
        return -EINVAL;
}

int refuse_code(const char **ret_code, char **ret_why, const char *code, const char *fmt, ...)
{
        va_list ap;

        *ret_code = code;
        va_start(ap, fmt);
        if (vasprintf(ret_why, fmt, ap) < 0)
                *ret_why = NULL;
        va_end(ap);
        return *ret_why ? -EINVAL : -ENOMEM;
}

int validate_family(const char *family, char **ret_why)
{
        if (family_from_string(family) >= 0)
                return 0;
        return why_value(ret_why, "Invalid %s '%s': expected one of ip, ip6, inet, arp, bridge, netdev", "family",
                         family);
}

static bool name_start_char(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(char c)
{
        return name_start_char(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

int validate_object_name(const char *what, const char *name, char **ret_why)
{
        size_t n;

        if (!name || !*name)
                return why(ret_why, "Invalid %s name: the name is empty", what);

        n = strlen(name);
        if (n > NFTBUS_NAME_MAX) {
                return why(ret_why, "Invalid %s name: %zu bytes long, the kernel allows at most %d", what, n,
                           NFTBUS_NAME_MAX);
        }

        if (!name_start_char(name[0]))
                return why_value(ret_why, "Invalid %s name '%s': a name starts with a letter or '_'", what, name);
        for (size_t i = 1; i < n; i++)
                if (!name_char(name[i]))
                        return why_value(ret_why,
                                         "Invalid %s name '%s': only letters, digits, '_', '-' and '.' are allowed",
                                         what, name);
        return 0;
}

int validate_comment(const char *comment, char **ret_why)
{
        size_t n = strlen(comment);

        if (n > COMMENT_MAX) {
                return why(ret_why, "Invalid comment: %zu bytes long, nftables allows at most %d", n, COMMENT_MAX);
        }
        for (size_t i = 0; i < n; i++)
                if ((unsigned char) comment[i] < 0x20 || comment[i] == 0x7f)
                        return why_value(ret_why, "Invalid %s '%s': control characters are not allowed", "comment",
                                         comment);
                else if (comment[i] == '"' || comment[i] == '\\')
                        return why_value(ret_why, "Invalid %s '%s': double quotes and backslashes are not allowed",
                                         "comment", comment);
        if (!utf8_is_valid(comment))
                return why(ret_why, "Invalid comment: not valid UTF-8");
        return 0;
}

int validate_ifname(const char *name, char **ret_why)
{
        size_t n = strlen(name);

        /* the kernel's IFNAMSIZ counts the NUL; dev_valid_name() refuses "." and ".." */
        if (n == 0 || n >= 16)
                return why_value(ret_why, "Invalid %s '%s': an interface name has 1 to 15 characters", "device", name);
        if (streq(name, ".") || streq(name, ".."))
                return why_value(ret_why, "Invalid %s '%s'", "device", name);
        for (size_t i = 0; i < n; i++)
                if (!name_char(name[i]) && name[i] != '@' && name[i] != '+')
                        return why_value(ret_why, "Invalid %s '%s': letters, digits, '_', '.', '-', '@' and '+' only",
                                         "device", name);
        return 0;
}

bool utf8_is_valid(const char *s)
{
        const unsigned char *p = (const unsigned char *) s;

        while (*p) {
                unsigned n;
                uint32_t cp;

                if (*p < 0x80) {
                        p++;
                        continue;
                }
                if (*p >= 0xc2 && *p <= 0xdf)
                        n = 1, cp = *p & 0x1f;
                else if (*p >= 0xe0 && *p <= 0xef)
                        n = 2, cp = *p & 0x0f;
                else if (*p >= 0xf0 && *p <= 0xf4)
                        n = 3, cp = *p & 0x07;
                else
                        return false;
                for (unsigned i = 1; i <= n; i++) {
                        if ((p[i] & 0xc0) != 0x80)
                                return false;
                        cp = (cp << 6) | (p[i] & 0x3f);
                }
                /* overlong forms, surrogates, beyond Unicode */
                if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
                    (cp >= 0xd800 && cp <= 0xdfff))
                        return false;
                p += n + 1;
        }
        return true;
}

char *escape_for_message(const char *s)
{
        size_t n = strlen(s), shown = n > MESSAGE_VALUE_MAX ? MESSAGE_VALUE_MAX : n;
        /* worst case four bytes per input byte, plus the "..." marker and NUL */
        char *buf = malloc(shown * 4 + 4), *p = buf;

        if (!buf)
                return NULL;
        for (size_t i = 0; i < shown; i++) {
                unsigned char c = (unsigned char) s[i];
                /* bytes >= 0x80 too: a cut or invalid UTF-8 sequence must never reach a D-Bus string */
                if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\')
                        p += sprintf(p, "\\x%02x", c);
                else
                        *p++ = (char) c;
        }
        if (shown < n)
                p = stpcpy(p, "...");
        *p = '\0';
        return buf;
}

static const struct {
        const char *name;
        uint64_t seconds;
} limit_pers[] = {
        { "second", 1 }, { "minute", 60 }, { "hour", 3600 }, { "day", 86400 }, { "week", 604800 },
};

uint64_t limit_per_seconds(const char *per)
{
        for (size_t i = 0; i < ELEMENTSOF(limit_pers); i++)
                if (streq(limit_pers[i].name, per))
                        return limit_pers[i].seconds;
        return 0;
}

const char *limit_per_to_string(uint64_t seconds)
{
        for (size_t i = 0; i < ELEMENTSOF(limit_pers); i++)
                if (limit_pers[i].seconds == seconds)
                        return limit_pers[i].name;
        return NULL;
}

bool service_port(const char *name, const char *proto, uint16_t *ret)
{
        struct servent entry, *found = NULL;
        char buf[1024];

        if (getservbyname_r(name, proto, &entry, buf, sizeof(buf), &found) != 0 || !found)
                return false;
        *ret = ntohs((uint16_t) found->s_port);
        return true;
}
