#!/usr/bin/env python3
"""Checks that every server function stays a thin boundary (issue 14): it decodes its input,
authorises the caller, calls one service and maps the error. Business rules live in the feature's
`service` module, where they have unit tests and no Leptos types.

Exits 1 and lists the offenders when a server function is longer than LIMIT lines, counted from
its `fn` line to its closing brace (rustfmt puts that brace alone in column 0)."""
import glob
import re
import sys

LIMIT = 15
# `#[server]` or `#[server(...)]` on its own line marks a server function; the same attribute on a
# parameter (`#[server(flatten)] form: ...`) is followed by a name, not by the end of the line.
SERVER_ATTR = re.compile(r"^#\[server(\(.*\))?\]\s*$")


def server_fns(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        if SERVER_ATTR.match(lines[i]):
            start = i
            while not re.search(r"\bfn \w+", lines[start]):
                start += 1
            end = start
            while lines[end] != "}":
                end += 1
            name = re.search(r"\bfn (\w+)", lines[start]).group(1)
            yield name, start + 1, end - start + 1
            i = end
        i += 1


def main():
    found = []
    for path in sorted(glob.glob("app/src/**/*.rs", recursive=True)):
        for name, line, length in server_fns(path):
            found.append((length, f"{path}:{line}", name))
    long = sorted((f for f in found if f[0] > LIMIT), reverse=True)
    print(f"{len(found)} server functions; {len(long)} longer than {LIMIT} lines")
    for length, where, name in long:
        print(f"  {where} {name}: {length} lines (move the logic into the feature's service)")
    return 1 if long else 0


if __name__ == "__main__":
    sys.exit(main())
