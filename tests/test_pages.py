"""The descriptive pages (notebooks 01-03) on corpora their study was not written for.

Four corpora are cut from the shipped data under source names the notebooks have never
seen (two eras of different kinds, one era, no dates, five documents), imported as a user
imports a file, each with a study written by hand; the pages run with papermill as
``usrussia report`` runs them and must describe each corpus, say in words what cannot be
shown, write the topic shares when a model is fitted and show every table through
``usrussia.report.tables.readable``.
"""

from __future__ import annotations

import ast
import html
import json
import re
import shutil
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import papermill
import pytest

from usrussia import config
from usrussia.corpus import read_corpus, write_corpus
from usrussia.corpus.sources import IMPORTERS
from usrussia.engine import import_file
from usrussia.report import run_report
from usrussia.report.run import KERNEL, kernel_environment
from usrussia.study import load_study
from usrussia.topics.files import read_topic_shares

PAGES = ("01_corpus", "02_sentiment", "03_topics")
TOPIC_KEYS = ["ks", "max_candidates", "max_features", "min_df", "n_seeds"]
STUDY = """\
[study]
name = "{name}"
corpus = "corpus.parquet"
n_resamples = 200

[outlet_groups]
path = "{outlet_groups}"

[topics]  # small settings, so the sweep is quick: they replace the notebook's defaults
filter = {{ relevant = true }}
ks = [2, 3]
n_seeds = 2
max_candidates = 1
min_df = 2
max_features = 500

[[comparisons]]
name = "{name}: Obama era vs Trump's first term"
filter = {{ relevant = true }}
by = "era"
groups = ["obama", "trump1"]

[[comparisons]]
name = "{name}: state media vs Western outlets"
filter = {{ relevant = true }}
by = "outlet_group"
groups = ["Western", "Russian state media"]
"""


def sample(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` rows of ``frame`` chosen with the project's seed, in doc_id order."""
    return frame.sample(n, random_state=config.SEED).sort_values("doc_id")


def cuts(corpus: pd.DataFrame) -> dict[str, tuple[pd.DataFrame, bool]]:
    """Each test corpus: its rows of the shipped corpus and whether they keep their dates."""
    source, era, relevant = corpus["source"], corpus["era"], corpus["relevant"]
    headlines = corpus[(source == "reddit_worldnews") & (era == "obama") & relevant]
    articles = corpus[(source == "news_articles") & (era == "trump1") & relevant]
    others = corpus[(source == "news_articles") & (era == "trump1") & ~relevant]
    pages = corpus[(source == "kremlin") & relevant]
    return {
        "mycoverage": (pd.concat([sample(headlines, 60), sample(articles, 60)]), True),
        "desk": (pd.concat([sample(articles, 50), sample(others, 30)]), True),
        "archive": (sample(pages, 80), False),
        "tiny": (sample(articles, 5), True),
    }


def import_cut(rows: pd.DataFrame, name: str, dated: bool, folder: Path) -> Path:
    """The rows as a user's JSONL under source ``name`` (one record without text, which is
    quarantined), imported and written with the import's ledger."""
    fields = ["doc_id", "outlet", "title", "text", "url", "kind", *(["date"] if dated else [])]
    records = rows[fields].assign(source=name)
    if dated:
        records["date"] = records["date"].dt.strftime("%Y-%m-%d")
    lines = [json.dumps(r) for r in records.to_dict("records")]
    lines.append(json.dumps({"doc_id": f"{name}-empty", "source": name, "text": ""}))
    path = folder / f"{name}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    df, ledger = import_file(path)
    return write_corpus(df, folder / "corpus.parquet", ledger)


def run_pages(study: Path, out: Path) -> dict[str, nbformat.NotebookNode]:
    """Execute notebooks 01-03 on ``study`` into ``out`` as the report does."""
    done = {}
    with kernel_environment():
        for page in PAGES:
            parameters = {"study_path": str(study), "output_dir": str(out)}
            if page == "02_sentiment":
                # The NYT and NewsMTSC validations do not depend on the corpus.
                parameters.update(cv_folds=2, newsmtsc=False)
            done[page] = papermill.execute_notebook(
                str(config.NOTEBOOKS / f"{page}.ipynb"),
                str(out / f"{page}.ipynb"),
                parameters=parameters,
                kernel_name=KERNEL,
                cwd=str(config.NOTEBOOKS),
                progress_bar=False,
            )
    return done


@pytest.fixture(scope="module")
def runs(corpus: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Each test corpus: its corpus frame, its output folder, metrics and executed pages."""
    found = {}
    for name, (rows, dated) in cuts(corpus).items():
        folder = tmp_path_factory.mktemp(name)
        path = import_cut(rows, name, dated, folder)
        study = folder / "study.toml"
        text = STUDY.format(name=name, outlet_groups=config.OUTLET_GROUPS_CSV.as_posix())
        study.write_text(text, encoding="utf-8")
        out = folder / "out"
        out.mkdir()
        pages = run_pages(study, out)
        metrics = {p.stem: json.loads(p.read_text()) for p in (out / "metrics").glob("*.json")}
        found[name] = {
            "corpus": read_corpus(path),
            "path": path,
            "study": study,
            "out": out,
            "metrics": metrics,
            "pages": pages,
        }
    return found


def page_text(nb: nbformat.NotebookNode) -> str:
    """Everything a page shows: its markdown and every output, as text and HTML (its
    entities read as a reader sees them: ``&#x27;`` is an apostrophe)."""
    parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.extend(str(v) for k, v in output.get("data", {}).items() if k != "image/png")
    return html.unescape("\n".join(parts))


@pytest.mark.parametrize("name", ["mycoverage", "desk", "archive", "tiny"])
def test_the_corpus_page_describes_any_corpus(runs: dict, name: str) -> None:
    run = runs[name]
    block, n = run["metrics"]["corpus"], len(run["corpus"])
    assert block["documents"] == block["in_corpus_file"] == n
    assert block["by_source"] == {name: n}
    assert block["accounting"] == {
        "read": n + 1,
        "kept": n,
        "quarantined": 1,
        "reasons": {"missing text": 1},
    }
    assert block["near_duplicates"]["threshold"] == 0.9
    text = page_text(run["pages"]["01_corpus"])
    assert "quarantined 1 (1 missing text)." in text
    assert "No source in scope files its texts under categories." in text
    expected_notes = {
        "mycoverage": [],
        "desk": ["Every dated document is of one era (trump1): no era comparison."],
        "archive": ["No document is dated: there are no eras, years or meeting windows"],
        "tiny": ["Only 5 documents: most statistics will be notes."],
    }[name]
    for note in expected_notes:
        assert any(found.startswith(note) for found in block["notes"]), block["notes"]
        assert note in text
    if name == "mycoverage":
        assert block["by_era"] == {"obama": 60, "trump1": 60} and not block["notes"]
        assert "Keyness skipped" not in text and "G2" in text
    else:
        assert "Keyness skipped" in text


@pytest.mark.parametrize("name", ["mycoverage", "desk", "archive", "tiny"])
def test_the_sentiment_page_summarises_the_study_groups(runs: dict, name: str) -> None:
    run = runs[name]
    blocks = [r["metrics"]["sentiment_validation"] for r in runs.values()]
    assert all(b == blocks[0] for b in blocks), "the NYT validation depends on no corpus"
    assert blocks[0]["measures"]["score"]["n"] == 5190
    text = page_text(run["pages"]["02_sentiment"])
    assert f"{name}: Obama era vs Trump's first term" in text  # the study's groups, by name
    if name == "archive":
        assert "No scored document is dated" in text
        assert "No source has a year with" in text
    if name == "desk":
        assert "No source in scope has scored documents from more than one outlet" not in text


@pytest.mark.parametrize("name", ["mycoverage", "desk", "archive", "tiny"])
def test_the_topic_page_fits_what_it_can_and_writes_the_shares(runs: dict, name: str) -> None:
    run = runs[name]
    block = run["metrics"]["topics"]
    fitted_on = run["corpus"][run["corpus"]["relevant"]]
    assert block["n_documents"] == len(fitted_on)
    assert block["filter"] == {"relevant": True}
    assert block["set_by_study"] == TOPIC_KEYS and block["settings"]["ks"] == [2, 3]
    shares = read_topic_shares(run["out"])
    if name == "tiny":
        assert block["fitted"] is False and "too few to fit topics" in block["note"]
        assert shares is None
        return
    assert block["fitted"] is True and block["k"] in (2, 3)
    assert block["shares_file"] == "data/topic_shares.parquet"
    assert list(shares.columns) == ["doc_id", *block["labels"]]
    assert set(shares["doc_id"]) <= set(fitted_on["doc_id"])
    assert len(shares) >= 0.9 * len(fitted_on)
    assert (shares[block["labels"]].sum(axis=1) - 1).abs().max() < 1e-9
    pairs = [(c["before"], c["after"]) for c in block["era_changes"]]
    assert pairs == ([("obama", "trump1")] if name == "mycoverage" else [])
    text = page_text(run["pages"]["03_topics"])
    if name == "archive":
        assert "No year has" in text and "No document falls within" in text


@pytest.mark.parametrize("page", PAGES)
def test_every_table_is_readable(runs: dict, page: str) -> None:
    """No table shows the pandas index: every one went through ``readable``."""
    n_tables = 0
    for run in runs.values():
        for cell in run["pages"][page].cells:
            for output in cell.get("outputs", []):
                html = str(output.get("data", {}).get("text/html", ""))
                n_tables += html.count("<table")
                assert 'class="dataframe"' not in html, cell.source[:80]
                assert "row_heading" not in html, cell.source[:80]
    assert n_tables > 0


SHIPPED_NAMES = {
    *IMPORTERS,
    *config.ERA_NAMES,
    *pd.read_csv(config.OUTLET_GROUPS_CSV)["outlet"],
    *pd.read_csv(config.OUTLET_GROUPS_CSV)["group"],
}


@pytest.mark.parametrize("page", PAGES)
def test_a_page_names_no_shipped_source_outlet_or_era(page: str) -> None:
    code = "\n".join(
        c.source
        for c in jupytext.read(config.NOTEBOOKS / f"{page}.py").cells
        if c.cell_type == "code"
    )
    tree = ast.parse(code)
    keys = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}  # cv["seed"]
    keys |= {id(k) for n in ast.walk(tree) if isinstance(n, ast.Dict) for k in n.keys}
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in keys}
    named = sorted(s for s in strings if isinstance(s, str) and s in SHIPPED_NAMES)
    assert not named, f"{page} names {named}: those come from the study"
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", code), f"{page} writes a date"


def test_the_report_publishes_the_topic_shares_with_its_run(runs: dict, tmp_path: Path) -> None:
    """What notebook 03 writes under its output folder is published with the run."""
    notebooks, out = tmp_path / "notebooks", tmp_path / "reports"
    notebooks.mkdir()
    shutil.copy(config.NOTEBOOKS / "03_topics.ipynb", notebooks)
    run = runs["mycoverage"]  # its study passes check_study, which the report runs first
    report = run_report(output_dir=out, study=load_study(run["study"]), notebooks_dir=notebooks)
    published = read_topic_shares(out / "current")
    assert published is not None, "data/topic_shares.parquet is not in the published run"
    labels = report.metrics["topics"]["labels"]
    assert list(published.columns) == ["doc_id", *labels]
    assert set(published["doc_id"]) <= set(run["corpus"]["doc_id"])
    assert (out / "03_topics.html").is_file() and (out / "metrics.json").is_file()
