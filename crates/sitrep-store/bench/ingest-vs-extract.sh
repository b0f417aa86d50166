#!/usr/bin/env bash
# Ingest throughput against `sitrep extract` on the same corpus.
#
#   crates/sitrep-store/bench/ingest-vs-extract.sh CORPUS.jsonl [RUNS] [SITREP]
#
# Runs `sitrep extract CORPUS -o out.jsonl` and `sitrep ingest CORPUS --db new.db`
# (fusion included) alternately RUNS times (default 3) with the same thread
# count, and prints documents/s for each run (wall clock), the best of each,
# and their ratio, plus CPU seconds (user+sys), which a busy machine disturbs
# less than wall time. Make a corpus with
#   cargo run --release -p sitrep-bench --bin sitrep-synth -- --docs 20000 --long --out corpus.jsonl
# (reports written for the project, about three events each), or one of real
# news articles from the evaluation sets (about one event each):
#   crates/sitrep-store/bench/real-news-corpus.py corpus.jsonl
# With NO_FUSE=1 in the environment, each run also times `sitrep ingest
# --no-fuse` (documents and events stored, fusion left pending): the
# difference is what fusion costs.
set -euo pipefail
corpus=${1:?usage: ingest-vs-extract.sh CORPUS.jsonl [RUNS] [SITREP]}
runs=${2:-3}
sitrep=${3:-target/release/sitrep}
docs=$(grep -c . "$corpus")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() { # label, command... ; prints "label wall cpu"
    local label=$1; shift
    if ! /usr/bin/time -o "$work/time" -f "%e %U %S" "$@" >/dev/null 2>"$work/err"; then
        echo "ingest-vs-extract: $label failed:" >&2; cat "$work/err" >&2; exit 1
    fi
    read -r wall user sys <"$work/time"
    echo "$label $wall $(echo "$user + $sys" | bc)"
}
best_e=999999; best_i=999999; best_n=999999; cpu_e=0; cpu_i=0
for r in $(seq 1 "$runs"); do
    rm -f "$work"/out.jsonl "$work"/new.db*
    read -r _ we ce < <(measure extract "$sitrep" extract "$corpus" -q -o "$work/out.jsonl")
    read -r _ wi ci < <(measure ingest "$sitrep" ingest "$corpus" -q --db "$work/new.db")
    printf 'run %d: extract %.2f s (%.0f docs/s, %.2f CPU s)  ingest %.2f s (%.0f docs/s, %.2f CPU s)' \
        "$r" "$we" "$(echo "$docs / $we" | bc -l)" "$ce" "$wi" "$(echo "$docs / $wi" | bc -l)" "$ci"
    if [ -n "${NO_FUSE:-}" ]; then
        rm -f "$work"/new.db*
        read -r _ wn cn < <(measure no-fuse "$sitrep" ingest "$corpus" -q --no-fuse --db "$work/new.db")
        printf '  ingest --no-fuse %.2f s (%.2f CPU s)' "$wn" "$cn"
        best_n=$(echo "if ($wn < $best_n) $wn else $best_n" | bc -l)
    fi
    echo
    best_e=$(echo "if ($we < $best_e) $we else $best_e" | bc -l)
    best_i=$(echo "if ($wi < $best_i) $wi else $best_i" | bc -l)
    cpu_e=$(echo "$cpu_e + $ce" | bc -l); cpu_i=$(echo "$cpu_i + $ci" | bc -l)
done
printf 'best: extract %.0f docs/s, ingest %.0f docs/s: ingest/extract = %.2f (wall), %.2f (CPU)\n' \
    "$(echo "$docs / $best_e" | bc -l)" "$(echo "$docs / $best_i" | bc -l)" \
    "$(echo "$best_e / $best_i" | bc -l)" "$(echo "$cpu_e / $cpu_i" | bc -l)"
if [ -n "${NO_FUSE:-}" ]; then
    printf 'best ingest --no-fuse: %.0f docs/s: /extract = %.2f (wall)\n' \
        "$(echo "$docs / $best_n" | bc -l)" "$(echo "$best_e / $best_n" | bc -l)"
fi
