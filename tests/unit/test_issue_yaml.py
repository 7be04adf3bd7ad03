"""issue.yaml: labels kept as written, every problem reported at once as file:line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from publisher.errors import InputError
from publisher.ingest.issue_yaml import load_issue
from publisher.typeset.geometry import load_geometry
from tests.conftest import SEED_ISSUE

PAGE = "# 标题\n\n**晚报讯** 正文。\n"
Make = Callable[..., Path]


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_issue(path)
    return [str(p) for p in caught.value.problems]


def test_seed_issue_loads() -> None:
    issue = load_issue(SEED_ISSUE)
    assert issue.paper == "江海晚报"
    assert issue.date == dt.date(2022, 11, 28)
    assert issue.issue == "0123"
    assert issue.language == "zh-Hans"
    assert [(p.label, p.section, len(p.articles)) for p in issue.pages] == [("A1", "要闻", 4)]


def test_labels_keep_the_text_written(make_issue: Make) -> None:
    path = make_issue(
        "paper: 晚报\ndate: 2022-11-28\nissue: 0123\npages:\n"
        "  - {number: 08, section: no, file: a.txt}\n  - {number: 1:30, section: 要闻, file: b.txt}\n",
        {"a.txt": PAGE, "b.txt": PAGE},
    )
    issue = load_issue(path)
    assert issue.issue == "0123"
    assert [p.label for p in issue.pages] == ["08", "1:30"]
    assert issue.pages[0].section == "no"
    assert issue.language == "zh-Hans"


def test_unknown_keys_get_a_suggestion(make_issue: Make) -> None:
    path = make_issue("paper: 晚报\ndate: 2022-11-28\npagse:\n  - {number: A1, section: 要闻, file: a.txt}\n")
    found = problems(path)
    assert any(p.endswith("issue.yaml:3: unknown key `pagse` in issue.yaml; did you mean `pages`?") for p in found)
    assert any(p.endswith("issue.yaml:1: missing required key `pages` in issue.yaml") for p in found)


def test_all_problems_are_reported_at_once(make_issue: Make) -> None:
    path = make_issue(
        "paper: 晚报\ndate: 28/11/2022\nlanguage: 中文\nissn: 1234-5678\npages:\n"
        "  - number: A1\n    file: a.txt\n    encodng: gb18030\n"
        "  - number: A1\n    section: 要闻\n    file: missing.txt\n",
        {"a.txt": PAGE},
    )
    found = problems(path)
    expected = [
        "issue.yaml:2: `date`: '28/11/2022' is not a date in ISO 8601 form (YYYY-MM-DD)",
        "issue.yaml:3: `language`: '中文' is not a BCP 47 language tag (e.g. zh-Hans)",
        "issue.yaml:4: `issn`: ISSN '1234-5678' has a wrong check digit (expected 9)",
        "issue.yaml:8: unknown key `encodng` in a page; did you mean `encoding`?",
        "issue.yaml:6: missing required key `section` in a page",
        # The first page lacks a section, yet its label still counts: nothing about it is hidden.
        "issue.yaml:9: page label 'A1' is used twice",
        "issue.yaml:11: ",
    ]
    assert len(found) == len(expected)
    for message, end in zip(found, expected, strict=True):
        assert end in message
    assert found[-1].endswith("missing.txt: page file not found")


def test_broken_yaml_names_the_line(make_issue: Make) -> None:
    path = make_issue("paper: 晚报\ndate: 2022-11-28\npages: [\n  - a\n")
    [message] = problems(path)
    assert "issue.yaml:" in message and "not valid YAML" in message


def test_missing_keys(make_issue: Make) -> None:
    path = make_issue("issue: 12\n")
    found = problems(path)
    assert [f.split(": ", 1)[1] for f in found] == [
        "missing required key `paper` in issue.yaml",
        "missing required key `date` in issue.yaml",
        "missing required key `pages` in issue.yaml",
    ]


def test_duplicate_keys_and_empty_pages(make_issue: Make) -> None:
    path = make_issue("paper: 晚报\npaper: 日报\ndate: 2022-11-28\npages: []\n")
    found = problems(path)
    assert any(f.endswith("issue.yaml:2: key `paper` is given twice in issue.yaml") for f in found)
    assert any(f.endswith("issue.yaml:4: `pages` must be a list of at least one page") for f in found)


def test_page_file_problems_carry_their_own_file_and_line(make_issue: Make) -> None:
    path = make_issue(
        "paper: 晚报\ndate: 2022-11-28\npages:\n  - {number: A1, section: 要闻, file: a.txt}\n"
        "  - {number: A2, section: 本地, file: b.txt}\n",
        {"a.txt": "# 标题\n\x01\n", "b.txt": "标题\n".encode("gb18030")},
    )
    found = problems(path)
    assert found[0].endswith("a.txt:2:1: control character U+0001 is not allowed in a page file")
    assert "b.txt:1: not valid UTF-8" in found[1] and "encoding: gb18030" in found[1]


def test_empty_and_wrongly_shaped_files(make_issue: Make) -> None:
    assert problems(make_issue(""))[0].endswith("issue.yaml:1: the issue file is empty")
    assert problems(make_issue("- a\n- b\n"))[0].endswith("issue.yaml:1: issue.yaml must be a mapping of keys to values")


def test_a_page_size_the_layout_does_not_declare_is_refused_at_its_line(make_issue: Make) -> None:
    path = make_issue("paper: 晚报\ndate: 2022-11-28\npage_size: letter\npages:\n  - {number: A1, section: 要闻, file: a.txt}\n",
                      {"a.txt": PAGE})
    assert problems(path) == [f"{path}:3: page size 'letter' is not one of tabloid, broadsheet, a3"]


def test_page_sizes_and_the_default_come_from_the_layout_toml(make_issue: Make, tmp_path: Path) -> None:
    layout = tmp_path / "mylayout" / "print"
    layout.mkdir(parents=True)
    (layout / "layout.toml").write_text(
        'default_size = "b4"\n[sizes.b4]\nwidth_mm = 257.0\nheight_mm = 364.0\ncolumns = 4\n', encoding="utf-8")
    pages = "pages:\n  - {number: A1, section: 要闻, file: a.txt}\n"
    sized = load_issue(make_issue(f"paper: 晚报\ndate: 2022-11-28\nlayout: mylayout\npage_size: b4\n{pages}",
                                  {"a.txt": PAGE}))
    assert sized.page_size == "b4"
    default = load_issue(make_issue(f"paper: 晚报\ndate: 2022-11-28\nlayout: mylayout\n{pages}", {"a.txt": PAGE}))
    assert default.page_size is None
    geometry = load_geometry(default.page_size, default.layout)
    assert (geometry.size, geometry.columns, round(geometry.width * 25.4 / 72)) == ("b4", 4, 257)
    assert load_issue(SEED_ISSUE).page_size is None
    assert load_geometry(None, None) == load_geometry("tabloid", None)


def test_the_ear_takes_the_weather_and_a_slogan_of_one_line(make_issue: Make) -> None:
    path = make_issue("paper: 晚报\ndate: 2022-11-28\nweather: 晴转多云 3～12℃\nslogan: 办人民满意的晚报\npages:\n"
                      "  - {number: A1, section: 要闻, file: a.txt}\n", {"a.txt": PAGE})
    issue = load_issue(path)
    assert (issue.weather, issue.slogan) == ("晴转多云 3～12℃", "办人民满意的晚报")
    assert issue.metadata()["weather"] == "晴转多云 3～12℃"
    long = "晴" * 41
    path = make_issue(f"paper: 晚报\ndate: 2022-11-28\nweather: {long}\nslogan: \"a\\nb\"\npages:\n"
                      "  - {number: A1, section: 要闻, file: a.txt}\n", {"a.txt": PAGE})
    found = problems(path)
    assert any(p.endswith("issue.yaml:3: `weather`: is 41 characters long; the ear (报眼) shows one line of at "
                          "most 40") for p in found), found
    assert any(p.endswith("issue.yaml:4: `slogan` holds a line break (character 2); a value is one line of text")
               for p in found), found
