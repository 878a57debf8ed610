"""Report tables (``usrussia.report.tables.readable``): what a page shows of a frame."""

from __future__ import annotations

import pandas as pd

from usrussia.report.tables import readable

PAYLOAD = "<script>alert(1)</script>"


def test_readable_shows_values_and_names_as_text() -> None:
    frame = pd.DataFrame(
        {
            "title": [PAYLOAD, "Tom & Jerry"],
            f"topic {PAYLOAD}": [0.25, None],
            "n": [3, 1_000],
            "p_value": [0.000123, 0.5],
            "n_a": ["<b>many</b>", 2],  # a count column holding text
        },
        index=[10, 11],
    )
    page = readable(frame, names={"title": "headline"}).to_html()
    assert PAYLOAD not in page and "<b>many</b>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # a cell and a header
    assert "Tom &amp; Jerry" in page and "&lt;b&gt;many&lt;/b&gt;" in page
    assert ">0.250<" in page and ">–<" in page and ">1,000<" in page and ">0.00012<" in page
    assert ">headline<" in page and ">n A<" in page
    assert "row_heading" not in page and ">10<" not in page  # no index
