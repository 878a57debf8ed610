"""The package helpers behind the descriptive pages: corpus tables, the accounting a corpus
file keeps, near-duplicate copies, topic settings from a study, the topic-shares file and
the study's groups as the pages show them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from usrussia import config
from usrussia.corpus import read_accounting, read_corpus, write_corpus
from usrussia.corpus.describe import (
    accounting_sentence,
    category_table,
    era_check,
    era_table,
    notes,
    scope_sentence,
    source_table,
    year_table,
)
from usrussia.corpus.records import InputError
from usrussia.corpus.selection import KREMLIN_MIN_US_MENTIONS, names_of_targets, rule_of
from usrussia.engine import import_file
from usrussia.sentiment import score_documents
from usrussia.study import in_scope, load_study, parse_study
from usrussia.study.groups import (
    describe_filter,
    era_pairs,
    filter_record,
    group_tone,
    without_copies,
)
from usrussia.text.dedup import copies_by, copies_sentence, near_duplicate_copies
from usrussia.text.explore import group_keyness
from usrussia.topics.files import read_topic_shares, remove_topic_shares, write_topic_shares
from usrussia.topics.settings import MIN_DOCS, topic_settings, usable_ks

NOTEBOOK_03 = {  # the defaults of notebook 03's parameters cell
    "unit": "document",
    "models": ["nmf"],
    "ks": [10, 15, 20, 25, 30],
    "n_seeds": 5,
    "stability_threshold": 0.8,
    "npmi_tolerance": 0.01,
    "selection_decimals": 3,
    "max_candidates": 3,
    "max_features": 3000,
    "min_df": 5,
    "max_df": 0.5,
    "n_top": 10,
    "window_days": 30,
    "min_docs": 20,
    "n_examples": 3,
}


def user_file(tmp_path: Path, records: list[dict]) -> Path:
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def articles(corpus: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` relevant shipped news articles, in doc_id order."""
    news = corpus[(corpus["source"] == "news_articles") & corpus["relevant"]]
    return news.sort_values("doc_id").head(n)


def test_a_corpus_file_keeps_its_import_counts(corpus: pd.DataFrame, tmp_path: Path) -> None:
    rows = articles(corpus, 3)
    records = [
        {"doc_id": r.doc_id, "source": "mine", "date": "2017-07-07", "text": r.text}
        for r in rows.itertuples()
    ]
    records.append({"doc_id": "empty", "source": "mine", "text": ""})
    df, ledger = import_file(user_file(tmp_path, records))
    with_counts = write_corpus(df, tmp_path / "counted.parquet", ledger)
    without = write_corpus(df, tmp_path / "plain.parquet")
    assert read_accounting(with_counts) == {
        "read": 4,
        "kept": 3,
        "quarantined": 1,
        "reasons": {"missing text": 1},
    }
    assert read_accounting(without) is None
    pd.testing.assert_frame_equal(read_corpus(with_counts), read_corpus(without))
    with pytest.raises(ValueError, match="the ledger kept 3 records, the corpus has 2"):
        write_corpus(df.head(2), tmp_path / "wrong.parquet", ledger)


def test_corpus_tables_of_an_undated_single_source_corpus(corpus: pd.DataFrame) -> None:
    pages = corpus[corpus["source"] == "kremlin"].head(30).assign(source="archive")
    undated = pages.assign(date=pd.NaT, era=None, president_us=None)
    table = source_table(undated)
    assert table[["source", "documents", "undated"]].to_dict("records") == [
        {"source": "archive", "documents": 30, "undated": 30}
    ]
    assert table.loc[0, "first"] is None and table.loc[0, "last"] is None
    assert list(era_table(undated).columns) == ["source", "unknown"]
    assert year_table(undated).empty
    assert notes(undated)[0].startswith("No document is dated")
    check = era_check(undated)
    assert len(check.undated) == 30 and not check.wrong and not check.unaccounted
    dated = era_table(pages)
    assert list(dated.columns)[1:] == [e for e in config.ERA_NAMES if e in set(pages["era"])]


def test_category_table_counts_each_category_per_year(corpus: pd.DataFrame) -> None:
    """Hand-counted on six White House texts: two categories, one undated and one
    irrelevant document; the other sources have no category and are left out."""
    white = corpus[corpus["source"] == "whitehouse"].sort_values("doc_id")
    remarks = white[white["category"] == "remarks"].head(3)
    readouts = white[white["category"] == "statement or readout"].head(3)
    dates = pd.to_datetime(
        ["2013-06-17", "2013-06-18", None, "2021-06-16", "2022-01-01", "2022-02-02"]
    )
    six = pd.concat([remarks, readouts]).assign(
        date=dates, relevant=[True, True, True, True, True, False], source="capital"
    )
    mixed = pd.concat([six, corpus[corpus["source"] == "kremlin"].head(5)])
    table = category_table(mixed)
    assert table.to_dict("records") == [
        {
            "source": "capital",
            "category": "remarks",
            "documents": 3,
            "relevant": 3,
            "2013": 2,
            "2021": 0,
            "2022": 0,
            "undated": 1,
        },
        {
            "source": "capital",
            "category": "statement or readout",
            "documents": 3,
            "relevant": 2,
            "2013": 0,
            "2021": 1,
            "2022": 1,
            "undated": 0,
        },
    ]
    assert category_table(corpus[corpus["source"] == "kremlin"].head(5)).empty


def test_era_check_finds_a_wrong_era(corpus: pd.DataFrame) -> None:
    rows = articles(corpus, 4).copy()
    rows.loc[rows.index[0], "era"] = "obama"  # a 2017 article, after the inauguration
    assert era_check(rows).wrong == [rows.iloc[0]["doc_id"]]


def test_rule_of_states_each_source_rule() -> None:
    assert rule_of("kremlin").endswith(f"at least {KREMLIN_MIN_US_MENTIONS} times")
    assert rule_of("mycoverage") == "the title or the text names Russia at least once"


def test_near_duplicate_copies_keep_the_earliest_of_a_source(corpus: pd.DataFrame) -> None:
    rows = articles(corpus, 3).reset_index(drop=True)
    first = rows.iloc[0]
    copy = first.copy()
    copy["doc_id"], copy["date"] = "earlier-copy", first["date"] - pd.Timedelta(days=2)
    elsewhere = first.copy()
    elsewhere["doc_id"], elsewhere["source"] = "other-source", "mine"
    frame = pd.concat([rows, pd.DataFrame([copy, elsewhere])], ignore_index=True)
    copy_of = near_duplicate_copies(frame, threshold=0.9)
    assert copy_of.to_dict() == {0: "earlier-copy", 1: None, 2: None, 3: None, 4: None}
    counts = copies_by(frame, copy_of).set_index("source")
    assert counts.loc["news_articles", ["documents", "copies"]].tolist() == [4, 1]
    assert counts.loc["mine", "copies"] == 0


def test_topic_settings_take_the_study_over_the_notebook() -> None:
    settings = topic_settings({"filter": {}, "ks": [4, 6], "max_df": 1}, NOTEBOOK_03)
    assert settings.ks == [4, 6] and settings.max_df == 1 and settings.n_seeds == 5
    assert settings.from_study == ("ks", "max_df")
    assert topic_settings({}, NOTEBOOK_03).ks == NOTEBOOK_03["ks"]


@pytest.mark.parametrize(
    "given, words",
    [
        ({"k": [5]}, "study topics.k: unknown key (known: filter, unit, models, ks"),
        ({"ks": 5}, "study topics.ks: must be like [10, 15, 20, 25, 30], got 5"),
        ({"ks": [5, "6"]}, "study topics.ks: must be like"),
        ({"n_seeds": True}, "study topics.n_seeds: must be like 5, got True"),
        ({"n_seeds": 2.5}, "study topics.n_seeds: must be like 5, got 2.5"),
        ({"unit": "sentence"}, "topics.unit must be one of document, paragraph"),
        ({"models": ["bert"]}, "topics.models are any of nmf, nmf-kl, lda, got ['bert']"),
        ({"ks": [1, 5]}, "topics.ks are numbers of topics >= 2"),
    ],
)
def test_topic_settings_refuse_what_the_notebook_cannot_take(given: dict, words: str) -> None:
    with pytest.raises(InputError) as raised:
        topic_settings(given, NOTEBOOK_03)
    assert words in str(raised.value)


@pytest.mark.parametrize(
    "n_docs, expected",
    [(5, []), (MIN_DOCS - 1, []), (MIN_DOCS, [2]), (55, [5]), (120, [5, 10]), (400, [5, 10, 15])],
)
def test_usable_ks(n_docs: int, expected: list[int]) -> None:
    assert usable_ks([5, 10, 15], n_docs) == expected


def test_topic_shares_file_holds_the_documents_with_shares(tmp_path: Path) -> None:
    shares = pd.DataFrame(
        [[0.25, 0.75], [np.nan, np.nan], [1.0, 0.0]], index=[7, 3, 9], columns=["01 a", "02 b"]
    )
    doc_ids = pd.Series(["d9", "d3", "d7"], index=[9, 3, 7])
    assert read_topic_shares(tmp_path) is None
    path = write_topic_shares(shares, doc_ids, tmp_path)
    assert path == tmp_path / "data" / "topic_shares.parquet"
    written = read_topic_shares(tmp_path)
    assert written.to_dict("list") == {
        "doc_id": ["d7", "d9"],
        "01 a": [0.25, 1.0],
        "02 b": [0.75, 0.0],
    }
    with pytest.raises(ValueError, match="sum to 1"):
        write_topic_shares(shares * 2, doc_ids, tmp_path)
    remove_topic_shares(tmp_path)
    assert read_topic_shares(tmp_path) is None


STUDY = """
[study]
corpus = "corpus.parquet"
[groups.early]
era = "obama"
[groups.late]
era = "trump1"
[[comparisons]]
name = "named groups"
groups = ["early", "late"]
[[comparisons]]
name = "by era"
by = "era"
groups = ["bush", "obama"]
[[comparisons]]
name = "again"
by = "era"
filter = { relevant = true, date = { from = "2009-01-20" } }
groups = ["bush", "obama"]
[[comparisons]]
name = "meeting"
kind = "event"
by = "era"
groups = ["obama", "2009-07-06 Moscow"]
"""


def test_era_pairs_are_the_study_s_else_consecutive_eras(tmp_path: Path) -> None:
    study = parse_study(STUDY, base=tmp_path)
    assert era_pairs(study, ["clinton", "bush", "obama"]) == [("bush", "obama")]
    assert era_pairs(study, ["obama", "trump1", "biden"]) == [
        ("obama", "trump1"),
        ("trump1", "biden"),
    ]
    assert era_pairs(study, ["obama"]) == []
    spec = study.comparisons[2].filter
    assert describe_filter(spec) == "relevant = true; date from 2009-01-20 to …"
    assert filter_record(spec) == {"relevant": True, "date": {"from": "2009-01-20", "to": None}}
    assert describe_filter({}) == "all documents"


def test_group_tone_summarises_each_declared_group(corpus: pd.DataFrame, tmp_path: Path) -> None:
    kremlin = corpus[(corpus["source"] == "kremlin") & corpus["relevant"]]
    rows = pd.concat(
        [kremlin[kremlin["era"] == era].sort_values("doc_id").head(4) for era in ("obama", "bush")]
    ).reset_index(drop=True)
    scored = pd.concat([rows, score_documents(rows["text"])], axis=1)
    table = group_tone(parse_study(STUDY, base=tmp_path), scored)
    assert table[["question", "group", "documents"]].values.tolist() == [
        ["named groups", "early", 4],
        ["named groups", "late", 0],
        ["by era", "bush", 4],
        ["by era", "obama", 4],
        ["again", "bush", 0],
        ["again", "obama", 4],
    ]
    obama = scored.loc[scored["era"] == "obama", "score"]
    assert table.loc[0, "mean"] == pytest.approx(obama.mean())
    assert table.loc[0, "se"] == pytest.approx(obama.sem())
    assert np.isnan(table.loc[1, "mean"])


def test_without_copies_drops_only_when_the_study_says_so(corpus: pd.DataFrame) -> None:
    shipped = load_study(config.SHIPPED_STUDY)
    rows = articles(corpus, 3)
    later = rows.head(1).assign(doc_id="copy", date=rows["date"].iloc[0] + pd.Timedelta(days=1))
    frame = in_scope(shipped, pd.concat([rows, later]))
    kept, dropped = without_copies(shipped, frame)
    assert kept is frame and dropped == 0
    dropping = parse_study(
        shipped.text.replace("drop = false", "drop = true"), config.SHIPPED_STUDY
    )
    kept, dropped = without_copies(dropping, frame)
    assert dropped == 1 and list(kept["doc_id"]) == list(rows["doc_id"])


def test_sentences_of_the_corpus_page(corpus: pd.DataFrame) -> None:
    rows = articles(corpus, 4)
    assert scope_sentence(rows, 10, "all documents") == (
        "4 of the corpus's 10 documents are in the study's scope (all documents), from 1 "
        "source(s). *Note:* Every dated document is of one era (trump1): no era comparison. "
        "*Note:* Only 4 documents: most statistics will be notes."
    )
    counts = {"read": 1200, "kept": 1000, "quarantined": 200, "reasons": {"duplicate": 200}}
    assert accounting_sentence(counts) == (
        "The build read 1,200 records, kept 1,000 and quarantined 200 (200 duplicate)."
    )
    assert accounting_sentence(None).startswith("This corpus file does not record")
    copy_of = pd.Series(["a", None, "a", None])
    assert copies_sentence(copy_of, 0.9) == (
        "2 of the 4 documents are near-duplicate copies (Jaccard ≥ 0.9) of 1 others."
    )
    targets = dict(names_of_targets())
    assert set(targets) == {"russia", "united_states"}
    assert "Putin" in targets["russia"].split(", ")


def test_group_keyness_between_two_groups_or_a_note(corpus: pd.DataFrame) -> None:
    kremlin = corpus[(corpus["source"] == "kremlin") & corpus["relevant"]]
    rows = pd.concat(
        [kremlin[kremlin["era"] == era].sort_values("doc_id").head(6) for era in ("obama", "bush")]
    )
    key = group_keyness(rows["text"], rows["era"], ("obama", "bush"), min_docs=5)
    assert key.note == "" and key.labels == ("bush (6 documents)", "obama (6 documents)")
    bush = key.table.sort_values("G2").iloc[-1]  # the most key term of the second group
    assert bush["G2"] > 0 and bush["log_ratio"] > 0
    few = group_keyness(rows["text"], rows["era"], ("obama", "trump1"), min_docs=5)
    assert few.table is None
    assert few.note == "Keyness skipped (6 in obama, 0 in trump1): at least 5 per group are needed."
    none = group_keyness(rows["text"], rows["era"], (), min_docs=5)
    assert none.table is None and "no groups" in none.note
