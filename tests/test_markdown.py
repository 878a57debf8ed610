"""Markdown with a front matter: fields as written, bodies as plain text (real Briefing Room)."""

from __future__ import annotations

import zipfile

import pytest

from usrussia.corpus.markdown import FrontMatterError, markdown_to_text, split_front_matter
from usrussia.corpus.sources import whitehouse
from usrussia.text.sentences import split_sentences

GENEVA = "speeches-remarks/2021-06/2021-06-16-remarks-by-president-biden-in-press-conference-4.md"
SUNDAY_SHOWS = "articles/2025-08/2025-08-17-sunday-shows-president-trumps-pursuit-of-peace.md"
CORRECTED = (
    "speeches-remarks/2024-10/2024-10-29-remarks-by-vice-president-harris-at-a-campaign-event-10.md"
)


def briefing_file(name: str) -> str:
    with zipfile.ZipFile(whitehouse.BRIEFING_ZIP) as archive:
        return archive.read(name).decode("utf-8")


def test_front_matter_fields_are_strings_as_written() -> None:
    """YAML's escapes are read (``\\_`` is a no-break space, the title continues over a line
    break), but no value is turned into a date: the date rule reads the strings."""
    fields, body = split_front_matter(briefing_file(GENEVA))
    assert fields == {
        "tags": "speeches-remarks",
        "date": "2021-06-16",
        "modified_time": "2021-06-16 17:13:17-04:00",
        "source_url": "https://bidenwhitehouse.archives.gov/briefing-room/speeches-remarks/"
        "2021/06/16/remarks-by-president-biden-in-press-conference-4/",
        "published_time": "2021-06-16 17:13:16-04:00",
        "title": "Remarks by President\xa0Biden in Press\xa0Conference",
    }
    assert body.lstrip().startswith("Hôtel du Parc des Eaux-Vives")


@pytest.mark.parametrize(
    "text, message",
    [
        ("date: '2021-06-16'\n---\nText.", "does not begin with a '---' line"),
        ("---\ndate: '2021-06-16'\nText.", "never closes"),
        ("---\ntitle: a: b\n---\nText.", "not valid YAML: mapping values are not allowed"),
        ("---\n- a list\n---\nText.", "not a mapping of fields: list"),
        ("---\n---\nText.", "not a mapping of fields: NoneType"),
    ],
)
def test_front_matter_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(FrontMatterError, match=message):
        split_front_matter(text)


def test_a_wrapped_paragraph_is_one_line_so_its_sentences_stay_whole() -> None:
    """The files wrap lines at 72 columns, and the text stage ends a sentence at every line
    break: a sentence over three lines of the Geneva press conference stays one sentence."""
    _, body = split_front_matter(briefing_file(GENEVA))
    sentence = (
        "One, there is no substitute, as those of you who have covered me for a while know, "
        "for a face-to-face dialogue between leaders."
    )
    assert sentence not in body  # wrapped in the file
    text = markdown_to_text(body)
    assert sentence in split_sentences(text)
    assert text.splitlines()[:3] == [
        "Hôtel du Parc des Eaux-Vives",
        "Geneva, Switzerland",
        "7:20 P.M. CEST",
    ]


def test_headings_emphasis_lists_and_links_become_their_text() -> None:
    _, body = split_front_matter(briefing_file(SUNDAY_SHOWS))
    lines = markdown_to_text(body).splitlines()
    assert "Here’s what you missed:" in lines
    assert "Secretary of State Marco Rubio on Meet the Press" in lines
    quote = next(line for line in lines if line.startswith("“It was agreed to by all"))
    assert quote.endswith("an end to this war.” (Watch)")  # the link's text, not its address
    assert not any(mark in line for line in lines for mark in ("**", "###", "](", "-   "))


def test_struck_out_words_are_left_out_and_escapes_resolved() -> None:
    """A transcript marks a correction as ``<s>figers</s> \\[fingers\\]``: the text keeps the
    correction, in brackets as published, and not the struck word."""
    _, body = split_front_matter(briefing_file(CORRECTED))
    assert "<s>figers</s> \\[fingers\\]" in body
    text = markdown_to_text(body)
    words = " ".join(text.split())  # the struck word leaves two spaces; cleaning makes one
    assert "It is time to stop pointing [fingers] — we have to stop pointing fingers" in words
    assert "figers" not in text and "<s>" not in text


@pytest.mark.parametrize(
    "markdown, text",
    [
        ("A *very* **bold** `code` line\nwrapped here.", "A very bold code line wrapped here."),
        ("Line one\\\nline two", "Line one\nline two"),  # a hard break stays a line break
        ("# Title\n\nBody.\n\n1.  First\n2.  Second", "Title\nBody.\nFirst\nSecond"),
        ('See [the text](https://example.com "t") and ![a chart](c.png).', "See the text and ."),
        ("21<sup>st</sup> century, <u>under</u>lined", "21st century, underlined"),
        ("Said <s>Ninety</s> \\[Ninety-eight\\] percent.", "Said  [Ninety-eight] percent."),
        (
            "<figure>\n<figcaption>May 5, 2025</figcaption>\n</figure>",
            "<figure>\n<figcaption>May 5, 2025</figcaption>\n</figure>",
        ),  # HTML blocks: strip_html's job
        ("\\###", "###"),
        ("", ""),
    ],
)
def test_markdown_to_text(markdown: str, text: str) -> None:
    assert markdown_to_text(markdown) == text
