/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "verbs.h"

/* nftbusctl --complete WORD...: prints the words that may replace the last of words (the command line after
 * "nftbusctl"), one per line. */
int complete_words(const Verb *verbs, size_t n, char **words, int n_words);
