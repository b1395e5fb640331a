/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for rule_body_check(): it must never crash, must say why it refuses, and whatever it
 * accepts must stay one rule once spliced after "add rule inet t c ": checked here by a scanner of its
 * own, written from nft's scanner rules rather than from nftsyntax.c. */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/nftsyntax.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(bool condition)
{
        if (!condition)
                abort();
}

/* What nft would read as the end of the command or of the rule, outside a quoted string. */
static void assert_one_rule(const char *command)
{
        bool quoted = false;
        long depth = 0;

        for (const unsigned char *p = (const unsigned char *) command; *p; p++) {
                must(*p >= 0x20 || *p == '\t'); /* no newline, no other control */
                must(*p != 0x7f);
                if (*p == '"') {
                        quoted = !quoted;
                        continue;
                }
                if (quoted)
                        continue;
                must(*p < 0x80);
                must(!strchr(";#$\\`'", *p));
                if (*p == '{')
                        depth++;
                if (*p == '}')
                        must(--depth >= 0);
        }
        must(!quoted);
        must(depth == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *body = malloc(size + 1), *why = NULL, *command;
        int r;

        if (!body)
                return 0;
        memcpy(body, data, size);
        body[size] = '\0';

        r = rule_body_check(body, &why);
        must(r == 0 || r == -22);
        must((r == 0) == (why == NULL));
        if (r == 0) {
                command = malloc(strlen(body) + 32);
                must(command != NULL);
                strcpy(command, "add rule inet t c ");
                strcat(command, body);
                assert_one_rule(command);
                must(strspn(body, " \t") < strlen(body));
                free(command);
        }
        free(why);
        free(body);
        return 0;
}
