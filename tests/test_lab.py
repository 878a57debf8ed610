"""JupyterLab as users work: ``make lab``'s server, notebook 04 run from the Run menu.

The server is the command of the Makefile's ``lab`` target (``LAB_ENV``, ``LAB_ARGS``; a test
keeps the two equal) plus what a test needs: a free port on 127.0.0.1, a token, no update or
news checks, autosave off, and every Jupyter folder (config, data, runtime, lab settings and
workspaces, IPython, HOME) in a temporary directory, so nothing of the user's is read or
touched. Chromium is the system one (``test_browser``), with a fresh profile, and may reach
nothing but the server. Notebook 04 runs with its own defaults on the shipped study: it reads
the shipped corpus (the ``corpus`` fixture builds it when missing) and writes its metrics under
``reports/`` as it does for a user; ``notebooks/`` and ``reports/`` are put back as they were.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from test_browser import ARGS, require_chromium

from usrussia import config
from usrussia.report import find_notebooks
from usrussia.report.run import KERNEL
from usrussia.report.tables import COLUMN_NAMES

# What `make lab` runs (the Makefile's lab recipe, from the project root).
LAB_ENV = {"JUPYTER_PREFER_ENV_PATH": "1"}
LAB_ARGS = ["lab", "--ip", "127.0.0.1", "--no-browser", "--ServerApp.root_dir=notebooks"]
ROOT_FLAG = "$(if $(filter 0,$(shell id -u)),--allow-root)"
NOTEBOOK = "04_tone_comparison.ipynb"
# The comparison table's header names the Holm-adjusted p-value as report.tables.readable does.
P_ADJUSTED = {COLUMN_NAMES["p_adjusted"]}
# Jupyter's and IPython's folders, each in the temporary home (environment variable: folder).
JUPYTER_FOLDERS = {
    "HOME": "home",
    "JUPYTER_CONFIG_DIR": "config",
    "JUPYTER_DATA_DIR": "data",
    "JUPYTER_RUNTIME_DIR": "runtime",
    "JUPYTERLAB_SETTINGS_DIR": "settings",
    "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
    "IPYTHONDIR": "ipython",
}
SETTINGS = {  # JupyterLab user settings: nothing fetched, nothing saved behind the test's back
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"checkForUpdates": False, "fetchNews": "false"},
}
SERVER_CONFIG = {
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "extension_manager": "readonly",
    }
}
START_TIMEOUT = 180  # seconds for the server to answer, and again for the kernel to be idle
RUN_TIMEOUT = 1800  # seconds for Run All Cells (a safety net, not a check)
KERNEL_SPEC = """import json, sys
from jupyter_client.kernelspec import KernelSpecManager
spec = KernelSpecManager().get_kernel_spec(sys.argv[1])
print(json.dumps({"resource_dir": spec.resource_dir, "argv": spec.argv}))"""


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its address, token and log."""

    url: str
    token: str
    log: Path

    def api(self, path: str, method: str = "GET") -> Any:
        """The server's REST answer to ``method path`` (JSON), authenticated by the token."""
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def lab_recipe() -> str:
    """The Makefile's ``lab`` recipe as one line (continuations joined, spaces collapsed)."""
    makefile = (config.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^lab:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "the Makefile has no lab target"
    return " ".join(recipe.group(1).replace("\\\n", " ").split())


def isolated_environment(home: Path) -> dict[str, str]:
    """This environment without the user's Jupyter settings, every Jupyter folder in ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON", "XDG_"))}
    for variable, name in JUPYTER_FOLDERS.items():
        (home / name).mkdir(parents=True, exist_ok=True)
        env[variable] = str(home / name)
    return env


def write_lab_config(env: dict[str, str]) -> None:
    """The server configuration and JupyterLab settings of ``SERVER_CONFIG`` and ``SETTINGS``."""
    config_file = Path(env["JUPYTER_CONFIG_DIR"]) / "jupyter_server_config.json"
    config_file.write_text(json.dumps(SERVER_CONFIG), encoding="utf-8")
    for plugin, values in SETTINGS.items():
        path = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, timeout: float, what: str, lab: Lab | None = None) -> Any:
    """Poll ``check()`` every second until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(1)
    pytest.fail(f"{what} after {timeout} s" + (f"; server log:\n{lab.log_tail()}" if lab else ""))


def answers(lab: Lab, proc: subprocess.Popen) -> bool:
    """Whether the server answers its status call (failing at once if it exited)."""
    if proc.poll() is not None:
        pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{lab.log_tail()}")
    try:
        return bool(lab.api("/api/status"))
    except OSError:
        return False


def stop(lab: Lab, proc: subprocess.Popen) -> None:
    """Shut the server and its kernels down: its own shutdown call, else signals to its group."""
    try:
        lab.api("/api/shutdown", method="POST")
        proc.wait(timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def files(folder: Path) -> set[Path]:
    """Every file under ``folder``, relative to it (symlinked folders not followed)."""
    return {Path(d, f).relative_to(folder) for d, _, names in os.walk(folder) for f in names}


@dataclass(frozen=True)
class KeptFolder:
    """A folder and a copy of what it held, to see and undo what a test changed in it."""

    folder: Path
    copy: Path

    def changes(self) -> list[str]:
        """The files added, removed or changed since the copy was made (relative paths)."""
        now, then = files(self.folder), files(self.copy)
        changed = {r for r in now & then if not filecmp.cmp(self.folder / r, self.copy / r, False)}
        return sorted(str(r) for r in (now ^ then) | changed)

    def put_back(self) -> None:
        """Make the folder hold what it held: files restored or removed, new folders removed."""
        for rel in map(Path, self.changes()):
            if (self.copy / rel).exists():
                (self.folder / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(self.copy / rel, self.folder / rel, follow_symlinks=False)
            else:
                (self.folder / rel).unlink()
        for parent, _, _ in sorted(os.walk(self.folder), reverse=True):
            rel = Path(parent).relative_to(self.folder)
            if not os.listdir(parent) and not (self.copy / rel).is_dir():
                os.rmdir(parent)


@pytest.fixture
def kept(tmp_path: Path) -> Iterator[dict[str, KeptFolder]]:
    """``notebooks/`` and ``reports/``, put back as they were after the test."""
    folders = {"notebooks": config.NOTEBOOKS, "reports": config.REPORTS}
    kept = {name: KeptFolder(folder, tmp_path / "kept" / name) for name, folder in folders.items()}
    for k in kept.values():
        shutil.copytree(k.folder, k.copy, symlinks=True)
    yield kept
    for k in kept.values():
        k.put_back()


@pytest.fixture(scope="session")
def chromium() -> str:
    return require_chromium()


@pytest.fixture
def lab(kept: dict[str, KeptFolder], tmp_path: Path) -> Iterator[Lab]:
    """``make lab``'s JupyterLab on a free port with a token, isolated in ``tmp_path``."""
    env = {**isolated_environment(tmp_path / "home"), **LAB_ENV}
    write_lab_config(env)
    port, token = free_port(), secrets.token_hex(24)
    lab = Lab(f"http://127.0.0.1:{port}", token, tmp_path / "jupyter-lab.log")
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    extra = [f"--ServerApp.port={port}", f"--IdentityProvider.token={token}"]
    extra += ["--allow-root"] if os.geteuid() == 0 else []
    with open(lab.log, "wb") as log:
        proc = subprocess.Popen(
            [jupyter, *LAB_ARGS, *extra],
            cwd=config.PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(lambda: answers(lab, proc), START_TIMEOUT, "jupyter lab did not answer", lab)
        yield lab
    finally:
        stop(lab, proc)


def test_make_lab_runs_the_server_the_browser_test_drives() -> None:
    """The browser test starts what `make lab` starts: the recipe is LAB_ENV, jupyter, LAB_ARGS."""
    env = [f"{k}={v}" for k, v in LAB_ENV.items()]
    assert lab_recipe() == " ".join([*env, "$(BIN)/jupyter", *LAB_ARGS, ROOT_FLAG])


def test_the_notebooks_kernel_is_this_venv_whatever_the_users_home_holds(tmp_path: Path) -> None:
    """Every notebook names the kernel papermill runs, and under `make lab`'s environment that
    name is this venv's python even when the user's Jupyter folder holds another ``python3``
    and the user's shell prefers it (``JUPYTER_PREFER_ENV_PATH=0``)."""
    names = {nbformat.read(p, as_version=4).metadata.kernelspec.name for p in find_notebooks()}
    assert names == {KERNEL}
    env = isolated_environment(tmp_path)
    decoy = Path(env["JUPYTER_DATA_DIR"], "kernels", KERNEL, "kernel.json")
    decoy.parent.mkdir(parents=True)
    decoy.write_text(json.dumps({"argv": ["/nowhere/python3", "-m", "ipykernel_launcher"]}))
    env = {**env, "JUPYTER_PREFER_ENV_PATH": "0", **LAB_ENV}
    found = subprocess.run(
        [sys.executable, "-c", KERNEL_SPEC, KERNEL], env=env, capture_output=True, check=True
    )
    spec = json.loads(found.stdout)
    own = Path(sys.prefix, "share", "jupyter", "kernels", KERNEL)
    assert Path(spec["resource_dir"]).resolve() == own.resolve()
    assert spec["argv"][0] in {"python", sys.executable}  # jupyter_client: the server's python


def block_all_but(context, url: str) -> list[str]:
    """Let the browser reach ``url`` only; the list fills with every other address it tried."""
    blocked: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith(f"{url}/"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return blocked


def dialog_text(page) -> str | None:
    """The text of an open JupyterLab dialog (e.g. kernel selection), if any."""
    dialog = page.locator(".jp-Dialog")
    return dialog.first.inner_text() if dialog.count() else None


def kernel_state(lab: Lab) -> str | None:
    """The execution state of the notebook's kernel, as the server knows it."""
    sessions = [s for s in lab.api("/api/sessions") if s["path"].endswith(NOTEBOOK)]
    return sessions[0]["kernel"]["execution_state"] if sessions and sessions[0]["kernel"] else None


def kernel_ready(page, lab: Lab, display_name: str) -> bool:
    """The notebook's kernel is idle and the page shows its name (failing on a dialog)."""
    if text := dialog_text(page):
        pytest.fail(f"JupyterLab asks instead of starting the notebook's kernel: {text}")
    label = page.locator(".jp-NotebookPanel .jp-Toolbar-kernelName").first
    return kernel_state(lab) == "idle" and label.inner_text().strip() == display_name


def prompts(page) -> list[str]:
    """The input prompt of every code cell of the notebook: ``[n]:``, ``[*]:`` or ``[ ]:``.

    Read as ``textContent``: the rendered text (``innerText``) of a cell scrolled out of view is
    empty, since JupyterLab lets the browser skip rendering it (``content-visibility``)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')]
        .map(p => p.textContent.trim())"""
    )


def run_finished(page, lab: Lab) -> list[str] | None:
    """The prompts once no cell is queued or running and the kernel is idle, else None."""
    shown = prompts(page)
    return shown if "[*]:" not in shown and kernel_state(lab) == "idle" else None


def stderr_of_last_run_cell(page) -> str:
    """What the last executed cell wrote to stderr (an error's traceback among it)."""
    return page.evaluate(
        """() => {
        const cells = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell')]
            .filter(c => /\\[\\d+\\]/.test(c.querySelector('.jp-InputPrompt').textContent));
        const last = cells[cells.length - 1];
        if (!last) return '';
        const err = last.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]');
        return [...err].map(e => e.textContent).join('\\n').slice(-3000);
    }"""
    )


def output_tables(page) -> list[dict]:
    """Every table in the notebook's outputs: its header cells and how many body rows."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output table')]
        .map(t => ({header: [...t.querySelectorAll('thead th')].map(h => h.textContent.trim()),
                    rows: t.querySelectorAll('tbody tr').length}))"""
    )


@pytest.mark.browser
@pytest.mark.slow
def test_notebook_04_runs_top_to_bottom_in_jupyterlab(
    chromium: str, corpus, kept: dict[str, KeptFolder], lab: Lab, tmp_path: Path
) -> None:
    """Open 04 in `make lab`'s JupyterLab, Run > Run All Cells: every cell runs on the
    project kernel and the page shows the comparison table (``corpus``: the shipped corpus
    that 04's default study reads exists)."""
    from playwright.sync_api import sync_playwright

    display_name = lab.api("/api/kernelspecs")["kernelspecs"][KERNEL]["spec"]["display_name"]
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=chromium, args=ARGS
        )
        try:
            blocked = block_all_but(context, lab.url)
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(f"{lab.url}/lab/tree/{NOTEBOOK}?token={lab.token}")
            page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=START_TIMEOUT * 1000)
            wait_until(lambda: kernel_ready(page, lab, display_name), START_TIMEOUT, "no kernel")
            before = prompts(page)
            page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
            page.locator(".lm-Menu").get_by_text("Run All Cells", exact=True).click()
            wait_until(lambda: prompts(page) != before, 60, "no cell started")
            shown = wait_until(lambda: run_finished(page, lab), RUN_TIMEOUT, "still running", lab)
            ran = all(re.fullmatch(r"\[\d+\]:", s) for s in shown)
            stopped = "" if ran else stderr_of_last_run_cell(page)
            tables = output_tables(page)
        finally:
            context.close()
    assert ran, f"Run All Cells stopped ({shown.count('[ ]:')} cells not run):\n{stopped}"
    assert blocked == [], f"the page tried to reach other addresses: {blocked}"
    comparison = [t for t in tables if P_ADJUSTED & set(t["header"]) and t["rows"] > 0]
    assert comparison, f"no comparison table among {[t['header'] for t in tables]}"
    written = [p for p in kept["notebooks"].changes() if not p.startswith(".ipynb_checkpoints")]
    assert written == [], f"JupyterLab wrote beside the notebooks: {written}"
