"""Sentiment: VADER per sentence, lexicons, lexicon tone, targeted tone, validation, the CLI.

The estimator, its fitting and the shipped model: ``tests/test_sentiment_model.py``.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from nltk.sentiment.vader import SentimentIntensityAnalyzer
from typer.testing import CliRunner

from usrussia import config
from usrussia.cli import app
from usrussia.sentiment import (
    afinn,
    lexicon_polarity,
    load_nyt_ratings,
    paper_table,
    pattern_adjectives,
    prepare,
    score_documents,
    score_sentences,
    tokenize,
    vader,
    validation_block,
    validation_row,
    word_counts,
)
from usrussia.sentiment.vader import Vader
from usrussia.text.sentences import split_sentences
from usrussia.text.tokens import word_tokenize

vader_module = importlib.import_module("usrussia.sentiment.vader")  # the name is the function's


@pytest.fixture(scope="module")
def plain_vader() -> SentimentIntensityAnalyzer:
    """NLTK's own analyzer, loaded from the shipped lexicon (nothing downloaded)."""
    return SentimentIntensityAnalyzer()


@pytest.fixture(scope="module")
def nyt() -> pd.DataFrame:
    return load_nyt_ratings()


@pytest.fixture(scope="module")
def nyt_features(nyt: pd.DataFrame) -> pd.DataFrame:
    return prepare(nyt["sentence"].tolist())[0]


def test_nltk_vader_loads_offline(plain_vader: SentimentIntensityAnalyzer) -> None:
    assert plain_vader.polarity_scores("The plan is good.")["compound"] == pytest.approx(0.4404)
    assert len(plain_vader.lexicon) == 7506  # 7,520 lines, some tokens listed twice


def test_nyt_ratings_are_read_whole(nyt: pd.DataFrame) -> None:
    assert len(nyt) == 5190
    assert nyt["id"].is_unique
    assert nyt["article"].nunique() == 498  # ids run to 500; two editorials are absent
    assert nyt["rating"].between(-4, 4).all()
    assert nyt["sentence"].str.len().gt(0).all()
    assert not nyt["sentence"].str.contains("\r").any()


def test_nltk_vader_reproduces_the_published_r(nyt: pd.DataFrame, plain_vader) -> None:
    """The paper reports r = 0.492; NLTK's port must land within 0.49 +- 0.02."""
    compound = [plain_vader.polarity_scores(s)["compound"] for s in nyt["sentence"]]
    row = validation_row("vader_compound", compound, nyt["rating"])
    assert row["n"] == 5190
    assert abs(row["pearson_r"] - 0.49) <= 0.02


# Sentences for every rule of NLTK's VADER: boosters (and in capitals) one, two and three
# words back, negations at each distance, "never so/this", "least", "but", "kind of",
# every idiom, capitals with and without others, "!" and "?", marks around words, words
# repeated (NLTK scores a repeat at its first position), no word, one character.
RULE_SENTENCES = (
    "The deal is VERY good.",
    "It was extremely, really good and so very bad.",
    "A hugely, incredibly, utterly wonderful plan, barely good, slightly bad.",
    "not good; not very good; not at all good; isn't good; wasn't really that good",
    "Without doubt it was nothing good, never so good, never this bad, this is so good.",
    "least good, at least good, the very least bad, least",
    "Good talks, but a bad outcome.",
    "BUT GOOD, but, good BUT bad",
    "It is kind of good, kind of bad, kind good, KIND OF GREAT, sort of nice, just enough fun",
    "That was the shit, the bomb, bad ass, yeah right, cut the mustard, kiss of death.",
    "They live hand to mouth, happy.",
    "GOOD",
    "This is GOOD and BAD",
    "ALL CAPS GREAT NEWS",
    "good! good!!!!! good?? good???? bad?! bad?!?! :) :-( :D",
    "'good' \"bad\" (good) good... ...good !!!good good?!?! ,good a, b !? -dash- 'quoted'",
    "good good bad good; not good but good, good",
    "It's not bad. Don't worry, it ain't no failure; nope, nor nothing",
    "Hello!!! world?!?! 'quoted' -dash- :) :-( lol :D",
    "It is not bad... at least!",
    "x",
    "",
    "   ",
    "\u00a0good,\u00a0bad \u2019good\u2019 \u201cgreat\u201d",
)


class _ReferenceVader(SentimentIntensityAnalyzer):
    """NLTK's analyzer, unchanged, that also returns the sums of the valences it scored."""

    def score_valence(self, sentiments, text):
        scores = super().score_valence(sentiments, text)
        scores["valence_pos"] = float(sum(s for s in sentiments if s > 0))
        scores["valence_neg"] = float(sum(s for s in sentiments if s < 0))
        return scores


def _differences(sentences, ours) -> list[tuple[str, dict, dict]]:
    reference = _ReferenceVader()
    bad = []
    for sentence in sentences:
        expected, got = reference.polarity_scores(sentence), ours.polarity_scores(sentence)
        if got.keys() != expected.keys() or any(
            abs(got[k] - expected[k]) > 1e-12 for k in expected
        ):
            bad.append((sentence, expected, got))
    return bad


def test_vader_is_nltks_on_news(nyt: pd.DataFrame, corpus: pd.DataFrame) -> None:
    """All 5,190 NYT sentences and every sentence of 2,000 Kremlin pages (a seeded sample):
    the four fields and the valence sums are NLTK's to 1e-12."""
    pages = corpus[corpus["source"] == "kremlin"].sample(2000, random_state=config.SEED)
    sentences = [*nyt["sentence"], *(s for t in pages["text"] for s in split_sentences(t))]
    distinct = list(dict.fromkeys(sentences))
    bad = _differences(distinct, vader())
    print(f"compared {len(sentences):,} sentences ({len(distinct):,} distinct) with NLTK")
    assert len(sentences) > 60_000
    assert not bad, bad[:3]


def test_vader_is_nltks_on_every_rule() -> None:
    """Each rule's sentences, scored by a fresh analyzer twice (the second time cached)."""
    ours = Vader()
    assert not _differences(RULE_SENTENCES, ours)
    assert not _differences(RULE_SENTENCES, ours)
    assert ours._cached.cache_info().hits >= len(set(RULE_SENTENCES))


def test_vader_table_and_cache_are_bounded_and_scores_stay_nltks(monkeypatch, nyt) -> None:
    """Past its limit the token table starts again (between sentences); a sentence longer
    than CACHED_LENGTH is scored every time, not kept."""
    monkeypatch.setattr(vader_module, "TABLE_LIMIT", 50)
    monkeypatch.setattr(vader_module, "CACHED_LENGTH", 60)
    ours = Vader()
    sentences = [*RULE_SENTENCES, *nyt["sentence"].head(300)]
    assert not _differences(sentences, ours)
    assert len(ours._table) < 50 + max(len(s.split()) for s in sentences)
    kept = ours._cached.cache_info().currsize
    assert kept == len({s for s in sentences if len(s) <= 60}) < len(set(sentences))


def test_our_vader_columns_are_nltks(plain_vader: SentimentIntensityAnalyzer) -> None:
    sentences = ["Putin praised the agreement!", "It was not bad at all.", "VERY good, but sad."]
    scored = score_sentences(sentences)
    for sentence, (_, row) in zip(sentences, scored.iterrows(), strict=True):
        expected = plain_vader.polarity_scores(sentence)
        assert row["vader_compound"] == pytest.approx(expected["compound"])
        assert row["vader_pos"] == pytest.approx(expected["pos"])


def test_names_with_lexicon_words_are_neutral() -> None:
    """'United' is +1.8 in the VADER lexicon: a bare statement about the US is not praise."""
    scored = score_sentences(["The United States said it would reply.", "We are united."])
    assert scored.loc[0, "vader_compound"] == 0.0
    assert scored.loc[0, "n_pos_words"] == 0
    assert scored.loc[1, "vader_compound"] > 0.0


def test_document_vader_is_the_mean_of_its_sentences(plain_vader) -> None:
    text = "The plan is good. The plan is bad. It rained."
    doc = score_documents([text], targets=False).iloc[0]
    compounds = [plain_vader.polarity_scores(s)["compound"] for s in text.split(". ")]
    assert doc["n_sentences"] == 3
    assert doc["vader_compound"] == pytest.approx(np.mean([0.4404, -0.5423, 0.0]))
    assert doc["vader_compound"] == pytest.approx(np.mean(compounds), abs=1e-4)
    assert doc["vader_pos_share"] == pytest.approx(1 / 3)
    assert doc["vader_neg_share"] == pytest.approx(1 / 3)


def test_long_text_does_not_saturate(plain_vader: SentimentIntensityAnalyzer) -> None:
    """Whole-text VADER runs to +-1 on long texts; the sentence mean stays where it is."""
    mixed = " ".join(["The plan is good."] * 30 + ["The plan is bad."] * 20)
    uniform = " ".join(["The plan is good."] * 40)
    whole_mixed = plain_vader.polarity_scores(mixed)["compound"]
    whole_uniform = plain_vader.polarity_scores(uniform)["compound"]
    docs = score_documents([mixed, uniform], targets=False)
    assert whole_mixed > 0.85 and whole_uniform > 0.99
    assert docs.loc[0, "vader_compound"] == pytest.approx((30 * 0.4404 - 20 * 0.5423) / 50)
    assert docs.loc[1, "vader_compound"] == pytest.approx(0.4404)
    assert docs.loc[0, "n_sentences"] == 50


def test_lexicon_tone_by_hand() -> None:
    """'The good plan failed badly.': 5 words, good +, failed -, badly - -> (1-2)/5 x 100."""
    polarity = lexicon_polarity()
    assert [polarity.get(w) for w in ("the", "good", "plan", "failed", "badly")] == [
        None,
        1,
        None,
        -1,
        -1,
    ]
    sentence = score_sentences(["The good plan failed badly."]).iloc[0]
    assert (sentence["n_words"], sentence["n_pos_words"], sentence["n_neg_words"]) == (5, 1, 2)
    assert sentence["lexicon_tone"] == pytest.approx(-20.0)
    # A document pools its words: 5 + 3 words, 1 + 1 positive, 2 + 0 negative.
    doc = score_documents(["The good plan failed badly. Fine, thanks anyway."], False).iloc[0]
    thanks = polarity.get("thanks", 0) > 0
    assert doc["lexicon_tone"] == pytest.approx((1 + 1 + thanks - 2) / 8 * 100)


def test_other_lexicons_by_hand() -> None:
    """AFINN and pattern.en values as shipped, summed per sentence."""
    assert afinn()["abandon"] == -2.0 and afinn()["good"] == 3.0
    assert pattern_adjectives()["abhorrent"] == pytest.approx((-0.7, 0.8))
    good, bad = pattern_adjectives()["good"], pattern_adjectives()["bad"]
    row = word_counts(tokenize(["A good day, a bad night."])).iloc[0]
    assert row["n_words"] == 6
    assert (row["afinn_pos"], row["afinn_neg"]) == (3.0, -3.0)
    assert (row["afinn_n_pos"], row["afinn_n_neg"]) == (1, 1)
    assert row["pattern_pos"] == pytest.approx(good[0])
    assert row["pattern_neg"] == pytest.approx(bad[0])
    assert row["pattern_subjectivity"] == pytest.approx(good[1] + bad[1])


def test_targeted_tone() -> None:
    text = (
        "Putin praised the agreement. The United States rejected it. Let us talk about "
        "the weather. Moscow and Washington disagreed bitterly."
    )
    sentences = score_sentences(
        [
            "Putin praised the agreement.",
            "The United States rejected it.",
            "Moscow and Washington disagreed bitterly.",
        ]
    )["score"]
    doc = score_documents([text, "It rained all day.", None]).reset_index(drop=True)
    assert doc.loc[0, "n_sentences"] == 4
    assert doc.loc[0, "n_sentences_russia"] == 2
    assert doc.loc[0, "n_sentences_us"] == 2  # "Let us" is not the US
    assert doc.loc[0, "tone_russia"] == pytest.approx((sentences[0] + sentences[2]) / 2)
    assert doc.loc[0, "tone_us"] == pytest.approx((sentences[1] + sentences[2]) / 2)
    assert doc.loc[0, "tone_russia"] > doc.loc[0, "tone_us"]
    assert np.isnan(doc.loc[1, "tone_russia"]) and doc.loc[1, "n_sentences_us"] == 0
    assert doc.loc[2, "n_sentences"] == 0 and np.isnan(doc.loc[2, "score"])


def test_score_documents_keeps_order_across_batches() -> None:
    texts = ["Good news.", "Terrible news.", "", "A fine day. A sad night."] * 3
    small = score_documents(texts, batch=5)
    whole = score_documents(texts, batch=500)
    pd.testing.assert_frame_equal(small, whole)
    assert len(small) == 12
    assert small.loc[0, "score"] > small.loc[1, "score"]
    assert score_documents([]).empty and "tone_us" in score_documents([]).columns


def test_validation_block_reports_the_table(nyt: pd.DataFrame, nyt_features) -> None:
    """The block carries each measure's figures from the table, rounded, and its validation."""
    features = nyt_features
    table = pd.DataFrame(
        [
            validation_row("vader_compound", features["vader_compound"], nyt["rating"]),
            validation_row("lexicon_tone", features["lexicon_tone"], nyt["rating"]),
        ]
    ).set_index("measure")
    table["validated"] = ["not fitted", "by hand"]
    block = validation_block(table)
    assert set(block["measures"]) == {"vader_compound", "lexicon_tone"}
    for name, row in table.iterrows():
        got = block["measures"][name]
        assert got["n"] == len(nyt)
        assert got["pearson_r"] == round(row["pearson_r"], 4)
        assert got["spearman_r"] == round(row["spearman_r"], 4)
        assert got["validated"] == row["validated"]
    assert 0.3 < block["measures"]["lexicon_tone"]["pearson_r"] < 0.5


def test_paper_rows_match_the_data_they_describe(nyt: pd.DataFrame, nyt_features) -> None:
    """The published rows are of these 5,190 sentences; NLTK VADER lands within 0.02 of the
    paper's VADER row, and the paper's humans beat every published measure."""
    paper = paper_table()
    assert (paper["n"] == len(nyt)).all()
    ours = validation_row("vader_compound", nyt_features["vader_compound"], nyt["rating"])
    assert abs(paper.loc["VADER (paper)", "pearson_r"] - ours["pearson_r"]) <= 0.02
    assert paper["pearson_r"].idxmax() == "humans (paper)"


def _write_csv(path: Path) -> Path:
    path.write_text(
        "id,text\n"
        '1,"The talks were a great success."\n'
        '2,"Putin said Russia will respond. The United States regrets it."\n'
        "3,a bad row,with too many fields\n"
        '4,"Nothing happened."\n',
        encoding="utf-8",
    )
    return path


def test_cli_scores_a_csv_with_a_bad_row(tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "in.csv")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app,
        ["sentiment", str(src), "--output", str(out), "--quarantine", str(tmp_path / "q.jsonl")],
    )
    assert result.exit_code == 0, result.output
    assert "read 4, kept 3, quarantined 1" in result.output
    rows = pd.read_json(out, lines=True)
    assert rows["id"].tolist() == [1, 2, 4]
    for column in ("vader_compound", "lexicon_tone", "score", "n_sentences", "tone_russia"):
        assert column in rows.columns
    assert rows.loc[1, "n_sentences"] == 2 and rows.loc[1, "n_sentences_us"] == 1
    assert rows.loc[0, "score"] > rows.loc[2, "score"]
    quarantined = [json.loads(line) for line in (tmp_path / "q.jsonl").read_text().splitlines()]
    assert [q["line"] for q in quarantined] == [4]


def test_cli_writes_parquet_and_csv(tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "in.csv")
    for name in ("out.parquet", "out.csv"):
        args = ["sentiment", str(src), "--output", str(tmp_path / name), "--no-targets"]
        result = CliRunner().invoke(app, [*args, "--quarantine", str(tmp_path / "q.jsonl")])
        assert result.exit_code == 0, result.output
    parquet = pd.read_parquet(tmp_path / "out.parquet")
    csv = pd.read_csv(tmp_path / "out.csv")
    assert len(parquet) == len(csv) == 3 and "tone_us" not in csv.columns
    np.testing.assert_allclose(parquet["score"], csv["score"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.csv"], "no such file"),
        (["{src}", "--text-column", "body"], "no column 'body'"),
        (["{src}", "--output", "{tmp}/out.txt"], "must end in .csv, .jsonl or .parquet"),
    ],
)
def test_cli_user_errors_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str):
    src = _write_csv(tmp_path / "in.csv")
    argv = [a.format(src=src, tmp=tmp_path) for a in args]
    if "--output" not in argv:
        argv += ["--output", str(tmp_path / "out.csv")]
    result = CliRunner().invoke(app, ["sentiment", *argv])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.output


def test_kremlin_pages_score(corpus: pd.DataFrame) -> None:
    """On real Kremlin pages: every page with text gets finite scores in range."""
    pages = corpus[(corpus["source"] == "kremlin") & corpus["relevant"]].head(40)
    scores = score_documents(pages["text"])
    assert len(scores) == len(pages)
    assert (scores["n_sentences"] > 0).all()
    assert scores["vader_compound"].between(-1, 1).all()
    assert np.isfinite(scores["score"]).all()
    assert (scores["n_sentences_us"] > 0).mean() > 0.8  # US-related by rule


def test_one_word_tokeniser_for_counts_and_terms() -> None:
    """Words are ``usrussia.text.tokens.word_tokenize``'s, lower-cased, for ``n_words``, the
    lexicon counts and the model's terms: hyphenated words stay whole, digits are no words."""
    sentence = "A well-known ally's plan, agreed in 2017, is GOOD."
    expected = [w.lower() for w in word_tokenize(sentence)]
    assert tokenize([sentence]) == (tuple(expected),)
    assert "well-known" in expected and "2017" not in expected
    row = score_sentences([sentence]).iloc[0]
    assert row["n_words"] == len(expected)
    assert row["n_pos_words"] == sum(lexicon_polarity().get(w, 0) > 0 for w in expected)
