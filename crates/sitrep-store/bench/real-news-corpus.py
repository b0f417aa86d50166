#!/usr/bin/env python3
"""A JSON Lines corpus of real news articles for ingest-vs-extract.sh.

    crates/sitrep-store/bench/real-news-corpus.py OUT.jsonl [EDITIONS] [SHARED]

Reads the articles of the geoparsing evaluation sets in SHARED/eval/geoparsing
(LGL: 588 local news articles; GeoWebNews: 200 articles; SHARED defaults to
../shared beside the repository) and writes them EDITIONS times (default 10),
each edition with its own id and a last line "(Edition N.)", so that no copy
is a duplicate of another: 7,880 documents by default. The editions of an
article report the same events, so fusion has many reports to merge, as it
would when many outlets carry one story.

The corpus is written outside the repository and never committed: the
articles are evaluation data (see SHARED/eval/README.md for their terms).
The synthetic corpus (`sitrep-synth --long`) is the other benchmark: reports
written for the project, denser in events than real news.
"""
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def articles(shared: Path):
    """(id, title, text, published, outlet, url) of each article."""
    lgl = ET.parse(shared / "eval/geoparsing/lgl.xml").getroot()
    for a in lgl.iter("article"):
        published = (a.findtext("dltime") or "")[:10] or None
        yield f"lgl-{a.get('docid')}", a.findtext("title"), a.findtext("text"), published, a.findtext("domain"), a.findtext("url")
    gwn = ET.parse(shared / "eval/geoparsing/GWN.xml").getroot()
    for a in gwn.iter("article"):
        yield f"gwn-{a.get('file')}", a.findtext("title"), a.findtext("text"), None, None, a.findtext("link")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    editions = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    shared = Path(sys.argv[3]) if len(sys.argv) > 3 else Path(__file__).resolve().parents[3] / "../shared"
    docs = list(articles(shared))
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for edition in range(1, editions + 1):
            for key, title, text, published, outlet, url in docs:
                values = {"title": title or "", "published": published, "outlet": outlet, "url": url}
                record = {"id": f"{key}-ed{edition}", "text": f"{text or ''}\n\n(Edition {edition}.)"}
                record.update((k, v) for k, v in values.items() if v is not None)
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
    print(f"wrote {n} documents ({len(docs)} articles x {editions} editions) to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
