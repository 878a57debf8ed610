"""The default study for any corpus: what it declares for corpora cut from the shipped data
under source names the shipped study never saw (two eras of different kinds, one era, no
dates, five documents), that it always reads and passes ``check_study``, the rules one by
one, and pointing a study at another corpus (a sample)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from usrussia import config
from usrussia.corpus import write_corpus
from usrussia.corpus.records import InputError
from usrussia.study import (
    check_study,
    default_study,
    load_study,
    parse_study,
    study_for_corpus,
    with_corpus,
)
from usrussia.study.defaults import toml, where


def relevant(corpus: pd.DataFrame, source: str, era: str | None = None) -> pd.DataFrame:
    docs = corpus[(corpus["source"] == source) & corpus["relevant"]]
    return docs if era is None else docs[docs["era"] == era]


def cut(frame: pd.DataFrame, path: Path, source: str) -> Path:
    """``frame`` as a corpus of its own, under a source name the notebooks never saw."""
    return write_corpus(frame.assign(source=source).reset_index(drop=True), path)


def studied(path: Path) -> tuple[str, list[dict]]:
    """The default study of a corpus: its text (checked to pass) and its comparisons."""
    text = default_study(path)
    check_study(parse_study(text))
    return text, tomllib.loads(text).get("comparisons", [])


def test_two_eras_of_different_kinds(corpus: pd.DataFrame, tmp_path: Path) -> None:
    """Obama-era headlines and Trump-era articles under one source: the issue's new user."""
    headlines = relevant(corpus, "reddit_worldnews", "obama").head(150)
    articles = relevant(corpus, "news_articles", "trump1").head(150)
    path = cut(pd.concat([headlines, articles]), tmp_path / "mine.parquet", "mycoverage")
    text, comparisons = studied(path)
    era, outlets = comparisons
    assert era["name"] == "mycoverage: obama vs trump1"
    assert era["filter"] == {"source": "mycoverage", "relevant": True}
    assert (era["by"], era["groups"], era["strata"]) == ("era", ["obama", "trump1"], "outlet")
    assert era["measures"][0] == "score" and era["keyness"] is True
    # The outlet-group table knows the outlets: the two largest groups, in the same weeks.
    groups = pd.read_csv(config.OUTLET_GROUPS_CSV).set_index("outlet")["group"]
    largest = articles["outlet"].map(groups).value_counts().index[:2].tolist()
    assert (outlets["by"], outlets["groups"]) == ("outlet_group", largest)
    assert outlets["same_weeks"] is True and outlets["controls"] == [["week"]]
    assert tomllib.loads(text)["outlet_groups"]["path"] == config.OUTLET_GROUPS_CSV.as_posix()


def test_one_era_says_so_and_compares_outlets(corpus: pd.DataFrame, tmp_path: Path) -> None:
    path = cut(relevant(corpus, "news_articles", "trump1"), tmp_path / "one.parquet", "wire")
    text, comparisons = studied(path)
    assert "# wire: only the trump1 era; no comparison across eras can be made." in text
    assert [c["by"] for c in comparisons] == ["outlet_group"]


def test_undated_corpus_has_no_comparison_and_says_why(
    corpus: pd.DataFrame, tmp_path: Path
) -> None:
    undated = relevant(corpus, "kremlin").head(200).assign(date=pd.NaT, era=None)
    text, comparisons = studied(cut(undated, tmp_path / "undated.parquet", "pressoffice"))
    assert comparisons == []
    assert "# pressoffice: no dated documents, so no eras; no comparison" in text
    assert "# Nothing in this corpus can be compared by default" in text
    assert "outlet_groups" not in tomllib.loads(text)


def test_five_documents(corpus: pd.DataFrame, tmp_path: Path) -> None:
    sotu = corpus[corpus["source"] == "sotu"]
    five = pd.concat([sotu[sotu["era"] == "obama"].head(2), sotu[sotu["era"] == "trump1"].head(3)])
    _, comparisons = studied(cut(five, tmp_path / "five.parquet", "speeches"))
    (only,) = comparisons
    assert only["groups"] == ["obama", "trump1"] and only["windows"] is False
    expected = {"score"}
    for column, measure in (("n_russia_mentions", "tone_russia"), ("n_us_mentions", "tone_us")):
        units = five[five["relevant"]] if "relevant" in only["filter"] else five
        if units.groupby("era")[column].max().min() > 0:
            expected.add(measure)
    assert set(only["measures"]) == expected


def test_the_shipped_corpus_default(corpus: pd.DataFrame) -> None:
    text, comparisons = studied(config.CORPUS_PARQUET)
    names = [c["name"] for c in comparisons]
    # Consecutive eras present per source; the seed's one era is named in a comment.
    assert names[:3] == [
        "kremlin: clinton vs bush",
        "kremlin: bush vs obama",
        "kremlin: obama vs trump1",
    ]
    assert "sotu: biden vs trump2" in names and "# seed: only the trump1 era" in text
    assert "news_articles: Western vs Russian state media" in names
    windows = {c["name"]: c["windows"] for c in comparisons if "windows" in c}
    assert windows["kremlin: obama vs trump1"] is True  # Obama- and Trump-era meetings
    assert windows["kremlin: clinton vs bush"] is False  # the table has no Clinton meeting


def test_eras_are_paired_in_order_of_those_present(corpus: pd.DataFrame, tmp_path: Path) -> None:
    pages = relevant(corpus, "kremlin")
    path = cut(pages[pages["era"].isin(["bush", "trump1"])], tmp_path / "gap.parquet", "k")
    assert [c["groups"] for c in studied(path)[1]] == [["bush", "trump1"]]


def test_relevance_only_when_every_era_has_relevant_documents(
    corpus: pd.DataFrame, tmp_path: Path
) -> None:
    pages = corpus[(corpus["source"] == "kremlin") & corpus["era"].isin(["obama", "trump1"])]
    both = cut(pages, tmp_path / "both.parquet", "k")
    assert studied(both)[1][0]["filter"] == {"source": "k", "relevant": True}
    obama_none = pages[~pages["relevant"] | (pages["era"] == "trump1")]
    assert not obama_none[obama_none["era"] == "obama"]["relevant"].any()
    only = cut(obama_none, tmp_path / "only.parquet", "k")
    assert studied(only)[1][0]["filter"] == {"source": "k"}


def test_windows_need_documents_near_meetings_of_both_eras(
    corpus: pd.DataFrame, tmp_path: Path
) -> None:
    pages = relevant(corpus, "kremlin")
    pages = pages[pages["era"].isin(["obama", "trump1"])]
    assert studied(cut(pages, tmp_path / "near.parquet", "k"))[1][0]["windows"] is True
    events = pd.read_csv(config.EVENTS_CSV, parse_dates=["date"])
    meetings = events.loc[events["date"].between("2009-01-20", "2017-01-19"), "date"]
    far = pages[
        ~pages["date"].apply(lambda d: bool((abs(meetings - d) <= pd.Timedelta(days=8)).any()))
    ]
    (only,) = studied(cut(far, tmp_path / "far.parquet", "k"))[1]
    assert only["windows"] is False and only["sensitivity"] is False


def test_targeted_tone_only_where_both_eras_name_the_target(
    corpus: pd.DataFrame, tmp_path: Path
) -> None:
    pages = relevant(corpus, "kremlin")
    pages = pages[pages["era"].isin(["obama", "trump1"])].copy()
    pages.loc[pages["era"] == "obama", "n_russia_mentions"] = 0
    (only,) = studied(cut(pages, tmp_path / "t.parquet", "k"))[1]
    assert only["measures"] == ["score", "tone_us"]


def test_outlets_the_table_does_not_know(corpus: pd.DataFrame, tmp_path: Path) -> None:
    articles = relevant(corpus, "news_articles", "trump1")
    renamed = articles.assign(outlet=articles["outlet"].str.upper())
    (only,) = studied(cut(renamed, tmp_path / "o.parquet", "wire"))[1]
    top = renamed["outlet"].value_counts()
    assert (only["by"], only["groups"]) == ("outlet", list(top.index[:2]))


@pytest.mark.parametrize(
    "source", ['quote " and \\ backslash', "line\nbreak\ttab", "del\x7f", "ünïcödé ]] [x] #"]
)
def test_any_source_name_gives_a_study_that_reads(
    source: str, corpus: pd.DataFrame, tmp_path: Path
) -> None:
    sotu = corpus[corpus["source"] == "sotu"]
    path = cut(sotu[sotu["era"].isin(["obama", "trump1"])], tmp_path / "s.parquet", source)
    (only,) = studied(path)[1]
    assert only["filter"]["source"] == source
    assert tomllib.loads(f"v = {toml(source)}")["v"] == source


def test_paths_are_relative_where_a_reader_would_move_them_together(tmp_path: Path) -> None:
    root = Path(config.PROJECT_ROOT).resolve()
    assert where(config.EVENTS_CSV, root / "studies") == "../data/external/events.csv"
    assert where(tmp_path / "c.parquet", tmp_path) == "c.parquet"
    assert where(config.EVENTS_CSV, tmp_path) == config.EVENTS_CSV.resolve().as_posix()
    assert where(tmp_path / "c.parquet", None) == (tmp_path / "c.parquet").resolve().as_posix()


def test_a_written_default_reads_from_its_folder(corpus: pd.DataFrame, tmp_path: Path) -> None:
    study = tmp_path / "studies" / "mine.toml"
    study.parent.mkdir()
    corpus = write_corpus(corpus.head(50), tmp_path / "c.parquet")
    study.write_text(default_study(corpus, base=study.parent), encoding="utf-8")
    assert 'corpus = "../c.parquet"' in study.read_text(encoding="utf-8")
    assert load_study(study).corpus == corpus.resolve()


def test_an_empty_corpus_is_refused(corpus: pd.DataFrame, tmp_path: Path) -> None:
    path = write_corpus(corpus.iloc[:0], tmp_path / "empty.parquet")
    with pytest.raises(InputError, match="the corpus has no documents"):
        default_study(path)


def test_the_study_for_a_corpus(small_corpus: Path) -> None:
    assert study_for_corpus(config.CORPUS_PARQUET).path == config.SHIPPED_STUDY.resolve()
    default = study_for_corpus(small_corpus)
    assert default.path is None and default.corpus == small_corpus.resolve()
    assert default.text.startswith("# A default study of corpus.parquet by `usrussia report`")


def test_a_study_pointed_at_a_sample_keeps_every_line_but_its_paths(small_corpus: Path) -> None:
    shipped = load_study(config.SHIPPED_STUDY)
    moved = with_corpus(shipped, small_corpus, "a sample " * 20)
    assert moved.corpus == small_corpus.resolve() and moved.path is None
    assert (moved.events, moved.outlet_groups) == (shipped.events, shipped.outlet_groups)
    assert moved.comparisons == shipped.comparisons and moved.groups == shipped.groups
    lines = moved.text.splitlines()
    note = lines[: lines.index(shipped.text.splitlines()[0])]
    assert " ".join(line[2:] for line in note) == ("a sample " * 20).strip()
    assert all(line.startswith("# ") and len(line) <= 90 for line in note) and len(note) == 3
    old, new = tomllib.loads(shipped.text), tomllib.loads(moved.text)
    for table, key in (("study", "corpus"), ("events", "path"), ("outlet_groups", "path")):
        assert Path(new[table].pop(key)).is_absolute()
        old[table].pop(key)
    assert new == old
    # The rewritten paths resolve: the same study pointed at the whole corpus passes the
    # check (a small sample need not hold every group; a --sample run notes those instead).
    check_study(with_corpus(shipped, config.CORPUS_PARQUET, "the whole corpus"))


def test_a_sampled_study_keeps_its_coding_sheet(tmp_path: Path) -> None:
    """A relative ``[validation] coding`` path still names the same sheet once the study
    points at a sample written elsewhere."""
    sheet = tmp_path / "studies" / "coded" / "sheet.csv"
    sheet.parent.mkdir(parents=True)
    sheet.write_text("doc_id,rating\n", encoding="utf-8")
    text = (
        f'[study]\nname = "coded"\ncorpus = "{config.CORPUS_PARQUET.as_posix()}"\n'
        '[validation]\ncoding = "coded/sheet.csv"\nlevel = "ordinal"\n'
    )
    study = parse_study(text, base=tmp_path / "studies")
    moved = with_corpus(study, tmp_path / "sample.parquet", "a sample")
    assert moved.coding == study.coding == sheet.resolve()
    assert tomllib.loads(moved.text)["validation"] == {
        "coding": sheet.resolve().as_posix(),
        "level": "ordinal",
    }


def test_a_path_written_inline_cannot_be_pointed_elsewhere(tmp_path: Path) -> None:
    text = (
        f'study = {{ corpus = "{config.CORPUS_PARQUET.as_posix()}" }}\n'
        '[events]\npath = "../data/external/events.csv"\n'
    )
    with pytest.raises(InputError, match="cannot point the study at"):
        with_corpus(parse_study(text, base=config.STUDIES), tmp_path / "x.parquet", "note")
