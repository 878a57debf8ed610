"""Near-duplicates: shingles, exact Jaccard, clusters, and dropping them with accounting."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from usrussia.corpus.records import Ledger
from usrussia.text.dedup import (
    _hashes,
    drop_near_duplicates,
    jaccard,
    near_duplicate_clusters,
    near_duplicate_pairs,
    shingles,
)

BASE = (
    "Russian President Vladimir Putin and US President Donald Trump met in Helsinki on "
    "Monday for their first formal summit, discussing arms control, Syria and Ukraine "
    "as well as allegations of interference in the 2016 election, officials said."
)


def test_shingles() -> None:
    assert shingles("A b c d", size=2) == ["a b", "b c", "c d"]
    assert shingles("Short text", size=5) == ["short text"]
    assert shingles("", size=5) == []
    with pytest.raises(ValueError):
        shingles("x", size=0)


def test_jaccard_by_hand() -> None:
    a = _hashes(["a b", "b c", "c d"])
    b = _hashes(["b c", "c d", "d e"])
    assert jaccard(a, b) == pytest.approx(2 / 4)
    assert jaccard(np.array([], np.uint32), np.array([], np.uint32)) == 0.0


def test_pairs_find_a_wire_copy_and_not_a_different_story() -> None:
    copy = BASE.replace("officials said.", "officials told reporters.")
    other = "The Kremlin announced a new programme for the Far East regions and agriculture."
    pairs = near_duplicate_pairs([BASE, other, copy], threshold=0.7, desc=None)
    assert [(i, j) for i, j, _ in pairs] == [(0, 2)]
    exact = jaccard(_hashes(shingles(BASE)), _hashes(shingles(copy)))
    assert pairs[0][2] == pytest.approx(exact) and exact >= 0.7


def test_clusters_groups_and_representative() -> None:
    texts = ["x " + BASE, BASE, "Unrelated text about the economy of the Far East.", BASE + " "]
    clusters = near_duplicate_clusters(texts, ["d0", "d1", "d2", "d3"], threshold=0.8)
    assert clusters["doc_id"].tolist() == ["d0", "d1", "d3"]
    assert set(clusters["representative"]) == {"d0"}
    by_group = near_duplicate_clusters(texts, ["d0", "d1", "d2", "d3"], ["a", "b", "b", "a"])
    assert by_group["doc_id"].tolist() == ["d0", "d3"]  # d1 is in another group
    with pytest.raises(ValueError, match="threshold"):
        near_duplicate_pairs(texts, threshold=0)


def test_results_are_deterministic() -> None:
    texts = [BASE, BASE.upper(), BASE[:-20], "other words entirely here"]
    first = near_duplicate_clusters(texts, threshold=0.5)
    assert first.equals(near_duplicate_clusters(texts, threshold=0.5))


def test_drop_keeps_accounting() -> None:
    df = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "source": ["news", "news", "news"],
            "text": [BASE, "Something else entirely, about grain exports.", BASE],
        }
    )
    ledger = Ledger(read=4, kept=3)
    ledger.reject(object())  # one record quarantined earlier by the reader
    kept, dropped = drop_near_duplicates(df, ledger)
    assert kept["doc_id"].tolist() == ["a", "b"]
    assert dropped["doc_id"].tolist() == ["c"]
    assert ledger.kept == 2 and ledger.quarantined == 2 and ledger.read == 4
    assert ledger.rejected[-1].reason == "near-duplicate"
    assert ledger.rejected[-1].detail == "of a"


def test_real_stub_pages_are_near_duplicates(corpus) -> None:
    kremlin = corpus[corpus["source"] == "kremlin"]
    clusters = near_duplicate_clusters(kremlin["text"], kremlin["doc_id"])
    assert 0 < len(clusters) < 100
    texts = kremlin.set_index("doc_id")["text"]
    order = {doc_id: i for i, doc_id in enumerate(kremlin["doc_id"])}
    for _, members in clusters.groupby("cluster"):
        assert len(members) >= 2
        first = min(members["doc_id"], key=order.__getitem__)
        assert (members["representative"] == first).all()  # the first in input order
    for _, row in clusters.iterrows():
        own = _hashes(shingles(texts[row["doc_id"]]))
        representative = _hashes(shingles(texts[row["representative"]]))
        assert row["jaccard"] == pytest.approx(jaccard(own, representative))
        assert row["jaccard"] >= 0.8


def test_cli_rejects_a_bad_threshold_in_one_line(tmp_path) -> None:
    from typer.testing import CliRunner

    from usrussia.cli import app

    result = CliRunner().invoke(
        app, ["corpus", "build", "--drop-near-duplicates", "--near-duplicate-threshold", "1.5"]
    )
    assert result.exit_code == 2
    assert "--near-duplicate-threshold must be in (0, 1]" in result.output
