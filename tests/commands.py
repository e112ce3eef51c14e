"""Test helper: the small sample project of ``tests/roots/basic`` and the ``plainleaf`` command run on it."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BASIC = Path(__file__).parent / "roots" / "basic"
"""A small project: pyproject, a guide, catalogs."""
SHIPPED = Path(__file__).resolve().parent.parent
"""The project as it ships: the clinical-trials guide, handout and summary in five languages."""


def copy_shipped(target: Path) -> Path:
    """A copy of the shipped project (sources, catalogs, layouts, configuration) at ``target``, which must not
    exist yet; no output."""
    target.mkdir(parents=True)
    for name in ("source", "locales", "layouts"):
        shutil.copytree(SHIPPED / name, target / name)
    shutil.copy(SHIPPED / "pyproject.toml", target / "pyproject.toml")
    return target


def copy_built(project: Path, target: Path) -> Path:
    """A copy of a built project (``conftest.shipped_all``) at ``target``, its output, build manifest and kept
    audit results included, so that a build or audit there redoes only what changed since."""
    shutil.copytree(project, target, symlinks=True)
    return target


def all_result(project: Path) -> dict[str, object]:
    """Exit status, stdout and stderr of the ``plainleaf all`` that built ``conftest.shipped_all``."""
    result: dict[str, object] = json.loads((project.parent / "all.json").read_text(encoding="utf-8"))
    return result


def copy_basic(tmp_path: Path) -> Path:
    """A fresh copy of the basic project under ``tmp_path``."""
    target = tmp_path / "project"
    shutil.copytree(BASIC, target)
    return target


def plainleaf(project: Path, *args: str, epoch: str = "1700000000") -> subprocess.CompletedProcess[str]:
    """``python -m pipeline ARGS`` in ``project`` with a fixed SOURCE_DATE_EPOCH; output captured, never raising.

    The command runs in a process of its own, forked from :data:`_STARTER`: an interpreter that has imported what
    the commands import (the renderer with WeasyPrint, the audit with pikepdf, liblouis, Babel) and nothing else,
    so each run starts as ``python -m pipeline`` would, less the 0.3 to 0.45 CPU-seconds of importing that every
    run paid again (the hostile-input tests: 50 CPU-seconds before, 26 after; the command-line, memory and message
    tests: 60 and 48). What a run does after its imports (files, output, exit status, environment, working folder)
    is its own, as in a fresh process; a test about what gets imported uses :func:`run_fresh`."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    return _starter().run(list(args), project, env)


def plainleaf_after(
    prelude: str, project: Path, args: list[str], env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """:func:`plainleaf` with ``env`` as the whole environment, ``prelude`` (Python source) run first in the
    command's process (an audit hook, a changed default) and a time limit (then killed, and
    :class:`subprocess.TimeoutExpired`)."""
    return _starter().run(args, project, env, prelude, timeout)


_STARTER = r"""
import json, os, sys, traceback
del sys.path[0]  # python -c puts its working folder first; python -m pipeline puts the command's (below)
import pipeline.cli, pipeline.speedups
for name in ("pipeline.render.content", "pipeline.render.product", "pipeline.render.web", "pipeline.render.epub",
             "pipeline.render.braille", "pipeline.audit.products", "pipeline.audit.pdf", "pipeline.audit.web",
             "pipeline.audit.epub", "pipeline.audit.braille", "pipeline.catalogs.qa", "pipeline.readability",
             "pipeline.builder", "pipeline.commands.all"):
    __import__(name)
main_path = os.path.join(os.path.dirname(pipeline.__file__), "__main__.py")
requests, replies = os.fdopen(int(sys.argv[1]), "r"), os.fdopen(int(sys.argv[2]), "w")
for line in requests:
    job = json.loads(line)
    child = os.fork()
    if child == 0:
        status = 1
        try:
            os.chdir(job["cwd"])
            os.environ.clear()
            os.environ.update(job["env"])
            for fd, name, flags in ((0, os.devnull, os.O_RDONLY), (1, job["stdout"], os.O_WRONLY | os.O_TRUNC),
                                    (2, job["stderr"], os.O_WRONLY | os.O_TRUNC)):
                os.dup2(os.open(name, flags), fd)
            requests.close()
            replies.close()
            sys.argv = [main_path, *job["args"]]  # as python -m pipeline sets it
            sys.path.insert(0, job["cwd"])
            exec(job["prelude"], {"__name__": "__prelude__"})
            pipeline.cli.run()  # ends the process itself (pipeline.speedups.exit_now)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if exc.code is not None and not isinstance(exc.code, int):
                print(exc.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
        finally:
            pipeline.speedups.exit_now(status)
    replies.write(json.dumps(child) + "\n")
    replies.flush()
    _, waited = os.waitpid(child, 0)
    replies.write(json.dumps(os.waitstatus_to_exitcode(waited)) + "\n")
    replies.flush()
"""
"""The program of the process :func:`plainleaf` forks its runs from (one per test process, started on first use):
it imports the package, then for each request (argv, working folder, environment, output files) forks a child
that runs the command line as ``python -m pipeline`` does and reports the child's exit status."""


class _Starter:
    """The running :data:`_STARTER` process of this test process, and the pipes to it."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="plainleaf-starter-"))
        ask_read, ask_write = os.pipe()
        answer_read, answer_write = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-c", _STARTER, str(ask_read), str(answer_write)],
            cwd=self.folder, pass_fds=(ask_read, answer_write), stdin=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(ask_read)
        os.close(answer_write)
        self.requests = os.fdopen(ask_write, "w")
        self.replies = answer_read
        """The starter's answers, read unbuffered (:meth:`_reply`): a buffered reader could hold an answer that
        ``select`` then never sees arrive."""
        self.unread = b""
        """What was read from :attr:`replies` past the last whole line."""
        self.lock = threading.Lock()
        self.owner = os.getpid()
        """The test process that started it."""

    def run(
        self, args: list[str], cwd: Path, env: dict[str, str], prelude: str = "", timeout: float | None = None
    ) -> subprocess.CompletedProcess[str]:
        """``python -m pipeline ARGS`` in ``cwd`` with ``env``, after running ``prelude`` (Python source) in the
        new process; killed and :class:`subprocess.TimeoutExpired` raised after ``timeout`` seconds."""
        with self.lock:
            stdout, stderr = self.folder / "stdout", self.folder / "stderr"
            stdout.write_bytes(b"")
            stderr.write_bytes(b"")
            job = {"argv": [sys.executable, "-m", "pipeline", *args], "args": args, "cwd": str(cwd), "env": env,
                   "stdout": str(stdout), "stderr": str(stderr), "prelude": prelude}  # fmt: skip
            self.requests.write(json.dumps(job) + "\n")
            self.requests.flush()
            started = self._reply()  # without a time limit: always a line
            assert started is not None
            child = int(json.loads(started))
            answer = self._reply(timeout)
            if answer is None:
                with contextlib.suppress(ProcessLookupError):  # it may end as the time runs out
                    os.kill(child, signal.SIGKILL)
                self._reply()
                raise subprocess.TimeoutExpired(job["argv"], timeout or 0)
            status = int(json.loads(answer))
            return subprocess.CompletedProcess(
                job["argv"], status, stdout.read_text(encoding="utf-8", errors="replace"),
                stderr.read_text(encoding="utf-8", errors="replace"),
            )  # fmt: skip

    def close(self) -> None:
        """End the starter (it ends when its requests do) and remove its folder; only in the test process that
        started it (a process forked from that one inherits the exit handler, never the starter)."""
        if os.getpid() != self.owner:
            return
        self.requests.close()
        self.process.wait()
        os.close(self.replies)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _reply(self, timeout: float | None = None) -> str | None:
        """The starter's next answer line, or None when none came within ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self.unread:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([self.replies], [], [], left)[0]:
                return None
            chunk = os.read(self.replies, 4096)
            if not chunk:
                raise RuntimeError(f"the command starter ended (exit status {self.process.wait()})")
            self.unread += chunk
        line, self.unread = self.unread.split(b"\n", 1)
        return line.decode("utf-8")


_started: dict[int, _Starter] = {}
"""The starter of this process (by process id: a forked test process starts its own)."""


def _starter() -> _Starter:
    pid = os.getpid()
    if pid not in _started or _started[pid].process.poll() is not None:
        _started[pid] = _Starter()
        atexit.register(_started[pid].close)
    return _started[pid]


def run_fresh(project: Path, argv: list[str], modules: tuple[str, ...]) -> tuple[int, dict[str, bool], str]:
    """``plainleaf ARGV`` through :func:`pipeline.cli.main` in a fresh interpreter in ``project``: its exit status,
    whether each of ``modules`` got imported, and everything it printed."""
    code = (
        "import sys\nfrom pipeline.cli import main\n"
        f"status = main({argv!r})\n"
        f"print([name in sys.modules for name in {list(modules)!r}], status)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True)
    imported, status = result.stdout.splitlines()[-1].rsplit(" ", 1)
    flags = [part.strip() == "True" for part in imported.strip("[]").split(",")]
    return int(status), dict(zip(modules, flags, strict=True)), result.stdout + result.stderr


def index_rows(root: Path) -> dict[str, str]:
    """``{"en handout": "<td>...</td>...", "vi guide-web": ...}``: each product's row of ``output/index.html``, by
    its language tag and file stem."""
    page = (root / "output" / "index.html").read_text(encoding="utf-8")
    found = {}
    for table in page.split("<table>")[1:]:
        tag = re.search(r'<span lang="en">\((.+?)\)</span></caption>', table)
        assert tag is not None
        for stem, row in re.findall(r'<tr data-product="(.+?)"[^>]*>(.*?)</tr>', table, re.DOTALL):
            found[f"{tag.group(1)} {stem}"] = row
    return found


def page_boxes(rendered: Any) -> Iterator[tuple[int, Any]]:
    """Every layout box of a rendered product (a ``RenderedProduct``), depth first in document order, with its page
    number from 1."""
    for number, page in enumerate(rendered.layout.document.pages, 1):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            yield number, box
            stack.extend(reversed(getattr(box, "children", [])))
