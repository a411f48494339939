"""Dashboard cards: each app registers what a role must act on; the dashboard shows them."""

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import User


@dataclass
class Card:
    title: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (label, url or "")
    count: int | None = None
    url: str = ""
    empty_text: str = ""
    priority: int = 100


_PROVIDERS: list[tuple[frozenset[str] | None, Callable[[User], Card | None]]] = []


def card(roles: set[str] | frozenset[str] | None = None):
    """Register a card provider for some roles (``None``: every signed-in user)."""

    def register(provider: Callable[[User], Card | None]):
        _PROVIDERS.append((frozenset(roles) if roles is not None else None, provider))
        return provider

    return register


def cards_for(user: User) -> list[Card]:
    cards = []
    for roles, provider in _PROVIDERS:
        if roles is None or user.role in roles or user.is_superuser:
            result = provider(user)
            if result is not None:
                cards.append(result)
    return sorted(cards, key=lambda c: c.priority)
