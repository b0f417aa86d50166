#!/usr/bin/env python3
"""Rebuilds crates/sitrep-readable/data/html-entities.tsv from Python's
html.entities.html5 (the WHATWG table of named character references).

Usage: python3 scripts/html-entities.py > crates/sitrep-readable/data/html-entities.tsv
"""
import html.entities

print("# HTML named character references (the WHATWG HTML table).")
print("# name (with ';' when required)<TAB>code points in hex, space-separated")
for name in sorted(html.entities.html5):
    print(name + "\t" + " ".join("%X" % ord(c) for c in html.entities.html5[name]))
