"""Every write of the liaison capability, one module per part of the liaison's life, as
``liaisons.models`` is: import each service from its module.

- ``applications``: the application, prepared by the lab and checked by the branch centre
  (start, update, training entries, materials, submit, withdraw, accept, return, pass, reject);
  ``applicants``: what it does to the person's record (P-01, P-03).
- ``hiring``: the training centre's hire, of one applicant or several in one decision.
- ``qualifications``: a qualification's state afterwards, and the lab's confirmed departure.
- ``coverage``: the gaps in each lab's business scope (L-06).
- ``training``, ``evaluations``, ``changes``, ``legacy``, ``documents``, ``retention``.
"""
