"""usrussia: reproducible analysis of how US-Russia relations are covered.

Importing the package puts the project's shipped NLTK resources
(``data/external/nltk_data``) first on ``nltk.data.path`` so that nothing is ever
downloaded at run time.
"""

from __future__ import annotations

import nltk

from usrussia.config import NLTK_DATA

__version__ = "0.1.0"

if str(NLTK_DATA) not in nltk.data.path:
    nltk.data.path.insert(0, str(NLTK_DATA))
