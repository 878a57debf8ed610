"""A default study for any corpus in the project's schema: what ``usrussia study init``
writes and what ``usrussia report --corpus PATH`` runs.

``default_study`` looks at the corpus and declares what it can compare, as TOML with a
comment on every key (README, "Your own corpus"):

- per source, one comparison for each pair of consecutive eras among those it has documents
  in (the documents the selection rules keep, when both eras have some), with meeting
  windows where meetings of both eras have documents near them, and targeted tone
  (``tone_russia``, ``tone_us``) where both eras' documents name the target;
- per source with several outlets, the two largest outlet groups of the outlet-group table
  (``data/external/outlet_groups.csv``) when two are present, else the two largest outlets,
  in the weeks both published when the documents are dated.

A source with one era, or an undated one, gets a comment saying why it has no era
comparison; a corpus where nothing can be compared gets a study without comparisons (the
report says so). ``study_for_corpus`` is the study a report runs for a corpus: the shipped
study for the shipped corpus, else the default.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from usrussia import config
from usrussia.compare.events import event_windows, load_events
from usrussia.compare.units import same_weeks
from usrussia.corpus import check_corpus
from usrussia.corpus.records import InputError
from usrussia.io import same_file
from usrussia.sentiment.scoring import TONE_MEASURES
from usrussia.study.load import DEFAULTS, load_study, parse_study
from usrussia.study.scope import read_outlet_groups
from usrussia.study.spec import Study

NEEDED = ("source", "outlet", "date", "era", "relevant", "n_russia_mentions", "n_us_mentions")
TARGET_MEASURES = {"n_russia_mentions": "tone_russia", "n_us_mentions": "tone_us"}
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(?:#.*)?$")  # [study], not [[…]]
KEY_LINE = re.compile(
    r"""^(\s*)(corpus|path|events|timeline|coding)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*(?:#.*)?$"""
)
ERA_START = {name: (president, start) for name, president, start in config.ERAS}


def study_for_corpus(corpus_path: str | os.PathLike[str]) -> Study:
    """The study a report runs when only a corpus is named: ``config.SHIPPED_STUDY`` for the
    shipped corpus, else ``default_study`` (its paths absolute, it has no file yet)."""
    if same_file(corpus_path, config.CORPUS_PARQUET):
        return load_study(config.SHIPPED_STUDY)
    return parse_study(default_study(corpus_path, by="usrussia report"))


def with_corpus(study: Study, corpus_path: str | os.PathLike[str], note: str) -> Study:
    """``study`` reading another corpus (e.g. a sample of its own): its text with
    ``study.corpus`` replaced, its other paths made absolute (so that the file may be written
    anywhere) and ``note`` as a comment on top; every other line as it was.

    Raises
    ------
    InputError
        When the file does not write a path key as one line ``key = "..."`` of its table
        (then it cannot be rewritten line by line).
    """
    values = {("study", "corpus"): Path(corpus_path).resolve(), ("events", "path"): study.events}
    if study.outlet_groups is not None:
        values[("outlet_groups", "path")] = study.outlet_groups
    values |= {("gdelt", kind): path for kind, path in study.gdelt.items()}
    if study.coding is not None:
        values[("validation", "coding")] = study.coding
    original = tomllib.loads(study.text)
    expected = {t: dict(v) if isinstance(v, dict) else v for t, v in original.items()}
    table, lines, replaced = None, [], set()
    for line in study.text.splitlines():
        header = TABLE.match(line)
        table = header.group(1) if header else None if line.lstrip().startswith("[") else table
        found = KEY_LINE.match(line)
        if found and (table, found.group(2)) in values:
            value = values[table, found.group(2)].as_posix()
            line = f"{found.group(1)}{found.group(2)} = {toml(value)}"
            expected[table][found.group(2)] = value
            replaced.add((table, found.group(2)))
        lines.append(line)
    comment = "".join(f"# {line}\n" for line in textwrap.wrap(note, 88, break_long_words=False))
    text = comment + "\n".join(lines) + "\n"
    present = {(t, k) for t, k in values if k in original.get(t, {})}
    if replaced != present or tomllib.loads(text) != expected:
        raise InputError(
            f"{study.path or 'study'}: cannot point the study at {corpus_path}: write "
            "each path (study.corpus, events.path, outlet_groups.path, gdelt.*, "
            'validation.coding) as one line key = "PATH"',
            parameter="study",
        )
    return parse_study(text)


def default_study(
    corpus_path: str | os.PathLike[str], base: Path | None = None, by: str = "usrussia study init"
) -> str:
    """The TOML text of a default study for a corpus.

    Parameters
    ----------
    corpus_path : path-like
        A corpus Parquet in the project's schema.
    base : Path, optional
        The folder the study file will be in: paths are written relative to it where both
        lie in the project or the path lies in or beside it (``where``), else absolute;
        default: absolute.
    by : str
        The command that writes it, named in the file's first line.

    Returns
    -------
    text : str
        A study that ``parse_study`` reads and ``check_study`` passes for this corpus.

    Raises
    ------
    InputError
        A missing file, one that is not a corpus, or a corpus without documents.
    """
    path = check_corpus(corpus_path).resolve()
    corpus = pd.read_parquet(path, columns=list(NEEDED))
    if corpus.empty:
        raise InputError(f"{path}: the corpus has no documents")
    events = load_events(config.EVENTS_CSV)
    outlet_groups = read_outlet_groups(config.OUTLET_GROUPS_CSV)
    blocks, uses_groups = [], False
    for source, docs in corpus.groupby("source", sort=True):
        blocks += era_comparisons(str(source), docs, events)
        block = outlet_comparison(str(source), docs, outlet_groups)
        if block is not None:
            uses_groups |= "outlet_group" in block
            blocks.append(block)
    head = header(path, base, uses_groups, by)
    if not any(b.startswith("[[comparisons]]") for b in blocks):
        blocks.append("# Nothing in this corpus can be compared by default (see above).\n")
    return head + "\n" + "\n".join(blocks)


def where(path: Path, base: Path | None) -> str:
    """How the study file names ``path``: relative to ``base`` when both lie in the project
    or ``path`` lies in or beside the study's folder (they move together), else absolute."""
    path = Path(path).resolve()
    if base is None:
        return path.as_posix()
    base, root = Path(base).resolve(), Path(config.PROJECT_ROOT).resolve()
    if path.is_relative_to(base.parent) or (
        path.is_relative_to(root) and base.is_relative_to(root)
    ):
        return Path(os.path.relpath(path, base)).as_posix()
    return path.as_posix()


def toml(value: Any) -> str:
    """A TOML value: string, boolean, number, list or inline table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):  # JSON's escapes are TOML's; DEL must be escaped too
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, Mapping):
        items = ", ".join(f"{key(k)} = {toml(v)}" for k, v in value.items())
        return f"{{ {items} }}" if items else "{}"
    return "[" + ", ".join(toml(v) for v in value) + "]"


def key(name: str) -> str:
    """A TOML key, quoted unless bare."""
    return name if BARE_KEY.fullmatch(name) else toml(name)


def header(corpus: Path, base: Path | None, uses_groups: bool, by: str) -> str:
    """The study's tables before its comparisons, each key with what it means."""
    measures = toml(list(TONE_MEASURES))
    groups = (
        f"\n[outlet_groups]\npath = {toml(where(config.OUTLET_GROUPS_CSV, base))}"
        "  # CSV outlet,group: adds the column outlet_group\n"
        if uses_groups
        else ""
    )
    return f"""# A default study of {corpus.name} by `{by}`, a starting point.
# Edit it to state your design (README.md, "Your own corpus", explains every key), check
# it with `usrussia study check FILE` and run it with `usrussia report --study FILE`.

[study]
name = {toml(corpus.stem)}  # the study's name in the reports
title = {toml(f"Default study of {corpus.name}")}
corpus = {toml(where(corpus, base))}  # the corpus Parquet (relative to this file)
seed = {config.SEED}  # the seed of every random step
measure = {toml(DEFAULTS["measure"])}  # the main tone measure
# the measures of the sensitivity grid:
measures = {measures}
n_resamples = {DEFAULTS["n_resamples"]}  # bootstrap and permutation resamples

[scope]  # which documents are in the study at all (a filter); empty: every document

[dedup]
drop = false  # true keeps only the first of each group of near-duplicates (wire copies)
threshold = 0.9  # estimated Jaccard similarity at which two documents are near-duplicates

[events]
path = {toml(where(config.EVENTS_CSV, base))}  # the meetings: date,city,country,...
window_days = {DEFAULTS["window_days"]}  # days either side of a meeting in its window
widths = {toml(list(DEFAULTS["widths"]))}  # the window widths of the sensitivity grid

[topics]  # notebook 03's topic model: filter = {{ ... }} limits the documents it is fitted on
{groups}
[show_documents]  # documents whose own tone page 04 lists (a filter); empty: none

# Each [[comparisons]] table compares two groups: name (the question), kind ("groups",
# "event" or "pooled"), filter (its documents), by (the column whose values groups names;
# without it groups names [groups.NAME] tables), groups (group A, group B: differences are
# B minus A), unit ("document", "headline" or "sentences" about a target), measures (the
# first is the main one), strata (a column the bootstrap keeps balanced), same_weeks (only
# the calendar weeks both groups have), windows (also the documents near meetings),
# controls (one regression per list of control columns; [] is length alone), sensitivity
# (repeat over every measure and window width), keyness (words and topics that differ),
# about (what a reader should know).
"""


def relevant_units(
    docs: pd.DataFrame, column: str, groups: Sequence[str]
) -> tuple[pd.DataFrame, bool]:
    """The documents the selection rules keep when every group has some, else all of them."""
    kept = docs[docs["relevant"].astype(bool)]
    if set(groups) <= set(kept[column].dropna()):
        return kept, True
    return docs, False


def era_comparisons(source: str, docs: pd.DataFrame, events: pd.DataFrame) -> list[str]:
    """One comparison per pair of consecutive eras the source has documents in (or why not)."""
    present = [e for e in config.ERA_NAMES if (docs["era"] == e).any()]
    if len(present) < 2:
        why = f"only the {present[0]} era" if present else "no dated documents, so no eras"
        return [f"# {source}: {why}; no comparison across eras can be made.\n"]
    return [
        era_comparison(source, docs[docs["era"].isin(pair)], pair, events)
        for pair in zip(present, present[1:], strict=False)
    ]


def era_comparison(
    source: str, docs: pd.DataFrame, pair: tuple[str, str], events: pd.DataFrame
) -> str:
    """The comparison of one source's documents between two eras."""
    units, relevant = relevant_units(docs, "era", pair)
    measures = [DEFAULTS["measure"]] + [
        measure
        for column, measure in TARGET_MEASURES.items()
        if set(pair) <= set(units.loc[units[column] > 0, "era"])
    ]
    windowed = event_windows(units, events, DEFAULTS["window_days"])
    windows = set(pair) <= set(windowed["meeting_era"].dropna())
    outlets = units["outlet"].nunique() > 1
    filter_ = {"source": source, **({"relevant": True} if relevant else {})}
    spec = {
        "name": f"{source}: {pair[0]} vs {pair[1]}",
        "filter": filter_,
        "by": "era",
        "groups": list(pair),
        "measures": measures,
        **({"strata": "outlet"} if outlets else {}),
        "windows": windows,
        "controls": [["outlet"], []] if outlets else [[]],
        "sensitivity": windows,
        "keyness": True,
        "about": (
            f"The {source} documents{' the selection rules keep' if relevant else ''} of "
            f"{era_name(pair[0])} against those of {era_name(pair[1])}. Era and time cannot "
            "be told apart: a difference may come from the events of those years."
        ),
    }
    return comparison(spec)


def era_name(era: str) -> str:
    """An era as a reader knows it: ``Barack Obama's administration (from 2009-01-20)``."""
    president, start = ERA_START[era]
    return f"{president}'s administration from {start.isoformat()} ({era})"


def outlet_comparison(
    source: str, docs: pd.DataFrame, outlet_groups: Mapping[str, str]
) -> str | None:
    """The two largest outlet groups (or outlets) of a source with several outlets."""
    named = docs["outlet"].where(docs["outlet"].fillna("").astype(str).str.strip() != "")
    if named.nunique() < 2:
        return None
    grouped = docs.assign(outlet=named, outlet_group=named.map(outlet_groups))
    by = "outlet_group" if grouped["outlet_group"].nunique() >= 2 else "outlet"
    pair = largest(grouped[by])
    units, relevant = relevant_units(grouped, by, pair)
    units = units[units[by].isin(pair)]
    dated = units["date"].notna().all()
    weeks = dated and not same_weeks(units, units[by]).empty
    spec = {
        "name": f"{source}: {pair[0]} vs {pair[1]}",
        "filter": {"source": source, **({"relevant": True} if relevant else {})},
        "by": by,
        "groups": list(pair),
        **({"strata": "outlet"} if by == "outlet_group" else {}),
        "same_weeks": bool(weeks),
        "controls": [["week"]] if weeks else [[]],
        "about": (
            f"The {source} documents of {pair[0]} against those of {pair[1]}"
            f"{', in the calendar weeks both published' if weeks else ''}. Outlets differ in "
            "what they cover as well as in how they cover it."
        ),
    }
    return comparison(spec)


def largest(values: pd.Series) -> tuple[str, str]:
    """The two most frequent values (ties by name), the largest first."""
    counts = values.dropna().astype(str).value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[0][0], ranked[1][0]


def comparison(spec: Mapping[str, Any]) -> str:
    """One ``[[comparisons]]`` table (its ``about`` wrapped)."""
    lines = [f"{key(k)} = {toml(v)}" for k, v in spec.items() if k != "about"]
    if "about" in spec:
        lines.append(f"about = {wrapped(spec['about'])}")
    return "[[comparisons]]\n" + "\n".join(lines) + "\n"


def wrapped(text: str, width: int = 88) -> str:
    """A long string as a TOML multi-line string whose line breaks are not part of it
    (a line ending in a backslash joins the next); on one line when wrapping would change it
    (runs of spaces)."""
    escaped = toml(text)[1:-1]  # TOML escapes, no whitespace inside one
    lines = textwrap.wrap(escaped, width, break_long_words=False, break_on_hyphens=False)
    value = '"""' + " \\\n".join(lines) + '"""'
    return value if tomllib.loads(f"v = {value}")["v"] == text else toml(text)
