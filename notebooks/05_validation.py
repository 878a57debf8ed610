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
# # 05 · Validation: the measures against human judgement
#
# An automatic measure of tone deserves trust on a corpus only as far as it agrees with
# careful human judgement of that kind of text. This page measures that agreement with the
# statistics reviewers of content analyses ask for: Krippendorff's alpha (at the level of
# measurement of the codes, with missing codes handled as Krippendorff does), Cohen's kappa
# for two coders, Fleiss' kappa and percent agreement, each with a 95% interval from
# resampling the coded units (`n_resamples` resamples with the notebook's seed).
#
# It does so twice. A **worked example** on real ratings always runs: the 5,190 New York
# Times editorial sentences of Hutto & Gilbert (2014), each rated by 20 people on −4…+4,
# show how well people agree with one another and how far each measure is from a single
# person. A **coded sample of this corpus** is added when the study names one (its
# `[validation] coding`: a sheet drawn with `usrussia validate sample --study` and filled by
# two or more coders), or when `coding_path` names one.

# %% tags=["parameters"]
study_path = "../studies/shipped.toml"  # the run's study: its coded sample, if it names one
corpus_path = ""  # the run's corpus (unused here)
output_dir = "../reports"
seed = 20170707
n_resamples = 1000  # bootstrap resamples of the units behind every interval
cv_folds = 5  # folds for the out-of-fold recommended score (whole editorials held out)
coding_path = ""  # a filled coding sheet (absolute, or relative to notebooks/); "" the study's
coding_level = ""  # alpha's metric for that sheet; "" takes the study's, else the codebook's

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from usrussia.report.metrics import save_block
from usrussia.report.tables import readable
from usrussia.study import load_study
from usrussia.validate.machine import MEASURE_RANGES, score_texts
from usrussia.validate.nyt import worked_example
from usrussia.validate.sheet import (
    agreement_report,
    confusion_table,
    machine_table,
    read_sheet,
    reliability_table,
)

# %% [markdown]
# ## How well do people agree? The NYT raters
# Every sentence was rated by 20 people recruited online. The rating positions are not the
# same people from one sentence to the next, which Krippendorff's alpha does not need (it
# compares the values given to each unit); it is computed at the interval level because the
# ratings are numbers on an evenly spaced scale. The kappas treat each of the nine ratings as
# a category, so they count a rating of +1 against +2 as plain disagreement.

# %%
NAMES = {
    "pearson_r": "Pearson r",
    "spearman_r": "Spearman r",
    "alpha": "Krippendorff's alpha",
    "interval": "95% interval",
    "exact": "exact agreement",
}
example = worked_example(folds=cv_folds, n_resamples=n_resamples, seed=seed)
raters = example.raters
print(
    f"{raters['n_units']:,} sentences x {raters['n_coders']} raters: interval alpha "
    f"{raters['alpha']:.3f} (95% interval {raters['interval'][0]:.3f} to "
    f"{raters['interval'][1]:.3f}); Fleiss' kappa {raters['fleiss_kappa']['value']:.3f}"
)
readable(reliability_table(raters).drop(columns="note"), names=NAMES)

# %% [markdown]
# ## How far is each measure from a human rater?
# Each measure is compared with the mean of the 20 ratings (the ground truth of notebook 02)
# in two ways. The correlation asks whether the measure orders the sentences as the raters
# do. Alpha asks more: whether it gives the same rating. For alpha each measure is binned
# onto the −4…+4 scale with cut points fixed in advance, never tuned on these ratings: its
# native range (VADER's compound −1…+1, GDELT-style tone −10…+10, the recommended score's
# −4…+4) is mapped linearly onto the scale and rounded to the nearest rating. A measure that
# orders sentences well on a compressed or stretched scale has a good correlation and a
# lower alpha. The recommended `score` was fitted on these sentences, so here it is
# predicted out of fold, by models that never saw the sentence's editorial.
#
# The benchmark is a single person: each rating position against the mean of the other 19
# (the row "a single human rater" gives the mean over the 20 positions and their range).

# %%
table = example.table()
best = max(example.measures, key=lambda m: example.measures[m]["alpha"])
human = example.single["alpha"].mean()
ranges = ", ".join(
    f"{m} {MEASURE_RANGES[m][0]:g}..{MEASURE_RANGES[m][1]:g}" for m in example.measures
)
print(
    f"closest measure: {best}, alpha {example.measures[best]['alpha']:.3f}, against "
    f"{human:.3f} for a single rater; native ranges binned onto -4..4: {ranges}"
)
readable(table, names=NAMES)

# %%
names = list(example.measures)[::-1]
alphas = np.array([example.measures[m]["alpha"] for m in names])
bounds = np.array([example.measures[m]["interval"] for m in names])
errors = np.abs(bounds.T - alphas)
fig, ax = plt.subplots(figsize=(8, 3.6))
ax.barh(names, alphas, xerr=errors, color="tab:blue", capsize=3)
ax.axvline(human, color="black", linestyle="--", linewidth=1, label="one rater vs the other 19")
ax.axvline(raters["alpha"], color="tab:grey", linestyle=":", label="rater vs rater (all 20)")
ax.set_xlim(0, 1)
ax.set_xlabel("Krippendorff's alpha (interval) with the mean rating, 95% interval")
ax.set_title("Each measure against the NYT raters (binned to the −4…+4 scale)")
ax.legend(loc="lower right", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# Where the recommended score goes wrong: the mean rating rounded to the nearest point of the
# scale (rows) against the binned score (columns), counted in sentences.

# %%
confusion = confusion_table(example.measures["score"], "score")
used = np.flatnonzero(confusion.sum(axis=0).to_numpy() + confusion.sum(axis=1).to_numpy())
shown = confusion.index[used.min() : used.max() + 1]  # the codes from the first used to the last
fig, ax = plt.subplots(figsize=(5.2, 4.4))
counts = confusion.loc[shown, shown].to_numpy()
shade = np.log1p(counts)  # a log scale, so small cells are visible beside the large ones
ax.imshow(shade, cmap="Blues")
for (i, j), count in np.ndenumerate(counts):
    colour = "white" if shade[i, j] > 0.6 * shade.max() else "black"
    ax.text(j, i, str(count), ha="center", va="center", fontsize=8, color=colour)
ax.set_xticks(range(len(shown)), shown)
ax.set_yticks(range(len(shown)), shown)
ax.set_xlabel("recommended score, binned")
ax.set_ylabel("mean of the 20 ratings, rounded")
ax.set_title("Recommended score vs the raters (sentences)")
fig.tight_layout()
plt.show()
print(f"exact agreement with the rounded mean rating: {example.measures['score']['exact']:.1%}")

# %% [markdown]
# ## The coded sample of this corpus
# With a coded sample (the study's, or `coding_path`), the coders' reliability on their own
# units, and each measure (scored on the sheet's `text` column) against the coders'
# consensus: the median code for ordinal codes (a unit whose coders split evenly has none),
# the most frequent code for nominal codes, the mean for interval and ratio codes. The
# measures are binned onto the sheet's codes with the same fixed ranges as above.

# %%
study = load_study(study_path)
coding, sheet_path = None, coding_path or study.coding
if sheet_path:
    sheet = read_sheet(sheet_path, level=coding_level or study.coding_level)
    machine = score_texts(sheet.rows["text"]) if "text" in sheet.rows else None
    coding = agreement_report(sheet, machine, MEASURE_RANGES, n_resamples, seed)
    print(
        f"{coding['sheet']}: {coding['variable']} ({coding['level']}), {coding['n_units']} "
        f"units, {coding['n_coders']} coders; notes: {'; '.join(coding['notes']) or 'none'}"
    )
    display(readable(reliability_table(coding), names=NAMES))
    if machine is not None and "measures" in coding["machine"]:
        display(readable(machine_table(coding), names=NAMES))
else:
    print("No coded sample was given (the study names none): only the worked example is shown.")

# %%
save_block("validation", {"nyt": example.block(), "coding": coding}, output_dir)
print("figures saved in the 'validation' block of metrics.json")
