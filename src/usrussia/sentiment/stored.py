"""The sentiment page's document scores as a file other pages read.

The sentiment page (notebook 02) scores every relevant in-scope document and writes the
scores to ``OUTPUT/data/document_scores.parquet`` (``DOCUMENT_SCORES`` under the report's
output folder): ``doc_id``, the sha256 of the text scored, the model's sha256 and the
columns of ``score_documents``. The comparison page (notebook 04) scores its units with
``reuse_scores``: a text already scored by the same model is taken from the file, the rest
(headlines, sentences naming a target, documents the page did not score) is scored. A text's
scores do not depend on the texts scored with it, so the numbers are the same either way.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from usrussia import config
from usrussia.io import atomic_write
from usrussia.sentiment.scoring import score_documents

DOCUMENT_SCORES = Path("data") / "document_scores.parquet"  # under a report's output folder
KEYS = ("doc_id", "text_sha256", "model_sha256")


def text_sha256(text: str) -> str:
    """The key a scored text is found by."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def model_sha256(path: Path = config.MODEL_JSON) -> str:
    """The sha256 of the recommended-score model the scores were computed with."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def document_scores_path(output_dir: str | os.PathLike[str]) -> Path:
    """Where the document scores of the run writing into ``output_dir`` live."""
    return Path(output_dir) / DOCUMENT_SCORES


def write_document_scores(
    documents: pd.DataFrame, scores: pd.DataFrame, output_dir: str | os.PathLike[str]
) -> Path:
    """Write each document's scores beside its ``doc_id`` and the keys of its text.

    Parameters
    ----------
    documents : DataFrame
        The scored documents (``doc_id``, ``text``), in the order of ``scores``.
    scores : DataFrame
        ``score_documents(documents["text"])``.
    output_dir : path-like
        The report's output folder.

    Returns
    -------
    path : Path
    """
    if len(documents) != len(scores):
        raise ValueError(f"{len(scores)} score rows for {len(documents)} documents")
    frame = scores.reset_index(drop=True).copy()
    frame.insert(0, "doc_id", documents["doc_id"].astype(str).to_numpy())
    frame.insert(1, "text_sha256", [text_sha256(str(t)) for t in documents["text"]])
    frame.insert(2, "model_sha256", model_sha256())
    path = document_scores_path(output_dir)
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))


def stored_scores(output_dir: str | os.PathLike[str]) -> pd.DataFrame:
    """The scores in ``output_dir`` computed by today's model, indexed by text sha256
    (empty when there are none)."""
    path = document_scores_path(output_dir)
    if not path.is_file():
        return pd.DataFrame()
    frame = pd.read_parquet(path)
    frame = frame[frame["model_sha256"] == model_sha256()]
    return (
        frame.drop_duplicates("text_sha256")
        .set_index("text_sha256")
        .drop(columns=[k for k in KEYS if k != "text_sha256"])
    )


def reuse_scores(
    output_dir: str | os.PathLike[str], progress: str | None = "tone"
) -> Callable[[Sequence[str]], pd.DataFrame]:
    """A scorer (texts to ``score_documents`` rows, with targets) that takes the scores
    stored in ``output_dir`` for the texts they cover and scores only the others."""

    def scorer(texts: Sequence[str]) -> pd.DataFrame:
        texts = [str(t) for t in texts]
        keys = [text_sha256(t) for t in texts]
        stored = stored_scores(output_dir)
        first: dict[str, int] = {}
        for i, key in enumerate(keys):
            first.setdefault(key, i)
        todo = [i for key, i in first.items() if key not in stored.index]
        fresh = score_documents([texts[i] for i in todo], targets=True, progress=progress)
        if stored.empty and len(todo) == len(texts):
            return fresh
        if not stored.empty and list(stored.columns) != list(fresh.columns):
            raise ValueError(
                f"{document_scores_path(output_dir)}: not the columns of today's scores"
            )
        fresh.index = [keys[i] for i in todo]
        known = pd.concat([stored, fresh]) if len(fresh) else stored
        return known.loc[keys].astype(fresh.dtypes).reset_index(drop=True)

    return scorer
