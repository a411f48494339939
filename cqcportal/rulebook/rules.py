"""The rule book: every rule the portal enforces, in one machine-readable place.

Each rule has an id (cited in code and tests as ``L-07``, ``# rule L-07``), a short title,
the requirement in one sentence, where in the two source documents it comes from, the
capability (app) that carries it and whether that capability is built. ``docs/rules.md`` is
generated from this list together with the places that cite each id:
``python -m cqcportal.rulebook`` (``make rules``).

The source documents, in Chinese, cited below as:

- *notice 2011*: CQC's notice of 2011-05-26 on the qualification of certification liaison
  officers of contracted testing labs (关于加强认证联络员资质管理要求的通知), with
  *attachment 1* (认证联络员的管理要求及网络操作说明, management requirements, §1-§4),
  *attachment 2* (对检测机构登陆《CQC产品认证业务管理系统》人员要求的说明, the check of
  business-system logins, cases 1-5) and the *hiring-process explanation*
  (认证联络员聘用流程说明, parts 一-五).
- *2026 regulation*: the regulation on certification quality directors and certification
  project quality leads of product certification bodies (关于产品认证机构设立认证质量总监和
  认证项目质量负责人的管理规定, draft for approval, in force 2026-01-01), cited by article.

Where a document is silent, the rule is the portal's own choice, said so in ``source`` and
explained in docs/decisions.md.
"""

from dataclasses import dataclass

NOTICE = "notice 2011"
REGULATION = "2026 regulation"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    requirement: str
    source: str
    capability: str
    built: bool
    note: str = ""


PEOPLE = "people (directory)"
LIAISONS = "liaison hiring (liaisons)"
LOGIN_RIGHTS = "login rights (access_audit)"
CAMPAIGN = "login-right check campaign (access_audit)"
QUALITY = "quality roles (quality_roles)"

RULES: tuple[Rule, ...] = (
    # People -----------------------------------------------------------------------------
    Rule(
        "P-01",
        "One record per person, keyed by the ID number",
        "A person exists once, identified by an 18-digit resident ID number (身份证号) whose "
        "GB 11643 check digit is valid, and that number is the person's portal username.",
        f"{NOTICE}, hiring-process explanation, part 五 (the ID number as username) and "
        "part 三 item 1 (the ID number must be valid); the check digit is the portal's choice",
        PEOPLE,
        True,
    ),
    Rule(
        "P-02",
        "One employment number for life",
        "A person receives a single employment number (聘用号) at the first hire of any "
        "qualification type; it is never changed or given to anyone else.",
        f"{NOTICE}, hiring-process explanation, part 五, 特别提示",
        PEOPLE,
        True,
    ),
    Rule(
        "P-03",
        "Three tiers of personal data",
        "Contact details are the person's to edit at any time; name, political status, "
        "education and major are locked once submitted and change only on a request to the "
        "branch centre approved by the training centre; qualification data changes only "
        "through such a request from the lab or the person.",
        f"{NOTICE}, attachment 1, §4 (a)-(c); hiring-process explanation, part 五, reminders 1-3",
        PEOPLE,
        True,
    ),
    Rule(
        "P-04",
        "ID numbers and personal data are protected",
        "ID numbers and other personal information appear masked in lists and exports, in full "
        "only to those whose work needs them, and never in URLs, logs or e-mails.",
        "not in the documents: the Personal Information Protection Law "
        "(个人信息保护法), as the portal applies it",
        PEOPLE,
        True,
    ),
    # Liaison hiring ---------------------------------------------------------------------
    Rule(
        "L-01",
        "Eligibility of a liaison",
        "An applicant needs an associate degree (大专) or higher, at least one year of work "
        "experience and a passed entry training.",
        f"{NOTICE}, hiring-process explanation, part 一 item 2",
        LIAISONS,
        True,
    ),
    Rule(
        "L-02",
        "Five materials",
        "An application is complete only with the recommendation form (CQC/10 管理 01.03), the "
        "training assessment record (CQC/10 管理 01.02(09)), the hand-signed impartiality and "
        "confidentiality declaration (CQC/09 管理 01.01), a copy of the education certificate "
        "and a copy of the ID card.",
        f"{NOTICE}, hiring-process explanation, part 二 and part 三 item 3",
        LIAISONS,
        True,
    ),
    Rule(
        "L-03",
        "The recommendation form",
        "The lab recommends, the applicant fills in, the lab signs and stamps the "
        "recommendation form (推荐表); no entry may be left empty and the ID number and "
        "e-mail address must be valid.",
        f"{NOTICE}, hiring-process explanation, part 三 item 1",
        LIAISONS,
        True,
    ),
    Rule(
        "L-04",
        "The training assessment record",
        "The training assessment record lists CQC's three prescribed items and then one "
        "business-training entry for each field applied for, evaluated and signed by the "
        "lab's responsible person; a field without its entry leaves the application "
        "incomplete.",
        f"{NOTICE}, hiring-process explanation, part 三 item 2",
        LIAISONS,
        True,
    ),
    Rule(
        "L-05",
        "Fields applied for",
        "An application names the certification fields (认证领域) it is for, chosen from "
        "CQC's ten.",
        f"{NOTICE}, hiring-process explanation, part 四, first paragraph",
        LIAISONS,
        True,
    ),
    Rule(
        "L-06",
        "Coverage of the lab's business scope",
        "Together, a lab's active liaisons cover every field of its CQC business scope; a "
        "field left uncovered is shown to the lab and its branch centre, including when a "
        "suspension, revocation or departure opens it.",
        f"{NOTICE}, hiring-process explanation, part 四, second paragraph",
        LIAISONS,
        True,
    ),
    Rule(
        "L-07",
        "The hiring flow",
        "The lab prepares the application with the applicant, the branch centre checks the "
        "materials and returns or passes it, and the training centre hires or rejects; each "
        "step keeps who, when and a comment, and a return or rejection states its reason.",
        f"{NOTICE}, attachment 1, §1 (the flow chart) and hiring-process explanation, part 五; "
        "the record of each step is the portal's choice",
        LIAISONS,
        True,
    ),
    Rule(
        "L-08",
        "The applicant's account",
        "A first-time applicant's account is created by the branch centre when it accepts the "
        "materials, with the ID number as username and a set-password link by e-mail, never a "
        "password in clear; a person already holding a CQC qualification keeps their account.",
        f"{NOTICE}, hiring-process explanation, part 五; the set-password link instead of a "
        "mailed password is the portal's choice",
        LIAISONS,
        True,
    ),
    Rule(
        "L-09",
        "Entry training",
        "The training centre runs entry training (入门培训) face to face, remotely or as "
        "self-study, and a liaison must pass it before starting work.",
        f"{NOTICE}, attachment 1, §2",
        LIAISONS,
        True,
    ),
    Rule(
        "L-10",
        "Continuous evaluation",
        "Product departments, the factory inspection department, the general business "
        "department and branch centres evaluate the liaisons they work with; the training "
        "centre sees the evaluations per liaison and decides to keep, suspend or revoke the "
        "qualification.",
        f"{NOTICE}, attachment 1, §3 (quality control table CQC/10 管理 0101)",
        LIAISONS,
        True,
    ),
    Rule(
        "L-11",
        "The public roster",
        "The roster of hired liaisons (聘用名录) is public and searchable: name, employment "
        "number, lab, fields and state, never the ID number.",
        f"{NOTICE}, attachment 2, introduction and case 1",
        LIAISONS,
        True,
    ),
    Rule(
        "L-12",
        "A liaison who leaves",
        "When a liaison stops doing the job (transfer, retirement), the lab confirms it and "
        "the qualification is suspended or cancelled, together with the business-system "
        "login.",
        f"{NOTICE}, attachment 2, case 4",
        LIAISONS,
        True,
    ),
    Rule(
        "L-13",
        "Migration of legacy liaisons",
        "Liaisons hired on paper before the system must be hired again through it by "
        "2011-08-30; after that date an unmigrated legacy liaison no longer counts as hired.",
        f"{NOTICE}, item 第一",
        LIAISONS,
        True,
    ),
    # Login rights to the business system ------------------------------------------------
    Rule(
        "A-01",
        "Only qualified liaisons log in",
        "An active login right to the business system requires an active liaison "
        "qualification; a right whose holder loses the qualification is suspended at once, and "
        "comes back only through a request (A-02).",
        f"{NOTICE}, introduction (the liaison's definition, 《认证人员管理程序》 3.2.7); "
        "hiring-process explanation, part 一 item 1",
        LOGIN_RIGHTS,
        True,
    ),
    Rule(
        "A-02",
        "Applying for a login right",
        "The quality technology department receives applications for a login right and the "
        "general business department grants them; someone without a qualification is hired "
        "first (L-07) and applies afterwards.",
        f"{NOTICE}, attachment 2, cases 2 and 5",
        LOGIN_RIGHTS,
        True,
    ),
    Rule(
        "A-03",
        "The check campaign and its five cases",
        "A campaign checks every business-system account and every hired liaison and puts "
        "each person in one of five cases: qualified with a right, qualified without one, a "
        "right without a qualification, no longer in the job, or neither but needing access.",
        f"{NOTICE}, item 第二; attachment 2, cases 1-5",
        CAMPAIGN,
        True,
    ),
    Rule(
        "A-04",
        "The lab confirms its people by the deadline",
        "Each lab confirms its people in the campaign by 2011-12-30; afterwards an account "
        "its lab did not confirm, or a right without a qualification not put right, loses "
        "its login right.",
        f"{NOTICE}, item 第二; attachment 2, introduction and case 3",
        CAMPAIGN,
        True,
    ),
    Rule(
        "A-05",
        "Deadlines end at midnight, Beijing time",
        "A deadline named as a date ends at 24:00 China Standard Time (Asia/Shanghai) on that "
        "date.",
        f"{NOTICE}, items 第一 and 第二 name only the dates; the hour is the portal's reading",
        CAMPAIGN,
        True,
        note="Applied today to the L-13 migration deadline; the campaign's deadline (A-04) "
        "is not built yet.",
    ),
    Rule(
        "A-06",
        "Nothing is deleted",
        "A revoked login right stays on record with who or what revoked it, when and why, "
        "and can be granted again through an application (A-02).",
        f"not in the documents (they say 清理, clean up); the portal's choice, as a careful "
        f"regulator's system would keep the record ({NOTICE}, attachment 2)",
        CAMPAIGN,
        True,
    ),
    # Quality roles ----------------------------------------------------------------------
    Rule(
        "Q-01",
        "A director and project quality leads",
        "Every product certification body has one quality director (认证质量总监) and one or "
        "more project quality leads (认证项目质量负责人).",
        f"{REGULATION}, art. 2 and art. 8, first paragraph",
        QUALITY,
        True,
        note="The database holds one active director per body, and a new director takes over "
        "in one step; a body without a director or without leads is shown as such, not "
        "prevented (issue 13).",
    ),
    Rule(
        "Q-02",
        "Who may be director",
        "The director belongs to top management and is authorised by the legal representative "
        "or actual controller; the director may double as management representative or "
        "quality manager but may not be the legal representative.",
        f"{REGULATION}, art. 4, first paragraph",
        QUALITY,
        True,
    ),
    Rule(
        "Q-03",
        "Director's education and experience",
        "A director holds at least a bachelor's degree: with a postgraduate degree, 6 years of "
        "full-time work of which 4 professional (or an intermediate title, 中级职称); with a "
        "bachelor's, 8 years of which 6 professional (or such a title).",
        f"{REGULATION}, art. 4 (二)",
        QUALITY,
        True,
        note="Counted in calendar years with the helper of L-01; a refusal says what is missing "
        "and until when.",
    ),
    Rule(
        "Q-04",
        "Project quality lead's education and experience",
        "A project quality lead holds at least a bachelor's degree: with a postgraduate "
        "degree, 4 years of full-time work of which 2 professional (or an intermediate title); "
        "with a bachelor's, 6 years of which 4 professional (or such a title).",
        f"{REGULATION}, art. 8 (二)",
        QUALITY,
        True,
    ),
    Rule(
        "Q-05",
        "Every certificate has its lead",
        "Each product certificate the body issues has a project quality lead responsible for it.",
        f"{REGULATION}, art. 8, first paragraph; that a valid certificate needs a lead in "
        "office, and that ending a lead hands the certificates to a successor, is the portal's "
        "reading",
        QUALITY,
        True,
    ),
    Rule(
        "Q-06",
        "Filing the director",
        "The body files its director's details with the regulator and files any change "
        "within 30 days.",
        f"{REGULATION}, art. 4, last paragraph",
        QUALITY,
        True,
        note="The appointment is filed before the director takes office; a change of the "
        "filed details is due 30 days after it, and a daily job flags what is late. A change "
        "made outside the quality roles' screens is found by that job and dated the day found.",
    ),
    Rule(
        "Q-07",
        "Reporting major events",
        "After a major certification-quality problem, a major quality accident of a certified "
        "product or a major public-opinion event, the director reports to the regulator "
        "within 24 hours, and a lead who learns of one tells the director at once.",
        f"{REGULATION}, art. 5 (二), art. 9 (五) and art. 17 (二)-(四) (the definitions)",
        QUALITY,
        True,
    ),
    Rule(
        "Q-08",
        "The director's powers",
        "The director may spot-check any project and read its files, order rectification, "
        "pause a project, and suspend the body's certification activities or a certificate's "
        "use without approval from other managers.",
        f"{REGULATION}, art. 6 (二) and (三)",
        QUALITY,
        True,
    ),
    Rule(
        "Q-09",
        "Director and leads",
        "The director nominates and reviews the project quality leads and supervises their "
        "work; the leads answer to the director.",
        f"{REGULATION}, art. 5 (三), art. 6 (一) and art. 9, first paragraph",
        QUALITY,
        True,
    ),
    Rule(
        "Q-10",
        "Leads review external labs",
        "A project quality lead reviews and evaluates the external testing labs of the "
        "project and proposes pausing or ending a cooperation, which the director approves.",
        f"{REGULATION}, art. 9 (二)",
        QUALITY,
        True,
    ),
    Rule(
        "Q-11",
        "Advice rejected without reason",
        "When the body rejects the director's advice without good reason, the director counts "
        "as having done the duty, so the advice, the answer and their dates are recorded.",
        f"{REGULATION}, art. 14",
        QUALITY,
        True,
    ),
    Rule(
        "Q-12",
        "Accountability and protection",
        "Work permissions are suspended before a case is investigated; the measures run from "
        "warning to dismissal and pay deductions; no measure may be taken against a director "
        "or lead for doing their duty.",
        f"{REGULATION}, art. 15 and art. 16",
        QUALITY,
        True,
    ),
    Rule(
        "Q-13",
        "Assessment of directors",
        "The regulator assesses directors and publishes the results; a failed assessment "
        "obliges the body to rectify at once.",
        f"{REGULATION}, art. 11",
        QUALITY,
        True,
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
