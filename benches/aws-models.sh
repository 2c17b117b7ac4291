#!/bin/sh
# Whole-run time and memory of `plansmith ast` and `plansmith check` over one model made of
# the first 100, 200 and all of the AWS service models (JSON AST) of aws/api-models-aws, with
# the AWS trait definitions of ../shared. The models are not part of this repository:
#
#   git clone --depth 1 https://github.com/aws/api-models-aws /tmp/api-models-aws
#   cargo build --release
#   benches/aws-models.sh /tmp/api-models-aws
#   JOBS=0 benches/aws-models.sh /tmp/api-models-aws 402    # one worker per core
#
# Runs with one worker thread unless JOBS says otherwise. Prints, per size: wall seconds, user and system CPU seconds, peak resident memory (KB), and
# the number of errors reported (0 expected: the models are valid). Scratch files go to a
# temporary folder that is removed at the end.
set -eu
models=${1:?usage: benches/aws-models.sh PATH-TO-api-models-aws [SIZES...]}
shift
sizes=${*:-100 200 all}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/target/release/plansmith
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
. "$root/benches/support/aws-traits.sh"
# The repository's layout (<service>/service/<version>/<name>.json), else a flat folder of models.
find "$models" -path '*/service/*.json' | sort > "$scratch/all.txt"
[ -s "$scratch/all.txt" ] || find "$models" -maxdepth 1 -name '*.json' | sort > "$scratch/all.txt"
for size in $sizes; do
    if [ "$size" = all ]; then cp "$scratch/all.txt" "$scratch/list.txt"; else head -n "$size" "$scratch/all.txt" > "$scratch/list.txt"; fi
    count=$(wc -l < "$scratch/list.txt")
    for command in ast check; do
        # shellcheck disable=SC2046
        /usr/bin/time -f "%e %U %S %M" -o "$scratch/time.txt" \
            "$bin" "$command" -j "${JOBS:-1}" "$scratch/traits" $(cat "$scratch/list.txt") \
            > /dev/null 2> "$scratch/stderr.txt" || true
        errors=$(grep -c '^error' "$scratch/stderr.txt" || true)
        # The last line: time prefixes a note when the command exits non-zero.
        read -r wall user sys kb <<EOF
$(tail -n 1 "$scratch/time.txt")
EOF
        echo "$command $count models: ${wall}s wall, ${user}s user, ${sys}s sys, ${kb} KB, $errors errors"
    done
done
