"""A study's comparisons made into records: each kind on tiny hand-checked corpora, the
notes of comparisons that cannot be made, and corpora cut from the shipped data under source
names the shipped study was not written for."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from study_corpora import COLD, MY_STUDY, PLAIN, RUSSIA, WARM, cut, documents

from usrussia import config
from usrussia.compare import load_events
from usrussia.sentiment import score_documents
from usrussia.study import in_scope, load_study, parse_study
from usrussia.study.comparisons import run_study

HEAD = '[study]\ncorpus = "corpus.parquet"\nn_resamples = 300\n'
ERAS = 'by = "era"\ngroups = ["obama", "trump1"]\n'
# Obama-era meetings: Los Cabos 2012-06-18, Lough Erne 2013-06-17; Hamburg 2017-07-07.
DOCS = documents(
    [
        {"doc_id": "o1", "text": COLD, "date": "2012-06-19"},
        {"doc_id": "o2", "text": f"{COLD} {PLAIN}", "date": "2013-06-17"},
        {"doc_id": "o3", "text": f"{PLAIN} {RUSSIA}", "date": "2014-03-01"},
        {"doc_id": "t1", "text": WARM, "date": "2017-07-06"},
        {"doc_id": "t2", "text": f"{WARM} {RUSSIA}", "date": "2017-07-09"},
        {"doc_id": "t3", "text": f"{PLAIN} {WARM}", "date": "2018-02-01"},
        {"doc_id": "u1", "text": COLD},
    ]
)


def scores(texts: list[str]) -> np.ndarray:
    return score_documents(texts, targets=True)["score"].to_numpy()


def run(study_text: str, docs: pd.DataFrame = DOCS):
    return run_study(parse_study(study_text), docs, events=load_events())


def test_two_groups_differ_by_the_mean_score_of_their_units() -> None:
    result = run(HEAD + f'[[comparisons]]\nname = "eras"\n{ERAS}')
    (record,) = result.comparisons[0].records
    by_id = dict(zip(DOCS["doc_id"], scores(DOCS["text"].tolist()), strict=True))
    expected = np.mean([by_id[d] for d in ("t1", "t2", "t3")])
    expected -= np.mean([by_id[d] for d in ("o1", "o2", "o3")])
    assert record["diff"] == pytest.approx(expected) and record["diff"] > 0
    assert (record["n_a"], record["n_b"]) == (3, 3)
    assert record["question"] == "eras" and record["label"] == "documents, score"
    assert "1 documents without a era (e.g. no date)" in record["note"]
    assert record["ci_low"] <= record["diff"] <= record["ci_high"]
    assert result.table["p_adjusted"].notna().all()


def test_measures_windows_and_controls_give_one_record_each() -> None:
    study = (
        HEAD + f'[[comparisons]]\nname = "eras"\n{ERAS}measures = ["score", "tone_russia"]\n'
        'windows = true\ncontrols = [[], ["outlet"]]\n'
    )
    labels = [r["label"] for r in run(study).comparisons[0].records]
    assert labels == [
        "documents, score",
        "documents, tone_russia",
        "meeting windows (documents in windows), score",
        "meeting windows (meeting means), score",
        "OLS-HC3, length only, score",
        "OLS-HC3, length only, tone_russia",
        "OLS-HC3, outlet + length, score",
        "OLS-HC3, outlet + length, tone_russia",
    ]
    windows = run(study).comparisons[0].records[2]
    assert (windows["n_a"], windows["n_b"]) == (2, 2)  # o1, o2 and t1, t2 are near meetings
    assert "1 undated documents could not be placed" in windows["note"]


def test_same_weeks_keeps_the_weeks_both_groups_have() -> None:
    docs = documents(
        [
            {"doc_id": "a1", "text": COLD, "date": "2017-07-03", "outlet": "a.com"},
            {"doc_id": "b1", "text": WARM, "date": "2017-07-05", "outlet": "b.com"},
            {"doc_id": "a2", "text": COLD, "date": "2017-07-12", "outlet": "a.com"},
            {"doc_id": "b2", "text": WARM, "date": "2017-08-01", "outlet": "b.com"},
            {"doc_id": "b3", "text": WARM, "outlet": "b.com"},
        ]
    )
    study = HEAD + (
        '[[comparisons]]\nname = "outlets"\nby = "outlet"\ngroups = ["a.com", "b.com"]\n'
        'same_weeks = true\ncontrols = [["week"]]\n'
    )
    made = run(study, docs).comparisons[0]
    assert made.tested["doc_id"].tolist() == ["a1", "b1"]
    assert "2 of 5 units fall in the 1 weeks in which both groups have units" in made.notes
    assert made.records[1]["label"] == "OLS-HC3, week + length, score"


def test_an_event_compares_one_meeting_with_the_other_meetings_of_an_era() -> None:
    study = HEAD + (
        '[[comparisons]]\nname = "seed"\nkind = "event"\nby = "era"\n'
        'groups = ["obama", "2017-07-07 Hamburg"]\n'
    )
    made = run(study).comparisons[0]
    (record,) = made.records
    by_id = dict(zip(DOCS["doc_id"], scores(DOCS["text"].tolist()), strict=True))
    expected = np.mean([by_id["t1"], by_id["t2"]]) - np.mean([by_id["o1"], by_id["o2"]])
    assert record["diff"] == pytest.approx(expected)
    assert (record["group_a"], record["group_b"]) == ("obama meetings", "2017-07-07 Hamburg")
    assert record["window_days"] == 7
    assert "1 undated units could not be placed in a window" in record["note"]
    hamburg = made.meetings.set_index("meeting").loc["2017-07-07 Hamburg"]
    assert hamburg["n"] == 2


def test_pooled_pools_the_other_comparisons_units_by_unit_type() -> None:
    study = HEAD + (
        f'[[comparisons]]\nname = "pages"\n{ERAS}'
        f'[[comparisons]]\nname = "titles"\nunit = "headline"\n{ERAS}'
        f'[[comparisons]]\nname = "all"\nkind = "pooled"\n{ERAS}controls = [["outlet"]]\n'
    )
    made = run(study).comparisons[2]
    assert sorted(made.units["unit"].unique()) == ["wire document", "wire headline"]
    two_group, regression = made.records
    assert (two_group["n_a"], two_group["n_b"]) == (6, 6)
    assert two_group["label"] == "units, score, stratified by unit"
    assert regression["label"] == "OLS-HC3, outlet, unit + length, score"
    assert "unit" in regression["controls"]


def test_sensitivity_is_a_grid_of_measures_and_widths() -> None:
    study = HEAD.replace("n_resamples", 'measures = ["score", "vader_compound"]\nn_resamples')
    study += '[events]\nwidths = [3, 30]\n[[comparisons]]\nname = "eras"\n' + ERAS
    study += "sensitivity = true\n"
    result = run(study)
    grid = result.comparisons[0].sensitivity
    assert grid["label"].tolist() == [
        "score, all units",
        "score, ±3 days",
        "score, ±30 days",
        "vader_compound, all units",
        "vader_compound, ±3 days",
        "vader_compound, ±30 days",
    ]
    assert set(grid["question"]) == {"Sensitivity: eras"} and set(grid["correction"]) == {"fdr_bh"}
    assert len(result.block()) == 1 + len(grid)


@pytest.mark.parametrize(
    ("comparison", "note"),
    [
        ('by = "outlet_group"\ngroups = ["a", "b"]', "the corpus has no column 'outlet_group'"),
        ('filter = { desk = "x" }\n' + ERAS, "the corpus has no column 'desk'"),
        ('by = "era"\ngroups = ["obama", "biden"]', "biden has 0 document(s), need at least 2"),
        ('unit = "sentences"\ntarget = "mars"\n' + ERAS, "no target 'mars' in the alias table"),
        ('strata = "desk"\n' + ERAS, "the units have no column 'desk'"),
        ('kind = "event"\nby = "era"\ngroups = ["obama", "2017-07-08 Nowhere"]', "no meeting"),
        ('kind = "event"\nby = "pope"\ngroups = ["x", "2017-07-07 Hamburg"]', "no column 'pope'"),
        ('kind = "pooled"\n' + ERAS, "no units to pool"),
    ],
)
def test_a_comparison_that_cannot_be_made_is_a_record_with_a_note(
    comparison: str, note: str
) -> None:
    result = run(HEAD + f'[[comparisons]]\nname = "x"\n{comparison}\n')
    (record,) = result.comparisons[0].records
    assert note in record["note"]
    assert record["question"] == "x" and np.isnan(record["p_value"])


def test_the_shipped_study_on_a_corpus_it_was_not_written_for(corpus: pd.DataFrame) -> None:
    """Every comparison of the shipped study gives records with notes, never an error."""
    study = load_study(config.SHIPPED_STUDY)
    result = run_study(study, in_scope(study, cut(corpus, "two_kinds")))
    assert [r.comparison.name for r in result.comparisons] == [c.name for c in study.comparisons]
    assert all(record["note"] for record in result.block())
    json.dumps(result.block(), default=str)


@pytest.mark.parametrize("kind", ["two_kinds", "one_era", "undated", "five"])
def test_a_study_runs_on_corpora_cut_from_the_shipped_data(corpus: pd.DataFrame, kind: str) -> None:
    study = parse_study(MY_STUDY)
    result = run_study(study, in_scope(study, cut(corpus, kind)))
    block = result.block()
    assert {r["question"] for r in block} >= {c.name for c in study.comparisons}
    by_question = pd.DataFrame(block).groupby("question")
    eras = by_question.get_group("My coverage across eras")
    if kind == "two_kinds":
        assert eras["diff"].notna().iloc[0] and eras["n_a"].iloc[0] > 10
    if kind == "one_era":
        assert "obama has 0 document(s)" in eras["note"].iloc[0]
    if kind == "undated":
        assert eras["note"].str.contains("without a era|undated").all()
        event = by_question.get_group("Hamburg against the Obama meetings")
        assert "undated units could not be placed" in event["note"].iloc[0]
    if kind == "five":
        assert eras[["n_a", "n_b"]].sum(axis=1).max() <= 5
