#!/bin/sh
# Make sure PostgreSQL's server, pgTAP, pg_prove, plpgsql_check, hypopg and PostGIS are installed.
# Quick when they are; installs them with apt as root; otherwise says what to install.
set -eu
major=${PG_MAJOR:-15}
packages=${APT_PACKAGES:-"postgresql-$major postgresql-$major-pgtap libtap-parser-sourcehandler-pgtap-perl postgresql-$major-plpgsql-check postgresql-$major-hypopg postgresql-$major-postgis-3"}
bindir=/usr/lib/postgresql/$major/bin
sharedir=/usr/share/postgresql/$major
if command -v pg_config >/dev/null 2>&1; then
  bindir=$(pg_config --bindir)
  sharedir=$(pg_config --sharedir)
fi

missing=""
[ -x "$bindir/initdb" ] && [ -x "$bindir/postgres" ] || missing="$missing postgresql-$major"
[ -f "$sharedir/extension/pgtap.control" ] || missing="$missing postgresql-$major-pgtap"
command -v pg_prove >/dev/null 2>&1 || missing="$missing libtap-parser-sourcehandler-pgtap-perl"
[ -f "$sharedir/extension/plpgsql_check.control" ] || missing="$missing postgresql-$major-plpgsql-check"
# Extensions hosted Supabase offers that Debian packages (the rest are stand-ins in harness/extensions).
[ -f "$sharedir/extension/hypopg.control" ] || missing="$missing postgresql-$major-hypopg"
[ -f "$sharedir/extension/postgis.control" ] || missing="$missing postgresql-$major-postgis-3"
command -v psql >/dev/null 2>&1 || missing="$missing postgresql-client-$major"

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $packages >/dev/null
  exit 0
fi

echo "missing:$missing"
echo "install them first, for example (Debian/Ubuntu, as root):"
echo "  apt-get update && apt-get install -y $packages"
echo "or, elsewhere, PostgreSQL $major with pgTAP, pg_prove (TAP::Parser::SourceHandler::pgTAP) and plpgsql_check."
exit 1
