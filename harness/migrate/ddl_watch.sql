-- The DDL watch: while the history is applied, every DDL command and every dropped object is
-- logged (in the same transaction as the migration that ran it), so the foreign-policy check reads
-- the policy surface of the tables a file touched instead of every table. Installed in the database
-- being migrated only, and removed (ddl_unwatch.sql) before anything else sees that database.
create schema harness_ddl_watch;
create table harness_ddl_watch.touched (classid oid not null, objid oid not null, tag text not null, table_oid oid);

create function harness_ddl_watch.on_command_end() returns event_trigger
language plpgsql security definer set search_path = pg_catalog
as $$
begin
  insert into harness_ddl_watch.touched (classid, objid, tag)
  select classid, objid, command_tag from pg_event_trigger_ddl_commands()
  where classid is not null;  -- GRANT names no single object
exception when others then
  -- The watch must never fail a migration: read every table after this file instead.
  insert into harness_ddl_watch.touched (classid, objid, tag) values (0, 0, 'RESCAN');
end
$$;

-- A dropped policy's table is found by name while the drop is under way (its oid is gone after).
create function harness_ddl_watch.on_drop() returns event_trigger
language plpgsql security definer set search_path = pg_catalog
as $$
begin
  insert into harness_ddl_watch.touched (classid, objid, tag, table_oid)
  select classid, objid, 'DROP ' || object_type,
         case when object_type = 'policy' and cardinality(address_names) >= 3
              then to_regclass(quote_ident(address_names[1]) || '.' || quote_ident(address_names[2]))::oid end
  from pg_event_trigger_dropped_objects();
exception when others then
  insert into harness_ddl_watch.touched (classid, objid, tag) values (0, 0, 'RESCAN');
end
$$;

create event trigger harness_ddl_watch_command_end on ddl_command_end execute function harness_ddl_watch.on_command_end();
create event trigger harness_ddl_watch_drop on sql_drop execute function harness_ddl_watch.on_drop();
-- `session_replication_role = replica` (common in dumps) must not silence the watch.
alter event trigger harness_ddl_watch_command_end enable always;
alter event trigger harness_ddl_watch_drop enable always;
