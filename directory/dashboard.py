"""Dashboard cards: each app registers what a role must act on; the dashboard shows them."""

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import User


@dataclass
class Card:
    title: str
    # The things the card lists, (label, url or ""): at most the first ten, ``count`` of all.
    items: list[tuple[str, str]] = field(default_factory=list)
    count: int | None = None
    url: str = ""
    empty_text: str = ""
    priority: int = 100
    # Links to act ("Request a change"), shown after the list and never counted in it.
    actions: list[tuple[str, str]] = field(default_factory=list)
    # A sentence about what the card counts, for a card that lists nothing itself.
    note: str = ""

    @property
    def more(self) -> int:
        """How many of ``count`` the card does not list: its link to the rest says so."""
        if self.count is None or not self.items or not self.url:
            return 0
        return max(self.count - len(self.items), 0)


_PROVIDERS: list[tuple[frozenset[str] | None, bool, Callable[[User], Card | None]]] = []


def card(roles: set[str] | frozenset[str] | None = None, *, superuser: bool = True):
    """Register a card provider for some roles (``None``: every signed-in user); with
    ``superuser=False`` a superuser does not get it (its pages answer 403 to a superuser)."""

    def register(provider: Callable[[User], Card | None]):
        roles_set = frozenset(roles) if roles is not None else None
        _PROVIDERS.append((roles_set, superuser, provider))
        return provider

    return register


def cards_for(user: User) -> list[Card]:
    cards = []
    for roles, for_superuser, provider in _PROVIDERS:
        if user.is_superuser:
            wanted = for_superuser
        else:
            wanted = roles is None or user.role in roles
        if wanted:
            result = provider(user)
            if result is not None:
                cards.append(result)
    return sorted(cards, key=lambda c: c.priority)
