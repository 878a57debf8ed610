"""Metric blocks that notebooks hand to the report harness.

Each notebook calls ``save_block(name, data, output_dir)``; it writes
``output_dir/metrics/<name>.json`` atomically. ``usrussia report`` merges every block
into ``output_dir/metrics.json`` beside the run's ``manifest``. Block names used across
the project: ``corpus``, ``sentiment_validation``, ``topics``, ``tone_comparison``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from usrussia.io import dump_json


def save_block(name: str, data: Any, output_dir: str | os.PathLike[str]) -> Path:
    """Save one notebook's metrics block for the report harness to merge."""
    return dump_json(data, Path(output_dir) / "metrics" / f"{name}.json")


def load_blocks(output_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Every block saved under ``output_dir/metrics``, by name."""
    folder = Path(output_dir) / "metrics"
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))
    }
