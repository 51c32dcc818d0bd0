"""Anonymous participant evaluations: rounds, one-time codes, answering on her own phone, results.

Decisions worth knowing before changing anything here:

- Plain codes never reach the database. ``service.open_round``/``add_codes`` return them, the
  view shows them once on the page answering the facilitator's POST, and that page posts them
  back for the slips PDF or the projector page (the server checks each against the round's
  hashes). A lost code is replaced by making new codes, never recovered.
- A code is used up with one conditional UPDATE (``is_used = false`` -> ``true``, rowcount must
  be 1) in the same transaction that stores the answers, so two phones sending one code store
  it once, on SQLite and on PostgreSQL alike.
- Answers carry no code, person, address, browser, language or time finer than the day, and a
  random id. The Pearlin Mastery total (7-28) is computed when she sends and stored as one more
  answer (``_pearlin_totaal``): without it the spread of totals could not be computed later,
  since nothing ties one person's answers together.
- The participant pages' own words live in ``texts.py`` (four languages side by side), not in
  Babel catalogs; the questions come from the group's pinned methodiek question sets.
"""
