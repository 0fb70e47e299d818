#!/usr/bin/env bash
# The shipped deployment, for real (label deploy, docs/deployment.md): deploy/nginx/caseflow.conf
# in a throwaway nginx, with a self-signed certificate made here, in front of one `caseflow serve`
# configured by deploy/caseflow.properties, on a copy of the service tests' pilot database; both
# files changed only in their paths and ports. Over HTTPS, from another loopback address than
# nginx's (127.0.0.2, so that the client is not the proxy): the headers, a sign-in, a page, a
# read and an event; the access log names 127.0.0.2, never what the client forged in
# X-Forwarded-For; then caseflow stops on SIGTERM, and deploy/systemd/caseflow-backup.sh backs up
# and verifies twice, the second time against the head the first one noted.
# Usage: nginx-test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$(cd "$1" && pwd) build=$(cd "$2" && pwd)
caseflow=$build/caseflow
work=$(mktemp -d /tmp/caseflow-deploy.XXXXXX)
serve_pid= nginx_pid=
cleanup() {
  [[ -n $nginx_pid ]] && kill -TERM "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  [[ -n $serve_pid ]] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*" >&2
  for log in "$work"/nginx/error.log "$work"/serve.log; do [[ -f $log ]] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }; done
  exit 1
}
check() { # DESCRIPTION COMMAND...
  local what=$1
  shift
  "$@" || fail "$what"
  echo "ok: $what"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The database: the pilot situations, a coordinator with a password and an API token.
template=$(ls -d "$build"/tests/service-fixture/*/template.db 2>/dev/null | grep -v /building- | head -1 || true)
[[ -n $template ]] || fail "no service template database under $build/tests/service-fixture"
mkdir -p "$work/lib" "$work/log" "$work/backups" "$work/tls" "$work/nginx"
db=$work/lib/caseflow.db
cp "$template" "$db"
"$caseflow" user add "Marie Coordinator" --role coordinator --db "$db" >/dev/null
printf 'coordinator password\n' | "$caseflow" user password "Marie Coordinator" --lang fr --db "$db" >/dev/null
token=$("$caseflow" token issue "Marie Coordinator" --db "$db" 2>/dev/null)

# caseflow with the shipped settings, its paths moved here and any free port.
sed -e "s|127.0.0.1:8080|127.0.0.1:0|" -e "s|/var/lib/caseflow/|$work/lib/|" -e "s|/var/log/caseflow/|$work/log/|" \
  "$source_dir/deploy/caseflow.properties" >"$work/caseflow.properties"
CASEFLOW_DATA_DIR=$source_dir "$caseflow" serve --config "$work/caseflow.properties" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 300); do
  grep -q 'listening on' "$work/serve.log" && break
  kill -0 "$serve_pid" 2>/dev/null || fail "caseflow serve did not start"
  sleep 0.1
done
serve_port=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | cut -d: -f3)
[[ -n $serve_port ]] || fail "caseflow serve did not say where it listens"

# A self-signed certificate for the shipped server name.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=caseflow.example.org \
  -addext subjectAltName=DNS:caseflow.example.org -keyout "$work/tls/privkey.pem" -out "$work/tls/fullchain.pem" \
  2>/dev/null

# nginx with the shipped site, its paths and ports moved here.
https_port=$(free_port) http_port=$(free_port)
sed -e "s|listen 443 ssl|listen 127.0.0.1:$https_port ssl|" -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
  -e "s|server 127.0.0.1:8080 |server 127.0.0.1:$serve_port |" -e "s|/etc/ssl/caseflow/|$work/tls/|" \
  -e "s|/opt/caseflow/|$source_dir/|" "$source_dir/deploy/nginx/caseflow.conf" >"$work/nginx/caseflow.conf"
# Only those lines differ from the shipped file.
changed=$(diff "$source_dir/deploy/nginx/caseflow.conf" "$work/nginx/caseflow.conf" | grep -c '^>' || true)
check "the tested site differs from the shipped one in its 6 path and port lines only" test "$changed" -eq 6
user_line=
[[ $(id -u) -eq 0 ]] && user_line="user root;" # workers must read this temporary directory
cat >"$work/nginx/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 128; }
http {
  include /etc/nginx/mime.types;
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  include $work/nginx/caseflow.conf;
}
CONF
nginx -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" || fail "nginx -t refuses the site"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null --cacert "$work/tls/fullchain.pem" \
    --resolve "caseflow.example.org:$https_port:127.0.0.1" "https://caseflow.example.org:$https_port/health" && break
  kill -0 "$nginx_pid" 2>/dev/null || fail "nginx did not start"
  sleep 0.1
done

site=https://caseflow.example.org:$https_port
# Every request from 127.0.0.2, verifying the certificate, with a forged X-Forwarded-For.
fetch() { # OUTPUT_PREFIX ARGS... -> OUTPUT_PREFIX.head, OUTPUT_PREFIX.body; prints the status
  local out=$1
  shift
  curl -sS --interface 127.0.0.2 --cacert "$work/tls/fullchain.pem" \
    --resolve "caseflow.example.org:$https_port:127.0.0.1" -H 'X-Forwarded-For: 203.0.113.9' \
    -D "$out.head" -o "$out.body" -w '%{http_code}' "$@"
}
header() { grep -i "^$1:" "$2" | tr -d '\r' | cut -d' ' -f2-; }
count_header() { grep -ci "^$1:" "$2" || true; }

# Health, TLS and the headers every answer carries.
check "GET /health through nginx answers 200" test "$(fetch "$work/health" "$site/health")" = 200
check "HSTS is sent" test "$(header strict-transport-security "$work/health.head")" = "max-age=63072000; includeSubDomains"
check "nosniff is sent once" test "$(count_header x-content-type-options "$work/health.head")" = 1
check "X-Frame-Options DENY is sent" test "$(header x-frame-options "$work/health.head")" = DENY
check "nginx does not say its version" test -z "$(header server "$work/health.head" | grep -o '[0-9]' || true)"
check "TLS 1.2 is accepted" test "$(fetch "$work/tls12" --tls-max 1.2 "$site/health")" = 200
check "TLS 1.3 is accepted" test "$(fetch "$work/tls13" --tlsv1.3 "$site/health")" = 200
# The client lowers its own floor (OpenSSL 3 would not offer TLS 1.1 otherwise): the refusal is nginx's.
openssl s_client -connect "127.0.0.1:$https_port" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' \
  -servername caseflow.example.org </dev/null >"$work/tls11" 2>&1 || true
check "TLS 1.1 is refused by nginx" grep -q 'Cipher is (NONE)' "$work/tls11"
check "plain HTTP is sent to HTTPS" test "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' \
  "http://127.0.0.1:$http_port/caseload" -H 'Host: caseflow.example.org')" = "301 https://caseflow.example.org/caseload"
check "/metrics is refused to anyone but this machine's monitoring" test "$(fetch "$work/metrics" "$site/metrics")" = 403
check "a body larger than caseflow's 1 MiB is refused by nginx with 413" \
  test "$(head -c 1100000 /dev/zero | fetch "$work/large" -X POST --data-binary @- "$site/api/v1/situations")" = 413
check "the style sheet is served" test "$(fetch "$work/css" "$site/static/caseflow.css")" = 200
check "the style sheet is caseflow's own" cmp -s "$work/css.body" "$source_dir/templates/web/static/caseflow.css"
check "the style sheet carries HSTS too" test -n "$(header strict-transport-security "$work/css.head")"

# Signing in through the pages: the cookies are Secure and __Host- (TLS ended at nginx).
jar=$work/cookies
check "the sign-in page answers 200" test "$(fetch "$work/signin" -c "$jar" "$site/sign-in")" = 200
check "the sign-in page carries caseflow's CSP" test -n "$(header content-security-policy "$work/signin.head")"
check "the sign-in cookie is __Host- and Secure" grep -qi '^set-cookie: __Host-caseflow_signin=.*; Secure' "$work/signin.head"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$work/signin.body" | head -1 | cut -d'"' -f4)
check "signing in answers 303" test "$(fetch "$work/post" -b "$jar" -c "$jar" --data-urlencode "csrf=$csrf" \
  --data-urlencode "name=Marie Coordinator" --data-urlencode "password=coordinator password" \
  --data-urlencode "next=/caseload" "$site/sign-in")" = 303
check "the session cookie is __Host-, HttpOnly, SameSite=Strict and Secure" \
  grep -qi '^set-cookie: __Host-caseflow_session=.*; Path=/; HttpOnly; SameSite=Strict; Secure' "$work/post.head"
check "the caseload opens in that session" test "$(fetch "$work/caseload" -b "$jar" "$site/caseload")" = 200
check "the caseload is not to be stored" test "$(header cache-control "$work/caseload.head")" = no-store

# A read and an event through the API.
check "a read of situation 12 answers 200" \
  test "$(fetch "$work/read" -H "Authorization: Bearer $token" "$site/api/v1/situations/12")" = 200
check "the read is not to be stored" test "$(header cache-control "$work/read.head" | grep -o no-store)" = no-store
consent='<consent type="informed" given="true" date="2026-05-01" recordedBy="Deploy test">Through nginx.</consent>'
event=$(python3 -c 'import json,sys; print(json.dumps({"event": "consent.recorded", "data": sys.argv[1]}))' "$consent")
check "an event on situation 12 answers 200" test "$(fetch "$work/event" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' --data-binary "$event" "$site/api/v1/situations/12/events")" = 200

# caseflow stops on SIGTERM, cleanly, and its access log names the real client.
kill -TERM "$serve_pid"
code=0
wait "$serve_pid" || code=$?
serve_pid=
check "caseflow serve stops on SIGTERM with exit code 0" test "$code" -eq 0
check "caseflow serve says it stopped" grep -q 'caseflow: stopped' "$work/serve.log"
access=$work/log/access.log
remote_of() { python3 - "$access" "$1" "$2" <<'PY'
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1])]
print(" ".join(sorted({l["remote"] for l in lines if l["method"] == sys.argv[2] and l["path"] == sys.argv[3]})))
PY
}
check "the access log has the sign-in from 127.0.0.2" test "$(remote_of POST /sign-in)" = 127.0.0.2
check "the access log has the read from 127.0.0.2" test "$(remote_of GET /api/v1/situations/12)" = 127.0.0.2
check "the access log has the event from 127.0.0.2" test "$(remote_of POST /api/v1/situations/12/events)" = 127.0.0.2
check "the forged address is nowhere in the access log" bash -c "! grep -q 203.0.113.9 '$access'"

# The nightly backup, twice: the second proves the first one's head is still in the log.
backup() {
  CASEFLOW_BIN=$caseflow CASEFLOW_DB=$db CASEFLOW_BACKUP_DIR=$work/backups CASEFLOW_BACKUP_KEEP=1 \
    CASEFLOW_DATA_DIR=$source_dir bash "$source_dir/deploy/systemd/caseflow-backup.sh"
}
check "the first backup is taken and verified" backup
sleep 1
check "the second backup is verified against the first one's head" backup
check "both heads are noted" test "$(wc -l <"$work/backups/heads")" -eq 2
check "only the newest backup is kept (CASEFLOW_BACKUP_KEEP=1)" test "$(ls "$work/backups" | grep -c '\.db$')" -eq 1
check "the kept backup is a database caseflow verifies" "$caseflow" verify --db "$(ls -d "$work"/backups/*.db)"
# A head that is not in the log (another database's, or one cut off) fails the backup.
echo "19700101T000000Z forged.db 999999:$(printf '%064d' 0)" >>"$work/backups/heads"
if backup >"$work/forged-head.out" 2>&1; then fail "a backup whose log lacks the noted head passed"; fi
check "a backup whose log lacks the noted head fails, saying why" grep -q 'events were removed' "$work/forged-head.out"
check "the failed backup is named .failed" test "$(ls "$work/backups" | grep -c '\.failed$')" -eq 1
# The read log's head is noted beside the events' (the read of situation 12 above is in it), and a
# read head the log no longer holds (the newest reads removed, say) fails the backup too.
sed -i '$d' "$work/backups/heads"
read -r _ _ event_head read_head < <(tail -n 1 "$work/backups/heads")
live_reads=$("$caseflow" verify --db "$db" --json --lang en |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print(str(r["readHeadId"]) + ":" + r["readHeadHash"])')
check "the read log's head is noted with the events' head" test "$read_head" = "$live_reads"
echo "19700101T000000Z forged.db $event_head 999999:$(printf '%064d' 0)" >>"$work/backups/heads"
if backup >"$work/forged-read-head.out" 2>&1; then fail "a backup whose read log lacks the noted head passed"; fi
check "a backup whose read log lacks the noted head fails, saying why" \
  grep -q 'read records were removed' "$work/forged-read-head.out"
echo "deploy: nginx in front of caseflow, all checks passed"
