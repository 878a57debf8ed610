"""data/raw/MANIFEST.csv: every raw file is listed with the right sha256."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
    assert {
        "whitehouse/obama_remarks_2009_2015.zip",
        "whitehouse/briefing_room_2021_2026.zip",
    } <= files
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


def _usrussia(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``usrussia ARGS`` in a fresh process whose project root is ``root``."""
    env = {**os.environ, "USRUSSIA_ROOT": str(root)}
    command = [sys.executable, "-m", "usrussia.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_manifest_command_writes_the_manifest(tmp_path: Path) -> None:
    """``usrussia manifest`` lists the raw files present, with their sha256 and provenance;
    a raw file of unknown provenance is one error line, exit 2, and no manifest."""
    raw = tmp_path / "data" / "raw"
    shutil.copytree(config.RAW / "seed", raw / "seed")
    proc = _usrussia(tmp_path, "manifest")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"wrote {raw / 'MANIFEST.csv'}"
    assert verify_manifest(raw) == []
    assert [row["file"] for row in read_manifest(raw)] == raw_files(raw)
    (raw / "MANIFEST.csv").unlink()
    (raw / "unknown.txt").write_text("no provenance")
    proc = _usrussia(tmp_path, "manifest")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "error: no provenance recorded for data/raw/unknown.txt; add it to PROVENANCE"
    ]
    assert not (raw / "MANIFEST.csv").exists()
