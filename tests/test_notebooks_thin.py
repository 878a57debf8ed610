"""Thin notebooks: the analysis lives in ``usrussia``, a notebook holds narrative, parameters,
calls and plots. Counted as lines of logic in code cells (loops, branches, comprehensions,
arithmetic, comparisons, boolean logic), since a notebook can hide an analysis in many short
cells without ever defining a long function."""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import pytest

from usrussia import config

MAX_LOGIC_LINES = 30
# Notebooks allowed over the bound, each with the reason (empty: every notebook is thin).
THICK: dict[str, str] = {
    "03_topics": "the topic sweep and its tables are still computed in cells",
}
LOGIC = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.IfExp,
    ast.Try,
    ast.With,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.Lambda,
    ast.BoolOp,
    ast.Compare,
    ast.BinOp,
    ast.UnaryOp,
    ast.AugAssign,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
)
SCRIPTS = sorted(config.NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def logic_lines(source: str) -> set[int]:
    """The lines of ``source`` on which a node of logic (``LOGIC``) starts; magics skipped.

    Calls, names, attribute access, literals and f-strings are not logic: a line that only
    calls the package and shows the result counts nothing.
    """
    code = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )
    return {node.lineno for node in ast.walk(ast.parse(code)) if isinstance(node, LOGIC)}


def notebook_logic(path: Path) -> int:
    """Lines of logic in the code cells of a notebook, its parameters cell excepted."""
    cells = jupytext.read(path).cells
    return sum(
        len(logic_lines(cell.source))
        for cell in cells
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", [])
    )


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("x = f(a, b=1)\nshow(x.head())\n", 0),
        ("for run in runs:\n    show(run)\n", 1),
        ("y = [a for a in b]\nz = x[x['k'] == 1]\n", 2),
        ("w = a * 2 + 1\nv = a or b\nu = -a\n", 3),
        ("%matplotlib inline\nif a:\n    b = not c\n", 2),
        ("def f(x):\n    return x\n", 1),
    ],
)
def test_logic_lines_counts_logic_not_calls(source: str, lines: int) -> None:
    assert len(logic_lines(source)) == lines


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_notebooks_are_thin(script: Path) -> None:
    n = notebook_logic(script)
    if script.stem in THICK:
        assert n > MAX_LOGIC_LINES, f"{script.stem} is thin now: take it out of THICK"
        return
    assert n <= MAX_LOGIC_LINES, (
        f"{script.name} has {n} lines of logic in its code cells (at most {MAX_LOGIC_LINES}):"
        " move the analysis into src/usrussia"
    )
