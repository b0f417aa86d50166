#!/usr/bin/env bash
# HTML main text, side by side on one core: sitrep's extractor vs Python trafilatura,
# on the readability pages (both scored by the same metric: sitrep-eval's shingle F1).
#
#   bench/html.sh [DIR]     # DIR defaults to $SITREP_EVAL/html/readability (../shared/eval/...)
#   REPEAT=5 bench/html.sh  # passes per extractor; the best pass gives pages/s
#
# The peer lives in bench/.work/venv (git-ignored), made here with pip from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

EVAL=${SITREP_EVAL:-../shared/eval}
DIR=${1:-$EVAL/html/readability}
REPEAT=${REPEAT:-3}
CORE=${CORE:-0}
WORK=bench/.work
VENV=$WORK/venv
PIN="taskset -c $CORE"
command -v taskset >/dev/null || PIN=""
mkdir -p "$WORK"

[ -d "$DIR" ] || { echo "bench/html.sh: $DIR not found (set SITREP_EVAL or give the readability folder)" >&2; exit 2; }
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c 'import trafilatura, lxml_html_clean' 2>/dev/null; then
  "$VENV/bin/pip" install -q 'trafilatura==2.3.1' 'lxml_html_clean==0.4.6'
fi
cargo build --release -q -p sitrep-bench --bin html_pages

py=$($PIN "$VENV/bin/python" bench/peers/trafilatura_pages.py "$DIR" --repeat "$REPEAT" --out "$WORK/trafilatura-texts.json")
rs=$($PIN target/release/html_pages "$DIR" --repeat "$REPEAT" --score-json "$WORK/trafilatura-texts.json" --label python-trafilatura)
echo "$py"
echo "$rs"
py_pps=$(sed -n 's/.*pages_per_s=\([0-9.]*\).*/\1/p' <<<"$py")
rs_pps=$(sed -n 's/^sitrep:.*pages\/s=\([0-9.]*\).*/\1/p' <<<"$rs" | head -1)
awk -v a="$rs_pps" -v b="$py_pps" 'BEGIN { if (b > 0) printf "html: sitrep %.1f pages/s, python-trafilatura %.1f pages/s, ratio %.1fx (one core each)\n", a, b, a / b }'
