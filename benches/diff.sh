#!/bin/sh
# CPU time and memory of `plansmith diff` on large service models: each model named (JSON AST
# files of aws/api-models-aws, e.g. S3) against a second revision of itself with one operation
# unbound from its service and one documentation string per structure changed. The reference
# (`smithy diff`, warm JVM) needs about 0.5 s of CPU per pair.
#
#   benches/diff.sh /tmp/api-models-aws/models/s3/service/2006-03-01/s3-2006-03-01.json ...
#
# Prints per model: shapes, wall seconds, user and system CPU seconds, peak resident memory
# (KB) and the number of events reported. Loads the AWS trait definitions of ../shared.
set -eu
[ $# -gt 0 ] || { echo "usage: benches/diff.sh MODEL.json..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/target/release/plansmith
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
. "$root/benches/support/aws-traits.sh"
printf '%-40s %7s %6s %6s %6s %9s %7s\n' model shapes wall user sys maxrss events
for model in "$@"; do
    name=$(basename "$model" .json)
    python3 - "$model" "$scratch/$name.b.json" <<'PY'
import json, sys
model = json.load(open(sys.argv[1]))
shapes = model["shapes"]
service = next(s for s in shapes.values() if s["type"] == "service")
if service.get("operations"):
    service["operations"].pop()
for shape in shapes.values():
    for member in shape.get("members", {}).values():
        docs = member.get("traits", {})
        if "smithy.api#documentation" in docs:
            docs["smithy.api#documentation"] += " (revised)"
            break
json.dump(model, open(sys.argv[2], "w"))
PY
    count=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['shapes']))" "$model")
    /usr/bin/time -f "%e %U %S %M" -o "$scratch/time.txt" \
        "$bin" diff "$model" "$scratch/$name.b.json" --model-path "$scratch/traits" -j 1 \
        --fail-on never --format json > "$scratch/out.json"
    events=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['smithy']))" "$scratch/out.json")
    read -r wall user sys rss < "$scratch/time.txt"
    printf '%-40s %7s %6s %6s %6s %9s %7s\n' "$name" "$count" "$wall" "$user" "$sys" "$rss" "$events"
done
