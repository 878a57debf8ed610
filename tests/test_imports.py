"""The package's house rules, read from its source with ``ast``.

Data flows one way, config → io → corpus → text → sentiment | topics → compare → validate →
engine → report → cli: a module imports only from its own stage or an earlier one
(``sentiment`` and ``topics`` not from each other), and nothing imports ``cli``. Modules stay
under ``MAX_LINES`` lines, only ``cli`` is a script (``if __name__ == "__main__"``), and every
path into the project's data folders is a constant of ``config``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import usrussia

PACKAGE = Path(usrussia.__file__).resolve().parent
# Stage of each top-level part, in the order data flows; equal ranks may not import each other.
# ``study`` (reading study files) sits where the design puts it, after compare.
STAGES = {
    "config": 0,
    "io": 1,
    "corpus": 2,
    "text": 3,
    "sentiment": 4,
    "topics": 4,
    "compare": 5,
    "plots": 6,
    "study": 6,
    "validate": 7,
    "engine": 8,
    "report": 9,
    "cli": 10,
}
ROOT_STAGE = "config"  # usrussia/__init__.py: puts the shipped NLTK data on the path, uses config
MAX_LINES = 400
# Modules allowed over MAX_LINES, each with the reason (empty: every module fits).
LONG_MODULES: dict[str, str] = {}
# Folders of config under which only config names files (data/raw is laid out by its sources).
CONFIG_FOLDERS = {"DATA", "EXTERNAL", "NLTK_DATA", "INTERIM", "PROCESSED", "REPORTS", "NOTEBOOKS"}


def module_name(path: Path, package: Path = PACKAGE) -> str:
    """``usrussia.text.tokens`` for ``…/usrussia/text/tokens.py`` (a package: its ``__init__``)."""
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> str:
    """The stage of a module of the package: its top-level part (the root: ``ROOT_STAGE``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT_STAGE


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imported_modules(source: str, module: str, package: bool) -> Iterator[tuple[int, str]]:
    """Each module or name that ``source`` imports, anywhere in it, with its line.

    ``from A import b`` gives ``A.b`` (``b`` may be a submodule, as in ``from usrussia import
    config``); relative imports are resolved against ``module``.
    """
    here = module.split(".") if package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                yield node.lineno, f"{target}.{alias.name}"


def backward_imports(source: str, module: str, package: bool = False) -> list[str]:
    """Every import in ``source`` against the flow: of a later stage, a sibling one, or cli."""
    mine = stage(module)
    found = []
    for line, target in imported_modules(source, module, package):
        if target.split(".")[0] != "usrussia":
            continue
        theirs = stage(target)
        theirs = theirs if theirs in STAGES else ROOT_STAGE  # a name of the root package
        if theirs != mine and (STAGES[theirs] >= STAGES[mine] or theirs == "cli"):
            found.append(f"{module} (stage {mine}) line {line} imports {target} (stage {theirs})")
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize(
    ("source", "module", "package", "bad"),
    [
        ("from usrussia.compare import tone_table", "usrussia.topics", True, True),
        ("import usrussia.compare.x", "usrussia.topics.topicmap", False, True),
        ("from usrussia import compare", "usrussia.text.tokens", False, True),
        ("def f():\n    from usrussia.report import run_report\n", "usrussia.engine", False, True),
        ("from usrussia.topics import fit", "usrussia.sentiment", True, True),
        ("from usrussia.cli import app", "usrussia.report.run", False, True),
        ("from ..compare import x", "usrussia.topics.topicmap", False, True),
        ("from . import metrics", "usrussia.report", True, False),
        ("from usrussia.text.tokens import words", "usrussia.sentiment", True, False),
        ("from usrussia import config", "usrussia.io", False, False),
        ("from usrussia.corpus.records import InputError", "usrussia.report.params", False, False),
        ("import usrussia", "usrussia.text.clean", False, False),
    ],
)
def test_backward_imports_reads_every_form(
    source: str, module: str, package: bool, bad: bool
) -> None:
    """The checker sees module- and function-level, absolute and relative imports."""
    assert bool(backward_imports(source, module, package)) is bad


def test_every_module_has_a_stage() -> None:
    unknown = [module_name(p) for p in modules() if stage(module_name(p)) not in STAGES]
    assert not unknown, f"modules outside any stage (add the part to STAGES): {unknown}"


def test_data_flows_one_way() -> None:
    """No module imports a later stage, its sibling stage or cli."""
    found = [
        problem
        for path in modules()
        for problem in backward_imports(
            path.read_text(encoding="utf-8"), module_name(path), is_package(path)
        )
    ]
    assert not found, "imports against the flow:\n" + "\n".join(found)


def test_modules_are_short() -> None:
    """Every module stays under MAX_LINES lines, except the listed ones (with a reason)."""
    long = {
        module_name(p): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    over = {m: n for m, n in long.items() if m not in LONG_MODULES}
    assert not over, f"modules over {MAX_LINES} lines: {over}"
    stale = set(LONG_MODULES) - set(long)
    assert not stale, f"LONG_MODULES lists modules that now fit: {sorted(stale)}"


def is_main_guard(node: ast.AST) -> bool:
    """``if __name__ == "__main__":``"""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    sides = [node.test.left, *node.test.comparators]
    names = {s.id for s in sides if isinstance(s, ast.Name)}
    values = {s.value for s in sides if isinstance(s, ast.Constant)}
    return names == {"__name__"} and values == {"__main__"}


def test_only_cli_is_a_script() -> None:
    """Every command is a ``usrussia`` subcommand: no ``__main__`` block elsewhere."""
    scripts = [
        module_name(p)
        for p in modules()
        if stage(module_name(p)) != "cli"
        and any(is_main_guard(n) for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))))
    ]
    assert not scripts, f"modules with an `if __name__ == '__main__'` block: {scripts}"


def paths_built(source: str) -> Iterator[tuple[int, str]]:
    """Each ``config.FOLDER / …`` (or ``FOLDER / …`` imported from config) in ``source``."""
    inner: set[int] = set()  # the left parts of a longer path, reported with it
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.BinOp) or not isinstance(node.op, ast.Div) or id(node) in inner:
            continue
        left = node.left
        while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Div):
            inner.add(id(left))
            left = left.left
        name = left.attr if isinstance(left, ast.Attribute) else getattr(left, "id", None)
        if name in CONFIG_FOLDERS:
            yield node.lineno, ast.unparse(node)


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('MODEL = config.EXTERNAL / "model.json"', True),
        ('AFINN = config.EXTERNAL / "lexicons" / "afinn.txt"', True),
        ('def f():\n    return INTERIM / f"s-{n}.parquet"', True),
        ('out = config.CORPUS_PARQUET.with_suffix(".csv")', False),
        ('folder = Path(output_dir) / "metrics"', False),
    ],
)
def test_paths_built_finds_data_paths(source: str, found: bool) -> None:
    assert bool(list(paths_built(source))) is found


def test_paths_live_in_config() -> None:
    """Files in data/, reports/ and notebooks/ are named once, in config."""
    found = [
        f"{module_name(p)} line {line}: {code}"
        for p in modules()
        if module_name(p) != "usrussia.config"
        for line, code in paths_built(p.read_text(encoding="utf-8"))
    ]
    assert not found, "paths built outside config:\n" + "\n".join(found)
