"""The one table of target names and the documented rules built on it.

This module is the one home of "which words name Russia, which name the United States":
the ``target`` column of ``data/external/entity_aliases.csv`` (read, checked, by
``load_alias_rows``). ``target_patterns`` compiles one matcher per target from it; the
corpus build counts mentions with it (``count_mentions``), relevance is decided with it
(``relevant``), and sentiment's targeted tone picks sentences with the same patterns.

Matching (see ``data/external/entity_aliases.md``): an alias is matched case-sensitively
("US" the country, not "us" the pronoun) as a whole word (a hyphen or quote is a
boundary), with a possessive "'s" or plural "'" going with it; the longest alias at a
position wins, and an alias never counts inside a longer alias of another side
("Latin America" has no target, so its "America" is not the United States).

The rules (see ``data/README.md``):

- Kremlin pages are *US-related* when the title names the US or the text names it at
  least ``KREMLIN_MIN_US_MENTIONS`` times.
- News articles, headlines, State of the Union addresses, White House texts and user
  files are *Russia-related* when the title or text names Russia at least once.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from usrussia import config

ALIAS_COLUMNS = ("canonical", "alias", "type", "target")
TARGETS = ("russia", "united_states")
KREMLIN_MIN_US_MENTIONS = 3
_CANONICAL = re.compile(r"[a-z][a-z0-9_]*")
_END = r"(?:['’]s)?(?!\w)"
# The old names of the two patterns, kept for notebooks and users (see ``__getattr__``).
_PATTERN_NAMES = {"RUSSIA_PATTERN": "russia", "US_PATTERN": "united_states"}


def load_alias_rows(
    path: str | os.PathLike[str] = config.ENTITY_ALIASES_CSV,
) -> list[dict[str, str]]:
    """Read the alias table and check it.

    Parameters
    ----------
    path : the table (columns canonical, alias, type, target).

    Returns
    -------
    list of dict
        One dict per row, values stripped.

    Raises
    ------
    ValueError
        For a missing column, an empty alias, a canonical token that is not
        ``[a-z][a-z0-9_]*``, a target other than ``TARGETS`` or empty, or an alias listed
        twice with different canonical tokens.
    """
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(ALIAS_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(sorted(missing))}")
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in reader]
    seen: dict[str, str] = {}
    for lineno, row in enumerate(rows, start=2):
        alias, canonical = row["alias"], row["canonical"]
        if not alias:
            raise ValueError(f"{path}:{lineno}: empty alias")
        if not _CANONICAL.fullmatch(canonical):
            raise ValueError(f"{path}:{lineno}: bad canonical token {canonical!r}")
        if row["target"] and row["target"] not in TARGETS:
            raise ValueError(f"{path}:{lineno}: unknown target {row['target']!r}")
        if seen.setdefault(alias, canonical) != canonical:
            raise ValueError(f"{path}:{lineno}: {alias!r} maps to two canonical tokens")
    return rows


def trie_regex(words: Iterable[str] | Mapping[str, str]) -> str:
    """A regex alternation of ``words`` factored as a trie, longest match first.

    A trie lets the regex engine reject most positions on the first character, which
    keeps matching fast with a hundred or more aliases.

    Parameters
    ----------
    words : the words, or a mapping of each word to a (zero-width) regex that must hold
        where that word ends.

    Returns
    -------
    str
        The regex source (no anchors or boundaries).
    """
    tails = words if isinstance(words, Mapping) else dict.fromkeys(words, "")
    trie: dict = {}
    for word, tail in tails.items():
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = tail

    def build(node: dict) -> str:
        tail = node.get("")
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return tail or ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if tail is None:
            return body
        return f"(?:{body}|{tail})" if tail else f"(?:{body})?"

    return build(trie)


def _not_inside(alias: str, longer: Sequence[str]) -> str:
    """Lookarounds that stop ``alias`` from matching where it is part of a ``longer`` alias.

    Placed where ``alias`` ends: for "America" inside "Latin America" the text must not
    end in "Latin America"; for "US" inside "US Open" it must not go on with " Open".
    """
    parts = []
    for other in longer:
        for found in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", other):
            before, after = other[: found.end()], other[found.end() :]
            behind, ahead = f"(?<!{re.escape(before)})", f"(?!{re.escape(after)})"
            if not after:
                parts.append(behind)
            elif found.start() == 0:
                parts.append(ahead)
            else:
                parts.append(f"(?:{behind}|{ahead})")
    return "".join(parts)


def _target_pattern(rows: Sequence[dict[str, str]], target: str) -> re.Pattern[str]:
    """The matcher of one target: its aliases, none inside another side's longer alias."""
    mine = sorted({row["alias"] for row in rows if row["target"] == target})
    others = sorted({row["alias"] for row in rows if row["target"] != target})
    tails = {alias: _not_inside(alias, [o for o in others if alias in o]) for alias in mine}
    return re.compile(r"(?<!\w)(?:" + (trie_regex(tails) if tails else "(?!)") + ")" + _END)


@lru_cache(maxsize=8)
def target_patterns(
    path: str | os.PathLike[str] = config.ENTITY_ALIASES_CSV,
) -> dict[str, re.Pattern[str]]:
    """One compiled matcher per target, built from the alias table.

    Parameters
    ----------
    path : the alias table.

    Returns
    -------
    dict
        ``{"russia": pattern, "united_states": pattern}``; each match is one mention.
    """
    rows = load_alias_rows(path)
    return {target: _target_pattern(rows, target) for target in TARGETS}


def count_mentions(text: str, target: str) -> int:
    """How many times ``text`` names ``target``.

    Parameters
    ----------
    text : the text.
    target : ``"russia"`` or ``"united_states"``.

    Returns
    -------
    int
        The number of (non-overlapping) alias matches of that target.
    """
    return sum(1 for _ in target_patterns()[target].finditer(text))


def us_related(title: str, text: str) -> bool:
    """The Kremlin rule: the title names the US, or the text does at least 3 times.

    Parameters
    ----------
    title, text : the cleaned title and text.

    Returns
    -------
    bool
    """
    return bool(target_patterns()["united_states"].search(title)) or (
        count_mentions(text, "united_states") >= KREMLIN_MIN_US_MENTIONS
    )


def russia_related(title: str, text: str) -> bool:
    """The media rule: the title or the text names Russia at least once.

    Parameters
    ----------
    title, text : the cleaned title and text.

    Returns
    -------
    bool
    """
    pattern = target_patterns()["russia"]
    return bool(pattern.search(title) or pattern.search(text))


# The rule of each source whose documents are selected differently from the media rule.
RULES = {"kremlin": us_related}
RULE_WORDS = {
    us_related: (
        f"the title names the US, or the text does at least {KREMLIN_MIN_US_MENTIONS} times"
    ),
    russia_related: "the title or the text names Russia at least once",
}


def rule_of(source: str) -> str:
    """The selection rule of ``source``'s documents, in words (what ``relevant`` applies)."""
    return RULE_WORDS[RULES.get(source, russia_related)]


def names_of_targets() -> list[tuple[str, str]]:
    """Each target of the alias table with the names that match it, as (target, names)."""
    names: dict[str, list[str]] = {}
    for row in load_alias_rows():
        if row["target"]:
            names.setdefault(row["target"], []).append(row["alias"])
    return [(target, ", ".join(sorted(found))) for target, found in sorted(names.items())]


def relevant(source: str, title: str, text: str) -> bool:
    """Whether a document is in scope: its source's rule (``RULES``), else ``russia_related``.

    The one place relevance is decided; the corpus build applies it to the cleaned title
    and text.

    Parameters
    ----------
    source : the document's source (``kremlin``, ``news_articles``, ...).
    title, text : the cleaned title and text.

    Returns
    -------
    bool
    """
    return RULES.get(source, russia_related)(title, text)


def __getattr__(name: str) -> re.Pattern[str]:
    """``RUSSIA_PATTERN`` and ``US_PATTERN``: the shipped table's matchers, built on use."""
    if name in _PATTERN_NAMES:
        return target_patterns()[_PATTERN_NAMES[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
