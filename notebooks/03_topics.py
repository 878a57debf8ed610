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
# # 03 · What the Kremlin's pages talk about, and how the agenda moved
#
# Topic models of the Kremlin's English news pages (the `kremlin` source), fitted with
# scikit-learn and checked in the open: each topic's **coherence** (NPMI of its top words,
# counted from document co-occurrence in the same corpus), the **stability** of the topics
# across random seeds (Hungarian matching of topics between fits), and a side-by-side
# **baseline**: the scikit-learn topic-extraction example's defaults on the same documents.
# Then the topics' prevalence per year, per US administration, around each US-Russia
# presidential meeting, and which topics rose or fell between the Obama and Trump eras.
# The logic lives in `usrussia.topics` (the model, coherence, stability, selection, units and
# baseline modules, and the topic map) and `usrussia.compare.prevalence`.

# %% tags=["parameters"]
corpus_path = "../data/processed/corpus.parquet"
output_dir = "../reports"
seed = 20170707
source = "kremlin"  # the corpus source the topics are fitted on
unit = "document"  # "document" or "paragraph": the units the model is fitted on
models = ["nmf"]  # any of "nmf", "nmf-kl", "lda" (LDA and KL-NMF are slow: see benchmarks)
ks = [10, 15, 20, 25, 30]  # numbers of topics swept
n_seeds = 5  # fits per candidate for the stability check
stability_threshold = 0.8
npmi_tolerance = 0.01  # mean NPMI differences of at most this count as ties (fewer topics win)
selection_decimals = 3  # NPMI and stability are compared rounded to this many decimals
max_candidates = 3
max_features = 3000
min_df = 5
max_df = 0.5
n_top = 10  # top words per topic (coherence and labels)
window_days = 30  # documents within this many days of a meeting
min_docs = 20  # fewest documents per year/era/meeting shown in prevalence plots

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML, display

from usrussia.compare import load_events
from usrussia.compare.prevalence import era_difference, event_prevalence, prevalence_by
from usrussia.corpus import read_corpus
from usrussia.report.metrics import save_block
from usrussia.topics.baseline import (
    EXAMPLE_LDA,
    EXAMPLE_N_TOPICS,
    EXAMPLE_NMF,
    EXAMPLE_VECTORIZER,
    sklearn_example_baseline,
)
from usrussia.topics.selection import select_model, sweep
from usrussia.topics.topicmap import topic_map
from usrussia.topics.units import (
    describe_fit,
    representative_documents,
    topic_vectorizer,
    unit_matrices,
)

corpus = read_corpus(corpus_path)
docs = corpus[corpus["source"] == source]
print(f"{len(docs):,} {source} documents of {len(corpus):,} in the corpus")

# %% [markdown]
# ## Checks before fitting
# The sweep only tries numbers of topics the corpus can carry: at least `DOCS_PER_TOPIC`
# documents per topic. On a small corpus the grid shrinks, and below `MIN_DOCS` documents
# nothing is fitted.

# %%
DOCS_PER_TOPIC, MIN_DOCS = 10, 20
usable_ks = [k for k in ks if 2 <= k <= len(docs) // DOCS_PER_TOPIC]
if not usable_ks and len(docs) >= MIN_DOCS:
    usable_ks = [max(2, len(docs) // DOCS_PER_TOPIC)]
ready = bool(usable_ks)
print(
    f"{len(docs):,} documents: at most {len(docs) // DOCS_PER_TOPIC} topics "
    f"({DOCS_PER_TOPIC} documents per topic); nothing is fitted below {MIN_DOCS} documents."
)
if not ready:
    print(f"Only {len(docs)} {source} documents: too few to fit topics; nothing below is fitted.")
elif usable_ks != list(ks):
    print(f"Only {len(docs)} {source} documents: numbers of topics reduced to {usable_ks}.")
assert docs["doc_id"].is_unique, "doc_id must be unique"

# %% [markdown]
# ## Document-term matrix
# The project's tokens (`usrussia.text.tokens.TextAnalyzer`: entity aliases such as "Vladimir
# Putin" → `putin`, English and domain stopwords, Snowball stems) counted by
# `usrussia.text.vectorize`; terms in at least `min_df` documents and at most `max_df` of them,
# the `max_features` most frequent kept. Stems are shown as their most frequent surface form.

# %%
if ready:
    vectorizer = topic_vectorizer(min_df=min_df, max_df=max_df, max_features=max_features)
    matrices = unit_matrices(docs, unit, vectorizer)
    print(
        f"{matrices.X.shape[0]:,} {unit}s x {matrices.X.shape[1]:,} terms, "
        f"{matrices.X.nnz:,} non-zero cells; coherence counted over "
        f"{matrices.reference.shape[0]:,} documents"
    )

# %% [markdown]
# ## Baseline: the scikit-learn example's defaults on the same documents
# The scikit-learn topic-extraction example as it ships: its vectorizer settings, its number
# of components, its online LDA on counts and its Frobenius NMF on TF-IDF (the settings are
# printed below), scored with the same NPMI code (the top `n_top` words, document
# co-occurrence in the example's own count matrix).

# %%
print(f"vectorizer {EXAMPLE_VECTORIZER}, {EXAMPLE_N_TOPICS} components")
print(f"LDA {EXAMPLE_LDA}\nNMF {EXAMPLE_NMF}")
if ready and len(docs) >= 50:
    baseline = sklearn_example_baseline(docs["text"].tolist(), n_top=n_top)
    baseline_npmi = max(baseline.values())
    print(f"baseline mean NPMI: LDA {baseline['lda']:.3f}, NMF {baseline['nmf']:.3f}")
else:
    baseline, baseline_npmi = {}, None
    print(f"Too few documents for the {EXAMPLE_N_TOPICS}-topic baseline.")

# %% [markdown]
# ## Sweep: coherence against the number of topics
# One fit per (model, k) with `seed`; mean NPMI (higher is better, in [-1, 1]) and mean
# UMass (closer to 0 is better) of each topic's top words.

# %%
if ready:
    table = sweep(matrices.X, usable_ks, models, seed, n_top, matrices.reference)
    display(table.round(3))
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for model, part in table.groupby("model"):
        axes[0].plot(part["k"], part["mean_npmi"], marker="o", label=model)
        axes[1].plot(part["k"], part["mean_umass"], marker="o", label=model)
    for name, value in baseline.items():
        axes[0].axhline(value, linestyle="--", color="grey" if name == "lda" else "black")
        axes[0].annotate(f"sklearn example {name.upper()}", (min(usable_ks), value), fontsize=8)
    axes[0].set(xlabel="number of topics k", ylabel="mean NPMI", title="Coherence (NPMI)")
    axes[1].set(xlabel="number of topics k", ylabel="mean UMass", title="Coherence (UMass)")
    axes[0].legend()
    plt.tight_layout()
    plt.show()

# %% [markdown]
# ## Selection rule and stability
# Configurations are ranked by mean NPMI, except that those within `npmi_tolerance` of the
# best count as tied and the one with fewer topics goes first (differences that small are
# within what a change of seed moves: see the spread over seeds below). The first
# `max_candidates` are refitted with `n_seeds` seeds each, and the first whose **stability**
# (the mean cosine similarity of Hungarian-matched topic-word loadings over every pair of
# seeds) reaches `stability_threshold` is chosen. If none does, the most stable one tried is
# taken and the shortfall shows below. NMF starts from a random initialisation, so the seed
# matters.
#
# Every comparison uses the figures rounded to `selection_decimals` decimals, the precision
# of the sweep and candidate tables, so the choice can be checked by hand from them. The
# last digits of a fit move with the processor and the BLAS library; they cannot change the
# choice unless a figure lies that close to a rounding boundary, and the **margin** printed
# below says how far the nearest compared figure is from one.

# %%
if ready:
    seeds = [seed + i for i in range(n_seeds)]
    selection = select_model(
        matrices.X,
        table,
        seeds,
        threshold=stability_threshold,
        max_candidates=max_candidates,
        tolerance=npmi_tolerance,
        reference=matrices.reference,
        n_top=n_top,
        decimals=selection_decimals,
    )
    display(selection.candidates.round(3))
    chosen = selection.candidates.set_index(["model", "k"]).loc[(selection.model, selection.k)]
    fit = describe_fit(selection.fits[0], matrices, docs.index, n_top)
    print(
        f"chosen: {selection.model} with k={selection.k}: mean NPMI "
        f"{selection.mean_npmi:.3f} (best baseline {baseline_npmi or float('nan'):.3f}), "
        f"stability "
        f"{selection.stability:.3f} over {n_seeds} seeds; margin: the nearest compared figure "
        f"is {selection.margin:.1e} from a rounding boundary at {selection_decimals} decimals"
    )

# %% [markdown]
# ## The topics
# Each topic's automatic label (its first distinct top words, `short_label`), its top words,
# its coherence and its prevalence (mean share over documents).

# %%
if ready:
    topics = pd.DataFrame(
        {
            "label": fit.labels,
            "top words": [", ".join(w) for w in fit.top_words],
            "npmi": fit.npmi.round(3),
            "prevalence": fit.shares.mean().round(3).to_numpy(),
        }
    )
    display(topics)

# %% [markdown]
# ## Topic map
# Topics placed by multidimensional scaling of the Jensen-Shannon distances between their
# word distributions (near = similar vocabulary), sized by prevalence. Hover over, tab to
# or click a circle to list its top words.

# %%
if ready:
    display(
        HTML(
            topic_map(
                fit, n_words=15, title=f"{source} topics ({selection.model}, k={selection.k})"
            )
        )
    )

# %% [markdown]
# ## Evidence: the most representative documents of each topic
# The `n_examples` documents with the highest share of each topic (titles are shown as text).

# %%
n_examples = 3
if ready:
    examples = representative_documents(fit.shares, docs, n=n_examples)
    examples["date"] = pd.to_datetime(examples["date"]).dt.date
    display(examples.round(3))

# %% [markdown]
# ## Prevalence per year
# Mean topic share of the documents of each year (years with fewer than `min_docs`
# documents are left out of the plot; the table shows how many documents each year has).

# %%
if ready:
    years = pd.to_datetime(docs["date"]).dt.year.astype("Int64")
    by_year = prevalence_by(fit.shares, years)
    display(by_year[["n_docs"]].T)
    shown = by_year[by_year["n_docs"] >= min_docs].drop(columns="n_docs")
    if shown.empty:
        print(f"No year has {min_docs} documents or more.")
    else:
        fig, ax = plt.subplots(figsize=(11, 0.35 * len(fit.labels) + 1.5))
        image = ax.imshow(shown.T.to_numpy(), aspect="auto", cmap="viridis")
        ax.set_xticks(range(len(shown)), [str(int(y)) for y in shown.index], rotation=90)
        ax.set_yticks(range(len(fit.labels)), fit.labels)
        ax.set(xlabel="year", ylabel="topic", title="Mean topic share per year")
        fig.colorbar(image, ax=ax, label="mean share")
        plt.tight_layout()
        plt.show()

# %% [markdown]
# ## Prevalence per US administration

# %%
if ready:
    by_era = prevalence_by(fit.shares, docs["era"])
    display(by_era.round(3))
    shown = by_era[by_era["n_docs"] >= min_docs].drop(columns="n_docs")
    if not shown.empty:
        ax = shown.T.plot.barh(figsize=(8, 0.35 * len(fit.labels) + 2))
        ax.set(xlabel="mean share", ylabel="topic", title="Mean topic share per US administration")
        plt.tight_layout()
        plt.show()

# %% [markdown]
# ## Around the US-Russia presidential meetings
# Mean topic share of the documents within `window_days` days of each meeting in
# `data/external/events.csv` (a document near two meetings counts for the nearer one);
# meetings with fewer than `min_docs` documents in their window are left out of the plot.

# %%
if ready:
    meetings = event_prevalence(fit.shares, docs["date"], load_events(), window_days)
    if meetings.empty:
        print(f"No {source} document falls within {window_days} days of a meeting.")
    else:
        top = meetings.drop(columns="n_docs").idxmax(axis=1)
        display(pd.DataFrame({"n_docs": meetings["n_docs"], "most prevalent topic": top}))
        shown = meetings[meetings["n_docs"] >= min_docs].drop(columns="n_docs")
        if not shown.empty:
            fig, ax = plt.subplots(figsize=(11, 0.35 * len(fit.labels) + 3))
            image = ax.imshow(shown.T.to_numpy(), aspect="auto", cmap="viridis")
            ax.set_xticks(range(len(shown)), shown.index, rotation=90)
            ax.set_yticks(range(len(fit.labels)), fit.labels)
            ax.set(xlabel="meeting", ylabel="topic", title="Mean topic share around meetings")
            fig.colorbar(image, ax=ax, label="mean share")
            plt.tight_layout()
            plt.show()

# %% [markdown]
# ## Obama era → Trump era: which topics rose or fell
# Difference of mean topic share (Trump's first term minus Obama's), with percentile
# bootstrap intervals (documents resampled within each era,
# `usrussia.compare.prevalence.era_difference`); `clear` marks intervals that exclude zero.
# An era's pages need not spread evenly over its years: the count of documents per year in
# each era is printed first.

# %%
era_counts = docs["era"].value_counts()
if ready and min(era_counts.get("obama", 0), era_counts.get("trump1", 0)) >= 2:
    in_eras = docs[docs["era"].isin(["obama", "trump1"])]
    display(pd.crosstab(in_eras["era"], pd.to_datetime(in_eras["date"]).dt.year))
    change = era_difference(fit.shares, docs["era"], "obama", "trump1", seed=seed)
    display(change.round(4))
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(change) + 1.5))
    y = np.arange(len(change))[::-1]
    ax.errorbar(
        change["change"],
        y,
        xerr=[change["change"] - change["ci_low"], change["ci_high"] - change["change"]],
        fmt="o",
        capsize=3,
    )
    ax.axvline(0, color="grey", linewidth=1)
    ax.set_yticks(y, change["topic"])
    ax.set(
        xlabel="change in mean share (Trump 1 minus Obama)",
        ylabel="topic",
        title="Topic share change between eras, bootstrap intervals",
    )
    plt.tight_layout()
    plt.show()
else:
    change = None
    print("Too few documents in the Obama or Trump era for a comparison.")

# %% [markdown]
# ## Metrics
# The `topics` block of `metrics.json`.

# %%
block = {"source": source, "n_documents": int(len(docs)), "fitted": ready}
if ready:
    block |= {
        "model": selection.model,
        "k": selection.k,
        "unit": unit,
        "n_terms": int(matrices.X.shape[1]),
        "mean_npmi": round(selection.mean_npmi, 4),
        "baseline_npmi": None if baseline_npmi is None else round(baseline_npmi, 4),
        "baseline": {name: round(value, 4) for name, value in baseline.items()},
        "beats_baseline": None if baseline_npmi is None else selection.mean_npmi > baseline_npmi,
        "stability": round(selection.stability, 4),
        "stability_seeds": n_seeds,
        "stability_threshold": stability_threshold,
        "selection_decimals": selection_decimals,
        "selection_margin": float(f"{selection.margin:.2e}"),
        "npmi_sd_over_seeds": round(float(chosen["npmi_sd_over_seeds"]), 4),
        "candidates": selection.candidates.round(4).to_dict(orient="records"),
        "sweep": table.round(4).to_dict(orient="records"),
        "labels": fit.labels,
        "rose_obama_to_trump": None
        if change is None
        else change.loc[change["clear"] & (change["change"] > 0), "topic"].tolist(),
        "fell_obama_to_trump": None
        if change is None
        else change.loc[change["clear"] & (change["change"] < 0), "topic"].tolist(),
    }
save_block("topics", block, output_dir)
{k: v for k, v in block.items() if k not in ("sweep", "labels")}
