#!/usr/bin/env python3
"""Time Python trafilatura over the HTML readability pages on one core.

Usage: trafilatura_pages.py DIR [--repeat N] [--out PRED.json]

DIR holds one folder per page with `source.html` and `expected.html`
(the readability evaluation set). Prints pages/s (best of N passes, one
thread) and the shingle F1 of trafilatura's text against the expected text,
with the same metric as sitrep-eval: 4-word shingles of `\\w+` tokens,
precision and recall per page, F1 per page, averaged over pages. `--out`
writes {page: text} so that sitrep-eval can score the same outputs.
"""

import argparse
import json
import os
import re
import sys
import time
from collections import Counter

import lxml.html
import trafilatura

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
BLOCK = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul", "img", "iframe", "video", "audio", "canvas", "svg", "math", "body", "html",
}


def shingles(text, n=4):
    toks = TOKEN_RE.findall(text)
    if not toks:
        return Counter()
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)))


def prf(expected, predicted):
    t, p = shingles(expected), shingles(predicted)
    tp = sum(min(c, p[k]) for k, c in t.items())
    fp = sum(p.values()) - tp
    fn = sum(t.values()) - tp
    if tp + fp + fn == 0:
        return 1.0, 1.0, 1.0
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def visible_text(html):
    """Text of an HTML fragment, blocks separated by newlines (scripts and styles dropped)."""
    if not html.strip():
        return ""
    root = lxml.html.fromstring(html)
    out = []

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("script", "style", "template", "noscript"):
            if el.tail:
                out.append(el.tail)
            return
        block = tag in BLOCK
        if block:
            out.append("\n")
        if el.text and isinstance(el.tag, str):
            out.append(el.text)
        for child in el:
            walk(child)
        if block:
            out.append("\n")
        if el.tail:
            out.append(el.tail)

    walk(root)
    return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    pages = []
    for name in sorted(os.listdir(args.dir)):
        src = os.path.join(args.dir, name, "source.html")
        if not os.path.isfile(src):
            continue
        with open(src, "rb") as f:
            html = f.read().decode("utf-8", errors="replace")
        with open(os.path.join(args.dir, name, "expected.html"), "rb") as f:
            expected = visible_text(f.read().decode("utf-8", errors="replace"))
        pages.append((name, html, expected))

    best = None
    outputs = {}
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        for name, html, _ in pages:
            outputs[name] = trafilatura.extract(html, include_comments=False) or ""
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)

    scores = [prf(exp, outputs[name]) for name, _, exp in pages]
    n = len(scores)
    p = sum(s[0] for s in scores) / n
    r = sum(s[1] for s in scores) / n
    f = sum(s[2] for s in scores) / n
    print(f"python-trafilatura {trafilatura.__version__}: pages={n} F1={f:.4f} P={p:.4f} R={r:.4f} "
          f"pages_per_s={n / best:.1f} ms_per_page={1000 * best / n:.2f}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(outputs, f, ensure_ascii=False, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
