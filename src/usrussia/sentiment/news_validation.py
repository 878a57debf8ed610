"""Validation of the measures on NewsMTSC: news sentences, tone towards named people.

Every measure (VADER's compound, the lexicon tone, the recommended score, the targeted
tone) is scored on each target of the held-out splits ``devtest_rw`` and ``devtest_mt``:
macro-F1 and accuracy of three classes whose boundaries were chosen on the training split
only (``usrussia.sentiment.classes``), and the Spearman r of the continuous measure with
the labels. ``validate_newsmtsc`` returns the tidy table and the JSON-able
``sentiment_validation_news`` block, with the evidence on targeted tone
(``targeted_evidence``); the paper's published figures stand beside ours, named as such
(``PAPER_ROWS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from usrussia import config
from usrussia.sentiment.classes import (
    Boundaries,
    bootstrap_difference,
    class_scores,
    fit_boundaries,
)
from usrussia.sentiment.features import prepare
from usrussia.sentiment.model import ToneRegressor, load_model
from usrussia.sentiment.newsmtsc import load_newsmtsc, sentences
from usrussia.sentiment.targeted import choose_window, target_tone
from usrussia.sentiment.vader import THRESHOLD

TEST_SPLITS = ("devtest_rw", "devtest_mt")
# What the score refitted for news must reach to become the recommended score: macro-F1 on
# devtest_rw, and the NYT correlation (grouped by editorial) it must keep.
SWITCH_MACRO_F1 = 0.65
SWITCH_NYT_R = 0.58
# Published macro-F1 of Hamborg & Donnay (EACL 2021), from the paper's abstract: their
# GRU-TSC and the best earlier model they evaluated, fine-tuned transformers that read the
# target (accuracy is not stated there).
PAPER_ROWS = (
    ("GRU-TSC (paper)", {"devtest_rw": 0.831, "devtest_mt": 0.825}),
    ("prior state of the art (paper)", {"devtest_rw": 0.817, "devtest_mt": 0.812}),
)
PAPER_SIZES = {"devtest_rw": 1146, "devtest_mt": 1476}  # targets (the paper's unit and ours)
VADER_USUAL = Boundaries(float(np.nextafter(-THRESHOLD, 0.0)), THRESHOLD)  # <= -0.05, >= 0.05


@dataclass(frozen=True)
class Measure:
    """One row group of the table: a column of ``measure_values`` and its class boundaries."""

    name: str
    column: str
    boundaries: Boundaries
    how: str


def _targeted(name: str) -> str:
    """The targeted-tone column of a score column: ``tone_target``, ``tone_target_news``."""
    return "tone_target" + name.removeprefix("score")


def measure_values(
    models: dict[str, ToneRegressor], windows: dict[str, int | None], splits: tuple[str, ...]
) -> dict[str, pd.DataFrame]:
    """Every measure on every target of each split, one row per target.

    Columns: ``sentence_id``, ``polarity``, ``vader_compound``, ``lexicon_tone`` and, per
    model, its score of the whole sentence (named as in ``models``) and its targeted tone
    (``tone_target…``, read from the model's window around the mention, ``windows``).
    """
    out = {}
    for split in splits:
        frame = load_newsmtsc(split)
        distinct, index = sentences(frame)
        features, words = prepare(distinct["sentence"].tolist())
        values = frame[["sentence_id", "polarity"]].copy()
        values["vader_compound"] = features["vader_compound"].to_numpy()[index]
        values["lexicon_tone"] = features["lexicon_tone"].to_numpy()[index]
        where = (frame["sentence"], frame["start"], frame["end"])
        for name, model in models.items():
            values[name] = model.predict_features(features, words)[index]
            values[_targeted(name)] = target_tone(model, *where, windows[name])
        out[split] = values
    return out


def _measures(models: dict[str, ToneRegressor], train: pd.DataFrame) -> list[Measure]:
    """The measures and their boundaries, all from the training split.

    A model fitted on NewsMTSC's training split brings boundaries chosen out of fold
    (``usrussia.sentiment.news_fitting``): its in-sample scores would flatter any cut.
    """
    train_only = "training split, max macro-F1"
    measures = [Measure("vader_compound (usual)", "vader_compound", VADER_USUAL, "+-0.05")]
    for column in ("vader_compound", "lexicon_tone"):
        bounds = fit_boundaries(train[column], train["polarity"])
        measures.append(Measure(column, column, bounds, train_only))
    for name, model in models.items():
        stored = model.metadata_.get("classes")
        for column, kind in ((name, "sentence"), (_targeted(name), "target")):
            if stored:
                bounds = Boundaries(stored[kind]["low"], stored[kind]["high"])
                measures.append(Measure(column, column, bounds, "training split, out of fold"))
            else:
                bounds = fit_boundaries(train[column], train["polarity"])
                measures.append(Measure(column, column, bounds, train_only))
    return measures


def targeted_evidence(values: pd.DataFrame, sentence: Measure, targeted: Measure) -> dict[str, Any]:
    """Does targeted tone get the target right more often than the sentence's tone?

    Parameters
    ----------
    values : DataFrame
        ``measure_values`` of one split (``devtest_mt``: every sentence names 2+ people).
    sentence, targeted : Measure
        The sentence-level score and its targeted tone.

    Returns
    -------
    dict
        Macro-F1 of both, the difference (targeted minus sentence) with a 95% interval
        from a paired bootstrap over sentences, and the accuracy of each on the targets of
        sentences whose targets share one label and of those whose labels differ (where a
        sentence-level tone cannot be right for all of them).
    """
    labels = values["polarity"].to_numpy()
    a = sentence.boundaries.classify(values[sentence.column])
    b = targeted.boundaries.classify(values[targeted.column])
    difference, low, high = bootstrap_difference(labels, a, b, values["sentence_id"])
    mixed = values.groupby("sentence_id")["polarity"].transform("nunique").to_numpy() > 1
    return {
        "sentence_level": sentence.column,
        "targeted": targeted.column,
        "macro_f1_difference": round(difference, 4),
        "ci_low": round(low, 4),
        "ci_high": round(high, 4),
        "interval_excludes_zero": bool(low > 0 or high < 0),
        "targets_in_mixed_sentences": int(mixed.sum()),
        "accuracy_mixed": {
            "sentence_level": round(float(np.mean(a[mixed] == labels[mixed])), 4),
            "targeted": round(float(np.mean(b[mixed] == labels[mixed])), 4),
        },
        "accuracy_agreeing": {
            "sentence_level": round(float(np.mean(a[~mixed] == labels[~mixed])), 4),
            "targeted": round(float(np.mean(b[~mixed] == labels[~mixed])), 4),
        },
    }


def model_window(model: ToneRegressor, train: pd.DataFrame) -> tuple[int | None, dict]:
    """A model's targeted-tone window: the one stored with a model fitted on NewsMTSC
    (chosen before it saw NewsMTSC), else ``choose_window`` on the training split."""
    stored = model.metadata_.get("classes")
    if stored:
        return stored["window"], stored["train_macro_f1_by_window"]
    return choose_window(model, train)


def validate_newsmtsc(models: dict[str, ToneRegressor]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The NewsMTSC validation: every measure on both held-out splits, and the block.

    Parameters
    ----------
    models : dict
        Name -> model: ``"score"`` (the recommended score) and any other to compare
        (``"score_news"``: the model fitted with NewsMTSC's training split).

    Returns
    -------
    table : DataFrame
        One row per measure and test split, then the paper's rows: ``measure``, ``split``,
        ``n`` (targets), ``macro_f1``, ``accuracy``, ``spearman_r``, ``low``, ``high`` and
        ``boundaries`` (how they were chosen).
    block : dict
        The ``sentiment_validation_news`` metrics block (``newsmtsc_block``).
    """
    train = load_newsmtsc("train")
    chosen = {name: model_window(model, train) for name, model in models.items()}
    windows = {name: window for name, (window, _) in chosen.items()}
    values = measure_values(models, windows, ("train", *TEST_SPLITS))
    measures = _measures(models, values["train"])
    rows = [
        {
            "measure": m.name,
            "split": split,
            **class_scores(values[split][m.column], values[split]["polarity"], m.boundaries),
            "low": m.boundaries.low,
            "high": m.boundaries.high,
            "boundaries": m.how,
        }
        for m in measures
        for split in TEST_SPLITS
    ]
    table = pd.concat([pd.DataFrame(rows), paper_table()], ignore_index=True)
    by_name = {m.name: m for m in measures}
    evidence = {
        name: {
            "window": windows[name],
            "train_macro_f1_by_window": chosen[name][1],
            **targeted_evidence(values["devtest_mt"], by_name[name], by_name[_targeted(name)]),
        }
        for name in models
    }
    return table, newsmtsc_block(table, evidence)


def paper_table() -> pd.DataFrame:
    """The published macro-F1 of Hamborg & Donnay (2021) on the two test splits."""
    return pd.DataFrame(
        [
            {"measure": m, "split": s, "n": PAPER_SIZES[s], "macro_f1": f1, "boundaries": "paper"}
            for m, by_split in PAPER_ROWS
            for s, f1 in by_split.items()
        ]
    )


def newsmtsc_block(table: pd.DataFrame, evidence: dict[str, Any]) -> dict[str, Any]:
    """The ``sentiment_validation_news`` metrics block: per measure and split, 4 decimals.

    Returns
    -------
    dict
        ``data``, ``unit``, ``measures`` ({measure: {split: {n, macro_f1, accuracy,
        spearman_r}, "boundaries": …}}), ``paper`` ({row: {split: macro_f1}}),
        ``targeted`` (per model: its window, None meaning to the contrast breaks, and
        ``targeted_evidence``).
    """
    ours = table[table["boundaries"] != "paper"]
    measures: dict[str, Any] = {}
    for (name, split), row in ours.set_index(["measure", "split"]).iterrows():
        entry = measures.setdefault(name, {"boundaries": row["boundaries"]})
        entry["low"], entry["high"] = round(row["low"], 4), round(row["high"], 4)
        entry[split] = {
            "n": int(row["n"]),
            **{k: round(float(row[k]), 4) for k in ("macro_f1", "accuracy", "spearman_r")},
        }
    return {
        "data": "NewsMTSC (Hamborg & Donnay, EACL 2021): sentiment towards named people in "
        "US political news; boundaries chosen on the training split only",
        "unit": "target (a sentence counts once per person it names)",
        "measures": measures,
        "paper": {m: dict(by_split) for m, by_split in PAPER_ROWS},
        "targeted": evidence,
    }


def news_sentence(
    macro_f1: pd.Series,
    targeted: dict[str, Any],
    split: str = "devtest_rw",
    news_nyt_r: float | None = None,
) -> str:
    """The NewsMTSC result in plain words, from the run's figures, with the recommendation
    that follows from them.

    Parameters
    ----------
    macro_f1 : Series
        Macro-F1 by (measure, split), from ``validate_newsmtsc``'s table.
    targeted : dict
        The block's ``targeted`` entry for the recommended score.
    split : str
    news_nyt_r : float, optional
        The grouped NYT CV r of the score refitted for news (its model's ``cv``).

    Returns
    -------
    sentence : str
    """
    f1 = {measure: value for (measure, where), value in macro_f1.items() if where == split}
    parts = [f"On `{split}`, `score` reaches macro-F1 {f1['score']:.3f}"]
    if "score_news" in f1:
        parts.append(f"the score refitted for news {f1['score_news']:.3f}")
    papers = {m: v for m, v in f1.items() if m.endswith("(paper)")}
    if papers:
        best = max(papers, key=papers.get)
        parts.append(f"the paper's {best.removesuffix(' (paper)')} {papers[best]:.3f}")
    low, high = targeted["ci_low"], targeted["ci_high"]
    if low > 0:
        verdict = "a gain, so tone about a target can be read from the window around its mention"
    else:
        verdict = (
            f"{'a loss' if high < 0 else 'an interval that includes no change'}, so tone about a "
            "target stays the tone of the whole sentences that name it"
        )
    return (
        ", ".join(parts) + ". " + switch_sentence(f1.get("score_news"), news_nyt_r) + " "
        "On sentences naming two or more people, the window around a "
        f"mention changes macro-F1 by {targeted['macro_f1_difference']:+.3f} (95% interval "
        f"{low:+.3f} to {high:+.3f}): {verdict}."
    )


def switch_sentence(news_f1: float | None, news_nyt_r: float | None) -> str:
    """Whether the score refitted for news should replace ``score``: only when it reaches
    ``SWITCH_MACRO_F1`` on news it has never seen and keeps ``SWITCH_NYT_R`` on NYT."""
    if news_f1 is None or news_nyt_r is None:
        return "No score refitted for news is shipped, so `score` stays the recommended score."
    short = [
        f"{what} {got:.3f} (short of {need:.2f})"
        for what, got, need in (
            ("macro-F1", news_f1, SWITCH_MACRO_F1),
            ("NYT grouped r", news_nyt_r, SWITCH_NYT_R),
        )
        if got < need
    ]
    if not short:
        return (
            f"The score refitted for news reaches macro-F1 {news_f1:.3f} (at least "
            f"{SWITCH_MACRO_F1:.2f}) and keeps NYT grouped r {news_nyt_r:.3f} (at least "
            f"{SWITCH_NYT_R:.2f}): it meets the criteria to replace `score` on news."
        )
    return (
        "`score` stays the recommended score: the score refitted for news would replace it "
        f"at macro-F1 {SWITCH_MACRO_F1:.2f} with NYT grouped r {SWITCH_NYT_R:.2f} kept; it has "
        f"{' and '.join(short)}."
    )


def news_validation(model: ToneRegressor) -> tuple[pd.DataFrame, dict[str, Any], str]:
    """The NewsMTSC validation of the recommended ``model`` and, when it is shipped, of the
    score refitted for news (``config.MODEL_NEWS_JSON``): the table, the metrics block and
    its sentence (``news_sentence``)."""
    models = {"score": model}
    if config.MODEL_NEWS_JSON.exists():
        models["score_news"] = load_model(config.MODEL_NEWS_JSON)
    table, block = validate_newsmtsc(models)
    macro_f1 = table.set_index(["measure", "split"])["macro_f1"]
    news = models.get("score_news")
    nyt_r = news.metadata_["cv"]["nyt_pearson_r"] if news is not None else None
    return table, block, news_sentence(macro_f1, block["targeted"]["score"], news_nyt_r=nyt_r)
