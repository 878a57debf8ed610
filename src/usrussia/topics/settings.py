"""The topic page's settings: the notebook's parameters with a study's ``[topics]`` values
over them, and the numbers of topics a corpus of a given size can carry.

A study's ``[topics]`` table holds ``filter`` (which documents; the study applies it) and
any of notebook 03's parameters by name (``ks = [5, 10]``, ``unit = "paragraph"``); each
value must have the type of the notebook's default, so a typo or a wrong type is one clear
error naming ``topics.KEY``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from usrussia.corpus.records import InputError
from usrussia.topics.model import MODELS
from usrussia.topics.units import UNITS

DOCS_PER_TOPIC = 10  # the sweep tries at most one topic per this many documents
MIN_DOCS = 20  # below this many documents nothing is fitted
BASELINE_MIN_DOCS = 50  # the scikit-learn example's baseline needs this many documents
NOT_SETTINGS = ("filter",)  # keys of [topics] that are not notebook parameters


@dataclass(frozen=True)
class TopicSettings:
    """Notebook 03's parameters, one field each (see the notebook's parameters cell)."""

    unit: str
    models: list[str]
    ks: list[int]
    n_seeds: int
    stability_threshold: float
    npmi_tolerance: float
    selection_decimals: int
    max_candidates: int
    max_features: int
    min_df: int
    max_df: float
    n_top: int
    window_days: int
    min_docs: int
    n_examples: int
    from_study: tuple[str, ...] = ()  # the settings the study set


def _conforms(value: Any, default: Any) -> bool:
    """Whether ``value`` has the type of ``default``: an int serves for a float, a bool only
    for a bool, and a list's items must have the type of the default's first item."""
    if isinstance(default, list):
        return isinstance(value, list) and all(_conforms(v, default[0]) for v in value)
    if isinstance(value, bool) or isinstance(default, bool):
        return type(value) is type(default)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


def topic_settings(study_topics: Mapping[str, Any], parameters: Mapping[str, Any]) -> TopicSettings:
    """The settings a topic page runs with: ``parameters`` (the notebook's, by name, e.g.
    its ``globals()``) with the study's ``[topics]`` values over them.

    Parameters
    ----------
    study_topics : mapping
        ``Study.topics``: ``filter`` and notebook parameter names.
    parameters : mapping
        At least every field of ``TopicSettings`` but ``from_study``.

    Returns
    -------
    settings : TopicSettings

    Raises
    ------
    InputError
        A key that is no parameter of the notebook, a value of another type than the
        notebook's default, an unknown unit or model, or a number of topics below 2.
    """
    names = [f.name for f in fields(TopicSettings) if f.name != "from_study"]
    given = {k: v for k, v in study_topics.items() if k not in NOT_SETTINGS}
    for key, value in given.items():
        if key not in names:
            known = ", ".join([*NOT_SETTINGS, *names])
            raise InputError(f"study topics.{key}: unknown key (known: {known})", "study")
        if not _conforms(value, parameters[key]):
            raise InputError(
                f"study topics.{key}: must be like {parameters[key]!r}, got {value!r}", "study"
            )
    settings = {**{name: parameters[name] for name in names}, **given}
    _check_values(settings)
    return TopicSettings(**settings, from_study=tuple(sorted(given)))


def _check_values(settings: Mapping[str, Any]) -> None:
    """Refuse a unit, model or number of topics the topic models cannot take."""
    if settings["unit"] not in UNITS:
        raise InputError(f"topics.unit must be one of {', '.join(UNITS)}", "study")
    unknown = [m for m in settings["models"] if m not in MODELS]
    if unknown or not settings["models"]:
        raise InputError(f"topics.models are any of {', '.join(MODELS)}, got {unknown}", "study")
    if not settings["ks"] or min(settings["ks"]) < 2:
        raise InputError(f"topics.ks are numbers of topics >= 2, got {settings['ks']}", "study")


def usable_ks(ks: list[int], n_docs: int) -> list[int]:
    """The numbers of topics of ``ks`` that ``n_docs`` documents can carry.

    At most one topic per ``DOCS_PER_TOPIC`` documents; when none of ``ks`` fits, the
    largest that does (at least 2), and nothing below ``MIN_DOCS`` documents.
    """
    if n_docs < MIN_DOCS:
        return []
    usable = [k for k in ks if 2 <= k <= n_docs // DOCS_PER_TOPIC]
    return usable or [max(2, n_docs // DOCS_PER_TOPIC)]


def sweep_note(ks: list[int], usable: list[int], n_docs: int) -> str:
    """One sentence on what the sweep can try with ``n_docs`` documents ("" when all of it)."""
    if not usable:
        return (
            f"Only {n_docs:,} documents: too few to fit topics (at least {MIN_DOCS} are "
            "needed); nothing below is fitted."
        )
    if usable != list(ks):
        return (
            f"{n_docs:,} documents carry at most {max(2, n_docs // DOCS_PER_TOPIC)} topics "
            f"({DOCS_PER_TOPIC} documents per topic): numbers of topics {usable} instead "
            f"of {list(ks)}."
        )
    return ""
