"""Studies: the research design as a file (``studies/NAME.toml``), read, checked against a
corpus, written by default for any corpus, and run comparison by comparison.

- ``spec``: the ``Study`` and ``Comparison`` dataclasses, the one in-memory form of a study.
"""
