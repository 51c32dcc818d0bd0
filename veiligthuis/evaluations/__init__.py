"""Anonymous participant evaluations: rounds, one-time codes, answering on her own phone, results.

Decisions worth knowing before changing anything here:

- Plain codes never reach the database. ``service.open_round``/``add_codes`` return them, the
  view shows them once on the page answering the facilitator's POST, and that page posts them
  back for the slips PDF or the projector page (the server checks each against the round's
  hashes). A lost code is replaced by making new codes, never recovered.
- No code in any address: she POSTs it to ``/e`` (a QR slip's ``/e#CODE`` is posted by
  ``static/js/exit.js``); the form session then lives in her signed session cookie.
- A code is used up when she opens the questions, with one conditional UPDATE (rowcount must be
  1), so two phones opening one code get it once. Her answers come in a later request with a
  random nonce from her cookie (``FormUse``), never in the commit that marks the code, and every
  submission rewrites its round's answers in a random order (``answering``): no commit, row
  order, rowid, ctid or xmin ties answers to a code, to each other or to a moment.
- Answers carry no code, person, address, browser, language or time finer than the day, and a
  random id; responses are counted as ``FormUse`` rows plus paper forms. The Pearlin Mastery
  total (7-28) is computed when she sends and stored as one more answer (``_pearlin_totaal``):
  without it the spread of totals could not be computed later, since nothing ties one person's
  answers together.
- Modules: ``codes`` (making and reading codes, guessing), ``rounds``, ``answering``,
  ``results``; ``service`` is the one import for views, other areas and tests. The
  participant's pages are ``participant_views``, the team's ``views``.
- The participant pages' own words live in ``texts.py`` (four languages side by side), not in
  Babel catalogs; the questions come from the group's pinned methodiek question sets.
"""
