"""The units of a study's comparisons: documents per comparison and group, texts, titles and
target sentences, lengths per unit, near-duplicates, and every distinct text scored once."""

from __future__ import annotations

import pandas as pd
import pytest
from study_corpora import COLD, PLAIN, RUSSIA, WARM, documents

from usrussia.sentiment import score_documents
from usrussia.study import parse_study
from usrussia.study.units import (
    CannotCompare,
    comparison_documents,
    make_units,
    mark_near_duplicates,
    near_duplicates,
    pooled_units,
    score_units,
)

HEAD = '[study]\ncorpus = "corpus.parquet"\n'
NAMED = (
    HEAD + '[groups.wire]\nsource = "wire"\n[groups.late]\nera = "trump1"\n'
    '[[comparisons]]\nname = "named"\ngroups = ["wire", "late"]\n'
)
DOCS = documents(
    [
        {"doc_id": "a", "text": f"{WARM} {RUSSIA}", "date": "2013-06-18", "title": "Warm talks"},
        {"doc_id": "b", "text": COLD, "date": "2017-07-08", "source": "desk", "title": ""},
        {"doc_id": "c", "text": f"{PLAIN} {RUSSIA} {COLD}", "date": "2017-07-09"},
    ]
)


def test_named_groups_keep_their_documents_and_count_those_in_both() -> None:
    study = parse_study(NAMED)
    docs, notes = comparison_documents(study, study.comparisons[0], DOCS)
    assert dict(zip(docs["doc_id"], docs["group"], strict=True)) == {"a": "wire", "b": "late"}
    assert notes == ["1 documents match both groups and are in neither"]


def test_a_column_the_corpus_lacks_cannot_be_compared() -> None:
    study = parse_study(
        HEAD + '[[comparisons]]\nname = "x"\nby = "outlet_group"\ngroups = ["a", "b"]\n'
    )
    with pytest.raises(CannotCompare, match="no column 'outlet_group'"):
        comparison_documents(study, study.comparisons[0], DOCS)


def test_headline_units_are_titles_with_their_own_length() -> None:
    units, notes = make_units(DOCS, "headline")
    assert units["text"].tolist() == ["Warm talks", "Headline c"]
    assert units["n_words"].tolist() == [2, 2]
    assert units["unit"].tolist() == ["wire headline", "wire headline"]
    assert notes == ["1 documents have no title and give no unit"]
    assert units["week"].tolist() == ["2013-06-17/2013-06-23", "2017-07-03/2017-07-09"]


def test_sentence_units_are_the_sentences_naming_the_target() -> None:
    units, notes = make_units(DOCS, "sentences", "russia")
    assert units["text"].tolist() == [RUSSIA, RUSSIA]
    assert units["unit_id"].tolist() == ["a#1", "c#1"]
    assert units["n_words"].tolist() == [4, 4]
    assert notes == ["1 documents name no russia in any sentence and give no unit"]
    with pytest.raises(CannotCompare, match="no target 'mars'"):
        make_units(DOCS, "sentences", "mars")


def test_near_duplicates_are_later_copies_of_the_same_unit_type() -> None:
    long = " ".join([WARM, COLD, PLAIN] * 3)
    docs = documents(
        [
            {"doc_id": "late", "text": long + " Updated.", "date": "2017-07-09"},
            {"doc_id": "early", "text": long, "date": "2017-07-08"},
            {"doc_id": "other", "text": long, "date": "2017-07-10", "source": "desk"},
            {"doc_id": "apart", "text": COLD, "date": "2017-07-11"},
        ]
    )
    units = make_units(docs, "document")[0]
    assert units.loc[near_duplicates(units, 0.8), "doc_id"].tolist() == ["late"]
    kept = parse_study(HEAD + "[dedup]\nthreshold = 0.8\n")
    marked, notes = mark_near_duplicates(units, kept)
    assert len(marked) == 4 and notes == ["1 of 4 units are near-duplicates of another (kept)"]
    dropped = parse_study(HEAD + "[dedup]\ndrop = true\nthreshold = 0.8\n")
    marked, notes = mark_near_duplicates(units, dropped)
    assert marked["doc_id"].tolist() == ["early", "other", "apart"]
    assert notes == ["1 near-duplicate units dropped"]


def test_pooled_units_are_each_unit_once_by_unit_type() -> None:
    documents_ = make_units(DOCS, "document")[0]
    headlines = make_units(DOCS, "headline")[0]
    pooled = pooled_units([headlines, documents_, documents_])
    assert list(zip(pooled["unit"], pooled["unit_id"], strict=True)) == [
        ("desk document", "b"),
        ("wire document", "a"),
        ("wire document", "c"),
        ("wire headline", "a"),
        ("wire headline", "c"),
    ]


def test_every_distinct_text_is_scored_once_for_all_frames() -> None:
    seen: list[str] = []

    def scorer(texts: list[str]) -> pd.DataFrame:
        seen.extend(texts)
        return score_documents(texts, targets=True)

    units = make_units(DOCS, "document")[0]
    scored = score_units({"one": units, "two": units.iloc[:2], "three": units.iloc[:0]}, scorer)
    assert sorted(seen) == sorted(set(units["text"]))
    direct = score_documents(units["text"].tolist(), targets=True)
    assert scored["one"]["score"].tolist() == pytest.approx(direct["score"].tolist())
    assert scored["two"]["tone_russia"].tolist()[0] == pytest.approx(direct["tone_russia"][0])
    assert scored["three"].empty and "score" in scored["three"].columns
