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
# # 01 · What is in the corpus
#
# The study file names the corpus and which of its documents are in scope (`usrussia corpus
# build` or `usrussia corpus import` made the corpus; `data/README.md` is the codebook). This
# page shows what each source contributes, when, what kind of text it is, how many documents
# each source's selection rule keeps and how many are near-duplicates of one another. It
# checks its own assumptions in the open before anything is concluded from the data, and says
# in words what the corpus lacks (dates, eras, outlets) where later pages need it.

# %% tags=["parameters"]
study_path = "../studies/shipped.toml"
corpus_path = ""  # a corpus to use instead of the study's (empty: the study's corpus)
output_dir = "../reports"
seed = 20170707
kwic_pattern = "summit"  # the word (or glob, phrase) shown in context below
kwic_window = 6  # words either side
min_docs_per_group = 5  # keyness needs some text on both sides

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from usrussia import config
from usrussia.corpus import read_accounting, read_corpus
from usrussia.corpus.describe import (
    accounting_sentence,
    category_table,
    corpus_block,
    era_check,
    era_table,
    kind_table,
    length_table,
    notes,
    outlet_table,
    scope_sentence,
    source_table,
    year_table,
)
from usrussia.corpus.selection import names_of_targets, rule_of
from usrussia.report.metrics import save_block
from usrussia.report.tables import readable
from usrussia.study import in_scope, load_study
from usrussia.study.groups import describe_filter
from usrussia.text.dedup import copies_by, copies_sentence, near_duplicate_copies

study = load_study(study_path)
corpus = read_corpus(corpus_path or study.corpus)
documents = in_scope(study, corpus)
display(Markdown(f"**{study.title or study.name}**"))
Markdown(scope_sentence(documents, len(corpus), describe_filter(study.scope)))

# %% [markdown]
# ## Checks before looking
# Every document has an id, a source and non-empty text; ids are unique; every dated
# document carries the era of the US administration in office on its date (on an
# inauguration day, the outgoing one until noon); the documents without an era are
# exactly the undated ones and those dated outside the administrations listed, by name.

# %%
assert documents["doc_id"].is_unique, "doc_id must be unique"
assert documents["text"].str.len().gt(0).all(), "no empty texts"
eras = era_check(documents)
assert not eras.wrong, f"era is not the administration in office: {eras.wrong}"
assert not eras.unaccounted, f"documents without an era, unaccounted: {eras.unaccounted}"
print(f"undated documents: {len(eras.undated):,} (kept, era unknown)")
print(f"dated outside the administrations listed: {len(eras.outside):,} {eras.outside[:20]}")
boundaries = pd.DataFrame(config.ERAS, columns=["era", "president", "from"])
readable(boundaries, names={"from": "in office from (inauguration day)"})

# %% [markdown]
# ## Records read, kept and quarantined
# The corpus build and import keep or quarantine every record with a reason
# (`read = kept + quarantined`); a corpus file written with its build's ledger carries the
# counts.

# %%
accounting = read_accounting(corpus_path or study.corpus)
Markdown(accounting_sentence(accounting))

# %% [markdown]
# ## Documents per source and kind of text
# Each source's documents, outlets, kinds of text and dates (a dash: none dated), how many
# its selection rule keeps (`relevant`) and their median length. Sources of different kinds
# (official readouts, addresses, articles, headlines) are compared like with like later.

# %%
names = {
    "documents": "documents",
    "outlets": "outlets",
    "first": "first date",
    "last": "last date",
    "relevant_share": "share relevant",
    "median_words": "median words",
}
readable(source_table(documents), decimals=3, names=names)

# %%
readable(kind_table(documents), names=names)
# %% [markdown]
# ## Documents per category and year
# Sources that file their texts under categories (the White House's statements and
# readouts, remarks, presidential actions, fact sheets, articles) are compared category by
# category; the relevant documents of each per year show where a category is thin.
# %%
categories = category_table(documents)
if categories.empty:
    display(Markdown("No source in scope files its texts under categories."))
readable(categories)

# %% [markdown]
# ## Selection rules
# Every document is kept in the corpus; `relevant` marks the documents each source's rule
# selects (`usrussia.corpus.selection`), stated below for the sources in scope with how many
# documents each rule keeps. The names of each side are one table, the `target` column of
# `data/external/entity_aliases.csv` (also used for targeted tone), matched case-sensitively,
# the longest name first ("Latin America" is not the United States).

# %%
rules = source_table(documents)[["source", "documents", "relevant"]]
rules.insert(1, "rule", rules["source"].map(rule_of))
display(
    readable(
        rules,
        names={"rule": "a document is relevant when", "relevant": "relevant (kept by the rule)"},
    )
)
readable(pd.DataFrame(names_of_targets(), columns=["target", "names matched"]))

# %% [markdown]
# ## Near-duplicates
# Wire copies and republished statements: among the relevant in-scope documents (those the
# comparisons use), documents of the same source whose word shingles overlap at the study's
# threshold or more (Jaccard similarity, `usrussia.text.dedup`). The earliest document of
# each group is its original; the others are copies.

# %%
relevant = documents[documents["relevant"]]
copy_of = near_duplicate_copies(relevant, study.dedup_threshold)
duplicates = copies_by(relevant, copy_of)
display(readable(duplicates, names={"originals_copied": "originals copied"}))
dropping = {True: "drops them (`[dedup] drop = true`)", False: "keeps them"}
Markdown(
    f"{copies_sentence(copy_of, study.dedup_threshold)} The study "
    f"{dropping[study.drop_near_duplicates]}."
)

# %% [markdown]
# ## Relevant documents per year and source

# %%
per_year = year_table(relevant)
if per_year.empty:
    print("No relevant document is dated: there is no timeline to draw.")
else:
    fig, ax = plt.subplots(figsize=(9, 4))
    per_year.plot(kind="bar", stacked=True, ax=ax, width=0.85)
    ax.set_ylabel("documents")
    ax.set_title("Relevant documents per year, by source")
    fig.tight_layout()
    plt.show()

# %% [markdown]
# ## Documents per era and source
# The US administration in office on each document's date; "unknown" for undated documents.

# %%
readable(era_table(documents))

# %% [markdown]
# ## Outlets
# The outlet of a news item is its URL's domain, so outlets of one source (e.g. state media
# and other outlets) can be told apart; the study's outlet groups are shown beside them.

# %%
outlets = outlet_table(documents)
if outlets.empty:
    print("No source in scope has more than one outlet.")
else:
    ax = outlets.plot.barh(x="outlet", y=["documents", "relevant"], figsize=(8, 4))
    ax.set_xlabel("documents")
    ax.set_title("Documents per outlet, all and relevant")
    plt.tight_layout()
    plt.show()
readable(outlets, names={"outlet_group": "outlet group"})

# %% [markdown]
# ## Lengths
# Words per document by source (the table below the plot): measures that depend on length
# (VADER's compound score saturates on long texts) are computed per sentence and aggregated.

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
for source, group in documents.groupby("source"):
    ax.hist(
        group["n_words"].clip(lower=1),
        bins=np.logspace(0, 5, 41),
        alpha=0.5,
        label=source,
    )
ax.set_xscale("log")
ax.set_xlabel("words per document (log scale)")
ax.set_ylabel("documents")
ax.set_title("Document length by source")
ax.legend()
fig.tight_layout()
plt.show()
readable(length_table(documents), decimals=0, names={"sd": "standard deviation"})

# %%
block = {
    **corpus_block(corpus, documents),
    "accounting": accounting,
    "near_duplicates": {
        "among": "relevant in-scope documents, within source",
        "threshold": study.dedup_threshold,
        "copies": int(copy_of.count()),
        "dropped": study.drop_near_duplicates,
    },
    "notes": notes(documents),
}
save_block("corpus", block, output_dir)

# %% [markdown]
# ---
# ## Exploring the texts
# The documents of the study's first comparison of two groups, read three ways, quanteda
# style: keywords in context, collocations, and keyness between its two groups. Tokens are
# the project's: the texts were cleaned at corpus build (page furniture removed), entity
# aliases are one token (`putin`, `united_states`, `white_house`), English and domain
# stopwords are dropped (`data/external/stopwords/`). The helpers are `usrussia.text.clean`,
# `usrussia.text.tokens`, `usrussia.text.vectorize` and `usrussia.text.explore`.

# %%
from usrussia.corpus import counts_by
from usrussia.plots import plot_keyness
from usrussia.study.groups import exploration, first_group_comparison
from usrussia.text.explore import collocations, group_keyness, kwic
from usrussia.text.tokens import TextAnalyzer

explored, texts, what = exploration(study, documents)
analyzer = TextAnalyzer()
display(Markdown(f"Explored: {what}, {len(explored):,} documents."))
readable(counts_by(explored, "group").replace({"unknown": "neither group"}))

# %% [markdown]
# ### Keywords in context
# Each occurrence of `kwic_pattern` with `kwic_window` words either side
# (`usrussia.text.explore.kwic`).

# %%
found_kwic = kwic(texts, kwic_pattern, window=kwic_window, doc_ids=explored["doc_id"])
if found_kwic.empty:
    print(f"No occurrence of {kwic_pattern!r} in these documents.")
else:
    print(f"{len(found_kwic)} occurrences in {found_kwic['doc_id'].nunique()} documents:")
readable(found_kwic.head(15))

# %% [markdown]
# ### Collocations
# Adjacent token pairs that occur together more often than chance, ranked by the
# log-likelihood ratio G² (PMI alongside; PMI overrates rare pairs, hence the minimum count,
# lower for fewer than a hundred documents).

# %%
pairs = collocations(analyzer.transform(texts), min_count=5 if len(texts) >= 100 else 2, n=20)
if pairs.empty:
    print("Too little text for collocations in these documents.")
readable(pairs, decimals=2)

# %% [markdown]
# ### Keyness between the two groups
# Which tokens distinguish the second group's documents from the first's? Signed G²
# (Williams-corrected) per token, positive when relatively more frequent in the second group;
# the log ratio is the effect size (+1: twice as frequent). The document counts are in the
# plot's labels: where one group has few documents, read its side with care.

# %%
comparison = first_group_comparison(study)
key = group_keyness(
    texts, explored["group"], comparison.groups if comparison else (), min_docs_per_group, analyzer
)
if key.note:
    print(key.note)
else:
    fig, ax = plt.subplots(figsize=(8, 7))
    plot_keyness(key.table, n=15, labels=key.labels, ax=ax, title=f"{comparison.name}: key tokens")
    fig.tight_layout()
    plt.show()
    display(readable(key.table.head(15)))
