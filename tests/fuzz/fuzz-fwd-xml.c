/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for firewalld's XML files (core/fwdxml.h): the first byte picks the kind (zone, policy, ipset),
 * the rest is the file. The reader must never crash, must say why it refuses (naming the file and line), and must
 * give lines that are "#line N" or KEY=VALUE; and what nftbus then takes, written back as XML, must read back as
 * the same object (every value escaped as it must be). */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fwdxml.h"
#include "core/ipsetspec.h"
#include "core/policyspec.h"
#include "core/zonespec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(bool condition)
{
        if (!condition)
                abort();
}

/* the object the lines say, as nftbus writes it, or NULL when nftbus refuses it */
static char *object_of(FwdFileKind kind, const char *keys)
{
        static ServiceCatalogue no_services;
        FILE *f = fmemopen((void *) keys, strlen(keys), "r");
        char *why = NULL, *text = NULL;
        int r = -EINVAL;

        must(f != NULL);
        if (kind == FWD_FILE_ZONE) {
                Zone *z = NULL;
                r = zone_parse("z", "f.xml", f, &no_services, &z, &why);
                if (r >= 0)
                        must(zone_format(z, &text) == 0);
                zone_free(z);
        } else if (kind == FWD_FILE_POLICY) {
                Policy *p = NULL;
                r = policy_parse("p", "f.xml", f, &no_services, &p, &why);
                if (r >= 0)
                        must(policy_format(p, &text) == 0);
                policy_free(p);
        } else {
                IPSet *s = NULL;
                r = ipset_parse("i", "f.xml", f, &s, &why);
                if (r >= 0)
                        must(ipset_format(s, &text) == 0);
                ipset_free(s);
        }
        fclose(f);
        must(r == 0 || r == -EINVAL);
        free(why);
        return text;
}

static char *keys_of(FwdFileKind kind, const char *xml, size_t size)
{
        char *keys = NULL, *warnings = NULL, *why = NULL;
        int r = fwd_xml_to_keys(kind, xml, size, "f.xml", &keys, &warnings, &why);

        must(r == 0 || r == -EINVAL);
        must((r == 0) == (why == NULL) && (r == 0) == (keys != NULL));
        if (r < 0)
                must(strncmp(why, "Line ", 5) == 0 && strstr(why, " of f.xml: ") != NULL);
        for (const char *line = keys; line && *line; line = strchr(line, '\n') + 1) {
                unsigned number = 0;
                size_t len = strcspn(line, "\n");
                char *one = strndup(line, len);
                must(one != NULL && line[len] == '\n');
                must(key_values_line(one, &number) || (strchr(one, '=') && !strchr(one, '\r')));
                free(one);
        }
        free(warnings);
        free(why);
        return keys;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const FwdFileKind kinds[] = { FWD_FILE_ZONE, FWD_FILE_POLICY, FWD_FILE_IPSET };
        char *keys, *object, *xml = NULL, *why = NULL, *back, *again;

        if (size < 1)
                return 0;
        FwdFileKind kind = kinds[data[0] % 3];
        keys = keys_of(kind, (const char *) data + 1, size - 1);
        object = keys ? object_of(kind, keys) : NULL;
        if (object) { /* taken: written as XML, it reads back as itself */
                must(fwd_keys_to_xml(kind, object, &xml, &why) == 0);
                back = keys_of(kind, xml, strlen(xml));
                must(back != NULL);
                again = object_of(kind, back);
                must(again != NULL && strcmp(again, object) == 0);
                free(back);
                free(again);
        }
        free(xml);
        free(why);
        free(object);
        free(keys);
        return 0;
}
