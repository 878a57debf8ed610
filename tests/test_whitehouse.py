"""The White House importers on the real archives, and their quarantine on broken copies."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from usrussia.corpus.records import InputError, Record, Rejected
from usrussia.corpus.sources import whitehouse
from usrussia.engine import to_corpus

OBAMA_FOLDER = "1_WHITE_HOUSE_SPEECHES/__2009-2015_MASTER_Speeches/__2009-2015_MASTER_President/"
LOUGH_ERNE = OBAMA_FOLDER + "2013-06-17_ID1.txt"
PUTIN_CALL = (
    "statements-releases/2021-01/"
    "2021-01-26-readout-of-president-joseph-r-biden-jr-call-with-president-vladimir-putin-of-russia.md"
)


def member(archive: Path, name: str) -> bytes:
    with zipfile.ZipFile(archive) as zf:
        return zf.read(name)


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def listed(archive: Path) -> list[str]:
    """The files the archive's own manifest (``*.zip.manifest.csv``) says it holds."""
    with open(f"{archive}.manifest.csv", newline="", encoding="utf-8") as fh:
        return sorted(row["path"] for row in csv.DictReader(fh))


@pytest.fixture(scope="module")
def obama() -> list[Record | Rejected]:
    return list(whitehouse.iter_obama_remarks())


@pytest.fixture(scope="module")
def briefing() -> list[Record | Rejected]:
    return list(whitehouse.iter_briefing_room())


def by_name(items: list[Record | Rejected], name: str) -> Record:
    (item,) = [i for i in items if i.file.endswith("/" + name)]
    assert isinstance(item, Record)
    return item


def test_categories_sections_and_kinds_agree() -> None:
    assert set(whitehouse.SECTIONS.values()) == set(whitehouse.KINDS) == set(whitehouse.CATEGORIES)


def test_every_obama_file_is_read_dated_and_kept(obama: list[Record | Rejected]) -> None:
    assert [i.file.split(".zip/")[1] for i in obama] == listed(whitehouse.OBAMA_ZIP)
    assert len(obama) == 238 and all(isinstance(i, Record) for i in obama)
    assert Counter(i.data["category"] for i in obama) == {"remarks": 238}
    assert all(i.data["date"] and i.data["title"] and i.data["url"] for i in obama)


def test_every_briefing_file_is_read_with_its_category(
    briefing: list[Record | Rejected],
) -> None:
    assert [i.file.split(".zip/")[1] for i in briefing] == listed(whitehouse.BRIEFING_ZIP)
    assert len(briefing) == 1800 and all(isinstance(i, Record) for i in briefing)
    assert Counter(i.data["category"] for i in briefing) == {
        "statement or readout": 839,
        "remarks": 674,
        "fact sheet": 134,
        "presidential action": 109,
        "article": 44,
    }
    assert Counter(i.data["kind"] for i in briefing) == {
        "official statement": 509,
        "official readout": 330,
        "official remarks": 674,
        "official fact sheet": 134,
        "presidential action": 109,
        "official article": 44,
    }


@pytest.mark.parametrize(
    "name, day, title",
    [
        (
            "2013-06-17_ID1.txt",
            "2013-06-17",
            "Remarks by President Obama and President Putin of Russia After Bilateral Meeting",
        ),
        # the release line ("January 16, 2015"), not the URL's posting day (/2015/01/18/)
        (
            "2015-01-18_ID1.txt",
            "2015-01-16",
            "Remarks by President Obama and Prime Minister Cameron of the United Kingdom in "
            "Joint Press Conference",
        ),
        # "For Immediate Release March 3, 2009" on one line, the title in capitals below
        (
            "BY-2009-REMARKS_ID2.txt",
            "2009-03-03",
            "REMARKS BY PRESIDENT OBAMA AND BRITISH PRIME MINISTER GORDON BROWN AFTER MEETING",
        ),
        # a title in capitals over two lines
        (
            "PRESIDENT-REMARKS-BY_ID1.txt",
            "2009-04-03",
            "REMARKS BY PRESIDENT OBAMA AT STRASBOURG TOWN HALL",
        ),
        # the date and the title on the release line
        (
            "2009-2010-ent-obamas-inte_ID1.txt",
            "2009-07-06",
            "TRANSCRIPT OF PRESIDENT OBAMA'S INTERVIEW WITH NOVAYA GAZETA",
        ),
    ],
)
def test_obama_date_and_title_from_the_header(
    obama: list[Record | Rejected], name: str, day: str, title: str
) -> None:
    df, _ = to_corpus([by_name(obama, OBAMA_FOLDER + name)])
    row = df.iloc[0]
    assert (row["date"].date().isoformat(), row["era"], row["title"]) == (day, "obama", title)


def test_obama_text_is_the_transcript_without_the_header(obama: list[Record | Rejected]) -> None:
    record = by_name(obama, LOUGH_ERNE)
    assert record.data["url"].startswith("http://www.whitehouse.gov/the-press-office/2013/06/17/")
    df, _ = to_corpus([record])
    text = df.iloc[0]["text"]
    assert text.startswith("Lough Erne Resort\nLough Erne, Northern Ireland\n8:33 P.M. BST\n")
    assert "PRESIDENT PUTIN: (As interpreted.)" in text
    for furniture in ("The White House", "Office of the Press Secretary", "Immediate Release"):
        assert furniture not in text
    assert df.iloc[0]["n_us_mentions"] == 6  # no mention of the US from the header


def test_briefing_date_is_the_moment_of_publication(briefing: list[Record | Rejected]) -> None:
    record = by_name(briefing, PUTIN_CALL)
    assert record.data["date"] == "2021-01-26 14:26:27-05:00"
    assert record.data["title"] == (
        "Readout of President Joseph R. Biden, Jr. Call with President Vladimir Putin of\xa0Russia"
    )
    df, _ = to_corpus([record])
    row = df.iloc[0]
    assert (row["date"], row["era"], row["category"], row["kind"]) == (
        pd.Timestamp("2021-01-26"),
        "biden",
        "statement or readout",
        "official readout",
    )
    assert row["text"].startswith("President Joseph R. Biden, Jr. spoke today with President")
    assert "###" not in row["text"] and row["relevant"]


def front_matter(**fields: str) -> str:
    return "---\n" + "".join(f"{k}: '{v}'\n" for k, v in fields.items()) + "---\n"


def test_inauguration_day_follows_the_date_rule(tmp_path: Path) -> None:
    """A statement published at 10:00 Eastern on 20 January 2025 is Biden's; a file with
    only the day belongs to the administration in office at the end of it."""
    body = "Statement on Russia's war against Ukraine.\n"
    archive = make_zip(
        tmp_path / "b.zip",
        {
            "statements-releases/2025-01/morning.md": (
                front_matter(
                    date="2025-01-20", published_time="2025-01-20 10:00:00-05:00", title="Morning"
                )
                + body
            ).encode(),
            "statements-releases/2025-01/day.md": (
                front_matter(date="2025-01-20", title="Day") + body
            ).encode(),
        },
    )
    df, _ = to_corpus(whitehouse.iter_briefing_room(archive))
    assert dict(zip(df["title"], df["era"], strict=True)) == {"Day": "trump2", "Morning": "biden"}


@pytest.mark.parametrize(
    "name, category, kind",
    [
        # the Biden Briefing Room filed readouts under remarks, fact sheets under statements
        (
            "speeches-remarks/2023-06/2023-06-05-readout-of-president-bidens-meeting-with-prime-"
            "minister-frederiksen-of-denmark.md",
            "statement or readout",
            "official readout",
        ),
        (
            "statements-releases/2022-02/2022-02-22-fact-sheet-united-states-imposes-first-tranche-"
            "of-swift-and-severe-costs-on-russia.md",
            "fact sheet",
            "official fact sheet",
        ),
        (
            "statements-releases/2024-06/2024-06-20-remarks-by-national-economic-advisor-lael-"
            "brainard-on-lowering-costs-for-american-consumers.md",
            "remarks",
            "official remarks",
        ),
        (
            "legislation/2024-05/2024-05-13-bills-signed-h-r-593-h-r-1042.md",
            "presidential action",
            "presidential action",
        ),
        (
            "statements-releases/2021-06/2021-06-16-u-s-russia-presidential-joint-statement-on-"
            "strategic-stability.md",
            "statement or readout",
            "official statement",
        ),
    ],
)
def test_category_is_the_title_label_else_the_section(
    briefing: list[Record | Rejected], name: str, category: str, kind: str
) -> None:
    record = by_name(briefing, name)
    assert (record.data["category"], record.data["kind"]) == (category, kind)


def test_a_statement_read_to_the_press_stays_remarks(obama: list[Record | Rejected]) -> None:
    record = by_name(obama, OBAMA_FOLDER + "2014-03-17_ID2.txt")
    assert record.data["title"] == "Statement by the President on Ukraine"
    assert (record.data["category"], record.data["kind"]) == ("remarks", "official remarks")


@pytest.mark.parametrize(
    "title, section, expected",
    [
        (
            "FACT SHEET: Costs on Russia",
            "statements-releases",
            ("fact sheet", "official fact sheet"),
        ),
        ("“Readout” of a call", "remarks", ("statement or readout", "official readout")),
        ("Statement by the President", "speeches-remarks", ("remarks", "official remarks")),
        (
            "A Proclamation on Victory Day",
            "presidential-actions",
            ("presidential action", "presidential action"),
        ),
        ("Remarks by the President", "podcasts", ("remarks", "official remarks")),
        ("Episode 12", "podcasts", None),
    ],
)
def test_classify(title: str, section: str, expected: tuple[str, str] | None) -> None:
    assert whitehouse.classify(title, section) == expected


def test_obama_file_without_a_date_is_quarantined(tmp_path: Path) -> None:
    real = member(whitehouse.OBAMA_ZIP, LOUGH_ERNE).decode("utf-8")
    undated = real.replace("June 17, 2013", "").replace("/2013/06/17/", "/")
    archive = make_zip(
        tmp_path / "o.zip",
        {
            LOUGH_ERNE: real.encode(),
            OBAMA_FOLDER + "undated.txt": undated.encode(),
            OBAMA_FOLDER + "latin1.txt": real.encode("latin-1", errors="replace"),
        },
    )
    df, ledger = to_corpus(whitehouse.iter_obama_remarks(archive))
    assert (ledger.read, ledger.kept, ledger.quarantined) == (3, 1, 2)
    assert {(Path(r.file).name, r.reason) for r in ledger.rejected} == {
        ("undated.txt", "missing date"),
        ("latin1.txt", "undecodable bytes"),
    }
    assert df["doc_id"].tolist() == ["whitehouse-obama-2013-06-17_ID1"]


def test_broken_briefing_files_are_quarantined_with_their_reason(tmp_path: Path) -> None:
    real = member(whitehouse.BRIEFING_ZIP, PUTIN_CALL)
    fields, body = real.decode("utf-8")[4:].split("\n---\n", 1)
    no_date = "\n".join(
        line for line in fields.splitlines() if not line.startswith(("date:", "published_time:"))
    )
    archive = make_zip(
        tmp_path / "b.zip",
        {
            PUTIN_CALL: real,
            "statements-releases/2021-02/cross-posted.md": real,  # the same document twice
            "statements-releases/2021-01/no-front-matter.md": body.encode(),
            "statements-releases/2021-01/no-date.md": f"---\n{no_date}\n---\n{body}".encode(),
            "podcasts/2021-01/episode.md": (
                front_matter(date="2021-01-26", title="Episode 1") + body
            ).encode(),
        },
    )
    df, ledger = to_corpus(whitehouse.iter_briefing_room(archive))
    assert (ledger.read, ledger.kept, ledger.quarantined) == (5, 1, 4)
    assert {(Path(r.file).name, r.reason, r.detail) for r in ledger.rejected} == {
        ("cross-posted.md", "duplicate", ""),
        ("no-front-matter.md", "invalid front matter", "the file does not begin with a '---' line"),
        ("no-date.md", "missing date", "no published_time or date"),
        ("episode.md", "unknown category", "section 'podcasts'"),
    }
    assert df["date"].tolist() == [pd.Timestamp(dt.date(2021, 1, 26))]


@pytest.mark.parametrize("content", [None, b"not a zip"])
def test_a_missing_or_broken_archive_cannot_be_read(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "briefing.zip"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match="no such file" if content is None else "not a readable"):
        list(whitehouse.iter_briefing_room(path))
