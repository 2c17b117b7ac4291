#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seed inputs from the conformance material beside the
# repository (../shared) and from examples/. Files above MAX_SEED_BYTES (default 64 KiB) are
# left out: large seeds slow every run and add little. Seeds are named by content hash, so
# running this again only adds what is new.
set -euo pipefail
fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$fuzz_dir")"
shared="${PLANSMITH_SHARED:-$repo/../shared}"
conformance="$shared/conformance"
max_bytes="${MAX_SEED_BYTES:-65536}"
corpus="$fuzz_dir/corpus"

# seed TARGET FILE...: copies each file no larger than max_bytes into the target's corpus.
seed() {
    local target="$1"
    shift
    mkdir -p "$corpus/$target"
    local file
    for file in "$@"; do
        [ -f "$file" ] || continue
        [ "$(wc -c < "$file")" -le "$max_bytes" ] || continue
        cp "$file" "$corpus/$target/$(sha1sum < "$file" | cut -c1-40)"
    done
}

# files DIR PATTERN: the files under DIR named like PATTERN (nothing when DIR is missing).
files() {
    [ -d "$1" ] && find "$1" -type f -name "$2" -print0 | sort -z | xargs -0 -r printf '%s\n'
    return 0
}

if [ ! -d "$conformance" ]; then
    echo "seed.sh: $conformance not found; seeding from examples/ only" >&2
fi

mapfile -t plans < <(files "$repo/examples" '*.md'; files "$conformance/smithy" '*.md'; files "$conformance/smithy-diff" '*.md')
seed plan_reader "${plans[@]}"
seed check_plan "${plans[@]}"

# The examples' blocks as files, through plansmith's own extract (when it is built).
blocks="$(mktemp -d)"
trap 'rm -rf "$blocks"' EXIT
plansmith="$repo/target/release/plansmith"
if [ -x "$plansmith" ]; then
    "$plansmith" extract "$repo/examples" --out "$blocks" --no-config > /dev/null 2>&1 || true
fi

mapfile -t idl < <(files "$conformance/smithy" '*.smithy'; files "$conformance/smithy-diff" '*.smithy'; files "$blocks" '*.smithy')
seed smithy_idl "${idl[@]}"
mapfile -t json < <(files "$conformance/smithy" '*.json')
seed smithy_json "${json[@]}"

all_diagrams=()
for family in flowchart sequence class er state c4; do
    mapfile -t diagrams < <(files "$conformance/mermaid/corpus/$family" '*.mmd'; files "$conformance/mermaid/mutants/$family" '*')
    seed "mermaid_$family" "${diagrams[@]}"
    all_diagrams+=("${diagrams[@]}")
done
mapfile -t example_diagrams < <(files "$blocks" '*.mmd')
seed render "${all_diagrams[@]}" "${example_diagrams[@]}"
for family in flowchart sequence class er state c4; do
    # The examples' diagrams go to every family's parser: parse_as adds the keyword it needs.
    seed "mermaid_$family" "${example_diagrams[@]}"
done

# Whole plans around the corpora's blocks (every 8th file of each), so the check target starts
# from plans whose blocks already reach the parsers.
wrapped="$blocks/wrapped"
mkdir -p "$wrapped"
wrap() {
    local lang="$1" n=0 file
    shift
    for file in "$@"; do
        n=$((n + 1))
        [ $((n % 8)) -eq 0 ] || continue
        [ "$(wc -c < "$file")" -le "$max_bytes" ] || continue
        {
            printf '# A plan\n\n**Status:** Draft\n\n## Design\n\n```%s\n' "$lang"
            cat "$file"
            printf '\n```\n'
        } > "$wrapped/$lang-$n.md"
    done
}
wrap smithy "${idl[@]}"
wrap mermaid "${all_diagrams[@]}"
mapfile -t wrapped_plans < <(files "$wrapped" '*.md')
seed check_plan "${wrapped_plans[@]}"

for target in "$corpus"/*; do
    printf '%-20s %5d seeds\n' "$(basename "$target")" "$(find "$target" -type f | wc -l)"
done
