#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Whether the JSON on standard input has the shape SHAPE, as nftbusctl's help writes it:

    {a, b}          an object with exactly the keys a and b
    {a, ...}        an object with the key a, and maybe others
    {}              an empty object (a change without a result)
    [X]             an array whose every item has the shape X (no item is fine)
    string          a string
    A | B           one shape or the other

Exit 0 when it has; else 1, saying why.

    json-shape.py SHAPE < JSON"""

import json
import sys


def split_top(text, sep):
    """text split at sep where no bracket is open"""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i + len(sep)
    parts.append(text[start:])
    return [p.strip() for p in parts]


def check(shape, value):
    """None when value has shape, else why not"""
    alternatives = split_top(shape, "|")
    if len(alternatives) > 1:
        whys = [check(a, value) for a in alternatives]
        return None if None in whys else " and ".join(whys)
    if shape == "string":
        return None if isinstance(value, str) else f"{json.dumps(value)[:80]} is not a string"
    if shape.startswith("[") and shape.endswith("]"):
        if not isinstance(value, list):
            return f"{json.dumps(value)[:80]} is not an array"
        for item in value:
            why = check(shape[1:-1].strip(), item)
            if why:
                return f"an item: {why}"
        return None
    if shape.startswith("{") and shape.endswith("}"):
        if not isinstance(value, dict):
            return f"{json.dumps(value)[:80]} is not an object"
        keys = [k for k in split_top(shape[1:-1], ",") if k]
        more = "..." in keys
        keys = [k for k in keys if k != "..."]
        missing = [k for k in keys if k not in value]
        extra = [k for k in value if k not in keys]
        if missing:
            return f"no key {', '.join(missing)} in {json.dumps(value)[:120]}"
        if extra and not more:
            return f"keys not in the shape: {', '.join(extra)}"
        return None
    return f"the shape '{shape}' is not one this checker reads"


def main():
    if len(sys.argv) != 2 or not sys.argv[1]:
        print("json-shape.py: the shape is missing (no JSON: line in the command's help?)")
        return 1
    try:
        value = json.loads(sys.stdin.read())
    except json.JSONDecodeError as e:
        print(f"not JSON: {e}")
        return 1
    why = check(sys.argv[1], value)
    if why:
        print(why)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
