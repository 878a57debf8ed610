"""Sentiment and tone of news text, scored per sentence and validated against human ratings.

Three measures, all scored sentence by sentence and then aggregated to the document
(``scoring``), because VADER's compound score saturates towards +-1 when a whole article
is scored at once:

- ``vader_compound``: NLTK's VADER, exactly, faster (``vader``).
- ``lexicon_tone``: GDELT-style tone, (positive words - negative words) / all words x 100,
  with the signs of the VADER lexicon's single-word entries (``lexicons``).
- ``score``: the recommended news-tone score, ``ToneRegressor`` (``model``), a ridge
  regression on VADER's outputs, sums and counts of positive and negative words in three
  open lexicons (VADER, AFINN-165, pattern.en) and a regularised tf-idf bag of words, word
  pairs and 4-letter word prefixes (``features``), fitted only on the 5,190 human-rated New
  York Times editorial sentences of Hutto & Gilbert (2014) (``ratings``, ``fitting``) and
  shipped as plain numbers in ``data/external/sentiment_model.json``. It predicts the mean
  human rating of a sentence on the raters' -4..+4 scale; ``usrussia sentiment fit``
  refits it, and ``validation`` checks every measure against the ratings.

Every measure is also validated on news: NewsMTSC (``newsmtsc``), sentences of US political
news with the sentiment towards each person they name, on its held-out splits with class
boundaries from its training split (``classes``, ``news_validation``), with targeted tone
read from the words around a mention (``targeted``); ``news_fitting`` refits the score on
the NYT ratings and NewsMTSC's training split together, with a head for the three news
classes over the same features (``news_head``; ``usrussia sentiment fit --news``,
``data/external/sentiment_model_news.json``, not the score used unless switched).

Names whose words are in the lexicons ("United" in "United States") are masked before
scoring (``mask_names``). ``files`` reads and writes the tables ``usrussia sentiment``
scores.
"""

from usrussia.config import MODEL_JSON, MODEL_NEWS_JSON, NYT_RATINGS
from usrussia.sentiment.classes import (
    Boundaries,
    bootstrap_difference,
    class_scores,
    fit_boundaries,
    macro_f1,
)
from usrussia.sentiment.features import (
    DENSE_FEATURES,
    mask_names,
    prepare,
    sentence_features,
    term_vectorizer,
    tokenize,
)
from usrussia.sentiment.files import (
    TABLE_SUFFIXES,
    MissingColumnError,
    check_table,
    read_texts,
    table_format,
    write_table,
)
from usrussia.sentiment.fitting import ALPHAS, choose_alpha, cross_val_scores, fit
from usrussia.sentiment.lexicons import (
    LEXICON_COLUMNS,
    afinn,
    lexicon_polarity,
    lexicon_tone,
    pattern_adjectives,
    word_counts,
)
from usrussia.sentiment.model import TermBlock, ToneRegressor, load_model
from usrussia.sentiment.news_fitting import SCALES, fit_news, joint_cross_val
from usrussia.sentiment.news_validation import (
    PAPER_ROWS,
    newsmtsc_block,
    targeted_evidence,
    validate_newsmtsc,
)
from usrussia.sentiment.newsmtsc import load_newsmtsc, read_newsmtsc, sentences
from usrussia.sentiment.ratings import load_nyt_ratings
from usrussia.sentiment.ridge import RIDGE_COEF_ERROR, RidgeFit, fit_ridge
from usrussia.sentiment.scoring import (
    MEASURES,
    TARGETS,
    score_documents,
    score_sentences,
    target_patterns,
)
from usrussia.sentiment.targeted import choose_window, target_tone, target_window
from usrussia.sentiment.vader import THRESHOLD, vader, vader_scores
from usrussia.sentiment.validation import (
    TARGET_PEARSON_R,
    classes,
    paper_table,
    validate,
    validation_block,
    validation_row,
)

__all__ = [
    "ALPHAS",
    "DENSE_FEATURES",
    "LEXICON_COLUMNS",
    "MEASURES",
    "MODEL_JSON",
    "MODEL_NEWS_JSON",
    "NYT_RATINGS",
    "PAPER_ROWS",
    "RIDGE_COEF_ERROR",
    "SCALES",
    "TABLE_SUFFIXES",
    "TARGETS",
    "TARGET_PEARSON_R",
    "THRESHOLD",
    "Boundaries",
    "MissingColumnError",
    "RidgeFit",
    "TermBlock",
    "ToneRegressor",
    "afinn",
    "bootstrap_difference",
    "check_table",
    "choose_alpha",
    "choose_window",
    "class_scores",
    "classes",
    "cross_val_scores",
    "fit",
    "fit_boundaries",
    "fit_news",
    "fit_ridge",
    "joint_cross_val",
    "lexicon_polarity",
    "lexicon_tone",
    "load_model",
    "load_newsmtsc",
    "load_nyt_ratings",
    "macro_f1",
    "mask_names",
    "newsmtsc_block",
    "paper_table",
    "pattern_adjectives",
    "prepare",
    "read_newsmtsc",
    "read_texts",
    "score_documents",
    "score_sentences",
    "sentence_features",
    "sentences",
    "table_format",
    "target_patterns",
    "target_tone",
    "target_window",
    "targeted_evidence",
    "term_vectorizer",
    "tokenize",
    "vader",
    "vader_scores",
    "validate",
    "validate_newsmtsc",
    "validation_block",
    "validation_row",
    "word_counts",
    "write_table",
]
