#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The zcpipe authors
#
# include-graph.sh [ROOT]: print the folder-level include graph of lib/ and
# app/ (what each folder's files include of other folders), and fail when
# the layering is broken:
#
#  - a cycle between modules: a module is a .c file and the .h of the same
#    name beside it (lib/route/control.c, lib/core/zc_trace.[ch]), so two
#    files that include each other's headers form a cycle;
#  - a cycle between folders (acl -> actions -> acl);
#  - lib/core/ including any other folder: every feature depends on core,
#    core on nothing of theirs.
#
# scripts/include-graph.allow lists the edges let pass while the work that
# removes them is under way (each with its reason); the graph printed
# shows them, the checks leave them out, and an entry whose edge is gone
# is reported so that it is deleted.
#
# Only #include "..." lines count; a name is looked up under lib/, then
# beside the including file (app/zc_app.h); what is found in neither (the
# generated zc_version.h) is left out. ROOT defaults to the repository.
# Exit 0 if the graph is clean, 1 with every problem listed otherwise.
# docs/architecture.md says which folder may use which.
set -eu
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
exec /usr/bin/python3 - "$ROOT" <<'EOP'
import os, re, sys

root = sys.argv[1]
inc_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
files = []
for top in ("lib", "app"):
    for d, _, names in os.walk(os.path.join(root, top)):
        files += [os.path.join(d, n) for n in names if n.endswith((".c", ".h"))]
files.sort()

def module(path):
    """folder/name of a file, without its extension."""
    rel = os.path.relpath(path, root)
    parts = rel.split(os.sep)
    if parts[0] == "lib":
        parts = parts[1:]
    return "/".join(parts)[:-2]

def folder(mod):
    return mod.split("/")[0]

allowed = set()
allow_file = os.path.join(root, "scripts", "include-graph.allow")
if os.path.isfile(allow_file):
    with open(allow_file) as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                a, b = (x.strip() for x in line.split("->"))
                allowed.add((a, b))

mods = {}    # module -> set of modules it includes
for f in files:
    m = module(f)
    deps = mods.setdefault(m, set())
    with open(f, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            r = inc_re.match(line)
            if not r:
                continue
            for cand in (os.path.join(root, "lib", r.group(1)),
                         os.path.join(os.path.dirname(f), r.group(1))):
                if os.path.isfile(cand):
                    t = module(cand)
                    if t != m:
                        deps.add(t)
                    break

def cycles(graph):
    """Every elementary cycle found by a depth-first search, one per back edge."""
    out, state, stack = [], {}, []
    def visit(n):
        state[n] = 1
        stack.append(n)
        for t in sorted(graph.get(n, ())):
            if state.get(t) == 1:
                out.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[n] = 2
    for n in sorted(graph):
        if n not in state:
            visit(n)
    return out

seen_allowed = set()
checked = {}   # mods without the allowed edges
for m, deps in mods.items():
    checked[m] = set()
    for t in deps:
        if (m, t) in allowed:
            seen_allowed.add((m, t))
        else:
            checked[m].add(t)

fgraph = {}
for m, deps in mods.items():
    for t in deps:
        if folder(t) != folder(m):
            fgraph.setdefault(folder(m), set()).add(folder(t))
    fgraph.setdefault(folder(m), set())

print("folder include graph (folder -> folders it includes):")
for f in sorted(fgraph):
    print("  %-10s -> %s" % (f, " ".join(sorted(fgraph[f])) or "-"))

cfgraph = {}
for m, deps in checked.items():
    cfgraph.setdefault(folder(m), set())
    for t in deps:
        if folder(t) != folder(m):
            cfgraph[folder(m)].add(folder(t))

for a, b in sorted(allowed):
    print("allowed for now (scripts/include-graph.allow): %s -> %s%s" %
          (a, b, "" if (a, b) in seen_allowed else
           ": gone from the tree, delete the entry"))

bad = []
for c in cycles(checked):
    bad.append("module cycle: " + " -> ".join(c))
for c in cycles(cfgraph):
    bad.append("folder cycle: " + " -> ".join(c))
for m in sorted(checked):
    if folder(m) != "core":
        continue
    for t in sorted(checked[m]):
        if folder(t) != "core":
            bad.append("core includes a feature: %s -> %s" % (m, t))
if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
print("no cycle; core includes no feature%s" %
      (" (but for the edges allowed above)" if seen_allowed else ""))
EOP
