"""``usrussia validate sample`` and ``validate agreement``: human coding and agreement."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from usrussia import config
from usrussia.cli.base import check_outputs, fail, validate_app


@validate_app.command("sample")
def validate_sample(
    out: Annotated[Path, typer.Option("--out", help="The coding sheet to write (.csv).")],
    corpus: Annotated[
        Path | None, typer.Option("--corpus", help="The corpus (default: the shipped one).")
    ] = None,
    study: Annotated[
        Path | None,
        typer.Option("--study", help="A study file: draw from its in-scope documents."),
    ] = None,
    n: Annotated[int, typer.Option("--n", help="How many units to draw.")] = 200,
    unit: Annotated[str, typer.Option("--unit", help="document or sentence.")] = "document",
    stratify: Annotated[
        str, typer.Option("--stratify", help="Corpus columns whose combinations are strata.")
    ] = "",
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the draw (default: the study's).")
    ] = None,
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
    from usrussia.study import load_study
    from usrussia.validate.codebook import DEFAULT_CODEBOOK, coder_names, load_codebook
    from usrussia.validate.sample import make_coding_sample

    if study is not None and corpus is not None:
        fail("give --study or --corpus, not both (a study names its corpus)")
    design = load_study(study) if study is not None else None
    if seed is None:
        seed = design.seed if design is not None else config.SEED
    names = coder_names(coders)
    book = load_codebook(codebook) if codebook is not None else DEFAULT_CODEBOOK
    strata = [c.strip() for c in stratify.split(",") if c.strip()]
    sample, files = make_coding_sample(
        corpus or config.CORPUS_PARQUET,
        out,
        book,
        names,
        n,
        unit,
        strata,
        seed,
        not all_documents,
        force,
        study=design,
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
    from usrussia.validate.sheet import agreement_report, format_report, read_sheet

    if resamples < 0:
        fail(f"--resamples must be 0 or more, got {resamples}")
    if json_out is not None:
        inputs = {"the sheet": sheet, "--machine": machine, "--codebook": codebook}
        check_outputs(inputs, [("--json", json_out, (".json",))])
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
