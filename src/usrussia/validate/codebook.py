"""The codebook of a coding sample: variables, their codes and definitions, and the sheet's columns.

A codebook is a JSON file (``coding.codebook.json`` beside ``coding.csv``) with a ``title``,
``instructions`` and a list of ``variables``, each with a ``name``, a ``question``, a
``level`` (nominal, ordinal, interval, ratio) and its ``codes`` (``code``, ``label``,
``definition``). ``usrussia validate sample`` adds the ``coders`` and a ``sample`` record.

The coding sheet has one column per coder: ``coder_<name>`` holds the codes of the
codebook's first variable, ``<variable>:coder_<name>`` those of every further variable.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from usrussia.corpus.records import InputError
from usrussia.validate.agreement import LEVELS

CODER_PREFIX = "coder_"
VARIABLE_SEPARATOR = ":"
CODEBOOK_SUFFIX = ".codebook.json"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_KEYS = {"title", "instructions", "variables", "coders", "sample"}


@dataclass(frozen=True)
class Code:
    """One code of a variable: the value written in the sheet, a label and its definition."""

    value: float | str
    label: str
    definition: str


@dataclass(frozen=True)
class Variable:
    """One coded variable: the question coders answer, its level and its codes."""

    name: str
    question: str
    level: str
    codes: tuple[Code, ...]

    def lookup(self, level: str) -> dict[float | str, float]:
        """The number alpha uses for each code at ``level``, keyed by ``code_key``.

        Numeric levels use the code itself (``InputError`` when the codes are words);
        nominal codes use their position in the list.
        """
        keys = [code_key(c.value) for c in self.codes]
        if level == "nominal":
            return {key: float(i) for i, key in enumerate(keys)}
        if not all(isinstance(key, float) for key in keys):
            raise InputError(f"the codes of {self.name} are not numbers: {level} needs numbers")
        return {key: float(key) for key in keys}

    def scale(self) -> list[float]:
        """The numeric codes, ascending (numeric levels only)."""
        return sorted(float(c.value) for c in self.codes)


@dataclass(frozen=True)
class Codebook:
    """Title, instructions for coders, and the variables in sheet order."""

    title: str
    instructions: str
    variables: tuple[Variable, ...]

    def variable(self, name: str | None) -> Variable:
        """The named variable, or the first one when ``name`` is None."""
        if name is None:
            return self.variables[0]
        for variable in self.variables:
            if variable.name == name:
                return variable
        names = ", ".join(v.name for v in self.variables)
        raise InputError(f"the codebook has no variable {name!r}; it has {names}")

    def column(self, variable: str, coder: str) -> str:
        """The sheet column of one coder's codes for one variable."""
        return coder_column(coder, None if variable == self.variables[0].name else variable)


TONE_CODES = (
    Code(-2, "very negative", "hostility, conflict, threats, sanctions or accusations dominate"),
    Code(-1, "negative", "tension, disagreement or distrust outweighs cooperation"),
    Code(
        0,
        "neutral or mixed",
        "factual without evaluation, or balanced; also when the text says nothing about the "
        "relations",
    ),
    Code(1, "positive", "cooperation, agreement or improvement outweighs tension"),
    Code(2, "very positive", "partnership, friendship or a breakthrough dominates"),
)
DEFAULT_CODEBOOK = Codebook(
    title="Tone towards US-Russia relations",
    instructions=(
        "Read each unit: the text column (the title is context only). For each variable, "
        "write one code from its list in your own column. Code every unit; leave a cell "
        "empty only when you cannot decide (an empty cell is a missing code). Code on your "
        "own: do not look at another coder's column."
    ),
    variables=(
        Variable(
            "tone",
            "How does the text portray relations between the United States and Russia (the "
            "two countries, their governments or their leaders towards each other)?",
            "ordinal",
            TONE_CODES,
        ),
        Variable(
            "relevant",
            "Is the text about relations between the United States and Russia at all?",
            "nominal",
            (
                Code(
                    1,
                    "yes",
                    "the dealings between the two countries, their governments or "
                    "leaders are a subject of the text",
                ),
                Code(0, "no", "Russia or the United States appear at most in passing"),
            ),
        ),
    ),
)


def code_key(value: Any) -> float | str:
    """The key under which a cell's code is compared: a number, or the stripped, case-folded text.

    "2", "2.0" and 2 are the same code; "Yes" and "yes" too.
    """
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text.casefold()
    return number if math.isfinite(number) else text.casefold()


def coder_column(coder: str, variable: str | None = None) -> str:
    """``coder_<name>``, or ``<variable>:coder_<name>`` for a variable after the first."""
    column = f"{CODER_PREFIX}{coder}"
    return column if variable is None else f"{variable}{VARIABLE_SEPARATOR}{column}"


def coder_names(spec: str) -> list[str]:
    """Coder names from ``--coders``: a number N (coders 1..N) or comma-separated names."""
    spec = spec.strip()
    if spec.isdigit():
        names = [str(i) for i in range(1, int(spec) + 1)]
    else:
        names = [n.strip() for n in spec.split(",") if n.strip()]
    bad = [n for n in names if not _NAME.fullmatch(n)]
    if bad:
        raise InputError(f"coder names may hold letters, digits, _ and - only: {bad[0]!r}")
    if len(set(names)) != len(names):
        raise InputError(f"coder names must be unique: {spec!r}")
    if len(names) < 2:
        raise InputError(
            f"agreement needs at least two coders; {spec!r} gives one", parameter="coders"
        )
    return names


def codebook_path(sheet: str | os.PathLike[str]) -> Path:
    """Where the codebook of a coding sheet lives: ``coding.csv`` -> ``coding.codebook.json``."""
    sheet = Path(sheet)
    return sheet.with_name(sheet.stem + CODEBOOK_SUFFIX)


def _require(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise InputError(f"{where}: {key!r} must be a non-empty {kind.__name__}")
    return value


def _variable(data: Any, where: str) -> Variable:
    if not isinstance(data, dict):
        raise InputError(f"{where}: each variable must be an object")
    name = _require(data, "name", str, where)
    where = f"{where}, variable {name!r}"
    if not _NAME.fullmatch(name):
        raise InputError(f"{where}: a name holds letters, digits, _ and - only")
    level = _require(data, "level", str, where)
    if level not in LEVELS:
        raise InputError(f"{where}: level {level!r} is not one of {', '.join(LEVELS)}")
    codes = []
    for item in _require(data, "codes", list, where):
        if not isinstance(item, dict) or not isinstance(item.get("code"), int | float | str):
            raise InputError(f"{where}: each code needs a 'code' (a number or a word)")
        label, definition = str(item.get("label", "")), str(item.get("definition", ""))
        codes.append(Code(item["code"], label, definition))
    _check_codes(codes, level, where)
    return Variable(name, str(data.get("question", "")), level, tuple(codes))


def _check_codes(codes: list[Code], level: str, where: str) -> None:
    keys = [code_key(c.value) for c in codes]
    if len(codes) < 2:
        raise InputError(f"{where}: needs at least two codes")
    if len(set(keys)) != len(keys):
        raise InputError(f"{where}: codes must be distinct")
    if level != "nominal" and not all(isinstance(k, float) for k in keys):
        raise InputError(f"{where}: {level} codes must be numbers")
    if level == "ratio" and min(keys) < 0:
        raise InputError(f"{where}: ratio codes cannot be negative")


def codebook_from_dict(data: Any, where: str) -> Codebook:
    """A checked ``Codebook`` from parsed JSON; ``InputError`` names what is wrong."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: a codebook is a JSON object")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise InputError(f"{where}: unknown key(s) {', '.join(unknown)}")
    variables = tuple(_variable(v, where) for v in _require(data, "variables", list, where))
    if not variables:
        raise InputError(f"{where}: the codebook has no variable")
    names = [v.name for v in variables]
    if len(set(names)) != len(names):
        raise InputError(f"{where}: variable names must be distinct")
    return Codebook(str(data.get("title", "")), str(data.get("instructions", "")), variables)


def read_codebook_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The parsed JSON of a codebook file (``InputError`` when it cannot be read)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such codebook")
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable JSON codebook ({exc})") from exc


def load_codebook(path: str | os.PathLike[str]) -> Codebook:
    """The checked codebook in a JSON file."""
    return codebook_from_dict(read_codebook_file(path), str(path))


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """The JSON form of a codebook (what ``codebook_from_dict`` reads)."""
    return {
        "title": codebook.title,
        "instructions": codebook.instructions,
        "variables": [
            {
                "name": v.name,
                "question": v.question,
                "level": v.level,
                "codes": [
                    {"code": c.value, "label": c.label, "definition": c.definition} for c in v.codes
                ],
            }
            for v in codebook.variables
        ],
    }


def codebook_markdown(codebook: Codebook, coders: list[str], sheet: str) -> str:
    """The codebook as a page for coders: instructions, then each variable's codes."""
    lines = [f"# {codebook.title or 'Codebook'}", "", codebook.instructions, ""]
    lines += [f"Sheet: `{sheet}`. Coders: {', '.join(coders)}.", ""]
    for variable in codebook.variables:
        columns = ", ".join(f"`{codebook.column(variable.name, c)}`" for c in coders)
        lines += [f"## {variable.name} ({variable.level})", "", variable.question, ""]
        lines += [f"Columns: {columns}.", "", "| code | label | definition |", "|---|---|---|"]
        lines += [f"| {c.value} | {c.label} | {c.definition} |" for c in variable.codes]
        lines.append("")
    return "\n".join(lines)
