"""The SQL-text toolkit every check shares: finding migration files, positions in a text, the parser
front end, pglast node helpers, and the `-- harness:` directives written in SQL comments.

Nothing here knows about a rule or a database; lint, migrate, mutate and emit build on it.
"""
