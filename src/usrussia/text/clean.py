"""Text cleaning: named, documented steps composed into a configurable cleaner.

Every step is a function ``str -> str`` that accepts any string (empty, NUL, lone
surrogates, 10 MB) without raising and rejects a non-str with ``TypeError``. The steps:

- ``remove_kremlin_tooltips``: en.kremlin.ru pages carry each person's hover tooltip in
  the text ("Sergei Lavrov Lavrov Sergei Foreign Minister of Russia ,"); keep the name.
  Runs before Unicode normalisation because the tooltip is told apart from the body by
  its plain spaces (the body joins short words with U+00A0).
- ``remove_kremlin_footer``: the trailing page footer ("Topics / Publication status /
  Published in section: News / Publication date: ... / Direct link: ... / Text version").
- ``remove_datelines``: agency datelines at the start of a line ("MOSCOW (Reuters) -",
  "Washington (CNN)", "MOSCOW, February 7. /TASS/.").
- ``strip_html``: tags, comments and character entities (``&amp;`` -> ``&``).
- ``remove_urls``, ``remove_emails``.
- ``normalize_punctuation``: curly quotes -> straight, dashes -> "-", non-breaking
  spaces -> " ", "…" -> "...", drops control characters (except tab and line breaks),
  soft hyphens, zero-width characters and lone surrogates (so the result always
  encodes to UTF-8).
- ``normalize_unicode``: NFKC (compatibility forms such as ligatures become plain).
- ``collapse_whitespace``: runs of spaces become one space; line breaks (paragraphs) stay.

``Cleaner(steps=...)`` composes steps in a given order (scikit-learn style, usable in a
``Pipeline``); ``clean_text(text, source)`` is the project's default, applied by
``usrussia corpus build`` to every document::

    >>> clean_text("Foreign Minister Sergei Lavrov Lavrov Sergei Foreign Minister of Russia .",
    ...            source="kremlin")
    'Foreign Minister Sergei Lavrov.'
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from sklearn.base import BaseEstimator, TransformerMixin

Step = Callable[[str], str]


# A tooltip: "First [Middle] Last Last First [Title words]" where the title is written with
# plain spaces, made of capitalised words and a few lower-case joiners, and never starts a
# new tooltip. A space before the punctuation that closes the tooltip is dropped with it.
_NAME = r"[A-Z][\w'’.-]*"
_JOINER = r"(?:of|the|for|and|on|in|at|to|with|de|du|la|von|der|bin|al|ad|y)"


def _not_a_tooltip(tag: str) -> str:
    """A lookahead refusing a word that starts another tooltip (group names must differ)."""
    return rf"(?!(?P<f{tag}>[A-Z][\w'’-]*) (?P<l{tag}>[A-Z][\w'’-]*) (?P=l{tag}) (?P=f{tag})\b)"


_TITLE_WORD = rf"{_not_a_tooltip('a')}(?:[A-Z0-9][\w'’.&/-]*|{_JOINER})(?![\w'’.&/-])"
_TOOLTIP = re.compile(
    rf"(?P<first>{_NAME}(?: {_NAME})?) (?P<last>[A-Z][\w'’-]*) (?P=last) (?P=first)(?![\w'’-])"
    rf"(?:(?: {_TITLE_WORD},?)* {_not_a_tooltip('b')}[A-Z0-9][\w'’.&/-]*(?![\w'’.&/-]))?"
    r"(?: (?=[,.;:!?)]))?"
)
_DOUBLED_NAME = re.compile(r" ([A-Z][\w'’-]*+) \1 ")
_FOOTER_LINE = re.compile(
    r"See also|Additional|Geography|Topics|Persons|Publication status"
    r"|Published in[ \xa0]sections?:.*|Publication date:.*|Direct link:.*|Text version"
)
_AGENCIES = (
    r"CNN|Reuters|AP|AFP|UPI|Bloomberg|Interfax|Sputnik|RIA Novosti|TASS|ITAR-TASS"
    r"|Xinhua|Variety\.com|[A-Z][\w.]*\.com"
)
_DATELINE = re.compile(
    r"(?m)^(?:"
    # "Washington (CNN)", "MOSCOW (Reuters) -", "(CNN)"
    r"(?:[A-Z][\w.'-]*(?:,? (?:[a-z]{1,3} )?[A-Z][\w.'-]*)*,? ?)?"
    rf"\((?:{_AGENCIES})\)(?: ?[-–—]+ ?)?"
    # "MOSCOW, February 7. /TASS/."
    r"|[A-Z][A-Z .'-]+, [A-Z][a-z]+ \d{1,2}\. ?/(?:ITAR-)?TASS/\.? ?"
    r")"
)
_TAG = re.compile(
    r"<!--.*?-->|<(?:script|style)\b[^>]*>.*?</(?:script|style)\s*>"
    r"|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>",
    re.DOTALL | re.IGNORECASE,
)
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s<>\"]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Frequent characters are replaced with str.replace (fast); the rest in one regex pass.
_FREQUENT = (
    ("\u00a0", " "),
    ("’", "'"),
    ("‘", "'"),
    ("“", '"'),
    ("”", '"'),
    ("–", "-"),
    ("—", "-"),
    ("…", "..."),
)
_CONTROLS = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\x7f"]
_ASCII_TABLE = str.maketrans(dict.fromkeys(_CONTROLS, None))
_RARE = {
    **dict.fromkeys("‚‛′`", "'"),
    **dict.fromkeys("„‟″«»", '"'),
    **dict.fromkeys("‐‑‒―−", "-"),
    **dict.fromkeys("\u2007\u202f", " "),
    "\u2028": "\n",
    "\u2029": "\n",
}
_RARE_CHARS = re.compile(
    "[" + re.escape("".join(_RARE)) + "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad"
    "\u200b-\u200d\u2060\ufeff\ud800-\udfff]"
)
_UNTIDY = ("  ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", " \n", "\n ", "\n\n")


def require_str(text: object, name: str) -> str:
    """``text`` itself, or a ``TypeError`` naming ``name`` when it is not a str."""
    if not isinstance(text, str):
        raise TypeError(f"{name} expects str, got {type(text).__name__}")
    return text


def normalize_unicode(text: str) -> str:
    """NFKC-normalise, so that non-breaking spaces and compatibility forms become plain."""
    text = require_str(text, "normalize_unicode")
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def normalize_punctuation(text: str) -> str:
    """Straighten quotes, unify dashes and spaces, drop control and zero-width characters.

    Lone surrogates (text decoded with ``surrogateescape``) are dropped too, so that the
    result always encodes to UTF-8.
    """
    text = require_str(text, "normalize_punctuation")
    for char, replacement in _FREQUENT:
        if char in text:
            text = text.replace(char, replacement)
    if text.isascii():
        return text.translate(_ASCII_TABLE)
    return _RARE_CHARS.sub(lambda m: _RARE.get(m.group(), ""), text)


def collapse_whitespace(text: str) -> str:
    """Collapse runs of spaces and tabs to one space; keep single line breaks, drop blank lines.

    Any Unicode line boundary (``str.splitlines``) counts as a line break.
    """
    text = require_str(text, "collapse_whitespace")
    if text.isascii() and not any(untidy in text for untidy in _UNTIDY):
        return text.strip()
    return "\n".join(filter(None, (" ".join(line.split()) for line in text.splitlines())))


def strip_html(text: str) -> str:
    """Remove HTML comments, script/style blocks and tags, then decode entities."""
    text = require_str(text, "strip_html")
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def remove_urls(text: str) -> str:
    """Remove web addresses (``scheme://...`` and ``www....``)."""
    text = require_str(text, "remove_urls")
    if "://" not in text and "www." not in text and "WWW." not in text:
        return text
    return _URL.sub(" ", text)


def remove_emails(text: str) -> str:
    """Remove e-mail addresses."""
    text = require_str(text, "remove_emails")
    return _EMAIL.sub(" ", text) if "@" in text else text


def remove_kremlin_tooltips(text: str) -> str:
    """Keep only the name of each Kremlin person tooltip.

    "Sergei Lavrov Lavrov Sergei Foreign Minister of Russia ," -> "Sergei Lavrov,".
    """
    text = require_str(text, "remove_kremlin_tooltips")
    if not _DOUBLED_NAME.search(text):  # a fast test that skips pages without tooltips
        return text
    return _TOOLTIP.sub(r"\g<first> \g<last>", text)


def remove_kremlin_footer(text: str) -> str:
    """Remove the trailing Kremlin page footer (See also ... Direct link ... Text version)."""
    text = require_str(text, "remove_kremlin_footer")
    cut = end = len(text.rstrip())
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        if not _FOOTER_LINE.fullmatch(text[start:end].strip(" \t\xa0")):
            break
        cut, end = start, start - 1
    return text[:cut].rstrip() if cut < len(text.rstrip()) else text


def remove_datelines(text: str) -> str:
    """Remove news-agency datelines at the start of a line ("MOSCOW (Reuters) -")."""
    text = require_str(text, "remove_datelines")
    if "(" not in text and "/TASS/" not in text:
        return text
    return _DATELINE.sub("", text)


STEPS: dict[str, Step] = {
    "remove_kremlin_tooltips": remove_kremlin_tooltips,
    "remove_kremlin_footer": remove_kremlin_footer,
    "strip_html": strip_html,
    "remove_urls": remove_urls,
    "remove_emails": remove_emails,
    "normalize_punctuation": normalize_punctuation,
    "normalize_unicode": normalize_unicode,
    "remove_datelines": remove_datelines,
    "collapse_whitespace": collapse_whitespace,
}
COMMON_STEPS: tuple[str, ...] = (
    "strip_html",
    "remove_urls",
    "remove_emails",
    "normalize_punctuation",
    "normalize_unicode",
    "collapse_whitespace",
)
SOURCE_STEPS: dict[str, tuple[str, ...]] = {
    "kremlin": ("remove_kremlin_tooltips", "remove_kremlin_footer", *COMMON_STEPS),
    "sotu": COMMON_STEPS,
    "whitehouse": COMMON_STEPS,
}
NEWS_STEPS: tuple[str, ...] = (*COMMON_STEPS[:-1], "remove_datelines", "collapse_whitespace")


def steps_for(source: str | None) -> tuple[str, ...]:
    """The default step names for a source (news datelines for every non-official source)."""
    return SOURCE_STEPS.get(source or "", NEWS_STEPS)


def _resolve(steps: Sequence[str | Step]) -> list[Step]:
    resolved = []
    for step in steps:
        if callable(step):
            resolved.append(step)
        elif step in STEPS:
            resolved.append(STEPS[step])
        else:
            raise ValueError(f"unknown cleaning step {step!r}; known: {', '.join(STEPS)}")
    return resolved


def _apply(functions: Sequence[Step], text: str, name: str) -> str:
    """Run ``functions`` in order on one text (``name`` appears in the TypeError)."""
    text = require_str(text, name)
    for step in functions:
        text = step(text)
    return text


class Cleaner(BaseEstimator, TransformerMixin):
    """Apply cleaning steps in order to each document (a stateless transformer).

    Parameters
    ----------
    steps : sequence of step names (keys of ``STEPS``) or callables ``str -> str``;
        ``None`` means the default steps for ``source``.
    source : corpus source name that picks the default steps (``steps_for``).
    """

    def __init__(self, steps: Sequence[str | Step] | None = None, source: str | None = None):
        self.steps = steps
        self.source = source

    def _functions(self) -> list[Step]:
        return _resolve(self.steps if self.steps is not None else steps_for(self.source))

    def fit(self, X: Iterable[str], y: object = None) -> Cleaner:
        self._functions()  # validate the step names
        return self

    def clean(self, text: str) -> str:
        """Clean one document."""
        return _apply(self._functions(), text, "Cleaner.clean")

    __call__ = clean

    def transform(self, X: Iterable[str]) -> list[str]:
        """Clean each document of ``X``."""
        functions = self._functions()
        return [_apply(functions, text, "Cleaner.transform") for text in X]


def clean_text(text: str, source: str | None = None) -> str:
    """The project's default cleaning of one document's text (``source`` picks extra steps)."""
    return _apply(_resolve(steps_for(source)), text, "clean_text")
