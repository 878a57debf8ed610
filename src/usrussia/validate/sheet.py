"""Filled coding sheets: read and check them, measure agreement, print the result.

A sheet has one row per unit, a ``unit_id`` column, one column per coder (``coder_<name>``
for the codebook's first variable, ``<variable>:coder_<name>`` for the others; an empty
cell is a missing code) and any context columns. Every row is kept: a sheet with a bad
row, an unknown code, a missing coder column or no codes at all is refused whole with an
``InputError`` naming the line, because dropping a coded unit would change the statistic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from usrussia import config
from usrussia.corpus.records import InputError, Rejected, is_missing, iter_file
from usrussia.validate.agreement import (
    CONFIDENCE,
    LEVELS,
    N_RESAMPLES,
    reliability,
)
from usrussia.validate.codebook import (
    CODER_PREFIX,
    VARIABLE_SEPARATOR,
    Variable,
    code_key,
    codebook_from_dict,
    codebook_path,
    read_codebook_file,
)
from usrussia.validate.machine_agreement import (
    consensus,
    machine_agreement,
    rounded,
)

CONSENSUS = {
    "nominal": "the most frequent code, where one code is more frequent than the others",
    "ordinal": "the median code, where it is a code (an even split has none)",
    "interval": "the mean of the codes",
    "ratio": "the mean of the codes",
}


@dataclass(frozen=True)
class CodedSheet:
    """One variable's codes from a coding sheet, ready for the agreement statistics.

    ``codes`` is units x coders (the numbers alpha uses; NaN: no code); ``scale`` the
    numeric codes of the variable (numeric levels); ``rows`` every column of the sheet.
    """

    path: Path
    variable: str
    level: str
    coders: list[str]
    unit_ids: list[str]
    codes: np.ndarray
    scale: list[float] | None
    rows: pd.DataFrame


def _is_missing(value: Any) -> bool:
    """An empty cell of the sheet: a missing value, or text that is only blanks."""
    return is_missing(value) or (isinstance(value, str) and not value.strip())


def _read_rows(path: Path) -> list[tuple[int | None, dict[str, Any]]]:
    """Every record of the sheet with its line; any unreadable row refuses the sheet."""
    rows = []
    for item in iter_file(path):
        if isinstance(item, Rejected):
            detail = f" ({item.detail})" if item.detail else ""
            raise InputError(f"{path} line {item.line}: {item.reason}{detail}")
        rows.append((item.line, item.data))
    if not rows:
        raise InputError(f"{path}: no rows")
    return rows


def _coder_columns(columns: list[str], prefix: str) -> dict[str, str]:
    """Coder name -> column, for the columns ``<prefix>coder_<name>``."""
    head = prefix + CODER_PREFIX
    return {c[len(head) :]: c for c in columns if c.startswith(head) and len(c) > len(head)}


def _load_codebook(
    sheet: Path, codebook: str | os.PathLike[str] | None
) -> tuple[dict[str, Any] | None, str | None]:
    """The sheet's codebook JSON (given, or found beside it) and where it is."""
    path = Path(codebook) if codebook is not None else codebook_path(sheet)
    if codebook is None and not path.is_file():
        return None, None
    return read_codebook_file(path), str(path)


def read_sheet(
    path: str | os.PathLike[str],
    variable: str | None = None,
    level: str | None = None,
    codebook: str | os.PathLike[str] | None = None,
) -> CodedSheet:
    """Read one variable of a filled coding sheet (CSV, JSONL or Parquet), checked.

    Parameters
    ----------
    path : path
        The sheet.
    variable : str, optional
        The codebook variable (default: the first).
    level : str, optional
        Alpha's metric (default: the variable's level in the codebook; required when the
        sheet has no codebook).
    codebook : path, optional
        The codebook JSON (default: ``<sheet>.codebook.json`` beside the sheet, if any).
    """
    path = Path(path)
    if level is not None and level not in LEVELS:
        raise InputError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    rows = _read_rows(path)
    columns = list(rows[0][1])
    if "unit_id" not in columns:
        raise InputError(f"{path}: no unit_id column")
    book_data, where = _load_codebook(path, codebook)
    if book_data is None:
        if level is None:
            raise InputError(
                f"{path}: no codebook beside it ({codebook_path(path).name}) and no level of "
                "measurement given",
                parameter="level",
            )
        var, expected = None, []
        name = variable or "code"
        prefix = f"{variable}{VARIABLE_SEPARATOR}" if variable else ""
    else:
        book = codebook_from_dict(book_data, where)
        var = book.variable(variable)
        name, expected = var.name, [str(c) for c in book_data.get("coders") or []]
        prefix = "" if var is book.variables[0] else f"{var.name}{VARIABLE_SEPARATOR}"
        level = level or var.level
    found = _coder_columns(columns, prefix)
    for coder in expected:
        if coder not in found:
            raise InputError(
                f"{path}: coder column {prefix}{CODER_PREFIX}{coder} is missing "
                f"(the codebook lists coders {', '.join(expected)})"
            )
    coders = expected + sorted(set(found) - set(expected))
    if len(coders) < 2:
        shown = ", ".join(found.values()) or "none"
        raise InputError(
            f"{path}: agreement needs at least two coder columns "
            f"({prefix}{CODER_PREFIX}<name>); found {shown}"
        )
    unit_ids = _unit_ids(path, rows)
    cells = [[record.get(found[c]) for c in coders] for _, record in rows]
    codes = _parse_codes(path, rows, [found[c] for c in coders], cells, var, level)
    if np.isnan(codes).all():
        raise InputError(f"{path}: no codes yet; the coder columns for {name} are empty")
    scale = None
    if level != "nominal":
        observed = np.unique(codes[~np.isnan(codes)]).tolist()
        scale = var.scale() if var is not None else observed
    if level == "ratio" and min(scale) < 0:
        raise InputError(
            f"{path}: ratio codes cannot be negative; choose another level", parameter="level"
        )
    frame = pd.DataFrame([record for _, record in rows])
    return CodedSheet(path, name, level, coders, unit_ids, codes, scale, frame)


def _unit_ids(path: Path, rows: list[tuple[int | None, dict[str, Any]]]) -> list[str]:
    ids, seen = [], set()
    for line, data in rows:
        unit = "" if _is_missing(data.get("unit_id")) else str(data["unit_id"]).strip()
        if not unit:
            raise InputError(f"{path} line {line}: no unit_id")
        if unit in seen:
            raise InputError(f"{path} line {line}: unit_id {unit!r} appears twice")
        seen.add(unit)
        ids.append(unit)
    return ids


def _parse_codes(
    path: Path,
    rows: list[tuple[int | None, dict[str, Any]]],
    columns: list[str],
    cells: list[list[Any]],
    variable: Variable | None,
    level: str,
) -> np.ndarray:
    """The number alpha uses for every cell (NaN where it is empty).

    With a codebook a code must be one of the variable's; without one, a numeric level
    takes any number and a nominal one any text (numbered in sorted order).
    """
    keys = [[None if _is_missing(v) else code_key(v) for v in row] for row in cells]
    if variable is not None:
        lookup = variable.lookup(level)
        allowed = ", ".join(str(c.value) for c in variable.codes)
    elif level == "nominal":
        distinct = sorted({k for row in keys for k in row if k is not None}, key=str)
        lookup = {k: float(i) for i, k in enumerate(distinct)}
    else:
        lookup = None
    codes = np.full((len(cells), len(columns)), np.nan)
    for i, row in enumerate(keys):
        for j, key in enumerate(row):
            if key is None:
                continue
            line, record = rows[i]
            where = f"{path} line {line}, unit {record.get('unit_id')}, {columns[j]}"
            if lookup is None:
                if not isinstance(key, float):
                    raise InputError(f"{where}: {cells[i][j]!r} is not a number ({level} codes)")
                codes[i, j] = key
            elif key in lookup:
                codes[i, j] = lookup[key]
            else:
                raise InputError(f"{where}: unknown code {cells[i][j]!r}; the codes are {allowed}")
    return codes


def agreement_report(
    sheet: CodedSheet,
    machine: dict[str, np.ndarray] | None = None,
    ranges: dict[str, tuple[float, float]] | None = None,
    n_resamples: int = N_RESAMPLES,
    seed: int = config.SEED,
    confidence: float = CONFIDENCE,
) -> dict[str, Any]:
    """Reliability of the coders and, with ``machine``, each measure's agreement with them.

    ``machine`` maps a measure to its value per unit (in the sheet's order) and ``ranges``
    gives each measure's native range (``usrussia.validate.machine``). Floats are rounded
    to four decimals.
    """
    report = {
        "sheet": str(sheet.path),
        "variable": sheet.variable,
        "coders": sheet.coders,
        **reliability(sheet.codes, sheet.level, n_resamples, seed, confidence),
    }
    if machine is not None:
        report["machine"] = _machine_section(sheet, machine, ranges or {}, n_resamples, seed)
    return rounded(report)


def _machine_section(
    sheet: CodedSheet,
    machine: dict[str, np.ndarray],
    ranges: dict[str, tuple[float, float]],
    n_resamples: int,
    seed: int,
) -> dict[str, Any]:
    if sheet.level == "nominal":
        return {"note": "the measures are numeric; a nominal variable is not compared"}
    human = consensus(sheet.codes, sheet.level)
    section = {
        "consensus": CONSENSUS[sheet.level],
        "n_units_with_consensus": int((~np.isnan(human)).sum()),
        "measures": {
            name: machine_agreement(
                human, values, sheet.scale, ranges[name], sheet.level, n_resamples, seed
            )
            for name, values in machine.items()
        },
    }
    return section


def _value(entry: dict[str, Any] | float | None, percent: bool = False) -> str:
    value = entry.get("value") if isinstance(entry, dict) else entry
    if value is None:
        return "undefined"
    return f"{value:.1%}" if percent else f"{value:.3f}"


def _interval(interval: list[float] | None, percent: bool = False) -> str:
    if not interval:
        return ""
    low, high = interval
    return f"[{low:.1%}, {high:.1%}]" if percent else f"[{low:.3f}, {high:.3f}]"


def reliability_table(report: dict[str, Any]) -> pd.DataFrame:
    """The coders' reliability statistics of a report, one row each, formatted for display."""
    rows = [
        (
            f"Krippendorff's alpha ({report['level']})",
            _value(report["alpha"]),
            _interval(report["interval"]),
            report["n_units_pairable"],
            "",
        ),
    ]
    for key, label, percent in (
        ("cohen_kappa", "Cohen's kappa", False),
        ("fleiss_kappa", "Fleiss' kappa", False),
        ("percent_agreement", "percent agreement", True),
    ):
        entry = report[key]
        value, interval = _value(entry, percent), _interval(entry["interval"], percent)
        rows.append((label, value, interval, entry["n_units"], entry.get("note", "")))
    return pd.DataFrame(rows, columns=["statistic", "value", "interval", "units", "note"])


def machine_table(report: dict[str, Any]) -> pd.DataFrame:
    """Each measure's agreement with the coders' consensus, formatted for display."""
    rows = [
        (
            name,
            m["n"],
            _value(m["pearson_r"]),
            _value(m["spearman_r"]),
            _value(m["alpha"]),
            _interval(m["interval"]),
            _value(m["exact"], percent=True),
            ", ".join(f"{c:g}" for c in m["cut_points"]),
        )
        for name, m in report["machine"]["measures"].items()
    ]
    columns = ["measure", "units", "pearson_r", "spearman_r", "alpha", "interval", "exact"]
    return pd.DataFrame(rows, columns=[*columns, "cut points"])


def confusion_table(measure: dict[str, Any], name: str) -> pd.DataFrame:
    """One measure's confusion matrix: rows the consensus, columns the binned measure."""
    codes = [f"{c:g}" for c in measure["confusion"]["codes"]]
    frame = pd.DataFrame(measure["confusion"]["counts"], index=codes, columns=codes)
    frame.index.name, frame.columns.name = "consensus", name
    return frame


def format_report(report: dict[str, Any]) -> str:
    """The agreement report as plain-text tables."""
    boot = report["bootstrap"]
    lines = [
        f"{report['sheet']}: {report['variable']} ({report['level']}), {report['n_units']} units, "
        f"{report['n_coders']} coders ({', '.join(report['coders'])})",
        f"pairable: {report['n_units_pairable']} units, {report['n_pairable']} codes; "
        f"intervals: {boot['confidence']:.0%}, {boot['n_resamples']} resamples of units, "
        f"seed {boot['seed']}",
        "",
        reliability_table(report).to_string(index=False),
    ]
    section = report.get("machine")
    if section is not None and "measures" not in section:
        lines += ["", f"human vs machine: {section['note']}"]
    elif section is not None:
        lines += [
            "",
            f"human vs machine: consensus = {section['consensus']} "
            f"({section['n_units_with_consensus']} units); each measure binned to the codes",
            machine_table(report).to_string(index=False),
        ]
        for name, measure in section["measures"].items():
            lines += ["", f"{name} (rows: consensus; columns: {name} binned)"]
            lines.append(confusion_table(measure, name).to_string())
    if report["notes"]:
        lines += ["", "notes:", *(f"  {note}" for note in report["notes"])]
    return "\n".join(lines)
