/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Lists people keep, read as a stream: bytes come in chunks, lines go out one by one to a callback —
 * without the newline and a trailing '\r', leading blanks skipped, blank lines and '#' comments passed
 * over — numbered as the file numbers them. A line longer than the limit ends the stream. Pure: the
 * caller reads, this splits. */

#include <stddef.h>
#include <stdint.h>

typedef struct LineStream {
        char *buf;
        size_t size;       /* of buf (and a byte for the NUL) */
        size_t max_len;    /* the longest line taken */
        size_t start, end; /* the bytes of buf not yet split into lines */
        uint32_t number;   /* of the last line given out, or of the overlong one */
} LineStream;

/* Called for each line that holds something; line is NUL-terminated and may be changed in place. A
 * return value other than 0 stops the stream and is returned by line_stream_feed(). */
typedef int (*line_stream_line_t)(char *line, size_t len, uint32_t number, void *userdata);

/* max_len: the longest line taken; chunk: how much to read at a time at most. 0 or -ENOMEM. */
int line_stream_init(LineStream *s, size_t max_len, size_t chunk);
void line_stream_done(LineStream *s);

/* Where the next bytes go, and how many fit (never 0 after a feed that returned 0). */
char *line_stream_space(LineStream *s, size_t *ret_room);

/* n bytes were put at line_stream_space(); n == 0 is the end of the stream (its last line needs no
 * newline). Gives out every complete line. Returns 0, the callback's non-zero result, or -EMSGSIZE for a
 * line longer than the limit (s->number is its number). */
int line_stream_feed(LineStream *s, size_t n, line_stream_line_t fn, void *userdata);
