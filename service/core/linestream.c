/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/linestream.h"

int line_stream_init(LineStream *s, size_t max_len, size_t chunk)
{
        /* room for the longest line and its newline, at the least */
        *s = (LineStream){ .size = chunk > max_len + 1 ? chunk : max_len + 1, .max_len = max_len };
        s->buf = malloc(s->size + 1);
        return s->buf ? 0 : -ENOMEM;
}

void line_stream_done(LineStream *s)
{
        free(s->buf);
        *s = (LineStream){};
}

char *line_stream_space(LineStream *s, size_t *ret_room)
{
        /* keep the partial line at the front, read more behind it */
        if (s->start > 0) {
                memmove(s->buf, s->buf + s->start, s->end - s->start);
                s->end -= s->start;
                s->start = 0;
        }
        *ret_room = s->size - s->end;
        return s->buf + s->end;
}

static int give(LineStream *s, char *line, size_t len, line_stream_line_t fn, void *userdata)
{
        line[len] = '\0';
        if (len > 0 && line[len - 1] == '\r')
                line[--len] = '\0';
        while (*line == ' ' || *line == '\t')
                line++, len--;
        /* blank lines and comments, as in the lists people keep */
        if (!*line || *line == '#')
                return 0;
        return fn(line, len, s->number, userdata);
}

int line_stream_feed(LineStream *s, size_t n, line_stream_line_t fn, void *userdata)
{
        bool eof = n == 0;
        int r;

        s->end += n;
        for (;;) {
                char *line = s->buf + s->start, *nl = memchr(line, '\n', s->end - s->start);
                size_t len = nl ? (size_t) (nl - line) : s->end - s->start;

                if (!nl && !(eof && len > 0)) {
                        /* a partial line longer than the limit already will be too long */
                        if (len > s->max_len) {
                                s->number++;
                                return -EMSGSIZE;
                        }
                        return 0;
                }
                s->number++;
                if (len > s->max_len)
                        return -EMSGSIZE;
                r = give(s, line, len, fn, userdata);
                s->start += len + (nl ? 1 : 0);
                if (r != 0)
                        return r;
        }
}
