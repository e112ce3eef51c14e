"""Planning a build: every (document, product, locale) job from the configuration, and the files each one reads.

Imports the renderer (and so WeasyPrint): only a build that has something to do plans.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from pipeline.builder.editions import ProductTexts, plan_edition
from pipeline.builder.fingerprint import CODE_ROOTS, RENDER_DISTRIBUTIONS, code_files, environment, project_path
from pipeline.builder.gates import CatalogGate
from pipeline.builder.jobs import BuildOptions, clinic_path
from pipeline.builder.manifest import FileHasher, PlannedJob
from pipeline.config import Config
from pipeline.formats import default_formats, resolve
from pipeline.languages import pseudo_tags
from pipeline.render import Clinic, Job, Layouts, load_clinic, plan_jobs
from pipeline.render.fonts import ATKINSON, CJK, FONT_DIRS, NOTO_ARABIC, NOTO_SANS, FontSpec
from pipeline.render.messages import DOMAIN, LayoutTranslations
from pipeline.render.products import CLINIC_DOCUMENTS, CONTACT_TEXT, declared_products

_LAYOUT_SOURCES = (".j2", ".css")


def job_id(job: Job) -> str:
    """``<locale>/<document>/<product>``: stable across machines and plans."""
    return f"{job.locale.code}/{job.product.document}/{job.product.name}"


@dataclass(slots=True)
class Plan:
    """Every job of the project with the files it reads."""

    jobs: list[PlannedJob]
    """In index order: by locale, then product."""
    render_jobs: dict[str, Job]
    """The renderer's job for each id."""
    code: dict[str, list[str]]
    """Source files per concern (see :data:`pipeline.builder.fingerprint.CODE_ROOTS`)."""
    clinic: Clinic | None = None
    """The clinic printed on the products."""
    clinic_path: Path | None = None
    """Its file."""
    layouts: Layouts | None = None
    """The project's layouts."""
    fonts: dict[str, list[Path]] = field(default_factory=dict)
    """Font files by script."""
    warnings: list[str] = field(default_factory=list)
    """What the build should tell the user about the plan (a document that declares no product)."""
    texts: ProductTexts | None = None
    """Edition and review state of every (document, locale) the plan prints."""


class _Inputs:
    """Finds the files a job reads: templates and their includes, stylesheets, fonts, images, catalogs, clinic."""

    def __init__(self, config: Config, layouts: Path, clinic: Clinic | None, clinic_file: Path | None) -> None:
        self.config = config
        self.layouts = layouts
        self.clinic = clinic
        self.clinic_file = clinic_file
        self.environment = Layouts(layouts).environment(LayoutTranslations())
        self._templates: dict[str, list[str]] = {}
        self._installed: dict[str, Path] | None = None
        self._source_files: list[Path] | None = None

    def templates(self, name: str) -> list[str]:
        """``name`` and every template it extends, includes or imports; all of them when a name is computed."""
        if name not in self._templates:
            found, pending = [], [name]
            while pending:
                current = pending.pop()
                if current in found:
                    continue
                found.append(current)
                source = (self.layouts / current).read_text(encoding="utf-8")
                referenced = list(jinja2.meta.find_referenced_templates(self.environment.parse(source)))
                if any(item is None for item in referenced):
                    return sorted(p.name for p in self.layouts.glob("*.j2"))
                pending += [item for item in referenced if item is not None]
            self._templates[name] = sorted(found)
        return self._templates[name]

    def font_files(self, script: str) -> list[Path]:
        """Files of every font a product in ``script`` may use (the renderer picks among them by the text)."""
        specs: list[FontSpec]
        if script in CJK:
            specs = [CJK[script]]
        elif script == "Arab":
            specs = [NOTO_ARABIC, NOTO_SANS]
        else:
            specs = [ATKINSON, NOTO_SANS]
        files = []
        for spec in specs:
            for name in (spec.regular, spec.bold):
                files.append(self._font_file(spec, name))
        return files

    def _font_file(self, spec: FontSpec, name: str) -> Path:
        if spec is ATKINSON:
            try:
                import fontpkg_atkinson_hyperlegible as package

                return Path(package.ROOT) / "files" / name
            except ImportError:
                return Path(name)
        if self._installed is None:
            self._installed = {}
            for folder in FONT_DIRS:
                if folder.is_dir():
                    for path in sorted(folder.rglob("*")):
                        self._installed.setdefault(path.name, path)
        return self._installed.get(name, Path(name))

    def images(self, document: Path) -> list[Path]:
        """Files of the source folder that ``document`` names (its images)."""
        source = self.config.path(self.config.source_dir)
        if self._source_files is None:
            self._source_files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix != ".md")
        try:
            text = document.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return []
        return [p for p in self._source_files if p.relative_to(source).as_posix() in text]

    def layout_files(self, texts: Sequence[str]) -> list[Path]:
        """Files of the layouts folder (not templates or stylesheets) that the given templates or CSS name."""
        others = sorted(p for p in self.layouts.iterdir() if p.is_file() and p.suffix not in _LAYOUT_SOURCES)
        return [p for p in others if any(p.name in text for text in texts)]

    def of(self, job: Job) -> list[tuple[str, str]]:
        """``(role, path)`` of every file ``job`` reads."""
        root = self.config.root
        files: list[tuple[str, Path]] = [("document", job.document)]
        files += [("image", path) for path in self.images(job.document)]
        if job.catalog is not None:
            files.append(("catalog", job.catalog))
        if not job.locale.pseudo and job.locale.code != self.config.source_language:
            files.append(("catalog", self.config.catalog_path(job.locale.code, DOMAIN)))
        templates = (
            sorted(p.name for p in self.layouts.glob("*.j2")) if job.locale.pseudo
            else self.templates(job.product.template)
        )  # fmt: skip
        if job.product.format != "pdf" and job.product.document in CLINIC_DOCUMENTS:
            templates = sorted({*templates, CONTACT_TEXT})
        stylesheets = ["base.css", job.product.stylesheet]
        # The alternative formats carry the page numbers of the print product their document declares
        # (Job.print_product, from the declarations): its layout is one of their inputs.
        printed = job.print_product if not job.locale.pseudo else None
        if printed is not None:
            templates = sorted({*templates, *self.templates(printed.template)})
            stylesheets.append(printed.stylesheet)
        files += [("template", self.layouts / name) for name in templates]
        files += [("stylesheet", self.layouts / name) for name in stylesheets]
        texts = [(self.layouts / name).read_text(encoding="utf-8") for name in [*templates, *stylesheets]]
        files += [("layout-file", path) for path in self.layout_files(texts)]
        files += [("font", path) for path in self.font_files(job.locale.script)]
        # The documents that carry the clinic (the summary's strip, the text section of the alternative formats)
        # read the clinic file in every product, as the handout's contact box does; so do the alternative formats
        # whose print edition carries it (their print page numbers come from its layout).
        laid_out = [job.product] + ([printed] if printed is not None else [])
        carries = any(p.contact_box or p.guide_link for p in laid_out) or job.product.document in CLINIC_DOCUMENTS
        if self.clinic_file is not None and carries:
            files.append(("clinic", self.clinic_file))
            if self.clinic is not None and self.clinic.logo is not None and job.product.contact_box:
                files.append(("logo", self.clinic.logo))
        return [(role, project_path(path, root)) for role, path in files] + _format_inputs(self.config, job)


def _settings(config: Config, job: Job, options: BuildOptions, clinic: Clinic | None) -> dict[str, Any]:
    return {
        "source_language": config.source_language,
        "front_matter_fields": list(config.front_matter_fields),
        "source_dir": str(config.source_dir),
        "locale": job.locale.code,
        "reviewed": job.reviewed,
        "draft": job.draft,
        "allow_draft": job.allow_draft,
        "missing": job.missing,
        "held": job.held,
        "threshold": options.threshold,
        "product": dataclasses.asdict(job.product),
        # The print product whose pages a web page, EPUB or braille numbers (none: it claims no print pages), so a
        # document that comes to declare one, or stops, has its alternative formats made again.
        **(
            {"print_product": job.print_product.name if job.print_product else None}
            if job.product.format != "pdf"
            else {}
        ),
        "country": clinic.country if clinic else None,
        # Whether the handout carries the QR code and link to the full guide, which the index tells staff.
        **({"guide_url": clinic.guide_url if clinic else None} if job.product.guide_link else {}),
        # The clinic fields this translated product prints in the source language, which the index says: every
        # product that prints the clinic, the summary's strip and the alternative formats' section as the handout's box.
        **(
            {"english_fields": clinic.untranslated_fields(job.locale.code, config.source_language)}
            if clinic is not None and job.product.carries_clinic and not job.locale.pseudo
            else {}
        ),
    }


def _gate(config: Config, job: Job, gate: CatalogGate, draft: bool) -> None:
    """Hold ``job`` back (or make it a draft) when its catalog or its locale's layouts catalog fails the check."""
    if job.catalog is None or job.locale.pseudo or not job.document.is_file():
        return
    code = job.locale.code
    reason = gate.problem(job.catalog, code) or gate.problem(config.catalog_path(code, DOMAIN), code)
    if reason is not None:
        job.hold(reason, draft)


def plan_build(config: Config, options: BuildOptions, gate: CatalogGate | None = None) -> Plan:
    """Every job of the project, whether it may be built (complete and passing the translation check, or wanted
    as a draft), and the files it reads (see :meth:`_Inputs.of`). ``gate`` checks the catalogs (a fresh one, which
    checks every catalog, when None)."""
    layouts = config.layouts_dir
    clinic_file = clinic_path(config, options)
    clinic = load_clinic(clinic_file, config.root) if clinic_file is not None else None
    code = {concern: code_files(roots) for concern, roots in CODE_ROOTS.items()}
    plan = Plan([], {}, code, clinic, clinic_file, texts=ProductTexts(config))
    if not layouts.is_dir():
        return plan
    plan.layouts = Layouts(layouts)
    products, plan.warnings = declared_products(config, config.documents())
    codes = [config.source_language, *config.locale_codes, *(pseudo_tags() if options.pseudo else ())]
    inputs = _Inputs(config, layouts, clinic, clinic_file)
    if gate is None:
        gate = CatalogGate(config, FileHasher(), {}, code["check"], environment(RENDER_DISTRIBUTIONS))
    for job in plan_jobs(config, products, codes, draft=options.draft, threshold=options.threshold):
        _gate(config, job, gate, options.draft)
        identifier = job_id(job)
        grade_inputs = [project_path(job.document, config.root)]
        _format_gate(config, job)
        if job.catalog is not None:
            grade_inputs.append(project_path(job.catalog, config.root))
        planned = PlannedJob(
            id=identifier, locale=job.locale.code, document=job.product.document, product=job.product.name,
            buildable=job.buildable, missing=job.missing, draft=job.draft, reviewed=job.reviewed,
            inputs=inputs.of(job) if job.document.is_file() else [("document", grade_inputs[0])],
            settings=_settings(config, job, options, clinic), grade_inputs=grade_inputs, held=job.held,
        )  # fmt: skip
        assert plan.texts is not None
        plan_edition(plan.texts, job, planned)
        plan.jobs.append(planned)
        plan.render_jobs[identifier] = job
    _link_languages(plan)
    return plan


def _format_gate(config: Config, job: Job) -> None:
    """A job in a language its format cannot be made in (braille without a table) is reported as not buildable,
    never guessed: the registry's ``gate`` says why (:mod:`pipeline.formats`)."""
    gate = default_formats().of(job.product).gate
    if gate is None or not job.document.is_file():
        return
    reason = resolve(gate)(config, job.locale)
    if reason is not None:
        job.missing, job.draft = reason, False


def _link_languages(plan: Plan) -> None:
    """Each web page links the final pages of its document the build makes in other languages, decided once every job
    is planned (and held back or not): the links are part of the page's settings, so a page is rebuilt when a
    language comes or goes."""
    from pipeline.render.output import site_page

    pages: dict[str, list[tuple[str, str]]] = {}
    for job in plan.render_jobs.values():
        if default_formats().of(job.product).in_site and job.buildable and not job.draft:  # drafts are unlinked
            pages.setdefault(job.product.document, []).append((job.locale.code, site_page(job)))
    for planned in plan.jobs:
        job = plan.render_jobs[planned.id]
        if default_formats().of(job.product).in_site:
            job.product = dataclasses.replace(job.product, alternates=tuple(pages.get(job.product.document, [])))
            planned.settings["product"] = dataclasses.asdict(job.product)


def _format_inputs(config: Config, job: Job) -> list[tuple[str, str]]:
    """Files a format reads besides the document's (the braille tables and liblouis): the registry's ``inputs``."""
    inputs = default_formats().of(job.product).inputs
    if inputs is None:
        return []
    return [(role, project_path(path, config.root)) for role, path in resolve(inputs)(config, job.locale)]
