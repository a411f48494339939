"""The check campaign on the dashboard: what each role must do in the open campaign (A-04)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from directory.constants import Role
from directory.dashboard import Card, card


@card({Role.LAB_STAFF, Role.BRANCH_REVIEWER, Role.TRAINING_ADMIN})
def open_campaign(user):
    """The open campaign: a lab its people still to confirm, a branch centre its labs'
    progress (and the labs it confirms for), the training centre the whole of it."""
    from .constants import CampaignState, Confirmation
    from .selectors.campaigns import campaign_entries, campaign_list, time_left

    campaign = campaign_list(user=user).filter(state=CampaignState.OPEN).first()
    if campaign is None:
        return None
    entries = campaign_entries(user=user, campaign=campaign)
    total = entries.count()
    open_count = entries.filter(confirmation=Confirmation.UNCONFIRMED).count()
    left = time_left(campaign.confirmation_ends_at)
    url = reverse("access_audit:campaign_detail", args=[campaign.pk])
    items = [
        (
            _("%(open)d of %(total)d people still to confirm by %(date)s (%(days)d days left)")
            % {
                "open": open_count,
                "total": total,
                "date": campaign.confirmation_deadline.isoformat(),
                "days": left.days,
            },
            reverse("access_audit:campaign_confirm", args=[campaign.pk])
            if user.role == Role.LAB_STAFF
            else url,
        )
    ]
    return Card(
        title=_("Check campaign: %(name)s") % {"name": campaign.name},
        items=items,
        url=url,
        priority=15,
    )
