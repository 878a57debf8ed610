"""``usrussia report``: every notebook into offline HTML reports, an index and metrics.json."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated

import typer

from usrussia import config
from usrussia.cli.base import (
    PARQUET,
    app,
)
from usrussia.io import check_output, same_file


@app.command("report")
def report(
    corpus: Annotated[
        Path, typer.Option("--corpus", help="Corpus Parquet (the default is built if missing).")
    ] = config.CORPUS_PARQUET,
    output: Annotated[
        Path, typer.Option("--output", help="Folder for the HTML reports and metrics.json.")
    ] = config.REPORTS,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", help="A notebook parameter, e.g. --param window_days=14."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for every random step.")] = config.SEED,
    sample: Annotated[
        int | None,
        typer.Option("--sample", min=1, help="Run on a stratified sample of N documents."),
    ] = None,
    notebooks: Annotated[
        Path, typer.Option("--notebooks", help="Folder of NN_name.ipynb notebooks to run.")
    ] = config.NOTEBOOKS,
) -> None:
    """Run every notebook into offline HTML reports, an index and metrics.json."""

    from usrussia.corpus import (
        check_corpus,
        read_corpus,
        sample_corpus,
        write_corpus,
    )
    from usrussia.report import (
        NotebookFailed,
        declared_parameters,
        find_notebooks,
        parse_params,
        preflight,
        run_report,
    )

    params = parse_params(param or [])
    declared = {nb: declared_parameters(nb) for nb in find_notebooks(notebooks)}
    check_output(output, "--output", folder=True)
    build = not corpus.exists() and same_file(corpus, config.CORPUS_PARQUET)
    if build:
        check_output(corpus, "--corpus", PARQUET)
    else:
        check_corpus(corpus)
    # Parameters, groups and the output layout are refused before any corpus or sample work.
    preflight(params, declared, output, None if build else corpus)
    if sample is not None:
        sampled = config.sample_parquet(sample, seed)
        check_output(sampled, "the sample", PARQUET, distinct_from={"--corpus": corpus})
    if build:
        typer.echo(f"{corpus} is missing: building it from data/raw")
        from usrussia.engine import build_corpus

        write_corpus(build_corpus()[0], corpus)
    if sample is not None:
        corpus = write_corpus(sample_corpus(read_corpus(corpus), sample, seed), sampled)
        typer.echo(f"sample of {sample} documents: {corpus}")
    # A kill (SIGTERM) unwinds like Ctrl-C, so nothing half-written is left in place.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        run = run_report(corpus, output, params, seed=seed, notebooks_dir=notebooks)
    except NotebookFailed as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    for r in run.reports:
        typer.echo(f"  {r.name}: {r.seconds:.1f} s -> {output / r.html} (+ {r.full_html})")
    typer.echo(f"wrote {output / 'index.html'} and {output / 'metrics.json'}")
