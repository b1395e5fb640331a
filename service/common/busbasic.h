/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A value of a D-Bus basic type, as daemon and client read any of them: pure, for common/. */

#include <stdbool.h>
#include <stdint.h>

/* What sd_bus_message_read_basic() writes for a type: the member named by its letter (b is an int, h a
 * descriptor; s, o and g a string). */
typedef union BusBasic {
        uint8_t y;
        int b;
        int16_t n;
        uint16_t q;
        int32_t i;
        uint32_t u;
        int64_t x;
        uint64_t t;
        double d;
        int h;
        const char *s;
} BusBasic;

/* An integer of any of the types y n q i u x t as its sign and magnitude, so that one check fits them all
 * (-2^63 too); false for another type. */
static inline bool bus_basic_integer(char type, const BusBasic *v, bool *ret_negative, uint64_t *ret_magnitude)
{
        int64_t s;

        switch (type) {
        case 'n':
                s = v->n;
                break;
        case 'i':
                s = v->i;
                break;
        case 'x':
                s = v->x;
                break;
        case 'y':
        case 'q':
        case 'u':
        case 't':
                *ret_negative = false;
                *ret_magnitude = type == 'y' ? v->y : type == 'q' ? v->q : type == 'u' ? v->u : v->t;
                return true;
        default:
                return false;
        }
        *ret_negative = s < 0;
        *ret_magnitude = s < 0 ? (uint64_t) 0 - (uint64_t) s : (uint64_t) s;
        return true;
}
