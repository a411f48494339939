"""The e-mail telling the submitter of a login-right request its decision (A-02).

It names the person and the business-system username, never the ID number (P-04), and is
written in the submitter's own language (issue 10). Sent once: the request is claimed
(``notice_sent_at``) before sending and released if sending fails, so a retried or doubled
task writes once and a failed one is sent by the retry.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.mail import addresses_by_language, portal_link, send_in_their_language
from directory.models import User

from .constants import RightRequestState
from .models import LoginRightRequest

#: The decisions the submitter is told of.
DECIDED = (RightRequestState.GRANTED, RightRequestState.REFUSED)


def login_right_request_notice_send(*, request_id: int) -> int:
    """E-mail the submitter that the request was granted or refused; returns how many
    addresses were written to (0 when already sent, undecided or nobody to write to)."""
    request = (
        LoginRightRequest.objects.select_related("person", "submitted_by")
        .filter(pk=request_id, state__in=DECIDED)
        .first()
    )
    if request is None:
        return 0
    submitters = User.objects.filter(pk=request.submitted_by_id, is_active=True)
    by_language = addresses_by_language(submitters)
    if not any(by_language.values()):
        return 0
    claimed = LoginRightRequest.objects.filter(pk=request_id, notice_sent_at=None).update(
        notice_sent_at=timezone.now()
    )
    if not claimed:
        return 0
    try:
        return send_in_their_language(
            by_language=by_language,
            subject=lambda: (
                _("Login right to the business system: %(state)s")
                % {"state": request.get_state_display()}
            ),
            template="access_audit/email/request_notice.txt",
            context={
                "request": request,
                "link": portal_link("access_audit:request_detail", request.pk),
            },
        )
    except BaseException:
        LoginRightRequest.objects.filter(pk=request_id).update(notice_sent_at=None)
        raise
