"""NewsMTSC: its reader, the three-class metrics, targeted tone, the validation table and the
``usrussia sentiment validate`` command.

The news-fitted model (``usrussia sentiment fit --news``) and the ridge solver at its size:
``tests/test_sentiment_news_model.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from nltk.sentiment.vader import SentimentIntensityAnalyzer
from sklearn.metrics import f1_score
from typer.testing import CliRunner

from usrussia import config
from usrussia.cli import app
from usrussia.corpus.records import InputError
from usrussia.io import sha256_file
from usrussia.sentiment import (
    PAPER_ROWS,
    Boundaries,
    bootstrap_difference,
    class_scores,
    fit_boundaries,
    load_model,
    load_newsmtsc,
    macro_f1,
    prepare,
    read_newsmtsc,
    sentences,
    target_window,
    validate_newsmtsc,
)
from usrussia.sentiment.news_validation import VADER_USUAL, switch_sentence
from usrussia.sentiment.targeted import PLACEHOLDER

# Sentences and targets per split, and the targets per class (negative, neutral, positive).
SPLITS = {
    "train": (7758, 8739, (3316, 3028, 2395)),
    "devtest_rw": (1067, 1146, (429, 455, 262)),
    "devtest_mt": (721, 1476, (482, 748, 246)),
}


@pytest.mark.parametrize("split", SPLITS)
def test_shipped_splits_are_read_whole(split: str) -> None:
    """Every line of each shipped split is kept; one row per target, each mention at its
    offsets; the class counts are the dataset's."""
    frame, ledger = read_newsmtsc(config.NEWSMTSC_JSONL[split])
    n_sentences, n_targets, per_class = SPLITS[split]
    assert (ledger.read, ledger.kept, ledger.quarantined) == (n_sentences, n_sentences, 0)
    assert len(frame) == n_targets and frame["sentence_id"].nunique() == n_sentences
    assert tuple(frame["polarity"].value_counts().reindex([-1, 0, 1])) == per_class
    spans = zip(frame["sentence"], frame["start"], frame["end"], frame["mention"], strict=True)
    assert all(s[a:b] == m for s, a, b, m in spans)
    distinct, index = sentences(frame)
    assert len(distinct) == n_sentences
    assert (distinct["sentence"].to_numpy()[index] == frame["sentence"].to_numpy()).all()
    pd.testing.assert_frame_equal(load_newsmtsc(split), frame)


def test_reader_quarantines_bad_lines_with_reasons(tmp_path: Path) -> None:
    good = {
        "primary_gid": "allsides_1_2_3_Anna_0_4",
        "sentence_normalized": "Anna thanked Ben.",
        "targets": [
            {"Input.gid": "allsides_1_2_3_Anna_0_4", "from": 0, "to": 4, "mention": "Anna",
             "polarity": 6.0},
            {"Input.gid": "allsides_1_2_3_Ben_13_16", "from": 13, "to": 16, "mention": "Ben",
             "polarity": 4.0},
        ],
    }  # fmt: skip
    shifted = json.loads(json.dumps(good)) | {"primary_gid": "b"}
    shifted["targets"][1]["from"] = 12
    coded = json.loads(json.dumps(good)) | {"primary_gid": "c"}
    coded["targets"][0]["polarity"] = 5.0
    lines = [good, "{not json", shifted, coded, good, {**good, "primary_gid": "d", "targets": []}]
    path = tmp_path / "split.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    frame, ledger = read_newsmtsc(path)
    assert (ledger.read, ledger.kept, ledger.quarantined) == (6, 1, 5)
    assert dict(ledger.reasons()) == {"invalid JSON": 1, "invalid target": 4}
    details = " | ".join(r.detail for r in ledger.rejected)
    for expected in ("is not at 12:16", "polarity 5.0", "read before", "no targets"):
        assert expected in details
    assert frame["polarity"].tolist() == [1, 0] and frame["primary"].tolist() == [True, False]
    assert frame["article"].tolist() == ["allsides_1_2"] * 2
    with pytest.raises(InputError, match="no NewsMTSC split 'test'"):
        load_newsmtsc("test")


def test_shipped_files_are_pinned_in_the_readme() -> None:
    """The validation README lists the sha256 of every shipped NewsMTSC file."""
    readme = (config.NEWSMTSC.parent / "README.md").read_text(encoding="utf-8")
    pinned = dict(re.findall(r"^- `([^`]+)` ([0-9a-f]{64})$", readme, flags=re.MULTILINE))
    files = sorted(p.name for p in config.NEWSMTSC.iterdir())
    assert sorted(pinned) == files
    for name, digest in pinned.items():
        assert sha256_file(config.NEWSMTSC / name) == digest, name


def test_macro_f1_by_hand() -> None:
    """labels  -1 -1  0  0  1  1, predicted -1  0  0  0  1 -1:
    F1(-1) = 2*1/(2+2) = 0.5, F1(0) = 2*2/(2+3) = 0.8, F1(1) = 2*1/(2+1) = 2/3."""
    labels, predicted = [-1, -1, 0, 0, 1, 1], [-1, 0, 0, 0, 1, -1]
    assert macro_f1(labels, predicted) == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)
    assert macro_f1(labels, predicted) == pytest.approx(
        f1_score(labels, predicted, average="macro")
    )
    assert macro_f1([0, 0], [0, 0]) == pytest.approx(1 / 3)  # absent classes score 0


def test_boundaries_by_hand() -> None:
    """Values -2 -1 0 0.5 1 2 labelled -1 -1 0 0 1 1 are split perfectly by one pair of
    cuts, which lies halfway between the values; a value equal to ``high`` is positive."""
    values, labels = [-2.0, -1.0, 0.0, 0.5, 1.0, 2.0], [-1, -1, 0, 0, 1, 1]
    bounds = fit_boundaries(values, labels)
    assert (bounds.low, bounds.high) == (-0.5, 0.75)
    assert bounds.classify(values).tolist() == labels
    scores = class_scores(values, labels, bounds)
    # Spearman r: Pearson r of the ranks 1..6 and the tied label ranks 1.5 1.5 3.5 3.5 5.5 5.5
    spearman = np.corrcoef(np.arange(1, 7), [1.5, 1.5, 3.5, 3.5, 5.5, 5.5])[0, 1]
    assert scores == {
        "n": 6,
        "macro_f1": 1.0,
        "accuracy": 1.0,
        "spearman_r": pytest.approx(spearman),
    }
    assert Boundaries(0.0, 1.0).classify([-0.1, 0.0, 0.99, 1.0]).tolist() == [-1, 0, 0, 1]
    assert VADER_USUAL.classify([-0.05, -0.0499, 0.0499, 0.05]).tolist() == [-1, 0, 0, 1]
    # with no neutral label the best cuts leave no neutral region
    two = fit_boundaries([-1.0, -0.5, 0.5, 1.0], [-1, -1, 1, 1])
    assert two.low == two.high == 0.0


def test_bootstrap_difference_by_hand() -> None:
    """The point estimate is B's macro-F1 minus A's; A = B gives 0 with a zero interval;
    B right everywhere and A wrong on 6 of 15 sentences gives an interval above 0."""
    labels = np.array([-1, -1, 0, 0, 1, 1] * 5)
    clusters = np.repeat(np.arange(15), 2)
    same = bootstrap_difference(labels, labels, labels, clusters, n=200)
    assert same == (0.0, 0.0, 0.0)
    worse = labels.copy()
    worse[:12] = (labels[:12] + 2) % 3 - 1  # wrong on the first 6 of 15 sentences
    difference, low, high = bootstrap_difference(labels, worse, labels, clusters, n=500)
    assert difference == pytest.approx(1.0 - macro_f1(labels, worse))
    assert 0 < low <= difference <= high
    assert bootstrap_difference(labels, worse, labels, clusters, n=500) == (difference, low, high)


def test_target_window_masks_the_mention_and_stops_at_contrast() -> None:
    sentence = "Merkel praised Macron but Trump attacked him, critics said on Monday."
    trump = sentence.index("Trump")
    assert target_window(sentence, trump, trump + 5, 3) == f"{PLACEHOLDER} attacked him, critics"
    merkel = target_window(sentence, 0, 6, None)
    assert merkel == f"{PLACEHOLDER} praised Macron"
    macron = sentence.index("Macron")
    assert target_window(sentence, macron, macron + 6, 1) == f"praised {PLACEHOLDER}"
    assert target_window("Trump", 0, 5, 8) == PLACEHOLDER
    negated = "Critics said Putin did not help anyone; the talks failed."
    putin = negated.index("Putin")
    assert (
        target_window(negated, putin, putin + 5, 16)
        == f"Critics said {PLACEHOLDER} did not help anyone"
    )


def test_plain_vader_reproduces_the_calibration_figure() -> None:
    """NLTK's VADER with its usual +-0.05 thresholds has macro-F1 0.508 on devtest_rw's
    1,146 targets (the figure the project measured when NewsMTSC was proposed): the
    metric, the reader and the unit of evaluation agree with it."""
    frame = load_newsmtsc("devtest_rw")
    analyzer = SentimentIntensityAnalyzer()
    compound = [analyzer.polarity_scores(s)["compound"] for s in frame["sentence"]]
    assert macro_f1(frame["polarity"], VADER_USUAL.classify(compound)) == pytest.approx(
        0.508, abs=5e-4
    )


@pytest.fixture(scope="module")
def validated() -> tuple[pd.DataFrame, dict]:
    return validate_newsmtsc({"score": load_model()})


def test_validation_table_has_every_measure_beside_the_paper(validated) -> None:
    table, block = validated
    ours = table[table["boundaries"] != "paper"]
    measures = {"vader_compound (usual)", "vader_compound", "lexicon_tone", "score", "tone_target"}
    assert set(ours["measure"]) == measures
    splits = ours.groupby("measure")["split"].apply(sorted)
    assert all(s == ["devtest_mt", "devtest_rw"] for s in splits)
    assert set(ours.loc[ours["split"] == "devtest_rw", "n"]) == {1146}
    assert set(ours.loc[ours["split"] == "devtest_mt", "n"]) == {1476}
    assert ours[["macro_f1", "accuracy"]].stack().between(0.3, 0.8).all()
    assert (ours["spearman_r"] > 0.2).all()
    paper = table[table["boundaries"] == "paper"]
    assert len(paper) == 2 * len(PAPER_ROWS) and paper["measure"].str.endswith("(paper)").all()
    assert paper["macro_f1"].min() > ours["macro_f1"].max()
    json.dumps(block, allow_nan=False)
    assert block["measures"]["score"]["devtest_rw"]["macro_f1"] == round(
        ours.set_index(["measure", "split"]).loc[("score", "devtest_rw"), "macro_f1"], 4
    )


def test_boundaries_come_from_the_training_split_only(validated) -> None:
    """Each measure's boundaries are those fitted on the training split's targets (the
    usual VADER row keeps +-0.05): no figure of a test split enters them."""
    table, _ = validated
    train = load_newsmtsc("train")
    distinct, index = sentences(train)
    features, _ = prepare(distinct["sentence"].tolist())
    rows = table.set_index(["measure", "split"])
    for column in ("vader_compound", "lexicon_tone"):
        expected = fit_boundaries(features[column].to_numpy()[index], train["polarity"])
        got = rows.loc[(column, "devtest_mt")]
        assert (got["low"], got["high"]) == (expected.low, expected.high)
    usual = rows.loc[("vader_compound (usual)", "devtest_rw")]
    assert (usual["low"], usual["high"]) == (VADER_USUAL.low, VADER_USUAL.high)


def test_targeted_evidence_is_reported(validated) -> None:
    _, block = validated
    evidence = block["targeted"]["score"]
    assert evidence["window"] in (4, 8, 12, 16, None)
    assert evidence["ci_low"] <= evidence["macro_f1_difference"] <= evidence["ci_high"]
    assert evidence["interval_excludes_zero"] == (evidence["ci_low"] > 0 or evidence["ci_high"] < 0)
    assert evidence["targets_in_mixed_sentences"] > 500
    # where the people of one sentence differ, the sentence's tone cannot be right for all
    mixed, agreeing = evidence["accuracy_mixed"], evidence["accuracy_agreeing"]
    assert mixed["sentence_level"] < agreeing["sentence_level"]


def test_cli_validate_refuses_a_missing_model_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["sentiment", "validate", "--news-model", str(tmp_path / "none.json")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --news-model") and len(result.stderr.splitlines()) == 1
    bad = tmp_path / "bad.json"
    bad.write_text('{"alpha": 1}', encoding="utf-8")
    result = CliRunner().invoke(app, ["sentiment", "validate", "--news-model", str(bad)])
    assert result.exit_code == 2 and "not a model" in result.stderr


@pytest.mark.slow
def test_cli_validate_prints_the_whole_table(tmp_path: Path) -> None:
    """``usrussia sentiment validate`` prints both sets, every measure and the paper's rows."""
    result = CliRunner().invoke(app, ["sentiment", "validate", "--folds", "3"])
    assert result.exit_code == 0, result.output
    for text in (
        "NYT editorial",
        "NewsMTSC",
        "vader_compound (usual)",
        "lexicon_tone",
        "tone_target",
        "GRU-TSC (paper)",
        "VADER (paper)",
        "devtest_mt",
        "95% CI",
    ):
        assert text in result.output, text  # fmt: skip


@pytest.mark.parametrize(
    ("f1", "nyt_r", "expected"),
    [
        (
            0.582,
            0.5697,
            "`score` stays the recommended score: the score refitted for news would replace it "
            "at macro-F1 0.65 with NYT grouped r 0.58 kept; it has macro-F1 0.582 (short of "
            "0.65) and NYT grouped r 0.570 (short of 0.58).",
        ),
        (
            0.70,
            0.571,
            "`score` stays the recommended score: the score refitted for news would replace it "
            "at macro-F1 0.65 with NYT grouped r 0.58 kept; it has NYT grouped r 0.571 (short "
            "of 0.58).",
        ),
        (
            0.65,
            0.58,
            "The score refitted for news reaches macro-F1 0.650 (at least 0.65) and keeps NYT "
            "grouped r 0.580 (at least 0.58): it meets the criteria to replace `score` on news.",
        ),
        (
            None,
            None,
            "No score refitted for news is shipped, so `score` stays the recommended score.",
        ),
    ],
)
def test_the_recommendation_follows_from_the_figures(f1, nyt_r, expected: str) -> None:
    assert switch_sentence(f1, nyt_r) == expected
