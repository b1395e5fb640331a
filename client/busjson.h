/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* D-Bus values as JSON, for nftbusctl's listings: one reader for every variant and a{sv} the service
 * answers with. Numbers and booleans as themselves, strings, object paths and signatures as strings,
 * arrays as arrays, a{s...} and other dictionaries with string keys as objects, structs as arrays,
 * variants as their value. */

#include <jansson.h>
#include <systemd/sd-bus.h>

/* The complete value at the current position of m (a variant is read as its content). 0 or negative
 * errno. */
int bus_read_json(sd_bus_message *m, json_t **ret);

/* Properties (a{sv}) as a JSON object whose keys are nftbusctl's one style, snake case ("GcInterval":
 * "gc_interval", "ValueType": "value_type"). 0 or negative errno. */
int bus_read_properties_json(sd_bus_message *m, json_t **ret);
