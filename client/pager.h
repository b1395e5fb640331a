/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The pager for long output on a terminal (pager.c). */
void pager_open(void);
void pager_close(void);
