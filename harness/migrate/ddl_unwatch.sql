drop event trigger if exists harness_ddl_watch_command_end;
drop event trigger if exists harness_ddl_watch_drop;
drop schema if exists harness_ddl_watch cascade;
