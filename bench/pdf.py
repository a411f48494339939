"""``bench/run.py --only pdf``: printing the recommendation form (issue 4).

The form (``liaisons/documents/recommendation.html`` with ``static/css/forms.css``) is
printed ``N`` times from an application held in memory (no database), interleaved with a bare
HTML page that holds the same text (the form's text with its tags stripped, one paragraph, the
same font) printed by WeasyPrint in the same run. Reported: the median time and size of each,
and the ratio of the medians. Targets: ratio <= 1.5, form median < 300 ms, form < 300 KB.

``--fonts`` also prints the form once per candidate CJK font (the choice in
docs/decisions.md, "Printable forms").
"""

from __future__ import annotations

import datetime
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
    form_ms: float
    bare_ms: float
    form_kb: float
    bare_kb: float
    pages: int
    fonts: dict[str, tuple[float, float]]

    @property
    def ratio(self) -> float:
        return self.form_ms / self.bare_ms


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


def bare_html(form_html: str, font: str = FONTS[0]) -> str:
    """The form's text without the form: tags stripped, in one paragraph, the same font."""
    from django.utils.html import strip_tags

    body = form_html.split("<body>", 1)[1]
    text = re.sub(r"\s+", " ", strip_tags(body)).strip()
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<style>@page {{ size: A4 }} body {{ font-family: "{font}" }}</style></head>'
        f"<body><p>{text}</p></body></html>"
    )


def _print(html: str, fetcher=None) -> tuple[float, bytes]:
    import weasyprint

    started = time.perf_counter()
    kwargs = {"base_url": "file:///", "url_fetcher": fetcher} if fetcher else {}
    data = weasyprint.HTML(string=html, **kwargs).write_pdf()
    return (time.perf_counter() - started) * 1000, data


def run(renders: int = 50, warmup: int = 3, fonts: bool = False) -> Result:
    from cqcportal.pdf import html_to_pdf
    from liaisons.documents import recommendation_form

    application, codes = demo_application()
    form = recommendation_form(application, codes=codes, full_id_number=True)
    bare = bare_html(form.html)

    def print_form() -> tuple[float, bytes]:
        started = time.perf_counter()
        # The whole path of a download: the template rendered, then printed.
        data = html_to_pdf(recommendation_form(application, codes=codes).html)
        return (time.perf_counter() - started) * 1000, data

    for _ in range(warmup):
        print_form(), _print(bare)
    form_ms, bare_ms, form_sizes, bare_sizes = [], [], [], []
    for i in range(renders):
        order = (print_form, lambda: _print(bare))
        for step in order if i % 2 == 0 else order[::-1]:
            ms, data = step()
            (form_ms if step is print_form else bare_ms).append(ms)
            (form_sizes if step is print_form else bare_sizes).append(len(data))
    pages = _count_pages(html_to_pdf(form.html))
    by_font = {}
    if fonts:
        for font in FONTS:
            html = form.html.replace("<style>", f'<style>html {{ font-family: "{font}" }} ', 1)
            samples = [_print(html) for _ in range(11)]
            by_font[font] = (
                statistics.median(ms for ms, _ in samples),
                len(samples[0][1]) / 1024,
            )
    return Result(
        renders=renders,
        form_ms=statistics.median(form_ms),
        bare_ms=statistics.median(bare_ms),
        form_kb=statistics.median(form_sizes) / 1024,
        bare_kb=statistics.median(bare_sizes) / 1024,
        pages=pages,
        fonts=by_font,
    )


def weasyprint_version() -> str:
    import weasyprint

    return weasyprint.__version__


def _count_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


def report(result: Result) -> None:
    rule = "-" * 72
    print()
    print(
        f"Recommendation form (CQC/10 管理 01.03) vs bare HTML of the same text; median of "
        f"{result.renders} interleaved renders"
    )
    print(rule)
    print(f"{'':>22} {'median ms':>10} {'KB':>8}")
    print(rule)
    print(f"{'form':>22} {result.form_ms:>10.1f} {result.form_kb:>8.1f}")
    print(f"{'bare HTML, same text':>22} {result.bare_ms:>10.1f} {result.bare_kb:>8.1f}")
    print(rule)
    checks = [
        (
            f"ratio form/bare {result.ratio:.2f} (target <= {TARGET_RATIO})",
            result.ratio <= TARGET_RATIO,
        ),
        (
            f"form median {result.form_ms:.0f} ms (target < {TARGET_MS:.0f} ms)",
            result.form_ms < TARGET_MS,
        ),
        (
            f"form size {result.form_kb:.1f} KB (target < {TARGET_KB:.0f} KB)",
            result.form_kb < TARGET_KB,
        ),
    ]
    for text, ok in checks:
        print(f"{text}  [{'PASS' if ok else 'FAIL'}]")
    print(f"pages of the form: {result.pages}")
    for font, (ms, kb) in result.fonts.items():
        print(f"font {font}: {ms:.0f} ms, {kb:.1f} KB (median of 11)")
