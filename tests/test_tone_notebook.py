"""Notebook 04 run as the report runs it (papermill, the project kernel) on corpora cut from
the shipped data under source names it has never seen, each with its own study: the page
shows every declared comparison, notes where one cannot be made, and saves the
``tone_comparison`` block."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest
from study_corpora import MY_STUDY, cut

from usrussia import config
from usrussia.corpus import write_corpus
from usrussia.report.run import KERNEL, kernel_environment
from usrussia.study import parse_study
from usrussia.topics import document_topics
from usrussia.topics.files import TOPIC_SHARES

NOTEBOOK = config.NOTEBOOKS / "04_tone_comparison.ipynb"


def run_page(corpus: pd.DataFrame, folder: Path) -> tuple[list, str]:
    """Run notebook 04 on ``corpus`` with ``MY_STUDY``; its metrics block and page text."""
    write_corpus(corpus, folder / "corpus.parquet")
    (folder / "mine.toml").write_text(MY_STUDY, encoding="utf-8")
    out = folder / "out"
    with kernel_environment():
        papermill.execute_notebook(
            str(NOTEBOOK),
            str(folder / "04.ipynb"),
            parameters={"study_path": str(folder / "mine.toml"), "output_dir": str(out)},
            kernel_name=KERNEL,
            cwd=str(NOTEBOOK.parent),
            progress_bar=False,
        )
    outputs = [o for c in nbformat.read(folder / "04.ipynb", 4).cells for o in c.get("outputs", [])]
    text = "\n".join(
        str(o.get("text", "")) + "".join(str(v) for v in o.get("data", {}).values())
        for o in outputs
    )
    block = json.loads((out / "metrics" / "tone_comparison.json").read_text(encoding="utf-8"))
    return block, text


# One era and five documents run through the same page code as these two; their records
# are tested in test_study_comparisons (a notebook run costs a kernel and its imports).
@pytest.mark.parametrize("kind", ["two_kinds", "undated"])
def test_the_page_runs_every_comparison_of_the_study(
    corpus: pd.DataFrame, kind: str, tmp_path: Path
) -> None:
    mine = cut(corpus, kind)
    if kind == "two_kinds":  # notebook 03's shares, as the report run leaves them
        shares = document_topics(mine, n_topics=3).assign(doc_id=mine["doc_id"])
        (tmp_path / "out" / "data").mkdir(parents=True)
        shares.to_parquet(tmp_path / "out" / TOPIC_SHARES)
    block, page = run_page(mine, tmp_path)
    study = parse_study(MY_STUDY)
    for comparison in study.comparisons:
        assert f"## {comparison.name}" in page
    assert {r["question"] for r in block} >= {c.name for c in study.comparisons}
    assert "p (adjusted)" in page and "Reading the tables" in page
    assert ("no topic shares at" in page) is (kind != "two_kinds")
    for shipped in ("kremlin", "news_articles", "reddit_worldnews", "TASS"):
        assert shipped not in page, f"the page names {shipped}, which this corpus lacks"
    if kind != "two_kinds":
        assert any("0 document(s)" in r["note"] or "undated" in r["note"] for r in block)
