"""Fixtures shared by the tests: a loopback HTTP server that must never receive a request, and the shipped project
built once per test run (``shipped_all``) for the tests that need every product of it.

Building and auditing the whole shipped project (5 languages, 3 documents, 6 products each) is the costliest thing
a test does: several test modules did it on their own, and ``plainleaf all`` twice more. ``shipped_all`` does it
once per run, in a folder shared by pytest-xdist's workers under a file lock, so that a second worker waits for the
first one's build instead of starting its own. Tests read it, never change it: one that changes something works on
a copy (:func:`commands.copy_built`), where the build manifest and the audit's kept results make the next
``plainleaf build`` or ``audit`` redo only what the test changed.
"""

from __future__ import annotations

import contextlib
import fcntl
import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from commands import copy_shipped, plainleaf


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    do_POST = do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 and a free port, and the paths it was asked for."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture()
def server(loopback: tuple[str, list[str]]) -> tuple[str, list[str]]:
    """The loopback server with its request log emptied."""
    loopback[1].clear()
    return loopback


RUN_FIRST = (
    "test_formats.py",  # its first test waits for shipped_all: the worker that takes it builds the shared project
    "test_gates.py",  # the heaviest files that need no shared project, for the other worker meanwhile
    "test_clinic_files.py",
    "test_gates_built.py",  # then the files that read the shared project, built by now
    "test_audit_axe.py",
    "test_hardening.py",
    "test_handout.py",
    "test_pages.py",
    "test_formats_fresh.py",
    "test_build.py",
    "test_messages.py",
    "test_render_products.py",
    "test_audit_formats.py",
    "test_meaning.py",
    "test_cli.py",
    "test_audit.py",
    "test_braille.py",
    "test_editions.py",
    "test_review.py",
    "test_index.py",
    "test_readability_report.py",
)
"""Test files in the order pytest-xdist hands them out (``make test``: ``--dist loadfile --no-loadscope-reorder``),
the costliest first, every other file after them; measured seconds in the commit that set the order.

A file goes to one worker whole, and a worker takes the next file when it has two tests left, so the run ends when
the worker with the last long file ends. xdist's own order (files with the most tests first) handed out the files
that need the shared project last, several tests each of a minute, while thousands of quick tests had run first:
both workers then waited on the one build, and one file held one worker to the end. Here the build starts at once,
on one worker, while the other runs the costliest files that need none, and the quick files come last, to fill in
until both workers end together. A file not listed keeps its place after these: the order is a matter of speed,
never of correctness.
"""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Sort the collected tests by file in the order of :data:`RUN_FIRST`, keeping each file's own order."""
    rank = {name: index for index, name in enumerate(RUN_FIRST)}
    position = {id(item): index for index, item in enumerate(items)}
    items.sort(key=lambda item: (rank.get(item.path.name, len(rank)), position[id(item)]))


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``slow`` mark: ``pytest -m "not slow"`` is the quick run for developers."""
    config.addinivalue_line(
        "markers", "slow: an integration test that builds or audits whole projects (deselect with -m 'not slow')"
    )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as stream:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(stream.fileno(), fcntl.LOCK_UN)


def _shared_folder(factory: pytest.TempPathFactory) -> Path:
    """A folder every pytest-xdist worker of this run sees (the parent of the workers' own base folders)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def shipped_all(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project after ``plainleaf all`` (what ``make`` runs: every product of every language built and
    audited), built once per test run and shared read-only; ``all.json`` beside the project holds its exit status
    and output."""
    shared = _shared_folder(tmp_path_factory)
    project = shared / "shipped-all" / "project"
    done = shared / "shipped-all" / "all.json"
    with _locked(shared / "shipped-all.lock"):
        if not done.is_file():
            copy_shipped(project)
            result = plainleaf(project, "all")
            done.write_text(
                json.dumps({"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}),
                encoding="utf-8",
            )
    return project
