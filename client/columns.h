/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* nftbusctl's listings as text: rows of cells under headers, each column as wide as its widest cell (and at
 * least its usual width), so that a long name never pushes the columns after it out of line. The last
 * column is not padded. Pure but for the FILE it prints to. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct Column {
        const char *header;
        size_t width; /* at the least */
        bool right;   /* numbers */
} Column;

typedef struct Columns Columns;

Columns *columns_new(const Column *columns, size_t n);
Columns *columns_free(Columns *c);
static inline void columns_freep(Columns **c)
{
        columns_free(*c);
}

/* Adds a row of the n cells columns_new() was given (copied). 0 or -ENOMEM. */
int columns_add(Columns *c, const char *const *cells);

/* Whether columns_print() prints the header line (--no-legend: not). */
extern bool columns_legend;

/* Prints the headers and the rows. */
void columns_print(const Columns *c, FILE *f);
