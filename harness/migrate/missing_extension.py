"""A `create extension` the local platform cannot satisfy, said as what it is and how to get past it.

PostgreSQL reports a missing extension as a file it could not open ("could not open extension
control file ...", 15) or as "extension ... is not available" (16+), and a missing library or
version in other words again. Hosted Supabase has these extensions, so the migration is not wrong:
the local platform lacks them. The finding names the extension, says why no stand-in replaces it
where that is known, and names the way out (`--engine docker`, `--db-url`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WAY_OUT = (
    "run against Supabase's own image with `--engine docker`, or against a running Supabase database "
    "with `--db-url` (for example `supabase start`'s)"
)

# Why no registry package or stand-in serves these locally (hosted Supabase offers every one of them).
REASONS = {
    "vector": "its vector types come with their own index access methods (hnsw, ivfflat) in a C library",
    "timescaledb": "hypertables need its server library preloaded and its background workers",
    "postgis": "its geometry types and index support are a C library, packaged here only for PostgreSQL 15",
    "postgis_raster": "PostGIS's C library is packaged here only for PostgreSQL 15",
    "postgis_topology": "PostGIS's C library is packaged here only for PostgreSQL 15",
    "postgis_sfcgal": "PostGIS's C library is packaged here only for PostgreSQL 15",
    "postgis_tiger_geocoder": "PostGIS's C library is packaged here only for PostgreSQL 15",
    "address_standardizer": "PostGIS's C library is packaged here only for PostgreSQL 15",
    "address_standardizer_data_us": "PostGIS's C library is packaged here only for PostgreSQL 15",
    "pgrouting": "its routing functions are a C++ library over PostGIS",
    "hypopg": "its hypothetical indexes live inside the planner (a C library), packaged here only for PostgreSQL 15",
    "index_advisor": "it needs hypopg, packaged here only for PostgreSQL 15",
    "pg_stat_monitor": "it must be preloaded at server start (shared_preload_libraries)",
    "pgaudit": "it must be preloaded at server start (shared_preload_libraries)",
    "wrappers": "its foreign data wrappers are a Rust library that talks to outside services",
    "pg_jsonschema": "it is a Rust library with no package for this server",
    "pg_hashids": "it is a C library with no package for this server",
    "pgroonga": "its full-text index access method is a C library with no package for this server",
    "pgroonga_database": "it belongs to PGroonga, a C library with no package for this server",
    "plv8": "it embeds the V8 JavaScript engine",
    "plcoffee": "it embeds the V8 JavaScript engine",
    "plls": "it embeds the V8 JavaScript engine",
    "pljava": "it embeds a Java virtual machine",
    "rum": "its index access method is a C library with no package for this server",
    "pg_repack": "it is a C library with no package for this server",
    "orioledb": "it is a storage engine built into a patched PostgreSQL",
}

_PATTERNS = (
    re.compile(r'could not open extension control file "[^"]*/([^/"]+)\.control"'),
    re.compile(r'extension "([^"]+)" is not available'),
    re.compile(r'could not access file "\$libdir/([^"]+)"'),
    re.compile(r'could not load library "[^"]*/([^/"]+?)(?:\.so)?"'),
)
_VERSION = re.compile(r'extension "([^"]+)" has no installation script nor update path for version "([^"]+)"')


@dataclass(frozen=True)
class MissingExtension:
    name: str
    version: str | None = None

    def message(self, original: str) -> str:
        what = f'extension "{self.name}"' + (f' version "{self.version}"' if self.version else "")
        reason = REASONS.get(self.name)
        why = f" ({reason})" if reason else ""
        return (
            f"{what} is not available on the local platform: hosted Supabase has it, this machine does not{why}; "
            f"{WAY_OUT}. PostgreSQL said: {original}"
        )


def missing_extension(message: str, detail: str | None = None) -> MissingExtension | None:
    """The extension an error says is missing from this server, if that is what it says."""
    for text in (message, detail or ""):
        versioned = _VERSION.search(text)
        if versioned:
            return MissingExtension(versioned.group(1), versioned.group(2))
        for pattern in _PATTERNS:
            found = pattern.search(text)
            if found:
                return MissingExtension(found.group(1))
    return None
