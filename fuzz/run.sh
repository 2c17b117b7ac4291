#!/usr/bin/env bash
# Runs the fuzz targets: fuzz/run.sh [SECONDS] [TARGET...]
#   SECONDS  how long each target runs (default 600)
#   TARGET   the targets to run (default: all, see `cargo +nightly fuzz list`)
# Environment: JOBS (targets run at once, default 1), NICE (niceness, default 19),
# MAX_LEN (largest input libFuzzer makes, default 16384), TIMEOUT (seconds one input may take
# before it counts as a hang, default 20), RSS_LIMIT_MB (default 2048). Leak detection is off:
# its stop-the-world scans stall a loaded machine, and a leak is no crash in a short-lived CLI.
# Seeds the corpora first when they are missing (seed.sh). Each target's log is in
# fuzz/logs/TARGET.log; crashes, hangs and OOMs are written to fuzz/artifacts/TARGET/ and the
# script exits 1 when any target found one. Needs a nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`).
set -uo pipefail
fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
cd "$fuzz_dir"
seconds="${1:-600}"
shift || true
jobs="${JOBS:-1}"
niceness="${NICE:-19}"
export MAX_LEN="${MAX_LEN:-16384}" TIMEOUT="${TIMEOUT:-20}" RSS_LIMIT_MB="${RSS_LIMIT_MB:-2048}"
export SECONDS_PER_TARGET="$seconds" NICENESS="$niceness"

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
[ -d corpus ] || ./seed.sh
mkdir -p logs artifacts
# One build of every target; the runs start the built binaries, so editing the sources while
# they run changes nothing.
nice -n "$niceness" cargo +nightly fuzz build > logs/build.log 2>&1 || { tail -n 20 logs/build.log >&2; exit 2; }
host="$(rustc +nightly -vV | sed -n 's/^host: //p')"
export BIN_DIR="$fuzz_dir/target/$host/release"

# run_one TARGET: one target for SECONDS_PER_TARGET, its summary on one line.
run_one() {
    local target="$1" log="logs/$1.log"
    mkdir -p "corpus/$target" "artifacts/$target"
    nice -n "$NICENESS" "$BIN_DIR/$target" "corpus/$target" -artifact_prefix="artifacts/$target/" \
        -max_total_time="$SECONDS_PER_TARGET" -max_len="$MAX_LEN" -timeout="$TIMEOUT" \
        -rss_limit_mb="$RSS_LIMIT_MB" -detect_leaks=0 -print_final_stats=1 > "$log" 2>&1
    local status=$?
    local runs
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)"
    printf '%-20s exit %d, %s runs in %ss, corpus %s, artifacts: %s\n' "$target" "$status" \
        "${runs:-?}" "$SECONDS_PER_TARGET" "$(find "corpus/$target" -type f | wc -l)" \
        "$(find "artifacts/$target" -type f | wc -l)"
    return "$status"
}
export -f run_one
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {}
