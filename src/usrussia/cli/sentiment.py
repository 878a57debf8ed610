"""``usrussia sentiment``: score a file's texts (the default command), refit the model or
print the validation of every measure."""

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
    from usrussia.engine import Engine
    from usrussia.engine.tables import score_file
    from usrussia.sentiment.files import TABLE_SUFFIXES, MissingColumnError

    runner = Engine(engine, scheduler)
    outputs = [("--output", output, TABLE_SUFFIXES), ("--quarantine", quarantine, JSONL)]
    check_outputs({"the input": input}, outputs)
    with runner:
        try:
            ledger = score_file(
                input, output, text_column, format, not no_targets, "scoring", runner
            )
        except MissingColumnError as exc:
            fail(f"{exc}; pass --text-column")
    report_ledger(ledger, quarantine)
    typer.echo(f"wrote {output}")


@sentiment_app.command("fit")
def sentiment_fit(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="Where to write the model (.json); default: the shipped model's file "
            "(with --news: data/external/sentiment_model_news.json).",
        ),
    ] = None,
    news: Annotated[
        bool,
        typer.Option(
            "--news",
            help="Fit on the NYT ratings and NewsMTSC's training split together (alpha "
            "and the class mapping chosen by grouped CV on training data only).",
        ),
    ] = False,
) -> None:
    """Refit the recommended score (alpha chosen by CV) and write its JSON."""
    from usrussia.io import dump_json

    inputs = {"the ratings": config.NYT_RATINGS}
    if news:
        inputs["the NewsMTSC training split"] = config.NEWSMTSC_JSONL["train"]
    output = output or (config.MODEL_NEWS_JSON if news else config.MODEL_JSON)
    check_outputs(inputs, [("--output", output, (".json",))])
    if news:
        from usrussia.sentiment import fit_news

        model = fit_news()
        cv = model.metadata_["cv"]
        summary = (
            f"alpha={model.alpha}, scale={model.metadata_['data']['newsmtsc']['scale']}: "
            f"{cv['folds']}-fold grouped CV Pearson r NYT={cv['nyt_pearson_r']} "
            f"(NYT-only model {cv['nyt_only_model_nyt_pearson_r']}), "
            f"NewsMTSC={cv['newsmtsc_pearson_r']} "
            f"(NYT-only model {cv['nyt_only_model_newsmtsc_pearson_r']})"
        )
    else:
        from usrussia.sentiment import fit

        model = fit()
        cv, n = model.metadata_["cv"], model.metadata_["data"]["n"]
        summary = (
            f"alpha={model.alpha}: {cv['folds']}-fold CV Pearson r={cv['pearson_r']}, "
            f"Spearman r={cv['spearman_r']}, editorials held out r={cv['grouped_pearson_r']} "
            f"(n={n})"
        )
    dump_json(model.to_json(), output)
    typer.echo(f"{summary}; wrote {output}")


@sentiment_app.command("validate")
def sentiment_validate(
    news_model: Annotated[
        Path | None,
        typer.Option(
            "--news-model",
            help="A model fitted with NewsMTSC (usrussia sentiment fit --news) to validate "
            "beside the recommended score; default: data/external/sentiment_model_news.json "
            "when it exists.",
        ),
    ] = None,
    folds: Annotated[
        int, typer.Option("--folds", min=2, help="CV folds of the score on the NYT ratings.")
    ] = 10,
) -> None:
    """Print the validation of every measure: NYT editorials and NewsMTSC news sentences."""
    import pandas as pd

    from usrussia.sentiment import load_model, paper_table, validate, validate_newsmtsc

    if news_model is not None and not news_model.is_file():
        fail(f"--news-model {news_model}: no such file")
    path = news_model or config.MODEL_NEWS_JSON
    models = {"score": load_model()}
    if path.is_file():
        try:
            models["score_news"] = load_model(path)
        except (ValueError, KeyError, TypeError):
            fail(f"--news-model {path}: not a model written by usrussia sentiment fit")
    nyt = pd.concat([validate(folds=folds), paper_table()]).reset_index()
    news, block = validate_newsmtsc(models)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        typer.echo("NYT editorial sentences (Hutto & Gilbert 2014), against the mean rating")
        typer.echo(nyt.round(4).to_string(index=False))
        typer.echo("\nNewsMTSC (Hamborg & Donnay 2021): tone towards each named person, held out")
        typer.echo(news.round(4).to_string(index=False))
    for name, evidence in block["targeted"].items():
        typer.echo(
            f"\ntargeted tone ({name}, {evidence['window']} words each side) minus sentence "
            f"tone on devtest_mt: macro-F1 {evidence['macro_f1_difference']:+.4f} "
            f"(95% CI {evidence['ci_low']:+.4f} to {evidence['ci_high']:+.4f}); accuracy on "
            f"targets whose sentence names people of different sentiment: sentence "
            f"{evidence['accuracy_mixed']['sentence_level']:.3f}, targeted "
            f"{evidence['accuracy_mixed']['targeted']:.3f}"
        )
