"""ID numbers never reach a log line, through the REAL logging configuration (rule P-04,
issue 9): every spelling, in the message, its arguments, a traceback, and the access log's
query string."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from directory.idnumbers import looks_like_id_number, mask_id_numbers_in

ROOT = Path(__file__).resolve().parent.parent
NUMBER = "11010519850307006X"

#: The same number as people type it, and as browsers and proxies encode it.
SPELLINGS = [
    NUMBER,
    NUMBER.lower(),
    "110105 19850307 006X",
    "110105-1985-0307-006x",
    "11010519850307006",  # the 17-digit prefix
    "１１０１０５１９８５０３０７００６Ｘ",  # full-width
    "110105%2019850307%20006X",
    "110105+19850307+006x",
    "%EF%BC%91%EF%BC%91%EF%BC%90%EF%BC%91%EF%BC%90%EF%BC%95" + "19850307006X",
    "%31%31%30%31%30%35%31%39%38%35%30%33%30%37%30%30%36%58",
]

# The script runs in a fresh interpreter: django.setup() applies settings.LOGGING exactly as
# runserver, gunicorn and the Celery workers do, and everything printed goes to stderr.
SCRIPT = r"""
import logging, sys
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import IntegrityError
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.log import log_response

spellings = sys.argv[1:]
log = logging.getLogger("directory.services")
for spelling in spellings:
    log.warning("search for %s", spelling)
    log.warning("search for " + spelling)
    log.warning("payload %r", {"q": spelling})
    try:
        raise IntegrityError(
            'duplicate key value violates unique constraint "directory_person_id_number_key"\n'
            "DETAIL:  Key (id_number)=(" + spelling + ") already exists."
        )
    except IntegrityError:
        log.exception("could not save the person")
    request = RequestFactory().get("/directory/people/", {"q": spelling})
    try:
        raise ValueError("bad value " + spelling)
    except ValueError:
        log_response(
            "Internal Server Error: %s", request.get_full_path(),
            response=HttpResponse(status=500), request=request, exception=sys.exc_info()[1],
        )

    class Stub(WSGIRequestHandler):
        def __init__(self):
            self.request = None
        def log_date_time_string(self):
            return "04/Dec/2026 05:00:00"

    line = "GET /liaisons/roster/?name=" + spelling + " HTTP/1.1"
    Stub().log_message('"%s" %s %s', line, "200", "1234")
print("done")
"""


def _run(debug: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="cqcportal.settings.local", DJANGO_DEBUG=debug)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); exec(" + repr(SCRIPT) + ")"]
        + SPELLINGS,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


@pytest.mark.parametrize("debug", ["True", "False"])
def test_no_spelling_of_an_id_number_reaches_the_configured_log(debug):  # rule P-04, issue 9
    result = _run(debug)
    assert result.stdout.strip() == "done"
    log = result.stderr
    # Every line was written: the messages, the tracebacks, the error and the access lines.
    assert log.count("search for") == 2 * len(SPELLINGS)
    assert log.count("IntegrityError") >= len(SPELLINGS)
    assert log.count("Internal Server Error") == len(SPELLINGS)
    assert log.count("GET /liaisons/roster/?name=") == len(SPELLINGS)
    for spelling in SPELLINGS:
        assert spelling not in log
    for digits in ("19850307006", "１９８５０３０７", "19850307%20006", "%31%39%38%35"):
        assert digits not in log
    assert "110105********006X" in log
    # Django's own console handler (DEBUG) and mail_admins would print or mail unmasked.
    assert "Traceback" in log


def test_the_mask_leaves_other_numbers_alone():  # rule P-04, issue 9
    text = "order 12345678901234567890, phone 13800138000, employment 00001234, took 1.5 s"
    assert mask_id_numbers_in(text) == text


def test_id_number_like_search_terms_are_recognised():  # rule P-04, issue 9
    for spelling in [*SPELLINGS, "110105850307006", "1101051985030700"]:
        assert looks_like_id_number(spelling), spelling
    for term in ["张伟", "00001234", "13800138000", "北京电器", ""]:
        assert not looks_like_id_number(term), term


def test_the_decimals_of_a_fraction_are_not_taken_for_an_id_number():
    # rule P-04: a task's run time (0.0022000000001159 s) is not masked, an ID number is.
    from directory.idnumbers import mask_id_numbers_in

    assert mask_id_numbers_in("succeeded in 0.0022000000001159s") == (
        "succeeded in 0.0022000000001159s"
    )
    assert mask_id_numbers_in("v.110105199003071052") == "v.110105********1052"


#: What a copy from a chat or a document carries along (the sign-in and the search strip it),
#: and what Django's request log makes of a path: ``log_response`` escapes every non-ASCII
#: character (``\uff11``) before the mask sees the line.
INVISIBLE_AND_ESCAPED = [
    "110105198503070\u200b06X",
    "110105\u00ad19850307\u00ad006X",
    "1101051985\u200d0307006X",
    "110105198503070%E2%80%8B06X",
    "110105%C2%AD19850307006X",
    "１１０１０５１９８５０３０７００６Ｘ".encode("unicode_escape").decode("ascii"),
    "110105198503070\u200b06X".encode("unicode_escape").decode("ascii"),
    "110105\u300019850307\u3000006X".encode("unicode_escape").decode("ascii"),
]


@pytest.mark.parametrize("spelling", INVISIBLE_AND_ESCAPED)
def test_invisible_characters_and_escaped_paths_are_masked_too(spelling):
    # rule P-04, issue 9: GET /liaisons/roster/<full-width number>/ logged "Not Found:
    # /liaisons/roster/\uff11\uff11..." and a number with a zero-width space went out whole.
    masked = mask_id_numbers_in(f"Not Found: /liaisons/roster/{spelling}/")
    assert masked == "Not Found: /liaisons/roster/110105********006X/"
