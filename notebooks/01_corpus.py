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
# The corpus is built from `data/raw/` by `usrussia corpus build` (see `data/README.md` for
# the codebook). This notebook shows what each source contributes, when, and what kind of
# text it is, and how many documents each source's selection rule keeps. It checks its own
# assumptions in the open before anything is concluded from the data.

# %% tags=["parameters"]
corpus_path = "../data/processed/corpus.parquet"
output_dir = "../reports"
seed = 20170707

# %%
import matplotlib.pyplot as plt
import pandas as pd

from usrussia import config
from usrussia.corpus import counts_by, era_of, read_corpus
from usrussia.corpus.selection import KREMLIN_MIN_US_MENTIONS, load_alias_rows
from usrussia.report.metrics import save_block

corpus = read_corpus(corpus_path)
print(f"{len(corpus):,} documents from {corpus['source'].nunique()} sources")

# %% [markdown]
# ## Checks before looking
# Every document has an id, a source and non-empty text; ids are unique; every dated
# document carries the era of the US administration in office on its date (on an
# inauguration day, the outgoing one until noon); the documents without an era are
# exactly the undated ones and those dated outside the administrations listed, by name.

# %%
assert corpus["doc_id"].is_unique, "doc_id must be unique"
assert corpus["text"].str.len().gt(0).all(), "no empty texts"
dated = corpus["date"].notna()
in_office = corpus["date"].map(lambda day: era_of(day.date())[0] if pd.notna(day) else None)
inauguration = corpus["date"].dt.date.isin({start for _, _, start in config.ERAS})
wrong_era = corpus[dated & ~inauguration & (corpus["era"] != in_office)]
assert wrong_era.empty, f"era is not the administration in office: {wrong_era['doc_id'].tolist()}"
no_era = set(corpus.loc[corpus["era"].isna(), "doc_id"])
outside = set(corpus.loc[dated & in_office.isna(), "doc_id"])
undated = set(corpus.loc[~dated, "doc_id"])
assert no_era == undated | outside, f"unaccounted: {sorted(no_era ^ (undated | outside))}"
print(f"undated documents: {len(undated):,} (kept, era unknown)")
print(f"dated outside the administrations listed: {len(outside):,} {sorted(outside)[:20]}")
print("era boundaries (inauguration days):")
for name, president, start in config.ERAS:
    print(f"  {name:8s} from {start}  {president}")

# %% [markdown]
# ## Documents per source and kind of text
# The sources are different kinds of text: the Kremlin's own news pages (official readouts,
# statements), US presidential addresses, full news articles from a set of outlets, and
# r/worldnews headlines; the table gives each one's dates. Comparisons later in the
# reports compare like with like.

# %%
spans = corpus.groupby("source")["date"].agg(first="min", last="max")
spans["outlets"] = corpus.groupby("source")["outlet"].nunique()
spans

# %%
kinds = (
    corpus.groupby(["source", "kind"])
    .agg(
        documents=("doc_id", "size"),
        relevant=("relevant", "sum"),
        median_words=("n_words", "median"),
    )
    .reset_index()
)
kinds["relevant_share"] = (kinds["relevant"] / kinds["documents"]).round(3)
kinds

# %% [markdown]
# ## Selection rules
# Every document is kept in the corpus; `relevant` marks the documents each source's rule
# selects (`usrussia.corpus.selection`): Kremlin pages whose title names the US or whose text
# names it at least the number of times printed below; media items, addresses and headlines
# that name Russia. The names of each side are one table, the `target` column of
# `data/external/entity_aliases.csv` (also used for targeted tone), matched case-sensitively,
# the longest name first ("Latin America" is not the United States).

# %%
print(f"Kremlin pages: the title names the US, or the text {KREMLIN_MIN_US_MENTIONS}+ times")
names = pd.DataFrame(load_alias_rows()).query("target != ''")
names.groupby("target")["alias"].agg(lambda aliases: ", ".join(sorted(aliases)))

# %%
selection = corpus.groupby("source")["relevant"].agg(documents="size", selected="sum")
selection["share"] = (selection["selected"] / selection["documents"]).round(3)
selection

# %% [markdown]
# ## Documents per year and source (selected documents)

# %%
relevant = corpus[corpus["relevant"] & corpus["date"].notna()].copy()
relevant["year"] = relevant["date"].dt.year
per_year = relevant.pivot_table(index="year", columns="source", values="doc_id", aggfunc="size")
fig, ax = plt.subplots(figsize=(9, 4))
per_year.fillna(0).plot(kind="bar", stacked=True, ax=ax, width=0.85)
ax.set_ylabel("documents")
ax.set_title("Selected (US- or Russia-related) documents per year")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Documents per era and source

# %%
per_era = counts_by(corpus, "source", "era").pivot(
    index="source", columns="era", values="documents"
)
per_era = per_era.reindex(columns=[*config.ERA_NAMES, "unknown"]).dropna(axis=1, how="all")
per_era.fillna(0).astype(int)

# %% [markdown]
# ## Outlets of the news articles
# The outlet is the article URL's domain, so Russian state media (TASS) can be told apart
# from Western and other outlets.

# %%
news = corpus[corpus["source"] == "news_articles"]
outlets = news.groupby("outlet")["relevant"].agg(articles="size", russia_related="sum")
fig, ax = plt.subplots(figsize=(8, 3.5))
outlets.sort_values("articles").plot(kind="barh", ax=ax)
ax.set_xlabel("articles")
ax.set_title("News articles per outlet, all and Russia-related")
fig.tight_layout()
plt.show()
outlets

# %% [markdown]
# ## Lengths
# Headlines are short, Kremlin pages longer, addresses longest (the table below the plot):
# measures that depend on length (VADER's compound score saturates on long texts) must be
# computed per sentence and aggregated.

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
for source, group in corpus.groupby("source"):
    ax.hist(
        group["n_words"].clip(lower=1),
        bins=pd.Series(range(0, 41)).map(lambda i: 10 ** (i / 8)),
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
corpus.groupby("source")["n_words"].describe().round(0)

# %%
save_block(
    "corpus",
    {
        "documents": len(corpus),
        "relevant": int(corpus["relevant"].sum()),
        "by_source": corpus["source"].value_counts().sort_index().to_dict(),
        "relevant_by_source": corpus.groupby("source")["relevant"].sum().sort_index().to_dict(),
        "by_era": corpus["era"].fillna("unknown").value_counts().sort_index().to_dict(),
        "undated": int((~dated).sum()),
    },
    output_dir,
)

# %% [markdown]
# ---
# ## Exploring the texts
# The US-related Kremlin pages (the `relevant` rule above), read three ways, quanteda
# style: keywords in context, collocations, and keyness. Tokens are the project's: the
# texts were cleaned at corpus build (Kremlin name tooltips and page footers removed),
# entity aliases are one token (`putin`, `united_states`, `white_house`), English and
# domain stopwords are dropped (`data/external/stopwords/`). The helpers are
# `usrussia.text.clean`, `usrussia.text.tokens`, `usrussia.text.vectorize` and
# `usrussia.text.explore`.

# %%
from usrussia.plots import plot_keyness
from usrussia.text.explore import collocations, keyness, kwic
from usrussia.text.tokens import TextAnalyzer
from usrussia.text.vectorize import build_dtm, count_vectorizer

KWIC_PATTERN = "summit"
KWIC_WINDOW = 6  # words either side
MIN_PAGES_PER_ERA = 5  # keyness needs some text on both sides

us_pages = corpus[(corpus["source"] == "kremlin") & corpus["relevant"]]
analyzer = TextAnalyzer()
print(f"US-related Kremlin pages: {len(us_pages):,}")
us_pages["era"].fillna("unknown").value_counts().rename("pages").to_frame()

# %% [markdown]
# ### "summit" in context
# Each occurrence with `KWIC_WINDOW` words either side (`usrussia.text.explore.kwic`).

# %%
summit = kwic(us_pages["text"], KWIC_PATTERN, window=KWIC_WINDOW, doc_ids=us_pages["doc_id"])
if summit.empty:
    print(f"No occurrence of {KWIC_PATTERN!r} in these pages.")
else:
    print(f"{len(summit)} occurrences in {summit['doc_id'].nunique()} pages; the first 15:")
summit.head(15)

# %% [markdown]
# ### Collocations
# Adjacent token pairs that occur together more often than chance, ranked by the
# log-likelihood ratio G² (PMI alongside; PMI overrates rare pairs, hence the minimum count).

# %%
tokens = analyzer.transform(us_pages["text"])
pairs = collocations(tokens, min_count=5 if len(us_pages) >= 100 else 2, n=20)
if pairs.empty:
    print("Too little text for collocations in this corpus.")
pairs.round(2)

# %% [markdown]
# ### Keyness: Trump era vs Obama era
# Which tokens distinguish the US-related Kremlin pages of the first Trump administration
# from those of the Obama administration (`config.ERAS` dates them)? Signed G² (Williams-
# corrected) per token, positive when relatively more frequent under Trump; the log ratio
# is the effect size (+1: twice as frequent). The page counts are in the plot's labels:
# where one era has few pages, read its side with care.

# %%
eras = us_pages[us_pages["era"].isin(["obama", "trump1"])]
n_pages = eras["era"].value_counts()
key = None
if min(n_pages.get("obama", 0), n_pages.get("trump1", 0)) < MIN_PAGES_PER_ERA:
    print(
        f"Keyness skipped: {n_pages.get('trump1', 0)} Trump-era and {n_pages.get('obama', 0)} "
        f"Obama-era pages; at least {MIN_PAGES_PER_ERA} of each are needed."
    )
else:
    dtm = build_dtm(eras["text"], count_vectorizer(analyzer, min_df=2), desc="vectorising")
    key = keyness(dtm.matrix, (eras["era"] == "trump1").to_numpy(), dtm.terms, measure="lr")
    fig, ax = plt.subplots(figsize=(8, 7))
    plot_keyness(
        key,
        n=15,
        labels=(f"Trump era ({n_pages['trump1']} pages)", f"Obama era ({n_pages['obama']} pages)"),
        ax=ax,
        title="Kremlin US-related pages: key tokens, Trump vs Obama era",
    )
    fig.tight_layout()
    plt.show()
key.head(15).round(3) if key is not None else None
