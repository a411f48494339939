"""What the apps built on the directory add to its pages and commands (issue 11).

The directory is the bottom layer: it never imports the apps above it. They register here,
from their ``AppConfig.ready()`` (menu entries, lab-page panels, marks on a lab's scope) or
from their ``demo`` module (found by ``autodiscover_modules("demo")``), like the dashboard's
``@card`` (``directory/dashboard.py``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

# --- the demo ------------------------------------------------------------------------------

_DEMOS: list[tuple[int, Callable[[], list | None]]] = []


def demo(*, order: int):
    """Register a demo builder run by ``seed_demo`` in ``order`` (lower first: an app's demo
    after those of the apps it builds on). A builder is idempotent; it may return the demo
    users it made as ``(username, role, scope)`` for the command to print."""

    def register(builder: Callable[[], list | None]):
        if builder not in [b for _o, b in _DEMOS]:
            _DEMOS.append((order, builder))
        return builder

    return register


def demo_builders() -> list[Callable[[], list | None]]:
    return [builder for _order, builder in sorted(_DEMOS, key=lambda entry: entry[0])]


# --- the menu ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: str | Promise
    roles: frozenset[str] | None  # None: every signed-in user
    superuser: bool
    public: bool
    position: int


_MENU: list[MenuEntry] = []


def menu_entry(
    url_name: str,
    label: str | Promise,
    *,
    roles: Iterable[str] | None,
    position: int,
    superuser: bool = True,
    public: bool = False,
) -> None:
    """Add a link to the menu of ``roles`` (``None``: every signed-in user), after the
    directory's own, in ``position`` order; ``superuser=False``: not a superuser's (its pages
    answer 403 to one); ``public``: also for visitors who are not signed in."""
    roles = frozenset(roles) if roles is not None else None
    entry = MenuEntry(url_name, label, roles, superuser, public, position)
    if entry.url_name not in {e.url_name for e in _MENU}:
        _MENU.append(entry)


def menu_entries(user) -> list[MenuEntry]:
    """The registered entries the user's menu shows."""
    if user is None or not user.is_authenticated:
        wanted = [entry for entry in _MENU if entry.public]
    elif user.is_superuser:
        wanted = [entry for entry in _MENU if entry.superuser]
    else:
        wanted = [e for e in _MENU if e.roles is None or user.role in e.roles]
    return sorted(wanted, key=lambda entry: entry.position)


# --- the lab page and list -----------------------------------------------------------------

_LAB_PANELS: list[tuple[int, str, Callable]] = []


def lab_panel(template_name: str, *, order: int = 100):
    """Register a panel of the lab's page: ``template_name`` rendered with what the decorated
    ``(*, lab, user) -> dict | None`` returns (``None``: no panel for this user)."""

    def register(context: Callable):
        if template_name not in {name for _o, name, _c in _LAB_PANELS}:
            _LAB_PANELS.append((order, template_name, context))
        return context

    return register


def lab_panels() -> list[tuple[str, Callable]]:
    return [(name, context) for _o, name, context in sorted(_LAB_PANELS, key=lambda p: p[0])]


@dataclass(frozen=True)
class ScopeMark:
    """How the lab list marks one field of a lab's business scope (a coverage gap, L-06)."""

    label: str | Promise
    title: str | Promise
    testid: str


_SCOPE_MARKERS: list[Callable] = []


def lab_scope_marker(marker: Callable):
    """Register ``marker(lab_ids) -> {lab id: {field code: ScopeMark}}``, asked once per lab
    list page: the fields of each lab's scope it marks."""
    if marker not in _SCOPE_MARKERS:
        _SCOPE_MARKERS.append(marker)
    return marker


def lab_scope_marks(lab_ids: list[int]) -> dict[int, dict[str, ScopeMark]]:
    marks: dict[int, dict[str, ScopeMark]] = {}
    for marker in _SCOPE_MARKERS:
        for lab_id, fields in marker(lab_ids).items():
            marks.setdefault(lab_id, {}).update(fields)
    return marks
