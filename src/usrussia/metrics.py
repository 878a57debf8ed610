"""Metric blocks that notebooks hand to the report harness.

Each notebook calls ``save_block(name, data, output_dir)``; it writes
``output_dir/metrics/<name>.json`` atomically. ``usrussia report`` merges every block
into ``output_dir/metrics.json`` beside the run's ``manifest``. Block names used across
the project: ``corpus``, ``sentiment_validation``, ``topics``, ``tone_comparison``.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from usrussia.io import atomic_write


def to_jsonable(value: Any) -> Any:
    """Plain JSON types from numpy/pandas scalars, containers and dates; NaN becomes None."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return to_jsonable(value.tolist())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dump_json(data: Any, path: str | os.PathLike[str]) -> Path:
    """Write ``data`` as sorted, indented JSON, atomically (stable bytes for stable data)."""
    text = json.dumps(to_jsonable(data), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def save_block(name: str, data: Any, output_dir: str | os.PathLike[str]) -> Path:
    """Save one notebook's metrics block for the report harness to merge."""
    return dump_json(data, Path(output_dir) / "metrics" / f"{name}.json")


def load_blocks(output_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Every block saved under ``output_dir/metrics``, by name."""
    folder = Path(output_dir) / "metrics"
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))
    }
