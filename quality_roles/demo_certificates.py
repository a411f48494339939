"""The certificates of the quality roles' demo (Q-05): the first body's list imported as a
body imports it, one certificate without a lead, so the director's dashboard shows it
uncovered; the second body's, whose director is not in office yet, none valid."""

from directory.models import CertificationBody, User

from .models import Certificate, LeadAppointment
from .services import bodies
from .services.imports import certificates_import

FIRST_ROWS = (
    ("CCC2026010701000101", "家用电冰箱 BCD-520WKPZM", "CCC-HA", "valid", "孙强"),
    ("CCC2026010701000102", "滚筒洗衣机 XQG100-14586", "CCC-HA", "valid", "孙强"),
    ("CCC2026010701000103", "电热水器 EC6002-MC3", "CCC-HA", "suspended", "孙强"),
    ("CQC26001200341", "LED 平板灯 PL-600x600-36W", "CQC-LT", "valid", "吴刚"),
    ("CQC26001200342", "LED 筒灯 DL-6W-4000K", "CQC-LT", "valid", "吴刚"),
    # a certificate with no lead: uncovered on the director's dashboard.
    ("CQC26001200343", "LED 投光灯 FL-100W", "LT", "valid", ""),
)


def _lead_id_number(body: CertificationBody, name: str) -> str:
    if not name:
        return ""
    lead = LeadAppointment.objects.select_related("staff__person").get(
        body=body, staff__person__name=name, state="active"
    )
    return lead.staff.person.id_number


def seed_certificates(first: CertificationBody, second: CertificationBody) -> None:
    """Idempotent: a body that holds certificates is left as it is."""
    if not Certificate.objects.filter(body=first).exists():
        director = User.objects.get(username="director")
        rows = [
            {
                "row": index,
                "number": number,
                "product": product,
                "project": code,
                "state": state,
                "lead": _lead_id_number(first, lead),
            }
            for index, (number, product, code, state, lead) in enumerate(FIRST_ROWS, start=2)
        ]
        certificates_import(body=first, rows=rows, actor=director, dry_run=False)
    if not Certificate.objects.filter(body=second).exists():
        admin = User.objects.get(username="body.admin.east")
        category = bodies.product_category_create(
            body=second, actor=admin, code="EL", name="电线电缆"
        )
        certificates_import(
            body=second,
            rows=[
                {
                    "row": 2,
                    "number": "CCC2025010105000021",
                    "product": "聚氯乙烯绝缘电缆 BV-450/750V",
                    "project": category.code,
                    "state": "expired",
                    "lead": "",
                }
            ],
            actor=admin,
            dry_run=False,
        )
