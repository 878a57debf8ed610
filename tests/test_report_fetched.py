"""Fetched coverage through the reports: a study that names GDELT tables (``[gdelt]``),
checked like its other tables, and page 04's section that puts GDELT's tone of the dyad
beside the study's, meeting by meeting; then ``usrussia report`` end to end on a corpus of
two sources and two eras fetched from the fixtures, with the GDELT events of Helsinki.

The folders are fetched once from the local server of ``fetch_server``; every import and
report runs without it.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from fetch_server import FakeApis
from test_fetch_sources import CHEAP, FETCHES
from typer.testing import CliRunner, Result

from usrussia import config
from usrussia.cli import app
from usrussia.compare import load_events
from usrussia.compare.gdelt import direction_summary
from usrussia.corpus import read_corpus
from usrussia.report import find_notebooks
from usrussia.study import in_scope, load_study
from usrussia.study.defaults import with_corpus
from usrussia.study.gdelt import gdelt_beside_study, no_gdelt_note

TWO_SOURCES = ("guardian-2013", "guardian-2018", "nyt-2013", "nyt-2018")
HELSINKI, LOUGH_ERNE = "2018-07-16 Helsinki", "2013-06-17 Lough Erne"
EVENTS = 'events = "../gdelt_events.parquet"'


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The corpus of two sources and two eras, the GDELT events and the tone timeline,
    each imported through the CLI from folders fetched from the fixtures."""
    root = tmp_path_factory.mktemp("fetched")
    names = (*TWO_SOURCES, "events", "gdelt-tone")
    with FakeApis() as apis:
        for name in names:
            command = ["fetch", *FETCHES[name], "--out", str(root / name), "--min-interval", "0"]
            result = CliRunner().invoke(app, command, env=apis.env)
            assert result.exit_code == 0, result.output
    out = {"corpus": root / "corpus.parquet", "events": root / "gdelt_events.parquet"}
    out["timeline"] = root / "gdelt_tone.parquet"
    imports = [([root / n for n in TWO_SOURCES], out["corpus"])]
    imports += [([root / "events"], out["events"]), ([root / "gdelt-tone"], out["timeline"])]
    for inputs, target in imports:
        quarantine = root / f"{target.stem}.q.jsonl"
        result = run("corpus", "import", *inputs, "--out", target, "--quarantine", quarantine)
        assert result.exit_code == 0, result.output
    return out


def write_study(folder: Path, corpus: Path, gdelt: str = "") -> Path:
    """A study of the corpus by era with meeting windows, and ``gdelt`` as its [gdelt] table."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fetched.toml"
    path.write_text(
        f'[study]\nname = "fetched"\ncorpus = "{corpus.as_posix()}"\n\n[scope]\nrelevant = true\n'
        '\n[[comparisons]]\nname = "Coverage by era"\nby = "era"\n'
        'groups = ["obama", "trump1"]\nwindows = true\n'
        + (f"\n[gdelt]\n{gdelt}\n" if gdelt else ""),
        encoding="utf-8",
    )
    return path


def refused(result: Result, *fragments: str) -> str:
    """Exit 2, nothing on stdout, one ``error:`` line on stderr holding ``fragments``."""
    assert result.exit_code == 2 and result.stdout == "", result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ")
    for fragment in fragments:
        assert fragment in line, line
    return line


def test_a_study_names_its_gdelt_tables_relative_to_its_file(
    tables: dict[str, Path], tmp_path: Path
) -> None:
    folder = tables["events"].parent / "studies"
    gdelt = 'events = "../gdelt_events.parquet"\ntimeline = "../gdelt_tone.parquet"'
    study = load_study(write_study(folder, tables["corpus"], gdelt))
    assert study.gdelt == {"events": tables["events"], "timeline": tables["timeline"]}
    result = run("study", "check", folder / "fetched.toml")
    assert result.exit_code == 0, result.output
    assert f"gdelt.events: {tables['events']}" in result.stdout
    assert load_study(write_study(tmp_path, tables["corpus"])).gdelt == {}


@pytest.mark.parametrize(
    ("gdelt", "fragments"),
    [
        ('event = "x.parquet"', ("gdelt.event: unknown key (known: events, timeline)",)),
        ("events = 3", ("gdelt.events: must be str, got 3",)),
        ('events = "none.parquet"', ("gdelt.events:", "none.parquet: not found", "gdelt-events")),
        ('timeline = "EVENTS"', ("gdelt.timeline:", "it is a GDELT events table")),
        ('events = "CORPUS"', ("gdelt.events:", "not a GDELT events table (no column")),
    ],
)
def test_a_wrong_gdelt_table_is_refused_in_one_line_naming_the_key(
    tables: dict[str, Path], tmp_path: Path, gdelt: str, fragments: tuple[str, ...]
) -> None:
    gdelt = gdelt.replace("EVENTS", tables["events"].as_posix())
    gdelt = gdelt.replace("CORPUS", tables["corpus"].as_posix())
    path = write_study(tmp_path, tables["corpus"], gdelt)
    refused(run("study", "check", path), *fragments)
    out = tmp_path / "report"
    refused(run("report", "--study", path, "--output", out), *fragments)
    assert not out.exists()


def test_gdelt_beside_the_study_meeting_by_meeting(tables: dict[str, Path], tmp_path: Path) -> None:
    gdelt = (
        f'events = "{tables["events"].as_posix()}"\ntimeline = "{tables["timeline"].as_posix()}"'
    )
    study = load_study(write_study(tmp_path, tables["corpus"], gdelt))
    documents = in_scope(study, read_corpus(study.corpus))
    events, timeline = gdelt_beside_study(study, documents)
    assert (events.kind, timeline.kind) == ("events", "timeline") and no_gdelt_note(study) == ""
    rows = events.table.set_index("meeting")
    assert rows.index.tolist() == [LOUGH_ERNE, HELSINKI]
    near = documents[documents["date"].dt.year == 2013]  # every 2013 document is near Lough Erne
    assert rows.loc[LOUGH_ERNE, "n"] == len(near) and rows.loc[LOUGH_ERNE, "gdelt_events"] == 0
    # Tones -2.85, -1.97, -5.40, -6.10 with 120, 64, 30, 18 mentions (the importer's test).
    assert rows.loc[HELSINKI, "gdelt_tone"] == pytest.approx(-739.88 / 232)
    assert rows.loc[HELSINKI, "gdelt_mentions"] == 232
    assert events.summary["both"] == 1 and events.summary["steps"] == 0
    assert "With 1 meeting having a tone of each, their direction" in events.sentences()
    assert "holds 4 events dated 2018-07-16." in events.sentences()
    assert list(timeline.shown().columns) == [
        "meeting", "date", "era", "documents", "mean score", "GDELT tone timeline points",
        "GDELT tone",
    ]  # fmt: skip
    block = events.block()
    assert block["rows"] == 4 and len(block["meetings_shown"]) == 2
    assert json.loads(json.dumps(block, default=str))["both"] == 1


def test_the_direction_from_meeting_to_meeting_is_counted() -> None:
    """Four meetings with both tones: ours goes up, down, up; GDELT's up, up, up."""
    meetings = load_events().head(5)
    both = meetings[["meeting", "date", "era"]].assign(
        n=[3, 2, 4, 1, 2],
        score=[0.1, 0.3, 0.2, 0.5, None],
        gdelt_events=[5, 1, 2, 9, 0],
        gdelt_tone=[-3.0, -2.0, -1.5, -1.0, None],
    )
    summary = direction_summary(both.iloc[::-1], "score")  # the order is the dates'
    assert summary == {
        "meetings": 5,
        "with_documents": 5,
        "with_gdelt": 4,
        "both": 4,
        "steps": 3,
        "same_direction": 2,
        "opposite": 1,
        "spearman": pytest.approx(0.8),
    }


def test_a_sample_of_the_study_keeps_its_gdelt_tables(tables: dict[str, Path]) -> None:
    folder = tables["events"].parent / "studies"
    study = load_study(write_study(folder, tables["corpus"], EVENTS))
    moved = with_corpus(study, tables["corpus"], "a sample")
    assert moved.path is None and moved.gdelt == {"events": tables["events"]}


class _Text(HTMLParser):
    """The text of a page as a reader sees it: no tags, no scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in {"script", "style"}

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in {"script", "style"}

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def page_text(out: Path, name: str) -> str:
    parser = _Text()
    parser.feed((out / f"{name}.html").read_text(encoding="utf-8"))
    return " ".join(parser.parts)


@pytest.mark.slow
def test_two_sources_two_eras_and_gdelt_run_through_the_report(
    tables: dict[str, Path], tmp_path: Path
) -> None:
    """``usrussia study init`` on the fetched corpus, the GDELT events added to the study
    as a user would, then ``usrussia report --study`` (the two corpus-independent
    validations made cheap, as in test_report_any_corpus): every page, the GDELT section
    with a row per meeting with data, notes where a comparison cannot be made."""
    study = tmp_path / "studies" / "fetched.toml"
    result = run("study", "init", "--corpus", tables["corpus"], "--out", study)
    assert result.exit_code == 0, result.output
    with study.open("a", encoding="utf-8") as fh:
        fh.write(f'\n[gdelt]\nevents = "{tables["events"].as_posix()}"\n')
    out = tmp_path / "report"
    result = run("report", "--study", study, "--output", out, *CHEAP)
    assert result.exit_code == 0, result.output[-3000:]
    names = [nb.stem for nb in find_notebooks(config.NOTEBOOKS)]
    assert all((out / f"{name}.html").is_file() for name in names) and len(names) >= 4
    for name in names:
        assert "Traceback" not in page_text(out, name)
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["manifest"]["study"]["text"] == study.read_text(encoding="utf-8")
    assert "gdelt_tone" in set(metrics["manifest"]["reproducibility"]) & set(metrics)
    block = metrics["gdelt_tone"]["events"]
    assert [m["meeting"] for m in block["meetings_shown"]] == [LOUGH_ERNE, HELSINKI]
    text = page_text(out, "04_tone_comparison")
    section = text.split("GDELT's tone of the dyad beside ours", 1)[1].split("Sensitivity")[0]
    assert "They measure different things." in section
    assert "holds 4 events dated 2018-07-16." in section
    # One table row per meeting with data: our documents and tone, GDELT's figures.
    lough_erne = (
        rf"{LOUGH_ERNE} 2013-06-17 obama {block['meetings_shown'][0]['n']} -?\d\.\d{{3}} 0 0 – –"
    )
    assert re.search(lough_erne, section), section
    assert re.search(
        rf"{HELSINKI} 2018-07-16 trump1 \d+ -?\d\.\d{{3}} 4 232 -3\.189 2\.241", section
    )
    assert any(r["note"] for r in metrics["tone_comparison"])  # too few for some figures


def test_undated_documents_beside_gdelt_are_counted_not_placed(tables: dict[str, Path]) -> None:
    study = load_study(write_study(tables["events"].parent / "undated", tables["corpus"], EVENTS))
    documents = in_scope(study, read_corpus(study.corpus)).assign(date=pd.NaT)
    (part,) = gdelt_beside_study(study, documents)
    assert part.table["meeting"].tolist() == [HELSINKI] and part.table["n"].tolist() == [0]
    assert f"{len(documents)} documents of this study have no date." in part.sentences()
    assert "With 0 meetings having a tone of each" in part.sentences()
