"""Benchmarks (``make bench``): figures and ratios measured side by side in one run.

Targets (issue 2): extraction plus POT writing of a ~340,000-word corpus within 2.5x of
markdown-it-py's own parse of the same text, peak memory under 300 MB; ``update`` of
four locales of the guide under one second. Issue 20: ``plainleaf check`` of the whole project,
meaning checks included, under two seconds.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "source" / "guide.md"
CORPUS_WORDS = 340_000
ROUNDS = 5
"""Alternating runs of markdown-it-py alone and of extraction; the best of each is kept (the machine is shared)."""


def make_corpus(folder: Path, words: int = CORPUS_WORDS) -> list[Path]:
    """The guide repeated with variations (numbers, shuffled paragraphs, swapped words) until ``words``."""
    rng = random.Random(7)
    text = GUIDE.read_text(encoding="utf-8")
    head, body = text.split("\n# ", 1)
    paragraphs = ("# " + body).split("\n\n")
    vocabulary = sorted({w for w in body.split() if w.isalpha()})
    paths, total, number = [], 0, 0
    while total < words:
        number += 1
        varied = []
        for paragraph in paragraphs:
            tokens = paragraph.split(" ")
            for _ in range(max(1, len(tokens) // 12)):
                index = rng.randrange(len(tokens))
                if tokens[index].isalpha():
                    tokens[index] = rng.choice(vocabulary)
            varied.append(" ".join(tokens))
        middle = varied[2:-1]
        rng.shuffle(middle)
        document = head + "\n" + "\n\n".join([*varied[:2], *middle, varied[-1]]) + f"\n\nVariant {number}.\n"
        path = folder / f"guide-{number:03}.md"
        path.write_text(document, encoding="utf-8")
        paths.append(path)
        total += len(document.split())
    return paths


def child(code: str, *args: str) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter; it prints JSON figures; add its peak memory."""
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=REPO)
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


PARSE_ONLY = """
import json, sys, time, resource
from pathlib import Path
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
texts = [Path(p).read_text(encoding="utf-8") for p in sys.argv[1:]]
md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
md.parse(texts[0])
start = time.perf_counter()
for text in texts:
    md.parse(text)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

EXTRACT = """
import json, sys, time, resource, tempfile
from pathlib import Path
from pipeline.speedups import settle
from pipeline.document import parse_document, markdown_parser
from pipeline.catalogs.extract import generate_template
from pipeline.catalogs.pofile import format_catalog, write_catalog
texts = [(Path(p), Path(p).read_text(encoding="utf-8")) for p in sys.argv[2:]]
markdown_parser().parse(texts[0][1])
if sys.argv[1] == "settled":
    settle()  # as `plainleaf extract` does once its modules are imported
out = Path(tempfile.mkdtemp())
start = time.perf_counter()
messages = 0
for path, text in texts:
    template = generate_template([parse_document(text, path)], "bench")
    write_catalog(template, out / (path.stem + ".pot"), durable=False)  # as `plainleaf extract` writes templates
    messages += len(template)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "messages": messages,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

UPDATE = """
import json, sys, time, copy
from pathlib import Path
from pipeline.document import load_document, parse_document
from pipeline.catalogs.extract import generate_template
from pipeline.catalogs.merge import init_catalog, merge_catalog
guide = Path(sys.argv[1])
old = generate_template([load_document(guide)], "bench")
text = guide.read_text(encoding="utf-8")
edited = text.replace("Pancreatic", "Pancreas").replace("clinical trial", "research study")
new = generate_template([parse_document(edited, guide)], "bench")
catalogs = []
for locale in ("es", "zh_Hans", "vi", "ar"):
    catalog = init_catalog(old, locale)
    for entry in catalog:
        if entry.msgid_plural:
            entry.msgstr_plural = {i: entry.msgid for i in entry.msgstr_plural}
        else:
            entry.msgstr = entry.msgid[::-1]
    catalogs.append(catalog)
start = time.perf_counter()
for catalog in catalogs:
    merge_catalog(catalog, new)
print(json.dumps({"seconds": time.perf_counter() - start, "entries": len(new)}))
"""


READABILITY = """
import json, os, sys, time
from pathlib import Path
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
from pipeline.readability import analyze
from pipeline.readability.report import text_units
texts = [Path(p).read_text(encoding="utf-8") for p in sys.argv[1:]]
units = [unit for text in texts for unit in text_units(text)]
start = time.perf_counter()
analysis = analyze(units, "en")
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "words": analysis.counts.words, "sentences": len(analysis.sentences),
                  "flags": sum(len(s.flags) for s in analysis.sentences)}))
"""


RENDER = """
import json, resource, sys, time
from pathlib import Path
from pipeline.config import load_config
from pipeline.render import Layouts, Renderer, default_products, plan_jobs, render_product
from pipeline.render.pdf import write_pdf
import weasyprint
config = load_config(Path("pyproject.toml"))
renderer = Renderer(config, Layouts(Path("layouts")))
product = next(p for p in default_products() if p.name == "large-print")
job = plan_jobs(config, [product], [sys.argv[1]])[0]
render_product(renderer, job)  # warm: fonts, templates
start = time.perf_counter()
rendered = render_product(renderer, job)
ours = time.perf_counter() - start
html = rendered.html
fonts = renderer.fonts.fonts_for(job.locale.script, html)
start = time.perf_counter()
document = weasyprint.HTML(string=html, base_url=str(Path("layouts").resolve()) + "/").render()
document.write_pdf(pdf_variant="pdf/ua-1")
alone = time.perf_counter() - start
print(json.dumps({"ours": ours, "alone": alone, "pages": rendered.pages,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def timed_command(*args: str) -> float:
    """Wall time of one ``plainleaf`` command on the shipped project."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        paths = make_corpus(Path(folder))
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
        names = [str(p) for p in paths]
        runs: dict[str, list[dict[str, float]]] = {"parse": [], "settled": [], "unsettled": []}
        for _ in range(ROUNDS):  # alternately, so that a busy moment of the machine does not favour one side
            runs["parse"].append(child(PARSE_ONLY, *names))
            runs["settled"].append(child(EXTRACT, "settled", *names))
            runs["unsettled"].append(child(EXTRACT, "unsettled", *names))
        parse, extract, unsettled = (min(runs[name], key=lambda r: r["seconds"]) for name in runs)
        readability = child(READABILITY, *names)
    ratio = extract["seconds"] / parse["seconds"]
    print(f"corpus: {len(paths)} documents, {words:,} words")
    print(f"markdown-it-py parse alone : {parse['seconds']:7.2f} s  (peak {parse['peak_mb']:.0f} MB)")
    print(
        f"plainleaf extract + POT    : {extract['seconds']:7.2f} s  (peak {extract['peak_mb']:.0f} MB), "
        f"{int(extract['messages']):,} messages"
    )
    print(f"ratio extract / parse      : {ratio:7.2f}   target <= 2.5")
    print(
        f"  (without settle())       : {unsettled['seconds'] / parse['seconds']:7.2f}   informative: the garbage"
        " collector walking every imported module in each full collection"
    )
    print(f"peak memory of extract     : {extract['peak_mb']:7.0f} MB target < 300")
    if ratio > 2.5:
        failures.append("extraction ratio")
    if extract["peak_mb"] >= 300:
        failures.append("extraction memory")

    update = child(UPDATE, str(GUIDE))
    print(
        f"update of 4 locales        : {update['seconds']:7.3f} s  target < 1 ({int(update['entries'])} entries each)"
    )
    if update["seconds"] >= 1:
        failures.append("update time")
    print(
        f"readability of the corpus  : {readability['seconds']:7.2f} s  target < 15 on one core "
        f"({int(readability['words']):,} words, {int(readability['sentences']):,} sentences, "
        f"{int(readability['flags']):,} flags)"
    )
    if readability["seconds"] >= 15:
        failures.append("readability analysis time")
    report = min(timed_command("readability") for _ in range(2))
    print(f"plainleaf readability      : {report:7.2f} s  target < 3 (whole project, wall time, incl. start-up)")
    if report >= 3:
        failures.append("readability report time")
    check = min(timed_command("check") for _ in range(2))
    print(
        f"plainleaf check            : {check:7.2f} s  target < 2 (whole project, wall time, incl. start-up and the "
        "language identifier's model)"
    )
    if check >= 2:
        failures.append("check time")
    render = child(RENDER, "es")
    overhead = render["ours"] / render["alone"] - 1
    print(
        f"render es large-print guide: {render['ours']:7.2f} s, WeasyPrint alone on the same HTML "
        f"{render['alone']:.2f} s: overhead {overhead:+.0%} (target <= +20%), {int(render['pages'])} pages"
    )
    print(f"peak memory of a render    : {render['peak_mb']:7.0f} MB target < 600 (two renders in one process)")
    if overhead > 0.20:
        failures.append("render overhead")
    if render["peak_mb"] >= 600:
        failures.append("render memory")
    print("all targets met" if not failures else f"targets missed: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
