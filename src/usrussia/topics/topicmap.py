"""The topic map: the one home of the interactive map (self-contained HTML, SVG and inline JS).

A lighter stand-in for pyLDAvis's left panel that works offline and in the report without
any external script: topics are placed by classical multidimensional scaling of the
Jensen-Shannon distances between their word distributions (the placement pyLDAvis uses),
drawn as circles whose area is the topic's prevalence; hovering, focusing or clicking a
circle lists its top words with their weights. Every piece of text comes from data, so it
is escaped (``html.escape``) into attributes and inserted by the script with
``textContent`` only.

Usage in a notebook::

    from IPython.display import HTML
    HTML(topic_map_html(topic_coordinates(model.components_), prevalence, labels, words))
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Sequence

import numpy as np

from usrussia.topics.coherence import top_word_ids
from usrussia.topics.units import TopicFit

WIDTH, HEIGHT, PAD = 520, 420, 50


def jensen_shannon(p: np.ndarray) -> np.ndarray:
    """Pairwise Jensen-Shannon distances (base 2, in [0, 1]) between the rows of ``p``.

    Parameters
    ----------
    p : array-like of shape (n_topics, n_terms)
        Non-negative weights; each row is normalised to a probability distribution.

    Returns
    -------
    ndarray of shape (n_topics, n_topics)
    """
    p = np.asarray(p, dtype=np.float64)
    totals = p.sum(axis=1, keepdims=True)
    if (totals <= 0).any():
        raise ValueError("every topic needs some positive weight")
    p = p / totals
    k = p.shape[0]
    dist = np.zeros((k, k))
    with np.errstate(divide="ignore", invalid="ignore"):
        logp = np.where(p > 0, np.log2(p), 0.0)
        for i in range(k):
            for j in range(i + 1, k):
                m = (p[i] + p[j]) / 2
                logm = np.where(m > 0, np.log2(m), 0.0)
                kl_i = np.sum(p[i] * (logp[i] - logm))
                kl_j = np.sum(p[j] * (logp[j] - logm))
                dist[i, j] = dist[j, i] = np.sqrt(max((kl_i + kl_j) / 2, 0.0))
    return dist


def topic_coordinates(components: np.ndarray) -> np.ndarray:
    """2-D positions of topics: classical MDS (principal coordinates) of JS distances.

    Signs are fixed so that the largest-magnitude coordinate of each axis is positive,
    which makes the layout deterministic. Fewer than 3 topics are laid out on a line.

    Parameters
    ----------
    components : array-like of shape (n_topics, n_terms)
        Topic-word loadings.

    Returns
    -------
    ndarray of shape (n_topics, 2)
    """
    dist = jensen_shannon(components)
    k = dist.shape[0]
    centring = np.eye(k) - np.ones((k, k)) / k
    b = -0.5 * centring @ (dist**2) @ centring
    values, vectors = np.linalg.eigh(b)
    order = np.argsort(values)[::-1][:2]
    coords = vectors[:, order] * np.sqrt(np.clip(values[order], 0, None))
    if coords.shape[1] < 2:
        coords = np.column_stack([coords, np.zeros(k)])
    signs = np.sign(coords[np.abs(coords).argmax(axis=0), [0, 1]])
    return coords * np.where(signs == 0, 1, signs)


def _scale(values: np.ndarray, low: float, high: float) -> np.ndarray:
    span = values.max() - values.min()
    if span == 0:
        return np.full_like(values, (low + high) / 2, dtype=np.float64)
    return low + (values - values.min()) / span * (high - low)


_STYLE = """<style>
#{id} {{display:flex;flex-wrap:wrap;gap:16px;font-family:sans-serif;font-size:13px}}
#{id} circle {{fill:#4c72b0;fill-opacity:.45;stroke:#2b4a7a;cursor:pointer}}
#{id} circle.tm-on {{fill:#dd8452;fill-opacity:.75}}
#{id} circle:focus {{outline:none;stroke-width:3}}
#{id} .tm-panel {{min-width:220px;max-width:320px}}
#{id} .tm-bar {{display:inline-block;height:9px;background:#dd8452;margin-right:6px}}
#{id} ol {{padding-left:22px;margin:6px 0}}
</style>"""

_SCRIPT = """<script>
(function () {
  var root = document.getElementById("%s");
  if (!root) { return; }
  var title = root.querySelector(".tm-title");
  var list = root.querySelector(".tm-words");
  var circles = root.querySelectorAll("circle");
  function show(circle) {
    circles.forEach(function (c) { c.classList.remove("tm-on"); });
    circle.classList.add("tm-on");
    title.textContent = circle.getAttribute("data-label") + " (mean share " +
      circle.getAttribute("data-share") + ")";
    var words = JSON.parse(circle.getAttribute("data-words"));
    var top = words.length ? words[0][1] : 1;
    list.textContent = "";
    words.forEach(function (w) {
      var item = document.createElement("li");
      var bar = document.createElement("span");
      bar.className = "tm-bar";
      bar.style.width = Math.round(80 * w[1] / top) + "px";
      item.appendChild(bar);
      item.appendChild(document.createTextNode(w[0]));
      list.appendChild(item);
    });
  }
  circles.forEach(function (c) {
    ["mouseenter", "focus", "click"].forEach(function (e) {
      c.addEventListener(e, function () { show(c); });
    });
  });
  if (circles.length) { show(circles[0]); }
})();
</script>"""


def topic_map_html(
    coords: np.ndarray,
    prevalence: Sequence[float],
    labels: Sequence[str],
    words: Sequence[Sequence[tuple[str, float]]],
    title: str = "Topic map",
) -> str:
    """The map as one HTML block (inline style, SVG and script; nothing external).

    Parameters
    ----------
    coords : array-like of shape (n_topics, 2)
        Positions, from ``topic_coordinates``.
    prevalence : sequence of float
        Each topic's mean share (the circle's area).
    labels : sequence of str
        Each topic's label.
    words : sequence of sequence of (str, float)
        Each topic's (word, weight) pairs, heaviest first.
    title : str, default="Topic map"
        Title above the map.

    Returns
    -------
    str
        The HTML block.
    """
    coords = np.asarray(coords, dtype=np.float64)
    prevalence = np.asarray(prevalence, dtype=np.float64)
    k = len(labels)
    if not (coords.shape == (k, 2) and len(prevalence) == k and len(words) == k):
        raise ValueError("coords, prevalence, labels and words must describe the same topics")
    payload = json.dumps([coords.round(6).tolist(), prevalence.round(6).tolist(), list(labels)])
    element = "topic-map-" + hashlib.sha256(payload.encode()).hexdigest()[:10]
    xs = _scale(coords[:, 0], PAD, WIDTH - PAD)
    ys = _scale(-coords[:, 1], PAD, HEIGHT - PAD)
    share = np.nan_to_num(prevalence, nan=0.0)
    radii = 6 + 28 * np.sqrt(share / share.max()) if share.max() > 0 else np.full(k, 10.0)
    circles, numbers = [], []
    for i in np.argsort(-radii, kind="stable"):  # big circles first, small ones on top
        pairs = [[str(w), round(float(v), 6)] for w, v in words[i]]
        circles.append(
            f'<circle cx="{xs[i]:.1f}" cy="{ys[i]:.1f}" r="{radii[i]:.1f}" tabindex="0" '
            f'data-label="{html.escape(str(labels[i]), quote=True)}" '
            f'data-share="{share[i]:.1%}" '
            f'data-words="{html.escape(json.dumps(pairs), quote=True)}">'
            f"<title>{html.escape(str(labels[i]))}</title></circle>"
        )
        numbers.append(
            f'<text x="{xs[i]:.1f}" y="{ys[i] + 4:.1f}" text-anchor="middle" '
            f'pointer-events="none">{i + 1}</text>'
        )
    shapes = circles + numbers
    return (
        _STYLE.format(id=element)
        + f'<div id="{element}" class="topic-map">'
        + f'<svg width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        + f'aria-label="{html.escape(title, quote=True)}">'
        + f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" font-weight="bold">'
        + f"{html.escape(title)}</text>"
        + f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle" fill="#555">'
        + "distance: Jensen-Shannon between word distributions (MDS); area: prevalence</text>"
        + "".join(shapes)
        + "</svg>"
        + '<div class="tm-panel"><b class="tm-title"></b><ol class="tm-words"></ol></div>'
        + "</div>"
        + _SCRIPT % element
    )


def topic_map(fit: TopicFit, n_words: int = 15, title: str = "Topic map") -> str:
    """The map of a ``TopicFit``: prevalence is the mean document share.

    Parameters
    ----------
    fit : TopicFit
        A fitted, labelled model (``describe_fit``, ``fit_topics``).
    n_words : int, default=15
        Words listed per topic.
    title : str, default="Topic map"
        Title above the map.

    Returns
    -------
    str
        The HTML block of ``topic_map_html``.
    """
    components = fit.model.components_
    terms = np.asarray(fit.terms, dtype=object)
    words = [
        list(zip(terms[ids], components[t, ids], strict=True))
        for t, ids in enumerate(top_word_ids(components, n_words))
    ]
    prevalence = fit.shares.mean(skipna=True).to_numpy()
    return topic_map_html(topic_coordinates(components), prevalence, fit.labels, words, title)
