#!/usr/bin/env bash
# The scaling check: throughput stays flat and memory stays put as the corpus grows.
#
#   bench/scaling.sh                 # 10k, 100k and 1M synthetic reports
#   SIZES="10k 100k" bench/scaling.sh
#
# For each size, sitrep-synth streams a JSONL corpus of short wire reports to
# bench/.work/ (git-ignored; 1M is about 0.8 GB), and sitrep-throughput runs
# the whole pipeline over it on one core, streamed, printing ten windows with
# their documents/s and resident memory, then a summary line per size.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=bench/.work
SIZES=${SIZES:-10k 100k 1M}
CORE=${CORE:-0}
PIN="taskset -c $CORE"
command -v taskset >/dev/null || PIN=""
mkdir -p "$WORK"
cargo build --release -q -p sitrep-bench --bins
BIN=target/release

count() { case "$1" in *k|*K) echo $(( ${1%?} * 1000 ));; *m|*M) echo $(( ${1%?} * 1000000 ));; *) echo "$1";; esac; }

RESULTS=$WORK/scaling-results.jsonl
: > "$RESULTS"
for size in $SIZES; do
  n=$(count "$size")
  f="$WORK/scale-$size.jsonl"
  [ -s "$f" ] || $BIN/sitrep-synth --docs "$n" --seed 11 --out "$f"
  echo "== $size documents" >&2
  $PIN $BIN/sitrep-throughput "$f" --stage pipeline --every $(( n / 10 )) --json | tee -a "$RESULTS" >/dev/null
done

python3 - "$RESULTS" <<'PY'
import json, sys
print(f"{'docs':>9} {'docs/s':>9} {'MB/s':>7} {'first→last window docs/s':>26} {'RSS first→last MiB':>20} {'peak RSS MiB':>13}")
for line in open(sys.argv[1]):
    r = json.loads(line)
    w = r["windows"]
    rate = f"{w[0]['docs_per_s']:.0f} → {w[-1]['docs_per_s']:.0f}" if w else "–"
    rss = f"{w[0]['rss_mib']:.0f} → {w[-1]['rss_mib']:.0f}" if w else "–"
    print(f"{r['docs']:>9} {r['docs_per_s']:>9.0f} {r['mb_per_s']:>7.2f} {rate:>26} {rss:>20} {r['peak_rss_mib']:>13.0f}")
PY
