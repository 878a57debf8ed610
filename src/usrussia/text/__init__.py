"""The text stage: cleaning, tokens and aliases, matrices, exploration, near-duplicates.

- ``clean``: named cleaning steps and ``clean_text``, which the corpus build applies.
- ``sentences``: the one sentence splitter (``split_sentences``, Punkt).
- ``tokens``: the one word tokeniser (``word_tokenize``), n-grams, stopwords and the alias
  matcher.
- ``vectorize``: document-term matrices.
- ``token_counts``: counting the terms of token lists fast (the sentiment model's bags).
- ``explore``: keywords in context, collocations, keyness.
- ``dedup``: near-duplicate documents (MinHash over word shingles).
"""
