"""``usrussia report``: run every notebook, export offline HTML, an index and ``metrics.json``.

The report stage, one concern per module:

- ``params``: the notebooks to run, the parameters each declares, ``--param`` parsing and
  checking (types, corpus groups);
- ``run``: papermill execution (kernel environment, failures) and ``run_report``;
- ``pages``: the offline HTML export, figure alt text, headings and summaries, ``index.html``;
- ``publish``: the output folder's layout and the one step that makes a run current;
- ``manifest``: the run manifest (git state, checksums, package versions, parameters);
- ``metrics``: the blocks notebooks save and the report merges into ``metrics.json``.

Each executed notebook becomes ``NN_name.html`` for readers (no code) and
``NN_name.full.html`` with the code; ``index.html`` links them and ``metrics.json`` merges the
blocks the notebooks saved with the run ``manifest``. A run is built in a hidden staging
folder and published as one step, so its pages, index and metrics become visible together or
not at all.
"""

from __future__ import annotations

from usrussia.report.manifest import MANIFEST_TIMES, git_state, package_versions, run_manifest
from usrussia.report.metrics import load_blocks, save_block
from usrussia.report.pages import (
    NotebookReport,
    add_alt_text,
    export_html,
    heading_and_summary,
    write_index,
)
from usrussia.report.params import (
    GROUP_COLUMNS,
    RUN_PARAMETERS,
    check_groups,
    conform,
    conform_params,
    declared_parameters,
    find_notebooks,
    literal_type,
    parse_params,
    parse_type,
    parse_value,
)
from usrussia.report.publish import check_output_layout, publish, remove_stale_staging
from usrussia.report.run import NotebookFailed, ReportRun, preflight, run_report

__all__ = [
    "GROUP_COLUMNS",
    "MANIFEST_TIMES",
    "RUN_PARAMETERS",
    "NotebookFailed",
    "NotebookReport",
    "ReportRun",
    "add_alt_text",
    "check_groups",
    "check_output_layout",
    "conform",
    "conform_params",
    "declared_parameters",
    "export_html",
    "find_notebooks",
    "git_state",
    "heading_and_summary",
    "literal_type",
    "load_blocks",
    "package_versions",
    "parse_params",
    "parse_type",
    "parse_value",
    "preflight",
    "publish",
    "remove_stale_staging",
    "run_manifest",
    "run_report",
    "save_block",
    "write_index",
]
