/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "common/util.h"

static size_t max_size(size_t a, size_t b)
{
        return a > b ? a : b;
}

struct Columns {
        const Column *columns;
        size_t n;
        size_t *widths;
        char **cells; /* n per row */
        size_t n_rows;
};

Columns *columns_new(const Column *columns, size_t n)
{
        Columns *c = calloc(1, sizeof(Columns));

        if (!c || !(c->widths = calloc(n, sizeof(size_t))))
                return columns_free(c);
        c->columns = columns;
        c->n = n;
        for (size_t i = 0; i < n; i++)
                c->widths[i] = max_size(columns[i].width, strlen(columns[i].header));
        return c;
}

Columns *columns_free(Columns *c)
{
        if (!c)
                return NULL;
        for (size_t i = 0; i < c->n_rows * c->n; i++)
                free(c->cells[i]);
        free(c->cells);
        free(c->widths);
        free(c);
        return NULL;
}

int columns_add(Columns *c, const char *const *cells)
{
        char **grown = reallocarray(c->cells, (c->n_rows + 1) * c->n, sizeof(char *));

        if (!grown)
                return -ENOMEM;
        c->cells = grown;
        for (size_t i = 0; i < c->n; i++) {
                char *copy = strdup(cells[i] ? cells[i] : "");
                if (!copy) {
                        for (size_t k = 0; k < i; k++)
                                free(grown[c->n_rows * c->n + k]);
                        return -ENOMEM;
                }
                grown[c->n_rows * c->n + i] = copy;
                c->widths[i] = max_size(c->widths[i], strlen(copy));
        }
        c->n_rows++;
        return 0;
}

static void print_row(const Columns *c, FILE *f, const char *const *cells)
{
        for (size_t i = 0; i < c->n; i++) {
                bool last = i + 1 == c->n;
                if (c->columns[i].right)
                        fprintf(f, "%*s", (int) c->widths[i], cells[i]);
                else
                        fprintf(f, "%-*s", last ? 0 : (int) c->widths[i], cells[i]);
                fputs(last ? "\n" : " ", f);
        }
}

bool columns_legend = true;

void columns_print(const Columns *c, FILE *f)
{
        const char *headers[c->n];

        for (size_t i = 0; i < c->n; i++)
                headers[i] = c->columns[i].header;
        if (columns_legend)
                print_row(c, f, headers);
        for (size_t r = 0; r < c->n_rows; r++)
                print_row(c, f, (const char *const *) c->cells + r * c->n);
}
