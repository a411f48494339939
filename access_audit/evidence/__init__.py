"""What an enforcement run leaves behind (A-04, A-06): the revocation list for the business
system's operators, the run's evidence pack (a report in Chinese, the spreadsheets and a
SHA-256 manifest, stored with the run) and a notice to each affected lab.

``rows`` defines the run's withdrawals once; ``files`` and ``report`` write them; ``pack``
builds and verifies the pack; ``notices`` writes to the labs; ``receivers`` starts it all
when the deadline job announces a done run.
"""
