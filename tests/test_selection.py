"""The one table of target names and the selection rules built on it."""

from __future__ import annotations

import re

import pytest

from usrussia.corpus import selection
from usrussia.corpus.selection import (
    RUSSIA_PATTERN,
    TARGETS,
    US_PATTERN,
    count_mentions,
    load_alias_rows,
    russia_related,
    target_patterns,
    us_related,
)
from usrussia.sentiment import target_patterns as sentiment_target_patterns


@pytest.mark.parametrize(
    "text, us, russia",
    [
        ("The US and Russia signed New START.", 1, 1),
        ("Let us talk, he told us.", 0, 0),
        ("U.S. and U.S.A. and U. S. and the United States", 4, 0),
        ("USAID and Russiagate are other words", 0, 0),
        ("Russia's and Russians' views, said the Kremlin in Moscow", 0, 4),
        ("Obama met Medvedev; Lavrov spoke to Kerry.", 2, 2),
        # The longest alias wins: one mention each, not two.
        ("President Vladimir Putin and the United States of America", 1, 1),
        ("Secretary of State Hillary Clinton", 1, 0),
        # An alias of no side is not counted as the side it contains.
        ("Latin America, South America and Latin Americans", 0, 0),
        ("Latin America and America", 1, 0),
        # Quotes and hyphens are word boundaries; the case matters.
        ("'Russia' and US-Russian talks; RUSSIA and us", 1, 2),
        ("the USSR and the Soviet Union", 0, 2),
        ("the Congress of Judges", 0, 0),
    ],
)
def test_mention_counts(text: str, us: int, russia: int) -> None:
    assert count_mentions(text, "united_states") == us
    assert count_mentions(text, "russia") == russia
    assert len(US_PATTERN.findall(text)) == us
    assert len(RUSSIA_PATTERN.findall(text)) == russia


def test_every_alias_counts_once_for_its_own_side_only() -> None:
    rows = load_alias_rows()
    assert {row["target"] for row in rows} == {"", *TARGETS}
    wrong = {
        row["alias"]: {t: count_mentions(row["alias"] + "'s view", t) for t in TARGETS}
        for row in rows
        if any(count_mentions(row["alias"] + "'s view", t) != (t == row["target"]) for t in TARGETS)
    }
    assert wrong == {}


def test_the_selection_terms_are_in_the_table() -> None:
    aliases = {row["alias"]: row["target"] for row in load_alias_rows()}
    us = ["United States", "U.S.", "U.S.A.", "U. S.", "USA", "US", "American", "Americans"]
    us += ["America", "Washington", "White House", "Clinton", "Bush", "Obama", "Trump"]
    us += ["Biden", "Tillerson", "Pompeo", "Kerry", "Blinken"]
    russia = ["Russia", "Russian", "Russians", "Russias", "Putin", "Kremlin", "Moscow"]
    russia += ["Medvedev", "Lavrov", "Peskov", "Shoigu", "Soviet"]
    assert {a: aliases.get(a) for a in us} == dict.fromkeys(us, "united_states")
    assert {a: aliases.get(a) for a in russia} == dict.fromkeys(russia, "russia")


def test_targeted_tone_uses_the_same_patterns() -> None:
    patterns = sentiment_target_patterns()
    assert patterns == {"russia": RUSSIA_PATTERN, "us": US_PATTERN}
    assert not patterns["us"].search("Trade with Latin America grew.")


def test_patterns_come_from_the_table(tmp_path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text(
        "canonical,alias,type,target\n"
        "nord_stream,Nord Stream,project,russia\n"
        "stream,Stream,word,united_states\n"
    )
    own = target_patterns(path)
    assert own["russia"].findall("Nord Stream's gas") == ["Nord Stream's"]
    assert own["united_states"].findall("Nord Stream, a Stream") == ["Stream"]
    assert isinstance(own["russia"], re.Pattern)


def test_bad_targets_are_rejected(tmp_path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("canonical,alias,type,target\nputin,Putin,person,kremlin\n")
    with pytest.raises(ValueError, match="unknown target 'kremlin'"):
        load_alias_rows(path)


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="CHINA_PATTERN"):
        selection.CHINA_PATTERN  # noqa: B018


def test_kremlin_rule_needs_title_or_three_mentions() -> None:
    assert us_related("Telephone conversation with US President Donald Trump", "")
    assert not us_related("Meeting with the Governor", "The American delegation arrived.")
    assert us_related("Meeting", "The United States, Washington and Obama were discussed.")
    assert not us_related("Meeting", "Latin America, South America and North America.")


def test_media_rule_needs_one_mention() -> None:
    assert russia_related("", "Sanctions against Moscow were extended.")
    assert not russia_related("Brexit talks", "No mention of that country here.")
