"""The README as a new user follows it: every shell line it shows is run, and what it lists agrees with the code.

The fenced ``sh`` blocks of README.md and of the documents in DOCUMENTS are
run in order with bash, in a fresh copy of the repository: its files as git
lists them, with their times kept so that make finds the installed
environment up to date, and ``.venv`` and the readers' ``node_modules`` linked
in rather than installed again. Not run: a block after
``<!-- illustrative: why -->`` (it installs into the user's own environment,
or serves until stopped) and the lines of NOT_RUN. A ``text`` block after
``<!-- output of the block above … -->`` must be the first lines that block
printed. The README's picture of the front page is made again the way it
says and compared with the committed one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from publisher.check.findings import RULES
from publisher.print.print_options import variants_table
from tests.conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.readme]

README = ROOT / "README.md"
# The documents whose shell lines are run, in this order (the README's archivist path uses `out/`
# that `make edition` wrote; the input format's example reads the sample).
DOCUMENTS = ("README.md", "docs/input-format.md", "docs/install.md")
NOT_RUN = {"make test": "it is the suite this test is part of"}
# Documents other issues' branches add; a link to one is checked once it is there.
PENDING = {"docs/pictures.md", "docs/trust-model.md"}
# The archivist's path must be run, not shown: these commands are in blocks that run.
ARCHIVIST = ("make sample-archive", "publisher batch", "publisher check", "publisher package", "publisher catalog")
PICTURES = ("docs/front-page.png",)  # made by `make readme-images`; docs/epub-phone.png is epub-reading.md's
MAX_CHANGED_PIXELS = 0.01  # a picture "matches" today's output when at most this share of its pixels differ


@dataclass(frozen=True)
class Block:
    document: str
    line: int  # of the opening fence
    language: str
    text: str
    note: str  # the HTML comment right before the fence, if any

    @property
    def illustrative(self) -> bool:
        return self.note.startswith("illustrative:")

    @property
    def output_of_previous(self) -> bool:
        return self.note.startswith("output of the block above")


def blocks(document: str) -> list[Block]:
    found: list[Block] = []
    lines = (ROOT / document).read_text(encoding="utf-8").split("\n")
    index = 0
    while index < len(lines):
        fence = re.match(r"^```(\w*)", lines[index])
        if fence is None:
            index += 1
            continue
        end = lines.index("```", index + 1)
        before = next((line for line in reversed(lines[:index]) if line.strip()), "")
        note = re.fullmatch(r"<!-- (.*?) -->", before.strip())
        found.append(Block(document, index + 1, fence.group(1), "\n".join(lines[index + 1:end]),
                           note.group(1) if note else ""))
        index = end + 1
    return found


def command(line: str) -> str:
    """A shell line without its comment."""
    return re.sub(r"\s+#.*$", "", line).strip()


def runnable(block: Block) -> list[str]:
    return [line for line in block.text.split("\n") if command(line) and command(line) not in NOT_RUN]


# --- what the README lists agrees with the code (no copy needed) ---------------------------------


def test_the_readme_is_short_and_the_archivists_path_comes_first() -> None:
    lines = README.read_text(encoding="utf-8").split("\n")
    assert len(lines) <= 300
    assert lines.index("## The archivist's path") < 120
    assert lines.index("## The archivist's path") < lines.index("## The reader's path") < lines.index("## Input")


def test_the_pictures_are_made_by_the_commands_the_readme_quotes() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    quoted = re.search(r"`make readme-images`, with `([^`]+)` \(its first sheet, `([^`]+)`\)", text)
    assert quoted is not None
    planned = subprocess.run(["make", "-n", "readme-images"], cwd=ROOT, capture_output=True, text=True,
                             env=_environment(), check=True).stdout
    assert quoted.group(1) in planned and f"cp {quoted.group(2)} docs/front-page.png" in planned
    for picture in (*PICTURES, "docs/epub-phone.png"):
        assert f'<img src="{picture}"' in text


def test_the_readmes_pdf_variants_are_the_tables() -> None:
    text = README.read_text(encoding="utf-8")
    shown = text.split("<!-- pdf-variants:begin", 1)[1].split("-->", 1)[1].split("<!-- pdf-variants:end -->")[0]
    assert shown.strip() == variants_table(), f"replace the README's table with:\n{variants_table()}"


def test_the_readmes_check_codes_are_the_codes_check_reports() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("### Check codes", 1)[1].split("\n## ", 1)[0]
    shown: dict[str, str] = {}
    for cell, severities in re.findall(r"^\| ([A-Z][A-Z0-9 /]+) \| ([a-z /]+) \|", table, re.M):
        parts = [part.strip() for part in cell.split("/")]
        prefix = re.match(r"[A-Z]+", parts[0]).group()  # type: ignore[union-attr]
        codes = [part if part[0].isalpha() else prefix + part for part in parts]  # "EPUB008 / 009" is EPUB009 too
        levels = [level.strip() for level in severities.split("/")]
        shown |= dict(zip(codes, levels * len(codes) if len(levels) == 1 else levels, strict=True))
    assert shown == {code: rule.severity for code, rule in RULES.items()}


def test_the_exit_codes_the_readme_gives_are_the_programs() -> None:
    from publisher.atomic import OutputError
    from publisher.errors import InputError, ToolError

    text = README.read_text(encoding="utf-8")
    given = {int(code) for code in re.findall(r"^\| (\d+) \|", text, re.M)}
    assert given == {0, 1, InputError.exit_code, ToolError.exit_code, OutputError.exit_code, 130}


def test_every_link_of_the_readme_and_the_docs_leads_somewhere() -> None:
    documents = [README, *sorted((ROOT / "docs").glob("*.md"))]
    for document in documents:
        text = document.read_text(encoding="utf-8")
        # Code (fenced blocks, `spans`) shows the syntax of a page file, whose image paths are no links.
        text = re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", text, flags=re.S))
        targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text) + re.findall(r'<img src="([^"]+)"', text)
        for target in targets:
            if re.match(r"[a-z]+:", target):
                continue
            path = (document.parent / target).resolve()
            relative = path.relative_to(ROOT).as_posix()
            if relative in PENDING and not path.exists():
                continue  # lands with another issue's branch
            assert path.exists(), f"{document.relative_to(ROOT)}: {target}"


def test_the_debian_packages_the_docs_name_are_the_makefiles() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    edition = re.search(r"^EDITION_PACKAGES := (.*)$", makefile, re.M).group(1).split()  # type: ignore[union-attr]
    install = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    named = re.search(r"`apt-get install ((?:lib|font)[^`]*)`", install).group(1).split()  # type: ignore[union-attr]
    assert named == edition


# --- every shell line run, in a copy ---------------------------------------------------------


def _copy(dest: Path) -> Path:
    """The repository's files as git lists them (uncommitted ones too), times kept; installs linked."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if not source.is_file():  # deleted but not yet committed
            continue
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest / name, follow_symlinks=False)
    (dest / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    (dest / "tests" / "readers" / "node_modules").symlink_to(ROOT / "tests" / "readers" / "node_modules",
                                                             target_is_directory=True)
    return dest


def _environment() -> dict[str, str]:
    # A make above us (make test) must not hand its jobserver or its variables to the README's make.
    return {key: value for key, value in os.environ.items() if not key.startswith(("MAKE", "MFLAGS"))}


def _run(script: str, folder: Path, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=folder, capture_output=True,
                          text=True, timeout=timeout, env=_environment(), check=False)


def _changed_share(made: Path, committed: Path) -> float:
    with Image.open(made) as new, Image.open(committed) as old:
        if new.size != old.size:
            return 1.0
        difference = ImageChops.difference(new.convert("RGB"), old.convert("RGB")).convert("L")
        changed = sum(difference.point(lambda value: 255 if value > 32 else 0).histogram()[255:])
        return changed / (new.width * new.height)


def test_every_shell_line_of_the_readme_runs_as_written(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the copy is made from git's list of files")
    if not (ROOT / ".venv" / "bin" / "publisher").exists():
        pytest.skip("no .venv in the checkout: run `make setup`")
    copy = _copy(tmp_path / "checkout")
    planned = _run("make -n edition sample-archive readme-images", copy)
    if re.search(r"pip install|npm ci", planned.stdout):
        pytest.skip("the installed environment is older than pyproject.toml or the readers' package files: "
                    "run `make setup` (the README's make lines would install into it from the copy)")

    ran: list[str] = []
    previous: subprocess.CompletedProcess[str] | None = None
    for document in DOCUMENTS:
        for block in blocks(document):
            where = f"{document}:{block.line}"
            if block.output_of_previous:
                assert previous is not None, where
                shown = block.text.split("\n")
                assert previous.stdout.split("\n")[:len(shown)] == shown, f"{where}: the output is not as shown"
                continue
            if block.language != "sh":
                continue
            if block.illustrative:
                assert block.note.split(":", 1)[1].strip(), f"{where}: say why the block is not run"
                continue
            lines = runnable(block)
            previous = _run("\n".join(lines), copy)
            assert previous.returncode == 0, (f"{where} failed (exit {previous.returncode}):\n"
                                              f"{previous.stdout[-3000:]}\n{previous.stderr[-3000:]}")
            ran += [command(line) for line in lines]
    for step in ARCHIVIST:
        assert any(step in line for line in ran), f"the archivist's `{step}` is not run"
    # What the commands promise is there.
    assert sorted(p.name for p in (copy / "built").glob("*/*.epub")) == sorted(
        f"江海晚报-{folder.name}.epub" for folder in (copy / "archive").iterdir())
    assert (copy / "built" / "opds.xml").is_file() and (copy / "out" / "江海晚报-2022-11-28.azw3").is_file()

    # The picture, made again as the README says, is today's output.
    made = _run("make readme-images", copy)
    assert made.returncode == 0, made.stderr[-3000:]
    for picture in PICTURES:
        share = _changed_share(copy / picture, ROOT / picture)
        assert share <= MAX_CHANGED_PIXELS, (f"{picture} no longer shows today's output ({share:.1%} of its pixels "
                                             "changed): run `make readme-images` and commit the pictures")
