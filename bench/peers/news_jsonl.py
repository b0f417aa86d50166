#!/usr/bin/env python3
"""Writes the article texts of the geoparsing evaluation sets as JSONL.

Real news text for bench/compare.sh, so that sitrep and its peers are also
timed on what journalists write, not only on sitrep's synthetic reports.
The output goes to bench/.work/ (git-ignored): evaluation data is never
copied into the repository.

Usage: news_jsonl.py EVAL_DIR > news.jsonl   (reads geoparsing/GWN.xml and geoparsing/lgl.xml)
"""
import json
import os
import sys
import xml.etree.ElementTree as ET


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    n = 0
    for name in ("GWN.xml", "lgl.xml"):
        path = os.path.join(root, "geoparsing", name)
        if not os.path.exists(path):
            continue
        for i, art in enumerate(ET.parse(path).getroot().iter("article")):
            text = art.findtext("text") or ""
            if text.strip():
                print(json.dumps({"id": f"{name}-{i}", "text": text}))
                n += 1
    if n == 0:
        sys.exit(f"no article text found under {root}/geoparsing")


if __name__ == "__main__":
    main()
