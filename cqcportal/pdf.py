"""PDF rendering: a Django template through WeasyPrint, with a fetcher that reaches only the
portal's own static files.

WeasyPrint (and with it Pango and HarfBuzz) is imported inside ``render_to_pdf``: processes
that never print do not load it. Fonts come from Debian's packages through fontconfig, so
the stylesheets name families, never files (docs/decisions.md, "Printable forms").
"""

from __future__ import annotations

import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


class ForbiddenResource(ValueError):
    """A document asked for something other than one of the portal's static files."""


def _static_roots() -> list[Path]:
    roots = [Path(root).resolve() for root in getattr(settings, "STATICFILES_DIRS", ())]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_path_for(url: str) -> Path:
    """The file a document's URL names, if it is one of the portal's static files.

    Accepted: ``/static/...`` paths (as ``{% static %}`` writes them, made absolute by the
    base URL ``file:///static/``) and ``file://`` URLs of a file inside a static directory.
    Everything else (http, https, ftp, data, other files, ``..`` escapes) is refused.
    """
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ForbiddenResource(f"only the portal's static files may be fetched, not {url!r}")
    path = unquote(parts.path)
    if ".." in Path(path).parts:
        raise ForbiddenResource(f"no climbing out of the static files: {url!r}")
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if path.startswith(static_prefix):
        found = finders.find(path[len(static_prefix) :])
        if found:
            return Path(found).resolve()
        raise ForbiddenResource(f"no static file {path!r}")
    resolved = Path(path).resolve()
    for root in _static_roots():
        if resolved.is_relative_to(root) and resolved.is_file():
            return resolved
    raise ForbiddenResource(f"{url!r} is not one of the portal's static files")


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher cut down to the portal's static files: no network, no file
        outside the static directories."""

        def fetch(self, url, headers=None):
            path = static_path_for(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher(allowed_protocols=("file",), allow_redirects=False)


#: Per thread: WeasyPrint's font configuration and the parsed print stylesheets. Building
#: them costs ~20 ms a document (bench/README.md, "Printable forms"); a process prints one
#: document at a time per thread (gunicorn sync workers, Celery prefork), so each thread keeps
#: its own and reuses it.
_local = threading.local()


def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    if getattr(_local, "font_config", None) is None:
        _local.font_config = FontConfiguration()
        _local.stylesheets = {}
    return _local.font_config


def _stylesheet(name: str):
    """A static stylesheet parsed once per thread (again if the file changed)."""
    import weasyprint

    font_config = _font_config()
    path = finders.find(name)
    if not path:
        raise ForbiddenResource(f"no static file {name!r}")
    key = (path, Path(path).stat().st_mtime_ns)
    if key not in _local.stylesheets:
        _local.stylesheets = {k: v for k, v in _local.stylesheets.items() if k[0] != path}
        _local.stylesheets[key] = weasyprint.CSS(
            filename=path, url_fetcher=_fetcher(), font_config=font_config
        )
    return _local.stylesheets[key]


def html_to_pdf(html: str, stylesheets: tuple[str, ...] = ()) -> bytes:
    """The PDF of an HTML string whose resources are the portal's static files.

    ``stylesheets`` names static stylesheets applied as if linked after the document's own
    (parsed once per thread instead of once per document).
    """
    import weasyprint

    document = weasyprint.HTML(string=html, base_url="file:///", url_fetcher=_fetcher())
    return document.write_pdf(
        font_config=_font_config(),
        stylesheets=[_stylesheet(name) for name in stylesheets],
    )


def render_to_pdf(template_name: str, context: dict, stylesheets: tuple[str, ...] = ()) -> bytes:
    """Render a Django template and print it to PDF (A4 and page furniture come from the
    template's own ``@page`` rules or from ``stylesheets``)."""
    return html_to_pdf(render_to_string(template_name, context), stylesheets)
