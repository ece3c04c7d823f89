-- Who and where the catalog queries run: the search_path (names on it are printed without their
-- schema, so the local side reads its catalog under the same one), the server version, the role,
-- and whether the transaction is read-only (the proof that `read_only` was honoured).
select current_setting('search_path') as search_path,
       current_setting('server_version') as server_version,
       current_setting('server_version_num') as server_version_num,
       current_user::text as role,
       current_setting('transaction_read_only') as read_only
