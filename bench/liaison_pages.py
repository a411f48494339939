"""The two liaison pages that grow with the data (issue 3), each against its bare twin.

* The branch reviewer's review queue (``liaisons:application_list``): the applications of the
  reviewer's branch in the queue's default states, signed in as ``bench.reviewer``.
* The public roster (``liaisons:roster``): every entry of ``selectors.roster_entries()``,
  requested without signing in, as the public reads it.

Both are measured like the people list (``bench/run.py``): queries of one request at 10,000
and 100,000 applications, and the median time of interleaved requests against a bare view
of the same rows (``bench/baseline.py``), on page 1 and the middle page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bench import liaison_data


@dataclass
class Results:
    queue: list = field(default_factory=list)
    roster: list = field(default_factory=list)
    queue_spec: object = None
    roster_spec: object = None
    sizes: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _link_pattern(name: str) -> re.Pattern | None:
    """``href="/…/<id>/"`` of the named detail URL, the id captured; None if not there yet."""
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(name, args=[987654321])
    except NoReverseMatch:
        return None
    prefix, suffix = url.split("987654321")
    return re.compile(f'href="{re.escape(prefix)}(\\d+){re.escape(suffix)}"')


def queue_spec():
    from django.urls import NoReverseMatch, reverse

    from bench.run import PageSpec

    try:
        full_url = reverse("liaisons:application_list")
    except NoReverseMatch:
        return None
    link = _link_pattern("liaisons:application_detail")
    if link is None:
        return None
    return PageSpec(
        title="Review queue of a branch reviewer",
        unit="apps",
        full_url=full_url,
        bare_url=reverse("bench_bare_queue"),
        row_key=link,
    )


def roster_spec():
    from django.urls import NoReverseMatch, reverse

    from bench.run import PageSpec

    try:
        full_url = reverse("liaisons:roster")
    except NoReverseMatch:
        return None
    return PageSpec(
        title="Public roster (anonymous)",
        unit="apps",
        full_url=full_url,
        bare_url=reverse("bench_bare_roster"),
        # The employment number is the roster row's identity: it is unique per person.
        row_key=re.compile(r'<td class="mono">([^<]*)</td>'),
    )


def measure(parts: set[str], args, *, lab_user, reviewer, measure_pages) -> Results:
    from django.test import Client

    from bench import baseline
    from bench.run import pages_for

    results = Results()
    if "queue" in parts:
        results.queue_spec = queue_spec()
        if results.queue_spec is None:
            results.notes.append("review queue: liaisons:application_list is not there yet")
    if "roster" in parts:
        results.roster_spec = roster_spec()
        if results.roster_spec is None:
            results.notes.append("roster: liaisons:roster is not there yet")
    staff = Client()
    staff.force_login(reviewer)
    public = Client()
    for size in (args.small, args.large):
        print(f"  {size:,} applications: {liaison_data.fill_applications(size, lab_user.pk)}")
        counts = liaison_data.counts()
        if results.queue_spec is not None:
            rows = baseline.queue_queryset(reviewer).count()
            counts["queue"] = rows
            results.queue += measure_pages(
                staff,
                size,
                pages_for(size, rows),
                args.requests,
                args.warmup,
                results.queue_spec,
            )
        if results.roster_spec is not None:
            results.roster += measure_pages(
                public,
                size,
                pages_for(size, counts["roster"]),
                args.requests,
                args.warmup,
                results.roster_spec,
            )
        results.sizes[size] = counts
    return results


def report(results: Results, args, print_table, verdicts) -> None:
    print()
    print("Liaisons (issue 3)")
    for note in results.notes:
        print(f"  skipped: {note}")
    for size, counts in results.sizes.items():
        described = ", ".join(f"{name} {value:,}" for name, value in counts.items())
        print(f"  at {size:,} applications: {described}")
    for spec, measures in (
        (results.queue_spec, results.queue),
        (results.roster_spec, results.roster),
    ):
        if not measures:
            continue
        print_table(
            f"{spec.title} ({spec.full_url}) vs bare values() view; "
            f"median of {args.requests} interleaved requests",
            measures,
            unit="apps",
        )
        verdicts(measures, args.small, args.large, unit="applications")
        print(f"\nQueries of one {spec.title.lower()} request (middle page, {args.large:,}):")
        for i, statement in enumerate(measures[-1].full_sql, 1):
            print(f"  {i}. {statement[:150]}{'...' if len(statement) > 150 else ''}")
