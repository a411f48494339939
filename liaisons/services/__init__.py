"""Every write of the liaison capability, one module per part of the liaison's life, as
``liaisons.models`` is: import each service from its module.

- ``preparation``: the lab prepares an application (start, update, training entries,
  materials); ``applicants``: what an application does to the person's record (P-01, P-03).
- ``applications``: its way on: submit, withdraw, accept, return, pass, reject (L-07).
- ``hiring``: the training centre's hire, of one applicant or several in one decision.
- ``qualifications``: a qualification's state afterwards, and the lab's confirmed departure.
- ``coverage``: the gaps in each lab's business scope (L-06).
- ``training``, ``evaluations``, ``changes``, ``legacy``, ``documents``, ``retention``.
- ``transitions``: ``transition_locked``, the one way every transition above is taken.
"""
