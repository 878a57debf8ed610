"""The text stage: cleaning, tokens and aliases, matrices, exploration, near-duplicates.

- ``clean``: named cleaning steps and ``clean_text``, which the corpus build applies.
- ``tokens``: the one word tokeniser (``word_tokenize``), sentences, n-grams, stopwords and
  the alias matcher.
- ``vectorize``: document-term matrices.
- ``explore``: keywords in context, collocations, keyness.
- ``dedup``: near-duplicate documents (MinHash over word shingles).
"""
