"""Sentences: Punkt's, paragraph by paragraph, with abbreviations kept."""

from __future__ import annotations

from usrussia.text.sentences import split_sentences


def test_split_sentences_keeps_abbreviations() -> None:
    text = "Mr. Putin met U.S. officials in Hamburg. They talked for two hours.\nNext paragraph"
    assert split_sentences(text) == [
        "Mr. Putin met U.S. officials in Hamburg.",
        "They talked for two hours.",
        "Next paragraph",
    ]


# Paragraphs for every path of the sentence splitter: no boundary to consider (one
# sentence ending its paragraph), ellipses and dashes ("--", "...", ". . ."), runs of "?!",
# realigned quotes and brackets, abbreviations, a boundary on the last character.
SPLIT_CASES = (
    "Wait . . . what? Yes. He paused... Then spoke -- and left.",
    'A -- b. C.. d. "Quoted." (Bracketed.) Bye. Hi!!! There?! Ok?!? Sure.',
    "Mr. Putin met U.S. officials. Dr. Smith left at 5 p.m. on Jan. 3. It rained.",
    "One sentence only.",
    "No end at all",
    "Is it?",
    "!!!",
    "...",
    ". . .",
    "?!",
    "Ends. ",
    "  Leading space. Two?  ",
    "Line one.\nLine two. Still two\n\n  \nLast!",
    "He said: \u201cNo.\u201d Then \u2018yes\u2019. \u2026 And then\u2026 more.",
)


def _punkt_sentences(text: str) -> list[str]:
    """What ``split_sentences`` is defined as: the shipped Punkt model on each paragraph."""
    import punkt

    tokenizer = punkt.tokenizer_for("english")
    return [
        s.strip()
        for p in text.splitlines()
        if p.strip()
        for s in tokenizer.tokenize(p)
        if s.strip()
    ]


def test_split_sentences_is_punkts_on_every_kremlin_page() -> None:
    """Skipping Punkt where it has no boundary to consider, its faster dash and ellipsis
    pattern and the paragraph cache change no sentence: all 7,235 raw Kremlin pages."""
    from usrussia.corpus.sources import kremlin

    texts = [r.data["text"] for r in kremlin.iter_records() if isinstance(r.data.get("text"), str)]
    texts += list(SPLIT_CASES)
    assert len(texts) >= 7235
    assert [split_sentences(t) for t in texts] == [_punkt_sentences(t) for t in texts]
