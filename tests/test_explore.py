"""KWIC, collocations and keyness, checked by hand and against scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse, stats

from usrussia.text.explore import collocations, keyness, keyness_from_counts, kwic
from usrussia.text.tokens import TextAnalyzer
from usrussia.text.vectorize import build_dtm, count_vectorizer

# --- KWIC -------------------------------------------------------------------------------


def test_kwic_window_and_columns() -> None:
    texts = ["The summit in Helsinki was the first summit.", "No match here."]
    table = kwic(texts, "summit", window=2, doc_ids=["a", "b"])
    assert list(table.columns) == ["doc_id", "from", "to", "pre", "keyword", "post", "pattern"]
    assert table.to_dict("records") == [
        {
            "doc_id": "a",
            "from": 1,
            "to": 1,
            "pre": "The",
            "keyword": "summit",
            "post": "in Helsinki",
            "pattern": "summit",
        },
        {
            "doc_id": "a",
            "from": 7,
            "to": 7,
            "pre": "the first",
            "keyword": "summit",
            "post": "",
            "pattern": "summit",
        },
    ]


def test_kwic_glob_phrase_case() -> None:
    texts = ["Summits and summitry at the White House", "white house"]
    assert kwic(texts, "summit*")["keyword"].tolist() == ["Summits", "summitry"]
    assert kwic(texts, "white house")["keyword"].tolist() == ["White House", "white house"]
    assert kwic(texts, "White", case_insensitive=False)["doc_id"].tolist() == ["0"]
    assert kwic(texts, r"summit(s|ry)", valuetype="regex").shape[0] == 2
    assert kwic(["a b"], "summit").empty
    with pytest.raises(ValueError, match="non-empty"):
        kwic(texts, " ")
    with pytest.raises(ValueError, match="valuetype"):
        kwic(texts, "x", valuetype="fuzzy")


def test_kwic_summit_on_the_kremlin_pages(corpus) -> None:
    kremlin = corpus[corpus["source"] == "kremlin"]
    table = kwic(kremlin["text"], "summit", window=5, doc_ids=kremlin["doc_id"])
    assert len(table) > 500
    assert table["keyword"].str.lower().eq("summit").all()
    assert set(table["doc_id"]) <= set(kremlin["doc_id"])


# --- collocations -----------------------------------------------------------------------


def test_collocations_counts_pmi_and_g2() -> None:
    docs = [["white", "house", "press"], ["white", "house"], ["press", "white"]]
    table = collocations(docs, min_count=1, n=None)
    row = table.set_index("collocation").loc["white house"]
    assert row["count"] == 2
    # 7 words; white 3, house 2; bigrams 4: PMI = log2(P(w1 w2) / (P(w1) P(w2)))
    assert row["pmi"] == pytest.approx(math.log2((2 * 7) / (3 * 2)))
    assert "press press" not in table["collocation"].tolist()  # no pair across documents
    assert table["G2"].is_monotonic_decreasing


def test_collocations_on_kremlin_pages(corpus) -> None:
    texts = corpus.loc[corpus["source"] == "kremlin", "text"].head(800)
    table = collocations(TextAnalyzer().transform(texts), min_count=10)
    assert len(table) == 20
    assert "st petersburg" in table["collocation"].tolist()
    assert collocations([["a"]], min_count=5).empty


# --- keyness ----------------------------------------------------------------------------

# A 2x2 table by hand: the term occurs 10 times in 100 target tokens, 5 in 200 reference.
A, B, TA, TB = 10, 5, 100, 200
N = TA + TB
OBS = np.array([[A, B], [TA - A, TB - B]], dtype=float)
# G2 = 2 * sum(O * ln(O / E)) over the four cells, expected E = [[5, 10], [95, 190]]
G2_BY_HAND = 2 * (
    10 * math.log(10 / 5)
    + 5 * math.log(5 / 10)
    + 90 * math.log(90 / 95)
    + 195 * math.log(195 / 190)
)


def table(measure: str, correction: str):
    counts = keyness_from_counts(
        np.array([A, TA - A]), np.array([B, TB - B]), ["x", "rest"], measure, correction, False
    )
    return counts.set_index("feature").loc["x"]


@pytest.mark.parametrize("measure", ["chi2", "lr"])
def test_keyness_is_zero_at_the_expected_count_and_signed_around_it(measure: str) -> None:
    # Totals 100 and 200: a term seen 10 + 20 times is expected 10 times in the target.
    column = {"chi2": "chi2", "lr": "G2"}[measure]
    counts = keyness_from_counts(
        np.array([9, 10, 11, 70]),
        np.array([21, 20, 19, 140]),
        ["under", "at", "over", "rest"],
        measure,
        "none",
        False,
    ).set_index("feature")[column]
    assert counts["at"] == pytest.approx(0.0, abs=1e-12)
    assert counts["under"] < 0 < counts["over"]


def test_g2_matches_the_hand_computation() -> None:
    row = table("lr", "none")
    assert row["G2"] == pytest.approx(G2_BY_HAND, rel=1e-12)
    assert row["G2"] == pytest.approx(7.329811674, rel=1e-9)
    scipy_g2 = stats.chi2_contingency(OBS, correction=False, lambda_="log-likelihood")[0]
    assert row["G2"] == pytest.approx(scipy_g2)
    assert row["p"] == pytest.approx(stats.chi2.sf(G2_BY_HAND, 1))


def test_g2_williams_correction() -> None:
    q = 1 + (N / (A + B) + N / (N - A - B) - 1) * (N / TA + N / TB - 1) / (6 * N)
    assert table("lr", "default")["G2"] == pytest.approx(G2_BY_HAND / q)


def test_chi2_with_and_without_yates_matches_scipy() -> None:
    assert table("chi2", "none")["chi2"] == pytest.approx(
        stats.chi2_contingency(OBS, correction=False)[0]
    )
    assert table("chi2", "default")["chi2"] == pytest.approx(
        stats.chi2_contingency(OBS, correction=True)[0]
    )
    # hand: chi2 = N (ad - bc)^2 / (row and column totals)
    by_hand = N * (A * (TB - B) - B * (TA - A)) ** 2 / ((A + B) * (N - A - B) * TA * TB)
    assert table("chi2", "none")["chi2"] == pytest.approx(by_hand)


def test_sign_effect_size_and_counts() -> None:
    result = keyness_from_counts(
        np.array([A, TA - A]), np.array([B, TB - B]), ["x", "rest"], "lr", "none"
    )
    assert result["feature"].tolist() == ["x", "rest"]
    assert result.loc[0, "G2"] > 0 > result.loc[1, "G2"]
    assert result.loc[0, "log_ratio"] == pytest.approx(math.log2((10 / 100) / (5 / 200)))
    zero = keyness_from_counts(np.array([4, 6]), np.array([0, 10]), ["new", "old"], "lr")
    assert zero.set_index("feature").loc["new", "log_ratio"] == pytest.approx(
        math.log2((4 / 10) / (0.5 / 10))
    )


def test_keyness_from_a_matrix_and_errors() -> None:
    matrix = sparse.csr_matrix(np.array([[10, 90], [5, 195]]))
    result = keyness(matrix, [True, False], ["x", "rest"], measure="lr", correction="none")
    assert result.set_index("feature").loc["x", "G2"] == pytest.approx(G2_BY_HAND)
    with pytest.raises(ValueError, match="both"):
        keyness(matrix, [True, True], ["x", "rest"])
    with pytest.raises(ValueError, match="entries"):
        keyness(matrix, [True], ["x", "rest"])
    with pytest.raises(ValueError, match="measure"):
        keyness(matrix, [True, False], ["x", "rest"], measure="pmi")
    with pytest.raises(ValueError, match="correction"):
        keyness(matrix, [True, False], ["x", "rest"], correction="williams")


def test_keyness_trump_vs_obama_on_kremlin_pages(corpus) -> None:
    kremlin = corpus[(corpus["source"] == "kremlin") & corpus["era"].isin(["obama", "trump1"])]
    dtm = build_dtm(kremlin["text"], count_vectorizer(min_df=5), desc=None)
    result = keyness(dtm.matrix, (kremlin["era"] == "trump1").to_numpy(), dtm.terms, "lr")
    top = result.head(50)["feature"].tolist()
    assert "trump" in top
    assert result.set_index("feature").loc["medvedev", "G2"] < 0  # Obama era: President Medvedev
