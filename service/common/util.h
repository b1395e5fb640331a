/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Small helpers shared by every part of nftbus: scoped cleanup and ownership transfer. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _fallthrough_ __attribute__((__fallthrough__))

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

/* Hand ownership on: returns the pointer and clears the variable so its cleanup does nothing. */
#define TAKE_PTR(p)                                                                                                   \
        ({                                                                                                            \
                __typeof__(p) _ptr_ = (p);                                                                            \
                (p) = NULL;                                                                                           \
                _ptr_;                                                                                                \
        })

#define TAKE_FD(fd)                                                                                                   \
        ({                                                                                                            \
                int _fd_ = (fd);                                                                                      \
                (fd) = -EBADF;                                                                                        \
                _fd_;                                                                                                 \
        })

/* Defines name##p(type *p) for use with _cleanup_, calling func on a non-NULL value. */
#define DEFINE_POINTER_CLEANUP(type, func)                                                                            \
        static inline void func##p(type **p)                                                                          \
        {                                                                                                             \
                if (*p)                                                                                               \
                        (void) func(*p);                                                                              \
        }

static inline void freep(void *p)
{
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline int safe_close(int fd)
{
        if (fd >= 0) {
                int saved = errno;
                (void) close(fd);
                errno = saved;
        }
        return -EBADF;
}

static inline void closep(int *fd)
{
        (void) safe_close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

static inline void fclosep(FILE **f)
{
        if (*f)
                (void) fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

static inline void strv_free(char **l)
{
        if (!l)
                return;
        for (char **i = l; *i; i++)
                free(*i);
        free(l);
}
static inline void strv_freep(char ***l)
{
        strv_free(*l);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)

/* Appends s (taken; NULL is -ENOMEM) to the NULL-terminated *v of *n strings. 0 or -ENOMEM. */
static inline int strv_push(char ***v, size_t *n, char *s)
{
        char **grown;

        if (!s)
                return -ENOMEM;
        grown = realloc(*v, (*n + 2) * sizeof(char *));
        if (!grown) {
                free(s);
                return -ENOMEM;
        }
        grown[(*n)++] = s;
        grown[*n] = NULL;
        *v = grown;
        return 0;
}

/* free() of each of n pointers: FREE_MANY(j->name, j->path, j), for the fields of a destructor */
static inline void free_many(void *const *p, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(p[i]);
}
#define FREE_MANY(...) free_many((void *const[]){ __VA_ARGS__ }, ELEMENTSOF(((void *const[]){ __VA_ARGS__ })))

/* Room for at least need elements of size bytes in *array, which has room for *capacity: twice as much each
 * time (first, the first time), so that n appends cost O(n). 0, or -ENOMEM with both left as they were. */
static inline int array_reserve(void **array, size_t *capacity, size_t need, size_t size, size_t first)
{
        size_t n = *capacity ? *capacity * 2 : first;
        void *grown;

        if (need <= *capacity)
                return 0;
        if (n < need)
                n = need;
        grown = reallocarray(*array, n, size);
        if (!grown)
                return -ENOMEM;
        *array = grown;
        *capacity = n;
        return 0;
}
#define ARRAY_RESERVE(array, capacity, need, first)                                                                   \
        array_reserve((void **) &(array), &(capacity), (need), sizeof((array)[0]), (first))

/* Puts item at place i of the array of *n pointers, moving the rest up: 0 or -ENOMEM (item not put). For
 * sorted lists that one adds to now and then; appending in a loop wants ARRAY_RESERVE. */
static inline int pointer_array_insert(void ***array, size_t *n, size_t i, void *item)
{
        void **grown = reallocarray(*array, *n + 1, sizeof(void *));

        if (!grown)
                return -ENOMEM;
        memmove(grown + i + 1, grown + i, (*n - i) * sizeof(void *));
        grown[i] = item;
        *array = grown;
        (*n)++;
        return 0;
}
#define POINTER_ARRAY_INSERT(array, n, i, item) pointer_array_insert((void ***) &(array), &(n), (i), (item))

/* The item at i taken out of the array (its n items then one fewer), the rest moved up; returned */
static inline void *pointer_array_take(void **array, size_t *n, size_t i)
{
        void *item = array[i];

        memmove(array + i, array + i + 1, (*n - i - 1) * sizeof(void *));
        (*n)--;
        return item;
}
#define POINTER_ARRAY_TAKE(array, n, i) pointer_array_take((void **) (array), &(n), (i))

/* Binary search over the n items of a sorted range: the place of the one compare(i, key, userdata) finds equal
 * (*ret_found true), or where key would go to keep the order (false). compare: < 0 when item i goes before key. */
static inline size_t bsearch_place(size_t n, int (*compare)(size_t i, const void *key, const void *userdata),
                                   const void *key, const void *userdata, bool *ret_found)
{
        size_t lo = 0, hi = n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int c = compare(mid, key, userdata);
                if (c == 0) {
                        *ret_found = true;
                        return mid;
                }
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        *ret_found = false;
        return lo;
}

/* Arrays of named objects kept sorted by name (name_of), each owned (free_item): the place of a name; an object put
 * at its place (-EEXIST: the name is there; the object freed on failure); one taken out by name (-ENOENT). */
typedef struct NamedArray {
        void ***items;
        size_t *n;
        const char *(*name_of)(const void *item);
        void (*free_item)(void *item);
} NamedArray;

static inline int named_compare(size_t i, const void *name, const void *array)
{
        const NamedArray *a = array;

        return strcmp(a->name_of((*a->items)[i]), name);
}

static inline size_t named_position(const NamedArray *a, const char *name, bool *ret_found)
{
        return bsearch_place(*a->n, named_compare, name, a, ret_found);
}

static inline int named_put(const NamedArray *a, void *item)
{
        bool found;
        size_t i = named_position(a, a->name_of(item), &found);

        if (found || pointer_array_insert(a->items, a->n, i, item) < 0) {
                a->free_item(item);
                return found ? -EEXIST : -ENOMEM;
        }
        return 0;
}

static inline int named_remove(const NamedArray *a, const char *name)
{
        bool found;
        size_t i = named_position(a, name, &found);

        if (!found)
                return -ENOENT;
        a->free_item(pointer_array_take(*a->items, a->n, i));
        return 0;
}

static inline const char *strempty(const char *s)
{
        return s ? s : "";
}

static inline const char *empty_to_null(const char *s)
{
        return s && *s ? s : NULL;
}

static inline int streq(const char *a, const char *b)
{
        return strcmp(a, b) == 0;
}

/* s without prefix when it starts with it, else NULL (systemd's startswith) */
static inline const char *startswith(const char *s, const char *prefix)
{
        size_t n = strlen(prefix);

        return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* free(p), NULL: p = mfree(p) (systemd's) */
static inline void *mfree(void *p)
{
        free(p);
        return NULL;
}

/* *p freed and replaced by a copy of s (NULL: by NULL): 0, or -ENOMEM with *p as it was (systemd's
 * free_and_strdup) */
static inline int free_and_strdup(char **p, const char *s)
{
        char *copy = s ? strdup(s) : NULL;

        if (s && !copy)
                return -ENOMEM;
        free(*p);
        *p = copy;
        return 0;
}

/* line appended to *text (NULL: none yet), lines apart: 0, or -ENOMEM with *text as it was */
static inline int text_append_line(char **text, const char *line)
{
        char *joined = NULL;

        if (asprintf(&joined, "%s%s%s", *text ? *text : "", *text ? "\n" : "", line) < 0)
                return -ENOMEM;
        free(*text);
        *text = joined;
        return 0;
}

/* s ends with suffix */
static inline bool endswith(const char *s, const char *suffix)
{
        size_t n = strlen(s), k = strlen(suffix);

        return n >= k && streq(s + n - k, suffix);
}

/* x is one of the values given (integers), or s one of the strings */
#define IN_SET(x, ...)                                                                                                \
        ({                                                                                                            \
                const int _values[] = { __VA_ARGS__ };                                                                \
                bool _found = false;                                                                                  \
                for (size_t _i = 0; _i < ELEMENTSOF(_values); _i++)                                                   \
                        _found = _found || (int) (x) == _values[_i];                                                  \
                _found;                                                                                               \
        })
#define IN_SET_STR(s, ...)                                                                                            \
        ({                                                                                                            \
                const char *const _values[] = { __VA_ARGS__ };                                                        \
                bool _found = false;                                                                                  \
                for (size_t _i = 0; _i < ELEMENTSOF(_values); _i++)                                                   \
                        _found = _found || streq((s), _values[_i]);                                                   \
                _found;                                                                                               \
        })
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

static inline int streq_ptr(const char *a, const char *b)
{
        if (!a || !b)
                return a == b;
        return streq(a, b);
}

/* FNV-1a, 32 bits: stable across versions and machines, which is all nftbus's ids, markers and
 * checksums need. Start from FNV1A32_BASIS; chain by passing the previous result as h. */
#define FNV1A32_BASIS UINT32_C(2166136261)
static inline uint32_t fnv1a32(uint32_t h, const void *data, size_t n)
{
        const unsigned char *p = data;

        for (size_t i = 0; i < n; i++)
                h = (h ^ p[i]) * UINT32_C(16777619);
        return h;
}

/* Reads f to its end into a NUL-terminated string: 0, -ENOMEM, -EIO, or -EBADMSG when it holds a NUL
 * byte (not text). */
static inline int read_text_stream(FILE *f, char **ret)
{
        char buf[65536], *text = NULL;
        size_t size = 0, n;
        FILE *out = open_memstream(&text, &size);
        int r = 0;

        if (!out)
                return -ENOMEM;
        while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
                if (fwrite(buf, 1, n, out) != n)
                        r = -ENOMEM;
        if (ferror(f))
                r = -EIO;
        if (fclose(out) != 0)
                r = -ENOMEM;
        if (r >= 0 && strlen(text) != size)
                r = -EBADMSG;
        if (r < 0) {
                free(text);
                return r;
        }
        *ret = text;
        return 0;
}

/* Reads or writes exactly size bytes, blocking, retrying on EINTR: 0, -EPIPE at end of file (reading), or
 * negative errno. For the executor's frames and whole files. */
static inline int transfer_full(int fd, char *p, size_t size, bool writing)
{
        while (size > 0) {
                ssize_t n = writing ? write(fd, p, size) : read(fd, p, size);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        return -EPIPE;
                p += n;
                size -= (size_t) n;
        }
        return 0;
}

static inline int read_full(int fd, void *buf, size_t size)
{
        return transfer_full(fd, buf, size, false);
}

static inline int write_full(int fd, const void *buf, size_t size)
{
        return transfer_full(fd, (char *) (uintptr_t) buf, size, true); /* written from, never to */
}

/* Writes all of buf to fd, which may be non-blocking (a descriptor a caller passed): waits for it to take
 * more, but never longer than idle_ms at a time. 0, -ETIMEDOUT, or the write's negative errno (-EPIPE
 * when the reader has gone: SIGPIPE is ignored in nftbusd). *ret_written counts what went, in any case. */
static inline int write_all_polled(int fd, const char *buf, size_t len, int idle_ms, size_t *ret_written)
{
        size_t done = 0;
        int r = 0;

        while (done < len) {
                struct pollfd p = { .fd = fd, .events = POLLOUT };
                ssize_t n;

                r = poll(&p, 1, idle_ms);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0) {
                        r = r < 0 ? -errno : -ETIMEDOUT;
                        break;
                }
                n = write(fd, buf + done, len - done);
                if (n < 0 && (errno == EINTR || errno == EAGAIN))
                        continue;
                if (n < 0) {
                        r = -errno;
                        break;
                }
                done += (size_t) n;
                r = 0;
        }
        if (ret_written)
                *ret_written = done;
        return r;
}
