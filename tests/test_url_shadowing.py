"""No URL hides another: each named pattern, reversed, resolves back to itself. Two parts of an
app that claim the same path (the quality roles' spot-check rectifications and the assessment's)
would otherwise send one part's links to the other's views, which answer 404."""

import uuid

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter

SAMPLE = {IntConverter: 7, SlugConverter: "a-slug", UUIDConverter: uuid.UUID(int=7)}


def _named_patterns(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry


def _kwargs(pattern):
    converters = getattr(pattern.pattern, "converters", {})
    values = {}
    for name, converter in converters.items():
        if isinstance(converter, PathConverter):
            values[name] = "a/b"
        else:
            values[name] = SAMPLE.get(type(converter), "x")
    return values


def test_every_named_url_resolves_back_to_itself():
    shadowed = []
    seen = set()
    for name, pattern in _named_patterns(get_resolver()):
        if name in seen or name.startswith("admin:"):
            continue
        seen.add(name)
        kwargs = _kwargs(pattern)
        if not kwargs and pattern.pattern.regex.groups:
            continue  # a regex pattern with unnamed groups (none of ours)
        try:
            path = reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001, S112 - a pattern that needs a value of its own
            continue
        match = resolve(path.split("?")[0])
        if match.view_name != name and match.func is not pattern.callback:
            shadowed.append((name, path, match.view_name))
    assert shadowed == []
