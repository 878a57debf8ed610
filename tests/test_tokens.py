"""Tokens: word tokens, the alias table, stopwords, stems, n-grams."""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from usrussia import config
from usrussia.text.sentences import split_sentences
from usrussia.text.tokens import (
    AliasMatcher,
    TextAnalyzer,
    alias_matcher,
    load_aliases,
    load_stopwords,
    ngrams,
    word_tokenize,
)


def test_word_tokenize_keeps_case_and_hyphens_drops_numbers() -> None:
    text = "On July 7, 2017, Vladimir Putin held anti-terrorism talks (G20)."
    assert word_tokenize(text) == [
        "On",
        "July",
        "Vladimir",
        "Putin",
        "held",
        "anti-terrorism",
        "talks",
        "G20",
    ]


# --- the alias table --------------------------------------------------------------------


def test_every_alias_in_the_table_gives_its_canonical_token() -> None:
    table = load_aliases()
    assert len(table) >= 150
    analyzer = TextAnalyzer(stopwords=None, min_length=1)
    wrong = {alias: analyzer(alias) for alias, canon in table.items() if analyzer(alias) != [canon]}
    assert wrong == {}


def test_alias_table_rows_are_well_formed() -> None:
    with open(config.ENTITY_ALIASES_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["target"] for r in rows} <= {"russia", "united_states", ""}
    aliases = [r["alias"] for r in rows]
    assert len(aliases) == len(set(aliases))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vladimir Putin", ["putin"]),
        ("President Putin's decision", ["putin", "decision"]),
        ("Putin’s decision", ["putin", "decision"]),
        ("U.S., US, United States, America", ["united_states"] * 4),
        ("Let us talk to the US", ["let", "us", "talk", "to", "the", "united_states"]),
        ("US-Russian relations", ["united_states", "russian", "relations"]),
        ("Latin America and South America", ["latin_america", "and", "south_america"]),
        ("Americas", ["americas"]),
        ("Bill Clinton", ["bill_clinton"]),
        ("Secretary of State Hillary Clinton", ["hillary_clinton"]),
        ("Clinton", ["clinton"]),
        ("the White House", ["the", "white_house"]),
        ("the foreign minister, the Foreign Minister", ["the", "foreign_minister"] * 2),
        ("G-20 and G20 summit", ["g20", "and", "g20", "summit"]),
        ("Trumpet Putinism", ["trumpet", "putinism"]),
    ],
)
def test_aliasing(text: str, expected: list[str]) -> None:
    assert TextAnalyzer(stopwords=None, min_length=1)(text) == expected


def test_aliases_on_a_real_corpus_sentence(corpus) -> None:
    text = corpus.loc[corpus["doc_id"] == "kremlin-9206", "text"].iloc[0]
    tokens = TextAnalyzer()(text)
    assert "lavrov" in tokens and "foreign_minister" in tokens
    assert "sergei" not in tokens  # "Sergei Lavrov" is one token


def test_bad_alias_tables_are_rejected(tmp_path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("canonical,alias,type,target\nPutin Man,Putin,person,russia\n")
    with pytest.raises(ValueError, match="bad canonical token"):
        load_aliases(path)
    path.write_text("canonical,alias,type,target\nputin,Putin,person,\nvvp,Putin,person,\n")
    with pytest.raises(ValueError, match="two canonical tokens"):
        load_aliases(path)
    path.write_text("canonical,alias\nputin,Putin\n")
    with pytest.raises(ValueError, match="missing columns"):
        load_aliases(path)


def test_own_alias_table(tmp_path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("canonical,alias,type,target\nnord_stream,Nord Stream 2,project,\n")
    assert TextAnalyzer(aliases=path)("Nord Stream 2 pipeline") == ["nord_stream", "pipeline"]
    assert AliasMatcher({}).sub("Putin") == "Putin"


# --- stopwords, stems, n-grams ----------------------------------------------------------


def test_stopword_lists() -> None:
    both = load_stopwords("english+domain")
    assert {"the", "said", "mr", "thank", "january"} <= both
    assert not {"bill", "un", "interest", "system"} & both  # kept: content in this domain
    assert load_stopwords("english") | load_stopwords("domain") == both
    with pytest.raises(ValueError, match="unknown stopword list"):
        load_stopwords("klingon")


def test_stopwords_never_drop_alias_tokens() -> None:
    tokens = TextAnalyzer(stopwords=["putin", "talks", "with"])("Putin talks with Trump")
    assert tokens == ["putin", "trump"]


def test_stemming_is_optional_cached_and_spares_alias_tokens() -> None:
    analyzer = TextAnalyzer(stem=True)
    text = "Negotiations on Ukraine: negotiators negotiated with the United States"
    assert analyzer(text) == ["negoti", "ukraine", "negoti", "negoti", "united_states"]
    assert analyzer._stems["negotiations"] == "negoti"  # cached per distinct token
    assert TextAnalyzer()(text)[0] == "negotiations"


def test_surface_forms_give_the_most_frequent_form() -> None:
    texts = ["negotiations negotiations negotiated", "sanctions sanction"]
    surface = TextAnalyzer(stem=True).surface_forms(texts)
    assert surface["negoti"] == "negotiations"
    assert surface["sanction"] == "sanction"  # tie 1:1 goes to the alphabetically first


def test_ngrams() -> None:
    assert ngrams(["a", "b", "c"], 1, 2) == ["a", "b", "c", "a b", "b c"]
    assert ngrams(["a", "b", "c"], 2, 3) == ["a b", "b c", "a b c"]
    assert TextAnalyzer(ngram_range=(2, 2))("Putin met Trump in Hamburg") == [
        "putin met",
        "met trump",
        "trump hamburg",
    ]
    with pytest.raises(ValueError, match="ngram_range"):
        TextAnalyzer(ngram_range=(2, 1))("x")


def test_analyzer_is_a_clonable_estimator_and_cleans_on_request() -> None:
    analyzer = TextAnalyzer(stem=True, ngram_range=(1, 2))
    copy = clone(analyzer)
    assert copy.get_params() == analyzer.get_params()
    raw = "Sergei Lavrov Lavrov Sergei Foreign Minister of Russia\nTopics\nText version"
    assert TextAnalyzer(clean=True, source="kremlin")(raw) == ["lavrov"]
    assert TextAnalyzer().transform(["Putin", "Trump"]) == [["putin"], ["trump"]]
    cased = TextAnalyzer(lowercase=False)
    assert cased("President Trump met Officials") == ["trump", "met", "Officials"]


def test_min_length() -> None:
    assert TextAnalyzer(stopwords=None)("a EU x") == ["european_union"]
    assert TextAnalyzer(stopwords=None, min_length=1)("a x") == ["a", "x"]


# --- any string in, no exception out ---------------------------------------------------

ANY_TEXT = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=())),
        st.sampled_from(["", "\x00", "\ud800", "Путин and США", "U.S.'s", "Putin's'", " - "]),
    ),
    max_size=8,
).map("".join)
ANALYZERS = [
    TextAnalyzer(),
    TextAnalyzer(stem=True, ngram_range=(1, 3), clean=True, source="kremlin"),
    TextAnalyzer(aliases=False, stopwords=None, lowercase=False, min_length=1),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_any_string_goes_through_every_tokenising_function(text: str) -> None:
    assert all(isinstance(s, str) for s in split_sentences(text))
    assert all(isinstance(t, str) for t in word_tokenize(text))
    assert isinstance(alias_matcher().sub(text), str)
    for analyzer in ANALYZERS:
        assert all(isinstance(t, str) for t in analyzer(text))


def test_ten_megabytes() -> None:
    unit = "Vladimir Putin\x00 met \ud800 the U.S. Путин 普京 president.\n"
    text = unit * (10_000_000 // len(unit))
    assert len(split_sentences(text)) > 100_000
    assert TextAnalyzer(stem=True)(text).count("putin") == 10_000_000 // len(unit)
    assert len(word_tokenize(text)) > 1_000_000


@pytest.mark.parametrize("bad", [None, b"bytes", 3.5])
def test_non_str_is_a_type_error(bad: object) -> None:
    for function in (split_sentences, word_tokenize, alias_matcher().sub, TextAnalyzer()):
        with pytest.raises(TypeError, match="expects str"):
            function(bad)


def test_word_tokenize_is_nltks_regexp_tokenizer(corpus) -> None:
    """The stdlib engine is used only where it gives NLTK's tokens: every text of the
    corpus' long-text sources, lower-cased too, and characters the two engines class apart
    (combining marks, superscripts, fractions, Roman numerals, other scripts' digits)."""
    from nltk.tokenize import RegexpTokenizer

    from usrussia.text.tokens import TOKEN_PATTERN

    nltk_tokenizer = RegexpTokenizer(TOKEN_PATTERN)
    texts = corpus.loc[corpus["source"] != "reddit_worldnews", "text"].tolist()
    texts += [t.lower() for t in texts[:2000]]
    texts += [
        "e\u0301te\u0301 caf\u00e9 x\u00b2 \u00bd \u2160 \u0661\u0662 a\u0662",
        "na\u00efve \u01c5emal",
        "co\u0336ld \u2764\ufe0f U\u0304S \u00aa\u00ba 1st-class anti-\u00e9lite",
        "\u041c\u043e\u0441\u043a\u0432\u0430 \u5317\u4eac \u0928\u092e\u0938\u094d\u0924\u0947",
    ]
    assert [word_tokenize(t) for t in texts] == [nltk_tokenizer.tokenize(t) for t in texts]
