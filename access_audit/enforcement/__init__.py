"""The deadline job of the check campaign (L-13, A-04, A-05, A-06): what each deadline takes
away (``targets``), the run in batches (``run``, ``writes``) and the preview (``preview``)."""
