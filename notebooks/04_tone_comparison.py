# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     notebook_metadata_filter: usrussia
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   usrussia:
#     needs:
#     - 02_sentiment
#     - 03_topics
# ---

# %% [markdown]
# # 04 · Tone comparisons, with honest statistics
#
# This page makes the comparisons that the study file declares, one section each, in the
# order of the file: what is compared (the study's own words), who is in the groups, the
# comparison records, one sentence per record and a figure. The study file is the research
# design: a reviewer can read it before the results (the report publishes it with the run).
#
# Every comparison is a set of records: the difference (group B minus group A) with a
# bootstrap 95% interval (units resampled within each group, and within each stratum when
# the comparison names one), a permutation-test p-value, Cohen's d and Cliff's delta, n per
# group and a note when a figure is missing or a group is too small to trust its interval.
# Regressions (OLS with HC3 errors and the log length always among the controls) sit beside
# the two-group tests when the study declares controls. A unit is what is scored: a whole
# document, its headline, or the sentences naming a target; each distinct text is scored
# once, with `usrussia.sentiment.score_documents` (sentence-level VADER, the project's
# lexicon and `score`, the recommended measure validated in notebook 02; `tone_us` and
# `tone_russia` average `score` over the sentences naming the target). The statistics come
# from `usrussia.compare`, the comparisons from `usrussia.study.comparisons`.

# %% tags=["parameters"]
study_path = "../studies/shipped.toml"
corpus_path = ""  # a corpus to use instead of the study's (empty: the study's corpus)
output_dir = "../reports"
seed = 20170707

# %%
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from usrussia import compare
from usrussia.corpus import read_corpus
from usrussia.plots import (
    plot_comparisons,
    plot_gdelt_beside_ours,
    plot_keyness,
    plot_meeting_pairs,
    plot_meetings,
    plot_topic_change,
)
from usrussia.report.metrics import save_block
from usrussia.report.tables import glossary, readable
from usrussia.sentiment.stored import reuse_scores
from usrussia.study import findings, in_scope, load_study
from usrussia.study.comparisons import run_study
from usrussia.study.gdelt import gdelt_beside_study, gdelt_block, no_gdelt_note

study = load_study(study_path)
documents = in_scope(study, read_corpus(corpus_path or study.corpus))
print(f"{study.title or study.name}: {len(documents):,} documents in scope")
print(f"{len(study.comparisons)} comparisons; main measure {study.measure}")
print(f"meeting windows of ±{study.window_days} days; {study.n_resamples:,} resamples; seed {seed}")
print(f"groups with fewer than {compare.SMALL_N} units get a note on their interval")
glossary()

# %% [markdown]
# ## Scoring, once
# The units of every comparison are built from the in-scope documents, their lengths
# recounted per unit (a headline's length is its own), their near-duplicates counted within
# each unit type (wire copies, republished statements; the study can drop them), and every
# distinct text is scored once for all comparisons: a text the sentiment page scored with the
# same model is taken from its scores (`data/document_scores.parquet` in the report).

# %%
scorer = reuse_scores(output_dir)  # the texts page 02 scored are not scored again
result = run_study(study, documents, seed=seed, scorer=scorer)
shares, shares_note = findings.read_topic_shares(output_dir)
print(f"{sum(len(run.units) for run in result.comparisons):,} units in all comparisons")

# %%
for run in result.comparisons:
    display(Markdown(f"## {run.comparison.name}\n\n{run.comparison.about}"))
    display(readable(findings.group_summary(run)))
    display(readable(run.rows[findings.RECORD_COLUMNS]))
    display(Markdown(findings.sentences(run.rows)))
    if run.rows["diff"].notna().any():
        a, b = run.comparison.groups
        plot_comparisons(run.rows, title=f"{run.comparison.name}: {b} minus {a}")
        plt.show()

# %% [markdown]
# ## Meeting windows
# For a comparison of one meeting with others: the units within the study's window of each
# meeting, with their mean tone (one point per meeting with units, sized by their number).
# Meetings after the last dated unit of the corpus can have none.

# %%
for run in [run for run in result.comparisons if run.meetings is not None]:
    shown, note = findings.meeting_windows(run)
    plot_meetings(shown, study.measure, title=f"{run.comparison.name}: units per meeting")
    plt.show()
    display(Markdown(note), readable(shown))

# %% [markdown]
# ## Each meeting, both groups
# For the comparisons with meeting windows whose groups are not eras (for example the two
# capitals' official texts): each group's mean tone within the window of each meeting, at
# the study's window and at the widest width of its sensitivity grid, with a line joining
# the two groups where a meeting has units of both.

# %%
events = compare.load_events(study.events)
for run in [r for r in result.comparisons if r.comparison.windows and r.comparison.by != "era"]:
    for width in dict.fromkeys((study.window_days, max(study.widths))):
        pairs, note = findings.meeting_pairs(run, events, width, study.measure)
        title = f"{run.comparison.name}: ±{width} days of each meeting"
        plot_meeting_pairs(pairs, run.comparison.groups, study.measure, title=title)
        plt.show()
        display(Markdown(note), readable(pairs))

# %% [markdown]
# ## GDELT's tone of the dyad beside ours
# For a study that names GDELT tables (`[gdelt]`: the events between US and Russian actors,
# or a tone timeline of GDELT's article search), GDELT's own tone in the window of each
# meeting beside the study's mean tone of its documents in the same window, one row and
# one point per meeting with either. **They measure different things.** GDELT's tone
# (`AvgTone`) is the tone of the whole articles in which GDELT coded an event, on GDELT's
# own scale, weighted here by the event's mentions; the Goldstein scale scores the kind of
# event itself, from conflict to cooperation; the study's tone scores its own documents on
# its own measure. Read their direction from meeting to meeting, never their values; each
# has its own axis in the figure.

# %%
gdelt = gdelt_beside_study(study, documents, events, scorer=scorer)
save_block("gdelt_tone", gdelt_block(gdelt), output_dir)
display(Markdown(no_gdelt_note(study)))
for part in gdelt:
    display(Markdown(f"### GDELT {part.kind}\n\n{part.sentences()}"))
    plot_gdelt_beside_ours(
        part.table, study.measure, title=f"GDELT {part.kind} beside the study's tone"
    )
    plt.show()
    display(readable(part.shown()))

# %% [markdown]
# ## Sensitivity: does an answer depend on the window or the measure?
# The comparisons that ask for it, repeated for every tone measure of the study and every
# window width, all units first. If the intervals exclude zero for some choices and not
# others, the conclusion depends on choices. Each grid gets its own Benjamini-Hochberg
# adjustment.

# %%
for run in [run for run in result.comparisons if run.sensitivity is not None]:
    display(Markdown(f"### {run.comparison.name}"))
    display(readable(run.sensitivity[findings.RECORD_COLUMNS]))
    plot_comparisons(run.sensitivity, title=f"{run.comparison.name}: over measures and windows")
    plt.show()

# %% [markdown]
# ## What changed besides tone: keyness and topic shares
# For the comparisons that ask for it. Keyness (`usrussia.text.explore.keyness`, chi² with
# Yates' correction on document frequencies: each unit counts a term once, so one long text
# does not dominate) and the change in mean topic share, from the topic model that notebook
# 03 chose (95% bootstrap intervals, `compare.prevalence.era_difference`). Names of people
# and one-off events rank high: keyness says what is different, not why.

# %%
for run in [run for run in result.comparisons if run.comparison.keyness]:
    a, b = run.comparison.groups
    key, key_note = findings.keyness_between(run)
    change, change_note = findings.topic_change(run, shares, study.n_resamples, seed)
    display(Markdown(f"### {run.comparison.name}\n\n{key_note} {shares_note} {change_note}"))
    if key is not None:
        plot_keyness(key, n=12, labels=(b, a), title=f"Keyness: {b} vs {a}")
        display(readable(key.head(12)))
    if change is not None:
        plot_topic_change(change, (a, b), title=f"Topic share, {b} minus {a}")
        display(readable(change))
    plt.show()

# %% [markdown]
# ## All comparisons, with corrections for multiple testing
# Holm-adjusted p-values across every record above (the sensitivity grids have their own
# adjustment); notes say where a figure is missing and why. A permutation p-value cannot go
# below 1/(resamples + 1), printed below, so the smallest ones mean "smaller than that"; the
# regression rows use the normal approximation and can go lower.

# %%
print(f"smallest possible permutation p-value here: {1 / (study.n_resamples + 1):.2g}")
block = result.block()
save_block("tone_comparison", block, output_dir)
print(f"saved {len(block)} comparison records")
readable(result.table[findings.TABLE_COLUMNS])

# %% [markdown]
# ## Documents shown on their own
# The study's `show_documents` (for example an article whose claim the study tests), with
# their own tone.

# %%
readable(findings.shown_tone(result))

# %% [markdown]
# ## What this says, and what it cannot say
# Each record's sentence above is generated from its numbers (`compare.describe`: a
# difference is called clear only when the 95% interval excludes zero and the Holm-adjusted
# p-value is below 0.05), so the words always match the numbers of this run. Limits that
# this run's own numbers show:

# %%
display(Markdown("\n".join(f"- {line}" for line in findings.limits(result)) or "- none found"))

# %% [markdown]
# Limits that hold for every comparison:
#
# - **Small n.** A group of a few dozen units gives a wide interval, and a meeting-level
#   comparison has as many units as meetings; a bootstrap interval from fewer units than
#   the threshold printed at the top is too narrow.
# - **Units that are not independent.** The sentences of one address, the pages of one
#   meeting and the wire copies of one story echo each other; tests that treat them as
#   independent overstate the evidence (the near-duplicate counts say how many copies there
#   are).
# - **Different kinds of source.** When the groups come from sources of different kinds
#   (a forum against edited outlets, official readouts against news), group and source
#   cannot be separated; the regression with source controls says "confounded" rather than
#   produce a number.
# - **Official texts are not media coverage.** Readouts and addresses are drafted prose;
#   their tone is a policy choice, not a reporter's framing, and says nothing about poses,
#   handshakes or the atmosphere in the room.
# - **Tone is a measured quantity.** VADER and the lexicon tone are dictionary-based and
#   `score` is a model fitted to human ratings of news sentences (notebook 02), not of
#   diplomatic texts or headlines; the sensitivity grid shows whether a conclusion survives
#   a change of measure.
