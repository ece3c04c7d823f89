-- Avatars: one folder per user, as the Supabase storage guide shows.
insert into storage.buckets (id, name, public) values ('avatars', 'avatars', false);

create policy "users read their avatars" on storage.objects for select to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "users upload their avatars" on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
