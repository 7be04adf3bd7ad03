"""A synthetic issue, as large as wanted, made from the sample page's text.

The benchmark needs a full-size issue (16 pages, ~60 articles, ~40,000
characters) and the batch feature an archive of many issues; we have one real
page. So the sentences of ``seeds/a1.txt`` are shuffled and recombined into new
articles, with kickers, headlines, datelines and bylines varied, some Latin and
digits mixed in (5.2%, 2022年, COVID-19), and the column cuts of the real source
(a paragraph broken mid-sentence by a blank line) reproduced, so that every
stage of the pipeline does its real work.

Everything comes from a seeded ``random.Random`` and the files are written as
bytes: the same arguments give the same bytes, on any machine, with no network.

    from bench.synthetic import make_issue
    issue_yaml = make_issue(Path("archive/2022-11-28"), pages=16, seed=0)

or from the command line: ``python -m bench.synthetic DIR --pages 16 --seed 0``.

With ``photos=True`` (``--photos``) about one story in three carries a
photograph with its caption and credit, and some pages a picture story of its
own (图片新闻), as an evening paper's pages do: the sample's photographs
(``seeds/photos/``), copied byte for byte into the issue's ``photos/``. Where
the photos go is drawn from a random stream of its own, so the text of an
issue is the same with and without them.

With ``--issues N`` it writes a sample archive instead (``make_archive``): N
issues a month apart, each in ``DIR/<its date>/``, as ``make sample-archive``
does for the README's archivist.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_KICKER_MAX = 60  # publisher.ingest.parse.KICKER_MAX: a longer line is never a kicker
SEED_PAGE = Path(__file__).resolve().parent.parent / "seeds" / "a1.txt"
SEED_PHOTOS = SEED_PAGE.parent / "photos"
PHOTO_SHARE = 1 / 3  # stories that carry a photograph
PICTURE_STORY_SHARE = 0.15  # pages with a picture story (图片新闻) after their last article

ARTICLES_PER_PAGE = (3, 4, 4, 4, 5)  # mean 3.8: ~60 articles on 16 pages
CHARS_PER_PAGE = 2400  # ~40,000 characters on 16 pages, as in a real issue

# Sections of an evening paper, eight pages to a lettered section (A1..A8, B1..B8, ...).
SECTIONS = (
    ("要闻", "要闻", "本地", "本地", "民生", "社会", "经济", "综合"),
    ("城事", "文体", "健康", "教育", "科技", "国内", "国际", "副刊"),
    ("财经", "楼市", "汽车", "消费", "法治", "文旅", "读书", "生活"),
)
EDITIONS = ("第一版", "晚报版", "周末版")

PEOPLE = (
    "王晖", "吴新明", "陆卫东", "王洪涛", "王晓斌", "潘建华", "陈冬梅", "童剑", "黄巍东", "庄中秋", "高山", "王凯",
)
REPORTERS = ("朱文君", "李彤", "周敏", "张亮", "陈静", "顾晓燕", "施磊", "徐军")
EVENTS = (
    "市疫情防控工作领导小组会议",
    "市安委会全体(扩大)会议",
    "市政府常务会议",
    "全市经济运行分析会",
    "市委理论学习中心组学习会",
    "全市重大项目推进会",
    "市人大常委会会议",
)
KICKERS = (
    "{person}在{event}上强调",
    "{person}主持召开{event}",
    "{person}调研{topic}工作时指出",
    "{topic}工作取得新进展",
    "记者从{event}获悉",
)
TOPICS = ("疫情防控", "安全生产", "项目建设", "民生保障", "城市更新", "乡村振兴", "交通运输", "生态环境")
# Phrases a headline is built from: the sample's own, plus some in the same register.
HEADLINE_PHRASES = (
    "从快从严从紧", "压紧压实责任", "坚决遏制疫情反弹反复", "以最大决心最强力度", "打好疫情防控阻击战",
    "以快制快", "以变应变", "坚决遏制疫情扩散蔓延", "一着不让防风险", "全力以赴保安全",
    "筑牢群防群控坚固防线", "确保社会秩序平稳有序", "加快实现社会面清零", "全力守护群众生命安全",
    "前三季度GDP增长5.2%", "2022年重点项目全面开工", "新增5G基站3,200个", "COVID-19疫苗加强针接种提速",
)
SUBHEADLINES = ("——{topic}工作综述", "——记{person}同志", "——{event}侧记", "——写在{year}年岁末")
DATELINES = (
    "晚报讯", "晚报讯", "晚报讯", "晚报综合消息", "新华社北京{month}月{day}日电", "新华社南京{month}月{day}日电",
)
SUBHEADS = ("相关链接", "记者手记", "延伸阅读", "数据")
# Sentences with Latin letters and digits: autospace, number breaking and the
# half-width punctuation rules only do work on text like this.
LATIN_SENTENCES = (
    "前三季度,全市地区生产总值同比增长5.2%,增速高于全省平均水平0.8个百分点。",
    "截至{year}年{month}月{day}日24时,全市累计报告本土COVID-19确诊病例{n}例。",
    "该项目总投资约{n}.6亿元,预计{next_year}年6月建成投用。",
    "全市已建成5G基站8,600余个,实现主城区和重点乡镇全覆盖。",
    "核酸检测点每天9:00至17:30开放,市民可通过“江海通”App预约。",
    "今年1至10月,全市PM2.5平均浓度为28微克/立方米,同比下降6.7%。",
    "{year}年全市CPI同比上涨2.1%,居民消费价格总体平稳。",
    "市区新增公共停车泊位{n},000个,其中充电车位占比达到15%。",
    "记者从市交通运输局获悉,G15沈海高速南通段将于{next_year}年底前完成改扩建。",
)


@dataclass(frozen=True)
class _Pool:
    sentences: tuple[str, ...]


@cache
def _pool() -> _Pool:
    """The sample page's sentences, with the page's markup and column cuts undone."""
    paragraphs: list[str] = []
    lines = [line.strip() for line in SEED_PAGE.read_text(encoding="utf-8").split("\n") if line.strip()]
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.startswith("#") or (following.startswith("#") and not line.endswith("。")):
            continue  # headlines and kickers
        line = re.sub(r"^\*\*[^*]+\*\*\s*", "", line)  # the dateline
        line = re.sub(r"(?<=。)\s+(记者|通讯员|实习生).*$", "", line)  # a trailing byline
        if paragraphs and not paragraphs[-1].endswith(("。", "”")):
            paragraphs[-1] += line  # a paragraph cut by the column extraction
        else:
            paragraphs.append(line)
    sentences = []
    for paragraph in paragraphs:
        for sentence in re.findall(r"[^。]+。”?", paragraph):
            sentence = sentence.strip()
            # Unbalanced quotes would make the recombined text wrong on purpose.
            if sentence.count("“") == sentence.count("”") and len(sentence) >= 8:
                sentences.append(sentence)
    return _Pool(tuple(dict.fromkeys(sentences)))


# What the photographs of the sample show, for their alt text; and captions as Chinese papers write them.
PHOTO_ALT = {
    "coffee": "咖啡师端出一杯拉花咖啡,杯中是叶子形状的奶泡",
    "chelsea": "窗台上一只虎斑猫眯着眼睛晒太阳",
    "rocket": "运载火箭点火升空,尾焰照亮发射台",
    "hubble_deep_field": "哈勃望远镜拍摄的深空照片,黑色背景中散布着颜色各异的星系",
}
CAPTIONS = (
    "图为{topic}工作现场。 记者{reporter} 摄",
    "①{person}在{event}现场了解情况。 记者{reporter} 摄",
    "{topic}一线,工作人员正在忙碌。（记者{reporter} 摄）",
    "图为{event}会场一角。（资料图片）",
)


def page_labels(pages: int) -> list[tuple[str, str]]:
    """(label, section) of each page: A1..A8, B1..B8, ... with a section each."""
    result = []
    for index in range(pages):
        letter, number = divmod(index, 8)
        sections = SECTIONS[letter % len(SECTIONS)]
        result.append((f"{chr(ord('A') + letter)}{number + 1}", sections[number]))
    return result


class _Writer:
    def __init__(self, rng: random.Random, date: dt.date, photos: random.Random | None = None,
                 photo_files: tuple[str, ...] = ()) -> None:
        self.rng = rng
        self.date = date
        self.sentences = _pool().sentences
        self.photos = photos  # None: an issue without photographs
        self.photo_files = photo_files

    def photo(self) -> str:
        """An image line and its caption line (with the credit), from the photographs' own random stream."""
        assert self.photos is not None
        rng = self.photos
        file = rng.choice(self.photo_files)
        alt = PHOTO_ALT.get(Path(file).stem, "")
        caption = rng.choice(CAPTIONS).format(topic=rng.choice(TOPICS), person=rng.choice(PEOPLE),
                                              event=rng.choice(EVENTS), reporter=rng.choice(REPORTERS))
        return f"![{alt}](photos/{file})\n{caption}"

    def fill(self, template: str) -> str:
        yesterday = self.date - dt.timedelta(days=1)
        return template.format(
            person=self.rng.choice(PEOPLE),
            event=self.rng.choice(EVENTS),
            topic=self.rng.choice(TOPICS),
            year=self.date.year,
            next_year=self.date.year + 1,
            month=yesterday.month,
            day=yesterday.day,
            n=self.rng.randint(2, 99),
        )

    def sentence(self) -> str:
        if self.rng.random() < 0.12:
            return self.fill(self.rng.choice(LATIN_SENTENCES))
        return self.rng.choice(self.sentences)

    def headline(self) -> str:
        count = self.rng.choice((1, 2, 2, 2, 3))
        return " ".join(self.rng.sample(HEADLINE_PHRASES, count))

    def paragraphs(self, budget: int) -> list[str]:
        """Paragraphs of 1-5 sentences until ``budget`` characters are used."""
        result: list[str] = []
        used = 0
        while used < budget:
            paragraph = "".join(self.sentence() for _ in range(self.rng.randint(1, 5)))
            if used + len(paragraph) > budget * 1.15 and result:
                paragraph = paragraph[: max(budget - used, 0)]
                paragraph = paragraph[: paragraph.rfind("。") + 1]
                if not paragraph:
                    break
            result.append(paragraph)
            used += len(paragraph)
        return result

    def column_cut(self, paragraph: str) -> str:
        """The paragraph broken between two Han characters by a blank line, as the
        column extraction of the real source does (the parser joins it back)."""
        # The piece after the cut stays longer than a kicker could be (see ``article``).
        places = [i for i in range(20, len(paragraph) - _KICKER_MAX)
                  if _is_han(paragraph[i - 1]) and _is_han(paragraph[i])]
        if not places:
            return paragraph
        cut = self.rng.choice(places)
        return paragraph[:cut] + "\n\n" + paragraph[cut:]

    def byline(self) -> str:
        roles = self.rng.choice((("记者",), ("记者",), ("记者", "记者"), ("通讯员", "记者"), ("实习生", "记者")))
        names = self.rng.sample(REPORTERS, len(roles))
        parts: list[str] = []
        for role, name in zip(roles, names, strict=True):
            # A second reporter is written without repeating the role, as in the sample.
            parts.append(name if parts and role == "记者" and roles[0] == "记者" else role + name)
        return " ".join(parts)

    def article(self, budget: int, lead: bool, kicker: str | None, inline: bool, kicker_line_follows: bool) -> str:
        """One article. ``inline``: its kicker shares the headline's line; ``kicker_line_follows``:
        the next article opens with a kicker line (or nothing follows on the page)."""
        rng = self.rng
        lines: list[str] = []
        mark = "#" if lead else "##"
        headline = self.headline()
        if kicker and inline:
            lines.append(f"{mark} {kicker} {headline}")  # kicker and headline on one heading line
        else:
            if kicker:
                lines.append(kicker)
            lines.append(f"{mark} {headline}")
        if rng.random() < 0.15:
            lines.append(f"## {self.fill(rng.choice(SUBHEADLINES))}")

        paragraphs = self.paragraphs(budget)
        while len(paragraphs[-1]) <= _KICKER_MAX:
            # A short text line right before a headline reads as its kicker: the
            # parser would be right to take it so, and the article would lose it.
            paragraphs[-1] += self.rng.choice(self.sentences)
        if len(paragraphs) >= 3 and rng.random() < 0.2:
            paragraphs.insert(len(paragraphs) - 1, f"**{rng.choice(SUBHEADS)}**")
        paragraphs = [self.column_cut(p) if not p.startswith("**") and rng.random() < 0.2 else p
                      for p in paragraphs]
        dateline = self.fill(rng.choice(DATELINES))
        paragraphs[0] = f"**{dateline}** {paragraphs[0]}"
        photo = self.photo() if self.photos is not None and self.photos.random() < PHOTO_SHARE else None
        roll = rng.random()
        if roll < 0.5:
            paragraphs[-1] += " " + self.byline()
        elif roll < 0.8 and kicker_line_follows:
            paragraphs.append(self.byline())  # on its own line, safe only before a kicker
        elif roll < 0.8:
            paragraphs[-1] += " " + self.byline()
        if photo is not None:
            # Under the first paragraph, where a paper's story shows its photograph (above it in a story of one).
            paragraphs.insert(1 if len(paragraphs) > 1 else 0, photo)
        return "\n\n".join(lines + paragraphs)

    def page(self) -> str:
        count = self.rng.choice(ARTICLES_PER_PAGE)
        total = int(CHARS_PER_PAGE * self.rng.uniform(0.9, 1.1))
        weights = [2.0] + [self.rng.uniform(0.6, 1.4) for _ in range(count - 1)]  # the lead runs longest
        budgets = [max(int(total * w / sum(weights)), 120) for w in weights]
        kickers = [self.fill(self.rng.choice(KICKERS)) if self.rng.random() < 0.6 else None for _ in budgets]
        # Decided before the articles are written: whether the next one opens with a kicker line.
        # A kicker ending in a speech verb may share the headline's line (…强调 一着不让…).
        inline = [k is not None and k.endswith("强调") and self.rng.random() < 0.3 for k in kickers]
        kicker_lines = [k is not None and not i for k, i in zip(kickers, inline, strict=True)] + [True]
        articles = [self.article(budget, index == 0, kickers[index], inline[index], kicker_lines[index + 1])
                    for index, budget in enumerate(budgets)]
        if self.photos is not None and self.photos.random() < PICTURE_STORY_SHARE:
            articles.append(self.photo())  # a picture story after the page's last article
        return "\n\n".join(articles) + "\n"


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def make_issue(
    root: Path,
    pages: int = 16,
    seed: int = 0,
    date: str = "2022-11-28",
    issue_no: str | None = None,
    photos: bool = False,
) -> Path:
    """Write a synthetic issue (issue.yaml and one file per page) into ``root``; return issue.yaml's path.

    ``issue_no`` defaults to a number derived from ``seed`` ("0123" for seed 0),
    so an archive made with seeds 0, 1, 2 … has distinct issue numbers.
    """
    if pages < 1:
        raise ValueError("an issue has at least one page")
    day = dt.date.fromisoformat(date)
    rng = random.Random(f"publisher-bench|{seed}")
    number = issue_no if issue_no is not None else f"{123 + seed:04d}"
    root.mkdir(parents=True, exist_ok=True)
    photo_files: tuple[str, ...] = ()
    if photos:
        photo_files = tuple(sorted(p.name for p in SEED_PHOTOS.iterdir() if p.suffix in (".jpg", ".png")))
        (root / "photos").mkdir(exist_ok=True)
        for name in photo_files:
            (root / "photos" / name).write_bytes((SEED_PHOTOS / name).read_bytes())
    writer = _Writer(rng, day, random.Random(f"publisher-bench-photos|{seed}") if photos else None, photo_files)

    yaml_lines = [
        f"# A synthetic issue (bench/synthetic.py, seed {seed}): the sample page's text recombined.",
        "paper: 江海晚报",
        f"date: {day.isoformat()}",
        f"issue: {number}",
        "language: zh-Hans",
        "publisher: 南通日报社",
        "place: 南通",
        f"edition: {rng.choice(EDITIONS)}",
        "pages:",
    ]
    for label, section in page_labels(pages):
        file = f"{label.lower()}.txt"
        (root / file).write_bytes(writer.page().encode("utf-8"))
        yaml_lines += [f"  - number: {label}", f"    section: {section}", f"    file: {file}"]
    issue_yaml = root / "issue.yaml"
    issue_yaml.write_bytes(("\n".join(yaml_lines) + "\n").encode("utf-8"))
    return issue_yaml


def make_archive(root: Path, issues: int, pages: int = 2, first: str = "2022-01-05") -> list[Path]:
    """Write ``issues`` synthetic issues a month apart from ``first``, each into ``root/<date>/``.

    Seeds 0, 1, 2 …: each issue has its own text and issue number. Returns their issue.yaml paths."""
    start = dt.date.fromisoformat(first)
    written = []
    for seed in range(issues):
        months = start.month - 1 + seed
        day = start.replace(year=start.year + months // 12, month=months % 12 + 1)
        written.append(make_issue(root / day.isoformat(), pages=pages, seed=seed, date=day.isoformat()))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic issue (or, with --issues, a sample archive) "
                                     "made from the sample page.")
    parser.add_argument("root", type=Path, help="folder to write issue.yaml and the page files into")
    parser.add_argument("--pages", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--date", default="2022-11-28", help="the issue's date; with --issues, the first's")
    parser.add_argument("--issue-no", default=None)
    parser.add_argument("--photos", action="store_true", help="photographs in about one story in three")
    parser.add_argument("--issues", type=int, default=None,
                        help="write this many issues a month apart, each into ROOT/<its date>/")
    args = parser.parse_args(argv)
    if args.issues is not None:
        for path in make_archive(args.root, args.issues, pages=args.pages, first=args.date):
            print(path)
        return 0
    print(make_issue(args.root, pages=args.pages, seed=args.seed, date=args.date, issue_no=args.issue_no,
                     photos=args.photos))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
