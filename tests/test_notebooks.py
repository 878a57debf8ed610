"""The notebook contract: paired and in sync, parameterised, thin (logic lives in usrussia)."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import jupytext
import papermill
import pytest

from usrussia import config
from usrussia.report import RUN_PARAMETERS, declared_parameters, find_notebooks

MAX_FUNCTION_LINES = 8  # a notebook may define a small helper, not an analysis
SCRIPTS = sorted(config.NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def cells(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(type, source, tags) of every cell, as jupytext reads the file."""
    nb = jupytext.read(path)
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", []))) for c in nb.cells]


def test_there_are_notebooks() -> None:
    assert SCRIPTS, "no notebooks/NN_name.py"
    assert [p.stem for p in find_notebooks()] == [p.stem for p in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_pair_is_in_sync(script: Path) -> None:
    ipynb = script.with_suffix(".ipynb")
    assert ipynb.is_file(), f"{ipynb.name} missing: run jupytext --sync {script}"
    assert cells(script) == cells(ipynb), (
        f"{script.name} and {ipynb.name} differ: run .venv/bin/jupytext --sync {script}"
    )


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_notebook_contract(script: Path) -> None:
    ipynb = script.with_suffix(".ipynb")
    nb = jupytext.read(ipynb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "kernelspec python3"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.lstrip().startswith("#")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    declared = papermill.inspect_notebook(str(ipynb))
    assert set(RUN_PARAMETERS) <= set(declared), f"parameters cell must set {RUN_PARAMETERS}"
    assert declared["seed"]["default"] == str(config.SEED)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    tree = ast.parse("\n".join(line for line in code.splitlines() if not line.startswith("%")))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert any((n.module or "").startswith("usrussia") for n in imports), "imports usrussia"
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, (
                f"{node.name} is {length} lines: move it into src/usrussia"
            )
    assert "save_block(" in code, "the notebook saves its metrics block"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_every_parameter_has_a_type_to_check_values_against(script: Path) -> None:
    declared = declared_parameters(script.with_suffix(".ipynb"))
    for name, kind in declared.items():
        assert object not in (kind, *typing.get_args(kind)), (
            f"{script.name}: {name} has no type: give a literal default or a '# type:' comment"
        )
