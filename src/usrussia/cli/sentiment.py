"""``usrussia sentiment``: score a file's texts (the default command) or refit the model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from usrussia import config
from usrussia.cli.base import (
    JSONL,
    EngineOption,
    QuarantineOption,
    SchedulerOption,
    check_outputs,
    fail,
    report_ledger,
    sentiment_app,
)


@sentiment_app.command("score")
def sentiment_score(
    input: Annotated[Path, typer.Argument(help="A CSV, JSONL or Parquet file with a text column.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            help="Where to write the scored rows: .csv, .jsonl or .parquet (not the input). "
            "Parquet holds one type per column: a column that mixes types (e.g. numbers "
            "and text in a JSONL file) is refused before scoring; write CSV or JSONL then.",
        ),
    ],
    text_column: Annotated[
        str, typer.Option("--text-column", help="The column that holds the text.")
    ] = "text",
    format: Annotated[
        str | None, typer.Option("--format", help="Input format: jsonl, csv or parquet.")
    ] = None,
    no_targets: Annotated[
        bool, typer.Option("--no-targets", help="Skip the tone about Russia and about the US.")
    ] = False,
    quarantine: QuarantineOption = config.SENTIMENT_QUARANTINE_JSONL,
    engine: EngineOption = "pandas",
    scheduler: SchedulerOption = None,
) -> None:
    """Add vader_compound, lexicon_tone, score (and sentence counts) to every row of a file.

    The default command: usrussia sentiment INPUT ... runs usrussia sentiment score INPUT ...
    """
    import pandas as pd

    from usrussia.engine import Engine, score_documents
    from usrussia.sentiment import (
        TABLE_SUFFIXES,
        MissingColumnError,
        check_table,
        read_texts,
        write_table,
    )

    runner = Engine(engine, scheduler)
    outputs = [("--output", output, TABLE_SUFFIXES), ("--quarantine", quarantine, JSONL)]
    check_outputs({"the input": input}, outputs)
    try:
        rows, ledger = read_texts(input, text_column, format)
    except MissingColumnError as exc:
        fail(f"{exc}; pass --text-column")
    kept = rows.drop(columns=score_documents([], targets=not no_targets).columns, errors="ignore")
    check_table(kept, output)  # e.g. a column Parquet cannot hold, before the scoring
    texts = rows[text_column] if len(rows) else []
    with runner:
        scores = score_documents(texts, targets=not no_targets, progress="scoring", engine=runner)
    out = pd.concat([kept, scores], axis=1)
    write_table(out, output)
    report_ledger(ledger, quarantine)
    typer.echo(f"wrote {output}")


@sentiment_app.command("fit")
def sentiment_fit(
    output: Annotated[
        Path, typer.Option("--output", help="Where to write the model (.json).")
    ] = config.MODEL_JSON,
) -> None:
    """Refit the recommended score on the NYT ratings (alpha chosen by CV) and write its JSON."""
    from usrussia.io import dump_json
    from usrussia.sentiment import fit

    check_outputs({"the ratings": config.NYT_RATINGS}, [("--output", output, (".json",))])
    model = fit()
    dump_json(model.to_json(), output)
    cv, n = model.metadata_["cv"], model.metadata_["data"]["n"]
    typer.echo(
        f"alpha={model.alpha}: {cv['folds']}-fold CV Pearson r={cv['pearson_r']}, "
        f"Spearman r={cv['spearman_r']}, editorials held out r={cv['grouped_pearson_r']} "
        f"(n={n}); wrote {output}"
    )
