/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "common/ports.h"
#include "common/util.h"
#include "common/validate.h"

/* firewalld's getPortID() of text[0..len): a number to 65535, or a name of /etc/services (of any protocol);
 * -1: neither, -2: a number too big. */
static int port_id(const char *text, size_t len, unsigned *ret)
{
        char name[64];
        uint16_t port;
        unsigned v = 0;
        size_t digits = strspn(text, "0123456789");

        if (len > 0 && digits >= len) {
                for (size_t i = 0; i < len; i++)
                        v = v > 65535 ? v : v * 10 + (unsigned) (text[i] - '0');
                if (v > 65535)
                        return -2;
                *ret = v;
                return 0;
        }
        if (len == 0 || len >= sizeof(name))
                return -1;
        memcpy(name, text, len);
        name[len] = '\0';
        if (!service_port(name, NULL, &port))
                return -1;
        *ret = port;
        return 0;
}

/* One way of reading text[0..len): the port before dash (NULL: the whole text) and the one after it, if any (as
 * firewalld reads "5-": port 5). 1 read into lo and hi, either way round; 0 not. */
static int port_reading(const char *text, size_t len, const char *dash, unsigned *ret_lo, unsigned *ret_hi)
{
        size_t first = dash ? (size_t) (dash - text) : len, rest = dash ? len - first - 1 : 0;
        unsigned a, b;

        if (port_id(text, first, &a) < 0 || (rest > 0 && port_id(dash + 1, rest, &b) < 0))
                return 0;
        if (rest == 0)
                b = a;
        *ret_lo = MIN(a, b);
        *ret_hi = MAX(a, b);
        return 1;
}

/* firewalld's getPortRange() and check_port() of text[0..len): a port or a range, each end a number or a service
 * name, either way round. A name may hold dashes: the whole text is tried first, then each dash, and a text read
 * more than one way ("ftp-data-ftp" reads only as 20-21) is refused. */
int port_spec_parse(const char *text, size_t len, unsigned *ret_lo, unsigned *ret_hi)
{
        size_t digits = MIN(strspn(text, "0123456789"), len), found = 0;
        unsigned lo, hi;

        /* numbers alone: no name to look up */
        if (digits > 0 && digits + 1 < len && text[digits] == '-' &&
            MIN(strspn(text + digits + 1, "0123456789"), len - digits - 1) == len - digits - 1)
                return port_reading(text, len, text + digits, ret_lo, ret_hi) ? 0 : -EINVAL;
        if (port_reading(text, len, NULL, ret_lo, ret_hi))
                return 0;
        for (const char *p = text + len; (p = memrchr(text, '-', (size_t) (p - text)));)
                if (port_reading(text, len, p, &lo, &hi) && found++ == 0) {
                        *ret_lo = lo;
                        *ret_hi = hi;
                }
        return found == 1 ? 0 : -EINVAL;
}

int port_range_parse(const char *text, PortRange *ret)
{
        const char *slash = strrchr(text, '/');

        if (!slash || strlen(slash + 1) >= sizeof(ret->proto) ||
            port_spec_parse(text, (size_t) (slash - text), &ret->lo, &ret->hi) < 0)
                return -EINVAL;
        strcpy(ret->proto, slash + 1);
        return 0;
}

bool port_range_covers(const PortRange *outer, const PortRange *inner)
{
        return streq(outer->proto, inner->proto) && outer->lo <= inner->lo && inner->hi <= outer->hi;
}
