"""The notebooks' parameters: finding the notebooks, reading the parameters each declares,
parsing ``--param KEY=VALUE`` and checking each value against the declared type and, for
parameters that name corpus groups (``GROUP_COLUMNS``), against the groups the corpus has.

The one home of the rules for ``--param`` values and of ``RUN_PARAMETERS``, the values a
run injects itself.
"""

from __future__ import annotations

import ast
import contextlib
import json
import re
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import papermill
import pyarrow.parquet as pq

from usrussia import config
from usrussia.corpus.records import InputError

RUN_PARAMETERS = ("study_path", "corpus_path", "output_dir", "seed")
NOTEBOOK_NAME = re.compile(r"^\d{2}_\w+\.ipynb$")
# Notebook parameters that name groups of the corpus, and the column holding those names.
GROUP_COLUMNS = {"eras": "era", "source": "source"}
_TYPES = {"bool": bool, "int": int, "float": float, "str": str, "dict": dict}


def parse_value(raw: str) -> Any:
    """A ``--param`` value: a JSON or Python literal (number, [list], bool, …), else the string.

    ``3,7,14`` stays the string ``"3,7,14"`` (a list needs brackets).
    """
    text = raw.strip()
    for parse in (json.loads, ast.literal_eval):
        try:
            value = parse(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(value, (bool, int, float, str, list, dict, type(None))):
            return value
    return text


def parse_params(items: Sequence[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings to a dict (the last value of a repeated key wins)."""
    params: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise InputError(
                f"a notebook parameter is KEY=VALUE with a Python name as KEY, got {item!r}",
                parameter="param_syntax",
            )
        if key in RUN_PARAMETERS:
            raise InputError(
                f"{key} is a setting of the run (study, corpus, output folder, seed), not a "
                "notebook parameter",
                parameter="run",
            )
        params[key] = parse_value(raw)
    return params


def find_notebooks(notebooks_dir: Path = config.NOTEBOOKS) -> list[Path]:
    """The notebooks to run, ``NN_name.ipynb``, in order."""
    found = sorted(p for p in Path(notebooks_dir).glob("*.ipynb") if NOTEBOOK_NAME.match(p.name))
    if not found:
        raise InputError(f"no NN_name.ipynb notebooks in {notebooks_dir}")
    return found


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """Each name assigned in the notebook's ``parameters`` cell, with its declared type.

    The type is the one papermill reads (an annotation or a ``# type:`` comment, e.g.
    ``sample = None  # type: int|None``), else that of the default (``[10, 15]``:
    ``list[int]``); ``object`` (anything) when neither says.
    """
    found = papermill.inspect_notebook(str(notebook))
    if not found:
        raise InputError(f"{notebook.name} has no cell tagged 'parameters'")
    declared = {}
    for name, parameter in found.items():
        written = parameter["inferred_type_name"]
        try:
            declared[name] = (
                literal_type(parameter["default"]) if written == "None" else parse_type(written)
            )
        except (SyntaxError, ValueError):
            raise InputError(f"{notebook.name}: cannot check {name}'s type {written!r}") from None
    return declared


def parse_type(text: str) -> Any:
    """A type as a parameters cell writes it: ``int``, ``list[str]``, ``int|None``, …"""
    return _type(ast.parse(text.strip(), mode="eval").body)


def _type(node: ast.expr) -> Any:
    if isinstance(node, ast.Name) and node.id in _TYPES:
        return _TYPES[node.id]
    if isinstance(node, ast.Constant) and node.value is None:
        return types.NoneType
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _type(node.left) | _type(node.right)
    if isinstance(node, ast.Subscript) and getattr(node.value, "id", None) == "list":
        return list[_type(node.slice)]
    raise ValueError(ast.unparse(node))


def literal_type(default: str) -> Any:
    """The type of a default written as a literal; ``object`` for None or an expression."""
    try:
        return value_type(ast.literal_eval(default))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return object


def value_type(value: Any) -> Any:
    """``type(value)``; ``list[T]`` for a list whose items share T (ints with floats: float)."""
    if value is None:
        return object
    if not isinstance(value, list):
        return type(value)
    items = {value_type(v) for v in value}
    items = {float} if items == {int, float} else items
    return list[items.pop()] if len(items) == 1 else list[object]


def conform(value: Any, kind: Any) -> Any:
    """``value`` as the declared type ``kind``; ``TypeError`` when it is not one.

    An int serves for a float (and becomes one); a list parameter also takes one item or
    comma-separated items (``3,7,14``), each read as a ``--param`` value is.
    """
    if kind is object:
        return value
    if isinstance(kind, types.UnionType):
        for option in typing.get_args(kind):
            with contextlib.suppress(TypeError):
                return conform(value, option)
    elif typing.get_origin(kind) is list:
        items = [parse_value(v) for v in value.split(",")] if isinstance(value, str) else value
        items = items if isinstance(items, list) else [items]
        return [conform(item, typing.get_args(kind)[0]) for item in items]
    elif kind is float and type(value) is int:
        return float(value)
    elif type(value) is kind:
        return value
    raise TypeError(f"{value!r} is not {type_name(kind)}")


def type_name(kind: Any) -> str:
    """How a declared type reads in a message: ``int``, ``list[str]``, ``int | None``."""
    return kind.__name__ if isinstance(kind, type) else str(kind)


def conform_params(
    params: Mapping[str, Any], declared: Mapping[Path, Mapping[str, Any]]
) -> dict[Path, dict[str, Any]]:
    """Each notebook's ``--param`` values, as the types it declares.

    Raises ``InputError`` for a name no notebook declares or a value of the wrong type
    (naming the key, the notebook, the type and the value), before anything runs.
    """
    unknown = set(params) - set().union(*declared.values())
    if unknown:
        raise InputError(f"no notebook declares the parameter(s): {', '.join(sorted(unknown))}")
    given: dict[Path, dict[str, Any]] = {}
    for notebook, kinds in declared.items():
        given[notebook] = {}
        for key in sorted(set(params) & set(kinds)):
            try:
                given[notebook][key] = conform(params[key], kinds[key])
            except TypeError:
                expected = type_name(kinds[key])
                raise InputError(
                    f"{key}: {notebook.name} expects {expected}, got {params[key]!r}",
                    parameter="param",
                ) from None
    return given


def check_groups(given: Mapping[Path, Mapping[str, Any]], corpus_path: Path) -> None:
    """Refuse a ``--param`` naming a group the corpus lacks (``eras=obama,nosuch``).

    Parameters in ``GROUP_COLUMNS`` hold one name or a list of names of the values of a
    corpus column; a name the corpus does not have would give an empty group.
    """
    present: dict[str, set[Any]] = {}
    for values in given.values():
        for key in sorted(set(values) & set(GROUP_COLUMNS)):
            column = GROUP_COLUMNS[key]
            if column not in present:
                present[column] = column_values(corpus_path, column)
            names = values[key] if isinstance(values[key], list) else [values[key]]
            missing = [n for n in names if n not in present[column]]
            if missing:
                valid = ", ".join(sorted(map(str, present[column]))) or "none"
                raise InputError(
                    f"{key}: the corpus has no {column} {missing[0]!r}; valid: {valid}",
                    parameter="param",
                )


def column_values(corpus_path: Path, column: str) -> set[Any]:
    """The distinct values of one column of a Parquet corpus (empty when it has no such column)."""
    try:
        if column not in pq.read_schema(corpus_path).names:
            return set()
        values = pq.read_table(corpus_path, columns=[column]).column(column).unique()
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the corpus {corpus_path}: {exc}") from None
    return {v for v in values.to_pylist() if v is not None}
