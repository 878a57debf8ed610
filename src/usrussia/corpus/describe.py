"""What a corpus holds, for any corpus: the tables and checks of the corpus page (notebook 01).

Every function takes a corpus frame in the project's schema (``COLUMNS``) and names no
source, outlet or era: a corpus of one undated source gives the same tables with dashes
and zeros, and ``notes`` says in words what is absent (dates, eras, outlets, relevance).
Dates are shown as calendar days; "unknown" is the era of an undated document or one dated
outside the administrations of ``config.ERAS``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from usrussia import config
from usrussia.corpus.build import counts_by
from usrussia.corpus.dates import era_of

UNKNOWN = "unknown"


def _days(values: pd.Series) -> pd.Series:
    """Timestamps as calendar days (``None`` when missing), so tables show ``2017-07-07``."""
    stamps = pd.to_datetime(values)
    return pd.Series(
        [d.date() if pd.notna(d) else None for d in stamps], index=values.index, dtype=object
    )


def source_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per source: documents, outlets, kinds of text, first and last date, undated,
    relevant (the selection rules) and median words.

    Parameters
    ----------
    corpus : DataFrame

    Returns
    -------
    table : DataFrame
        Columns ``source, documents, outlets, kinds, first, last, undated, relevant,
        relevant_share, median_words``.
    """
    grouped = corpus.groupby("source", sort=True)
    table = pd.DataFrame(
        {
            "documents": grouped.size(),
            "outlets": grouped["outlet"].agg(lambda o: o[o.astype(str) != ""].nunique()),
            "kinds": grouped["kind"].agg(lambda k: ", ".join(sorted(set(k.astype(str)) - {""}))),
            "first": grouped["date"].min(),
            "last": grouped["date"].max(),
            "undated": grouped["date"].agg(lambda d: int(d.isna().sum())),
            "relevant": grouped["relevant"].sum().astype("int64"),
            "median_words": grouped["n_words"].median(),
        }
    ).reset_index()
    table["first"], table["last"] = _days(table["first"]), _days(table["last"])
    table.insert(8, "relevant_share", table["relevant"] / table["documents"])
    return table


def kind_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """Documents, relevant documents and median words per source and kind of text."""
    table = (
        corpus.assign(kind=corpus["kind"].replace("", UNKNOWN))
        .groupby(["source", "kind"], sort=True)
        .agg(
            documents=("doc_id", "size"),
            relevant=("relevant", "sum"),
            median_words=("n_words", "median"),
        )
        .reset_index()
    )
    table["relevant"] = table["relevant"].astype("int64")
    table.insert(4, "relevant_share", table["relevant"] / table["documents"])
    return table


def eras_present(corpus: pd.DataFrame) -> list[str]:
    """The eras the corpus has documents in, in the order of ``config.ERAS``."""
    present = set(corpus["era"].dropna())
    return [era for era in config.ERA_NAMES if era in present]


def era_order(eras: pd.Series) -> pd.Series:
    """Era names as an ordered categorical (in office order), so tables sort by time."""
    return pd.Series(
        pd.Categorical(eras, categories=config.ERA_NAMES, ordered=True), index=eras.index
    )


def era_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """Documents per source (rows) and era (columns, in office order, then ``unknown``)."""
    counts = counts_by(corpus, "source", "era")
    wide = counts.pivot(index="source", columns="era", values="documents")
    columns = [*eras_present(corpus), *([UNKNOWN] if UNKNOWN in wide.columns else [])]
    return wide.reindex(columns=columns).fillna(0).astype("int64").reset_index()


def year_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """Dated documents per year (rows) and source (columns); empty when none is dated."""
    dated = corpus[corpus["date"].notna()]
    years = pd.to_datetime(dated["date"]).dt.year.rename("year")
    return (
        dated.groupby([years, dated["source"]]).size().unstack(fill_value=0).astype("int64")
    ).reindex(columns=sorted(corpus["source"].unique()), fill_value=0)


def category_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """Documents per source and category (the sources that have one), relevant documents,
    and relevant documents per year (a column per year; "undated" for those without a
    date). Empty when no document has a category."""
    named = corpus[corpus["category"].astype(str) != ""]
    keys = ["source", "category"]
    table = (
        named.groupby(keys, sort=True)
        .agg(documents=("doc_id", "size"), relevant=("relevant", "sum"))
        .astype("int64")
    )
    relevant = named[named["relevant"]]
    dates = pd.to_datetime(relevant["date"])
    years = dates.dt.strftime("%Y").where(dates.notna(), "undated").rename("year")
    per_year = relevant.groupby([*(relevant[k] for k in keys), years]).size()
    wide = per_year.unstack(fill_value=0)
    return table.join(wide).fillna(0).astype("int64").reset_index()


def outlet_table(corpus: pd.DataFrame, extra: tuple[str, ...] = ("outlet_group",)) -> pd.DataFrame:
    """Documents and relevant documents per outlet, for the sources with several outlets.

    ``extra`` columns the corpus has (the study's ``outlet_group``) are shown beside the
    outlet. Empty when no source has more than one outlet.
    """
    named = corpus[corpus["outlet"].astype(str) != ""]
    several = named.groupby("source")["outlet"].nunique()
    named = named[named["source"].isin(several.index[several > 1])]
    keys = ["source", "outlet", *(c for c in extra if c in corpus.columns)]
    table = (
        named.astype({k: object for k in keys})
        .groupby(keys, sort=True, dropna=False)
        .agg(documents=("doc_id", "size"), relevant=("relevant", "sum"))
        .reset_index()
    )
    table["relevant"] = table["relevant"].astype("int64")
    return table


def length_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """Words per document by source: documents, mean, standard deviation and quantiles."""
    table = corpus.groupby("source", sort=True)["n_words"].describe()
    table = table.rename(columns={"count": "documents", "std": "sd"}).reset_index()
    return table.astype({"documents": "int64"})


@dataclass(frozen=True)
class EraCheck:
    """The documents whose era disagrees with their date (``wrong``, should be empty), the
    undated ones and those dated outside the administrations listed (era unknown)."""

    undated: list[str]
    outside: list[str]
    wrong: list[str]
    unaccounted: list[str]


def era_check(corpus: pd.DataFrame) -> EraCheck:
    """Check that every dated document carries the era in office on its date.

    On an inauguration day either administration is accepted (the outgoing one until
    noon); the documents without an era must be exactly the undated ones and those dated
    outside ``config.ERAS`` (``unaccounted`` lists any other).
    """
    dated = corpus["date"].notna()
    in_office = corpus["date"].map(lambda day: era_of(day.date())[0] if pd.notna(day) else None)
    inauguration = corpus["date"].dt.date.isin({start for _, _, start in config.ERAS})
    wrong = corpus[dated & ~inauguration & (corpus["era"] != in_office)]
    no_era = set(corpus.loc[corpus["era"].isna(), "doc_id"])
    outside = set(corpus.loc[dated & in_office.isna(), "doc_id"])
    undated = set(corpus.loc[~dated, "doc_id"])
    return EraCheck(
        undated=sorted(undated),
        outside=sorted(outside),
        wrong=wrong["doc_id"].tolist(),
        unaccounted=sorted(no_era ^ (undated | outside)),
    )


def notes(corpus: pd.DataFrame) -> list[str]:
    """What the corpus lacks that later pages need, one sentence each (none: ``[]``)."""
    if corpus.empty:
        return ["The corpus has no documents in scope."]
    found = []
    n_dated = int(corpus["date"].notna().sum())
    eras = eras_present(corpus)
    if n_dated == 0:
        found.append(
            "No document is dated: there are no eras, years or meeting windows, so "
            "comparisons over time cannot be made."
        )
    elif n_dated < len(corpus):
        found.append(f"{len(corpus) - n_dated:,} of {len(corpus):,} documents are undated.")
    if n_dated and len(eras) == 1:
        found.append(f"Every dated document is of one era ({eras[0]}): no era comparison.")
    if not corpus["relevant"].any():
        found.append("No document passes its source's selection rule (relevant).")
    if len(corpus) < 20:
        found.append(f"Only {len(corpus):,} documents: most statistics will be notes.")
    return found


def corpus_block(corpus: pd.DataFrame, documents: pd.DataFrame) -> dict:
    """The ``corpus`` metrics block: counts of the in-scope ``documents`` (by source, era,
    relevance) and how many documents the whole ``corpus`` file holds."""
    return {
        "documents": len(documents),
        "in_corpus_file": len(corpus),
        "relevant": int(documents["relevant"].sum()),
        "by_source": documents["source"].value_counts().sort_index().to_dict(),
        "relevant_by_source": (
            documents.groupby("source")["relevant"].sum().astype(int).sort_index().to_dict()
        ),
        "by_era": documents["era"].fillna(UNKNOWN).value_counts().sort_index().to_dict(),
        "undated": int(documents["date"].isna().sum()),
    }


def scope_sentence(documents: pd.DataFrame, n_corpus: int, scope: str) -> str:
    """How many of the corpus's documents the study keeps, from how many sources, and the
    ``notes`` (what the documents lack), in words."""
    found = " ".join(f"*Note:* {note}" for note in notes(documents))
    return (
        f"{len(documents):,} of the corpus's {n_corpus:,} documents are in the study's scope "
        f"({scope}), from {documents['source'].nunique()} source(s). "
        f"{found or 'Every later page has what it needs.'}"
    )


def accounting_sentence(accounting: dict | None) -> str:
    """The build's counts (``read_accounting``) in words, or that the file has none."""
    if accounting is None:
        return "This corpus file does not record its build's counts of quarantined records."
    reasons = ", ".join(f"{n:,} {reason}" for reason, n in accounting["reasons"].items())
    return (
        f"The build read {accounting['read']:,} records, kept {accounting['kept']:,} and "
        f"quarantined {accounting['quarantined']:,}" + (f" ({reasons})." if reasons else ".")
    )
