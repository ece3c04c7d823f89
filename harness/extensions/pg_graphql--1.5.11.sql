-- harness stand-in for pg_graphql 1.5.11: graphql.resolve() and graphql.comment_directive() with the
-- real signatures, so graphql_public.graphql() forwards as on hosted (Supabase's event trigger
-- rewires it when graphql.resolve is created). No GraphQL is executed: resolve() answers with a
-- GraphQL error that says so. The PostgREST/GraphQL API itself is not served locally.
\echo Use "CREATE EXTENSION pg_graphql" to load this file. \quit

create function graphql.resolve(
  query text, variables jsonb default '{}', "operationName" text default null, extensions jsonb default null
) returns jsonb
language sql stable
as $$
  select jsonb_build_object('data', null, 'errors', jsonb_build_array(jsonb_build_object(
    'message', 'graphql.resolve is a stand-in here: the harness does not execute GraphQL')))
$$;

create function graphql.comment_directive(comment_ text) returns jsonb
language sql immutable
as $$
  select case when comment_ ~ '^\s*@graphql\(' then
    substring(comment_ from '@graphql\((.*)\)')::jsonb end
$$;

create function graphql.exception(message text) returns text
language plpgsql
as $$
begin
  raise exception using errcode = '22000', message = message;
end
$$;
