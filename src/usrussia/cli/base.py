"""The command line's ground: the application, the root error handling, shared helpers.

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

from usrussia.corpus.records import InputError, Ledger, write_quarantine
from usrussia.io import OutputError, check_output

PARQUET = (".parquet",)
JSONL = (".jsonl",)
# How the user gives the setting an ``InputError`` names (its ``parameter``): a hint after
# the message, or the option the message is about before it.
PARAMETER_PREFIXES = {"param": "--param"}
PARAMETER_FIXES = {
    "format": "pass the right --format",
    "param_syntax": "see --param KEY=VALUE",
    "run": "use --study, --corpus, --output or --seed",
    "output": "see --output",
    "n": "see --n",
    "force": "pass --force to overwrite it",
    "coders": "see --coders",
    "measure": "see --measure NAME=LOW:HIGH",
    "level": "pass --level or --codebook",
    "engine": "see --engine and --scheduler",
    "scheduler": "check --scheduler",
}


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
            parameter = getattr(exc, "parameter", None) or ""
            fix, prefix = PARAMETER_FIXES.get(parameter), PARAMETER_PREFIXES.get(parameter)
            message = f"{prefix} {exc}" if prefix else str(exc)
            fail(f"{message}; {fix}" if fix else message)
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
    "the options of 'score'), refit the recommended score ('fit') or print every "
    "measure's validation ('validate').",
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
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="Where the work runs: pandas (this process) or dask (a Dask cluster: two local "
        "worker processes, or the scheduler of --scheduler). Both give the same results.",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Address of a running Dask scheduler for --engine dask (e.g. tcp://host:8786); "
        "without it a LocalCluster starts and stops here.",
    ),
]
