-- The world's objects, as the storage API writes them on upload (the uploader in owner and
-- owner_id). %(objects)s: a JSON array of {bucket, name, owner}. Returns the objects' ids.
insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version)
select o ->> 'bucket', o ->> 'name', (o ->> 'owner')::uuid, o ->> 'owner',
       jsonb_build_object('mimetype', 'application/pdf', 'size', 1024), 'harness-audit'
from jsonb_array_elements(%(objects)s::jsonb) as o
returning id::text, bucket_id, name
