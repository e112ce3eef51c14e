"""Where a product file sits, read from its path: its locale folder, its document and whether it is a draft.

Every format's audit names a file's language and product the same way, from where the build put it.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.formats import SITE
from pipeline.render.errors import RenderError
from pipeline.render.locales import text_locale


def in_locale_folders(output_dir: Path, suffix: str) -> list[Path]:
    """Every ``*<suffix>`` file in a locale folder of ``output_dir`` (``output/es/guide.epub``), sorted; hidden files
    (a build's temporary ones) are not products."""
    return sorted(p for p in output_dir.glob(f"*/*{suffix}") if p.is_file() and not p.name.startswith("."))


def stem_document(stem: str) -> tuple[str, bool]:
    """The document a file is of and whether it is a draft (``summary-draft`` is the summary's draft)."""
    return (stem.removesuffix("-draft"), True) if stem.endswith("-draft") else (stem, False)


def locale_folder(path: Path, output_dir: Path) -> str:
    """The locale folder of a product file (``output/es/guide.epub``, ``output/es/summary.pdf``), empty when it is not
    in one (resolved first, so a file named relative to the working folder keeps its language)."""
    try:
        folder = path.resolve().parent.relative_to(output_dir.resolve()).as_posix()
    except ValueError:
        folder = path.parent.name
    return folder if "/" not in folder and folder not in (".", SITE) else ""


def expected_language(code: str) -> tuple[str | None, str | None]:
    """The BCP 47 tag and direction of a locale code or tag (``zh_Hans`` or ``zh-Hans``); None, None when unknown."""
    if not code:
        return None, None
    try:
        locale = text_locale(code.replace("-", "_"))
    except RenderError:
        return None, None
    return locale.tag, locale.direction
