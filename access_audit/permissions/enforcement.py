"""Who sees what the deadlines would take away and who lets a held run go on (A-04)."""

from directory.constants import Role

from .campaigns import sees_campaigns, sees_every_entry


def sees_enforcement(user) -> bool:
    """Anyone responsible: labs (their lab), branch centres (their labs), CQC-wide staff."""
    return sees_campaigns(user)


def sees_runs(user) -> bool:
    """The runs list and a run's page: the training centre and the CQC-wide departments."""
    return sees_every_entry(user)


def can_confirm_held_run(user) -> bool:
    """Only a training-centre administrator lets a run the circuit breaker held go on."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.TRAINING_ADMIN)
