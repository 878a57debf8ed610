"""data/raw/MANIFEST.csv: every raw file is listed with the right sha256."""

from __future__ import annotations

import shutil
from pathlib import Path

from usrussia import config
from usrussia.corpus.manifest import FIELDS, raw_files, read_manifest, verify_manifest


def test_shipped_raw_data_matches_manifest() -> None:
    assert verify_manifest() == []


def test_manifest_lists_every_source_with_licence() -> None:
    rows = read_manifest()
    assert tuple(rows[0]) == FIELDS
    assert all(row["licence"] and row["source"] for row in rows)
    files = {row["file"] for row in rows}
    assert "kremlin/kremlin_en_all.jsonl.gz" in files
    assert "media/NewsArticles.zip" in files
    assert sum(f.startswith("sotu/") and f.endswith(".txt") for f in files) == 21


def test_verify_detects_change_and_unlisted_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(config.RAW / "seed", raw / "seed")
    shutil.copy(config.RAW / "MANIFEST.csv", raw / "MANIFEST.csv")
    (raw / "seed" / "extra.txt").write_text("not listed")
    seed = next((raw / "seed").glob("fpri_*.txt"))
    seed.write_text(seed.read_text() + "tampered")
    problems = verify_manifest(raw)
    assert f"sha256 mismatch: seed/{seed.name}" in problems
    assert "not in manifest: seed/extra.txt" in problems
    assert "missing: kremlin/kremlin_en_all.jsonl.gz" in problems
    assert "seed/extra.txt" in raw_files(raw)
