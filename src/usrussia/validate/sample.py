"""Coding samples: a reproducible, stratified and blinded sample of documents or sentences.

``draw_sample`` takes a proportional stratified sample of the sampling frame (the corpus
documents the selection rules keep, or their sentences): each stratum gets its share of
``n`` by the largest-remainder rule, units are drawn without replacement with
``numpy.random.default_rng(seed)``, and the sheet lists them in a shuffled order so that
neighbouring rows do not share a stratum. The sheet carries no automatic score (coders are
blind to the measures they validate); the codebook beside it records how the sample was
drawn, so the same command on the same corpus gives the same sheet.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from usrussia.corpus import read_corpus
from usrussia.corpus.records import InputError
from usrussia.io import atomic_write, check_output, dump_json, sha256_file
from usrussia.study import Study, in_scope, sha256_text
from usrussia.text.sentences import split_sentences
from usrussia.validate.codebook import (
    Codebook,
    codebook_markdown,
    codebook_path,
    codebook_to_dict,
)

UNITS = ("document", "sentence")
CONTEXT_COLUMNS = ("title", "text", "source", "outlet", "date", "doc_id", "sentence")
SHEET_ENCODING = "utf-8-sig"  # a byte-order mark, so spreadsheets read the text as UTF-8
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a cell a spreadsheet would evaluate


def sampling_frame(corpus: pd.DataFrame, unit: str, relevant_only: bool = True) -> pd.DataFrame:
    """Every unit that can be drawn, with its document's columns and a ``unit_id``.

    Documents are the corpus rows with text (only those the selection rules keep, column
    ``relevant``, unless ``relevant_only`` is False); sentences are the sentences of those
    documents (``usrussia.text.sentences.split_sentences``), with ``unit_id`` ``<doc_id>#<n>`` and
    their position ``sentence`` (1-based) in the document.
    """
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    missing = [c for c in ("doc_id", "text") if c not in corpus.columns]
    if missing:
        raise InputError(f"the corpus has no column(s) {', '.join(missing)}")
    docs = corpus
    if relevant_only and "relevant" in corpus.columns:
        docs = docs[docs["relevant"].fillna(False).astype(bool)]
    docs = docs[docs["text"].map(lambda t: isinstance(t, str) and bool(t.strip()))]
    doc_ids = docs["doc_id"].astype(str)
    repeated = doc_ids[doc_ids.duplicated()]
    if len(repeated):
        raise InputError(f"doc_id is not unique in the corpus: {repeated.iloc[0]!r}")
    docs = docs.assign(doc_id=doc_ids)
    if unit == "document":
        return docs.assign(unit_id=doc_ids).reset_index(drop=True)
    split = [split_sentences(text) for text in docs["text"]]
    frame = docs.drop(columns="text")
    frame = frame.loc[frame.index.repeat([len(s) for s in split])]
    frame["text"] = [sentence for sentences in split for sentence in sentences]
    frame["sentence"] = [i for sentences in split for i in range(1, len(sentences) + 1)]
    frame["unit_id"] = frame["doc_id"] + "#" + frame["sentence"].astype(str)
    return frame.reset_index(drop=True)


def allocate(sizes: pd.Series, n: int) -> pd.Series:
    """Proportional allocation of ``n`` units to strata of ``sizes`` (largest remainder).

    Each stratum gets the whole part of its share; the units left over go to the largest
    remainders (ties: the first stratum in order). Integer arithmetic, so it is exact.
    """
    total = int(sizes.sum())
    base = sizes * n // total
    remainder = sizes * n % total
    extra = n - int(base.sum())
    order = remainder.sort_values(ascending=False, kind="stable").index[:extra]
    base.loc[order] += 1
    return base.astype(np.int64)


def _strata_keys(frame: pd.DataFrame, strata: list[str]) -> pd.DataFrame:
    """The stratum of every unit as text; a missing value is its own stratum, 'unknown'."""
    missing = [c for c in strata if c not in frame.columns]
    if missing:
        choices = ", ".join(c for c in frame.columns if c not in ("text", "unit_id"))
        raise InputError(f"cannot stratify by {', '.join(missing)}: the corpus has {choices}")
    keys = pd.DataFrame(index=frame.index)
    for column in strata:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime("%Y-%m-%d")
        keys[column] = values.astype(object).where(values.notna(), "unknown").astype(str)
    return keys


@dataclass(frozen=True)
class CodingSample:
    """The drawn units in coding order and the allocation per stratum."""

    units: pd.DataFrame
    strata: pd.DataFrame


def draw_sample(frame: pd.DataFrame, n: int, strata: list[str], seed: int) -> CodingSample:
    """A proportional stratified sample of ``n`` units of ``frame``, in a shuffled order.

    Parameters
    ----------
    frame : DataFrame
        The sampling frame (``sampling_frame``).
    n : int
        How many units to draw (at most the size of the frame).
    strata : list of str
        Columns whose combinations are the strata (none: a simple random sample).
    seed : int
        Seed of ``numpy.random.default_rng``: the same frame and seed give the same sample.
    """
    if n < 1:
        raise InputError(f"the sample size must be at least 1, got {n}", parameter="n")
    if n > len(frame):
        raise InputError(
            f"a sample of {n} is more than the {len(frame)} units that can be drawn", parameter="n"
        )
    keys = _strata_keys(frame, strata)
    groups = keys.groupby(strata, sort=True).indices if strata else {(): np.arange(len(frame))}
    labels = [key if isinstance(key, tuple) else (key,) for key in groups]
    rows = list(groups.values())
    take = allocate(pd.Series([len(r) for r in rows], dtype=np.int64), n)
    rng = np.random.default_rng(seed)
    drawn = [rng.choice(r, size=k, replace=False) for r, k in zip(rows, take, strict=True) if k]
    order = rng.permutation(np.concatenate(drawn))
    table = pd.DataFrame(labels, columns=strata)
    table["population"] = [len(r) for r in rows]
    table["sample"] = take.to_numpy()
    return CodingSample(frame.iloc[order].reset_index(drop=True), table)


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet shows as text: a leading ``'`` where it would start a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def coding_sheet(units: pd.DataFrame, codebook: Codebook, coders: list[str]) -> pd.DataFrame:
    """The sheet coders fill: ``unit_id``, an empty column per coder and variable, context.

    No automatic score is included. Text cells that a spreadsheet would read as a formula
    get a leading apostrophe (``spreadsheet_safe``).
    """
    sheet = pd.DataFrame({"unit_id": units["unit_id"].to_numpy()})
    for variable in codebook.variables:
        for coder in coders:
            sheet[codebook.column(variable.name, coder)] = ""
    for column in CONTEXT_COLUMNS:
        if column not in units.columns:
            continue
        values = units[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime("%Y-%m-%d")
        sheet[column] = values.map(spreadsheet_safe).to_numpy()
    return sheet


def codebook_files(out: str | os.PathLike[str]) -> tuple[Path, Path]:
    """The JSON codebook (read by ``agreement``) and its Markdown page for coders."""
    json_path = codebook_path(out)
    return json_path, json_path.with_suffix(".md")


def check_sheet_path(out: str | os.PathLike[str], force: bool) -> Path:
    """The sheet path, refused as every output is (``usrussia.io.check_output``: a folder,
    another suffix than ``.csv``, a folder that cannot be written), or when it holds a sheet."""
    out = check_output(out, "the coding sheet", (".csv",))
    if out.exists() and not force:
        raise InputError(f"{out} exists and may hold codes", parameter="force")
    return out


def make_coding_sample(
    corpus_path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    codebook: Codebook,
    coders: list[str],
    n: int,
    unit: str = "document",
    strata: list[str] | None = None,
    seed: int = 0,
    relevant_only: bool = True,
    force: bool = False,
    study: Study | None = None,
) -> tuple[CodingSample, list[Path]]:
    """Draw a coding sample from a corpus and write the sheet and its codebook beside it.

    With ``study``, the sample is drawn from the study's in-scope documents of its corpus
    (``corpus_path`` is then ``study.corpus``) and the codebook records the study.
    Everything is checked and drawn before the first file is written; each file is
    written atomically. Returns the sample and the files written (sheet last).
    """
    out = check_sheet_path(out, force)
    corpus_path = Path(study.corpus if study is not None else corpus_path)
    if not corpus_path.is_file():
        raise InputError(f"corpus not found: {corpus_path} (build it with usrussia corpus build)")
    strata = list(strata or [])
    documents = read_corpus(corpus_path)
    if study is not None:
        documents = in_scope(study, documents)
    frame = sampling_frame(documents, unit, relevant_only)
    sample = draw_sample(frame, n, strata, seed)
    record = {
        "corpus": str(corpus_path),
        "corpus_sha256": sha256_file(corpus_path),
        "unit": unit,
        "n": n,
        "population": len(frame),
        "relevant_only": relevant_only,
        "stratify": strata,
        "allocation": "proportional to stratum size, largest remainder",
        "seed": seed,
        "order": "shuffled with the seed",
        "blinded": "the sheet holds no automatic score",
        "strata": sample.strata.to_dict(orient="records"),
    }
    if study is not None:
        record["study"] = {"path": str(study.path), "sha256": sha256_text(study.text)}
    sheet = coding_sheet(sample.units, codebook, coders)
    json_path, md_path = codebook_files(out)
    dump_json({**codebook_to_dict(codebook), "coders": coders, "sample": record}, json_path)
    page = codebook_markdown(codebook, coders, out.name)
    atomic_write(md_path, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    atomic_write(out, lambda tmp: sheet.to_csv(tmp, index=False, encoding=SHEET_ENCODING))
    return sample, [json_path, md_path, out]
