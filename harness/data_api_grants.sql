-- A project created today (hosted Supabase since 2026, `supabase start` unless
-- `[api] auto_expose_new_tables = true`): what `postgres` creates in `public` from now on is not
-- granted to the Data API roles until a migration grants it. The same three statements as the CLI's
-- RevokeDefaultDataApiPrivilegesSql; what they leave (TRUNCATE, REFERENCES, TRIGGER on tables,
-- UPDATE on sequences, EXECUTE through PUBLIC) stays granted, as there.
alter default privileges for role postgres in schema public
  revoke select, insert, update, delete on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke usage, select on sequences from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke execute on functions from anon, authenticated, service_role;
