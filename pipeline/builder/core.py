"""The build, top to bottom: plan, skip what is up to date, render the rest in parallel, record, write the index.

A build whose every selected output is up to date is decided from the manifest alone, without importing the
renderer (WeasyPrint): that is what makes a no-op build fast. Anything else plans again and renders what changed.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.builder.editions import (
    PREVIOUS,
    archive_record,
    behind_text,
    keep_reason,
    keep_snapshot,
    prune_snapshots,
    today,
)
from pipeline.builder.fingerprint import (
    CODE_ROOTS,
    READABILITY_DISTRIBUTIONS,
    RENDER_DISTRIBUTIONS,
    code_files,
    environment,
    files_digest,
)
from pipeline.builder.gates import CatalogGate
from pipeline.builder.jobs import (
    BuildObserver,
    BuildOptions,
    BuildReport,
    JobOutcome,
    clinic_path,
    content_digest,
    grade_digest,
    index_digest,
    index_lines,
    job_digest,
    layout_key,
    plan_key,
    select,
    wanted_thumbnails,
)
from pipeline.builder.manifest import (
    FileHasher,
    JobRecord,
    Manifest,
    PlannedJob,
    PlanRecord,
    load_audits,
    load_manifest,
    remove_temporaries,
    save_manifest,
    sha256_file,
    verify_outputs,
)
from pipeline.config import Config

if TYPE_CHECKING:
    from pipeline.builder.worker import RenderTask, TaskResult

PRODUCT_SUFFIXES = (".pdf", ".html", ".epub", ".brf", ".txt")
"""Suffixes of product files in the output folder's language folders (and ``index.html`` of each web page)."""
CHECKPOINT_SECONDS = 2.0
"""How often the manifest is saved while jobs finish, so a killed build loses little work."""
INDEX_TEMPLATE = "index.html.j2"
"""Template of ``output/index.html`` in the layouts folder."""


class _Quiet:
    def started(self, total: int) -> None:
        pass

    def finished(self, outcome: JobOutcome) -> None:
        pass


class _Fingerprints:
    """What every digest of one build shares: hashes of files, versions, code."""

    def __init__(self, config: Config, manifest: Manifest) -> None:
        self.config = config
        self.hasher = FileHasher(manifest.files)
        self.render = environment(RENDER_DISTRIBUTIONS)
        self.readability = environment(READABILITY_DISTRIBUTIONS)
        self.render_code = ""
        self.grade_code = ""

    def use_code(self, code: Mapping[str, list[str]]) -> None:
        """Hash the pipeline's own source files per concern."""
        self.render_code = files_digest(self.hasher, code["render"])
        self.grade_code = files_digest(self.hasher, code["readability"])

    def job(self, job: PlannedJob) -> str:
        """The job's digest."""
        return job_digest(job, self.hasher, self.config.root, self.render, self.render_code)

    def layout(self, job: PlannedJob) -> str:
        """What the job's remembered page counts are valid for."""
        return layout_key(job, self.hasher, self.config.root, self.render, self.render_code)

    def grade(self, job: PlannedJob) -> str:
        """The digest of the job's reading grade."""
        return grade_digest(job, self.config, self.hasher, self.readability, self.grade_code)

    def content(self, job: PlannedJob) -> str:
        """The digest of what the job's content is made from."""
        return content_digest(job, self.hasher, self.config.root, self.render, self.render_code)

    def current(self, job: PlannedJob, record: JobRecord, output: Path) -> bool:
        """Whether ``record`` still describes ``job``: made from its inputs as they are now, its files on disk."""
        if record.status == PREVIOUS:  # an earlier edition on purpose: current while its files are on disk
            return verify_outputs(output, record)
        # A record of a version without content digests is current only when its full digest matches.
        made_now = record.content == self.content(job) if record.content else record.digest == self.job(job)
        return made_now and verify_outputs(output, record)

    def index(self, lines: Sequence[dict[str, Any]]) -> str:
        """The index's digest."""
        template = self.hasher.digest(self.config.layouts_dir / INDEX_TEMPLATE)
        return index_digest(lines, template, self.render_code, self.render)


def _grade_key(job: PlannedJob) -> str:
    return f"{job.locale}/{job.document}"


def _grade_current(manifest: Manifest, job: PlannedJob, prints: _Fingerprints) -> bool:
    stored = manifest.grades.get(_grade_key(job))
    # A grade recorded before verdicts were is measured again once, for the index's verdict.
    return stored is not None and "verdict" in stored and stored.get("digest") == prints.grade(job)


def _index_current(manifest: Manifest, lines: Sequence[dict[str, Any]], prints: _Fingerprints, output: Path) -> bool:
    return manifest.index.get("digest") == prints.index(lines) and sha256_file(
        output / "index.html"
    ) == manifest.index.get("sha256")


def _thumbnails_current(manifest: Manifest, lines: Sequence[dict[str, Any]], output: Path) -> bool:
    """Whether the thumbnail of every PDF the index shows is on disk as recorded for that PDF."""
    from pipeline.builder.thumbnails import thumbnail_current

    return all(
        thumbnail_current(output, sha, manifest.thumbnails.get(path), path)
        for _pdf, sha, path in wanted_thumbnails(lines, manifest.jobs)
    )


def _grades(manifest: Manifest, options: BuildOptions) -> Mapping[str, dict[str, Any]]:
    return manifest.grades if options.grades else {}


def _without_rendering(
    config: Config, options: BuildOptions, manifest: Manifest, prints: _Fingerprints, output: Path
) -> BuildReport | None:
    """The report of a build with nothing to do, decided from the manifest alone; None when there is something
    to do (or the manifest cannot tell)."""
    plan = manifest.plan
    if plan is None or plan_key(config, options, prints.hasher, prints.render, plan.code) != plan.key:
        return None
    prints.use_code(plan.code)
    report = BuildReport(planned=len(plan.jobs))
    for job in select(plan.jobs, options):
        record = manifest.jobs.get(job.id)
        if record is None or record.status not in ("built", "skipped", "held", PREVIOUS):
            return None
        if record.digest != prints.job(job):
            return None
        if record.status in ("skipped", "held"):
            report.outcomes.append(JobOutcome(job.id, _OUTCOME[record.status], record.reason))
            continue
        if record.status == PREVIOUS:
            if not verify_outputs(output, record):
                return None
            report.outcomes.append(JobOutcome(job.id, PREVIOUS, record.behind))
            continue
        if not verify_outputs(output, record) or (options.grades and not _grade_current(manifest, job, prints)):
            return None
        report.outcomes.append(JobOutcome(job.id, "up to date", pages=record.pages, draft=record.draft))
    if not options.dry_run:
        lines = index_lines(
            plan.jobs, manifest.jobs, _grades(manifest, options), lambda j, r: prints.current(j, r, output),
            manifest.thumbnails, load_audits(output),
        )  # fmt: skip
        if not _index_current(manifest, lines, prints, output) or not _thumbnails_current(manifest, lines, output):
            return None
        for locale in sorted({job.locale for job in plan.jobs}):
            report.repaired += remove_temporaries(output / locale)
    return report


_OUTCOME = {"skipped": "skipped", "held": "held back", PREVIOUS: PREVIOUS}
"""Outcome status of a job whose record says nothing was printed, by record status."""


def _estimate(job: PlannedJob, record: JobRecord | None, config: Config) -> float:
    if record is not None and record.seconds:
        return record.seconds
    try:
        size = (config.path(config.source_dir) / f"{job.document}.md").stat().st_size
    except OSError:
        size = 0
    return 0.2 + size / 25_000


class _Run:
    """The state of one build that plans (see :func:`build`): the plan, the manifest being updated, the report."""

    def __init__(self, config: Config, options: BuildOptions, manifest: Manifest, prints: _Fingerprints) -> None:
        from pipeline.builder.planning import plan_build

        self.config = config
        self.options = options
        self.output = config.path(config.output_dir)
        self.manifest = manifest
        self.prints = prints
        self.gate = CatalogGate(config, prints.hasher, manifest.checks, code_files(CODE_ROOTS["check"]), prints.render)
        """Checks each catalog once, remembering the results in the manifest."""
        self.plan = plan_build(config, options, self.gate)
        self.planned = {job.id: job for job in self.plan.jobs}
        self.report = BuildReport(planned=len(self.plan.jobs), rendered_here=True, warnings=list(self.plan.warnings))
        self.touched: set[str] = set()
        """Jobs whose record this build changed."""
        self.digests: dict[str, str] = {}
        self.layout_keys: dict[str, str] = {}
        self.stale_grades: list[PlannedJob] = []
        """Up-to-date jobs whose reading grade must be computed again."""

    def decide(self, selected: Sequence[PlannedJob]) -> list[RenderTask]:
        """Sort the selected jobs into up to date, skipped (nothing to print) and to render; returns the tasks."""
        from pipeline.builder.worker import RenderSettings, RenderTask
        from pipeline.render import remove_other_versions

        config, options, output = self.config, self.options, self.output
        settings = RenderSettings(config, config.layouts_dir, clinic_path(config, options), output,
                                  write=options.executor != "dask")  # fmt: skip
        tasks = []
        # One reading grade per document and language, whatever its products (print, web, EPUB, braille share the
        # text): only the first job of each asks for it (0.04 s for the guide in Spanish, four times over before).
        grading: set[str] = set()
        for job in selected:
            self.digests[job.id] = digest = self.prints.job(job)
            record = self.manifest.jobs.get(job.id)
            wants_grade = (
                options.grades
                and _grade_key(job) not in grading
                and not _grade_current(self.manifest, job, self.prints)
            )
            if not options.force and record is not None and record.digest == digest:
                if record.status in ("skipped", "held"):
                    self.report.outcomes.append(JobOutcome(job.id, _OUTCOME[record.status], record.reason))
                    continue
                if record.status == PREVIOUS and verify_outputs(output, record):
                    self.report.outcomes.append(JobOutcome(job.id, PREVIOUS, record.behind))
                    continue
                if record.status == "built" and verify_outputs(output, record):
                    self.report.outcomes.append(
                        JobOutcome(job.id, "up to date", pages=record.pages, draft=record.draft)
                    )
                    if not options.dry_run and not record.draft:
                        self.snapshot(job)
                    if wants_grade:
                        self.stale_grades.append(job)
                        grading.add(_grade_key(job))
                    continue
            render_job = self.plan.render_jobs[job.id]
            reason = keep_reason(job, record)
            if reason is not None and record is not None and verify_outputs(output, record):
                self.keep(job, record, reason)  # its last ready edition stays printable until the next is ready
                continue
            if not job.buildable:
                status = "held" if job.held else "skipped"
                self.report.outcomes.append(JobOutcome(job.id, _OUTCOME[status], job.missing))
                if not options.dry_run:  # a final printed before the catalog failed must not stay to be printed
                    archive_record(output, job, record, render_job.product.file_stem(False), today())
                    remove_other_versions(output, render_job, built=False)
                    self.manifest.jobs[job.id] = JobRecord(
                        status, digest, reason=job.missing, missing=job.missing, content=self.prints.content(job)
                    )
                    self.touched.add(job.id)
                continue
            if options.dry_run:
                self.report.outcomes.append(JobOutcome(job.id, "to build"))
                continue
            archive_record(output, job, record, render_job.product.file_stem(False), today())
            self.layout_keys[job.id] = memo_key = self.prints.layout(job)
            documents = (render_job.document, render_job.catalog)
            printed = render_job.print_product
            print_id = f"{job.locale}/{job.document}/{printed.name}" if printed is not None else ""
            tasks.append(RenderTask(
                id=job.id, settings=settings, product=render_job.product, locale=job.locale,
                document=render_job.document, catalog=render_job.catalog, reviewed=job.reviewed, draft=job.draft,
                missing=job.missing, held=render_job.held, allow_draft=render_job.allow_draft,
                edition=render_job.edition, print_product=printed,
                print_digest=self.prints.job(self.planned[print_id]) if print_id in self.planned else "",
                expected={str(path): sha256_file(path) for path in documents if path is not None},
                layout_pages=record.layout_pages if record is not None and record.layout_key == memo_key else {},
                grade=wants_grade,
                estimate=_estimate(job, record, config),
            ))  # fmt: skip
            if wants_grade:
                grading.add(_grade_key(job))
        # Print products first, longest first, then the rest: an alternative format started after its print product's
        # PDF job reads the page map that job kept instead of laying the product out again (0.5 to 1 s a job).
        tasks.sort(key=lambda task: (task.product.format != "pdf", -task.estimate))
        return tasks

    def record(self, result: TaskResult, task: RenderTask) -> JobOutcome:
        """Write what a worker sent back (if it did not write it), and record the job's outcome."""
        from pipeline.atomic import write_bytes
        from pipeline.builder.worker import remove_outputs, write_page_map
        from pipeline.render import remove_other_versions

        record = result.record
        if result.data:
            render_job = self.plan.render_jobs[result.id]
            render_job.draft = record.draft
            remove_other_versions(self.output, render_job, built=True)
            for name, data in result.data.items():
                write_bytes(self.output / record.outputs[name].path, data)
        elif not task.settings.write:  # skipped or failed on another machine: no outdated product may stay here
            remove_outputs(task)
        record.digest, record.layout_key = self.digests[result.id], self.layout_keys[result.id]
        if result.page_map is not None and record.status == "built":
            write_page_map(self.output, result.id, record.digest, record.draft, result.page_map)
        record.content = self.prints.content(self.planned[result.id])
        record.edition = dict(self.planned[result.id].settings.get("edition") or {}) if record.status == "built" else {}
        self.manifest.jobs[result.id] = record
        self.touched.add(result.id)
        if record.status == "built" and not record.draft:
            self.snapshot(self.planned[result.id])
        if result.graded:
            job = self.planned[result.id]
            self.manifest.grades[_grade_key(job)] = {
                "digest": self.prints.grade(job),
                "grade": result.grade,
                "verdict": result.verdict,
            }
        return JobOutcome(
            result.id, record.status, record.reason, record.seconds, record.pages, record.draft, result.detail
        )

    def keep(self, job: PlannedJob, record: JobRecord, reason: str) -> None:
        """Keep ``record``'s edition printable under its final name, saying why and what changed since."""
        import dataclasses

        assert self.plan.texts is not None
        since = record.since if record.status == PREVIOUS and record.since else today()
        document = self.plan.render_jobs[job.id].document
        behind = behind_text(reason, record, document, self.plan.texts, self.output, since)
        self.report.outcomes.append(JobOutcome(job.id, PREVIOUS, behind))
        if self.options.dry_run:
            return
        self.manifest.jobs[job.id] = dataclasses.replace(
            record, status=PREVIOUS, digest=self.digests[job.id], reason=reason, behind=behind, since=since
        )
        self.touched.add(job.id)

    def snapshot(self, job: PlannedJob) -> None:
        """Keep the source entries of the edition ``job`` is, once per source (see :func:`keep_snapshot`)."""
        if self.plan.texts is not None:
            keep_snapshot(self.plan.texts, job, self.plan.render_jobs[job.id].document, self.output)

    def grade(self) -> None:
        """Reading grades of up-to-date products whose text or scoring changed."""
        from pipeline.readability.products import reading_verdict

        for job in self.stale_grades:  # one job per document and language (see decide)
            render_job = self.plan.render_jobs[job.id]
            verdict = reading_verdict(self.config, render_job.document, render_job.catalog, job.locale)
            grade = {"digest": self.prints.grade(job), "grade": verdict.grade, "verdict": verdict.to_json()}
            self.manifest.grades[_grade_key(job)] = grade

    def write_index(self) -> None:
        """``index.html`` from every record, this build's and those other shards wrote meanwhile, unless unchanged."""
        from pipeline.builder.index import index_rows, write_index
        from pipeline.builder.thumbnails import make_thumbnail, remove_thumbnails, thumbnail_current

        layouts = self.plan.layouts
        if layouts is None:
            return
        recorded = load_manifest(self.output)
        recorded.jobs.update({job_id: self.manifest.jobs[job_id] for job_id in self.touched})
        recorded.grades.update(self.manifest.grades)
        recorded.thumbnails.update(self.manifest.thumbnails)

        def lines_now() -> list[dict[str, Any]]:
            return index_lines(
                self.plan.jobs, recorded.jobs, _grades(recorded, self.options),
                lambda job, record: self.prints.current(job, record, self.output), recorded.thumbnails,
                load_audits(self.output),
            )  # fmt: skip

        lines = lines_now()
        shown = {}
        for pdf, sha, path in wanted_thumbnails(lines, recorded.jobs):
            if not thumbnail_current(self.output, sha, recorded.thumbnails.get(path), path):
                recorded.thumbnails[path] = make_thumbnail(self.output, pdf, path)
                self.report.thumbnails_made += 1
            shown[path] = recorded.thumbnails[path]
        self.manifest.thumbnails = shown
        remove_thumbnails(self.output, set(shown))
        if self.report.thumbnails_made:
            lines = lines_now()
        if not _index_current(recorded, lines, self.prints, self.output):
            plan = self.plan
            rows = index_rows(plan.jobs, plan.render_jobs, lines)
            self.report.index_written = write_index(rows, layouts, self.output)
            self.manifest.index = {
                "digest": self.prints.index(lines),
                "sha256": sha256_file(self.output / "index.html"),
            }
        from pipeline.render.web import write_site  # the web edition's language chooser and QR target list

        write_site(self.output, layouts, [(job, recorded.jobs.get(job.id)) for job in self.plan.jobs], self.plan.clinic)

    def remove_stale(self) -> None:
        """Delete the files of products no longer planned (a document deleted or renamed, a language or a product
        removed) that a build made, as the manifest records them and only while they are as it made them; name the
        product files of the output folder that no build made, and leave them alone."""
        planned = {job.id for job in self.plan.jobs}
        recorded = load_manifest(self.output).jobs | self.manifest.jobs
        for job_id, record in sorted(recorded.items()):
            if job_id in planned:
                continue
            for item in record.outputs.values():
                path = self.output / item.path
                if not path.is_file():
                    continue
                if sha256_file(path) != item.sha256:  # changed since: someone's file now
                    self.report.strangers.append(path)
                    continue
                path.unlink()
                self.report.removed.append(path)
                for folder in path.parents:  # a language's or a web page's folder left empty
                    if folder == self.output or not folder.is_relative_to(self.output):
                        break
                    with contextlib.suppress(OSError):
                        folder.rmdir()
        made = {item.path for record in recorded.values() for item in record.outputs.values()}
        self.report.strangers += [
            path for path in product_files(self.output)
            if path.relative_to(self.output).as_posix() not in made and path not in self.report.strangers
        ]  # fmt: skip

    def save(self, final: bool = True) -> None:
        """Save the records (and, at the end, forget jobs no longer planned)."""
        self.manifest.files = self.prints.hasher.seen
        self.manifest.checks = self.gate.results
        keep = {job.id for job in self.plan.jobs} if final else None
        save_manifest(self.output, self.manifest, self.touched, keep)
        if final and not self.options.dry_run:
            prune_snapshots(self.output, self.manifest.jobs.values(), {job.locale for job in self.plan.jobs})
            prune_page_maps(self.output, [job.id for job in self.plan.jobs])


def prune_page_maps(output: Path, planned: Sequence[str]) -> list[Path]:
    """Delete the kept page maps of print jobs no longer planned (a document, language or product removed)."""
    from pipeline.builder.worker import PAGE_MAPS_DIR, page_map_path

    wanted = {page_map_path(output, job_id) for job_id in planned}
    removed = [path for path in sorted((output / PAGE_MAPS_DIR).glob("*/*.json")) if path not in wanted]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def build(config: Config, options: BuildOptions, observer: BuildObserver | None = None) -> BuildReport:
    """Build the selected print products: plan, skip what is up to date, render the rest in parallel, record what
    was built from what, and write ``output/index.html``. A failing job does not stop the others."""
    from pipeline.builder.executors import execute

    started = time.perf_counter()
    observer = observer or _Quiet()
    output = config.path(config.output_dir)
    manifest = load_manifest(output)
    prints = _Fingerprints(config, manifest)
    quick = None if options.force else _without_rendering(config, options, manifest, prints, output)
    if quick is not None:
        quick.seconds = time.perf_counter() - started
        return quick

    run = _Run(config, options, manifest, prints)
    if run.plan.layouts is None:
        run.report.seconds = time.perf_counter() - started
        return run.report
    prints.use_code(run.plan.code)
    key = plan_key(config, options, prints.hasher, prints.render, run.plan.code)
    manifest.plan = PlanRecord(key, run.plan.code, run.plan.jobs)
    selected = select(run.plan.jobs, options)
    if not options.dry_run:
        for locale in sorted({job.locale for job in selected}):
            run.report.repaired += remove_temporaries(output / locale)

    tasks = run.decide(selected)
    if options.dry_run:
        run.report.seconds = time.perf_counter() - started
        return run.report

    by_id = {task.id: task for task in tasks}
    observer.started(len(tasks))
    saved = time.monotonic()
    try:
        for result in execute(tasks, options.executor, options.workers, options.scheduler):
            outcome = run.record(result, by_id[result.id])
            run.report.outcomes.append(outcome)
            observer.finished(outcome)
            if time.monotonic() - saved > CHECKPOINT_SECONDS:
                run.save(final=False)
                saved = time.monotonic()
    except BaseException:  # interrupted or killed: keep the record of every job that finished
        run.save()
        raise

    run.grade()
    run.remove_stale()
    run.write_index()
    run.save()
    run.report.seconds = time.perf_counter() - started
    return run.report


def product_files(output: Path) -> list[Path]:
    """What looks like a product in ``output``: files of a product's suffix in each language folder, and the web
    edition's pages (``site/<lang>/<document>/index.html``); never the reports, the index, hidden or temporary files."""
    found = []
    for folder in sorted(path for path in output.iterdir() if path.is_dir()) if output.is_dir() else []:
        if folder.name == "site":
            found += sorted(folder.glob("*/*/index.html"))
        elif folder.name != "reports":
            found += sorted(
                path for path in folder.iterdir()
                if path.is_file() and path.suffix in PRODUCT_SUFFIXES and not path.name.startswith(".")
            )  # fmt: skip
    return found
