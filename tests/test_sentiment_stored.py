"""The sentiment page's document scores, reused by the comparison page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from usrussia.sentiment import score_documents
from usrussia.sentiment.stored import (
    document_scores_path,
    reuse_scores,
    stored_scores,
    text_sha256,
    write_document_scores,
)


@pytest.fixture(scope="module")
def texts(corpus: pd.DataFrame) -> list[str]:
    """Kremlin paragraphs and headlines of varied length (twelve distinct texts)."""
    pages = corpus[(corpus["source"] == "kremlin") & corpus["relevant"]].sort_values("doc_id")
    bodies = [t[:1500] for t in pages["text"].head(8)]
    return [*bodies, *pages["title"].head(4)]


def test_reused_scores_are_the_scores_of_scoring_everything(
    texts: list[str], tmp_path: Path
) -> None:
    """Six texts stored by page 02; page 04 asks for all twelve, one twice and one empty:
    every row equals scoring them all at once, bit for bit, dtypes included."""
    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(6)], "text": texts[:6]})
    write_document_scores(documents, score_documents(documents["text"]), tmp_path)
    asked = [texts[7], *texts, texts[2], ""]
    expected = score_documents(asked)
    got = reuse_scores(tmp_path, progress=None)(asked)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert len(stored_scores(tmp_path)) == 6


def test_the_scores_file_holds_ids_and_keys(texts: list[str], tmp_path: Path) -> None:
    documents = pd.DataFrame({"doc_id": ["a", "b"], "text": texts[:2]})
    path = write_document_scores(documents, score_documents(documents["text"]), tmp_path)
    assert path == document_scores_path(tmp_path) == tmp_path / "data" / "document_scores.parquet"
    frame = pd.read_parquet(path)
    assert list(frame.columns[:3]) == ["doc_id", "text_sha256", "model_sha256"]
    assert frame["text_sha256"].tolist() == [text_sha256(t) for t in texts[:2]]
    with pytest.raises(ValueError, match="3 score rows for 2 documents"):
        write_document_scores(documents, score_documents(texts[:3]), tmp_path)


def test_scores_of_another_model_are_not_reused(texts: list[str], tmp_path: Path) -> None:
    """A file written with another model (or none at all) leaves every text to be scored."""
    documents = pd.DataFrame({"doc_id": ["a"], "text": texts[:1]})
    path = write_document_scores(documents, score_documents(documents["text"]), tmp_path)
    frame = pd.read_parquet(path)
    frame["score"] = 99.0
    frame.assign(model_sha256="0" * 64).to_parquet(path, index=False)
    assert stored_scores(tmp_path).empty
    got = reuse_scores(tmp_path, progress=None)(texts[:1])
    pd.testing.assert_frame_equal(got, score_documents(texts[:1]), check_exact=True)
    frame.to_parquet(path, index=False)  # the same model: the stored (here altered) row is used
    assert reuse_scores(tmp_path, progress=None)(texts[:1])["score"].tolist() == [99.0]
    assert stored_scores(tmp_path / "nowhere").empty
