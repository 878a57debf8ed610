"""The HTML pages of a report: each executed notebook exported offline, and the index.

The ``offline`` nbconvert template (``templates/offline``) loads nothing from outside the
file. Every figure gets alt text, each page its heading and one-sentence summary, and
``index.html`` links the pages with the run's commit, corpus and seed. The one home of
the HTML a run publishes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter

from usrussia.io import atomic_write

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "offline"
SUMMARY_CHARS = 200
_TITLE_CALL = re.compile(r"(?:set_title|suptitle|plt\.title)\(\s*(['\"])((?:(?!\1).)+)\1")


@dataclass(frozen=True)
class NotebookReport:
    """One exported notebook: its name, heading, summary, HTML files and run time."""

    name: str
    heading: str
    summary: str
    html: str
    full_html: str
    seconds: float


def heading_and_summary(nb: nbformat.NotebookNode) -> tuple[str, str]:
    """The first markdown heading and the first sentence (plain, short) of the next paragraph."""
    heading, paragraph = "", ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for block in re.split(r"\n\s*\n", cell.source):
            block = block.strip()
            if block.startswith("#") and not heading:
                heading = block.splitlines()[0].lstrip("#").strip()
            elif block and not block.startswith("#") and not paragraph:
                paragraph = " ".join(block.split())
        if heading and paragraph:
            break
    plain = re.sub(r"`|\*\*|__", "", paragraph)
    sentence = re.split(r"(?<=[.!?])\s+", plain, maxsplit=1)[0]
    if len(sentence) > SUMMARY_CHARS:
        sentence = sentence[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
    return heading, sentence


def add_alt_text(nb: nbformat.NotebookNode, name: str) -> int:
    """Give every PNG figure alt text: its title from the cell's code, else its section.

    The text goes into the output's ``image/png`` metadata, where the offline template reads
    it. Returns the number of figures.
    """
    section, count = name, 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            headings = re.findall(r"^#+\s*(.+)$", cell.source, flags=re.M)
            section = headings[-1].strip() if headings else section
            continue
        titles = [m.group(2) for m in _TITLE_CALL.finditer(cell.get("source", ""))]
        in_cell = 0
        for output in cell.get("outputs", []):
            if "image/png" not in output.get("data", {}):
                continue
            count += 1
            title = titles[in_cell] if in_cell < len(titles) else section
            in_cell += 1
            output.setdefault("metadata", {}).setdefault("image/png", {})
            output.metadata["image/png"]["alt"] = f"Figure {count} of {name}: {title}"
    return count


def export_html(nb: nbformat.NotebookNode, name: str, with_code: bool) -> str:
    """One self-contained HTML page; the reader version drops code and stderr (warnings, bars)."""
    nb = nbformat.from_dict(nb)
    if not with_code:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name=TEMPLATE_NAME,
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
        exclude_output_prompt=not with_code,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    return body


def write_index(
    reports: Sequence[NotebookReport], manifest: Mapping[str, Any], output_dir: Path
) -> Path:
    """``index.html``: one line per report (escaped), with the run's study, commit, corpus
    and seed."""
    e = html.escape
    items = "\n".join(
        f'<li><a href="{e(r.html)}">{e(r.heading or r.name)}</a> '
        f'<span class="alt">(<a href="{e(r.full_html)}">with code</a>)</span>'
        f"<br>{e(r.summary)}</li>"
        for r in reports
    )
    commit = manifest["git"]["commit"] or "unknown"
    dirty = " (with uncommitted changes)" if manifest["git"]["dirty"] else ""
    params = ", ".join(f"{k}={v!r}" for k, v in sorted(manifest["parameters"].items()))
    study = manifest.get("study")
    design = (
        f'Study <a href="{e(study["published"])}">{e(study["name"])}</a> (sha256 '
        f"<code>{e(study['sha256'][:16])}…</code>); "
        if study
        else ""
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>usrussia reports</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #222; }}
li {{ margin-bottom: 1rem; }}
.alt, footer {{ color: #555; font-size: 0.9rem; }}
code {{ font-size: 0.85rem; }}
</style>
</head>
<body>
<h1>usrussia reports</h1>
<p>How US-Russia relations are covered: one report per notebook, without code; each has a
version with code. Every figure stated here is in <a href="metrics.json">metrics.json</a>.</p>
<ul>
{items}
</ul>
<footer>
<p>{design}Commit <code>{e(commit)}</code>{e(dirty)};
corpus <code>{e(manifest["corpus"]["path"])}</code>
(sha256 <code>{e(manifest["corpus"]["sha256"][:16])}…</code>); seed {e(str(manifest["seed"]))};
parameters: {e(params) or "defaults"}; finished {e(manifest["finished"])}.</p>
</footer>
</body>
</html>
"""
    return atomic_write(output_dir / "index.html", lambda tmp: tmp.write_text(page, "utf-8"))
