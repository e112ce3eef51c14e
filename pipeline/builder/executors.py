"""Where render tasks run: in this process, in worker processes, or on a Dask distributed cluster.

Each yields results as tasks finish; a task that cannot even report (a worker that died) comes back as a failed
result, so the build goes on with the others.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import uuid
from collections.abc import Iterator, Sequence

from pipeline.builder.worker import RenderTask, TaskResult, render_task, warm_fonts
from pipeline.errors import PipelineError
from pipeline.speedups import frozen_for_fork


def run_in_process(tasks: Sequence[RenderTask]) -> Iterator[TaskResult]:
    """One after the other, here (``-j 1``: no process to start, WeasyPrint imported once)."""
    for task in tasks:
        yield render_task(task)


def _die_with_parent() -> None:
    """Worker start-up: on Linux, ask to be killed when the build process dies (even by SIGKILL), so a killed
    build leaves no worker behind that could still write an output."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library this process is linked with
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the worker exits when its queue closes
        return
    if os.getppid() == 1:  # the build died before the request took effect
        os._exit(1)


PR_SET_PDEATHSIG = 1
"""``prctl`` option of Linux (``<linux/prctl.h>``)."""


def run_in_processes(tasks: Sequence[RenderTask], workers: int) -> Iterator[TaskResult]:
    """On ``workers`` processes of this machine, each importing WeasyPrint and reading fonts once."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # fork: workers start with the renderer this process has already imported and the fonts it has read;
    # "spawn" would do both again in every worker.
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:
        warm_fonts(tasks)
    context = multiprocessing.get_context("fork" if fork else None)
    # The first submit forks the workers: see pipeline.speedups for why the collector's objects are frozen first.
    with frozen_for_fork(fork):
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_die_with_parent)
        try:
            pending = {executor.submit(render_task, task): task for task in tasks}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    task = pending.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        yield TaskResult.failed(task.id, "a worker process died while rendering this job")
                    except Exception as exc:
                        yield TaskResult.failed(task.id, f"internal error: {type(exc).__name__}: {exc}")
        finally:
            executor.shutdown(wait=True, cancel_futures=True)


def run_on_dask(tasks: Sequence[RenderTask], scheduler: str) -> Iterator[TaskResult]:
    """On the workers of the Dask cluster at ``scheduler``; they need Plainleaf installed and the project at the
    same path (a shared file system), and send the files' bytes back to be written here."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise PipelineError("--executor dask needs dask[distributed]: pip install 'plainleaf[dask]'") from None
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise PipelineError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        build = uuid.uuid4().hex[:12]  # keys unique per build: a long-lived cluster must not hand back old results
        futures = client.map(render_task, list(tasks), key=[f"plainleaf-{build}-{task.id}" for task in tasks])
        by_key = {future.key: task for future, task in zip(futures, tasks, strict=True)}
        for future in as_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
            task = by_key[future.key]
            try:
                yield future.result()
            except Exception as exc:
                yield TaskResult.failed(task.id, f"Dask worker error: {type(exc).__name__}: {exc}")
            future.release()
    finally:
        client.close()  # type: ignore[no-untyped-call]


def execute(tasks: Sequence[RenderTask], executor: str, workers: int, scheduler: str | None) -> Iterator[TaskResult]:
    """Run ``tasks`` (longest first is the caller's order) where asked."""
    if not tasks:
        return iter(())
    if executor == "dask":
        if scheduler is None:
            raise PipelineError("--executor dask needs --scheduler ADDRESS")
        return run_on_dask(tasks, scheduler)
    if workers <= 1 or len(tasks) == 1:
        return run_in_process(tasks)
    return run_in_processes(tasks, min(workers, len(tasks)))
