# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 · Tone across administrations and summit meetings, with honest statistics
#
# The project started from an article (FPRI / The National Interest, 7 July 2017) that saw
# "friendly camaraderie" at the first Trump-Putin meeting, "in marked contrast to the often
# stiff and tense poses" of the Putin-Obama meetings. This notebook asks what the texts in
# the corpus can say about that, comparing like with like:
#
# 1. the Kremlin's own US-related pages (readouts of meetings and calls), Obama era vs
#    Trump era, overall and in windows around the presidential meetings;
# 2. media headlines about Russia: Obama-era r/worldnews headlines vs Trump-era outlet
#    headlines of 2017 (headline to headline; the sources differ in kind);
# 3. outlets in the same weeks of 2017: TASS vs Western outlets, whole-article tone and
#    targeted tone about the US and about Russia;
# 4. Russia-related sentences in the State of the Union addresses;
# 5. how much the answer depends on the window width and the tone measure (sensitivity);
# 6. the era difference after controlling for source, outlet and length (regression);
# 7. a test of the seed article's claim, and a plain-language summary with the limits.
#
# Every comparison is a record: difference (group_b minus group_a) with a bootstrap 95%
# interval (documents resampled), a permutation-test p-value, Cohen's d and Cliff's delta,
# n per group and a `note` when a group is too small to test. Tone comes from
# `usrussia.sentiment.score_documents` (sentence-level VADER and the project's lexicon;
# `score` is the recommended measure, validated in notebook 02: a predicted human rating of a
# sentence on the raters' -4..+4 scale, averaged over a document's sentences; `tone_us` and
# `tone_russia` average it over the sentences naming the target); the statistics from
# `usrussia.compare`. With very few documents in a group (below `compare.SMALL_N`, printed
# below) the bootstrap interval is too narrow and the note says so: the permutation p-value is
# then the safer guide.

# %% tags=["parameters"]
corpus_path = "../data/processed/corpus.parquet"
output_dir = "../reports"
seed = 20170707
eras = ["obama", "trump1"]  # group_a, group_b (differences are group_b minus group_a)
window_days = 7  # +/- days around each meeting
measure = "score"  # the main tone measure (a column of score_documents)
widths = [3, 7, 14, 30]  # window widths for the sensitivity figure
n_resamples = 5000  # bootstrap resamples and permutations per comparison

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from usrussia import compare
from usrussia.compare.prevalence import era_difference
from usrussia.corpus import read_corpus
from usrussia.corpus.selection import KREMLIN_MIN_US_MENTIONS, RUSSIA_PATTERN
from usrussia.plots import plot_comparisons, plot_keyness, plot_topic_change
from usrussia.report.metrics import save_block
from usrussia.sentiment import score_documents
from usrussia.text.explore import keyness
from usrussia.text.tokens import word_tokenize
from usrussia.text.vectorize import build_dtm, count_vectorizer
from usrussia.topics import document_topics

pd.set_option("display.max_columns", None, "display.max_colwidth", 120)
era_a, era_b = [e.strip() for e in eras.split(",")] if isinstance(eras, str) else eras
widths = [int(w) for w in widths.split(",")] if isinstance(widths, str) else list(widths)
stats = {"n_resamples": int(n_resamples), "seed": int(seed)}
MEASURES = ["vader_compound", "lexicon_tone", "score", "tone_russia", "tone_us"]
WESTERN = [
    "bbc.co.uk",
    "cnn.com",
    "abcnews.go.com",
    "dw.com",
    "aljazeera.com",
    "rte.ie",
    "huffingtonpost.com",
]
corpus = read_corpus(corpus_path)
events = compare.load_events()
print(f"{len(corpus):,} documents; comparing {era_a} (group_a) with {era_b} (group_b)")
print(f"{len(events)} US-Russia presidential meetings in data/external/events.csv")
print(f"main measure: {measure}; windows of +/-{window_days} days; {n_resamples} resamples")
print(f"groups with fewer than {compare.SMALL_N} documents get a note on their interval")
assert measure in MEASURES, f"measure must be one of {MEASURES}"

# %% [markdown]
# ## Scoring, once
# Only the texts the comparisons use are scored, each distinct text once
# (`compare.attach_scores`): the Kremlin's US-related pages, the Russia-related 2017 news
# articles (whole text and headline), the Russia-related r/worldnews headlines of
# `group_a`'s era, the Russia sentences of the State of the Union addresses and the seed
# article. `n_words` is recounted for each unit (a headline's length is its own), with the
# corpus's own word definition (`usrussia.text.tokens.word_tokenize`).

# %%
relevant = corpus[corpus["relevant"]]
kremlin = relevant[relevant["source"] == "kremlin"]
news = relevant[relevant["source"] == "news_articles"]
reddit = relevant[(relevant["source"] == "reddit_worldnews") & (relevant["era"] == era_a)]
# RUSSIA_PATTERN is built from the one table of target names (data/external), the same table
# that corpus selection and targeted tone (`tone_russia`) use.
sotu_sentences = compare.mention_sentences(
    corpus[corpus["source"] == "sotu"],
    RUSSIA_PATTERN,
    keep=("doc_id", "source", "outlet", "era", "date"),
)
seed_doc = corpus[corpus["source"] == "seed"]

UNIT_COLUMNS = ["unit", "doc_id", "source", "outlet", "era", "date", "text"]
units = pd.concat(
    [
        kremlin.assign(unit="kremlin page")[UNIT_COLUMNS],
        news.assign(unit="news article")[UNIT_COLUMNS],
        news.assign(unit="news headline", text=news["title"])[UNIT_COLUMNS],
        reddit.assign(unit="reddit headline", text=reddit["title"])[UNIT_COLUMNS],
        sotu_sentences.assign(unit="sotu sentence")[UNIT_COLUMNS],
        seed_doc.assign(unit="seed article")[UNIT_COLUMNS],
    ],
    ignore_index=True,
)
units = units[units["text"].str.strip().str.len() > 0]
units["n_words"] = units["text"].map(lambda text: len(word_tokenize(text)))
print(f"{len(units):,} units, {units['text'].nunique():,} distinct texts to score")
scored = compare.attach_scores(
    units, lambda texts: score_documents(texts, targets=True, progress="scoring tone")
)
scored.groupby("unit").agg(
    units=("doc_id", "size"),
    eras=("era", lambda s: ", ".join(sorted(s.dropna().unique()))),
    mean_score=("score", "mean"),
    median_words=("n_words", "median"),
)

# %%
records: list[dict] = []


def add(record: dict, question: str, label: str) -> dict:
    """Keep one comparison record with the question it answers and a short label."""
    record.update(question=question, label=label)
    records.append(record)
    return record


def show(rows: list[dict]) -> pd.DataFrame:
    """The key columns of some records, rounded, for display."""
    cols = ["label", "group_a", "group_b", "measure", "diff", "ci_low", "ci_high"]
    cols += ["p_value", "effect_size", "cliffs_delta", "n_a", "n_b", "window_days", "note"]
    return pd.DataFrame(rows)[cols].round(4)


# %% [markdown]
# ## 1 · The Kremlin's own pages about the US
# The Kremlin's English news pages that are US-related by rule (the title names the US or the
# text names it often enough, the threshold printed below): readouts of meetings and phone
# calls, statements, interviews. Whole-page tone (`measure`) and tone of the sentences about
# the US (`tone_us`), overall and for pages within +/-`window_days` days of a meeting. Two
# window comparisons: documents (pages resampled) and meeting means (n = meetings, the honest
# unit when a meeting's pages echo each other). The Kremlin archive in the corpus is uneven
# across years, so an era is represented by the years that have pages and some meetings have
# no page in their window: the per-year counts below show which years those are.

# %%
k_scored = scored[scored["unit"] == "kremlin page"]
print(f"US-related: the title names the US or the text does {KREMLIN_MIN_US_MENTIONS}+ times")
print("Kremlin US-related pages per year (check before looking: the archive is uneven):")
print(k_scored.groupby([k_scored["era"], k_scored["date"].dt.year]).size().to_string())
q1 = "Kremlin US-related pages"
q1_rows = [
    add(compare.compare_frame(k_scored, m, "era", era_a, era_b, **stats), q1, f"all pages, {m}")
    for m in dict.fromkeys((measure, "tone_us"))
]
for rec in compare.compare_meeting_eras(
    k_scored, events, measure, era_a, era_b, window_days, **stats
):
    q1_rows.append(add(rec, q1, f"meeting windows ({rec['method']}), {measure}"))
q1_rows.append(
    add(
        compare.era_regression(k_scored, measure, era_a, era_b, window_days=None),
        q1,
        f"OLS-HC3 with log length, {measure}",
    )
)
show(q1_rows)

# %%
fig, ax = plt.subplots(figsize=(9, 3.5))
plot_comparisons(
    pd.DataFrame(q1_rows), ax=ax, title=f"Kremlin US-related pages: {era_b} minus {era_a}"
)
ax.set_xlabel(f"difference in {measure} ({era_b} - {era_a}) with 95% CI")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 2 · Media headlines about Russia
# The two eras have no common headline source in the corpus: Obama-era (or `group_a`'s
# era) Russia-related r/worldnews headlines (posted by users, many wire-service titles) vs
# the headlines of the Russia-related 2017 articles of the outlets in the set (counted below).
# Headline is compared
# with headline, never with a whole article; but the sources differ in kind (a user-voted
# forum vs edited outlets, one of them Russian state media) so era and source cannot be
# separated: the regression says so rather than produce a number.

# %%
h_scored = scored[scored["unit"].isin(["reddit headline", "news headline"])]
h_a = h_scored[(h_scored["unit"] == "reddit headline") & (h_scored["era"] == era_a)]
h_b = h_scored[(h_scored["unit"] == "news headline") & (h_scored["era"] == era_b)]
print(
    f"{len(h_a)} {era_a} r/worldnews headlines; {len(h_b)} {era_b} headlines of "
    f"{h_b['outlet'].nunique()} outlets"
)
headlines = pd.concat([h_a, h_b])
q2 = "Headlines about Russia"
q2_rows = [
    add(
        compare.compare_groups(
            h_a[measure],
            h_b[measure],
            group_a=f"{era_a} r/worldnews",
            group_b=f"{era_b} outlets",
            measure=measure,
            strata_b=h_b["outlet"],
            **stats,
        ),
        q2,
        f"headlines, {measure}",
    ),
    add(
        compare.era_regression(headlines, measure, era_a, era_b, controls=("source", "outlet")),
        q2,
        "OLS-HC3, source/outlet + length",
    ),
    add(
        compare.era_regression(headlines, measure, era_a, era_b, controls=()),
        q2,
        "OLS-HC3, length only",
    ),
]
print(f"share of headlines with {measure} < 0:")
print(headlines.groupby(headlines["era"])[measure].apply(lambda s: round((s < 0).mean(), 3)))
show(q2_rows)

# %%
fig, ax = plt.subplots(figsize=(8, 4))
data = [h_a[measure].dropna(), h_b[measure].dropna()]
if all(len(d) for d in data):
    ax.boxplot(data, showmeans=True)
    ax.set_xticks(
        [1, 2], [f"{era_a} r/worldnews (n={len(data[0])})", f"{era_b} outlets (n={len(data[1])})"]
    )
else:
    ax.text(0.5, 0.5, "a group is empty in this corpus", ha="center", transform=ax.transAxes)
ax.axhline(0, color="grey", lw=1, ls="--")
ax.set_ylabel(f"headline {measure}")
ax.set_xlabel("headline source and era")
ax.set_title("Tone of Russia-related headlines (box: quartiles, triangle: mean)")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 3 · Outlets in the same weeks of 2017: TASS vs Western outlets
# "Western" here means the English-language outlets of the 2017 set that are not Russian or
# Chinese state media: BBC, CNN, ABC News, Deutsche Welle, RTÉ, HuffPost and Al Jazeera
# (Qatari-funded, kept with them; the per-outlet table shows it apart). China Daily (Chinese
# state media) is in neither group and shown separately. Only weeks in which both TASS and the
# Western group published Russia-related articles are kept (`compare.same_weeks`); the Western
# bootstrap is stratified by outlet and the regression controls for the week and the article
# length. Measures: whole-article tone, targeted tone of the sentences about the US
# (`tone_us`) and about Russia (`tone_russia`); an article with no such sentence has no
# targeted value and is counted in the note.

# %%
a_scored = scored[scored["unit"] == "news article"].copy()
a_scored["group"] = np.select(
    [a_scored["outlet"] == "tass.com", a_scored["outlet"].isin(WESTERN)], ["TASS", "Western"], None
)
same = compare.same_weeks(
    a_scored[a_scored["group"].notna()], a_scored.loc[a_scored["group"].notna(), "group"]
)
print(
    f"{len(same)} of {a_scored['group'].notna().sum()} TASS/Western articles fall in the "
    f"{same['week'].nunique() if len(same) else 0} weeks both groups published"
)
q3 = "TASS vs Western outlets, same weeks of 2017"
q3_rows = []
for m in dict.fromkeys((measure, "tone_us", "tone_russia")):
    q3_rows.append(
        add(
            compare.compare_frame(same, m, "group", "Western", "TASS", strata="outlet", **stats),
            q3,
            f"articles, {m}",
        )
    )
    q3_rows.append(
        add(
            compare.era_regression(same, m, "Western", "TASS", by="group", controls=("week",)),
            q3,
            f"OLS-HC3 week + length, {m}",
        )
    )
show(q3_rows)

# %%
per_outlet = (
    a_scored.groupby("outlet")
    .agg(
        group=("group", "first"),
        articles=("doc_id", "size"),
        **{m: (m, "mean") for m in (measure, "tone_us", "tone_russia")},
        with_us_sentences=("tone_us", "count"),
        with_russia_sentences=("tone_russia", "count"),
    )
    .fillna({"group": "neither (China Daily)"})
    .sort_values(measure)
)
per_outlet.round(3)

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
plot_comparisons(pd.DataFrame(q3_rows[::2]), ax=axes[0], title="TASS minus Western (same weeks)")
axes[0].set_xlabel("difference (TASS - Western) with 95% CI")
if len(per_outlet):
    colours = per_outlet["group"].map({"TASS": "C3", "Western": "C0"}).fillna("C7")
    axes[1].barh(per_outlet.index, per_outlet[measure], color=colours)
axes[1].axvline(0, color="grey", lw=1)
axes[1].set_xlabel(f"mean article {measure}")
axes[1].set_ylabel("outlet")
axes[1].set_title("Per outlet, all 2017 Russia-related articles (red TASS, grey neither)")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 4 · Russia in the State of the Union addresses
# One address a year: the sentences naming Russia (or Putin, Moscow, the Kremlin …) are
# few (a handful per address, none in some), and the sentences of one address are not
# independent: the test treats sentences as the unit, which overstates the evidence, so
# the result is descriptive at best. (Stratifying the bootstrap by address would make the
# interval narrower still, since most addresses contribute one or two sentences.)

# %%
s_scored = scored[scored["unit"] == "sotu sentence"]
print(
    s_scored.groupby("era", sort=False).agg(
        addresses=("doc_id", "nunique"), sentences=("text", "size"), mean=(measure, "mean")
    )
)
q4 = "State of the Union, Russia sentences"
q4_rows = [
    add(
        compare.compare_frame(s_scored, measure, "era", era_a, era_b, **stats),
        q4,
        f"sentences, {measure}",
    )
]
show(q4_rows)

# %%
s_scored[s_scored["era"].isin([era_a, era_b])][["doc_id", "text", measure]].round(3)

# %%
fig, ax = plt.subplots(figsize=(9, 3.5))
order = [e for e in ("bush", "obama", "trump1", "biden", "trump2") if e in set(s_scored["era"])]
for i, era in enumerate(order):
    vals = s_scored.loc[s_scored["era"] == era, measure]
    ax.scatter(np.full(len(vals), i) + np.linspace(-0.15, 0.15, len(vals)), vals, alpha=0.7)
    ax.plot([i - 0.25, i + 0.25], [vals.mean()] * 2, color="black")
ax.set_xticks(range(len(order)), [f"{e}\n(n={(s_scored['era'] == e).sum()})" for e in order])
ax.axhline(0, color="grey", lw=1, ls="--")
ax.set_xlabel("administration")
ax.set_ylabel(f"sentence {measure}")
ax.set_title("Russia sentences in the State of the Union (dots: sentences, bar: mean)")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 5 · Sensitivity: does the Kremlin answer depend on the window or the measure?
# The Kremlin comparison repeated for every tone measure (VADER sentence mean
# `vader_compound`, `lexicon_tone`, the recommended `score`, targeted tone about Russia and
# about the US) and every window width, plus all pages ("all"). If the intervals straddle
# zero for some choices and not others, the conclusion depends on choices.

# %%
sens = compare.sensitivity(k_scored, events, MEASURES, widths, era_a, era_b, **stats)
sens["window"] = sens["window_days"].map(lambda w: "all" if pd.isna(w) else f"±{int(w)}d")
sens[["measure", "window", "diff", "ci_low", "ci_high", "p_value", "n_a", "n_b", "note"]].round(4)

# %%
fig, axes = plt.subplots(1, len(MEASURES), figsize=(3.2 * len(MEASURES), 3.8), sharey=True)
for ax, m in zip(axes, MEASURES, strict=True):
    part = sens[sens["measure"] == m]
    x = np.arange(len(part))
    ax.errorbar(
        x,
        part["diff"],
        yerr=[part["diff"] - part["ci_low"], part["ci_high"] - part["diff"]],
        fmt="o",
        capsize=3,
    )
    ax.axhline(0, color="grey", lw=1, ls="--")
    ax.set_xticks(x, part["window"])
    ax.set_title(m)
    ax.set_xlabel("documents")
axes[0].set_ylabel(f"{era_b} - {era_a} (95% CI)")
fig.suptitle("Kremlin US-related pages: the era difference over windows and measures")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 6 · Two-group tests beside regressions with controls
# The eras differ in their mix of sources, outlets and text lengths. A pooled regression
# over every scored document unit of the two eras (Kremlin pages, news articles and
# headlines, r/worldnews headlines, address sentences) controls for source, outlet and log
# length; the era coefficient is estimable only because some sources span both eras.

# %%
pooled = scored[scored["unit"] != "seed article"].assign(source_unit=lambda d: d["unit"])
add(
    compare.compare_frame(pooled, measure, "era", era_a, era_b, strata="source_unit", **stats),
    "All scored units, pooled",
    "two-group, stratified by unit",
)
add(
    compare.era_regression(pooled, measure, era_a, era_b, controls=("source_unit", "outlet")),
    "All scored units, pooled",
    "OLS-HC3, unit/outlet + length",
)
paired = pd.DataFrame(records)
with_ols = paired.loc[paired["method"] == "ols_hc3", "question"].unique()
paired = paired[
    paired["question"].isin(with_ols)
    & paired["measure"].eq(measure)
    & paired["method"].isin(["bootstrap+permutation", "ols_hc3"])
].sort_values("question", kind="stable")
fig, ax = plt.subplots(figsize=(10, 0.5 * len(paired) + 1.5))
plot_comparisons(
    paired.assign(label=paired["question"] + ": " + paired["label"]),
    ax=ax,
    title=f"Two-group differences beside era coefficients with controls ({measure})",
)
plt.tight_layout()
plt.show()
show(paired.to_dict("records"))

# %% [markdown]
# ## 7 · The seed article's claim
# The claim is about body language: "friendly camaraderie" at Hamburg vs "stiff and tense
# poses" with Obama. Text cannot see poses, handshakes or faces; what it can measure is the
# words the Kremlin chose for its own readouts around each meeting, and the words of the
# commentary itself. So the test is: were the Kremlin's pages within +/-`window_days` days
# of the Hamburg meeting warmer than its pages around the Obama-era meetings? A readout is
# drafted diplomatic prose, so a null result does not refute the claim about poses, and a
# positive one would not prove it. The table lists every meeting with at least one page in
# its window, all administrations; meetings after the last Kremlin page of the corpus (its
# date is printed below) can have none.

# %%
k_windows = compare.event_windows(k_scored, events, window_days)
print(f"last Kremlin US-related page in the corpus: {k_scored['date'].max():%Y-%m-%d}")
summary = compare.meeting_summary(k_windows, measure, events)
hamburg = k_windows[k_windows["meeting"] == "2017-07-07 Hamburg"]
obama_meetings = k_windows[k_windows["meeting_era"] == era_a]
seed_claim = add(
    compare.compare_groups(
        obama_meetings[measure],
        hamburg[measure],
        group_a=f"{era_a} meetings",
        group_b="2017-07-07 Hamburg",
        measure=measure,
        window_days=window_days,
        **stats,
    ),
    "Seed article claim (Kremlin readouts)",
    "Hamburg window vs group_a meeting windows",
)
show([seed_claim])

# %%
seed_scores = scored[scored["unit"] == "seed article"][
    ["doc_id", "score", "tone_russia", "tone_us", "n_sentences"]
]
print("the seed article's own tone:")
seed_scores.round(3)

# %%
fig, ax = plt.subplots(figsize=(10, 4))
shown = summary[summary["n"] > 0]
for i, era in enumerate(shown["era"].unique()):
    part, colour = shown[shown["era"] == era], {era_a: "C0", era_b: "C3"}.get(era, f"C{i + 4}")
    ax.scatter(
        pd.to_datetime(part["date"]),
        part["mean"],
        s=20 + 10 * part["n"],
        color=colour,
        label=f"{era} meetings",
        alpha=0.8,
    )
ax.axhline(0, color="grey", lw=1, ls="--")
ax.set_xlabel("meeting date")
ax.set_ylabel(f"mean {measure} of Kremlin pages in the window")
ax.set_title(f"Kremlin US-related pages within ±{window_days} days of each meeting (size: pages)")
ax.legend()
plt.tight_layout()
plt.show()
print("meetings without any page in their window:")
print(summary[summary["n"] == 0].groupby("era", sort=False).size().to_string())
summary[summary["n"] > 0].round(3)

# %% [markdown]
# ## 8 · What changed besides tone: keyness and topic shares
# The same Kremlin pages, `group_b`'s era against `group_a`'s. Left: keyness
# (`usrussia.text.explore.keyness`, chi² with Yates' correction, on document frequencies: each page
# counts a term once, so one long interview does not dominate). Right: the change in mean
# topic share (`usrussia.topics`: one NMF model fitted on these pages, its number of topics
# printed below, 95% bootstrap intervals from `compare.prevalence.era_difference`). Names of
# interviewers and one-off events rank high: keyness says what is different, not why.

# %%
k_pages = corpus.loc[
    (corpus["source"] == "kremlin") & corpus["relevant"] & corpus["era"].isin([era_a, era_b])
]
in_b = (k_pages["era"] == era_b).to_numpy()
if in_b.sum() >= 2 and (~in_b).sum() >= 2:
    dtm = build_dtm(k_pages["text"], count_vectorizer(min_df=2, binary=True), desc=None)
    key = keyness(dtm.matrix, in_b, dtm.terms)
    n_topics = min(8, len(k_pages) - 1)
    topic_change = era_difference(
        document_topics(k_pages, n_topics=n_topics), k_pages["era"], era_a, era_b
    )
    print(f"{n_topics} topics on {(~in_b).sum()} {era_a} and {in_b.sum()} {era_b} pages")
    fig, axes = plt.subplots(1, 2, figsize=(14, 6))
    plot_keyness(key, n=12, labels=(era_b, era_a), ax=axes[0], title="Keyness, Kremlin pages")
    plot_topic_change(
        topic_change, labels=(era_a, era_b), ax=axes[1], title=f"Topic share, {era_b} minus {era_a}"
    )
    plt.tight_layout()
    plt.show()
    display(key.head(12).round(3))
    display(topic_change.round(3))
else:
    print(
        "keyness and topics need at least 2 Kremlin pages in each era;"
        f" have {(~in_b).sum()} and {in_b.sum()}"
    )

# %% [markdown]
# ## All comparisons, with corrections for multiple testing
# Holm-adjusted p-values across every comparison of this notebook (the sensitivity grid
# gets its own Benjamini-Hochberg adjustment below); notes say where a figure is missing
# and why. A permutation p-value cannot go below 1/(n_resamples + 1) (printed below), so the
# smallest ones mean "smaller than that"; the OLS rows use the normal approximation and can
# go lower.

# %%
print(f"smallest possible permutation p-value here: {1 / (int(n_resamples) + 1):.2g}")
table = compare.comparison_table(records, correction="holm")
table[
    [
        "question",
        "label",
        "diff",
        "ci_low",
        "ci_high",
        "p_value",
        "p_adjusted",
        "effect_size",
        "cliffs_delta",
        "n_a",
        "n_b",
        "note",
    ]
].round(4)

# %%
sens_table = compare.comparison_table(
    sens.drop(columns=["p_adjusted", "correction", "window"]).to_dict("records"),
    correction="fdr_bh",
)
sens_table = sens_table.assign(
    question="Sensitivity (Kremlin pages)",
    label=lambda d: (
        d["measure"] + " " + d["window_days"].map(lambda w: "all" if pd.isna(w) else f"±{int(w)}d")
    ),
)
save_block(
    "tone_comparison",
    pd.concat([table, sens_table], ignore_index=True).to_dict("records"),
    output_dir,
)
print(f"saved {len(table) + len(sens_table)} comparison records")

# %% [markdown]
# ## What this says, and what it cannot say
# Each comparison in one sentence, generated from its record (`compare.describe`: a difference
# is called clear only when the 95% interval excludes zero and the Holm-adjusted p-value is
# below 0.05), so the words always match the numbers of this run:

# %%
for question, rows in table.groupby("question", sort=False):
    print(f"{question}:")
    for _, row in rows.iterrows():
        print(f"  - {row['label']}: {compare.describe(row.to_dict())}")

# %% [markdown]
# Limits that hold for every row:
#
# - **Small n.** The Kremlin's US-related pages number a few dozen per era, the meeting
#   windows hold a handful of pages per meeting and the State of the Union has only a few
#   Russia sentences per address; intervals are wide and meeting-level comparisons have
#   very few units.
# - **Different kinds of source.** The headline comparison sets a user-voted forum against
#   edited outlets; era and source cannot be separated there (the regression says
#   "confounded"). The outlet comparison is within the same weeks, but TASS and the
#   Western outlets write for different readers and cover different stories.
# - **Official texts are not media coverage.** Kremlin readouts and presidential addresses
#   are drafted diplomatic prose; their tone is a policy choice, not a reporter's framing,
#   and it says nothing about poses, handshakes or atmosphere in the room.
# - **Tone is a measured quantity.** VADER and the lexicon tone are dictionary-based and
#   `score` is a model fitted to human ratings of New York Times editorial sentences
#   (notebook 02), not of diplomatic texts or headlines; the sensitivity figure shows
#   whether a conclusion survives a change of measure.
# - **The seed article's claim** is about body language, which text does not record; the
#   Kremlin's words around Hamburg are a proxy for the official mood, not for the poses.
# - **Reference points.** The Shorenstein Center coded US coverage of Trump's first 100 days
#   as 80% negative (41% for Obama's first 100 days, with different coders); the share of
#   negative headlines above is a crude analogue from a different source, not a replication.
