#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the postgres tests and benchmarks (docs/postgresql.md).
#
#   scripts/pg-cluster.sh start DIR   initdb in DIR, start it, create the caseflow database and roles;
#                                     prints the application's address
#   scripts/pg-cluster.sh stop DIR    stops the cluster whatever its state and removes DIR (idempotent)
#   scripts/pg-cluster.sh url DIR [app|owner]   the address for the application role (default) or
#                                     for the owner role that runs migrations
#
# What must stay true:
#  - the server listens on a Unix socket in DIR only (listen_addresses is empty: no TCP at all), and
#    the socket and DIR are readable by the cluster's user alone (and root), so trust
#    authentication on that socket lets in no one else;
#  - fsync, synchronous_commit and full_page_writes are on: durability is what the tests test;
#  - PostgreSQL refuses to run as root, so under root (CI) the cluster runs as the system user
#    caseflow-pg (created here if missing); a normal user runs it as themselves;
#  - caseflow_app, the role the application connects as, is neither superuser nor owner: it gets
#    only the privileges the schema grants it (SELECT and INSERT on events, never UPDATE or DELETE);
#    caseflow_owner owns the database and runs migrations; caseflow_super is the bootstrap superuser;
#  - stop removes only a directory that this script made (it holds the marker file below).
# CASEFLOW_PG_BINDIR names the directory of initdb/pg_ctl/postgres if they are not the newest under
# /usr/lib/postgresql nor on PATH.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR | stop DIR | url DIR [app|owner]" >&2
  exit 2
}
(($# >= 2)) || usage
command=$1
dir=$2
marker=.caseflow-pg-cluster
database=caseflow
superuser=caseflow_super
owner_role=caseflow_owner
app_role=caseflow_app
system_user=caseflow-pg

# The socket's path goes into a URL and into sun_path (107 bytes): keep DIR plain and short.
[[ $dir == /* ]] || { echo "pg-cluster: DIR must be an absolute path, not '$dir'" >&2; exit 2; }
[[ $dir =~ ^[A-Za-z0-9._/-]+$ ]] || { echo "pg-cluster: DIR may hold only letters, digits and . _ / - ('$dir')" >&2; exit 2; }
dir=${dir%/}
socket="$dir/.s.PGSQL.5432"
((${#socket} <= 107)) || { echo "pg-cluster: DIR is too long for a Unix socket path ($socket)" >&2; exit 2; }

url() {
  local role=$1
  echo "postgresql:///$database?host=$dir&user=$role"
}

bindir() {
  if [[ -n ${CASEFLOW_PG_BINDIR:-} ]]; then
    echo "$CASEFLOW_PG_BINDIR"
    return
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [[ -n $newest && -x $newest/initdb ]]; then
    echo "$newest"
  elif command -v initdb >/dev/null; then
    dirname "$(command -v initdb)"
  else
    echo "pg-cluster: no PostgreSQL server binaries (initdb, pg_ctl): install the postgresql package" >&2
    exit 3
  fi
}

# Runs a command as the cluster's user.
as_cluster_user() {
  if ((EUID == 0)); then
    runuser -u "$system_user" -- "$@"
  else
    "$@"
  fi
}

postmaster_pid() {
  [[ -f $dir/data/postmaster.pid ]] && head -1 "$dir/data/postmaster.pid" || true
}

stop_cluster() {
  [[ -d $dir ]] || return 0
  if [[ ! -f $dir/$marker ]]; then
    echo "pg-cluster: $dir was not made by pg-cluster.sh; not touching it" >&2
    exit 2
  fi
  local pid
  pid=$(postmaster_pid)
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    # A fast shutdown rolls back open transactions and ends in a second; a server that does not
    # answer is killed, and its backends (children of the postmaster) with it.
    if ! as_cluster_user "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1; then
      echo "pg-cluster: the server did not stop within 20 s; killing postmaster $pid and its backends" >&2
      local children
      children=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
      kill -KILL "$pid" $children 2>/dev/null || true
    fi
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
}

start_cluster() {
  local bin
  bin=$(bindir)
  stop_cluster # a cluster left by an interrupted run is not reused: every start is fresh
  if ((EUID == 0)) && ! id "$system_user" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$system_user"
  fi
  mkdir -p "$dir"
  touch "$dir/$marker"
  chmod 700 "$dir"
  if ((EUID == 0)); then
    chown -R "$system_user:" "$dir"
    as_cluster_user test -w "$dir" ||
      { echo "pg-cluster: $system_user cannot reach $dir (a parent directory is closed to it)" >&2; exit 2; }
  fi
  as_cluster_user "$bin/initdb" -D "$dir/data" -U "$superuser" --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-instructions >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<CONF
# pg-cluster.sh: a socket in the cluster's directory only, durable commits.
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0700
fsync = on
synchronous_commit = on
full_page_writes = on
shared_buffers = 32MB
max_connections = 60
CONF
  if ! as_cluster_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null; then
    cat "$dir/postgres.log" >&2 || true
    exit 1
  fi
  as_cluster_user "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -U "$superuser" -d postgres <<SQL >/dev/null
CREATE ROLE $owner_role LOGIN NOSUPERUSER CREATEDB NOCREATEROLE;
CREATE ROLE $app_role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE $database OWNER $owner_role ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE $database FROM PUBLIC;
GRANT CONNECT ON DATABASE $database TO $app_role;
\connect $database
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO $app_role;
SQL
  url "$app_role"
}

case $command in
  start) start_cluster ;;
  stop) stop_cluster ;;
  url)
    case ${3:-app} in
      app) url "$app_role" ;;
      owner) url "$owner_role" ;;
      *) usage ;;
    esac
    ;;
  *) usage ;;
esac
