"""The documented selection rules for US- and Russia-related documents."""

from __future__ import annotations

import pytest

from usrussia.corpus.selection import (
    RUSSIA_PATTERN,
    US_PATTERN,
    count_mentions,
    russia_related,
    us_related,
)


@pytest.mark.parametrize(
    "text, us, russia",
    [
        ("The US and Russia signed New START.", 1, 1),
        ("Let us talk, he told us.", 0, 0),
        ("U.S. and U.S.A. and the United States", 3, 0),
        ("USAID and Russiagate are other words", 0, 0),
        ("Russia's and Russians' views, said the Kremlin in Moscow", 0, 4),
        ("Obama met Medvedev; Lavrov spoke to Kerry.", 2, 2),
    ],
)
def test_mention_counts(text: str, us: int, russia: int) -> None:
    assert count_mentions(text, US_PATTERN) == us
    assert count_mentions(text, RUSSIA_PATTERN) == russia


def test_kremlin_rule_needs_title_or_three_mentions() -> None:
    assert us_related("Telephone conversation with US President Donald Trump", "")
    assert not us_related("Meeting with the Governor", "The American delegation arrived.")
    assert us_related("Meeting", "The United States, Washington and Obama were discussed.")


def test_media_rule_needs_one_mention() -> None:
    assert russia_related("", "Sanctions against Moscow were extended.")
    assert not russia_related("Brexit talks", "No mention of that country here.")
