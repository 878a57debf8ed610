"""Study files: TOML to a Study, every key of the shipped study read, bad files refused naming
the key, and the declarative filters on a real corpus slice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from usrussia import config
from usrussia.corpus.records import InputError
from usrussia.study import filter_mask, group_labels, in_scope, load_study, parse_study, select
from usrussia.study.load import sha256_text

MINIMAL = '[study]\ncorpus = "corpus.parquet"\n'


def test_the_shipped_study_reads_with_every_comparison() -> None:
    study = load_study(config.SHIPPED_STUDY)
    assert study.corpus == config.CORPUS_PARQUET.resolve()
    assert study.events == config.EVENTS_CSV.resolve()
    assert study.outlet_groups == config.OUTLET_GROUPS_CSV.resolve()
    assert study.seed == config.SEED and study.measure == "score"
    kinds = [c.kind for c in study.comparisons]
    assert kinds.count("groups") == 8 and kinds.count("event") == 1 and kinds.count("pooled") == 1
    headlines = next(c for c in study.comparisons if c.unit == "headline")
    assert headlines.by is None and set(headlines.groups) <= set(study.groups)
    assert study.text == config.SHIPPED_STUDY.read_text(encoding="utf-8")
    assert len(sha256_text(study.text)) == 64


def test_defaults_and_paths_relative_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "mine.toml"
    path.parent.mkdir()
    path.write_text(MINIMAL, encoding="utf-8")
    study = load_study(path)
    assert study.name == "mine" and study.corpus == (path.parent / "corpus.parquet").resolve()
    assert study.scope == {} and study.comparisons == () and study.coding is None
    assert study.window_days == 7 and study.widths == (3, 7, 14, 30)
    assert study.events == config.EVENTS_CSV.resolve()


def test_filters_of_every_kind() -> None:
    study = parse_study(
        MINIMAL + '[scope]\nsource = ["a", "b"]\nrelevant = true\n'
        'date = { from = "2017-01-01", to = 2017-12-31 }\nn_words = 5\n'
    )
    assert study.scope == {
        "source": ("a", "b"),
        "relevant": True,
        "date": (dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        "n_words": (5,),
    }


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[study]\nseed = 1\n", "study.corpus is required"),
        (MINIMAL + "[studdy]\n", "studdy: unknown key"),
        (MINIMAL.replace("corpus =", "seed = 'x'\ncorpus ="), "study.seed: must be int"),
        (MINIMAL + "[dedup]\nthreshold = 1.5\n", "dedup.threshold: must be a number in (0, 1]"),
        (MINIMAL + "[events]\nwindow_days = 0\n", "events.window_days: must be a positive"),
        (MINIMAL + "[scope]\ndate = { from = 'last year' }\n", "scope.date: dates are YYYY-MM-DD"),
        (MINIMAL + "[scope]\ndate = { since = 2017-01-01 }\n", "scope.date.since: unknown key"),
        (MINIMAL + "[scope]\nsource = []\n", "scope.source: must be a value, a non-empty list"),
        (MINIMAL + '[study]\nmeasure = "tone"\n', "not valid TOML"),
        (MINIMAL.replace("corpus =", 'measure = "tone"\ncorpus ='), "unknown measure 'tone'"),
        (MINIMAL + '[[comparisons]]\nname = "x"\n', "comparisons[0].groups: is required"),
        (
            MINIMAL + '[[comparisons]]\nname = "x"\nby = "era"\ngroups = ["a"]\n',
            "comparisons[0].groups: must name two different groups",
        ),
        (
            MINIMAL + '[[comparisons]]\nname = "x"\ngroups = ["a", "b"]\n',
            "'a' is not a [groups] table (or give `by`)",
        ),
        (
            MINIMAL
            + '[[comparisons]]\nname = "x"\nby = "era"\ngroups = ["a", "b"]\nmeaures = []\n',
            "comparisons[0].meaures: unknown key",
        ),
        (
            MINIMAL
            + '[[comparisons]]\nname = "x"\nby = "era"\ngroups = ["a", "b"]\nunit = "word"\n',
            "comparisons[0].unit: must be one of document, headline, sentences",
        ),
        (
            MINIMAL
            + '[[comparisons]]\nname = "x"\nby = "era"\ngroups = ["a", "b"]\nunit = "sentences"\n',
            'comparisons[0].target: unit = "sentences" needs a target',
        ),
        (
            MINIMAL + '[[comparisons]]\nname = "x"\nkind = "pooled"\ngroups = ["a", "b"]\n',
            "comparisons[0].by: a pooled comparison needs `by`",
        ),
        (
            MINIMAL + '[[comparisons]]\nname = "x"\nby = "era"\ngroups = ["a", "b"]\n'
            "controls = ['source']\n",
            "comparisons[0].controls[0]: must be a list of column names",
        ),
        (MINIMAL + '[validation]\nlevel = "scale"\n', "validation.level: must be one of nominal"),
    ],
)
def test_a_bad_study_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_study(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and key in message and "\n" not in message.strip()
    assert caught.value.parameter == "study"


def test_a_missing_study_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="study file not found"):
        load_study(tmp_path / "none.toml")


@pytest.fixture(scope="module")
def slice_(corpus: pd.DataFrame) -> pd.DataFrame:
    """Every news article of the shipped corpus and the Kremlin pages of 2017."""
    kremlin = corpus[(corpus["source"] == "kremlin") & (corpus["date"].dt.year == 2017)]
    return pd.concat([corpus[corpus["source"] == "news_articles"], kremlin], ignore_index=True)


def test_filter_mask_on_a_real_slice(slice_: pd.DataFrame) -> None:
    spec = parse_study(
        MINIMAL + '[scope]\nsource = "kremlin"\nrelevant = true\n'
        "date = { from = 2017-07-01, to = 2017-07-31 }\n"
    ).scope
    kept = select(slice_, spec)
    expected = slice_[
        (slice_["source"] == "kremlin")
        & slice_["relevant"]
        & (slice_["date"] >= "2017-07-01")
        & (slice_["date"] < "2017-08-01")
    ]
    assert len(kept) > 0 and kept.index.equals(expected.index)
    assert filter_mask(slice_, {}).all()
    with pytest.raises(KeyError, match="colour"):
        filter_mask(slice_, {"colour": ("red",)})


def test_in_scope_adds_outlet_groups_and_named_groups_label(slice_: pd.DataFrame) -> None:
    study = load_study(config.SHIPPED_STUDY)
    documents = in_scope(study, slice_)
    news = documents[documents["source"] == "news_articles"]
    assert set(news.loc[news["outlet"] == "tass.com", "outlet_group"]) == {"Russian state media"}
    assert news.loc[news["outlet"] == "cnn.com", "outlet_group"].eq("Western").all()
    assert documents.loc[documents["source"] == "kremlin", "outlet_group"].isna().all()
    by_column = group_labels(news, study, "outlet_group", ("Western", "Russian state media"))
    assert by_column[news["outlet"].str.contains("chinadaily")].isna().all()
    named = group_labels(documents, study, None, ("obama r/worldnews", "trump1 outlets"))
    assert named.value_counts().to_dict() == {
        "trump1 outlets": int(((news["era"] == "trump1") & news["relevant"]).sum())
    }
