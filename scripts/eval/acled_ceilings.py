#!/usr/bin/env python3
"""Upper bounds on what any text-only coder can score on the ACLED 2016 dev set.

`sitrep eval` gives each ACLED row's NOTES as a document published on the last
day of the event's month. Two of issue #4's bars (event location within 25 km,
event date exact) depend on facts that many notes do not state. This script
measures how many rows state them at all:

- location: rows where SOME entry of the shipped gazetteer whose name (or
  alternate name) occurs in the note, as a run of 1 to 4 words, lies within
  25 km (100 km) of the gold point. This oracle picks the best of every
  homonym of every word run, so it is generous: no geocoder using this
  gazetteer can place more rows within 25 km from the note alone.
- date: rows whose note states the gold day of the month explicitly
  ("5 January", "January 5th", "05/01/2016", "on the 5th").

Usage:
  python3 scripts/gazetteer/build.py --cache /tmp/gz --keep-tsv /tmp/entries.tsv --no-compile
  python3 scripts/eval/acled_ceilings.py --entries /tmp/entries.tsv [--eval ../shared/eval]

The eval data is read where it lies and nothing of it is written anywhere.
"""

import argparse
import collections
import csv
import math
import os
import re
import sys

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december"
          "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + MONTHS + r")\b", re.I)
MONTH_DAY = re.compile(r"\b(?:" + MONTHS + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.I)
NUMERIC = re.compile(r"\b(\d{1,2})[/.-]\d{1,2}[/.-]\d{2,4}\b")
THE_NTH = re.compile(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b", re.I)
WORD = re.compile(r"[\w'\u2019-]+")


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def load_points(path):
    """Lower-cased name -> list of (lat, lon), from the gazetteer's entries TSV."""
    points = collections.defaultdict(list)
    with open(path, encoding="utf-8") as f:
        header = None
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if line.startswith("#"):
                header = [c.strip("# ") for c in cols]
                continue
            row = dict(zip(header, cols))
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (KeyError, ValueError):
                continue
            names = [row.get("name", "")] + [n for n in row.get("names", "").split("|") if n]
            for n in names:
                n = n.strip().lower()
                if len(n) >= 3:
                    points[n].append((lat, lon))
    return points


def stated_days(note):
    days = set()
    for pat in (DAY_MONTH, MONTH_DAY, NUMERIC, THE_NTH):
        for m in pat.finditer(note):
            d = int(m.group(1))
            if 1 <= d <= 31:
                days.add(d)
    return days


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", required=True, help="the gazetteer's entries TSV (build.py --keep-tsv)")
    ap.add_argument("--eval", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "eval"),
                    help="the eval folder (default ../shared/eval)")
    args = ap.parse_args()
    points = load_points(args.entries)
    path = os.path.join(args.eval, "acled-africa-2016", "dev.csv")
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    within25 = within100 = named_day = 0
    for r in rows:
        glat, glon = float(r["LATITUDE"]), float(r["LONGITUDE"])
        words = [w.lower() for w in WORD.findall(r["NOTES"])]
        best = math.inf
        for i in range(len(words)):
            for n in range(1, 5):
                if i + n > len(words):
                    break
                for lat, lon in points.get(" ".join(words[i:i + n]), ()):
                    best = min(best, km(glat, glon, lat, lon))
        within25 += best <= 25
        within100 += best <= 100
        gold_day = int(r["EVENT_DATE"].split("/")[0])
        named_day += gold_day in stated_days(r["NOTES"])
    n = len(rows)
    print(f"{path}: {n} rows")
    print(f"location ceiling (some gazetteer name in the note within 25 km): {within25 / n:.3f} ({within25})")
    print(f"                 (within 100 km): {within100 / n:.3f} ({within100})")
    print(f"date ceiling (the note states the gold day of the month): {named_day / n:.3f} ({named_day})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
