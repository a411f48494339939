"""The campaign's progress over time as an inline SVG, drawn by the portal itself: no chart
library, no script, nothing from a CDN. The page shows the same figures as a table beside it
for those who do not see the chart."""

import datetime
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 12, 36


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    rows: list[tuple[datetime.date, int, int]]  # day, confirmed by its end, percent


def progress_chart(
    series: list[tuple[datetime.date, int]], *, total: int, deadline: datetime.date
) -> Chart | None:
    """Confirmed entries by the end of each day, from the opening to today, on an axis that
    runs to the confirmation deadline, so the time left shows as the empty part."""
    if not series:
        return None
    first = series[0][0]
    days = max((deadline - first).days, (series[-1][0] - first).days, 1)
    top = max(total, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: datetime.date) -> float:
        return round(LEFT + plot_w * (day - first).days / days, 1)

    def y(count: int) -> float:
        return round(TOP + plot_h * (1 - count / top), 1)

    # A step line: the count holds through the day and rises at its end.
    points = [(x(first), y(0))]
    for day, count in series:
        end = day + datetime.timedelta(days=1)
        points.append((points[-1][0], y(count)))
        points.append((min(x(end), LEFT + plot_w), y(count)))
    polyline = " ".join(f"{px},{py}" for px, py in points)
    last_day, last_count = series[-1]
    percent = round(100 * last_count / total) if total else 0
    title = _("Confirmations over time")
    description = _(
        "%(count)d of %(total)d people confirmed (%(percent)d %%) by %(day)s; the deadline is "
        "%(deadline)s."
    ) % {
        "count": last_count,
        "total": total,
        "percent": percent,
        "day": last_day.isoformat(),
        "deadline": deadline.isoformat(),
    }
    ticks = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart__grid" stroke="#d9dee5"/>'
        '<text x="{}" y="{}" class="chart__label" text-anchor="end" font-size="11" '
        'fill="#5f6b7a">{}</text>',
        (
            (LEFT, LEFT + plot_w, y(value), y(value), LEFT - 6, y(value) + 4, value)
            for value in sorted({0, total // 2, total})
        ),
    )
    deadline_x = x(deadline)
    svg = format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="chart-title chart-desc" data-testid="progress-chart">'
        '<title id="chart-title">{title}</title><desc id="chart-desc">{desc}</desc>'
        "{ticks}"
        # Colours as attributes too: the chart reads the same wherever it is drawn.
        '<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" class="chart__axis" '
        'stroke="#5f6b7a"/>'
        '<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" class="chart__axis" '
        'stroke="#5f6b7a"/>'
        '<line x1="{dx}" x2="{dx}" y1="{top}" y2="{bottom}" class="chart__deadline" '
        'stroke="#b42318" stroke-dasharray="4 3"/>'
        '<polyline points="{points}" class="chart__line" fill="none" stroke="#b3202a" '
        'stroke-width="2.5"/>'
        '<text x="{left}" y="{label_y}" class="chart__label" font-size="11" '
        'fill="#5f6b7a">{first}</text>'
        '<text x="{dx}" y="{label_y}" class="chart__label" text-anchor="end" font-size="11" '
        'fill="#5f6b7a">{deadline}</text>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=description,
        ticks=ticks,
        left=LEFT,
        right=LEFT + plot_w,
        top=TOP,
        bottom=TOP + plot_h,
        dx=deadline_x,
        points=polyline,
        label_y=HEIGHT - 12,
        first=first.isoformat(),
        deadline=_("deadline %(date)s") % {"date": deadline.isoformat()},
    )
    rows = [(day, count, round(100 * count / total) if total else 0) for day, count in series]
    return Chart(svg=svg, rows=rows)
