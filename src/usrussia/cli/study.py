"""``usrussia study init`` and ``study check``: write a default study for a corpus, and check
a study against its corpus before a report runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from usrussia import config
from usrussia.cli.base import app
from usrussia.corpus.records import InputError
from usrussia.io import atomic_write, check_output

study_app = typer.Typer(
    help="Write a default study for a corpus (init) or check a study file (check).",
    no_args_is_help=True,
)
app.add_typer(study_app, name="study")
STUDY_SUFFIXES = (".toml",)


@study_app.command("init")
def study_init(
    corpus: Annotated[Path, typer.Option("--corpus", help="The corpus Parquet to study.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the study (default: studies/NAME.toml)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing study file.")
    ] = False,
) -> None:
    """Write a default study for a corpus: what it can compare, every key commented."""
    from usrussia.study import parse_study
    from usrussia.study.check import check_study
    from usrussia.study.defaults import default_study

    out = out if out is not None else config.STUDIES / f"{corpus.stem}.toml"
    check_output(out, "--out", STUDY_SUFFIXES, distinct_from={"--corpus": corpus})
    if out.exists() and not force:
        raise InputError(f"{out} exists and may hold your design", parameter="force")
    text = default_study(corpus, base=out.absolute().parent)
    summary = check_study(parse_study(text, out.absolute()))
    atomic_write(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    typer.echo(f"wrote {out}")
    for line in summary.lines():
        typer.echo(line)


@study_app.command("check")
def study_check(
    file: Annotated[Path, typer.Argument(help="The study file (TOML).")],
) -> None:
    """Check a study against its corpus and print its documents per group (exit 2 if wrong)."""
    from usrussia.study import load_study
    from usrussia.study.check import check_study

    for line in check_study(load_study(file)).lines():
        typer.echo(line)
