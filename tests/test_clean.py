"""Cleaning steps on real pages of the shipped corpus, plus the any-string property."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.pipeline import make_pipeline

from usrussia.corpus.sources import kremlin
from usrussia.text import clean
from usrussia.text.clean import Cleaner, clean_text

TOOLTIP_LEFT = re.compile(r"\b([A-Z][\w'-]+) ([A-Z][\w'-]+) \2 \1\b")


@pytest.fixture(scope="module")
def pages() -> dict[str, dict]:
    """The raw Kremlin pages (before any cleaning), by page id."""
    with gzip.open(kremlin.PATH, "rt", encoding="utf-8") as fh:
        return {str(page["id"]): page for page in map(json.loads, fh)}


# --- Kremlin tooltips -------------------------------------------------------------------


def test_tooltip_case_from_the_issue() -> None:
    text = "Foreign Minister Sergei Lavrov Lavrov Sergei Foreign Minister of Russia"
    assert clean.remove_kremlin_tooltips(text) == "Foreign Minister Sergei Lavrov"


def test_tooltip_on_a_real_page_keeps_the_name_and_the_full_stop(pages) -> None:
    raw = pages["9206"]["text"]
    assert "Sergei Lavrov Lavrov Sergei Foreign Minister of Russia ." in raw
    cleaned = clean_text(raw, source="kremlin")
    assert "Foreign Minister Sergei Lavrov." in cleaned
    assert "Lavrov Lavrov" not in cleaned and "William Hague Hague" not in cleaned
    assert "Mr Hague will be in Moscow" in cleaned


def test_tooltip_title_followed_by_body_text(pages) -> None:
    raw = pages["7972"]["text"]
    cleaned = clean.remove_kremlin_tooltips(raw)
    assert "Angela Merkel also focused on\xa0possibilities" in cleaned
    assert "Federal Chancellor of Germany also" not in cleaned


def test_tooltip_lists_separated_by_spaced_commas() -> None:
    # As on the Security Council pages: several tooltips in a row.
    text = (
        "Foreign Minister Sergei Lavrov Lavrov Sergei Foreign Minister of Russia , "
        "Defence Minister Sergei Shoigu Shoigu Sergei Defence Minister , "
        "Dmitry Medvedev, Angela Merkel Merkel Angela Federal Chancellor of Germany and "
        "Nicolas Sarkozy Sarkozy Nicolas issued a\xa0joint statement"
    )
    assert clean.remove_kremlin_tooltips(text) == (
        "Foreign Minister Sergei Lavrov, Defence Minister Sergei Shoigu, "
        "Dmitry Medvedev, Angela Merkel and Nicolas Sarkozy issued a\xa0joint statement"
    )


def test_no_tooltip_is_left_on_any_page(pages) -> None:
    texts = [page["text"] or "" for page in pages.values()]
    before = sum(len(TOOLTIP_LEFT.findall(t)) for t in texts)
    after = sum(len(TOOLTIP_LEFT.findall(clean.remove_kremlin_tooltips(t))) for t in texts)
    assert before == 2523  # measured on the shipped file
    assert after == 0


def test_ordinary_repeated_words_are_not_tooltips() -> None:
    text = "Walla Walla is a city. New York New York"
    assert clean.remove_kremlin_tooltips(text) == text


# --- Kremlin footer ---------------------------------------------------------------------


def test_footer_of_page_6152(pages) -> None:
    raw = pages["6152"]["text"]
    assert raw.endswith(
        "Topics\nPublication status\nPublished in\xa0section: News\n"
        "Publication date: November 29, 2009, 15:50\nDirect link: en.kremlin.ru/d/6152\n"
        "Text version"
    )
    cleaned = clean.remove_kremlin_footer(raw)
    assert cleaned.endswith("its supreme interests.")
    assert raw.startswith(cleaned)


def test_footer_removed_from_every_page(pages) -> None:
    texts = [page["text"] or "" for page in pages.values()]
    with_footer = [t for t in texts if t.rstrip().endswith("Text version")]
    assert len(with_footer) == 6474  # the issue counted 6,480; the shipped file has 6,474
    cleaned = [clean.remove_kremlin_footer(t) for t in texts]
    assert not any("Publication status" in t or t.endswith("Text version") for t in cleaned)
    # truncated footers ("See also" / "Additional" with nothing after) go too
    assert sum(a != b for a, b in zip(texts, cleaned, strict=True)) == 6509


def test_page_with_only_a_footer_becomes_empty(pages) -> None:
    assert clean_text(pages["9261"]["text"], source="kremlin") == ""


def test_footer_words_inside_the_text_stay() -> None:
    text = "Topics\nThe Topics of the talks were set.\nText version"
    assert clean.remove_kremlin_footer(text) == "Topics\nThe Topics of the talks were set."


# --- news datelines ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # first lines of real articles in the 2017 news set
        (
            "Washington (CNN)President Donald Trump said",
            "President Donald Trump said",
        ),
        (
            "Export dropped 18.2%\nMOSCOW, February 7. /TASS/. Russia's foreign trade turnover",
            "Export dropped 18.2%\nRussia's foreign trade turnover",
        ),
        ("Kabul, Afghanistan (CNN)At least", "At least"),
        ("LOS ANGELES (Variety.com) - The film", "The film"),
        ("MOSCOW (Reuters) - Russia said on Monday", "Russia said on Monday"),
    ],
)
def test_datelines(raw: str, expected: str) -> None:
    assert clean.remove_datelines(raw) == expected
    assert clean_text(raw, source="news_articles") == expected


def test_dateline_only_at_line_start() -> None:
    text = "He told reporters in Moscow (Reuters) that"
    assert clean.remove_datelines(text) == text


def test_corpus_news_has_no_cnn_datelines(corpus) -> None:
    cnn = corpus.loc[corpus["outlet"] == "cnn.com", "text"]
    assert len(cnn) > 100
    assert not cnn.str.contains(r"(?m)^(?:[A-Z][\w.,' -]*)?\(CNN\)").any()


# --- the generic steps ------------------------------------------------------------------


def test_normalize_punctuation_on_a_kremlin_sentence(pages) -> None:
    raw = pages["9254"]["text"]
    assert "the\xa0city’s new mayor" in raw
    cleaned = clean_text(raw, source="kremlin")
    assert "the city's new mayor" in cleaned
    assert not any(ch in cleaned for ch in "\xa0’‘“”–—")


def test_normalize_punctuation_drops_controls_and_surrogates() -> None:
    text = "a\x00b\u200bc\ud800d “e” – f…\x7f"
    assert clean.normalize_punctuation(text) == 'abcd "e" - f...'


def test_normalize_unicode_nfkc() -> None:
    assert clean.normalize_unicode("ﬁnance ＵＳ ²") == "finance US 2"


def test_strip_html() -> None:
    text = "<p>Putin &amp; Trump</p><!-- x --><script>var a=1;</script> a < b > c <…>"
    assert clean.collapse_whitespace(clean.strip_html(text)) == "Putin & Trump a < b > c <…>"


def test_remove_urls_and_emails() -> None:
    text = "See https://en.kremlin.ru/d/6152?x=1 or www.example.com, write to press@kremlin.ru."
    cleaned = clean.collapse_whitespace(clean.remove_emails(clean.remove_urls(text)))
    assert cleaned == "See or write to ."


def test_collapse_whitespace_keeps_paragraphs() -> None:
    assert clean.collapse_whitespace("  a \t b \n\n \n c  \r\n d ") == "a b\nc\nd"


# --- the configurable cleaner -----------------------------------------------------------


def test_cleaner_steps_and_order() -> None:
    text = "<b>Mr Putin</b>  met   press@kremlin.ru"
    assert Cleaner(steps=["strip_html", "collapse_whitespace"]).clean(text) == (
        "Mr Putin met press@kremlin.ru"
    )
    assert Cleaner(steps=["remove_emails", "collapse_whitespace"]).clean(text) == (
        "<b>Mr Putin</b> met"
    )
    assert Cleaner(steps=[str.upper]).clean("a") == "A"
    with pytest.raises(ValueError, match="unknown cleaning step"):
        Cleaner(steps=["no_such_step"]).fit([])


def test_cleaner_default_matches_clean_text_and_works_in_a_pipeline(pages) -> None:
    raws = [pages[i]["text"] for i in ("6152", "9206", "9254")]
    expected = [clean_text(t, "kremlin") for t in raws]
    assert Cleaner(source="kremlin").fit_transform(raws) == expected
    pipe = make_pipeline(Cleaner(source="kremlin"))
    assert pipe.fit_transform(raws) == expected


def test_clean_text_is_deterministic_and_idempotent_on_real_pages(pages) -> None:
    for page in list(pages.values())[::50]:
        once = clean_text(page["text"], "kremlin")
        assert clean_text(page["text"], "kremlin") == once
        assert clean_text(once, "kremlin") == once


def test_built_corpus_is_clean(corpus) -> None:
    kremlin_texts = corpus.loc[corpus["source"] == "kremlin", "text"]
    assert not kremlin_texts.str.contains("Publication status|Direct link: en.kremlin").any()
    assert not corpus["text"].str.contains("\xa0").any()


# --- any string in, no exception out ---------------------------------------------------

FUNCTIONS = [*clean.STEPS.values()]
SPECIAL = st.sampled_from(
    [
        "",
        "   \n\t ",
        "\x00",
        "\ud800",
        "\udfff lone",
        "Путин и США",
        "普京",
        "بوتين",
        "Sergei Lavrov Lavrov Sergei Foreign Minister of Russia ,",
        "\nTopics\nPublication status\nText version",
        "MOSCOW (Reuters) -",
        "<a href='x'>",
        "&#xD800;",
        "&#0;",
    ]
)
ANY_TEXT = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=())), SPECIAL), max_size=8
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT, st.sampled_from([None, "kremlin", "sotu", "news_articles", "user"]))
def test_any_string_goes_through_every_cleaning_function(text: str, source: str | None) -> None:
    for function in FUNCTIONS:
        assert isinstance(function(text), str)
    cleaned = clean_text(text, source)
    cleaned.encode("utf-8")  # no lone surrogate survives: the corpus can be written
    assert Cleaner(source=source).transform([text]) == [cleaned]


def test_ten_megabytes_of_mixed_input() -> None:
    unit = "Sergei Lavrov Lavrov Sergei\xa0Путин\x00 \ud800 “US” <b>x</b> www.a.b\n"
    text = unit * (10_000_000 // len(unit))
    for function in FUNCTIONS:
        assert isinstance(function(text), str)
    assert "Путин" in clean_text(text, "kremlin")


@pytest.mark.parametrize("bad", [None, b"bytes", 42, ["a"]])
def test_non_str_is_a_type_error(bad: object) -> None:
    for function in [*FUNCTIONS, clean_text, Cleaner().clean]:
        with pytest.raises(TypeError, match="expects str"):
            function(bad)
