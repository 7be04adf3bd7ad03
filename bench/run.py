"""The benchmark: our build beside pandoc and Typst, the WeasyPrint floor, a profile, scaling (``make bench``).

Everything runs on synthetic issues (``bench.synthetic``) made in a temporary
folder. Each measurement runs in a fresh process, as a user's build does, and
is repeated; the median is reported. For every run we keep the wall time, the
CPU time (user + system) and the peak resident memory of that process alone
(``os.wait4``): on a shared machine the wall time moves with the load, the CPU
time much less, so both are shown and the load average is recorded.

Written: a table on stdout, ``bench/results/latest.json`` (not committed),
``bench/RESULTS.md`` (committed), and the table in ``docs/benchmark.md``,
between its markers.

Options: ``--repeat N`` (default 3), ``--quick`` (one repeat, no 64-page run),
``--no-doc``, ``--seed N`` (the synthetic issue's seed, default 0). A child
mode (``--child …``) is how the parent runs each measurement; it is not meant
to be called by hand.

The Typst row needs the optional ``bench`` extra (``pip install -e '.[bench]'``);
without it the row says so. Both PDFs are read back by ``publisher check``'s
typography lint, so the looseness and flush figures of the two tools are
measured the same way.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script (bench/run.py): make `bench` and `publisher` importable
    sys.path.insert(0, str(ROOT))

from bench.synthetic import make_issue  # noqa: E402

BIN = Path(sys.executable).parent  # the venv's bin: weasyprint and publisher live beside python
RESULTS_DIR = ROOT / "bench" / "results"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
PLAIN_LAYOUT = ROOT / "bench" / "layouts" / "plain"
DOC = ROOT / "docs" / "benchmark.md"
DOC_BEGIN = "<!-- bench:begin (written by bench/run.py) -->"
DOC_END = "<!-- bench:end -->"

# What a user who reaches for pandoc would write: the CJK fonts by fontconfig
# family, nothing else. pandoc's own default stylesheet comes with -s.
PANDOC_CSS = """\
html { font-family: "Noto Serif CJK SC", serif; font-size: 10pt; }
h1, h2, h3 { font-family: "Noto Sans CJK SC", sans-serif; }
"""


# --- measuring a process ------------------------------------------------------


@dataclass
class Run:
    """One process (or pipeline of processes) measured from outside."""

    wall: float  # s
    cpu: float  # s, user + system of the processes
    rss_mb: float  # peak resident set of the largest process
    inner: dict[str, float] = field(default_factory=dict)  # what the child measured itself


def run_process(argv: Sequence[str], cwd: Path | None = None) -> Run:
    """Run ``argv`` to completion; its own resource usage, not that of other children."""
    start = time.perf_counter()
    process = subprocess.Popen(list(argv), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    # Read before waiting: a full pipe would block the child.
    stdout, stderr = process.stdout.read(), process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    process.stderr.close()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed ({process.returncode}):\n{stderr.decode()[-3000:]}")
    inner: dict[str, float] = {}
    for line in stdout.decode().splitlines():
        if line.startswith("BENCH "):
            inner = json.loads(line[6:])
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, inner)


def run_pipeline(commands: Sequence[Sequence[str]], cwd: Path | None = None) -> Run:
    """Commands one after the other, as a shell script would: times add up, memory is the largest."""
    runs = [run_process(argv, cwd) for argv in commands]
    return Run(sum(r.wall for r in runs), sum(r.cpu for r in runs), max(r.rss_mb for r in runs))


@dataclass
class Measure:
    """The median of repeated runs, and the spread of the wall time."""

    name: str
    wall: float
    cpu: float
    rss_mb: float
    walls: list[float]
    inner: dict[str, float]
    outputs: dict[str, int] = field(default_factory=dict)  # file -> bytes
    pages: int | None = None

    @property
    def pages_per_s(self) -> float | None:
        return self.pages / self.wall if self.pages else None


def measure(name: str, repeat: int, once: Any) -> Measure:
    """Call ``once()`` (-> Run) ``repeat`` times; medians of each figure."""
    runs: list[Run] = [once() for _ in range(repeat)]
    keys = set().union(*(r.inner for r in runs))
    inner = {k: statistics.median(r.inner[k] for r in runs if k in r.inner) for k in sorted(keys)}
    return Measure(
        name=name,
        wall=statistics.median(r.wall for r in runs),
        cpu=statistics.median(r.cpu for r in runs),
        rss_mb=statistics.median(r.rss_mb for r in runs),
        walls=[round(r.wall, 3) for r in runs],
        inner=inner,
    )


def sizes(*paths: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in paths if p.exists()}


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


# --- the child side: what runs inside each measured process -------------------


def _cpu() -> float:
    """CPU seconds of this process and of the worker processes it has waited for (the print layout's parts)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _report(**figures: float) -> None:
    print("BENCH " + json.dumps(figures), flush=True)


def child(argv: list[str]) -> int:
    """``--child ours KIND ISSUE OUT`` | ``--child floor ISSUE OUT once|stock|plain``
    | ``--child profile ISSUE OUT TOP`` | ``--child typst ISSUE OUT``."""
    task, *args = argv
    if task == "ours":
        kind, issue, out, *jobs = args
        from publisher.build import BuildOptions, build

        options = {
            "pdf": BuildOptions(json=False, pdf=True, epub=False),
            "epub": BuildOptions(json=False, pdf=False, epub=True),
            "build": BuildOptions(),
        }[kind]
        if jobs:
            options = replace(options, jobs=int(jobs[0]))
        if kind == "pdf":
            # Imported before the clock, as the floor does: the in-process time is then ours plus
            # WeasyPrint's layout and writing, not its import. Not for the whole build, which runs as
            # `publisher build` does: WeasyPrint imported in the print process while the issue is read.
            from publisher.print import engine  # noqa: F401
        wall, cpu = time.perf_counter(), _cpu()
        build(Path(issue), Path(out), options)
        _report(wall=time.perf_counter() - wall, cpu=_cpu() - cpu)
    elif task == "floor":
        issue, out, passes = args
        _floor(Path(issue), Path(out), passes)
    elif task == "profile":
        issue, out, top = args
        _profile(Path(issue), Path(out), int(top))
    elif task == "typst":
        issue, out = args
        import typst  # noqa: F401  imported before the clock, as WeasyPrint is for ours

        from bench.typst_edition import compile_pdf, issue_data

        wall, cpu = time.perf_counter(), time.process_time()
        Path(out).mkdir(parents=True, exist_ok=True)
        compile_pdf(issue_data(Path(issue)), Path(out) / "typst.pdf", Path(issue).parent)
        _report(wall=time.perf_counter() - wall, cpu=time.process_time() - cpu)
    else:
        raise SystemExit(f"unknown child task {task!r}")
    return 0


def _floor(issue_path: Path, out: Path, passes: str) -> None:
    """WeasyPrint alone on our own HTML and CSS, generated before the clock starts.

    ``passes``: ``once`` with the cyclic garbage collector paused during
    layout and the document frozen for it while written, as our build does
    (``publisher.print.pdf``); ``stock`` WeasyPrint
    exactly as it comes; ``plain`` as ``once`` but with WeasyPrint breaking
    and justifying the paragraphs itself, in the same placed columns
    (the ``bench/layouts/plain`` layout): the least a newspaper layout of this
    text costs in WeasyPrint, with lines that do not end flush.
    """
    from publisher.ingest.issue_yaml import load_issue
    from publisher.layouts import read_asset, search_path
    from publisher.print.engine import weasyprint
    from publisher.print.fetcher import LayoutOnlyFetcher
    from publisher.print.render import print_sheets, render_print_css, render_print_html
    from publisher.typeset.geometry import load_geometry

    layout = PLAIN_LAYOUT if passes == "plain" else None
    issue = load_issue(issue_path)
    geometry = load_geometry(issue.page_size, layout)
    html = render_print_html(issue, geometry, "2022-11-28T00:00:00Z", layout=layout,
                             sheets=print_sheets(issue, geometry))
    css = render_print_css(geometry, layout=layout)
    lines_css = read_asset("print", "lines.css", layout).decode("utf-8")
    base_url = search_path("print", layout)[0].as_uri() + "/"
    fetcher = LayoutOnlyFetcher(tuple(search_path("print", layout)))
    out.mkdir(parents=True, exist_ok=True)

    wall, cpu = time.perf_counter(), time.process_time()
    stylesheets = [weasyprint.CSS(string=css, base_url=base_url, url_fetcher=fetcher),
                   weasyprint.CSS(string=lines_css, base_url=base_url, url_fetcher=fetcher)]
    source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    if passes != "stock":
        import gc

        gc.disable()
        document = source.render(stylesheets=stylesheets)
        gc.enable()
        gc.freeze()  # as publisher.print.pdf writes
        document.write_pdf(out / "floor.pdf")
        gc.unfreeze()
    else:
        source.write_pdf(out / "floor.pdf", stylesheets=stylesheets)
    _report(wall=time.perf_counter() - wall, cpu=time.process_time() - cpu)


def _profile(issue_path: Path, out: Path, top: int) -> None:
    import cProfile
    import pstats

    from publisher.build import BuildOptions, build

    profiler = cProfile.Profile()
    # One job: the whole build in this process, where the profiler sees it.
    profiler.runcall(build, issue_path, out, BuildOptions(jobs=1))
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(top)
    print(_shorten_paths(text.getvalue()))
    print(_make_up_share(stats))
    # The line breaker's own share of the build: every call of set_paragraph, its preparation included.
    entries = stats.stats  # type: ignore[attr-defined]
    breaker = sum(entry[3] for (path, _, name), entry in entries.items()
                  if name == "set_paragraph" and path.endswith("breaking.py"))
    total = max(entry[3] for entry in entries.values())
    _report(breaker=breaker, total=total)


def _make_up_share(stats: Any) -> str:
    """The page make-up's search against the layout of the pages, from the profile's cumulative times."""
    def cumulative(module: str, function: str) -> float:
        return float(sum(row[3] for (file, _, name), row in stats.stats.items()
                         if file.endswith(module) and name == function))

    search = cumulative("publisher/typeset/makeup.py", "_plan_sheet")
    make_up = cumulative("publisher/typeset/makeup.py", "make_up")
    layout = cumulative("weasyprint/__init__.py", "render")
    return (f"Page make-up: the search for the arrangements (makeup._plan_sheet, compose.arrange) {search:.3f} s; "
            f"the whole make-up with setting every line and head {make_up:.3f} s; WeasyPrint laying the pages out "
            f"{layout:.3f} s. Search / layout = {search / layout:.1%} (under cProfile, which slows pure Python most).")


def _shorten_paths(text: str) -> str:
    # Keep the profile free of this machine's paths: site-packages/… and publisher/… suffice.
    text = re.sub(r"\S*/site-packages/", "", text)
    text = text.replace(str(ROOT) + "/", "")
    return re.sub(r"\S*/lib/python3\.\d+/", "", text)


# --- the parent side: the benchmark --------------------------------------------


def markdown(issue_yaml: Path) -> str:
    """The issue's articles as a user would write them for pandoc: the same text, plain Markdown."""
    from publisher.ingest.issue_yaml import load_issue
    from publisher.model import Picture

    issue = load_issue(issue_yaml)
    out = [f"% {issue.title}", ""]
    for page in issue.pages:
        out += [f"# {page.label} {page.section}", ""]
        for article in page.articles:
            if article.kicker:
                out += [article.kicker.value, ""]
            if article.headline:
                out += [f"## {article.headline.value}", ""]
            if article.subheadline:
                out += [article.subheadline.value, ""]
            dateline = f"**{article.dateline.value}** " if article.dateline else ""
            for block in article.blocks:
                if isinstance(block, Picture):
                    # A paragraph of one image is a figure in pandoc, its text the caption (and the alt).
                    out += [f"![{_md_inline(block.caption_with_credit())}]({block.image.file})", ""]
                elif block.kind == "subhead":
                    out += [f"### {block.text.value}", ""]
                else:
                    out += [_md_escape(dateline + block.text.value), ""]
                    dateline = ""
            if article.bylines:
                out += ["　".join(b.value for b in article.bylines), ""]
    return "\n".join(out)


def _md_inline(text: str) -> str:
    return re.sub(r"([\\\[\]*_`])", r"\\\1", text)


def _md_escape(text: str) -> str:
    # A paragraph that starts like a list item ("1. ", "- ") would become a list.
    return "\\" + text if re.match(r"^(\d+[.)]|[-+*>#])\s", text) else text


def ours(kind: str, issue: Path, out: Path, jobs: int | None = None) -> Run:
    shutil.rmtree(out, ignore_errors=True)
    extra = [str(jobs)] if jobs is not None else []
    return run_process([sys.executable, str(Path(__file__)), "--child", "ours", kind, str(issue), str(out), *extra],
                       ROOT)


def bench_ours(issue: Path, work: Path, repeat: int) -> dict[str, Measure]:
    results = {}
    for kind in ("pdf", "epub", "build"):
        out = work / f"ours-{kind}"
        m = measure(f"ours {kind}", repeat, lambda kind=kind, out=out: ours(kind, issue, out))
        files = sorted(out.iterdir())
        m.outputs = sizes(*files)
        pdfs = [f for f in files if f.suffix == ".pdf"]
        m.pages = pdf_pages(pdfs[0]) if pdfs else None
        results[kind] = m
    return results


def bench_pandoc(issue: Path, work: Path, repeat: int) -> dict[str, Measure]:
    folder = work / "pandoc"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issue.md").write_text(markdown(issue), encoding="utf-8")
    if (issue.parent / "photos").is_dir():  # the same photographs, where the Markdown names them
        shutil.copytree(issue.parent / "photos", folder / "photos", dirs_exist_ok=True)
    (folder / "cjk.css").write_text(PANDOC_CSS, encoding="utf-8")
    pandoc = shutil.which("pandoc") or "pandoc"
    to_html = [pandoc, "issue.md", "-s", "-o", "issue.html", "--metadata", "lang=zh-Hans"]
    to_pdf = [str(BIN / "weasyprint"), "issue.html", "issue.pdf", "-s", "cjk.css"]
    to_epub = [pandoc, "issue.md", "-o", "issue.epub", "--metadata", "lang=zh-Hans"]
    pdf = measure("pandoc pdf", repeat, lambda: run_pipeline([to_html, to_pdf], folder))
    pdf.outputs = sizes(folder / "issue.pdf")
    pdf.pages = pdf_pages(folder / "issue.pdf")
    epub = measure("pandoc epub", repeat, lambda: run_pipeline([to_epub], folder))
    epub.outputs = sizes(folder / "issue.epub")
    both = measure("pandoc pdf+epub", repeat, lambda: run_pipeline([to_html, to_pdf, to_epub], folder))
    both.outputs = {**pdf.outputs, **epub.outputs}
    both.pages = pdf.pages
    return {"pdf": pdf, "epub": epub, "build": both}


def bench_floor(issue: Path, work: Path, repeat: int, passes: str) -> Measure:
    out = work / f"floor-{passes}"
    argv = [sys.executable, str(Path(__file__)), "--child", "floor", str(issue), str(out), passes]
    m = measure(f"weasyprint floor ({passes})", repeat, lambda: run_process(argv, ROOT))
    m.outputs = sizes(out / "floor.pdf")
    m.pages = pdf_pages(out / "floor.pdf")
    return m


def bench_profile(issue: Path, work: Path, top: int = 15) -> tuple[str, dict[str, float]]:
    """The profile's listing, and the line breaker's cumulative time beside the build's."""
    out = work / "profile"
    argv = [sys.executable, str(Path(__file__)), "--child", "profile", str(issue), str(out), str(top)]
    process = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True)
    figures: dict[str, float] = {}
    kept = []
    for line in process.stdout.splitlines():
        if line.startswith("BENCH "):
            figures = json.loads(line[6:])
        else:
            kept.append(line)
    text = "\n".join(kept)
    # From the header row on: the listing, not pstats' preamble.
    return (text[text.index("   ncalls"):].rstrip() if "   ncalls" in text else text.rstrip()), figures


def bench_typst(issue: Path, work: Path, repeat: int) -> Measure | None:
    """The same articles set by Typst in the same geometry; None without the ``bench`` extra."""
    from bench.typst_edition import available

    if not available():
        return None
    out = work / "typst"
    argv = [sys.executable, str(Path(__file__)), "--child", "typst", str(issue), str(out)]
    m = measure("typst pdf", repeat, lambda: run_process(argv, ROOT))
    m.outputs = sizes(out / "typst.pdf")
    m.pages = pdf_pages(out / "typst.pdf")
    return m


def typography(pdf: Path, widths: Sequence[float]) -> dict[str, float]:
    """What ``publisher check``'s typography lint measures of ``pdf``, at clreq's strict level."""
    from publisher.check.lint import lint_pdf
    from publisher.typeset.fonts import primary

    report = lint_pdf(pdf, column_width_pt=widths, body_family=primary("serif").family, level="strict")
    return {
        "justified": report.justified,
        "flush_share": report.flush_share,
        "prohibited": report.prohibited_starts + report.prohibited_ends,
        "loose_p95": report.loose_p95 or 0.0,
        "loose_max": report.loose_max or 0.0,
        "loose_share": report.loose_share or 0.0,
    }


def bench_scaling(work: Path, sizes_: Sequence[int], repeat: int, known: dict[int, Measure]) -> dict[int, Measure]:
    results = {}
    for pages in sizes_:
        if pages in known:
            results[pages] = known[pages]
            continue
        issue = make_issue(work / f"issue{pages}", pages=pages)
        out = work / f"scale{pages}"
        m = measure(f"ours build {pages}p", repeat, lambda issue=issue, out=out: ours("build", issue, out))
        m.outputs = sizes(*sorted(out.iterdir()))
        m.pages = pdf_pages(next(out.glob("*.pdf")))
        results[pages] = m
    return results


def bench_cores(issue: Path, work: Path, repeat: int) -> dict[str, Measure]:
    """The whole build with the print layout in 1, 2 and all the machine's processes (``--jobs``)."""
    cores = os.cpu_count() or 1
    results = {}
    for jobs in dict.fromkeys((1, 2, cores)):
        out = work / f"cores{jobs}"
        m = measure(f"ours build, {jobs} jobs", repeat, lambda jobs=jobs, out=out: ours("build", issue, out, jobs))
        m.outputs = sizes(*sorted(out.iterdir()))
        m.pages = pdf_pages(next(out.glob("*.pdf")))
        results["all" if jobs == cores else str(jobs)] = m
        if jobs == cores and jobs in (1, 2):
            results[str(jobs)] = m  # this machine has no more cores than that
    return results


def cores_lines(results: dict[str, Any]) -> list[str]:
    """The table of the build against the processes it may use."""
    cores = results.get("cores")
    if not cores:
        return []
    one = cores["1"]
    lines = ["", f"Scaling with cores (whole build, `--jobs N`; this machine has {os.cpu_count()} CPUs):", "",
             _row(["jobs", "wall s", "CPU s", "speed-up (wall)", "peak MB"]),
             _row(["---", "---:", "---:", "---:", "---:"])]
    for name, m in cores.items():
        lines.append(_row([name, f"{m.wall:.2f}", f"{m.cpu:.2f}", f"{one.wall / m.wall:.2f}x", f"{m.rss_mb:.0f}"]))
    return lines


def typst_lines(results: dict[str, Any]) -> list[str]:
    """Our whole build against Typst's PDF of the same articles, when the benchmark has a Typst row."""
    typst = results.get("typst")
    if typst is None:
        return ["Typst: no Typst row in this run (the optional `bench` extra is not installed), no ratio."]
    ours_ = results["ours"]["build"]
    ratio, cpu = ours_.wall / typst.wall, ours_.cpu / typst.cpu
    return [f"whole build against Typst's PDF of the same articles ≤ 3x its wall: {ratio:.1f}x wall "
            f"({cpu:.1f}x its CPU) — {'met' if ratio <= 3.0 else 'NOT met'}"]


def _geometry_widths(issue: Path) -> tuple[float, ...]:
    from publisher.ingest.issue_yaml import load_issue
    from publisher.typeset.geometry import load_geometry

    loaded = load_issue(issue)
    return (load_geometry(loaded.page_size, loaded.layout).column_width,)  # every body column has the grid's width


def has_batch() -> bool:
    publisher = BIN / "publisher"
    if not publisher.exists():
        return False
    result = subprocess.run([str(publisher), "batch", "--help"], capture_output=True, cwd=ROOT)
    return result.returncode == 0


def bench_batch(work: Path, repeat: int, issues: int = 6, pages: int = 4) -> dict[str, Any]:
    """``publisher batch`` on an archive: 1 job, 2 jobs, then the same run again unchanged; median of ``repeat``."""
    archive = work / "archive"
    for n in range(issues):
        day = dt.date(2022, 11, 1) + dt.timedelta(days=n)
        make_issue(archive / day.isoformat(), pages=pages, seed=n, date=day.isoformat())
    publisher = str(BIN / "publisher")
    walls: dict[str, list[float]] = {"jobs1": [], "jobs2": [], "rerun": []}
    runs = {}
    for _ in range(repeat):
        for jobs in (1, 2):
            out = work / f"batch-{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            run = runs[f"jobs{jobs}"] = run_process([publisher, "batch", str(archive), "--out", str(out),
                                                     "--jobs", str(jobs)])
            walls[f"jobs{jobs}"].append(run.wall)
        runs["rerun"] = run_process([publisher, "batch", str(archive), "--out", str(work / "batch-2"), "--jobs", "2"])
        walls["rerun"].append(runs["rerun"].wall)
    median = {name: statistics.median(values) for name, values in walls.items()}
    return {
        "issues": issues,
        "pages_each": pages,
        "repeat": repeat,
        "walls": walls,
        "runs": {k: asdict(v) for k, v in runs.items()},
        "speedup_2_jobs": median["jobs1"] / median["jobs2"],
        "rerun_share": median["rerun"] / median["jobs2"],
    }


# --- reporting ------------------------------------------------------------------


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table(results: dict[str, Any]) -> str:
    ours_, theirs, floor = results["ours"], results["pandoc"], results["floor"]
    lines = [
        f"Issue: {results['issue']['pages']} pages, {results['issue']['articles']} articles, "
        f"{results['issue']['characters']:,} characters (bench/synthetic.py, seed {results['seed']}). "
        f"Median of {results['repeat']} runs, each in a fresh process; wall and CPU seconds, peak RSS.",
        "",
        _row(["run", "wall s", "CPU s", "pages/s", "peak MB", "output", "ours / pandoc (wall)"]),
        _row(["---", "---:", "---:", "---:", "---:", "---", "---:"]),
    ]
    for kind, label in (("pdf", "PDF"), ("epub", "EPUB"), ("build", "build: PDF+EPUB")):
        for who, m in (("ours", ours_[kind]), ("pandoc", theirs[kind])):
            ratio = f"{ours_[kind].wall / theirs[kind].wall:.1f}x" if who == "ours" else ""
            pps = f"{m.pages_per_s:.2f}" if m.pages_per_s else ""
            outputs = ", ".join(f"{Path(k).suffix[1:]} {_mb(v)}" for k, v in m.outputs.items())
            lines.append(_row([f"{who} {label}", f"{m.wall:.2f}", f"{m.cpu:.2f}", pps, f"{m.rss_mb:.0f}",
                               outputs, ratio]))
    inner_pdf = ours_["pdf"].inner
    stock = results["floor_stock"]
    for label, m in (("collector paused and frozen as in our build", floor), ("stock WeasyPrint", stock)):
        lines.append(_row([f"WeasyPrint floor, {label} (our HTML+CSS: the frame, the body's lines as placeholders; "
                           "layout + write only, one process)", f"{m.inner['wall']:.2f}",
                           f"{m.inner['cpu']:.2f}", "", f"{m.rss_mb:.0f}", "", ""]))
    typst_ = results.get("typst")
    if typst_ is not None:
        pps = f"{typst_.pages_per_s:.2f}" if typst_.pages_per_s else ""
        outputs = ", ".join(f"{Path(k).suffix[1:]} {_mb(v)}" for k, v in typst_.outputs.items())
        lines.append(_row([f"Typst {results['typst_version']} PDF (same articles, same geometry)", f"{typst_.wall:.2f}",
                           f"{typst_.cpu:.2f}", pps, f"{typst_.rss_mb:.0f}", outputs,
                           f"ours {ours_['pdf'].wall / typst_.wall:.1f}x Typst's"]))
    plain = results["floor_plain"]
    lines.append(_row(["WeasyPrint sets the lines itself (its own breaking, text-align: justify, not flush; "
                       "same columns and heights; layout + write only)", f"{plain.inner['wall']:.2f}",
                       f"{plain.inner['cpu']:.2f}", "", f"{plain.rss_mb:.0f}", "",
                       f"{plain.inner['wall'] / theirs['build'].wall:.1f}x"]))
    lines += [
        "",
        f"Our PDF in-process (excluding interpreter start and imports; make-up, the body's lines, "
        f"the parts in {os.cpu_count()} processes and their join): {inner_pdf['wall']:.2f} s wall, "
        f"{inner_pdf['cpu']:.2f} s CPU. Against the floor (collector as in our build): "
        f"{inner_pdf['wall'] / floor.inner['wall']:.2f}x wall, {inner_pdf['cpu'] / floor.inner['cpu']:.2f}x CPU; "
        f"against stock WeasyPrint on the same HTML: {inner_pdf['wall'] / stock.inner['wall']:.2f}x wall, "
        f"{inner_pdf['cpu'] / stock.inner['cpu']:.2f}x CPU.",
        "",
        "Scaling (whole build):",
        "",
        _row(["pages", "wall s", "CPU s", "s/page (wall)", "s/page (CPU)", "peak MB"]),
        _row(["---:", "---:", "---:", "---:", "---:", "---:"]),
    ]
    for pages, m in sorted(results["scaling"].items()):
        lines.append(_row([str(pages), f"{m.wall:.2f}", f"{m.cpu:.2f}", f"{m.wall / pages:.2f}",
                           f"{m.cpu / pages:.2f}", f"{m.rss_mb:.0f}"]))
    lines += ["", *typography_table(results)]
    lines += ["", results["scaling_verdict"]]
    lines += cores_lines(results)
    lines += ["", "Targets:", ""]
    lines += [f"- {t}" for t in results["targets"]]
    lines += ["", results["batch_note"]]
    if "ours_text_only" in results:
        lines += ["", photos_note(results)]
    return "\n".join(lines)


def photos_note(results: dict[str, Any]) -> str:
    """What the photographs of the issue cost our build: the same text without them, measured in the same run."""
    with_, without = results["ours"], results["ours_text_only"]

    def size(measure: Measure, suffix: str) -> int:
        return sum(v for k, v in measure.outputs.items() if k.endswith(suffix))

    pdf, epub = with_["build"], without["build"]
    return (f"Photographs ({results['issue'].get('pictures', 0)} in the issue): the whole build takes "
            f"{pdf.wall / epub.wall:.2f}x the wall time and {pdf.cpu / epub.cpu:.2f}x the CPU of the same text "
            f"without them ({pdf.wall - epub.wall:+.2f} s wall, {pdf.cpu - epub.cpu:+.2f} s CPU); the PDF "
            f"{_mb(size(pdf, '.pdf') - size(epub, '.pdf'))} more ({_mb(size(pdf, '.pdf'))}), the EPUB "
            f"{_mb(size(pdf, '.epub') - size(epub, '.epub'))} more ({_mb(size(pdf, '.epub'))}).")


def typography_table(results: dict[str, Any]) -> list[str]:
    """The even-grey figures of both PDFs, read back by publisher check's lint at clreq's strict level."""
    lines = [
        "Typography of the PDFs (publisher check's lint, clreq's strict level; looseness is the median extra "
        "space between consecutive ideographs of each justified line, in em):",
        "",
        _row(["PDF", "justified lines", "95th percentile", "loosest", "over 0.1 em", "flush", "prohibited"]),
        _row(["---", "---:", "---:", "---:", "---:", "---:", "---:"]),
    ]
    for name, key in (("ours", "typography_ours"), (f"Typst {results.get('typst_version', '')}", "typography_typst")):
        t = results.get(key)
        if t is None:
            lines.append(_row([name, "not measured (pip install -e '.[bench]')", "", "", "", "", ""]))
            continue
        lines.append(_row([name, f"{t['justified']:.0f}", f"{t['loose_p95']:.3f} em", f"{t['loose_max']:.3f} em",
                           f"{t['loose_share']:.1%}", f"{t['flush_share']:.1%}", f"{t['prohibited']:.0f}"]))
    breaker = results.get("breaker")
    if breaker:
        lines += ["", "The line breaker (publisher.typeset.cjk.breaking.set_paragraph, all calls) took "
                      f"{breaker['breaker']:.2f} s of "
                      f"the profiled build's {breaker['total']:.2f} s ({breaker['breaker'] / breaker['total']:.1%})."]
    return lines


def scaling_verdict(scaling: dict[int, Measure]) -> str:
    per_page = {p: m.cpu / p for p, m in sorted(scaling.items())}
    lo, hi = min(per_page.values()), max(per_page.values())
    smallest, largest = min(per_page), max(per_page)
    growth = per_page[largest] / per_page[smallest]
    # A fixed start-up cost makes small issues dearer per page; superlinear growth shows as the reverse.
    shape = "linear (per-page cost flat or falling)" if growth <= 1.15 else "superlinear (per-page cost rises)"
    return (f"CPU per page from {smallest} to {largest} pages: "
            + ", ".join(f"{p}p {v:.2f} s" for p, v in per_page.items())
            + f" (spread {lo:.2f}–{hi:.2f}); growth is {shape}.")


def targets(results: dict[str, Any]) -> list[str]:
    ours_, theirs, floor = results["ours"], results["pandoc"], results["floor"]
    overhead = ours_["pdf"].inner["wall"] / floor.inner["wall"] - 1
    overhead_cpu = ours_["pdf"].inner["cpu"] / floor.inner["cpu"] - 1
    epub_ours = sum(v for k, v in ours_["epub"].outputs.items() if k.endswith(".epub"))
    epub_theirs = sum(v for k, v in theirs["epub"].outputs.items() if k.endswith(".epub"))
    return [
        *typography_targets(results),
        *speed_targets(results),
        f"overhead above the WeasyPrint floor ≤ 15%: {overhead:+.0%} wall, {overhead_cpu:+.0%} CPU — "
        f"{_verdict(overhead <= 0.15)}",
        f"EPUB ≤ pandoc's EPUB + 1 MB: {_mb(epub_ours)} vs {_mb(epub_theirs)} + 1 MB — "
        f"{_verdict(epub_ours <= epub_theirs + 1_000_000)}",
    ]


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def typography_targets(results: dict[str, Any]) -> list[str]:
    grey = []
    if (t := results.get("typography_ours")) is not None:
        grey = [
            f"even grey: 95th percentile ≤ 0.03 em: {t['loose_p95']:.3f} em — {_verdict(t['loose_p95'] <= 0.03)}; "
            f"no line looser than 0.25 em: {t['loose_max']:.3f} em — {_verdict(t['loose_max'] <= 0.25)}; "
            f"≤ 1% over 0.1 em: {t['loose_share']:.1%} — {_verdict(t['loose_share'] <= 0.01)}; "
            f"100% flush: {t['flush_share']:.1%} — {_verdict(t['flush_share'] >= 1.0)}; "
            f"no prohibited start or end (strict): {t['prohibited']:.0f} — {_verdict(t['prohibited'] == 0)}",
        ]
    if (b := results.get("breaker")):
        share = b["breaker"] / b["total"]
        grey.append(f"line breaker well under a tenth of the build: {share:.1%} — {_verdict(share < 0.1)}")
    return grey


def speed_targets(results: dict[str, Any]) -> list[str]:
    """Issue 26's goals: the whole build against pandoc + WeasyPrint (wall 0.8x, CPU 1.0x) with every core
    and with one (``--jobs 1``), against Typst (wall 3x), its memory, and the cost per page."""
    theirs = results["pandoc"]["build"]
    builds = {"all cores": results["ours"]["build"]}
    if (cores := results.get("cores")) and "1" in cores:
        builds["--jobs 1"] = cores["1"]
    lines = []
    for name, m in builds.items():
        wall, cpu = m.wall / theirs.wall, m.cpu / theirs.cpu
        lines.append(f"whole build ({name}) ≤ 0.8x pandoc + WeasyPrint's wall and ≤ 1.0x its CPU: "
                     f"{wall:.2f}x wall, {cpu:.2f}x CPU — {_verdict(wall <= 0.8 and cpu <= 1.0)}")
    lines += typst_lines(results)
    pages = results["issue"]["pages"]
    for name, m in builds.items():
        lines.append(f"peak memory < 250 MB on the {pages}-page issue ({name}): {m.rss_mb:.0f} MB — "
                     f"{_verdict(m.rss_mb < 250)}")
    if (verdict := results.get("scaling_verdict")):
        lines.append(f"cost per page flat or falling: {verdict}")
    return lines


def environment() -> dict[str, Any]:
    import weasyprint

    pandoc = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "weasyprint": weasyprint.__version__,
        "pandoc": pandoc,
    }


def issue_facts(issue_yaml: Path) -> dict[str, int]:
    from publisher.ingest.issue_yaml import load_issue
    from publisher.model import Block

    issue = load_issue(issue_yaml)
    articles = [a for p in issue.pages for a in p.articles]
    return {
        "pages": len(issue.pages),
        "articles": len(articles),
        "characters": sum(len(b.text.value) for a in articles for b in a.blocks if isinstance(b, Block)),
        "pictures": sum(len(a.pictures) for a in articles),
    }


def write_reports(results: dict[str, Any], text: str, profile: str, doc: bool) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)

    def plain(value: Any) -> Any:
        if isinstance(value, Measure):
            return asdict(value) | {"pages_per_s": value.pages_per_s}
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        return value

    (RESULTS_DIR / "latest.json").write_text(json.dumps(plain(results) | {"profile": profile}, indent=2) + "\n",
                                             encoding="utf-8")
    env = results["environment"]
    header = (f"Measured {env['when']} on {env['cpus']} CPUs ({env['machine']}), load average at start "
              f"{env['load_average_at_start'][0]:.1f}; Python {env['python']}, WeasyPrint {env['weasyprint']}, "
              f"{env['pandoc']}.")
    RESULTS_MD.write_text(
        "# Benchmark results\n\nWritten by `make bench` (bench/run.py); the JSON is in bench/results/latest.json.\n\n"
        f"{header}\n\n{text}\n\n## Where the time goes\n\ncProfile of one whole build of the "
        f"{results['issue']['pages']}-page issue, top functions by cumulative time:\n\n```\n{profile}\n```\n",
        encoding="utf-8",
    )
    if doc and DOC.exists():
        content = DOC.read_text(encoding="utf-8")
        if DOC_BEGIN in content and DOC_END in content:
            before, rest = content.split(DOC_BEGIN, 1)
            after = rest.split(DOC_END, 1)[1]
            DOC.write_text(f"{before}{DOC_BEGIN}\n{header}\n\n{text}\n{DOC_END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is kept")
    parser.add_argument("--quick", action="store_true", help="one run each, no 64-page issue")
    parser.add_argument("--no-doc", "--no-readme", action="store_true", help="leave docs/benchmark.md alone")
    parser.add_argument("--pages", type=int, default=16, help="pages of the main issue")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic issue")
    parser.add_argument("--no-photos", action="store_true",
                        help="the main issue without photographs (by default about one story in three has one)")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    # The toolkit's modules compiled to bytecode first, as an installed package has them (pip compiles at
    # install): with PYTHONDONTWRITEBYTECODE set, every fresh process would compile them from source again.
    compileall.compile_dir(ROOT / "publisher", quiet=1)
    with tempfile.TemporaryDirectory(prefix="publisher-bench-") as tmp:
        work = Path(tmp)
        results: dict[str, Any] = {"environment": environment(), "repeat": repeat, "seed": args.seed}
        photos = not args.no_photos
        issue = make_issue(work / f"issue{args.pages}", pages=args.pages, seed=args.seed, photos=photos)
        results["issue"] = issue_facts(issue)
        results["photos"] = photos
        say(f"issue: {results['issue']}")
        results["pandoc"] = bench_pandoc(issue, work, repeat)
        say("pandoc done")
        results["ours"] = bench_ours(issue, work, repeat)
        say("ours done")
        if photos:  # what the photographs cost: the same text without them, in the same run
            plain = make_issue(work / f"text{args.pages}", pages=args.pages, seed=args.seed)
            results["ours_text_only"] = bench_ours(plain, work / "text-only", repeat)
            say("ours without photos done")
        results["typst"] = bench_typst(issue, work, repeat)
        results["typography_ours"] = typography(next((work / "ours-pdf").glob("*.pdf")),
                                                _geometry_widths(issue))
        if results["typst"] is not None:
            from bench.typst_edition import column_width, issue_data, version

            results["typst_version"] = version()
            results["typography_typst"] = typography(work / "typst" / "typst.pdf", (column_width(issue_data(issue)),))
        say("typst done" if results["typst"] is not None else "typst not installed: no Typst row")
        results["floor"] = bench_floor(issue, work, repeat, "once")
        results["floor_stock"] = bench_floor(issue, work, repeat, "stock")
        results["floor_plain"] = bench_floor(issue, work, repeat, "plain")
        say("floor done")
        profile, results["breaker"] = bench_profile(issue, work)
        say("profile done")
        sizes_ = (4, args.pages) if args.quick else (4, args.pages, 64)
        results["scaling"] = bench_scaling(work, sizes_, 1 if args.quick else min(repeat, 2),
                                           {args.pages: results["ours"]["build"]})
        results["scaling_verdict"] = scaling_verdict(results["scaling"])
        say("scaling done")
        results["cores"] = bench_cores(issue, work, 1 if args.quick else repeat)
        say("cores done")
        if has_batch():
            try:
                batch = bench_batch(work, repeat)
                results["batch"] = batch
                results["batch_note"] = (
                    f"batch ({batch['issues']} issues of {batch['pages_each']} pages, median of {batch['repeat']} "
                    f"runs): 2 jobs "
                    f"{batch['speedup_2_jobs']:.2f}x faster than 1 (target ≥ 1.8x: "
                    f"{'met' if batch['speedup_2_jobs'] >= 1.8 else 'NOT met'}); re-run unchanged "
                    f"{batch['rerun_share']:.1%} of a full run (target < 2%: "
                    f"{'met' if batch['rerun_share'] < 0.02 else 'NOT met'}).")
            except RuntimeError as exc:
                results["batch_note"] = f"batch: `publisher batch` exists but failed: {str(exc).splitlines()[0]}"
            say("batch done")
            from bench.noop_rerun import measure, note

            results["noop_rerun"] = measure(work, repeat=max(5, 3 * repeat))
            results["batch_note"] = f"{results['batch_note']} {note(results['noop_rerun'])}."
            say("unchanged re-run done")
        else:
            results["batch_note"] = "batch: `publisher batch` does not exist yet; not measured."
        results["targets"] = targets(results)
        text = table(results)
        print(text)
        print("\nWhere the time goes (cProfile, one whole build, top 15 by cumulative time):\n")
        print(profile)
        write_reports(results, text, profile, doc=not args.no_doc)
        say(f"written: {RESULTS_MD.relative_to(ROOT)}, {(RESULTS_DIR / 'latest.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        raise SystemExit(main())
