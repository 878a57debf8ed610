"""Coding samples: the sampling frame, the stratified draw, the sheet and codebook, the CLI.

The round trip samples real corpus documents, fills the sheet as a spreadsheet would with
the published reliability data of Krippendorff (2011), and checks that ``validate
agreement`` gives the published alphas from the codebook written beside the sheet.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_validate_agreement import KRIPPENDORFF_2011, PUBLISHED_ALPHA, assert_user_error
from typer.testing import CliRunner

from usrussia import config
from usrussia.cli import app
from usrussia.corpus import read_corpus
from usrussia.io import sha256_file
from usrussia.sentiment import MEASURES
from usrussia.text.sentences import split_sentences
from usrussia.validate.codebook import DEFAULT_CODEBOOK, codebook_to_dict, load_codebook
from usrussia.validate.sample import (
    SHEET_ENCODING,
    allocate,
    coding_sheet,
    draw_sample,
    sampling_frame,
    spreadsheet_safe,
)


@pytest.fixture(scope="module")
def documents(small_corpus: Path) -> pd.DataFrame:
    return sampling_frame(read_corpus(small_corpus), "document")


def sample_cli(*args: object):
    return CliRunner().invoke(app, ["validate", "sample", *map(str, args)])


def agreement_cli(*args: object):
    return CliRunner().invoke(app, ["validate", "agreement", *map(str, args)])


def test_sampling_frame_of_documents_and_sentences(small_corpus: Path) -> None:
    corpus = read_corpus(small_corpus)
    documents = sampling_frame(corpus, "document")
    assert len(documents) == int(corpus["relevant"].sum()) > 0
    assert documents["unit_id"].is_unique and (documents["unit_id"] == documents["doc_id"]).all()
    assert len(sampling_frame(corpus, "document", relevant_only=False)) == len(corpus)
    sentences = sampling_frame(corpus, "sentence")
    assert sentences["unit_id"].is_unique
    first = documents.iloc[0]
    own = sentences[sentences["doc_id"] == first["doc_id"]]
    assert own["text"].tolist() == split_sentences(first["text"])
    assert own["unit_id"].tolist() == [f"{first['doc_id']}#{i}" for i in range(1, len(own) + 1)]


def test_allocation_is_proportional_with_largest_remainders() -> None:
    # shares 2.5, 1.5, 1.0: whole parts 2, 1, 1; the one left goes to the first tie
    assert allocate(pd.Series([5, 3, 2]), 5).tolist() == [3, 1, 1]
    assert allocate(pd.Series([1, 1, 998]), 10).tolist() == [0, 0, 10]
    sizes = pd.Series([341, 16, 844, 4512])
    assert allocate(sizes, 200).sum() == 200
    assert (allocate(sizes, len(sizes.index)).le(sizes)).all()


def test_draw_is_stratified_reproducible_and_shuffled(documents: pd.DataFrame) -> None:
    sample = draw_sample(documents, 60, ["source", "era"], seed=7)
    assert len(sample.units) == 60 and sample.units["unit_id"].is_unique
    drawn = sample.units.fillna({"era": "unknown"}).groupby(["source", "era"]).size()
    expected = sample.strata.set_index(["source", "era"])["sample"]
    assert drawn.to_dict() == expected[expected > 0].to_dict()
    assert (sample.strata["population"] >= sample.strata["sample"]).all()
    again = draw_sample(documents, 60, ["source", "era"], seed=7)
    assert again.units["unit_id"].tolist() == sample.units["unit_id"].tolist()
    other = draw_sample(documents, 60, ["source", "era"], seed=8)
    assert other.units["unit_id"].tolist() != sample.units["unit_id"].tolist()
    by_stratum = sample.units.sort_values(["source", "era"], kind="stable")["unit_id"].tolist()
    assert sample.units["unit_id"].tolist() != by_stratum, "rows are shuffled, not by stratum"
    whole = draw_sample(documents, len(documents), [], seed=7)
    assert sorted(whole.units["unit_id"]) == sorted(documents["unit_id"])


def test_sheet_is_blind_and_safe_in_a_spreadsheet(documents: pd.DataFrame) -> None:
    units = draw_sample(documents, 5, [], seed=1).units
    units.loc[0, "title"] = '=HYPERLINK("http://example.com")'
    sheet = coding_sheet(units, DEFAULT_CODEBOOK, ["a", "b"])
    assert list(sheet.columns[:5]) == [
        "unit_id",
        "coder_a",
        "coder_b",
        "relevant:coder_a",
        "relevant:coder_b",
    ]
    assert not set(sheet.columns) & {*MEASURES, "tone_russia", "tone_us", "n_sentences"}
    assert (sheet[["coder_a", "relevant:coder_b"]] == "").all().all()
    assert sheet.loc[0, "title"].startswith("'=")
    assert spreadsheet_safe("-2 dead") == "'-2 dead" and spreadsheet_safe("Putin") == "Putin"


def test_cli_sample_writes_sheet_and_codebook_reproducibly(
    small_corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "coding.csv"
    args = ["--corpus", small_corpus, "--n", 40, "--stratify", "era,source", "--seed", 5]
    result = sample_cli(*args, "--out", out)
    assert result.exit_code == 0, result.output
    assert "drew 40 documents (stratified by era, source, seed 5)" in result.stdout
    sheet = pd.read_csv(out, dtype=str, keep_default_na=False, encoding=SHEET_ENCODING)
    assert len(sheet) == 40 and sheet["unit_id"].is_unique
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheets read it as UTF-8
    book = json.loads((tmp_path / "coding.codebook.json").read_text(encoding="utf-8"))
    assert load_codebook(tmp_path / "coding.codebook.json") == DEFAULT_CODEBOOK
    assert book["coders"] == ["1", "2"]
    record = book["sample"]
    assert record["corpus_sha256"] == sha256_file(small_corpus) and record["seed"] == 5
    assert sum(s["sample"] for s in record["strata"]) == 40 == record["n"]
    page = (tmp_path / "coding.codebook.md").read_text(encoding="utf-8")
    assert "`coder_1`, `coder_2`" in page and "very negative" in page
    twin = tmp_path / "again.csv"
    assert sample_cli(*args, "--out", twin).exit_code == 0
    assert twin.read_bytes() == out.read_bytes()


def test_cli_sample_of_sentences_with_named_coders(small_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "sentences.csv"
    result = sample_cli(
        "--corpus", small_corpus, "--unit", "sentence", "--n", 30, "--coders", "ann,ben,cy",
        "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sheet = pd.read_csv(out, dtype=str, keep_default_na=False, encoding=SHEET_ENCODING)
    assert {"coder_ann", "coder_ben", "coder_cy", "relevant:coder_cy", "sentence"} <= set(sheet)
    assert sheet["unit_id"].str.fullmatch(r".+#\d+").all()


def test_cli_sample_never_overwrites_a_sheet_unasked(small_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "coding.csv"
    out.write_text("unit_id,coder_1,coder_2\nu1,2,2\n", encoding="utf-8")
    before = out.read_bytes()
    result = sample_cli("--corpus", small_corpus, "--n", 5, "--out", out)
    assert_user_error(result, "pass --force")
    assert out.read_bytes() == before and not (tmp_path / "coding.codebook.json").exists()
    assert sample_cli("--corpus", small_corpus, "--n", 5, "--out", out, "--force").exit_code == 0
    assert out.read_bytes() != before


def write_study(folder: Path, corpus: Path, extra: str = "") -> Path:
    """A study of ``corpus`` whose scope is its Kremlin pages, seed 11."""
    path = folder / "mine.toml"
    path.write_text(
        f'[study]\ncorpus = "{corpus}"\nseed = 11\n[scope]\nsource = "kremlin"\n{extra}',
        encoding="utf-8",
    )
    return path


def test_cli_sample_from_a_study_draws_its_scope_with_its_seed(
    small_corpus: Path, tmp_path: Path
) -> None:
    study = write_study(tmp_path, small_corpus)
    out = tmp_path / "coding.csv"
    result = sample_cli("--study", study, "--n", 12, "--stratify", "era", "--out", out)
    assert result.exit_code == 0, result.output
    assert "seed 11" in result.stdout
    sheet = pd.read_csv(out, dtype=str, keep_default_na=False, encoding=SHEET_ENCODING)
    corpus = read_corpus(small_corpus)
    kremlin = set(corpus.loc[(corpus["source"] == "kremlin") & corpus["relevant"], "doc_id"])
    assert len(sheet) == 12 and set(sheet["unit_id"]) <= kremlin
    record = json.loads((tmp_path / "coding.codebook.json").read_text(encoding="utf-8"))["sample"]
    assert record["population"] == len(kremlin) and record["seed"] == 11
    assert record["study"]["path"] == str(study.resolve())
    assert record["corpus_sha256"] == sha256_file(small_corpus)
    twin = tmp_path / "twin.csv"
    assert (
        sample_cli("--corpus", small_corpus, "--n", 12, "--seed", 11, "--out", twin).exit_code == 0
    )
    assert twin.read_bytes() != out.read_bytes()  # the whole corpus is a different frame


@pytest.mark.parametrize(
    ("extra", "args", "message"),
    [
        ("", ["--corpus", "{corpus}"], "give --study or --corpus, not both"),
        ("[scope]\nera = 'obama'\n", [], "not valid TOML"),
        ("[sampling]\nn = 3\n", [], "sampling: unknown key"),
    ],
)
def test_cli_sample_bad_study_is_one_line_and_exit_2(
    small_corpus: Path, tmp_path: Path, extra: str, args: list[str], message: str
) -> None:
    study = write_study(tmp_path, small_corpus, extra)
    before = sorted(p.name for p in tmp_path.iterdir())
    argv = [a.format(corpus=small_corpus) for a in args]
    result = sample_cli("--study", study, *argv, "--n", 5, "--out", tmp_path / "coding.csv")
    assert_user_error(result, message)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--n", "100000"], "more than the"),
        (["--n", "0"], "at least 1"),
        (["--stratify", "era,colour"], "cannot stratify by colour"),
        (["--coders", "1"], "at least two coders"),
        (["--coders", "ann,ann"], "must be unique"),
        (["--coders", "ann,b c"], "letters, digits"),
        (["--unit", "paragraph"], "unknown unit 'paragraph'"),
        (["--corpus", "{tmp}/missing.parquet"], "corpus not found"),
        (["--out", "{tmp}/coding.xlsx"], "must end in .csv"),
        (["--codebook", "{tmp}/book.json"], "level 'scale' is not one of"),
        (["--codebook", "{tmp}/missing.json"], "no such codebook"),
    ],
)
def test_cli_sample_bad_input_is_one_line_and_exit_2(
    small_corpus: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    bad = codebook_to_dict(DEFAULT_CODEBOOK)
    bad["variables"][0]["level"] = "scale"
    (tmp_path / "book.json").write_text(json.dumps(bad), encoding="utf-8")
    argv = [a.format(tmp=tmp_path) for a in args]
    if "--corpus" not in argv:
        argv += ["--corpus", str(small_corpus)]
    if "--out" not in argv:
        argv += ["--out", str(tmp_path / "coding.csv")]
    before = sorted(p.name for p in tmp_path.iterdir())
    assert_user_error(sample_cli(*argv), message)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def fill(sheet: Path, column: str, codes: np.ndarray, offset: float = 0) -> None:
    """Write codes into one column as a spreadsheet saves them (text; empty when missing)."""
    frame = pd.read_csv(sheet, dtype=str, keep_default_na=False, encoding=SHEET_ENCODING)
    values = [("" if v != v else f"{v + offset:g}") for v in codes]
    frame[column] = values + [""] * (len(frame) - len(values))
    frame.to_csv(sheet, index=False, encoding=SHEET_ENCODING)


@pytest.fixture
def coded(small_corpus: Path, tmp_path: Path) -> Path:
    """12 sampled documents, coded by four coders with Krippendorff's (2011) data (-3: -2..2)."""
    out = tmp_path / "coding.csv"
    done = sample_cli("--corpus", small_corpus, "--n", 12, "--coders", "A,B,C,D", "--out", out)
    assert done.exit_code == 0, done.output
    for j, coder in enumerate("ABCD"):
        fill(out, f"coder_{coder}", KRIPPENDORFF_2011[:, j], offset=-3)
    return out


def test_round_trip_gives_the_published_alphas(coded: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = agreement_cli(coded, "--json", report, "--resamples", 200)
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["level"] == "ordinal" and data["variable"] == "tone"  # from the codebook
    assert round(data["alpha"], 3) == PUBLISHED_ALPHA["ordinal"]
    assert data["coders"] == list("ABCD") and data["n_units"] == 12
    for level in ("nominal", "interval"):
        result = agreement_cli(coded, "--level", level, "--json", report, "--resamples", 0)
        assert result.exit_code == 0, result.output
        data = json.loads(report.read_text(encoding="utf-8"))
        assert round(data["alpha"], 3) == PUBLISHED_ALPHA[level] and data["interval"] is None


def test_round_trip_of_the_second_variable(coded: Path) -> None:
    """``relevant``: Krippendorff's (2011) binary example for coders A and B, alpha 0.095."""
    fill(coded, "relevant:coder_A", np.array([0, 1, 0, 0, 0, 0, 0, 0, 1, 0.0]))
    fill(coded, "relevant:coder_B", np.array([1, 1, 1, 0, 0, 1, 0, 0, 0, 0.0]))
    report = coded.with_name("relevant.json")
    result = agreement_cli(coded, "--variable", "relevant", "--json", report, "--resamples", 100)
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["level"] == "nominal" and round(data["alpha"], 3) == 0.095
    assert "2 unit(s) have no code and are left out" in result.stdout


def test_round_trip_with_the_machine_measures(coded: Path, tmp_path: Path) -> None:
    scored = tmp_path / "scored.csv"
    done = CliRunner().invoke(
        app, ["sentiment", str(coded), "--text-column", "text", "--output", str(scored)]
    )
    assert done.exit_code == 0, done.output
    report = tmp_path / "report.json"
    result = agreement_cli(coded, "--machine", scored, "--json", report, "--resamples", 100)
    assert result.exit_code == 0, result.output
    machine = json.loads(report.read_text(encoding="utf-8"))["machine"]
    assert machine["consensus"].startswith("the median code")
    score = machine["measures"]["score"]
    assert score["confusion"]["codes"] == [-2.0, -1.0, 0.0, 1.0, 2.0]
    assert score["cut_points"] == [-3.0, -1.0, 1.0, 3.0]
    n = machine["n_units_with_consensus"]
    assert score["n"] == sum(map(sum, score["confusion"]["counts"])) == n


def test_round_trip_bad_sheets(coded: Path) -> None:
    frame = pd.read_csv(coded, dtype=str, keep_default_na=False, encoding=SHEET_ENCODING)
    frame.drop(columns="coder_B").to_csv(coded, index=False)
    assert_user_error(agreement_cli(coded), "coder column coder_B is missing")
    frame.loc[3, "coder_C"] = "7"
    frame.to_csv(coded, index=False, encoding=SHEET_ENCODING)
    unit = frame.loc[3, "unit_id"]
    message = f"unit {unit}, coder_C: unknown code '7'; the codes are -2, -1, 0, 1, 2"
    assert_user_error(agreement_cli(coded), message)
    assert_user_error(agreement_cli(coded, "--variable", "topic"), "no variable 'topic'")


def test_round_trip_with_a_ratio_codebook(small_corpus: Path, tmp_path: Path) -> None:
    book = codebook_to_dict(DEFAULT_CODEBOOK)
    book["variables"] = [
        {
            "name": "threat",
            "question": "How much of a threat does the text make Russia out to be?",
            "level": "ratio",
            "codes": [{"code": c, "label": str(c)} for c in range(1, 6)],
        }
    ]
    path = tmp_path / "threat.json"
    path.write_text(json.dumps(book), encoding="utf-8")
    out = tmp_path / "threat.csv"
    done = sample_cli(
        "--corpus", small_corpus, "--n", 12, "--coders", "A,B,C,D", "--codebook", path,
        "--out", out,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    for j, coder in enumerate("ABCD"):
        fill(out, f"coder_{coder}", KRIPPENDORFF_2011[:, j])
    report = tmp_path / "threat.report.json"
    result = agreement_cli(out, "--resamples", 0, "--json", report)
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["level"] == "ratio" and round(data["alpha"], 3) == PUBLISHED_ALPHA["ratio"]


def test_report_page_shows_the_coded_sample(coded: Path, small_corpus: Path, tmp_path: Path):
    """``usrussia report --param coding_path=...`` runs notebook 05 on the user's sheet."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(config.NOTEBOOKS / "05_validation.ipynb", notebooks)
    out = tmp_path / "reports"
    args = ["report", "--corpus", small_corpus, "--notebooks", notebooks, "--output", out]
    params = ["--param", f"coding_path={coded}", "--param", "n_resamples=100"]
    result = CliRunner().invoke(app, [*map(str, args), *params])
    assert result.exit_code == 0, result.output
    block = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["validation"]
    assert round(block["coding"]["alpha"], 3) == PUBLISHED_ALPHA["ordinal"]
    assert block["coding"]["level"] == "ordinal" and block["coding"]["n_units"] == 12
    assert set(block["coding"]["machine"]["measures"]) == set(MEASURES)
    assert block["nyt"]["n_sentences"] == 5190
    page = (out / "05_validation.html").read_text(encoding="utf-8")
    assert "The coded sample of this corpus" in page and "0.815" in page


def test_report_page_shows_the_studys_coded_sample(coded: Path, small_corpus: Path, tmp_path: Path):
    """A study whose ``[validation]`` names a coded sheet: ``report --study`` shows it at the
    study's level of measurement, with no parameter given."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(config.NOTEBOOKS / "05_validation.ipynb", notebooks)
    extra = f'[validation]\ncoding = "{coded}"\nlevel = "interval"\n'
    study = write_study(tmp_path, small_corpus, extra)
    out = tmp_path / "reports"
    args = ["report", "--study", study, "--notebooks", notebooks, "--output", out]
    result = CliRunner().invoke(app, [*map(str, args), "--param", "n_resamples=100"])
    assert result.exit_code == 0, result.output
    block = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["validation"]
    assert round(block["coding"]["alpha"], 3) == PUBLISHED_ALPHA["interval"]
    assert block["coding"]["level"] == "interval" and block["coding"]["n_units"] == 12
