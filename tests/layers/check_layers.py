#!/usr/bin/env python3
"""Checks that the library's layers run one way (docs/library.md,
"Architecture"): a file of an area includes only headers of its own area or
of a lower layer, public headers (include/maillage/) included; and that
there is no include cycle between headers.

Usage: check_layers.py REPOSITORY_ROOT. Exit 1 with one line per violation.
"""

import os
import re
import sys

# Layer of each area of src/ (0 lowest). An area may include its own headers
# and those of areas of a strictly lower layer.
AREA_LAYER = {
    "base": 0, "data": 0,
    "model": 1, "geo": 1, "flow": 1,
    "network": 2,
    "rank": 3,
    "allocate": 4,
    "synth": 5, "io": 5, "import": 5, "analyze": 5,
    "report": 6, "journal": 6,
    "cli": 7,
}

# The area each public header belongs to.
PUBLIC_AREA = {
    "progress.h": "base",
    "ids.h": "model", "vocabulary.h": "model", "model.h": "model",
    "referral.h": "model",
    "geo.h": "geo",
    "problem.h": "network", "schema.h": "network", "network.h": "network",
    "edit.h": "network",
    "rank.h": "rank",
    "allocate.h": "allocate", "session.h": "allocate",
    "summary.h": "allocate",
    "synth.h": "synth",
    "io.h": "io", "export.h": "io", "geojson.h": "io",
    "import.h": "import",
    "analyze.h": "analyze", "partner_graph.h": "analyze", "gaps.h": "analyze",
    "report.h": "report", "journal.h": "journal",
    "maillage.h": "cli",
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def area_of_include(path):
    """The area of an included header, or None when it is not ours."""
    head, _, name = path.partition("/")
    if head == "maillage":
        return PUBLIC_AREA.get(name, "?public:" + name)
    if head in AREA_LAYER:
        return head
    return None


def main(root):
    problems = []
    graph = {}
    files = []
    for base, area_dir in (("src", None), ("include/maillage", "public")):
        top = os.path.join(root, base)
        for dirpath, _, names in os.walk(top):
            for n in names:
                if n.endswith((".h", ".cc")):
                    files.append(os.path.join(dirpath, n))
    for f in sorted(files):
        rel = os.path.relpath(f, root)
        parts = rel.split(os.sep)
        if parts[0] == "include":
            area = PUBLIC_AREA.get(parts[2])
            key = "maillage/" + parts[2]
            if area is None:
                problems.append(f"{rel}: public header of no known area")
                continue
        else:
            area = parts[1]
            key = "/".join(parts[1:])
            if area not in AREA_LAYER:
                problems.append(f"{rel}: area '{area}' has no layer")
                continue
        text = open(f, encoding="utf-8").read()
        deps = []
        for inc in INCLUDE.findall(text):
            dep_area = area_of_include(inc)
            if dep_area is None:
                continue
            if dep_area.startswith("?"):
                problems.append(f"{rel}: includes unknown {inc}")
                continue
            deps.append(inc)
            if dep_area == area:
                continue
            if AREA_LAYER[dep_area] >= AREA_LAYER[area]:
                problems.append(
                    f"{rel}: {area} (layer {AREA_LAYER[area]}) includes "
                    f"{inc} ({dep_area}, layer {AREA_LAYER[dep_area]})")
        if f.endswith(".h"):
            graph[key] = [d for d in deps]
    # Include cycles among headers.
    state = {}

    def visit(node, stack):
        state[node] = 1
        for d in graph.get(node, []):
            if state.get(d) == 1:
                cycle = stack[stack.index(d):] + [d] if d in stack else [node, d]
                problems.append("include cycle: " + " -> ".join(cycle))
            elif state.get(d) is None:
                visit(d, stack + [d])
        state[node] = 2

    for node in sorted(graph):
        if state.get(node) is None:
            visit(node, [node])
    for p in problems:
        print(p)
    print(f"{len(files)} files checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
