#!/usr/bin/env python3
"""Renders the same mermaid diagrams with plansmith and, when they are installed, with
mermaid-cli (`mmdc`) and merman-cli, and prints CPU time, wall time and output size per tool
with the ratios to plansmith. Tools that are not installed are skipped.

    benches/compare.py [PLANS_DIR] [--limit N] [--bin PLANSMITH]

The diagrams are the mermaid blocks of PLANS_DIR (default: examples/plans), extracted with
`plansmith extract`. Each tool renders each diagram in its own process, as a CI step calling
it per file would, so the numbers include start-up (mmdc starts a browser every time).
Report CPU time (user+sys of the children): the machine may be shared.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_tool(name, command_for, diagrams, out_dir):
    """Renders every diagram with one tool; (cpu s, wall s, rendered, bytes) or None."""
    os.makedirs(out_dir, exist_ok=True)
    cpu_before, wall_before = children_cpu(), time.monotonic()
    rendered, size = 0, 0
    for index, diagram in enumerate(diagrams):
        target = os.path.join(out_dir, f"{index:04}.svg")
        result = subprocess.run(
            command_for(diagram, target),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if result.returncode == 0 and os.path.isfile(target):
            rendered += 1
            size += os.path.getsize(target)
    return children_cpu() - cpu_before, time.monotonic() - wall_before, rendered, size


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plans", nargs="?", default=os.path.join(ROOT, "examples", "plans"))
    parser.add_argument("--limit", type=int, default=40, help="at most this many diagrams")
    parser.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "plansmith"))
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="plansmith-compare-")
    try:
        extracted = os.path.join(work, "extracted")
        subprocess.run(
            [args.bin, "extract", "--no-config", "--out", extracted, args.plans],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        diagrams = sorted(
            os.path.join(folder, name)
            for folder, _, names in os.walk(extracted)
            for name in names
            if name.endswith(".mmd")
        )[: args.limit]
        if not diagrams:
            sys.exit(f"no mermaid diagrams found in {args.plans}")

        tools = [
            ("plansmith", [args.bin], lambda d, o: [args.bin, "render", d, "--output", o]),
            ("mermaid-cli", ["mmdc"], lambda d, o: ["mmdc", "--quiet", "-i", d, "-o", o]),
            ("merman-cli", ["merman-cli"], lambda d, o: ["merman-cli", "render", d, "--out", o]),
        ]
        print(f"# {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}: {len(diagrams)} diagrams from {args.plans}, load {os.getloadavg()[0]:.1f}")
        print(f"{'tool':<12} {'rendered':>8} {'cpu s':>8} {'wall s':>8} {'KB out':>8} {'cpu ×':>7} {'wall ×':>7} {'size ×':>7}")
        base = None
        for name, probe, command_for in tools:
            if shutil.which(probe[0]) is None:
                print(f"{name:<12} not installed, skipped")
                continue
            cpu, wall, rendered, size = run_tool(name, command_for, diagrams, os.path.join(work, name))
            if base is None:
                base = (cpu, wall, size)
            ratio = lambda value, reference: f"{value / reference:.2f}" if reference else "-"
            print(
                f"{name:<12} {rendered:>8} {cpu:>8.2f} {wall:>8.2f} {size / 1000:>8.0f} "
                f"{ratio(cpu, base[0]):>7} {ratio(wall, base[1]):>7} {ratio(size, base[2]):>7}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
