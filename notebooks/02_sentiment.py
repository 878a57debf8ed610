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
# # 02 · Sentiment and tone, validated against human ratings
#
# Tone is the centre of the analysis, so its numbers are checked before they are used.
# Three measures are computed sentence by sentence (`usrussia.sentiment`) and averaged over
# a document's sentences, because VADER's compound score runs to ±1 on any long text:
#
# - **`vader_compound`**: NLTK's VADER with its shipped lexicon. NLTK's port differs from the
#   `vaderSentiment` package on some sentences (negation with "no", emoji); we use NLTK's.
# - **`lexicon_tone`**: GDELT-style tone, (positive − negative words) / all words × 100, with
#   the signs of the VADER lexicon's words.
# - **`score`**: the recommended news-tone score, a ridge regression on VADER's outputs,
#   positive/negative word sums and counts in three open lexicons (VADER, AFINN-165,
#   pattern.en) and a regularised tf-idf bag of words, word pairs and 4-letter word
#   prefixes, fitted only on the 5,190 human-rated New York Times editorial sentences of
#   Hutto & Gilbert (2014); it predicts the mean human rating of a sentence on the raters'
#   −4…+4 scale. Coefficients are plain numbers in `data/external/sentiment_model.json`
#   (`usrussia sentiment fit` refits them).
#
# Names whose words are in the VADER lexicon ("United" +1.8 in "United States", "Security" in
# "Security Council") are replaced by one neutral token before scoring, so a sentence is not
# more positive because it names the United States.

# %% tags=["parameters"]
corpus_path = "../data/processed/corpus.parquet"
output_dir = "../reports"
seed = 20170707
cv_folds = 10  # folds of the cross-validation of the recommended score on the NYT ratings
sample = None  # type: int|None  at most this many relevant documents per source (None: all)
min_docs = 5  # groups with fewer documents are not plotted

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown

from usrussia import config
from usrussia.corpus import read_corpus
from usrussia.report.metrics import save_block
from usrussia.sentiment import (
    MEASURES,
    TARGET_PEARSON_R,
    load_model,
    load_nyt_ratings,
    paper_table,
    score_documents,
    validate,
    validation_block,
)

# %% [markdown]
# ## Validation against human ratings
# Each NYT editorial sentence was rated by 20 people on −4…+4; the ground truth is their mean.
# For each measure: Pearson and Spearman correlation with the mean rating, and F1 for the
# three classes with VADER's thresholds (≥ 0.05 positive, ≤ −0.05 negative, else neutral,
# applied to the ratings and to each measure). The recommended score is validated **out of
# fold** (`cv_folds`-fold cross-validation: each sentence is predicted by a model that never
# saw it); its in-sample row is shown only to make the gap visible. The paper's published
# rows (its Table 4) stand beside ours; the paper's F1 is a weighted three-class F1 whose exact
# class thresholds for the ratings we could not confirm, so compare F1 with care.

# %%
ratings = load_nyt_ratings()
print(
    f"{len(ratings):,} rated sentences from {ratings['article'].nunique()} editorials; "
    f"mean rating {ratings['rating'].mean():.3f}, sd {ratings['rating'].std():.3f}"
)
assert len(ratings) == 5190, "the benchmark has 5,190 sentences"
table = validate(ratings, folds=cv_folds, seed=seed)
paper = paper_table()
vader_r = table.loc["vader_compound", "pearson_r"]
paper_vader_r = paper.loc["VADER (paper)", "pearson_r"]
print(f"NLTK VADER against the published r = {paper_vader_r}: ours {vader_r:.3f}")
assert abs(vader_r - paper_vader_r) <= 0.02, "NLTK VADER should reproduce the paper's r"
shown = pd.concat([table, paper])
shown.round(3)

# %%
fig, ax = plt.subplots(figsize=(8, 4.2))
order = shown["pearson_r"].sort_values().index
colours = [
    "tab:green" if m == "score" else "tab:grey" if "paper" in m else "tab:blue" for m in order
]
ax.barh(order, shown.loc[order, "pearson_r"], color=colours)
for y_pos, value in enumerate(shown.loc[order, "pearson_r"]):
    ax.text(value + 0.005, y_pos, f"{value:.3f}", va="center", fontsize=8)
ax.axvline(paper.loc["humans (paper)", "pearson_r"], color="black", linestyle=":", linewidth=1)
ax.set_xlabel("Pearson r with the mean human rating (NYT editorial sentences)")
ax.set_title("Sentiment measures vs human ratings (grey: published in Hutto & Gilbert 2014)")
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Which measure the project recommends, and why
# The recommended measure is **`score`**: it is on an interpretable scale (the predicted mean
# rating of a reader, −4…+4) and it keeps VADER's negation and booster rules because VADER's
# own outputs are among its features. How it compares with the other measures out of fold
# (the in-sample row shows how much a fit on the same sentences would flatter it), with the
# project's target and with the agreement between humans is stated below from this run's
# figures. Holding out whole editorials (so no sentence is predicted from its own article's
# words) is the figure to expect on news it has never seen. Its caveats: it was fitted on
# opinion writing in one newspaper (New York Times editorials), so words typical of that
# genre carry weight; it was not tuned on any other data. `vader_compound` and
# `lexicon_tone` are kept beside it so every finding can be checked against a measure that
# was not fitted at all.

# %%
model = load_model()
cv = model.metadata_["cv"]
n_terms = sum(len(block.terms) for block in model.blocks_)
score_r = table.loc["score", "pearson_r"]
humans_r = paper.loc["humans (paper)", "pearson_r"]
print(
    f"shipped model: alpha={model.alpha}, {n_terms:,} terms, "
    f"{len(model.dense_)} dense features; recorded {cv['folds']}-fold CV r={cv['pearson_r']} "
    f"(seed {cv['seed']}), recomputed here r={score_r:.4f}; "
    f"holding out whole editorials (GroupKFold) r={cv['grouped_pearson_r']}"
)
save_block("sentiment_validation", validation_block(table), output_dir)


def versus(value: float, other: float, name: str) -> str:
    """'above NAME (r = X)' or 'below NAME (r = X)', from the figures."""
    return f"{'above' if value > other else 'below'} {name} (r = {other:.3f})"


Markdown(
    f"Out of fold (shuffled {cv_folds}-fold CV) `score` correlates with the mean human rating "
    f"at r = {score_r:.3f}: "
    f"{versus(score_r, table.loc['vader_compound', 'pearson_r'], '`vader_compound`')}, "
    f"{versus(score_r, table.loc['lexicon_tone', 'pearson_r'], '`lexicon_tone`')}, "
    f"{versus(score_r, TARGET_PEARSON_R, 'the project target')} "
    f"and {versus(score_r, humans_r, 'the agreement between humans')}. "
    f"With whole editorials held out the shipped model's CV r is {cv['grouped_pearson_r']:.3f}."
)

# %% [markdown]
# ## Tone in the corpus
# Only the documents each source's selection rule keeps (`relevant`: US-related Kremlin
# pages, Russia-related articles, addresses and headlines) are scored; with `sample` set, at
# most that many per source (a random sample with the notebook's seed).

# %%
corpus = read_corpus(corpus_path)
relevant = corpus[corpus["relevant"]]
if sample is not None:
    shuffled = relevant.sample(frac=1.0, random_state=seed)
    relevant = shuffled.groupby("source").head(int(sample)).sort_index()
relevant = relevant.reset_index(drop=True)
print(f"scoring {len(relevant):,} relevant documents of {len(corpus):,}")
scores = score_documents(relevant["text"], progress="scoring")
docs = pd.concat([relevant, scores], axis=1)
scored = docs[docs["n_sentences"] > 0]
print(f"{len(scored):,} documents with at least one sentence")

# %% [markdown]
# ### Per source
# Mean document tone by source with the standard error of the mean score. The sources are
# different kinds of text (official readouts, addresses, articles, headlines): compare
# sources with care, and trends within a source with more confidence.


# %%
def summarise(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Mean of each measure, documents and standard error of the score per group."""
    grouped = frame.groupby(by, observed=True)
    out = grouped[list(MEASURES)].mean()
    out["documents"] = grouped.size()
    out["score_se"] = grouped["score"].sem()
    return out


per_source = summarise(scored, ["source"]) if len(scored) else pd.DataFrame()
if per_source.empty:
    print("No scored documents in this corpus.")
per_source.round(3)

# %%
news = scored[scored["source"] == "news_articles"]
if len(news):
    per_outlet = summarise(news, ["outlet"]).sort_values("score")
    fig, ax = plt.subplots(figsize=(8, 3.8))
    ax.barh(per_outlet.index, per_outlet["score"], xerr=1.96 * per_outlet["score_se"].fillna(0))
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("mean recommended score (predicted rating, −4…+4), 95% interval")
    ax.set_ylabel("outlet")
    ax.set_title("Tone of Russia-related 2017 news articles by outlet")
    fig.tight_layout()
    plt.show()
    display_outlets = per_outlet.round(3)
else:
    display_outlets = None
    print("No Russia-related news articles in this corpus.")
display_outlets

# %% [markdown]
# ### Per era
# Mean recommended score by source and US administration; the number of documents per
# cell is printed above the table (cells with few documents are noisy).

# %%
if len(scored):
    by_era = summarise(scored, ["source", "era"]).reset_index()
    by_era["era"] = pd.Categorical(by_era["era"], categories=config.ERA_NAMES, ordered=True)
    era_table = by_era.pivot(index="source", columns="era", values="score").round(3)
    era_counts = by_era.pivot(index="source", columns="era", values="documents")
    print("documents per cell:")
    print(era_counts.fillna(0).astype(int).to_string())
else:
    era_table = None
    print("No scored documents in this corpus.")
era_table

# %% [markdown]
# ### Over time
# Yearly mean score per source (years with at least `min_docs` documents).

# %%
dated = scored[scored["date"].notna()].assign(year=lambda d: d["date"].dt.year)
yearly = (
    dated.groupby(["source", "year"])["score"].agg(["mean", "size"]).reset_index()
    if len(dated)
    else pd.DataFrame(columns=["source", "year", "mean", "size"])
)
yearly = yearly[yearly["size"] >= min_docs]
if yearly.empty:
    print(f"No source has a year with {min_docs} or more dated documents.")
else:
    fig, ax = plt.subplots(figsize=(9, 4))
    for source, group in yearly.groupby("source"):
        ax.plot(group["year"], group["mean"], marker="o", label=source)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("year")
    ax.set_ylabel("mean recommended score (−4…+4)")
    ax.set_title("Tone of US-/Russia-related documents over time")
    ax.legend()
    fig.tight_layout()
    plt.show()
yearly.pivot(index="year", columns="source", values="mean").round(3)

# %% [markdown]
# ### Tone about Russia vs tone about the US
# Within each document, the mean score of the sentences that name Russia (Russia, Putin,
# Kremlin, Moscow, …) and of those that name the US (United States, Washington, the
# president's name, White House, …), from `data/external/entity_aliases.csv`. A document
# counts for a target only when at least one of its sentences names it.

# %%
targets = []
for source, group in scored.groupby("source"):
    for target, column in (("Russia", "tone_russia"), ("US", "tone_us")):
        values = group[column].dropna()
        targets.append(
            {
                "source": source,
                "target": target,
                "documents": len(values),
                "mean_score": values.mean() if len(values) else np.nan,
                "se": values.sem() if len(values) > 1 else np.nan,
            }
        )
targeted = pd.DataFrame(targets, columns=["source", "target", "documents", "mean_score", "se"])
plotted = targeted[targeted["documents"] >= min_docs]
if plotted.empty:
    print(f"No source has {min_docs} or more documents naming Russia or the US.")
else:
    wide = plotted.pivot(index="source", columns="target", values="mean_score")
    errors = plotted.pivot(index="source", columns="target", values="se").fillna(0) * 1.96
    fig, ax = plt.subplots(figsize=(8, 4))
    wide.plot(kind="bar", yerr=errors, ax=ax, rot=0, capsize=3)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("source")
    ax.set_ylabel("mean score of sentences naming the target")
    ax.set_title("Tone about Russia vs tone about the US, by source (95% intervals)")
    fig.tight_layout()
    plt.show()
targeted.round(3)
