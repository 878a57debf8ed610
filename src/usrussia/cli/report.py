"""``usrussia report``: every notebook into offline HTML reports, an index and metrics.json.

A run runs one study: ``--study FILE``, or the study for ``--corpus PATH`` (the shipped
study for the shipped corpus, the default study for any other; neither: the shipped one).
Everything that can be checked is checked before the corpus is built or sampled, and the
study against its corpus before any notebook starts.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from usrussia import config
from usrussia.cli.base import PARQUET, app, fail
from usrussia.io import check_output, same_file

if TYPE_CHECKING:
    from usrussia.study import Study


@app.command("report")
def report(
    study: Annotated[
        Path | None,
        typer.Option("--study", help="Study file (TOML): the research design to run."),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            help="Corpus Parquet: run its default study (the shipped corpus: the shipped "
            "study, built if missing). Default: the shipped corpus.",
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", help="Folder for the HTML reports and metrics.json.")
    ] = config.REPORTS,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", help="A notebook parameter, e.g. --param window_days=14."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Seed for every random step (default: the study's)."),
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option("--sample", min=1, help="Run on a stratified sample of N documents."),
    ] = None,
    notebooks: Annotated[
        Path, typer.Option("--notebooks", help="Folder of NN_name.ipynb notebooks to run.")
    ] = config.NOTEBOOKS,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            min=1,
            help="Notebooks run at once, each after the pages it reads (default: one per "
            "CPU). The pages are the same whatever the number.",
        ),
    ] = None,
) -> None:
    """Run every notebook on a study into offline HTML reports, an index and metrics.json."""
    from usrussia.corpus import check_corpus, read_corpus, sample_corpus, write_corpus
    from usrussia.report import (
        NotebookFailed,
        declared_parameters,
        find_notebooks,
        parse_params,
        preflight,
        run_report,
    )
    from usrussia.report.manifest import display_path
    from usrussia.study.check import check_tables
    from usrussia.study.defaults import study_for_corpus

    if study is not None and corpus is not None:
        fail("--study and --corpus exclude each other: a study names its corpus")
    params = parse_params(param or [])
    declared = {nb: declared_parameters(nb) for nb in find_notebooks(notebooks)}
    check_output(output, "--output", folder=True)
    design = given_study(study, corpus)
    corpus = design.corpus if design else corpus
    build = not corpus.exists() and same_file(corpus, config.CORPUS_PARQUET)
    if design is not None:
        check_tables(design)
    if build:
        check_output(corpus, "the corpus", PARQUET)
    elif design is None:  # a study's corpus is checked with the study, naming its key
        check_corpus(corpus)
        if sample is None:
            design = study_for_corpus(corpus)
    # Parameters, the study and the output layout are refused before any corpus or sample work.
    preflight(params, declared, output, None if build else design)
    seed = seed if seed is not None else design.seed if design else config.SEED
    if sample is not None:
        sampled = config.sample_parquet(sample, seed)
        check_output(sampled, "the sample", PARQUET, distinct_from={"the corpus": corpus})
    if build:
        typer.echo(f"{corpus} is missing: building it from data/raw")
        from usrussia.engine import build_corpus

        built, ledger = build_corpus()
        write_corpus(built, corpus, ledger)
    if sample is not None:
        whole, corpus = (
            corpus,
            write_corpus(sample_corpus(read_corpus(corpus), sample, seed), sampled),
        )
        typer.echo(f"sample of {sample} documents: {corpus}")
        design = sample_study(design, whole, corpus, sample, seed)
    shown = display_path(design.path) if design.path else f"written into {output}/study.toml"
    typer.echo(f"study {design.name!r}: {shown}")
    # A kill (SIGTERM) unwinds like Ctrl-C, so nothing half-written is left in place.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        run = run_report(
            output_dir=output,
            params=params,
            seed=seed,
            notebooks_dir=notebooks,
            study=design,
            jobs=jobs,
        )
    except NotebookFailed as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    for r in run.reports:
        typer.echo(f"  {r.name}: {r.seconds:.1f} s -> {output / r.html} (+ {r.full_html})")
    typer.echo(f"wrote {output / 'index.html'} and {output / 'metrics.json'}")


def given_study(study: Path | None, corpus: Path | None) -> Study | None:
    """The study file named (``--study``), the shipped study (no option, or the shipped
    corpus), or None: a default study is to be written for ``--corpus``."""
    from usrussia.study import load_study

    if study is not None:
        return load_study(study)
    if corpus is None or same_file(corpus, config.CORPUS_PARQUET):
        return load_study(config.SHIPPED_STUDY)
    return None


def sample_study(design: Study | None, whole: Path, sampled: Path, n: int, seed: int) -> Study:
    """The study of a ``--sample`` run: the study pointed at the sample, or the sample's
    default study; its first lines say so."""
    from usrussia.report.manifest import display_path
    from usrussia.study import sha256_text
    from usrussia.study.defaults import study_for_corpus, with_corpus

    if design is None:
        return study_for_corpus(sampled)
    named = display_path(design.path) if design.path else design.name
    note = (
        f"Run by usrussia report --sample {n}: the study {named} (sha256 "
        f"{sha256_text(design.text)}) on a stratified sample of {n} documents of "
        f"{display_path(whole)} (seed {seed})."
    )
    return with_corpus(design, sampled, note)
