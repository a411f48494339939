"""Factories of the business system's feed (issue 12): its clients, its changes, and the open
campaign entries the eligibility answer names (a trait per state)."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from access_audit.constants import CampaignState, Case
from access_audit.feed_clients import feed_token_digest
from access_audit.models import AuditCampaign, CampaignEntry, FeedClient, RightChange

from .factories import LoginRightFactory


class FeedClientFactory(DjangoModelFactory):
    """A reader of the feed; its token is ``client.token`` (only its digest is stored)."""

    class Meta:
        model = FeedClient
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"CBS {n}")
    token = factory.Sequence(lambda n: f"feed-token-{n:04d}-" + "x" * 32)
    token_sha256 = factory.LazyAttribute(lambda o: feed_token_digest(o.token))

    @classmethod
    def _create(cls, model_class, *args, token, **kwargs):
        client = super()._create(model_class, *args, **kwargs)
        client.token = token
        return client

    class Params:
        deactivated = factory.Trait(is_active=False)


class RightChangeFactory(DjangoModelFactory):
    """A change as ``access_audit.feed.right_changes_record`` writes it."""

    class Meta:
        model = RightChange

    right = factory.SubFactory(LoginRightFactory)
    state = factory.LazyAttribute(lambda o: o.right.state)
    rule = factory.LazyAttribute(lambda o: o.right.rule)
    at = factory.LazyFunction(timezone.now)


class AuditCampaignFactory(DjangoModelFactory):
    class Meta:
        model = AuditCampaign

    name = factory.Sequence(lambda n: f"核查 {n}")
    migration_deadline = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=10)
    )
    confirmation_deadline = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30)
    )
    state = CampaignState.DRAFT

    class Params:
        opened = factory.Trait(
            state=CampaignState.OPEN, opened_at=factory.LazyFunction(timezone.now)
        )
        enforced = factory.Trait(
            state=CampaignState.ENFORCED, enforced_at=factory.LazyFunction(timezone.now)
        )


class CampaignEntryFactory(DjangoModelFactory):
    """An account's entry in an open campaign, case 1 unless told."""

    class Meta:
        model = CampaignEntry

    campaign = factory.SubFactory(AuditCampaignFactory, opened=True)
    right = factory.SubFactory(LoginRightFactory)
    person = factory.LazyAttribute(lambda o: o.right.person if o.right else None)
    lab = factory.LazyAttribute(lambda o: o.right.lab if o.right else None)
    case = Case.KEEPS_WORKING
