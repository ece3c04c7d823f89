"""Remote validation: a live Supabase project's catalog, read through the Management API, against
the catalog the project's migrations build locally (`harness audit --project-ref REF`).

The layers are kept apart so each is testable alone:

- `client`: the HTTP client of `POST /v1/projects/{ref}/database/query` (and the project's status);
  it maps every failure to a `RemoteError` with a message that says what to do.
- `guard` + `executor`: an executor runs one read-only catalog query that the harness ships as a
  `.sql` file, and refuses anything else before it is sent.
- `surface` + `drift`: what a catalog says about policies, RLS flags, grants and the functions
  policies call, and every difference between two of them as a `policy-drift` finding.
- `rules`: the catalog rules of `harness/catalog/rules/*.sql`, run through an executor.
- `command`: `run_remote_audit`, which puts them together.
"""
