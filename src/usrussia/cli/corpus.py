"""``usrussia corpus build``, ``corpus import`` and ``manifest``: the data commands."""

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
    write_corpus(df, out, ledger)
    report_ledger(ledger, quarantine)
    table = counts_by(df, "source", "era").pivot(index="source", columns="era", values="documents")
    typer.echo(table.fillna(0).astype(int).to_string())
    typer.echo(f"relevant (selection rules): {int(df['relevant'].sum())} of {len(df)}")
    typer.echo(f"wrote {out}")


@corpus_app.command("import")
def corpus_import(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Files of documents (JSONL, CSV, Parquet), or what usrussia fetch saved "
            "(a folder, a page, a Media Cloud CSV export); several make one corpus.",
            show_default=False,
        ),
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="jsonl, csv, parquet, guardian, nyt, gdelt, gdelt-events or mediacloud "
            "(default: a fetched folder's manifest, else the file's suffix).",
        ),
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
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Where to write the Parquet (default data/processed/imported.parquet; "
            "GDELT events or tone: data/processed/gdelt_events.parquet or gdelt_tone.parquet).",
            show_default=False,
        ),
    ] = None,
    quarantine: QuarantineOption = config.QUARANTINE_JSONL,
    engine: EngineOption = "pandas",
    scheduler: SchedulerOption = None,
) -> None:
    """Turn your files, or what usrussia fetch saved, into the corpus (or a GDELT table)."""
    from usrussia.corpus import write_corpus
    from usrussia.corpus.sources import series_kind
    from usrussia.engine import Engine, import_file

    mapping = parse_columns(column or [])
    kinds = [series_kind(path, format) for path in files]
    if any(kinds):
        if len(files) > 1:
            fail("a GDELT events or tone folder is imported alone, without other inputs")
        return _import_series(kinds[0], files[0], out, quarantine)
    out = out or config.IMPORTED_PARQUET
    runner = Engine(engine, scheduler)
    outputs = [("--out", out, PARQUET), ("--quarantine", quarantine, JSONL)]
    check_outputs({f"the input {path}": path for path in files}, outputs)
    defaults = {"source": source} if source else None
    with runner:
        df, ledger = import_file(
            files, format, mapping=mapping, defaults=defaults, dayfirst=dayfirst, engine=runner
        )
    write_corpus(df, out, ledger)
    report_ledger(ledger, quarantine)
    if "ambiguous date" in ledger.reasons():
        typer.echo("state the order of numeric dates with --dayfirst or --monthfirst")
    typer.echo(f"wrote {out}")


def _import_series(kind: str, path: Path, out: Path | None, quarantine: Path) -> None:
    """A GDELT event or tone table: read offline, written to ``out``, with its ledger."""
    from usrussia.corpus.raw import write_table
    from usrussia.corpus.sources import SERIES

    default = config.GDELT_EVENTS_PARQUET if kind == "gdelt-events" else config.GDELT_TONE_PARQUET
    out = out or default
    check_outputs(
        {"the input": path}, [("--out", out, PARQUET), ("--quarantine", quarantine, JSONL)]
    )
    table, ledger, skipped = SERIES[kind](path)
    write_table(table, out)
    report_ledger(ledger, quarantine)
    if skipped:
        typer.echo(f"skipped {skipped} rows of other actors or days (not records of this fetch)")
    typer.echo(f"wrote {out} ({kind}: a table of events, not documents)")


@app.command("manifest")
def manifest() -> None:
    """Regenerate data/raw/MANIFEST.csv: the sha256 and provenance of every raw file."""
    from usrussia.corpus.manifest import write_manifest

    try:
        path = write_manifest()
    except KeyError as exc:  # a raw file whose provenance is not recorded
        fail(exc.args[0])
    typer.echo(f"wrote {path}")
