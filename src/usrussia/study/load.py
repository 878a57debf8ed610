"""Reading a study file: TOML to a ``Study``, refusing what the file cannot mean.

The one home of the study file's keys. Every problem is an ``InputError`` whose message
names the file and the key (``comparisons[2].measures``), so a typo is one clear line
before any notebook starts. What the file says is checked against a corpus later
(``usrussia.study.check``); here only the file's own consistency is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from usrussia import config
from usrussia.corpus.records import InputError
from usrussia.sentiment.scoring import TONE_MEASURES
from usrussia.study.spec import KINDS, UNITS, Comparison, Filter, Study

SECTIONS = {
    "study": {"name", "title", "corpus", "seed", "measure", "measures", "n_resamples"},
    "scope": None,  # a filter: any column
    "dedup": {"drop", "threshold"},
    "events": {"path", "window_days", "widths"},
    "topics": None,  # "filter" plus notebook 03's parameters
    "outlet_groups": {"path"},
    "groups": None,  # name -> filter
    "comparisons": None,  # a list of tables, keys of Comparison
    "show_documents": None,  # a filter
    "validation": {"coding", "level"},
    "gdelt": {"events", "timeline"},  # GDELT tables of usrussia corpus import
}
COMPARISON_KEYS = {f.name for f in fields(Comparison)}
DEFAULTS = {"measure": "score", "n_resamples": 5000, "window_days": 7, "widths": (3, 7, 14, 30)}


def sha256_text(text: str) -> str:
    """The sha256 of a study's text as UTF-8 (what the manifest records)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_study(path: str | Path) -> Study:
    """Read and check one study file.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    study : Study
        Paths resolved against the file's folder.

    Raises
    ------
    InputError
        A missing or unreadable file, invalid TOML, an unknown key or a value of the
        wrong kind, naming the key.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"study file not found: {path}", parameter="study")
    try:
        text = path.read_bytes().decode("utf-8")  # as it is: its sha256 is the file's
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read study file {path}: {exc}", parameter="study") from exc
    return parse_study(text, path)


def parse_study(text: str, path: Path | None = None, base: Path | None = None) -> Study:
    """A ``Study`` from TOML text; relative paths resolve against ``base`` (else the file's
    folder, else the project root)."""
    where = str(path) if path else "study"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where}: not valid TOML: {exc}", parameter="study") from exc
    base = Path(base or (path.parent if path else config.PROJECT_ROOT)).resolve()
    reader = _Reader(where, base)
    reader.keys(data, set(SECTIONS), "")
    head = reader.table(data, "study")
    reader.keys(head, SECTIONS["study"], "study")
    if "corpus" not in head:
        raise InputError(f"{where}: study.corpus is required (the corpus Parquet)", "study")
    measures = reader.measures(head.get("measures", list(TONE_MEASURES)), "study.measures")
    dedup, events = reader.table(data, "dedup"), reader.table(data, "events")
    reader.keys(dedup, SECTIONS["dedup"], "dedup")
    reader.keys(events, SECTIONS["events"], "events")
    groups = reader.table(data, "groups")
    topics = dict(reader.table(data, "topics"))
    if "filter" in topics:
        topics["filter"] = reader.filter(topics["filter"], "topics.filter")
    comparisons = data.get("comparisons", [])
    if not isinstance(comparisons, list):
        raise InputError(f"{where}: comparisons must be [[comparisons]] tables", "study")
    outlet_groups = reader.table(data, "outlet_groups")
    reader.keys(outlet_groups, SECTIONS["outlet_groups"], "outlet_groups")
    validation = reader.table(data, "validation")
    reader.keys(validation, SECTIONS["validation"], "validation")
    gdelt = reader.table(data, "gdelt")
    reader.keys(gdelt, SECTIONS["gdelt"], "gdelt")
    level = validation.get("level")
    if level is not None and level not in config.ALPHA_LEVELS:
        raise reader.fail(
            "validation.level", f"must be one of {', '.join(config.ALPHA_LEVELS)}, got {level!r}"
        )
    return Study(
        name=reader.kind(head.get("name", path.stem if path else "study"), str, "study.name"),
        title=reader.kind(head.get("title", ""), str, "study.title"),
        path=path.resolve() if path else None,
        text=text,
        corpus=reader.path(head["corpus"], "study.corpus"),
        seed=reader.kind(head.get("seed", config.SEED), int, "study.seed"),
        measure=reader.measures([head.get("measure", DEFAULTS["measure"])], "study.measure")[0],
        measures=measures,
        scope=reader.filter(data.get("scope", {}), "scope"),
        drop_near_duplicates=reader.kind(dedup.get("drop", False), bool, "dedup.drop"),
        dedup_threshold=reader.threshold(dedup.get("threshold", 0.9)),
        outlet_groups=(
            reader.path(outlet_groups["path"], "outlet_groups.path")
            if "path" in outlet_groups
            else None
        ),
        groups={
            name: reader.filter(spec, f"groups.{reader.name(name)}")
            for name, spec in groups.items()
        },
        events=reader.path(events.get("path", str(config.EVENTS_CSV)), "events.path"),
        window_days=reader.positive(
            events.get("window_days", DEFAULTS["window_days"]), "events.window_days"
        ),
        widths=tuple(
            reader.positive(w, "events.widths")
            for w in reader.kind(
                list(events.get("widths", DEFAULTS["widths"])), list, "events.widths"
            )
        ),
        n_resamples=reader.positive(
            head.get("n_resamples", DEFAULTS["n_resamples"]), "study.n_resamples"
        ),
        topics=topics,
        comparisons=tuple(
            reader.comparison(c, f"comparisons[{i}]", groups) for i, c in enumerate(comparisons)
        ),
        show_documents=reader.filter(data.get("show_documents", {}), "show_documents"),
        coding=(
            reader.path(validation["coding"], "validation.coding")
            if "coding" in validation
            else None
        ),
        coding_level=level,
        gdelt={key: reader.path(value, f"gdelt.{key}") for key, value in sorted(gdelt.items())},
    )


class _Reader:
    """Typed access to the parsed TOML that names the key in every error."""

    def __init__(self, where: str, base: Path):
        self.where, self.base = where, base

    def fail(self, key: str, problem: str) -> InputError:
        return InputError(f"{self.where}: {key}: {problem}", parameter="study")

    def keys(self, table: dict, known: set[str] | None, key: str) -> None:
        if known is None:
            return
        for name in table:
            if name not in known:
                full = f"{key}.{name}" if key else name
                raise self.fail(full, f"unknown key (known: {', '.join(sorted(known))})")

    def table(self, data: dict, key: str) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table ([" + key + "])")
        return value

    def kind(self, value: Any, kind: type, key: str) -> Any:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"must be {kind.__name__}, got {value!r}")
        return value

    def name(self, value: Any) -> str:
        return value if isinstance(value, str) else repr(value)

    def positive(self, value: Any, key: str) -> int:
        if self.kind(value, int, key) <= 0:
            raise self.fail(key, f"must be a positive whole number, got {value}")
        return value

    def threshold(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
            raise self.fail("dedup.threshold", f"must be a number in (0, 1], got {value!r}")
        return float(value)

    def path(self, value: Any, key: str) -> Path:
        return (self.base / Path(self.kind(value, str, key)).expanduser()).resolve()

    def measures(self, values: Any, key: str) -> tuple[str, ...]:
        for value in self.kind(values, list, key):
            if value not in TONE_MEASURES:
                raise self.fail(
                    key, f"unknown measure {value!r} (known: {', '.join(TONE_MEASURES)})"
                )
        return tuple(values)

    def filter(self, spec: Any, key: str) -> Filter:
        """A declarative filter: column -> value, list of values, bool or {from, to}."""
        out: Filter = {}
        for column, value in self.kind(spec, dict, key).items():
            at = f"{key}.{column}"
            if isinstance(value, bool):
                out[column] = value
            elif isinstance(value, dict):
                self.keys(value, {"from", "to"}, at)
                start, end = self.date(value.get("from"), at), self.date(value.get("to"), at)
                if start is None and end is None:
                    raise self.fail(at, "a date range needs from, to or both")
                if start is not None and end is not None and start > end:
                    raise self.fail(at, f"from ({start}) is after to ({end})")
                out[column] = (start, end)
            elif isinstance(value, str | int | float):
                out[column] = (value,)
            elif (
                isinstance(value, list)
                and value
                and all(isinstance(v, str | int | float | bool) for v in value)
            ):
                out[column] = tuple(value)
            else:
                raise self.fail(
                    at,
                    "must be a value, a non-empty list of values, true/false "
                    "or { from = DATE, to = DATE }",
                )
        return out

    def date(self, value: Any, key: str) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(key, f"dates are YYYY-MM-DD, got {value!r}")

    def comparison(self, spec: Any, key: str, groups: dict) -> Comparison:
        table = self.kind(spec, dict, key)
        self.keys(table, COMPARISON_KEYS, key)
        for required in ("name", "groups"):
            if required not in table:
                raise self.fail(f"{key}.{required}", "is required")
        pair = self.kind(table["groups"], list, f"{key}.groups")
        if len(pair) != 2 or not all(isinstance(g, str) for g in pair) or pair[0] == pair[1]:
            raise self.fail(f"{key}.groups", f"must name two different groups, got {pair!r}")
        kind = table.get("kind", "groups")
        unit = table.get("unit", "document")
        if kind not in KINDS:
            raise self.fail(f"{key}.kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
        if unit not in UNITS:
            raise self.fail(f"{key}.unit", f"must be one of {', '.join(UNITS)}, got {unit!r}")
        by = table.get("by")
        if by is None and kind == "groups":
            for name in pair:
                if name not in groups:
                    raise self.fail(
                        f"{key}.groups", f"{name!r} is not a [groups] table (or give `by`)"
                    )
        elif by is None:
            raise self.fail(f"{key}.by", f'a {kind} comparison needs `by` (e.g. "era")')
        target = table.get("target")
        if unit == "sentences" and not target:
            raise self.fail(f"{key}.target", 'unit = "sentences" needs a target (e.g. "russia")')
        controls = self.kind(table.get("controls", []), list, f"{key}.controls")
        for i, entry in enumerate(controls):
            if not isinstance(entry, list) or not all(isinstance(c, str) for c in entry):
                raise self.fail(f"{key}.controls[{i}]", "must be a list of column names")
        flags = {
            flag: self.kind(table.get(flag, False), bool, f"{key}.{flag}")
            for flag in ("same_weeks", "windows", "sensitivity", "keyness")
        }
        return Comparison(
            name=self.kind(table["name"], str, f"{key}.name"),
            groups=(pair[0], pair[1]),
            kind=kind,
            unit=unit,
            target=self.kind(target, str, f"{key}.target") if target is not None else None,
            filter=self.filter(table.get("filter", {}), f"{key}.filter"),
            by=self.kind(by, str, f"{key}.by") if by is not None else None,
            measures=self.measures(table.get("measures", []), f"{key}.measures"),
            strata=self.kind(table["strata"], str, f"{key}.strata") if "strata" in table else None,
            controls=tuple(tuple(entry) for entry in controls),
            about=self.kind(table.get("about", ""), str, f"{key}.about"),
            **flags,
        )
