#!/usr/bin/env bash
# Runs the whole test suite the way CI does: installs the real tools the tests use (Debian packages),
# starts a throw-away PostgreSQL 15 on loopback, runs `dotnet test`, and prints "N passed, N failed, N skipped".
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Storage]
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)

packages=(tshark nfdump softflowd tcpdump openssh-server openssh-client python3-aiosmtpd iproute2 curl chromium libreoffice-calc fonts-dejavu-core
  samba samba-ad-dc samba-ad-provision winbind ldb-tools openssl)

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: not root, cannot install ${missing[*]}; tests that need them will skip (or fail under CI=true)." >&2
    return 0
  fi
  echo "test.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "test.sh: apt-get install failed" >&2
}

pg_dir=""
pg_bin=/usr/lib/postgresql/15/bin
start_postgres() {
  [ -n "${REPORTJOB_TEST_POSTGRES:-}" ] && return 0
  [ -x "$pg_bin/initdb" ] || { echo "test.sh: no PostgreSQL 15 binaries; PostgreSQL tests will skip" >&2; return 0; }
  local port=${REPORTJOB_TEST_PG_PORT:-55432}
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/reportjob-pg.XXXXXX")
  local run=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$pg_dir"; run=(runuser -u postgres --); fi
  "${run[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust --no-sync >/dev/null || { echo "test.sh: initdb failed" >&2; return 0; }
  "${run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -o "-k $pg_dir -h 127.0.0.1 -p $port -c fsync=off -c max_connections=200" start >/dev/null \
    || { echo "test.sh: PostgreSQL did not start:" >&2; cat "$pg_dir/log" >&2; return 0; }
  export REPORTJOB_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=false"
  echo "test.sh: PostgreSQL 15 on 127.0.0.1:$port" >&2
}

stop_postgres() {
  [ -n "$pg_dir" ] || return 0
  local run=()
  [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT

# Real PowerShell, the oracle for the routine's CSV files (a .NET tool; later versions than 7.6.10 fail to install here).
install_pwsh() {
  local dir="$root/.tools/pwsh-7.6.10"
  if [ ! -x "$dir/pwsh" ]; then
    dotnet tool install --tool-path "$dir" PowerShell --version 7.6.10 >/dev/null \
      || { echo "test.sh: PowerShell 7.6.10 did not install; its tests will skip (or fail under CI=true)" >&2; return 0; }
  fi
  export PATH="$dir:$PATH"
}

install_packages
install_pwsh
start_postgres

results="$root/TestResults"
rm -rf "$results"
dotnet test ReportJob.sln --nologo -c Release --logger "trx;LogFileName=tests.trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0
trx="$results/tests.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(get total); executed=$(get executed); passed=$(get passed); failed=$(get failed)
  errors=$(get error); timeouts=$(get timeout); aborted=$(get aborted)
  failed=$(( ${failed:-0} + ${errors:-0} + ${timeouts:-0} + ${aborted:-0} ))
  skipped=$(( ${total:-0} - ${executed:-0} ))
fi
if [ $status -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # build failure or crashed test host
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
