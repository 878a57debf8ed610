"""Agreement statistics against published examples and the definitions, and the agreement CLI."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss
from typer.testing import CliRunner

from usrussia.cli import app
from usrussia.validate.agreement import (
    LEVELS,
    _alpha_statistic,
    bootstrap_interval,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    pairable,
    percent_agreement,
    reliability,
    value_table,
)
from usrussia.validate.machine_agreement import (
    bin_to_scale,
    confusion_matrix,
    consensus,
    cut_points,
    machine_agreement,
    to_codes,
)
from usrussia.validate.nyt import RATING_CODES, load_rater_matrix, single_raters, worked_example

N = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: observers
# A-D (columns) x 12 units (rows), values 1-5, missing cells; unit 12 has one value only.
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
).T
PUBLISHED_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
# Fleiss (1971): 30 patients, 6 psychiatrists, 5 diagnoses (R package irr, ``diagnoses``).
FLEISS_1971 = np.array(
    [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ]
)  # fmt: skip


def naive_alpha(matrix: np.ndarray, level: str) -> float:
    """Krippendorff's alpha straight from its definition: coincidences, then D_o / D_e."""
    units = [[v for v in row if v == v] for row in matrix.tolist()]
    units = [u for u in units if len(u) >= 2]
    values = sorted({v for u in units for v in u})
    o = {(c, k): 0.0 for c in values for k in values}
    for u in units:
        for i, c in enumerate(u):
            for j, k in enumerate(u):
                if i != j:
                    o[c, k] += 1 / (len(u) - 1)
    n_c = {c: sum(o[c, k] for k in values) for c in values}
    n = sum(n_c.values())

    def delta(c: float, k: float) -> float:
        if level == "nominal":
            return float(c != k)
        if level == "ordinal":
            between = sum(n_c[g] for g in values if min(c, k) <= g <= max(c, k))
            return (between - (n_c[c] + n_c[k]) / 2) ** 2
        if level == "interval":
            return (c - k) ** 2
        return ((c - k) / (c + k)) ** 2 if c + k else 0.0

    observed = sum(o[c, k] * delta(c, k) for c in values for k in values) / n
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in values for k in values) / (n * (n - 1))
    return 1 - observed / expected


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_reproduces_krippendorff_2011(level: str) -> None:
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level), 3) == PUBLISHED_ALPHA[level]


def test_alpha_reproduces_the_two_coder_examples_of_krippendorff_2011() -> None:
    # Section A: binary data, two observers, no missing data: alpha = 0.095.
    kim = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    ann = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha(np.column_stack([kim, ann])), 3) == 0.095
    # Section B: nominal data (a-e), two observers, no missing data: alpha = 0.692.
    ben, gerry = "aabbdcccedda", "babbbccceddd"
    codes = np.array([["abcde".index(x) for x in pair] for pair in zip(ben, gerry, strict=True)])
    assert round(krippendorff_alpha(codes, "nominal"), 3) == 0.692


@pytest.mark.parametrize("seed", range(40))
def test_alpha_is_its_definition_on_random_data_with_missing_codes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(3, 15)), int(rng.integers(2, 6)))
    matrix = rng.integers(0, 5, size=shape).astype(float)
    matrix[rng.random(shape) < 0.25] = np.nan
    if pairable(matrix).sum() == 0 or len(np.unique(matrix[pairable(matrix)])) < 3:
        matrix[:2, :2] = [[0, 1], [2, 3]]
    for level in LEVELS:
        assert krippendorff_alpha(matrix, level) == pytest.approx(naive_alpha(matrix, level))


def test_alpha_properties() -> None:
    data = KRIPPENDORFF_2011
    assert krippendorff_alpha(np.column_stack([[1, 2, 3, 4]] * 3), "ordinal") == 1.0
    assert krippendorff_alpha(data * 3 + 7, "interval") == pytest.approx(
        krippendorff_alpha(data, "interval")
    )
    relabelled = np.where(np.isnan(data), np.nan, np.choose(np.nan_to_num(data).astype(int),
                          [0, 50, 10, 40, 20, 30]))  # fmt: skip
    assert krippendorff_alpha(relabelled) == pytest.approx(krippendorff_alpha(data))
    assert krippendorff_alpha(data[:, ::-1], "ordinal") == krippendorff_alpha(data, "ordinal")
    more = np.vstack([data, [[N, N, N, N], [4, N, N, N]]])  # unpairable units change nothing
    assert krippendorff_alpha(more, "ratio") == krippendorff_alpha(data, "ratio")


def test_bootstrap_weights_equal_resampled_units() -> None:
    """A unit drawn twice counts as two units: the weighted statistic is alpha of the resample."""
    table = value_table(KRIPPENDORFF_2011[pairable(KRIPPENDORFF_2011)])
    weights = np.random.default_rng(1).integers(0, 3, size=(5, len(table.counts)))
    rows = KRIPPENDORFF_2011[pairable(KRIPPENDORFF_2011)]
    for level in LEVELS:
        statistic, _ = _alpha_statistic(table, level)
        got = statistic(weights.astype(float))
        for w, value in zip(weights, got, strict=True):
            assert value == pytest.approx(krippendorff_alpha(np.repeat(rows, w, axis=0), level))


def test_bootstrap_interval_is_seeded_and_surrounds_the_estimate() -> None:
    first = reliability(KRIPPENDORFF_2011, "interval", n_resamples=500, seed=3)
    again = reliability(KRIPPENDORFF_2011, "interval", n_resamples=500, seed=3)
    other = reliability(KRIPPENDORFF_2011, "interval", n_resamples=500, seed=4)
    assert first == again and first["interval"] != other["interval"]
    low, high = first["interval"]
    assert low < first["alpha"] <= high <= 1.0
    assert bootstrap_interval(lambda w: w.sum(axis=1), 0) is None


def test_reliability_reports_counts_and_undefined_statistics() -> None:
    report = reliability(KRIPPENDORFF_2011, "nominal", n_resamples=50)
    assert (report["n_units"], report["n_coders"]) == (12, 4)
    assert (report["n_units_pairable"], report["n_pairable"]) == (11, 40)
    assert report["notes"] == ["1 unit(s) have one code only: not pairable"]
    assert report["cohen_kappa"]["value"] is None and "2 coders" in report["cohen_kappa"]["note"]
    assert report["fleiss_kappa"]["n_units"] == 8  # units every observer coded
    same = reliability(np.ones((5, 2)), "ordinal", n_resamples=50)
    assert same["alpha"] is None and same["interval"] is None
    assert any("no variation" in note for note in same["notes"])
    lonely = reliability([[1, N], [N, 2], [N, N]], "nominal", n_resamples=50)
    assert lonely["alpha"] is None and "no unit has two codes" in " ".join(lonely["notes"])
    with pytest.raises(ValueError, match="negative"):
        krippendorff_alpha([[-1, 1], [1, 1]], "ratio")
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha([[1, 1]], "cardinal")


def test_fleiss_kappa_reproduces_fleiss_1971() -> None:
    assert round(fleiss_kappa(FLEISS_1971), 3) == 0.430  # irr::kappam.fleiss: 0.4302445


def test_fleiss_kappa_by_hand() -> None:
    """10 subjects, 14 raters, 5 categories (counts per subject), computed with fractions."""
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
             [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
             [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]  # fmt: skip
    raters = 14
    p_bar = sum(Fraction(sum(x * x for x in row) - raters, raters * (raters - 1)) for row in table)
    p_bar /= len(table)
    p_e = sum(Fraction(sum(col), raters * len(table)) ** 2 for col in zip(*table, strict=True))
    kappa = (p_bar - p_e) / (1 - p_e)
    codes = np.array([np.repeat(np.arange(5), row) for row in table])
    assert fleiss_kappa(codes) == pytest.approx(float(kappa), abs=1e-12)
    assert round(float(kappa), 3) == 0.210


@pytest.mark.parametrize(
    ("yes_yes", "yes_no", "no_yes", "no_no"), [(20, 5, 10, 15), (45, 15, 25, 15), (25, 35, 5, 35)]
)
def test_cohen_kappa_by_hand(yes_yes: int, yes_no: int, no_yes: int, no_no: int) -> None:
    total = yes_yes + yes_no + no_yes + no_no
    p_o = Fraction(yes_yes + no_no, total)
    p_e = Fraction((yes_yes + yes_no) * (yes_yes + no_yes) + (no_yes + no_no) * (yes_no + no_no),
                   total * total)  # fmt: skip
    a = [1] * (yes_yes + yes_no) + [0] * (no_yes + no_no)
    b = [1] * yes_yes + [0] * yes_no + [1] * no_yes + [0] * no_no
    assert cohen_kappa(a, b) == pytest.approx(float((p_o - p_e) / (1 - p_e)), abs=1e-12)
    assert percent_agreement(np.column_stack([a, b])) == pytest.approx(float(p_o))


def test_kappas_match_statsmodels_on_real_ratings() -> None:
    """Two rating positions and all 20 of the NYT sentences, against statsmodels."""
    ratings = load_rater_matrix().drop(columns="id").to_numpy()
    a, b = ratings[:, 0], ratings[:, 1]
    table = pd.crosstab(a, b).reindex(index=RATING_CODES, columns=RATING_CODES, fill_value=0)
    assert cohen_kappa(a, b) == pytest.approx(cohens_kappa(table.to_numpy()).kappa, abs=1e-12)
    counts, _ = aggregate_raters(ratings.astype(int))
    assert fleiss_kappa(ratings) == pytest.approx(statsmodels_fleiss(counts), abs=1e-12)


def test_consensus_per_level() -> None:
    data = [[1, 1, 2], [1, 2, N], [3, N, N], [N, N, N], [1, 3, N]]
    assert np.allclose(consensus(data, "nominal"), [1, N, 3, N, N], equal_nan=True)
    assert np.allclose(consensus(data, "ordinal"), [1, N, 3, N, N], equal_nan=True)
    assert np.allclose(consensus(data, "interval"), [4 / 3, 1.5, 3, N, 2], equal_nan=True)


def test_binning_uses_fixed_cut_points() -> None:
    codes = [-2, -1, 0, 1, 2]
    assert cut_points((-1, 1), codes) == [-0.75, -0.25, 0.25, 0.75]
    got = bin_to_scale([-1, -0.75, -0.3, 0.0, 0.25, 0.9, 3.0, N], (-1, 1), codes)
    assert np.allclose(got, [-2, -1, -1, 0, 1, 2, 2, N], equal_nan=True)
    assert np.allclose(to_codes([1.49, 1.5, 7, N], [1, 2, 3]), [1, 2, 3, N], equal_nan=True)
    table = confusion_matrix([1, 1, 2, 3], [1, 2, 2, 2], [1, 2, 3])
    assert table.tolist() == [[1, 1, 0], [0, 1, 0], [0, 1, 0]]


def test_machine_agreement_of_a_perfect_and_a_constant_measure() -> None:
    human = np.array([-2, -1, 0, 1, 2, 0, N])
    perfect = machine_agreement(human, human / 2, [-2, -1, 0, 1, 2], (-1, 1), "ordinal", 100)
    assert perfect["alpha"] == 1.0 and perfect["exact"] == 1.0 and perfect["n"] == 6
    assert np.trace(perfect["confusion"]["counts"]) == 6
    flat = machine_agreement(human, np.zeros(7), [-2, -1, 0, 1, 2], (-1, 1), "ordinal", 100)
    assert flat["pearson_r"] is None and "undefined" in flat["note"]


def test_nyt_rater_matrix_is_read_whole() -> None:
    raters = load_rater_matrix()
    matrix = raters.drop(columns="id").to_numpy()
    assert matrix.shape == (5190, 20) and set(np.unique(matrix)) <= set(RATING_CODES)
    single = single_raters(matrix)
    assert len(single) == 20 and single["alpha"].between(0.5, 0.9).all()


def test_worked_example_measures_fall_short_of_a_human_rater() -> None:
    example = worked_example(n_resamples=200)
    raters = example.raters
    assert raters["n_units"] == 5190 and raters["n_coders"] == 20 and raters["level"] == "interval"
    assert 0.45 < raters["alpha"] < 0.65  # raters agree moderately on single sentences
    human = example.single["alpha"].mean()
    alphas = {m: v["alpha"] for m, v in example.measures.items()}
    assert all(a < human - 0.1 for a in alphas.values())
    assert alphas["score"] > alphas["vader_compound"] > alphas["lexicon_tone"]
    assert example.measures["score"]["n"] == 5190
    assert set(example.block()) >= {"raters", "single_rater", "measures", "n_sentences"}


# --- the agreement command ---------------------------------------------------------------


def write_sheet(path: Path, matrix: np.ndarray, coders: list[str], extra=None) -> Path:
    """A coding sheet as a spreadsheet would save it: codes as text, empty cells missing."""
    frame = pd.DataFrame({"unit_id": [f"u{i}" for i in range(1, len(matrix) + 1)]})
    for j, coder in enumerate(coders):
        frame[f"coder_{coder}"] = [("" if v != v else f"{v:g}") for v in matrix[:, j]]
    for name, values in (extra or {}).items():
        frame[name] = values
    frame.to_csv(path, index=False)
    return path


def run(*args: str):
    return CliRunner().invoke(app, ["validate", "agreement", *map(str, args)])


def assert_user_error(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert message in lines[0], lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("level", LEVELS)
def test_cli_agreement_reproduces_krippendorff_2011(tmp_path: Path, level: str) -> None:
    sheet = write_sheet(tmp_path / "coding.csv", KRIPPENDORFF_2011, list("ABCD"))
    out = tmp_path / "agreement.json"
    result = run(sheet, "--level", level, "--json", out, "--resamples", "200")
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert round(report["alpha"], 3) == PUBLISHED_ALPHA[level]
    assert (report["level"], report["n_units"], report["n_coders"]) == (level, 12, 4)
    assert report["n_pairable"] == 40 and len(report["interval"]) == 2
    assert f"Krippendorff's alpha ({level})" in result.stdout
    assert f"{PUBLISHED_ALPHA[level]:.3f}" in result.stdout
    assert "1 unit(s) have one code only" in result.stdout


def test_cli_agreement_compares_the_machine_with_the_coders(tmp_path: Path) -> None:
    """Real ratings: the first 300 NYT sentences, 20 raters as coders, scored by the CLI."""
    from usrussia.sentiment import load_nyt_ratings

    ratings = load_rater_matrix().iloc[:300]
    texts = load_nyt_ratings()["sentence"].iloc[:300].tolist()
    matrix = ratings.drop(columns="id").to_numpy()
    sheet = write_sheet(
        tmp_path / "nyt.csv", matrix, [str(i) for i in range(1, 21)], {"text": texts}
    )
    scored = tmp_path / "scored.csv"
    done = CliRunner().invoke(
        app, ["sentiment", str(sheet), "--text-column", "text", "--output", str(scored)]
    )
    assert done.exit_code == 0, done.output
    out = tmp_path / "report.json"
    result = run(sheet, "--level", "interval", "--machine", scored, "--json", out)
    assert result.exit_code == 0, result.output
    machine = json.loads(out.read_text(encoding="utf-8"))["machine"]
    assert set(machine["measures"]) == {
        "score",
        "vader_compound",
        "lexicon_tone",
        "tone_russia",
        "tone_us",
    }
    vader = machine["measures"]["vader_compound"]
    assert vader["n"] == 300 and sum(map(sum, vader["confusion"]["counts"])) == 300
    assert vader["cut_points"][:2] == [-0.875, -0.625]
    assert 0.2 < vader["pearson_r"] < 0.8
    assert "human vs machine" in result.stdout and "vader_compound" in result.stdout


def test_cli_agreement_notes_units_without_codes(tmp_path: Path) -> None:
    matrix = np.array([[1, 1], [2, 2], [N, N], [3, 1], [2, N]], dtype=float)
    sheet = write_sheet(tmp_path / "coding.csv", matrix, ["a", "b"])
    result = run(sheet, "--level", "ordinal", "--resamples", "100")
    assert result.exit_code == 0, result.output
    assert "1 unit(s) have no code and are left out" in result.stdout
    assert "1 unit(s) have one code only: not pairable" in result.stdout


def bad_sheets(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    """Each bad input: the arguments after the sheet, and what the error line says."""
    two = np.array([[1, 2], [2, 2], [3, 3]], dtype=float)
    base = write_sheet(tmp_path / "ok.csv", two, ["a", "b"])
    one = write_sheet(tmp_path / "one.csv", two[:, :1], ["a"])
    empty = write_sheet(tmp_path / "empty.csv", np.full((3, 2), N), ["a", "b"])
    words = tmp_path / "words.csv"
    words.write_text("unit_id,coder_a,coder_b\nu1,1,2\nu2,high,2\n", encoding="utf-8")
    twice = tmp_path / "twice.csv"
    twice.write_text("unit_id,coder_a,coder_b\nu1,1,2\nu1,2,2\n", encoding="utf-8")
    no_id = tmp_path / "no_id.csv"
    no_id.write_text("id,coder_a,coder_b\nu1,1,2\n", encoding="utf-8")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("unit_id,coder_a,coder_b\nu1,1,2\nu2,1,2,3\n", encoding="utf-8")
    machine = tmp_path / "machine.csv"
    machine.write_text("unit_id,score\nu1,0.5\nu2,lots\n", encoding="utf-8")
    no_measure = tmp_path / "no_measure.csv"
    no_measure.write_text("unit_id,other\nu1,0.5\n", encoding="utf-8")
    return {
        "one coder": ([str(one), "--level", "ordinal"], "at least two coder columns"),
        "no codes": ([str(empty), "--level", "ordinal"], "no codes yet"),
        "not a number": ([str(words), "--level", "interval"], "line 3, unit u2, coder_a: 'high'"),
        "duplicate unit": ([str(twice), "--level", "nominal"], "'u1' appears twice"),
        "no unit_id": ([str(no_id), "--level", "nominal"], "no unit_id column"),
        "ragged row": ([str(ragged), "--level", "nominal"], "line 3: wrong number of fields"),
        "no codebook": ([str(base)], "no codebook beside it"),
        "bad level": ([str(base), "--level", "cardinal"], "unknown level 'cardinal'"),
        "ratio negative": (
            [str(write_sheet(tmp_path / "neg.csv", two - 3, ["a", "b"])), "--level", "ratio"],
            "ratio codes cannot be negative",
        ),
        "missing sheet": ([str(tmp_path / "nope.csv"), "--level", "nominal"], "no such file"),
        "machine text": (
            [str(base), "--level", "ordinal", "--machine", str(machine)],
            "line 3, score: 'lots' is not a number",
        ),
        "machine without measures": (
            [str(base), "--level", "ordinal", "--machine", str(no_measure)],
            "no automatic measure",
        ),
        "bad --measure": (
            [str(base), "--level", "ordinal", "--measure", "other=1:0"],
            "NAME=LOW:HIGH",
        ),
        "json not .json": ([str(base), "--level", "ordinal", "--json", "x.txt"], "end in .json"),
        "json over the sheet": ([str(base), "--level", "ordinal", "--json", str(base)], "input"),
        "negative resamples": ([str(base), "--level", "ordinal", "--resamples", "-1"], "0 or more"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "one coder",
        "no codes",
        "not a number",
        "duplicate unit",
        "no unit_id",
        "ragged row",
        "no codebook",
        "bad level",
        "ratio negative",
        "missing sheet",
        "machine text",
        "machine without measures",
        "bad --measure",
        "json not .json",
        "json over the sheet",
        "negative resamples",
    ],
)
def test_cli_agreement_bad_input_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    args, message = bad_sheets(tmp_path)[case]
    before = {p: p.read_bytes() for p in tmp_path.iterdir()}
    out = tmp_path / "report.json"
    json_args = [] if "--json" in args else ["--json", str(out)]
    assert_user_error(run(*args, *json_args), message)
    assert not out.exists()
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == before
