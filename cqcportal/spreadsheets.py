"""Cells that a spreadsheet program shows as text and never runs as a formula (issue 9).

Excel, LibreOffice and WPS treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(...)`` sends data away on a click, ``=cmd|...`` ran programs through
DDE), and a leading tab or carriage return is dropped on import before that test. Every
export of the portal passes each text cell through ``spreadsheet_cell``: one rule for CSV and
XLSX alike, as OWASP's "CSV injection" advises.
"""

#: What makes a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """``value``, with an apostrophe in front if it is text that starts like a formula.

    The apostrophe is the spreadsheet's own "this is text" mark: a reader sees the value with
    it in front, and no program runs it. Dates, numbers and ``None`` pass unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
