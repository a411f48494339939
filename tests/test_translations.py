"""The Chinese catalogue is complete: nothing untranslated, nothing fuzzy, placeholders kept.

The interface speaks Simplified Chinese first (LANGUAGE_CODE = "zh-hans"), so a string that
`makemessages` extracted but nobody translated shows up in English on a Chinese page, and a
fuzzy guess (gettext's nearest old match) is left out of the compiled catalogue altogether.
polib is not a dependency of the project, so the .po file is read with the small parser below.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"

#: A named placeholder: %(name)s, %(count)d ...
NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcou]")
#: A positional one: %s, %d ... (not %% and not a named one).
POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcou]")
#: A template variable kept in a blocktranslate: {{ name }}.
BRACES = re.compile(r"\{\{\s*\w+\s*\}\}")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file (gettext separates them with blank lines)."""
    entries = []
    text = path.read_text(encoding="utf-8")
    offset = 1
    for block in re.split(r"\n[ \t]*\n", text):
        lines = block.splitlines()
        entry = Entry(line=offset + next((i for i, row in enumerate(lines) if row.strip()), 0))
        offset += block.count("\n") + 2
        key = None
        for raw in lines:
            line = raw.strip()
            if not line:
                continue
            if line.startswith("#~"):
                entry.obsolete = True
                line = line[2:].strip()
                if not line or line.startswith("#"):
                    continue
            elif line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
                continue
            elif line.startswith("#"):
                continue
            if line.startswith('"'):
                value = _unquote(line)
            else:
                word, _, rest = line.partition(" ")
                value = _unquote(rest)
                if word == "msgctxt":
                    key, entry.msgctxt = "msgctxt", ""
                elif word in ("msgid", "msgid_plural"):
                    key = word
                    setattr(entry, word, "")
                elif word.startswith("msgstr"):
                    key = int(word[7:-1]) if word.startswith("msgstr[") else 0
                    entry.msgstr[key] = ""
                else:
                    raise ValueError(f"{path}:{entry.line}: cannot read {raw!r}")
            if key is None:
                raise ValueError(f"{path}:{entry.line}: text outside an entry: {raw!r}")
            if isinstance(key, int):
                entry.msgstr[key] += value
            else:
                setattr(entry, key, getattr(entry, key) + value)
        if entry.msgstr or entry.msgid:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    parsed = [e for e in parse_po(CATALOGUE) if not e.obsolete]
    header = [e for e in parsed if e.msgid == "" and e.msgctxt is None]
    assert len(header) == 1, "the catalogue has exactly one header"
    assert "nplurals=1" in header[0].msgstr[0], "Chinese has one plural form"
    return [e for e in parsed if e is not header[0]]


def test_the_parser_reads_the_whole_catalogue(entries):
    assert len(entries) > 100
    ids = {e.msgid for e in entries}
    assert "Sign in" in ids and "Liaison officers" in ids


def test_no_entry_is_untranslated(entries):
    untranslated = [e.label for e in entries if not e.msgstr or not all(e.msgstr.values())]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"


def test_no_entry_is_fuzzy(entries):
    fuzzy = [e.label for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy (check, then remove the flag): {fuzzy[:20]}"


def test_plural_entries_have_the_one_chinese_form(entries):
    for e in entries:
        if e.msgid_plural is not None:
            assert set(e.msgstr) == {0}, e.label


def _expected(e: Entry, pattern: re.Pattern) -> set[str]:
    # With one plural form, msgstr[0] stands for every count: it follows msgid_plural
    # (the singular may spell the number out, "One field ...").
    source = e.msgid_plural if e.msgid_plural is not None else e.msgid
    return set(pattern.findall(source))


def test_every_translation_keeps_the_named_placeholders(entries):
    wrong = []
    for e in entries:
        expected = _expected(e, NAMED)
        for index, text in e.msgstr.items():
            if set(NAMED.findall(text)) != expected:
                wrong.append(f"{e.label} [{index}]: {sorted(expected)} ≠ {text!r}")
    assert not wrong, "\n".join(wrong)


def test_every_translation_keeps_positional_placeholders_and_template_variables(entries):
    wrong = []
    for e in entries:
        source = e.msgid_plural if e.msgid_plural is not None else e.msgid
        for index, text in e.msgstr.items():
            if sorted(POSITIONAL.findall(text)) != sorted(POSITIONAL.findall(source)):
                wrong.append(f"{e.label} [{index}]: positional placeholders differ")
            if {re.sub(r"\s", "", v) for v in BRACES.findall(text)} != {
                re.sub(r"\s", "", v) for v in BRACES.findall(source)
            }:
                wrong.append(f"{e.label} [{index}]: template variables differ")
    assert not wrong, "\n".join(wrong)


def test_rule_ids_and_form_codes_are_kept(entries):
    """L-01, P-03, A-01 ... and CQC/10 管理 01.03 are cited, never translated."""
    codes = re.compile(r"\b[LPAQ]-\d{2}\b|CQC/\d{2} 管理 \d+(?:\.\d+)*(?:\(\d+\))?")
    wrong = [
        e.label
        for e in entries
        for text in e.msgstr.values()
        if not set(codes.findall(e.msgid)) <= set(codes.findall(text))
    ]
    assert not wrong, wrong


def test_the_parser_sees_fuzzy_and_empty_entries(tmp_path):
    sample = tmp_path / "django.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\n#| msgid "old %(x)s"\nmsgid "new %(x)s"\n'
        'msgstr "旧 %(x)s"\n\n'
        'msgid ""\n"Long "\n"text"\nmsgstr ""\n\n'
        'msgid "%(n)s row"\nmsgid_plural "%(n)s rows"\nmsgstr[0] "%(n)s 行"\n\n'
        '#~ msgid "gone"\n#~ msgstr "没了"\n',
        encoding="utf-8",
    )
    parsed = parse_po(sample)
    by_id = {e.msgid: e for e in parsed}
    assert "fuzzy" in by_id["new %(x)s"].flags
    assert by_id["Long text"].msgstr == {0: ""}
    assert by_id["%(n)s row"].msgid_plural == "%(n)s rows"
    assert by_id["%(n)s row"].msgstr == {0: "%(n)s 行"}
    assert [e.obsolete for e in parsed if e.msgid == "gone"] == [True]


def test_the_compiled_catalogue_is_the_one_django_uses(entries):
    """Pages really speak Chinese: Django's gettext answers with this catalogue's msgstr.

    Fails when locale/ was not compiled after the .po changed: run `make messages`.
    """
    stale = []
    with translation.override("zh-hans"):
        for e in entries:
            if e.msgctxt is None and e.msgid_plural is None:
                if translation.gettext(e.msgid) != e.msgstr[0]:
                    stale.append(e.label)
    assert not stale, f"{len(stale)} differ from the compiled .mo (make messages): {stale[:10]}"


def test_a_persons_name_is_xingming_and_an_organisations_mingcheng():
    # A person's 姓名 and an organisation's 名称 are one English word, told apart by context.
    from django.utils import translation

    from directory.models import Person, TestingLab

    with translation.override("zh-hans"):
        assert str(Person._meta.get_field("name").verbose_name) == "姓名"
        assert str(TestingLab._meta.get_field("name").verbose_name) == "名称"
