"""Studies: the research design as a file (``studies/NAME.toml``), read, checked against a
corpus, written by default for any corpus, and run comparison by comparison.

- ``spec``: the ``Study`` and ``Comparison`` dataclasses, the one in-memory form of a study.
- ``load``: ``load_study`` / ``parse_study``, TOML to a ``Study``, refusing unknown keys.
- ``scope``: what a filter means (``filter_mask``, ``select``), ``in_scope`` (the study's
  documents with the ``outlet_group`` column), ``group_labels``.
- ``check``: ``check_study``, a study against its corpus (one line naming each key wrong).
- ``groups``: the study's groups of a page and near-duplicate copies dropped.
- ``defaults``: ``default_study`` for any corpus, ``study_for_corpus``, ``with_corpus``.
- ``units``: each comparison's units (documents, headlines, target sentences), their
  near-duplicates, every distinct text scored once.
- ``comparisons``: ``run_study``, every declared comparison made into records.
- ``findings``: what a page shows beside the records (group summaries, keyness, topic-share
  change, one sentence per record, limits).
"""

from usrussia.study.check import Summary, check_study, check_tables
from usrussia.study.defaults import default_study, study_for_corpus, with_corpus
from usrussia.study.load import load_study, parse_study, sha256_text
from usrussia.study.scope import filter_mask, group_labels, in_scope, select
from usrussia.study.spec import Comparison, Study

__all__ = [
    "Comparison",
    "Study",
    "Summary",
    "check_study",
    "check_tables",
    "default_study",
    "filter_mask",
    "group_labels",
    "in_scope",
    "load_study",
    "parse_study",
    "select",
    "sha256_text",
    "study_for_corpus",
    "with_corpus",
]
