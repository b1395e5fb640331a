/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>

#include "common/errors.h"
#include "tap.h"
#include "common/util.h"

static void test_error_names(void **state)
{
        assert_string_equal(nft_error_name("internal:0:0-0: Error: Could not process rule: File exists\n\n"),
                            NFTBUS_ERROR_ALREADY_EXISTS);
        assert_string_equal(nft_error_name("internal:0:0-0: Error: No such file or directory; did you mean "
                                           "table 'foo' in family inet?\n"),
                            NFTBUS_ERROR_NOT_FOUND);
        assert_string_equal(nft_error_name("Error: Could not process rule: Numerical result out of range\n"),
                            NFTBUS_ERROR_TOO_LARGE);
        assert_string_equal(nft_error_name("Error: Could not process rule: Device or resource busy\n"),
                            NFTBUS_ERROR_BUSY);
        assert_string_equal(nft_error_name("Error: Could not process rule: Operation not supported\n"),
                            NFTBUS_ERROR_REJECTED);
        assert_string_equal(nft_error_name(""), NFTBUS_ERROR_REJECTED);
        assert_string_equal(nft_error_name(NULL), NFTBUS_ERROR_REJECTED);
}

static void test_error_message_keeps_nft_text(void **state)
{
        _cleanup_free_ char *a = nft_error_message("internal:0:0-0: Error: Could not process rule: File exists\n\n");
        _cleanup_free_ char *b = nft_error_message("internal:0:0-0: Error: one\ninternal:0:0-0: Error: two\n");
        _cleanup_free_ char *c = nft_error_message("<cmdline>:1:1-5: Error: syntax error\nadd x\n^^^^^\n");
        _cleanup_free_ char *d = nft_error_message(NULL);

        assert_string_equal(a, "Error: Could not process rule: File exists");
        assert_string_equal(b, "Error: one\nError: two");
        assert_string_equal(c, "<cmdline>:1:1-5: Error: syntax error\nadd x\n^^^^^");
        assert_string_equal(d, "");
}

static void test_errno_mapping_is_registered(void **state)
{
        static const struct {
                const char *name;
                int errnum;
        } mapping[] = {
                { NFTBUS_ERROR_NOT_FOUND, ENOENT },
                { NFTBUS_ERROR_ALREADY_EXISTS, EEXIST },
                { NFTBUS_ERROR_INVALID_ARGUMENT, EINVAL },
                { NFTBUS_ERROR_BACKEND_FAILED, EPIPE },
        };

        assert_true(nftbus_errors_register() >= 0);
        for (size_t i = 0; i < ELEMENTSOF(mapping); i++) {
                sd_bus_error e = SD_BUS_ERROR_NULL;
                sd_bus_error_set(&e, mapping[i].name, "x");
                assert_int_equal(sd_bus_error_get_errno(&e), mapping[i].errnum);
                sd_bus_error_free(&e);
        }
}

static void test_error_message_cuts_long_lines(void **state)
{
        /* a 16 MiB line quoted and underlined by nft: each line is cut, the whole is bounded */
        size_t n = 16 * 1024 * 1024;
        _cleanup_free_ char *line = malloc(n + 1), *input = NULL, *out = NULL, *many = NULL, *out2 = NULL;
        _cleanup_free_ char *utf8 = NULL, *out3 = NULL;

        assert_non_null(line);
        memset(line, 'a', n);
        line[n] = '\0';
        assert_true(asprintf(&input, "line 1: Error: syntax error\n%s\n%s\n", line, line) > 0);
        out = nft_error_message(input);
        assert_non_null(out);
        assert_int_equal(strlen(out), strlen("line 1: Error: syntax error\n") + 2 * NFT_ERROR_LINE_MAX + 1);
        assert_true(strncmp(out + strlen(out) - 3, "...", 3) == 0);

        /* many errors: nothing after NFT_ERROR_MESSAGE_MAX */
        many = malloc(200 * 1024);
        assert_non_null(many);
        for (size_t i = 0; i < 200 * 1024 - 1; i++)
                many[i] = i % 100 == 99 ? '\n' : 'e';
        many[200 * 1024 - 1] = '\0';
        out2 = nft_error_message(many);
        assert_non_null(out2);
        assert_true(strlen(out2) < NFT_ERROR_MESSAGE_MAX + 200);
        assert_non_null(strstr(out2, "(further errors cut)"));

        /* never inside a UTF-8 sequence: the cut falls before the two-byte 'é' that would be split */
        utf8 = malloc(NFT_ERROR_LINE_MAX * 2 + 1);
        assert_non_null(utf8);
        memset(utf8, 'a', NFT_ERROR_LINE_MAX * 2);
        utf8[NFT_ERROR_LINE_MAX * 2] = '\0';
        memcpy(utf8 + NFT_ERROR_LINE_MAX - 4, "\xc3\xa9", 2);
        out3 = nft_error_message(utf8);
        assert_non_null(out3);
        assert_int_equal(strlen(out3), NFT_ERROR_LINE_MAX - 4 + 3);
        assert_string_equal(out3 + NFT_ERROR_LINE_MAX - 4, "...");
}

static void test_in_words(void **state)
{
        const struct {
                const char *in, *out;
        } cases[] = {
                { "Error: Could not process rule: No such file or directory\n"
                  "replace rule inet t c handle 99 accept\n"
                  "                             ^^",
                  "Error: No rule with handle 99 in chain inet t c\n"
                  "replace rule inet t c handle 99 accept\n"
                  "                             ^^" },
                { "line 3: Error: No such file or directory\n"
                  "add rule inet t c ip saddr @nosuch accept\n"
                  "                           ^^^^^^^",
                  "line 3: Error: No set or map 'nosuch' in table inet t\n"
                  "add rule inet t c ip saddr @nosuch accept\n"
                  "                           ^^^^^^^" },
                { "Error: Could not process rule: No such file or directory\n"
                  "add rule t c jump nochain\n"
                  "                  ^^^^^^^",
                  "Error: No chain 'nochain' in table ip t\n"
                  "add rule t c jump nochain\n"
                  "                  ^^^^^^^" },
                { "Error: Could not process rule: No such file or directory\n"
                  "add rule inet t c counter name nocounter\n"
                  "                               ^^^^^^^^^",
                  "Error: No counter 'nocounter' in table inet t\n"
                  "add rule inet t c counter name nocounter\n"
                  "                               ^^^^^^^^^" },
                { "Error: Could not process rule: No such file or directory\n"
                  "add rule inet t c position 99 accept\n"
                  "                  ^^^^^^^^^^^",
                  "Error: No rule with handle 99 in chain inet t c\n"
                  "add rule inet t c position 99 accept\n"
                  "                  ^^^^^^^^^^^" },
                { "line 2: Error: Could not process rule: No such file or directory\n"
                  "add rule ip z nochain accept\n"
                  "              ^^^^^^^",
                  "line 2: Error: No chain 'nochain' in table ip z\n"
                  "add rule ip z nochain accept\n"
                  "              ^^^^^^^" },
                { "Error: Could not process rule: No such file or directory\n"
                  "add element inet t blocked { 10.0.0.1 }\n"
                  "                   ^^^^^^^",
                  "Error: No set or map 'blocked' in table inet t\n"
                  "add element inet t blocked { 10.0.0.1 }\n"
                  "                   ^^^^^^^" },
                { "Error: No such file or directory\n"
                  "add chain inet nothere c\n"
                  "               ^^^^^^^",
                  "Error: No table inet nothere\n"
                  "add chain inet nothere c\n"
                  "               ^^^^^^^" },
                { "Error: Could not process rule: No such file or directory\n"
                  "add rule inet t c ct helper set \"nohelper\"\n"
                  "                                ^^^^^^^^^^",
                  "Error: No ct helper 'nohelper' in table inet t\n"
                  "add rule inet t c ct helper set \"nohelper\"\n"
                  "                                ^^^^^^^^^^" },
                { "Error: Could not process rule: No such file or directory\n"
                  "delete element inet t s { 9.9.9.9 }\n"
                  "                          ^^^^^^^",
                  "Error: No element 9.9.9.9 in set inet t s\n"
                  "delete element inet t s { 9.9.9.9 }\n"
                  "                          ^^^^^^^" },
                { "Error: No such file or directory\n"
                  "list set inet t nope\n"
                  "                ^^^^",
                  "Error: No set 'nope' in table inet t\n"
                  "list set inet t nope\n"
                  "                ^^^^" },
                { "Error: Could not process rule: File exists\n"
                  "create table inet t\n"
                  "                  ^",
                  "Error: Table inet t exists already\n"
                  "create table inet t\n"
                  "                  ^" },
                { "Error: Could not process rule: File exists\n"
                  "create chain inet t c\n"
                  "                    ^",
                  "Error: The chain 'c' exists already in table inet t\n"
                  "create chain inet t c\n"
                  "                    ^" },
                { "Error: Could not process rule: File exists\n"
                  "create element inet t s { 1.2.3.4 }\n"
                  "                          ^^^^^^^",
                  "Error: Element 1.2.3.4 exists already in set inet t s\n"
                  "create element inet t s { 1.2.3.4 }\n"
                  "                          ^^^^^^^" },
                /* not underlined, or another error: as it was */
                { "Error: Could not process rule: No such file or directory",
                  "Error: Could not process rule: No such file or directory" },
                { "Error: syntax error\nadd x\n    ^", "Error: syntax error\nadd x\n    ^" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *out = nft_error_explain(cases[i].in);
                assert_non_null(out);
                assert_string_equal(out, cases[i].out);
        }
}

TAP_MAIN(cmocka_unit_test(test_in_words), cmocka_unit_test(test_error_names),
         cmocka_unit_test(test_error_message_keeps_nft_text), cmocka_unit_test(test_error_message_cuts_long_lines),
         cmocka_unit_test(test_errno_mapping_is_registered))
