"""Shapes of the business-system API: its two queries and its two answers."""

from rest_framework import serializers

from ..constants import Case, Confirmation, LoginRightState
from ..models.rights import RULE_MAX_LENGTH, USERNAME_MAX_LENGTH

#: The most changes one page of the feed holds, and how many when the client does not say.
CHANGES_LIMIT_MAX = 1000
CHANGES_LIMIT_DEFAULT = 500
#: A cursor is a RightChange id: a PostgreSQL bigint.
CURSOR_MAX = 2**63 - 1


class EligibilityQuerySerializer(serializers.Serializer):
    username = serializers.CharField(
        max_length=USERNAME_MAX_LENGTH,
        trim_whitespace=False,
        help_text="The account's username in the business system, exactly as it holds it.",
    )


class CampaignEntrySerializer(serializers.Serializer):
    campaign = serializers.CharField(help_text="The open check campaign's name.")
    confirmation_deadline = serializers.DateField(
        help_text="Its confirmation deadline (A-04), ending at 24:00 China time (A-05)."
    )
    case = serializers.ChoiceField(
        choices=Case.choices, help_text="The account's case of A-03 (1-5)."
    )
    confirmation = serializers.ChoiceField(
        choices=Confirmation.choices,
        help_text="What its lab confirmed of the account; empty while unconfirmed (A-04).",
    )


class EligibilitySerializer(serializers.Serializer):
    username = serializers.CharField(max_length=USERNAME_MAX_LENGTH)
    known = serializers.BooleanField(help_text="Whether the portal knows the account.")
    may_log_in = serializers.BooleanField(
        help_text="Whether the account may log in to the business system now (its right is active)."
    )
    state = serializers.ChoiceField(
        choices=LoginRightState.choices,
        allow_null=True,
        help_text="The login right's state; null for an account the portal does not know.",
    )
    rule = serializers.CharField(
        max_length=RULE_MAX_LENGTH,
        help_text="The rule the answer rests on: A-01 (an active right follows an active "
        "liaison qualification; a suspension follows the qualification's), A-04 (revoked at "
        "the campaign's deadline), A-06 (revoked, kept on record, may be granted again), A-02 "
        "(no right: apply for one), or the rule a suspension or revocation recorded.",
    )
    reason = serializers.CharField(help_text="The answer in a sentence, in the request's language.")
    campaign = CampaignEntrySerializer(
        allow_null=True,
        help_text="The account's entry in the open check campaign (A-03), null if it has none.",
    )


class ChangesQuerySerializer(serializers.Serializer):
    since = serializers.IntegerField(
        min_value=0,
        max_value=CURSOR_MAX,
        help_text="The cursor: the `next` of the previous page, 0 at the very first read. "
        "Asking with it tells the portal that every change up to it is stored.",
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=CHANGES_LIMIT_MAX,
        default=CHANGES_LIMIT_DEFAULT,
        required=False,
        help_text=f"How many changes at most (default {CHANGES_LIMIT_DEFAULT}).",
    )


class RightChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The change's place in the feed (the cursor).")
    username = serializers.CharField(max_length=USERNAME_MAX_LENGTH)
    state = serializers.ChoiceField(
        choices=LoginRightState.choices, help_text="The right's state from this change on."
    )
    may_log_in = serializers.BooleanField(help_text="Whether the state lets the account log in.")
    rule = serializers.CharField(
        max_length=RULE_MAX_LENGTH,
        allow_blank=True,
        help_text="The rule of a suspension or revocation (A-01, A-04 ...); empty for a grant.",
    )
    at = serializers.DateTimeField(help_text="When the right changed.")


class ChangesSerializer(serializers.Serializer):
    changes = RightChangeSerializer(many=True)
    next = serializers.IntegerField(
        help_text="The cursor to ask with next: the last change's id, or `since` when there "
        "is nothing new."
    )
    more = serializers.BooleanField(
        help_text="Whether more changes follow at once (ask again with `next` now)."
    )
