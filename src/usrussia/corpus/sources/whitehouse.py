"""White House texts that name Russia (public domain): Obama's remarks and the Briefing Room.

Two archives, one importer each, both the source ``whitehouse``:

- ``obama_remarks_2009_2015.zip`` (``iter_obama_remarks``): plain-text "speeches and
  remarks" of President Obama, 3 March 2009 to 13 February 2015. A file begins with ``Cite:``
  and the whitehouse.gov URL, then a header (the release line, "The White House", "Office
  of the Press Secretary", …) that holds the title, then the text.
- ``briefing_room_2021_2026.zip`` (``iter_briefing_room``): Markdown files of the Biden
  and second Trump administrations' Briefing Room, with a YAML front matter (``date``,
  ``published_time``, ``title``, ``source_url``) and the section in the path.

Each document gets a ``category`` (``CATEGORIES``, see ``classify``) and a ``kind``, so
that like is compared with like. A file without a date is quarantined (``missing date``),
never given one. Both zips hold only documents that name Russia at least once; the
project's own rule (``usrussia.corpus.selection``) decides which are Russia-related.
No White House texts from mid-February 2015 to January 2021 could be had (see
``data/README.md``).
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from usrussia import config
from usrussia.corpus.markdown import FrontMatterError, markdown_to_text, split_front_matter
from usrussia.corpus.records import InputError, Record, Rejected

DIR = config.RAW / "whitehouse"
OBAMA_ZIP = DIR / "obama_remarks_2009_2015.zip"
BRIEFING_ZIP = DIR / "briefing_room_2021_2026.zip"
SOURCE = "whitehouse"
OUTLET = "whitehouse"
LICENCE = "Public domain (US government work)"
BRIEFING_LICENCE = f"{LICENCE}; collection CC0 1.0 (brian14708/wh-briefings)"
CATEGORIES = ("statement or readout", "remarks", "presidential action", "fact sheet", "article")
# The Briefing Room's sections (the first folder of a path) and the category of each.
SECTIONS = {
    "statements-releases": "statement or readout",
    "briefings-statements": "statement or readout",
    "releases": "statement or readout",
    "speeches-remarks": "remarks",
    "remarks": "remarks",
    "presidential-actions": "presidential action",
    "legislation": "presidential action",  # "Bills Signed: ...", the President's signatures
    "fact-sheets": "fact sheet",
    "articles": "article",
    "blog": "article",
}
OBAMA_SECTION = "speeches-remarks"  # the archive's folder: the President's speeches and remarks
# A title that says what the document is overrides its section: the Biden Briefing Room
# filed its fact sheets under statements and releases, some readouts under remarks. Not
# "Statement by the President": in the Obama archive that is a statement read to the press.
READOUT = re.compile(r"readout\b", re.IGNORECASE)  # a readout of a meeting or a call
TITLE_LABELS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"fact sheet\b", re.IGNORECASE), "fact sheet"),
    (READOUT, "statement or readout"),
    (re.compile(r"remarks\b", re.IGNORECASE), "remarks"),
)
KINDS = {
    "statement or readout": "official statement",
    "remarks": "official remarks",
    "presidential action": "presidential action",
    "fact sheet": "official fact sheet",
    "article": "official article",
}
_LEADING = re.compile(r"^[\W_]+")
END_MARK = "###"  # the press office's end-of-release mark
_MONTH_DATE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+\d{1,2},\s+\d{4}"
)
# Header lines hold pieces separated by runs of spaces or underscores: "For Immediate
# Release" (and the date after it), "The White House", "Office of the Press Secretary", the
# title.
_GAP = re.compile(r"\s{2,}|_{3,}|(?i:(?<=release))\s+")
_FURNITURE = re.compile(
    r"the white house|office of the press secretary|(?:for )?immediate release", re.IGNORECASE
)
_DATE_PIECE = re.compile(_MONTH_DATE, re.IGNORECASE)
_URL_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")


def classify(title: str, section: str) -> tuple[str, str] | None:
    """The (category, kind) of a document from its title and section; None if neither says.

    Parameters
    ----------
    title : the document's title.
    section : its Briefing Room section (a key of ``SECTIONS``).

    Returns
    -------
    (str, str) or None
        A category of ``CATEGORIES`` (the title's own label, such as "FACT SHEET:" or
        "Readout of", else the section's) and its kind (``official readout`` for a
        readout); None for a section not in ``SECTIONS`` and a title without a label.
    """
    label = _LEADING.sub("", title)
    category = next((c for pattern, c in TITLE_LABELS if pattern.match(label)), None)
    category = category or SECTIONS.get(section)
    if category is None:
        return None
    return category, "official readout" if READOUT.match(label) else KINDS[category]


def iter_zip_texts(path: Path) -> Iterator[tuple[str, str, str] | Rejected]:
    """Each file of a zip archive, in name order, as (its place, its name, its UTF-8 text).

    The place is ``path/name``; a member that is not UTF-8 is quarantined
    (``undecodable bytes``). Raises ``InputError`` for a missing or broken archive.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path}: not a readable zip file") from exc
    with archive:
        for name in sorted(n for n in archive.namelist() if not n.endswith("/")):
            place = f"{path}/{name}"
            try:
                data = archive.read(name)
            except (zipfile.BadZipFile, OSError) as exc:
                raise InputError(f"{place}: cannot be read from the zip ({exc})") from exc
            try:
                yield place, name, data.decode("utf-8").removeprefix("\ufeff")
            except UnicodeDecodeError as exc:
                text = data.decode("utf-8", errors="replace")
                yield Rejected(place, None, "undecodable bytes", text, str(exc))


def _pieces(line: str) -> list[str]:
    """The parts of a header line between runs of spaces or underscores."""
    return [piece for piece in _GAP.split(line.strip()) if piece]


def _is_furniture(piece: str) -> bool:
    return bool(_FURNITURE.fullmatch(piece) or _DATE_PIECE.fullmatch(piece))


def _title_pieces(line: str) -> list[str]:
    """The pieces of a header line that belong to a title: not furniture nor a date, and
    for a title in capitals only the capitals ("REMARKS BY …   Hradcany Square" is a
    title and a place)."""
    words = [piece for piece in _pieces(line) if not _is_furniture(piece)]
    if words and words[0].isupper():
        words = list(itertools.takewhile(str.isupper, words))
    return words


def _continues_title(line: str) -> bool:
    """A title in capitals goes on over the lines in capitals right after it."""
    words = _title_pieces(line)
    return (
        bool(words)
        and words[0][0].isalpha()
        and words[0].isupper()
        and len(words) == len(_pieces(line))
    )


def _header(lines: list[str]) -> tuple[list[str], str | None, int]:
    """(title lines, release date, index of the first line after the title) of an Obama file.

    The title is on the first line with a piece that is neither furniture nor a date, and
    the lines in capitals that follow a title in capitals; the release date is the first
    date piece up to the title.
    """
    date = None
    for index, line in enumerate(lines):
        date = date or next((p for p in _pieces(line) if _DATE_PIECE.fullmatch(p)), None)
        words = _title_pieces(line)
        if not words:
            continue
        title = [" ".join(words)]
        end = index + 1
        while words[0].isupper() and end < len(lines) and _continues_title(lines[end]):
            title.append(" ".join(_title_pieces(lines[end])))
            end += 1
        return title, date, end
    return [], date, len(lines)


def parse_obama_remarks(text: str) -> dict[str, str | None]:
    """The url, date, title and text of one file of the Obama archive.

    The date is the release line's ("June 17, 2013"), else the one in the URL
    (``/2013/06/17/``), else None. The release line comes first because the URL holds the
    day the page was posted, which can be later (the Obama-Cameron press conference of
    16 January 2015 is at ``/2015/01/18/``). Header lines (furniture, dates, the title
    repeated) are left out of the text.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    url = ""
    if lines and lines[0].startswith("Cite:"):
        rest = [line.strip() for line in lines[1:]]
        at = next((i for i, line in enumerate(rest) if line), len(rest))
        url = rest[at] if at < len(rest) else ""
        lines = lines[at + 2 :]
    title, date, end = _header(lines)
    if date is None and (found := _URL_DATE.search(url)):
        date = "-".join(found.groups())
    body = [
        line
        for line in lines[end:]
        if " ".join(_title_pieces(line)) not in title and not all(map(_is_furniture, _pieces(line)))
    ]
    return {"url": url, "date": date, "title": " ".join(title), "text": "\n".join(body)}


def _document(
    place: str,
    text: str,
    fields: dict[str, str | None],
    section: str,
    *,
    doc_id: str,
    licence: str,
    undated: str,
) -> Record | Rejected:
    """A file's record, or its quarantine: no date (``missing date``, ``undated`` saying
    where it was looked for), or a section and title that name no category (``unknown
    category``)."""
    labels = classify(fields["title"] or "", section)
    if fields["date"] is None:
        return Rejected(place, None, "missing date", text, undated)
    if labels is None:
        return Rejected(place, None, "unknown category", text, f"section {section!r}")
    category, kind = labels
    data = {**fields, "doc_id": doc_id, "source": SOURCE, "outlet": OUTLET, "licence": licence}
    return Record(place, None, {**data, "kind": kind, "category": category})


def iter_obama_remarks(path: Path = OBAMA_ZIP) -> Iterator[Record | Rejected]:
    """One record per file of the Obama archive (category ``remarks`` unless titled otherwise).

    A file with neither a release line nor a date in its URL is quarantined as
    ``missing date``.
    """
    for item in iter_zip_texts(path):
        if isinstance(item, Rejected):
            yield item
            continue
        place, name, text = item
        yield _document(
            place,
            text,
            parse_obama_remarks(text),
            OBAMA_SECTION,
            doc_id=f"{SOURCE}-obama-{PurePosixPath(name).stem}",
            licence=LICENCE,
            undated="no release line, no date in the URL",
        )


def parse_briefing(text: str) -> dict[str, str | None]:
    """The url, date, title and plain text of one Briefing Room file.

    The date is ``published_time`` (a moment, with its offset) or else ``date``; the body
    is Markdown made plain (``markdown_to_text``), the press office's closing ``###`` left
    out. Raises ``FrontMatterError`` (from ``split_front_matter``).
    """
    fields, body = split_front_matter(text)
    plain = markdown_to_text(body).removesuffix(END_MARK).rstrip()
    date = fields.get("published_time") or fields.get("date")
    return {
        "url": str(fields.get("source_url") or ""),
        "date": str(date) if date else None,
        "title": str(fields.get("title") or ""),
        "text": plain,
    }


def iter_briefing_room(path: Path = BRIEFING_ZIP) -> Iterator[Record | Rejected]:
    """One record per Briefing Room file; its section is the path's first folder.

    Quarantined: a file whose front matter is missing or broken (``invalid front
    matter``), one without a date (``missing date``), one whose section is unknown and
    whose title names no category (``unknown category``).
    """
    for item in iter_zip_texts(path):
        if isinstance(item, Rejected):
            yield item
            continue
        place, name, text = item
        try:
            fields = parse_briefing(text)
        except FrontMatterError as exc:
            yield Rejected(place, None, "invalid front matter", text, str(exc))
            continue
        section = PurePosixPath(name).parts[0]
        yield _document(
            place,
            text,
            fields,
            section,
            doc_id=f"{SOURCE}-{section}-{PurePosixPath(name).stem}",
            licence=BRIEFING_LICENCE,
            undated="no published_time or date",
        )


def iter_records() -> Iterator[Record | Rejected]:
    """Both archives, Obama's first."""
    yield from iter_obama_remarks()
    yield from iter_briefing_room()
