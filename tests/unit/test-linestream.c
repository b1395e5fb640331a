/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "core/linestream.h"
#include "tap.h"

typedef struct Seen {
        char text[4096];
        int stop_at; /* the line number whose callback stops the stream, or 0 */
} Seen;

static int on_line(char *line, size_t len, uint32_t number, void *userdata)
{
        Seen *seen = userdata;
        char item[600];

        assert_int_equal(strlen(line), len);
        snprintf(item, sizeof(item), "%u:%s|", number, line);
        strcat(seen->text, item);
        return (int) number == seen->stop_at ? 7 : 0;
}

/* Feeds input in chunks of at most chunk bytes, as reads would bring it; returns the last result. */
static int feed(LineStream *s, const char *input, size_t chunk, Seen *seen)
{
        size_t done = 0, n = strlen(input);
        int r;

        for (;;) {
                size_t room, k;
                char *space = line_stream_space(s, &room);
                k = n - done < chunk ? n - done : chunk;
                k = k < room ? k : room;
                memcpy(space, input + done, k);
                done += k;
                r = line_stream_feed(s, k, on_line, seen);
                if (r != 0 || k == 0)
                        return r;
        }
}

static void test_lines(void **state)
{
        static const char input[] = "10.0.0.1\n"
                                    "# a comment\n"
                                    "\n"
                                    "   10.0.0.2\r\n"
                                    "\t# an indented comment\n"
                                    "10.0.0.3 . 22\n"
                                    "10.0.0.4"; /* no newline at the end */
        /* however the reads cut it */
        for (size_t chunk = 1; chunk <= sizeof(input); chunk++) {
                LineStream s;
                Seen seen = {};
                assert_int_equal(line_stream_init(&s, 64, 16), 0);
                assert_int_equal(feed(&s, input, chunk, &seen), 0);
                assert_string_equal(seen.text, "1:10.0.0.1|4:10.0.0.2|6:10.0.0.3 . 22|7:10.0.0.4|");
                line_stream_done(&s);
        }
}

static void test_long_lines(void **state)
{
        char input[200];
        LineStream s;
        Seen seen = {};

        /* 20 characters are fine, 21 are not, with or without a newline, split or not */
        memset(input, 'a', 20);
        strcpy(input + 20, "\nb\n");
        assert_int_equal(line_stream_init(&s, 20, 8), 0);
        assert_int_equal(feed(&s, input, 5, &seen), 0);
        assert_string_equal(seen.text, "1:aaaaaaaaaaaaaaaaaaaa|2:b|");
        line_stream_done(&s);

        for (size_t chunk = 1; chunk < 40; chunk += 7) {
                Seen again = {};
                strcpy(input, "ok\n");
                memset(input + 3, 'a', 21);
                strcpy(input + 24, "\nnever\n");
                assert_int_equal(line_stream_init(&s, 20, 8), 0);
                assert_int_equal(feed(&s, input, chunk, &again), -EMSGSIZE);
                assert_int_equal(s.number, 2);
                assert_string_equal(again.text, "1:ok|");
                line_stream_done(&s);
        }
        /* a long last line without its newline */
        memset(input, 'a', 30);
        input[30] = '\0';
        assert_int_equal(line_stream_init(&s, 20, 64), 0);
        assert_int_equal(feed(&s, input, 64, &(Seen){}), -EMSGSIZE);
        assert_int_equal(s.number, 1);
        line_stream_done(&s);
}

static void test_the_callback_stops_it(void **state)
{
        LineStream s;
        Seen seen = { .stop_at = 2 };

        assert_int_equal(line_stream_init(&s, 64, 64), 0);
        assert_int_equal(feed(&s, "a\nb\nc\n", 64, &seen), 7);
        assert_string_equal(seen.text, "1:a|2:b|");
        line_stream_done(&s);
}

TAP_MAIN(cmocka_unit_test(test_lines), cmocka_unit_test(test_long_lines), cmocka_unit_test(test_the_callback_stops_it))
