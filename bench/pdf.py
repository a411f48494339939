"""``bench/run.py --only pdf``: printing the recommendation form (issue 4).

The form (``liaisons/documents/recommendation.html`` with ``static/css/forms.css``) is
printed ``N`` times from an application held in memory (no database), interleaved with a bare
HTML page that holds the same text (the form's text with its tags stripped, one paragraph, the
same font) printed by WeasyPrint in the same run. Reported: the median time and size of each,
and the ratio of the medians. Targets: ratio <= 1.5, form median < 300 ms, form < 300 KB.

Then the form and its two twins are timed phase by phase (parse the HTML; style and lay out;
draw and write the PDF): what the target leaves for the form's style and layout, once its parse
and drawing are paid, against what the same text costs to lay out in one paragraph and in as
many paragraphs as the form has text boxes (bench/README.md, "Printable forms").

``--floor`` also prints the form's text cut into K plain paragraphs (K = 1, 14, 28, 42, 56),
interleaved with the form: what the ratio of a page of K separately laid-out pieces of text
is, with no table, border or stylesheet.

``--fonts`` also prints the form once per candidate CJK font (the choice in
docs/decisions.md, "Printable forms").
"""

from __future__ import annotations

import datetime
import functools
import re
import statistics
import time
from dataclasses import dataclass

TARGET_RATIO = 1.5
TARGET_MS = 300.0
TARGET_KB = 300.0
FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC")


@dataclass
class Result:
    renders: int
    ms: dict[str, float]
    kb: dict[str, float]
    pages: int
    text_boxes: int
    fonts: dict[str, tuple[float, float]]
    #: name -> median ms of (parse, style + layout, draw + PDF), for each of the three.
    phases: dict[str, tuple[float, float, float]]
    #: K -> median ms of the form's text in K plain paragraphs (``--floor``); 1 is "bare".
    floor: dict[int, float]

    @property
    def ratio(self) -> float:
        return self.ms["form"] / self.ms["bare"]

    @property
    def boxes_ratio(self) -> float:
        return self.ms["form"] / self.ms["boxes"]

    @property
    def layout_budget(self) -> float:
        """The ms the ratio target leaves for the form's style and layout, its parse and its
        drawing (the same text, cells and borders) paid, in the phases' own run."""
        form, bare = self.phases["form"], self.phases["bare"]
        return TARGET_RATIO * sum(bare) - form[0] - form[2]


def demo_application():
    """A full recommendation form's worth of data, in memory: 张伟 of a Beijing lab."""
    from directory.models import BranchCentre, Person, TestingLab
    from liaisons.models import LiaisonApplication

    branch = BranchCentre(code="BJ", name="北京分中心")
    lab = TestingLab(name="北京电器安全检测实验室", branch=branch)
    person = Person(
        id_number="11010519850307006X",
        name="张伟",
        birth_date=datetime.date(1985, 3, 7),
        sex="F",
        political_status="masses",
        education="bachelor",
        major="电子信息工程",
        phone="13910000006",
        email="zhang.wei@example.cn",
        work_unit=lab.name,
        address="北京市海淀区学院路 1 号",
        lab=lab,
    )
    application = LiaisonApplication(
        lab=lab,
        person=person,
        work_started_on=datetime.date(2016, 7, 1),
        work_history="2016.07-2019.06 北京电器安全检测实验室 检测员\n"
        "2019.07-至今 北京电器安全检测实验室 检测工程师",
        recommendation="该同志熟悉认证检测业务，工作认真负责，同意推荐为认证联络员。",
        lab_signatory="王建国",
    )
    return application, ["CCC", "CQC_MARK", "ROHS", "PSE"]


def _page(body: str, font: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<style>@page {{ size: A4 }} body {{ font-family: "{font}"; font-size: 9pt }}'
        f" p {{ margin: 0 }}</style></head><body>{body}</body></html>"
    )


def text_pieces(form_html: str) -> list[str]:
    """The form's text, piece by piece as its cells and lines hold it."""
    body = form_html.split("<body>", 1)[1]
    return [piece.strip() for piece in re.split(r"<[^>]+>", body) if piece.strip()]


def bare_html(form_html: str, font: str = FONTS[0]) -> str:
    """The form's text without the form: one paragraph, the same font, no stylesheet."""
    return _page("<p>" + " ".join(text_pieces(form_html)) + "</p>", font)


def boxes_html(form_html: str, font: str = FONTS[0]) -> str:
    """The form's text in as many paragraphs as the form has text boxes, no table, no
    stylesheet: what WeasyPrint costs per box, whatever the form looks like."""
    return _page("".join(f"<p>{piece}</p>" for piece in text_pieces(form_html)), font)


FLOOR_PARAGRAPHS = (1, 14, 28, 42, 56)


def paragraphs_html(form_html: str, count: int, font: str = FONTS[0]) -> str:
    """The form's text in ``count`` plain paragraphs, its pieces shared out in order."""
    pieces = text_pieces(form_html)
    groups: list[list[str]] = [[] for _ in range(count)]
    for i, piece in enumerate(pieces):
        groups[i * count // len(pieces)].append(piece)
    return _page("".join(f"<p>{' '.join(group)}</p>" for group in groups), font)


def _timed(function) -> tuple[float, bytes]:
    started = time.perf_counter()
    data = function()
    return (time.perf_counter() - started) * 1000, data


def _phases(html: str, stylesheets: tuple[str, ...] = ()) -> tuple[float, float, float]:
    """``cqcportal.pdf.html_to_pdf`` cut into its three phases (the same fetcher, font
    configuration and parsed stylesheets), each timed in ms."""
    import weasyprint

    from cqcportal.pdf import _fetcher, _font_config, _stylesheet

    started = time.perf_counter()
    document = weasyprint.HTML(string=html, base_url="file:///", url_fetcher=_fetcher())
    parsed = time.perf_counter()
    laid_out = document.render(
        font_config=_font_config(), stylesheets=[_stylesheet(name) for name in stylesheets]
    )
    rendered = time.perf_counter()
    laid_out.write_pdf()
    written = time.perf_counter()
    return tuple(1000 * t for t in (parsed - started, rendered - parsed, written - rendered))


def run(renders: int = 50, warmup: int = 3, fonts: bool = False, floor: bool = False) -> Result:
    """Interleaved renders of the form and its two bare twins, through the same helper
    (``cqcportal.pdf.html_to_pdf``: the same fetcher, the same font configuration)."""
    from cqcportal.pdf import html_to_pdf
    from liaisons.documents import STYLESHEET, recommendation_form

    application, codes = demo_application()
    form = recommendation_form(application, codes=codes, full_id_number=True)
    bare, boxes = bare_html(form.html), boxes_html(form.html)
    steps = {
        # The whole path of a download: the template rendered, then printed.
        "form": lambda: recommendation_form(application, codes=codes).pdf(),
        "bare": lambda: html_to_pdf(bare),
        "boxes": lambda: html_to_pdf(boxes),
    }
    for _ in range(warmup):
        for step in steps.values():
            step()
    samples: dict[str, list[tuple[float, bytes]]] = {name: [] for name in steps}
    names = list(steps)
    for i in range(renders):
        for name in names if i % 2 == 0 else names[::-1]:
            samples[name].append(_timed(steps[name]))
    phase_steps = {
        "form": lambda: _phases(form.html, (STYLESHEET,)),
        "bare": lambda: _phases(bare),
        "boxes": lambda: _phases(boxes),
    }
    phase_samples: dict[str, list[tuple[float, float, float]]] = {n: [] for n in phase_steps}
    for i in range(max(10, renders // 2)):
        for name in names if i % 2 == 0 else names[::-1]:
            phase_samples[name].append(phase_steps[name]())
    by_count = {}
    if floor:
        pages = {count: paragraphs_html(form.html, count) for count in FLOOR_PARAGRAPHS}
        floor_steps = {count: functools.partial(html_to_pdf, page) for count, page in pages.items()}
        floor_steps[0] = steps["form"]
        order = list(floor_steps)
        floor_samples: dict[int, list[float]] = {count: [] for count in order}
        for i in range(max(10, renders * 3 // 5)):
            for count in order if i % 2 == 0 else order[::-1]:
                floor_samples[count].append(_timed(floor_steps[count])[0])
        by_count = {count: statistics.median(ms) for count, ms in floor_samples.items()}
    by_font = {}
    if fonts:
        for font in FONTS:
            # An author rule: it wins over the forms' stylesheet, applied as a user one.
            html = form.html.replace("<style>", f'<style>html {{ font-family: "{font}" }} ', 1)
            timed = [
                _timed(lambda h=html: html_to_pdf(h, stylesheets=(STYLESHEET,))) for _ in range(11)
            ]
            by_font[font] = (statistics.median(ms for ms, _ in timed), len(timed[0][1]) / 1024)
    return Result(
        renders=renders,
        ms={name: statistics.median(ms for ms, _ in runs) for name, runs in samples.items()},
        kb={
            name: statistics.median(len(data) for _, data in runs) / 1024
            for name, runs in samples.items()
        },
        pages=_count_pages(form.pdf()),
        text_boxes=len(text_pieces(form.html)),
        fonts=by_font,
        floor=by_count,
        phases={
            name: tuple(statistics.median(sample[i] for sample in runs) for i in range(3))
            for name, runs in phase_samples.items()
        },
    )


def weasyprint_version() -> str:
    import weasyprint

    return weasyprint.__version__


def _count_pages(data: bytes) -> int:
    """Pages of a PDF, by poppler's pdfinfo (object streams hide the page objects)."""
    import shutil
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        command = [shutil.which("pdfinfo") or "pdfinfo", pdf.name]  # a fixed tool, our file
        info = subprocess.run(command, capture_output=True, text=True).stdout  # noqa: S603
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(match.group(1)) if match else 0


def report(result: Result) -> None:
    rule = "-" * 78
    print()
    print(
        "Recommendation form (CQC/10 管理 01.03) vs bare HTML of the same text; median of "
        f"{result.renders} interleaved renders"
    )
    print(rule)
    print(f"{'':>44} {'median ms':>10} {'KB':>8}")
    print(rule)
    labels = {
        "form": "form",
        "bare": "bare HTML, same text, one paragraph",
        "boxes": f"bare HTML, same text in {result.text_boxes} paragraphs",
    }
    for name, label in labels.items():
        print(f"{label:>44} {result.ms[name]:>10.1f} {result.kb[name]:>8.1f}")
    print(rule)
    checks = [
        (
            f"ratio form/bare {result.ratio:.2f} (target <= {TARGET_RATIO})",
            result.ratio <= TARGET_RATIO,
        ),
        (
            f"form median {result.ms['form']:.0f} ms (target < {TARGET_MS:.0f} ms)",
            result.ms["form"] < TARGET_MS,
        ),
        (
            f"form size {result.kb['form']:.1f} KB (target < {TARGET_KB:.0f} KB)",
            result.kb["form"] < TARGET_KB,
        ),
    ]
    for text, ok in checks:
        print(f"{text}  [{'PASS' if ok else 'FAIL'}]")
    print(
        f"ratio form/same text in the same number of boxes: {result.boxes_ratio:.2f} "
        "(what the table, borders and page furniture cost over WeasyPrint's per-box cost)"
    )
    print(f"pages of the form: {result.pages}")
    print(f"{'phases, median ms':>44} {'parse':>7} {'style+layout':>13} {'draw+PDF':>9}")
    for name, label in labels.items():
        parse, layout, draw = result.phases[name]
        print(f"{label:>44} {parse:>7.1f} {layout:>13.1f} {draw:>9.1f}")
    print(
        f"style+layout the ratio target leaves the form, its parse and drawing paid: "
        f"{result.layout_budget:.1f} ms"
    )
    if result.floor:
        one = result.floor[1]
        print(
            "the form's text in K plain paragraphs, ratio to K = 1: "
            + ", ".join(f"{k}: {ms / one:.2f}" for k, ms in result.floor.items() if k)
            + f"; the form: {result.floor[0] / one:.2f}"
        )
    for font, (ms, kb) in result.fonts.items():
        print(f"font {font}: {ms:.0f} ms, {kb:.1f} KB (median of 11)")
