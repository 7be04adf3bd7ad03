"""Messages that point the right way (issue 23): each one a new user met, in its new wording.

The command line is run as users run it (a process, its stderr and exit
code); what needs no process is called through ``main``.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from publisher.cli import main
from publisher.errors import TOOLS
from publisher.print.print_options import PDF_VARIANTS, VARIANTS
from tests.conftest import ROOT, SEED_ISSUE, SEED_PAGE

Make = Callable[..., Path]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, text=True, check=False,
                          env=env)


def call(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# --- options and commands -------------------------------------------------------


def test_a_misspelt_option_names_the_right_one_with_the_commands_usage(tmp_path: Path) -> None:
    result = run("build", str(SEED_ISSUE), "--ouput", str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("usage: publisher build ")
    assert result.stderr.endswith("publisher build: error: unknown option --ouput; did you mean --out?\n")
    assert "required" not in result.stderr  # not "--out is missing", which only follows from the typo


def test_a_misspelt_option_after_the_required_ones_gets_the_commands_usage_not_the_top_levels(tmp_path: Path) -> None:
    result = run("build", str(SEED_ISSUE), "--out", str(tmp_path), "--jobz", "2")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: publisher build ")
    assert "usage: publisher [-h]" not in result.stderr
    assert result.stderr.endswith("publisher build: error: unknown option --jobz; did you mean --jobs?\n")
    assert not list(tmp_path.iterdir())


def test_a_stray_argument_is_reported_by_its_command() -> None:
    result = run("build", "a.yaml", "b.yaml", "--out", "x")
    assert result.stderr.startswith("usage: publisher build ")
    assert result.stderr.endswith("publisher build: error: unrecognized arguments: b.yaml\n")


def test_a_misspelt_command_and_an_option_before_the_command() -> None:
    result = run("biuld", str(SEED_ISSUE))
    assert result.returncode == 2
    assert result.stderr.endswith("publisher: error: unknown command 'biuld'; did you mean build?\n")
    result = run("--jobs", "2", "build", str(SEED_ISSUE), "--out", "x")
    assert result.returncode == 2
    assert result.stderr.endswith(
        "publisher: error: --jobs goes after the command: it is an option of `build`, `batch` and `preview`\n")


def test_abbreviations_and_values_that_look_like_options_still_work(tmp_path: Path) -> None:
    # `--ou` is argparse's abbreviation of --out; -1 is a value, not an option: both reach the build's own check.
    code, _, err = call("build", str(SEED_ISSUE), "--ou", str(tmp_path), "--jobs", "-1")
    assert (code, err) == (2, "command line: --jobs must be 1 or more, not -1\n")


def test_preview_offers_only_what_changes_its_pages() -> None:
    usage = run("preview", "--help").stdout
    for option in ("--bleed", "--crop-marks", "--layout", "--jobs", "--dpi"):
        assert option in usage
    for option in ("--vertical", "--traditional", "--pdf-variant", "--attach-sources"):
        assert option not in usage, option
    result = run("preview", str(SEED_ISSUE), "--out", "x", "--vertical")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: publisher preview ")
    assert result.stderr.endswith("publisher preview: error: --vertical is for `build` and `batch`, not `preview`: "
                                  "EPUB in vertical writing (竖排), right to left\n")


def test_options_for_an_edition_that_is_not_built_are_errors(tmp_path: Path) -> None:
    code, _, err = call("build", str(SEED_ISSUE), "--out", str(tmp_path), "--pdf", "--vertical", "--traditional")
    assert code == 2
    assert err == ("command line: --vertical changes only the EPUB, and --pdf builds the print edition alone\n"
                   "command line: --traditional changes only the EPUB, and --pdf builds the print edition alone\n")
    code, _, err = call("build", str(SEED_ISSUE), "--out", str(tmp_path), "--epub", "--pdf-variant", "pdf/a-3u")
    assert (code, err) == (2, "command line: --pdf-variant changes only the print edition, and --epub builds the "
                              "EPUB alone\n")
    assert not list(tmp_path.iterdir())


def test_crop_marks_without_a_bleed_are_an_error(tmp_path: Path) -> None:
    code, _, err = call("build", str(SEED_ISSUE), "--out", str(tmp_path), "--pdf", "--crop-marks")
    assert code == 2
    assert err == ("command line: --crop-marks needs --bleed: the marks stand in the bleed "
                   "(e.g. --bleed 3mm --crop-marks)\n")
    assert not list(tmp_path.iterdir())


def test_check_takes_a_layout_only_with_the_issue_it_measures_against(tmp_path: Path) -> None:
    code, _, err = call("check", str(tmp_path / "x.pdf"), "--layout", str(tmp_path))
    assert (code, err) == (2, "command line: --layout is the layout the editions were built with: give their "
                              "issue too (--issue ISSUE.yaml)\n")


# --- one list of PDF variants -------------------------------------------------------


def test_the_pdf_variants_of_help_and_messages_are_the_one_table(tmp_path: Path) -> None:
    for command in ("build", "batch"):
        shown = " ".join(run(command, "--help").stdout.split())  # argparse wraps lines
        assert set(re.findall(r"pdf/[a-z0-9-]+", shown)) == set(PDF_VARIANTS)  # no variant of another list
        for variant in VARIANTS:
            assert f"{variant.name}: {variant.summary}" in shown, (command, variant.name)
    code, _, err = call("build", str(SEED_ISSUE), "--out", str(tmp_path), "--pdf-variant", "pdf/a-1b")
    assert (code, err) == (2, f"command line: unknown PDF variant 'pdf/a-1b' (known: {', '.join(PDF_VARIANTS)})\n")
    code, _, err = call("build", str(SEED_ISSUE), "--out", str(tmp_path), "--pdf-variant", "pdf/a-2u",
                        "--attach-sources")
    carriers = " or ".join(v.name for v in VARIANTS if v.attachments)
    assert (code, err) == (2, f"command line: pdf/a-2u cannot carry attachments; use {carriers} to attach the "
                              "sources\n")


# --- folders ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["catalog", "batch"])
def test_a_missing_folder_does_not_exist_and_a_file_is_not_a_folder(command: str, tmp_path: Path) -> None:
    out = ["--out", str(tmp_path / "out")] if command == "batch" else []
    assert call(command, str(tmp_path / "nothere"), *out) == (2, "", f"{tmp_path / 'nothere'}: does not exist\n")
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    assert call(command, str(tmp_path / "a.txt"), *out) == (2, "", f"{tmp_path / 'a.txt'}: is not a folder\n")


# --- issue.yaml and page files ----------------------------------------------------------------


def test_a_day_the_calendar_does_not_have_is_told_apart_from_a_date_not_in_iso_form(make_issue: Make,
                                                                                    tmp_path: Path) -> None:
    for written, message in [
        ("2022-11-31", "'2022-11-31' is not a day of the calendar: 2022-11 has 30 days"),
        ("2023-02-29", "'2023-02-29' is not a day of the calendar: 2023-02 has 28 days"),
        ("2022-13-01", "'2022-13-01' is not a day of the calendar: there is no month 13"),
        ("28/11/2022", "'28/11/2022' is not a date in ISO 8601 form (YYYY-MM-DD)"),
        ("20221128", "'20221128' is not written as YYYY-MM-DD (2022-11-28)"),
    ]:
        path = make_issue(f"paper: 晚报\ndate: {written}\npages:\n  - {{number: A1, section: 要闻, file: a1.txt}}\n",
                          {"a1.txt": SEED_PAGE.read_text(encoding="utf-8")})
        code, _, err = call("build", str(path), "--out", str(tmp_path / "out"))
        assert (code, err) == (2, f"{path}:2: `date`: {message}\n")


def test_a_gb18030_page_gets_the_fix_of_the_command_being_run(make_issue: Make, tmp_path: Path) -> None:
    data = SEED_PAGE.read_text(encoding="utf-8").encode("gb18030")
    path = make_issue("paper: 晚报\ndate: 2022-11-28\npages:\n  - {number: A1, section: 要闻, file: a1.txt}\n",
                      {"a1.txt": data})
    code, out, err = call("parse", str(tmp_path / "a1.txt"))
    assert (code, out) == (2, "")
    assert err == (f"{tmp_path / 'a1.txt'}:3: not valid UTF-8 (byte 0xce); it decodes as GB18030: "
                   "run again with `--encoding gb18030`\n")
    code, _, err = call("build", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert err == (f"{tmp_path / 'a1.txt'}:3: not valid UTF-8 (byte 0xce); it decodes as GB18030: "
                   "declare `encoding: gb18030` for this page in issue.yaml\n")


def test_every_problem_of_a_pages_hints_at_once(make_issue: Make, tmp_path: Path) -> None:
    path = make_issue("paper: 晚报\ndate: 2022-11-28\npages:\n  - number: A1\n    section: 要闻\n    file: a1.txt\n"
                      "    lead: 9\n    spans: {2: 7, 3: 2}\n", {"a1.txt": SEED_PAGE.read_text(encoding="utf-8")})
    code, _, err = call("build", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert err == (f"{path}:7: the page has 4 articles, not 9\n"
                   f"{path}:8: page A1, article 2: 7 columns asked, the page's grid has 5\n")
    assert not (tmp_path / "out").exists()


# --- tools ---------------------------------------------------------------------------------------


def test_without_fontconfig_the_hint_names_the_debian_packages_and_suits_a_pip_user(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run("build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), env={**os.environ, "PATH": str(empty)})
    assert result.returncode == 3
    assert result.stderr == ("publisher: fontconfig (fc-match) is not installed; install it with `apt-get install "
                             "fontconfig fonts-noto-cjk fonts-hanazono` (Debian, Ubuntu), or `make edition` in a "
                             "checkout\n")
    assert not (tmp_path / "out").exists()


def test_a_missing_font_names_its_debian_package() -> None:
    from publisher.typeset.fonts import _font_hint

    assert "`apt-get install fonts-noto-cjk`" in _font_hint("Noto Serif CJK SC")
    assert "`apt-get install fonts-hanazono`" in _font_hint("HanaMinB")


def test_the_tools_packages_are_the_ones_the_makefile_installs() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    lists = {name: set(value.split()) for name, value in re.findall(r"^(\w+)_PACKAGES := (.*)$", makefile, re.M)}
    by_target = {"edition": lists["EDITION"], "setup": lists["EDITION"] | lists["TEST"]}
    for name, tool in TOOLS.items():
        assert set(tool.debian) <= by_target[tool.target], name
