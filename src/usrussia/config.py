"""Every path and constant the project shares, derived from the project root.

Paths follow cookiecutter-data-science: ``data/raw`` is immutable input,
``data/external`` holds third-party resources, ``data/interim`` and
``data/processed`` are generated, ``reports`` receives the HTML reports.
Set ``USRUSSIA_ROOT`` to point the package at another checkout.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("USRUSSIA_ROOT", Path(__file__).resolve().parents[2]))
DATA = PROJECT_ROOT / "data"
RAW = DATA / "raw"
EXTERNAL = DATA / "external"
INTERIM = DATA / "interim"
PROCESSED = DATA / "processed"
REPORTS = PROJECT_ROOT / "reports"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
STUDIES = PROJECT_ROOT / "studies"  # study files: the research designs
SHIPPED_STUDY = STUDIES / "shipped.toml"  # the shipped corpus's study

NLTK_DATA = EXTERNAL / "nltk_data"
NLTK_STOPWORDS_ENGLISH = NLTK_DATA / "corpora" / "stopwords" / "english"
STOPWORDS_KEEP = EXTERNAL / "stopwords" / "keep.txt"  # English stopwords that carry content here
STOPWORDS_DOMAIN = EXTERNAL / "stopwords" / "domain.txt"  # reporting verbs, honorifics, dates
EVENTS_CSV = EXTERNAL / "events.csv"
OUTLET_GROUPS_CSV = EXTERNAL / "outlet_groups.csv"  # outlet,group: e.g. Russian state media
ENTITY_ALIASES_CSV = EXTERNAL / "entity_aliases.csv"
CORPUS_PARQUET = PROCESSED / "corpus.parquet"
IMPORTED_PARQUET = PROCESSED / "imported.parquet"  # corpus import
GDELT_EVENTS_PARQUET = PROCESSED / "gdelt_events.parquet"  # corpus import --format gdelt-events
GDELT_TONE_PARQUET = PROCESSED / "gdelt_tone.parquet"  # corpus import of a GDELT tone timeline
QUARANTINE_JSONL = INTERIM / "quarantine.jsonl"
SENTIMENT_QUARANTINE_JSONL = INTERIM / "sentiment_quarantine.jsonl"
RAW_MANIFEST = RAW / "MANIFEST.csv"
# Sentiment: the human-rated NYT sentences, the shipped model, the open lexicons.
NYT_RATINGS = EXTERNAL / "vader" / "nytEditorialSnippets_GroundTruth.txt"
NYT_RATERS = EXTERNAL / "vader" / "nytEditorialSnippets_anonDataRatings.txt"  # 20 per sentence
MODEL_JSON = EXTERNAL / "sentiment_model.json"
# The score refitted on the NYT ratings and NewsMTSC's training split (sentiment fit --news).
MODEL_NEWS_JSON = EXTERNAL / "sentiment_model_news.json"
# NewsMTSC (Hamborg & Donnay, EACL 2021): news sentences rated towards named people, per split.
NEWSMTSC = EXTERNAL / "validation" / "newsmtsc"
NEWSMTSC_SPLITS = ("train", "devtest_rw", "devtest_mt")
NEWSMTSC_JSONL = {split: NEWSMTSC / f"{split}.jsonl" for split in NEWSMTSC_SPLITS}
AFINN_TXT = EXTERNAL / "lexicons" / "AFINN-en-165.txt"
PATTERN_XML = EXTERNAL / "lexicons" / "pattern-en-sentiment.xml"

# The levels of measurement of Krippendorff's alpha (coding sheets, study files).
ALPHA_LEVELS = ("nominal", "ordinal", "interval", "ratio")
SEED = 20170707  # the Hamburg meeting; every random step defaults to this seed

# US administrations by inauguration day. A term begins at noon US Eastern time on
# 20 January (ERA_TIMEZONE, INAUGURATION_TIME): a timestamp belongs to the administration in
# office at that moment (an offset is converted to Eastern time; a time without one is read
# as Eastern), a date without a time to the administration in office at the end of that
# day, the new one on inauguration day. Before noon 1993-01-20 there is no era, nor after
# ERAS_END, the end of the last term listed, until the next one is added here.
ERAS: tuple[tuple[str, str, dt.date], ...] = (
    ("clinton", "Bill Clinton", dt.date(1993, 1, 20)),
    ("bush", "George W. Bush", dt.date(2001, 1, 20)),
    ("obama", "Barack Obama", dt.date(2009, 1, 20)),
    ("trump1", "Donald Trump", dt.date(2017, 1, 20)),
    ("biden", "Joe Biden", dt.date(2021, 1, 20)),
    ("trump2", "Donald Trump", dt.date(2025, 1, 20)),
)
ERAS_END = dt.date(2029, 1, 20)
ERA_TIMEZONE = "America/New_York"
INAUGURATION_TIME = dt.time(12)
ERA_NAMES: tuple[str, ...] = tuple(name for name, _, _ in ERAS)


def sample_parquet(n: int, seed: int) -> Path:
    """Where ``usrussia report --sample N`` keeps its stratified sample of the corpus."""
    return INTERIM / f"sample-{n}-seed{seed}.parquet"
