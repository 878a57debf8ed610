"""Human validation of the automatic measures: coding samples and agreement statistics.

- ``sample``: a reproducible, stratified, blinded sample of documents or sentences to code,
  with its codebook (``codebook``).
- ``sheet``: read a filled coding sheet and report the coders' reliability and, with the
  automatic measures (``machine``), each measure's agreement with the coders.
- ``agreement``: Krippendorff's alpha (nominal, ordinal, interval, ratio), Cohen's and
  Fleiss' kappa, percent agreement, with unit-bootstrap intervals (numpy only).
- ``nyt``: the worked example on the 20 individual ratings of the NYT editorial sentences.
"""

from usrussia.validate.agreement import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    reliability,
)

__all__ = [
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability",
]
