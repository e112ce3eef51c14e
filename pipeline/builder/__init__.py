"""Build stage: every product of the project (print, and each format of :mod:`pipeline.formats`), incrementally, in
parallel, on one machine or a cluster.

``plan_build`` (:mod:`pipeline.builder.planning`) lists the (document, product, locale) jobs from the configuration
and the files each one reads; the manifest ``output/.plainleaf-build.json`` (:mod:`pipeline.builder.manifest`)
records the digest of those inputs and the hash of every output, so a job whose inputs and outputs are unchanged is
not rendered again; the others run as self-contained tasks (:mod:`pipeline.builder.worker`) in worker processes or on
a Dask cluster (:mod:`pipeline.builder.executors`); a catalog that fails ``check`` holds its products back
(:mod:`pipeline.builder.gates`); ``output/index.html`` is written from the records (:mod:`pipeline.builder.index`,
page 1 thumbnails by :mod:`pipeline.builder.thumbnails`). :func:`pipeline.builder.core.build` runs it all;
:mod:`pipeline.commands.build` is ``plainleaf build``.

Importing this package is cheap: the renderer (WeasyPrint) is imported only when something must be planned or
rendered.
"""

from __future__ import annotations

from pipeline.builder.jobs import BuildOptions, BuildReport, JobOutcome, Shard, parse_shard, shard_of

__all__ = ["BuildOptions", "BuildReport", "JobOutcome", "Shard", "parse_shard", "shard_of"]
