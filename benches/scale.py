#!/usr/bin/env python3
"""Whole-run timings of `plansmith check` and `build` at several corpus sizes.

The corpus is made of the plans of `examples/plans`, copied into groups (`g0000/orders/plan.md`,
...) with each group's Smithy namespaces renamed (`com.harbor.` -> `com.harbor.gN.`), so every
copy is a valid plan with its own services, diagrams of every family, paginated operations and
links inside its group, as a real repository of plans would hold.

    benches/scale.py gen OUT N [--smithy-every K] [--unique-diagrams]
                                           write a corpus of N plans (rounded up to groups of 6)
    benches/scale.py time [--bin B] [--sizes 100,1000] [--jobs 1,2] [--work DIR]
                          [--smithy-every K] [--unique-diagrams]
                                           time check, build (full) and build (unchanged,
                                           one-plan diagram edit, one-plan prose edit) with
                                           /usr/bin/time -v; print a table

Report CPU time (user+sys): the machine may be shared, wall time is noisy.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples", "plans")


def example_plans():
    plans = {}
    for name in sorted(os.listdir(EXAMPLES)):
        path = os.path.join(EXAMPLES, name, "plan.md")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                plans[name] = f.read()
    return plans


# A Smithy fence of the example plans, opened with backticks or tildes, indented in a list item
# or not.
SMITHY_FENCE = re.compile(r"^([ \t]*)(```|~~~)smithy[^\n]*\n.*?^\1\2[ \t]*\n", re.S | re.M)
MERMAID_FENCE = re.compile(r"^([ \t]*)(```|~~~)mermaid[^\n]*\n(.*?)^\1\2[ \t]*\n", re.S | re.M)


def with_group_labels(diagram, g):
    """The diagram with a short word in its labels (node and edge labels of flowcharts, quoted
    labels, class members, ER attribute names, message, note and transition texts):
    three letters picked by the group's number and the label's place, so that each group's boxes
    have other widths, as a repository's diagrams do. Copies of one group would lay out the same
    graphs again, which plansmith recognises and does not repeat."""
    letters = "abcefikmorstwz"
    count = [0]

    def tag():
        i = count[0]
        count[0] += 1
        n = len(letters)
        return letters[(g + i) % n] + letters[(g // n + 2 * i) % n] + letters[(g // n // n + i) % n] + " "

    lines = diagram.split("\n")
    kind = (lines[0].split() or [""])[0]
    flowchart = kind in ("flowchart", "graph")
    in_braces = False
    for i, line in enumerate(lines):
        if i == 0 or line.lstrip().startswith("%%"):
            continue
        if line.rstrip().endswith("{"):
            in_braces = True
            continue
        if line.strip() == "}":
            in_braces = False
            continue
        if in_braces and kind == "erDiagram":
            # An attribute: type name [keys] ["comment"]; the name gets the word as a suffix.
            line = re.sub(r"^(\s+\S+\s+\w+)", lambda m: m.group(1) + "_" + tag().strip(), line)
        elif in_braces and kind == "classDiagram":
            # A member: [visibility] text.
            line = re.sub(r"^(\s+[-+#~]?)(?=\w)", lambda m: m.group(1) + tag(), line)
        if flowchart:
            # Shapes after a node id: id[text], id[(text)], id{text}, ...
            line = re.sub(r"(\w)(\[\[|\[\(|\(\[|\(\(|\[|\(|\{)(?=[A-Za-z])", lambda m: m.group(1) + m.group(2) + tag(), line)
            # Edge labels: -->|text|
            line = re.sub(r"([>-])\|(?=[A-Za-z])", lambda m: m.group(1) + "|" + tag(), line)
        # Quoted labels, not attribute values (name="...").
        line = re.sub(r'(?<![=\w])"(?=[A-Za-z])', lambda m: '"' + tag(), line)
        # Message, note and transition texts after a colon.
        line = re.sub(r"^(\s*[^:%]*?(?:->>|-->>|->|-->|-x|--x|-\)|--\)|Note [^:]*)\s*[^:]*:\s*)(?=[A-Za-z])", lambda m: m.group(1) + tag(), line)
        lines[i] = line
    return "\n".join(lines)


def generate(out, n, smithy_every=1, unique_diagrams=False):
    """Writes at least n plans under out (whole groups of the example plans). With smithy_every
    K > 1, only every K-th group keeps its Smithy interfaces; the others keep their prose,
    diagrams and dependencies (plans whose interfaces live elsewhere). The example plans all
    define a service; K = 4 gives the issue's mix of a quarter of the plans with one. With
    unique_diagrams, each group's diagram labels carry words picked by the group's number
    (see with_group_labels)."""
    plans = example_plans()
    groups = -(-n // len(plans))
    if os.path.exists(out):
        shutil.rmtree(out)
    for g in range(groups):
        for name, text in plans.items():
            folder = os.path.join(out, f"g{g:04}", name)
            os.makedirs(folder)
            renamed = text.replace("com.harbor.", f"com.harbor.g{g}.")
            if g % smithy_every != 0:
                renamed = SMITHY_FENCE.sub("", renamed)
            if unique_diagrams:
                renamed = MERMAID_FENCE.sub(
                    lambda m: m.group(0).replace(m.group(3), with_group_labels(m.group(3), g)), renamed
                )
            with open(os.path.join(folder, "plan.md"), "w", encoding="utf-8") as f:
                f.write(renamed)
    return groups * len(plans)


def edit_one_plan(corpus):
    """Changes one label of one diagram of one plan (a typical one-plan edit)."""
    path = os.path.join(corpus, "g0000", "orders", "plan.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    stamp = f"edited {time.time_ns()}"
    text = re.sub(r'title Orders service: containers[^\n]*', f"title Orders service: containers {stamp}", text, count=1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def edit_one_plans_prose(corpus):
    """Adds a sentence to the prose of one plan (no diagram, interface or heading changes)."""
    path = os.path.join(corpus, "g0000", "orders", "plan.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    stamp = f"Edited {time.time_ns()}."
    text = text.replace("## Overview\n", f"## Overview\n\n{stamp}\n", 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def timed(cmd):
    """Runs cmd under /usr/bin/time -v; returns (cpu s, wall s, peak RSS MB, exit status)."""
    result = subprocess.run(
        ["/usr/bin/time", "-v"] + cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return time_v_fields(result.stderr) + (result.returncode,)


def time_v_fields(stderr):
    """(cpu s, wall s, peak RSS MB) from the report of /usr/bin/time -v."""
    fields = {}
    for line in stderr.splitlines():
        if ":" in line:
            key, _, value = line.strip().rpartition(": ")
            fields[key] = value
    user = float(fields.get("User time (seconds)", "nan"))
    system = float(fields.get("System time (seconds)", "nan"))
    wall = fields.get("Elapsed (wall clock) time (h:mm:ss or m:ss)", "0:0")
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    rss = int(fields.get("Maximum resident set size (kbytes)", "0")) / 1024
    return user + system, seconds, rss


def folder_mb(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(dirpath, name))
    return total / 1e6


def time_all(args):
    binary = args.bin or os.path.join(ROOT, "target", "release", "plansmith")
    work = args.work or tempfile.mkdtemp(prefix="plansmith-scale-")
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs = [int(j) for j in args.jobs.split(",")]
    print(f"# {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, {binary}, load {os.getloadavg()[0]:.1f}, Smithy in every {args.smithy_every} group(s), {'unique' if args.unique_diagrams else 'repeated'} diagrams")
    print(f"{'plans':>6} {'jobs':>4} {'run':<16} {'cpu s':>8} {'wall s':>8} {'rss MB':>8} {'out MB':>8} {'files':>7}")
    for size in sizes:
        corpus = os.path.join(work, f"corpus-{size}")
        plans = generate(corpus, size, args.smithy_every, args.unique_diagrams)
        for j in jobs:
            out = os.path.join(work, f"out-{size}-{j}")
            if os.path.exists(out):
                shutil.rmtree(out)
            runs = [
                ("check", ["check", "--no-config", "-q", "--fail-on", "never", "-j", str(j), corpus]),
                ("build full", None),
                ("build unchanged", None),
                ("build one edit", None),
                ("build prose", None),
            ]
            build = ["build", "--no-config", "-q", "--fail-on", "never", "-j", str(j), "-o", out, corpus]
            wanted = args.runs.split(",")
            for name, cmd in runs:
                if name.split()[-1] not in wanted and name != "build full":
                    continue
                if name == "build one edit":
                    edit_one_plan(corpus)
                if name == "build prose":
                    edit_one_plans_prose(corpus)
                cpu, wall, rss, status = timed([binary] + (cmd or build))
                size_mb, files = ("", "")
                if cmd is None:
                    size_mb = f"{folder_mb(out):.1f}"
                    files = str(sum(len(f) for _, _, f in os.walk(out)))
                flag = "" if status == 0 else f" (exit {status})"
                print(f"{plans:>6} {j:>4} {name:<16} {cpu:>8.2f} {wall:>8.2f} {rss:>8.0f} {size_mb:>8} {files:>7}{flag}", flush=True)
            shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(corpus, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("gen")
    gen.add_argument("out")
    gen.add_argument("n", type=int)
    gen.add_argument("--smithy-every", type=int, default=1, help="keep Smithy in every K-th group")
    gen.add_argument("--unique-diagrams", action="store_true", help="give each group's diagram labels words of its own (no layout repeats)")
    t = sub.add_parser("time")
    t.add_argument("--bin")
    t.add_argument("--sizes", default="100,1000,10000")
    t.add_argument("--jobs", default="1,2")
    t.add_argument("--work")
    t.add_argument("--smithy-every", type=int, default=1, help="keep Smithy in every K-th group")
    t.add_argument("--unique-diagrams", action="store_true", help="give each group's diagram labels words of its own (no layout repeats)")
    t.add_argument("--runs", default="check,full,unchanged,edit,prose", help="which runs, comma-separated")
    args = parser.parse_args()
    if args.command == "gen":
        plans = generate(args.out, args.n, args.smithy_every, args.unique_diagrams)
        print(f"wrote {plans} plans to {args.out}", file=sys.stderr)
    else:
        time_all(args)


if __name__ == "__main__":
    main()
