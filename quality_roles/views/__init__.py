"""Screens of the quality roles, a module per part: ``appointments`` (bodies, the director,
the leads, filings) ... Views only present: the selectors choose what a user sees (404 outside
it), the services decide and refuse with the rule named."""
