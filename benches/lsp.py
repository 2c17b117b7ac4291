#!/usr/bin/env python3
"""Latency of `plansmith lsp` after an edit, driven over JSON-RPC on a generated corpus.

    benches/lsp.py [--bin B] [--plans 1000] [--edits 30] [--work DIR]

Writes a corpus of N plans (benches/scale.py's generator), starts the server on it, opens one
plan and changes it EDITS times (typing into a Smithy documentation comment and into a diagram
label, alternately), timing each edit from the `didChange` sent to the publication of that
plan's diagnostics. Prints the start-up time, the edit latencies (min, median, 90th percentile,
max), the server's CPU time per edit, and, for a save, how soon a request is answered and when
the whole check (which runs in the background) is published. Wall time: run it on a quiet
machine, and give the load.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402


class Server:
    def __init__(self, binary, root):
        self.process = subprocess.Popen(
            [binary, "lsp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id:
                return message.get("result")

    def cpu_seconds(self):
        """The server's CPU time so far (user and system, every thread; Linux only), which the
        load of a shared machine disturbs less than wall time."""
        try:
            with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_for_publication(self, uri):
        while True:
            message = self.receive()
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and message["params"]["uri"] == uri
            ):
                return message["params"]["diagnostics"]


def main():
    parser = argparse.ArgumentParser()
    root_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--bin", default=os.path.join(root_dir, "target", "release", "plansmith"))
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--work")
    args = parser.parse_args()

    work = args.work or tempfile.mkdtemp(prefix="plansmith-lsp-")
    corpus = os.path.realpath(os.path.join(work, "corpus"))
    count = scale.generate(corpus, args.plans)
    plan = os.path.join(corpus, "g0000", "orders", "plan.md")
    uri = "file://" + plan
    with open(plan, encoding="utf-8") as f:
        text = f.read()

    server = Server(args.bin, corpus)
    started = time.perf_counter()
    server.request(
        "initialize", {"processId": None, "rootUri": "file://" + corpus, "capabilities": {}}
    )
    server.notify("initialized", {})
    server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    start_up = time.perf_counter() - started
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
    )
    server.wait_for_publication(uri)

    anchors = ["/// ", "title Orders service: containers"]
    latencies = []
    cpu_before = server.cpu_seconds()
    for edit in range(args.edits):
        anchor = anchors[edit % len(anchors)]
        at = text.index(anchor) + len(anchor)
        text = text[:at] + "x" + text[at:]
        sent = time.perf_counter()
        server.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": edit + 2},
                "contentChanges": [{"text": text}],
            },
        )
        server.wait_for_publication(uri)
        latencies.append(time.perf_counter() - sent)
        # Other files' publications of this edit come before the answer.
        server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})

    cpu_per_edit = (server.cpu_seconds() - cpu_before) / args.edits

    with open(plan, "w", encoding="utf-8") as f:
        f.write(text)
    sent = time.perf_counter()
    server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    # The whole check runs in the background: a request is answered meanwhile, and the saved
    # plan's diagnostics are published when it is done.
    server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    answered = time.perf_counter() - sent
    server.wait_for_publication(uri)
    save = time.perf_counter() - sent

    server.request("shutdown", None)
    server.notify("exit", None)
    server.process.wait(timeout=60)

    ms = sorted(x * 1000 for x in latencies)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    print(f"plans: {count}")
    print(f"start-up (initialize to first answer): {start_up:.2f} s")
    print(
        f"edit to publication, {len(ms)} edits: min {ms[0]:.1f} ms, median "
        f"{statistics.median(ms):.1f} ms, p90 {p90:.1f} ms, max {ms[-1]:.1f} ms"
    )
    print(f"server CPU time per edit (with its answer to a request): {cpu_per_edit * 1000:.1f} ms")
    print(f"save: a request answered after {answered * 1000:.1f} ms, whole check published after {save:.2f} s")


if __name__ == "__main__":
    main()
