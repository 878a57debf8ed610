"""Markdown files with a YAML front matter, read as fields and plain text.

``split_front_matter`` separates the YAML block between the two leading ``---`` lines from
the body and reads it with every value a string, so that dates are read by the project's
date rule (``usrussia.corpus.dates``), not by YAML's. ``markdown_to_text`` renders a body as
plain text with a CommonMark parser (markdown-it-py): the text stage ends a sentence at
every line break, so a paragraph wrapped over several lines must become one line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

FENCE = "---"
# Inline HTML whose content is struck out: transcripts mark a correction as
# "<s>figers</s> [fingers]", so the text as corrected leaves the struck words out.
STRUCK_TAGS = frozenset({"s", "del", "strike"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # every scalar read as a string


class FrontMatterError(ValueError):
    """A file whose front matter is missing or is not a YAML mapping; the message says why."""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The front matter's fields and the body of a Markdown file.

    Parameters
    ----------
    text : the file's text; it must begin with a ``---`` line, and the front matter ends
        at the next ``---`` line.

    Returns
    -------
    (dict, str)
        The fields (scalars as strings, as written) and the Markdown body after the block.

    Raises
    ------
    FrontMatterError
        When the file does not begin with a front matter block, the block never closes,
        is not valid YAML, or is not a mapping.
    """
    lines = text.removeprefix("\ufeff").split("\n")
    if lines[0].rstrip() != FENCE:
        raise FrontMatterError("the file does not begin with a '---' line")
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == FENCE), None)
    if end is None:
        raise FrontMatterError("the front matter never closes (no second '---' line)")
    try:
        fields = yaml.load("\n".join(lines[1:end]), Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(fields, dict):
        raise FrontMatterError(f"not a mapping of fields: {type(fields).__name__}")
    return fields, "\n".join(lines[end + 1 :])


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def markdown_to_text(markdown: str) -> str:
    """Plain text of a Markdown document, one line per paragraph, heading or list item.

    A wrapped paragraph is joined into one line (soft breaks become spaces; a hard break
    stays a line break); links keep their text, images are dropped, escapes are resolved
    (``\\[`` is ``[``), emphasis, heading and list markers go, inline HTML tags go and the
    struck-out text inside ``STRUCK_TAGS`` with them. HTML blocks and code keep their
    content as written (the cleaning's ``strip_html`` removes the tags).

    Parameters
    ----------
    markdown : the Markdown text (without front matter).

    Returns
    -------
    str
        The text, its blocks separated by line breaks, blank lines dropped.
    """
    blocks = []
    for token in _parser().parse(markdown):
        if token.type == "inline":
            blocks.append(_inline_text(token.children or ()))
        elif token.type in ("html_block", "code_block", "fence"):
            blocks.append(token.content)
    return "\n".join(line.strip() for block in blocks for line in block.split("\n") if line.strip())


def _inline_text(children: Sequence[Token]) -> str:
    """The text of one paragraph's inline tokens (see ``markdown_to_text``)."""
    parts: list[str] = []
    struck = 0
    for child in children:
        if child.type == "html_inline":
            tag = _TAG.match(child.content)
            if tag and tag[2].lower() in STRUCK_TAGS:
                struck = max(0, struck - 1) if tag[1] else struck + 1
        elif struck:
            continue
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)
