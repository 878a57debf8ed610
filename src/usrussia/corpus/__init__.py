"""The corpus stage: raw sources and users' files in, one canonical corpus out.

- ``records``: reading JSONL, CSV and Parquet record by record, with accounting.
- ``textfile``: a JSONL or CSV file (plain, .gz or .zip) as a stream of text lines, and
  ``InputError`` for a file that cannot be read.
- ``sources``: one importer per raw source in ``data/raw``, and per news API (fetcher and
  importer of what it saved).
- ``fetch``: the fetch layer (paced, retried HTTP that keeps no key); ``raw``: saved
  responses and their manifest, read back offline.
- ``selection``: the documented rules that decide which documents are in scope.
- ``dates``: the date forms read and the US administration in office.
- ``build``: the schema, ``to_corpus``, ``build_corpus``, ``import_file`` (users' files and
  fetched folders), reading and writing the corpus Parquet.
- ``markdown``: Markdown files with a YAML front matter, as fields and plain text.
- ``build``: the schema, ``to_corpus``, ``build_corpus``, ``import_file``, reading and
  writing the corpus Parquet.
- ``manifest``: ``data/raw/MANIFEST.csv``, the checksums of the raw files.
- ``parquet``: the corpus file: ``write_corpus`` (with the ledger's counts),
  ``check_corpus``, ``read_corpus``, ``read_accounting``.
- ``describe``: what any corpus holds, the tables and checks of the corpus page.
"""

from usrussia.corpus.build import (
    COLUMNS,
    USER_FIELDS,
    TextSteps,
    build_corpus,
    counts_by,
    import_file,
    sample_corpus,
    to_corpus,
)
from usrussia.corpus.dates import DateError, era_of, parse_date
from usrussia.corpus.parquet import check_corpus, read_accounting, read_corpus, write_corpus

__all__ = [
    "COLUMNS",
    "USER_FIELDS",
    "DateError",
    "TextSteps",
    "build_corpus",
    "check_corpus",
    "counts_by",
    "era_of",
    "import_file",
    "parse_date",
    "read_accounting",
    "read_corpus",
    "sample_corpus",
    "to_corpus",
    "write_corpus",
]
