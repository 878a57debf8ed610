"""The human-rated NYT editorial sentences of Hutto & Gilbert (2014): their one reader.

The model is fitted on them (``usrussia.sentiment.fitting``) and every measure is validated
against them (``usrussia.sentiment.validation``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from usrussia import config


def load_nyt_ratings(path: Path = config.NYT_RATINGS) -> pd.DataFrame:
    """The 5,190 NYT editorial sentences with their mean human rating (-4..+4).

    The file is tab-separated, Latin-1, CRLF, with no header and unquoted text.

    Parameters
    ----------
    path : Path
        The ratings file (default: the shipped one).

    Returns
    -------
    DataFrame
        Columns ``id``, ``rating``, ``sentence``, ``article`` (the editorial a sentence is
        from).
    """
    frame = pd.read_csv(
        path,
        sep="\t",
        header=None,
        names=["id", "rating", "sentence"],
        encoding="latin-1",
        quoting=csv.QUOTE_NONE,
        dtype={"id": str, "rating": np.float64, "sentence": str},
        keep_default_na=False,
    )
    frame["sentence"] = frame["sentence"].str.strip()
    frame["article"] = frame["id"].str.split("_").str[0]
    return frame
