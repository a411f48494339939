"""Every write of the liaison capability, one module per part of the liaison's life.

The application flow and qualifications are re-exported here; the other parts are imported
from their modules (``liaisons.services.training`` and so on).
"""

from .applications import (
    RECOMMENDATION_FIELDS,
    assessment_entry_update,
    coverage_refresh,
    departure_allowed,
    departure_confirm,
    liaison_application_accept,
    liaison_application_hire,
    liaison_application_pass,
    liaison_application_reject,
    liaison_application_return,
    liaison_application_start,
    liaison_application_submit,
    liaison_application_update,
    liaison_application_withdraw,
    liaison_applications_hire,
    material_upload,
    qualification_change_state,
)

__all__ = [
    "RECOMMENDATION_FIELDS",
    "assessment_entry_update",
    "coverage_refresh",
    "departure_allowed",
    "departure_confirm",
    "liaison_application_accept",
    "liaison_application_hire",
    "liaison_application_pass",
    "liaison_application_reject",
    "liaison_application_return",
    "liaison_application_start",
    "liaison_application_submit",
    "liaison_application_update",
    "liaison_application_withdraw",
    "liaison_applications_hire",
    "material_upload",
    "qualification_change_state",
]
