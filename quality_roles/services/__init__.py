"""Every write of the quality roles, one module per part: the body's governance, staff and
catalogue (``bodies``), the two key roles' appointments (``appointments``) and the filings
with the regulator (``filings``).

Each service is keyword-only with an explicit ``actor``, atomic, locks the rows it changes
(the body's row first, so two steps on one body wait for each other), checks who acts and
the rules itself, and says in words which rule refused it.
"""
