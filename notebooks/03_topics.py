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
# # 03 · What the documents talk about, and how the agenda moved
#
# Topic models of the study's documents (the in-scope documents that match the study's
# `[topics]` filter), fitted with scikit-learn and checked in the open: each topic's
# **coherence** (NPMI of its top words, counted from document co-occurrence in the same
# documents), the **stability** of the topics across random seeds (Hungarian matching of
# topics between fits), and a side-by-side **baseline**: the scikit-learn topic-extraction
# example's defaults on the same documents. Then the topics' prevalence per year, per US
# administration, around each US-Russia presidential meeting, and which topics rose or fell
# between the eras the study compares. The chosen model's document-topic shares are written
# for the comparison page. The logic lives in `usrussia.topics` (the model, coherence,
# stability, selection, settings, units and baseline modules, and the topic map) and
# `usrussia.compare.prevalence`.
#
# The study's `[topics]` table may set any parameter below by name (`ks = [5, 10]`); what it
# sets replaces the value of the parameters cell, and the page says which it set.

# %% tags=["parameters"]
study_path = "../studies/shipped.toml"
corpus_path = ""  # a corpus to use instead of the study's (empty: the study's corpus)
output_dir = "../reports"
seed = 20170707
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
n_examples = 3  # representative documents shown per topic

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Markdown, display

from usrussia.compare import load_events
from usrussia.compare.prevalence import era_difference, event_prevalence, prevalence_by
from usrussia.corpus import read_corpus
from usrussia.corpus.describe import era_order, eras_present
from usrussia.plots import plot_share_heatmap, plot_topic_change
from usrussia.report.metrics import save_block
from usrussia.report.tables import readable
from usrussia.study import in_scope, load_study, select
from usrussia.study.groups import describe_filter, era_pairs, filter_record, without_copies
from usrussia.topics.baseline import (
    EXAMPLE_LDA,
    EXAMPLE_N_TOPICS,
    EXAMPLE_NMF,
    EXAMPLE_VECTORIZER,
    sklearn_example_baseline,
)
from usrussia.topics.files import TOPIC_SHARES, remove_topic_shares, write_topic_shares
from usrussia.topics.metrics import era_change_record, fit_record, topics_block
from usrussia.topics.selection import select_model, sweep
from usrussia.topics.settings import BASELINE_MIN_DOCS, sweep_note, topic_settings, usable_ks
from usrussia.topics.topicmap import topic_map
from usrussia.topics.units import (
    describe_fit,
    representative_documents,
    topic_vectorizer,
    unit_matrices,
)

NAMES = {
    "label": "topic",
    "n_docs": "documents",
    "mean_npmi": "mean NPMI",
    "mean_umass": "mean UMass",
    "npmi": "NPMI",
}
study = load_study(study_path)
settings = topic_settings(study.topics, globals())
topic_filter = study.topics.get("filter", {})
corpus = read_corpus(corpus_path or study.corpus)
docs, n_copies = without_copies(study, select(in_scope(study, corpus), topic_filter))
chosen_by_study = ", ".join(f"`{name}`" for name in settings.from_study) or "none"
Markdown(
    f"{len(docs):,} in-scope documents of the corpus's {len(corpus):,} match the topic filter "
    f"({describe_filter(topic_filter)}); {n_copies:,} near-duplicate copies dropped. "
    f"Settings the study sets: {chosen_by_study}."
)

# %% [markdown]
# ## Checks before fitting
# The sweep only tries numbers of topics the documents can carry (at most one topic per
# `DOCS_PER_TOPIC` documents, `usrussia.topics.settings`); on a small corpus the grid
# shrinks, and below `MIN_DOCS` documents nothing is fitted. A vocabulary that the
# document-frequency limits leave empty fits nothing either.

# %%
assert docs["doc_id"].is_unique, "doc_id must be unique"
usable = usable_ks(settings.ks, len(docs))
note = sweep_note(settings.ks, usable, len(docs))
matrices = None
if usable:
    vectorizer = topic_vectorizer(settings.min_df, settings.max_df, settings.max_features)
    try:
        matrices = unit_matrices(docs, settings.unit, vectorizer)
    except ValueError as exc:  # no unit long enough, or no term left after pruning
        note = f"No topic model: {exc}."
ready = matrices is not None
if not ready:
    remove_topic_shares(output_dir)  # no page may read an earlier run's shares
Markdown(note or f"{len(docs):,} documents: every number of topics of the sweep is tried.")

# %% [markdown]
# ## Document-term matrix
# The project's tokens (`usrussia.text.tokens.TextAnalyzer`: entity aliases such as "Vladimir
# Putin" → `putin`, English and domain stopwords, Snowball stems) counted by
# `usrussia.text.vectorize`; terms in at least `min_df` documents and at most `max_df` of them,
# the `max_features` most frequent kept. Stems are shown as their most frequent surface form.

# %%
if ready:
    print(
        f"{matrices.X.shape[0]:,} {settings.unit}s x {matrices.X.shape[1]:,} terms, "
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
if ready and len(docs) >= BASELINE_MIN_DOCS:
    baseline = sklearn_example_baseline(docs["text"].tolist(), n_top=settings.n_top)
    baseline_npmi = max(baseline.values())
    print(f"baseline mean NPMI: LDA {baseline['lda']:.3f}, NMF {baseline['nmf']:.3f}")
else:
    baseline, baseline_npmi = {}, None
    print(f"No baseline: it needs at least {BASELINE_MIN_DOCS} documents and a fitted model.")

# %% [markdown]
# ## Sweep: coherence against the number of topics
# One fit per (model, k) with `seed`; mean NPMI (higher is better, in [-1, 1]) and mean
# UMass (closer to 0 is better) of each topic's top words.

# %%
if ready:
    table = sweep(matrices.X, usable, settings.models, seed, settings.n_top, matrices.reference)
    display(readable(table, names=NAMES))
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for model, part in table.groupby("model"):
        axes[0].plot(part["k"], part["mean_npmi"], marker="o", label=model)
        axes[1].plot(part["k"], part["mean_umass"], marker="o", label=model)
    for name, value in baseline.items():
        axes[0].axhline(value, linestyle="--", color="grey" if name == "lda" else "black")
        axes[0].annotate(f"sklearn example {name.upper()}", (min(usable), value), fontsize=8)
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
    selection = select_model(
        matrices.X,
        table,
        [seed + i for i in range(settings.n_seeds)],
        threshold=settings.stability_threshold,
        max_candidates=settings.max_candidates,
        tolerance=settings.npmi_tolerance,
        reference=matrices.reference,
        n_top=settings.n_top,
        decimals=settings.selection_decimals,
    )
    display(readable(selection.candidates, names=NAMES))
    fit = describe_fit(selection.fits[0], matrices, docs.index, settings.n_top)
    shares_path = write_topic_shares(fit.shares, docs["doc_id"], output_dir)
    print(
        f"chosen: {selection.model} with k={selection.k}: mean NPMI "
        f"{selection.mean_npmi:.3f} (best baseline {baseline_npmi or float('nan'):.3f}), "
        f"stability {selection.stability:.3f} over {settings.n_seeds} seeds; margin: the "
        f"nearest compared figure is {selection.margin:.1e} from a rounding boundary at "
        f"{settings.selection_decimals} decimals; document-topic shares in {TOPIC_SHARES}"
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
            "npmi": fit.npmi,
            "prevalence": fit.shares.mean().to_numpy(),
        }
    )
    display(readable(topics, names=NAMES))

# %% [markdown]
# ## Topic map
# Topics placed by multidimensional scaling of the Jensen-Shannon distances between their
# word distributions (near = similar vocabulary), sized by prevalence. Hover over, tab to
# or click a circle to list its top words.

# %%
if ready:
    title = f"Topics ({selection.model}, k={selection.k}) of {describe_filter(topic_filter)}"
    display(HTML(topic_map(fit, n_words=15, title=title)))

# %% [markdown]
# ## Evidence: the most representative documents of each topic
# The `n_examples` documents with the highest share of each topic (titles are shown as text).

# %%
if ready:
    examples = representative_documents(fit.shares, docs, n=settings.n_examples)
    examples["date"] = pd.to_datetime(examples["date"]).dt.date
    display(readable(examples))

# %% [markdown]
# ## Prevalence per year
# Mean topic share of the documents of each year (years with fewer than `min_docs`
# documents are left out of the plot; the table says how many documents each year has).

# %%
if ready:
    by_year = prevalence_by(fit.shares, pd.to_datetime(docs["date"]).dt.year.astype("Int64"))
    display(readable(by_year[["n_docs"]].rename_axis("year").reset_index(), names=NAMES))
    shown = by_year[by_year["n_docs"] >= settings.min_docs].drop(columns="n_docs")
    if shown.empty:
        print(f"No year has {settings.min_docs} dated documents or more.")
    else:
        plot_share_heatmap(shown, "year")
        plt.tight_layout()
        plt.show()

# %% [markdown]
# ## Prevalence per US administration and per source
# Mean topic share per era (in office order) and, when the documents come from several
# sources, per source.

# %%
if ready:
    by_era = prevalence_by(fit.shares, era_order(docs["era"]))
    display(readable(by_era.rename_axis("era").reset_index(), names=NAMES))
    shown = by_era[by_era["n_docs"] >= settings.min_docs].drop(columns="n_docs")
    if shown.empty:
        print(f"No era has {settings.min_docs} dated documents or more.")
    else:
        ax = shown.T.plot.barh(figsize=(8, 0.35 * len(fit.labels) + 2))
        ax.set(xlabel="mean share", ylabel="topic", title="Mean topic share per US administration")
        plt.tight_layout()
        plt.show()
    if docs["source"].nunique() > 1:
        display(readable(prevalence_by(fit.shares, docs["source"]).reset_index(), names=NAMES))

# %% [markdown]
# ## Around the US-Russia presidential meetings
# Mean topic share of the documents within `window_days` days of each meeting in the study's
# events table (a document near two meetings counts for the nearer one); meetings with fewer
# than `min_docs` documents in their window are left out of the plot.

# %%
if ready:
    meetings = event_prevalence(
        fit.shares, docs["date"], load_events(study.events), settings.window_days
    )
    if meetings.empty:
        print(f"No document falls within {settings.window_days} days of a meeting.")
    else:
        top = meetings.drop(columns="n_docs").idxmax(axis=1).rename("most prevalent topic")
        display(readable(pd.concat([meetings["n_docs"], top], axis=1).reset_index(), names=NAMES))
        shown = meetings[meetings["n_docs"] >= settings.min_docs].drop(columns="n_docs")
        if not shown.empty:
            plot_share_heatmap(shown, "meeting", title="Mean topic share around meetings")
            plt.tight_layout()
            plt.show()

# %% [markdown]
# ## Between eras: which topics rose or fell
# For each pair of eras the study compares (else each pair of consecutive eras present), the
# difference of mean topic share (the later era minus the earlier), with percentile
# bootstrap intervals (documents resampled within each era,
# `usrussia.compare.prevalence.era_difference`); `clear` marks intervals that exclude zero.
# An era's documents need not spread evenly over its years: the count of documents per year
# in each era comes first.

# %%
era_counts = docs["era"].value_counts()
pairs = era_pairs(study, [e for e in eras_present(docs) if era_counts[e] >= 2]) if ready else []
changes = {}
for before, after in pairs:
    in_eras = docs[docs["era"].isin([before, after])]
    years = pd.crosstab(in_eras["era"], pd.to_datetime(in_eras["date"]).dt.year)
    display(Markdown(f"### {before} → {after}"), readable(years.reset_index()))
    changes[before, after] = era_difference(fit.shares, docs["era"], before, after, seed=seed)
    display(readable(changes[before, after], decimals=4))
    plot_topic_change(changes[before, after], labels=(before, after))
    plt.tight_layout()
    plt.show()
if not pairs:
    print("No two eras with documents to compare topic shares between.")

# %% [markdown]
# ## Metrics
# The `topics` block of `metrics.json`: the documents, the settings, the chosen configuration
# and the file of its document-topic shares.

# %%
fitted_on = {
    "filter": filter_record(topic_filter),
    "n_documents": len(docs),
    "near_duplicates_dropped": n_copies,
    "note": note,
    "seed": seed,
}
fitted = fit_record(selection, fit, table, baseline, matrices.X.shape[1]) if ready else None
era_changes = [era_change_record(*pair, change) for pair, change in changes.items()]
block = topics_block(settings, fitted_on, fitted, era_changes)
save_block("topics", block, output_dir)
{k: v for k, v in block.items() if k not in ("sweep", "labels", "candidates")}
