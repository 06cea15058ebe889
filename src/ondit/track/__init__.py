"""Across articles: what became of a claim, and how reliable its first reporter was.

Pure functions over plain views of reports (no database, no spaCy), so the
store, the CLI and the tests compute the same states and scores:

- :mod:`ondit.track.lifecycle`: the claim lifecycle of SPEC.md (rumoured,
  reported, confirmed, denied, disputed, abandoned, lapsed), each transition
  with its date and causing report, at any past date.
- :mod:`ondit.track.record`: the source track record of SPEC.md (who is
  credited with a claim, its outcome, the reliability score and its count).
"""
