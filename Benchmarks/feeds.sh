#!/usr/bin/env bash
# Calendar feed throughput: the Gateway's GET /tours/{slug}/calendar.ics (300 confirmed public events) against nginx
# serving the same bytes as a static file, which is the ceiling for this machine. Both run on loopback only, with
# wrk for a bounded time on each of four paths: Gateway 200, Gateway 304 (If-None-Match), nginx 200, nginx 304.
# Needs: dotnet, curl, jq, nginx, wrk (apt-get install -y nginx wrk).
# Usage: Benchmarks/feeds.sh [--duration 15s] [--connections 50] [--threads 2] [--warmup 5s]
# Ports (environment): FEEDS_HTTP_PORT=5183 FEEDS_SILO_PORT=11193 FEEDS_ORLEANS_GATEWAY_PORT=30093 FEEDS_NGINX_PORT=8193
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

duration=15s; connections=50; threads=2; warmup=5s
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in dotnet curl jq nginx wrk; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y nginx wrk jq curl)" >&2; exit 2; }
done

http_port=${FEEDS_HTTP_PORT:-5183}
silo_port=${FEEDS_SILO_PORT:-11193}
orleans_gateway_port=${FEEDS_ORLEANS_GATEWAY_PORT:-30093}
nginx_port=${FEEDS_NGINX_PORT:-8193}
gateway="http://127.0.0.1:$http_port"
static="http://127.0.0.1:$nginx_port"
for port in "$http_port" "$silo_port" "$orleans_gateway_port" "$nginx_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port on 127.0.0.1 is in use" >&2; exit 2; fi
done

echo "== build (Release)"
dotnet build -c Release Gateway -v q -nologo >/dev/null

dir=$(mktemp -d)
www=$(mktemp -d)  # readable by nginx's unprivileged workers; $dir (0700) is not
chmod 755 "$www"
gateway_pid=""
nginx_pid=""
cleanup() {
  set +e
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  [[ -n "$gateway_pid" ]] && kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null
  rm -rf "$dir" "$www"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== start the Gateway on $gateway (fresh SQLite file, silo ports $silo_port/$orleans_gateway_port)"
# Content root = the build output, so Gateway's appsettings.json (and its log levels) apply, as in a deployment.
(cd Gateway/bin/Release/net10.0 && Storage__Provider=sqlite Storage__ConnectionString="Data Source=$dir/bench.db" Urls="$gateway" \
  Orleans__SiloPort="$silo_port" Orleans__GatewayPort="$orleans_gateway_port" exec dotnet Gateway.dll) >"$dir/gateway.log" 2>&1 &
gateway_pid=$!
for _ in $(seq 1 120); do curl -sf "$gateway/healthz" >/dev/null && break; sleep 0.5; done
curl -sf "$gateway/healthz" >/dev/null || { echo "Gateway did not start:" >&2; tail -20 "$dir/gateway.log" >&2; exit 1; }

post() { # post PATH TOKEN BODY -> response body; fails on a non-2xx status
  local auth=()
  [[ -n "$2" ]] && auth=(-H "authorization: Bearer $2")
  curl -sS --fail-with-body -X POST "$gateway$1" -H 'content-type: application/json' "${auth[@]}" -d "$3"
}

echo "== create a tour with 30 stops x 10 public events, all confirmed"
tour=$(post /api/tours "" '{
  "name": "Feed benchmark tour", "description": "30 stops, 10 public events each.",
  "timeZone": "America/New_York", "startDate": "2027-03-01", "endDate": "2027-03-31",
  "speakers": [{ "name": "Speaker", "homeCity": "Newark", "homeTimeZone": "America/New_York",
                 "homeLatitude": 40.7357, "homeLongitude": -74.1724 }],
  "rules": { "maxEventsPerDay": 20, "minRestMinutes": 0, "travelBufferMinutes": 0 } }')
tour_id=$(jq -r .id <<<"$tour")
slug=$(jq -r .slug <<<"$tour")
organizer=$(jq -r .organizerToken <<<"$tour")
for stop in $(seq 0 29); do
  city="Town $((stop + 1))"
  date=$(date -u -d "2027-03-01 + $stop days" +%F)
  host=$(post "/api/tours/$tour_id/hosts" "$organizer" "$(jq -n --arg city "$city" '{name: "Host group of \($city)", city: $city}')")
  host_token=$(jq -r .inviteToken <<<"$host")
  # Towns about 5.5 km apart along a meridian: every leg is a short drive.
  claim=$(jq -n --arg city "$city" --arg date "$date" --argjson lat "$(awk -v i="$stop" 'BEGIN { printf "%.4f", 40.0 + i * 0.05 }')" '{
      city: $city, country: "US", timeZone: "America/New_York", latitude: $lat, longitude: -74.5, dates: [$date],
      venue: { name: "Union hall, \($city)", address: "1 Main St, \($city)" },
      events: [range(10) as $k | {
        title: "Public meeting \($k + 1) in \($city): defend immigrant workers",
        start: "\($date)T\(if 8 + $k < 10 then "0" else "" end)\(8 + $k):00", durationMinutes: 45, public: true,
        description: "Meeting \($k + 1) of the day in \($city). Doors open 15 minutes before; bring friends, banners and flags." }] }')
  claim_id=$(post "/api/tours/$tour_id/claims" "$host_token" "$claim" | jq -r .claimId)
  post "/api/tours/$tour_id/claims/$claim_id/confirm" "$organizer" '{}' >/dev/null
done

echo "== fetch the feed once"
feed_url="$gateway/tours/$slug/calendar.ics"
curl -sS --fail -D "$dir/gateway.headers" -o "$www/calendar.ics" "$feed_url"
chmod 644 "$www/calendar.ics"
events=$(grep -c '^BEGIN:VEVENT' "$www/calendar.ics")
bytes=$(stat -c %s "$www/calendar.ics")
gateway_etag=$(awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }' "$dir/gateway.headers")
echo "feed: $events events, $bytes bytes, ETag $gateway_etag"
[[ "$events" == 300 ]] || { echo "expected 300 events in the feed" >&2; exit 1; }

echo "== start nginx on $static (same file, static)"
mkdir -p "$dir/nginx/logs"
cat >"$dir/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 1000000;  # Kestrel never closes a keep-alive connection after N requests; neither does this.
  client_body_temp_path $dir/nginx/client_body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  types { text/calendar ics; }
  charset utf-8;
  charset_types text/calendar;
  server {
    listen 127.0.0.1:$nginx_port;
    root $www;
    location = /calendar.ics { add_header Cache-Control "public, max-age=300"; }
  }
}
EOF
nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" -g 'daemon off;' 2>>"$dir/nginx/logs/error.log" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -sf -o /dev/null "$static/calendar.ics" && break; sleep 0.1; done
curl -sS --fail -D "$dir/nginx.headers" -o "$dir/nginx.body" "$static/calendar.ics"
cmp -s "$dir/nginx.body" "$www/calendar.ics" || { echo "nginx serves different bytes" >&2; exit 1; }
nginx_etag=$(awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }' "$dir/nginx.headers")
echo "nginx ETag $nginx_etag"

status_with() { curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $2" "$1"; }
[[ $(status_with "$feed_url" "$gateway_etag") == 304 ]] || { echo "Gateway did not answer 304 to its ETag" >&2; exit 1; }
[[ $(status_with "$static/calendar.ics" "$nginx_etag") == 304 ]] || { echo "nginx did not answer 304 to its ETag" >&2; exit 1; }

# wrk scripts that send If-None-Match with the server's own ETag on every request.
printf 'wrk.headers["If-None-Match"] = "%s"\n' "${gateway_etag//\"/\\\"}" >"$dir/gateway-304.lua"
printf 'wrk.headers["If-None-Match"] = "%s"\n' "${nginx_etag//\"/\\\"}" >"$dir/nginx-304.lua"

cpu_ticks() { # cpu_ticks PID: user + system clock ticks of a process and its children (nginx's workers)
  local total=0 p
  for p in "$1" $(ps -o pid= --ppid "$1"); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)

run() { # run NAME SERVER_PID URL [LUA]: warm-up, then the measured run; keeps wrk's output in $dir/NAME.txt
  local name=$1 server=$2 url=$3 script=() before
  [[ $# -ge 4 ]] && script=(-s "$4")
  wrk -t"$threads" -c"$connections" -d"$warmup" "${script[@]}" "$url" >/dev/null
  echo "-- $name: wrk -t$threads -c$connections -d$duration --latency ${script[*]} $url   (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  before=$(cpu_ticks "$server")
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "${script[@]}" "$url" | tee "$dir/$name.txt"
  echo "server_cpu_seconds $(awk -v t="$(( $(cpu_ticks "$server") - before ))" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')" | tee -a "$dir/$name.txt"
}
run gateway-200 "$gateway_pid" "$feed_url"
run gateway-304 "$gateway_pid" "$feed_url" "$dir/gateway-304.lua"
run nginx-200 "$nginx_pid" "$static/calendar.ics"
run nginx-304 "$nginx_pid" "$static/calendar.ics" "$dir/nginx-304.lua"
# For scale, not in the ratios: Kestrel's floor on this machine, a path no endpoint matches (404, no grain call).
run floor-404 "$gateway_pid" "$gateway/no-such-path"

rps() { awk '/^Requests\/sec:/ { print $2 }' "$dir/$1.txt"; }
pct() { awk -v p="$2%" '$1 == p { print $2 }' "$dir/$1.txt"; }
errors() { awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { for (i = 4; i <= NF; i += 2) n += $i } END { print n + 0 }' "$dir/$1.txt"; }
mbps() { awk '/^Transfer\/sec:/ { print $2 }' "$dir/$1.txt"; }
cpu_per_request() { # server CPU microseconds per request
  awk '/requests in/ { n = $1 } /^server_cpu_seconds/ { c = $2 } END { printf "%.0f", c * 1e6 / n }' "$dir/$1.txt"
}

echo
echo "== results: $events-event feed, $bytes bytes; wrk -t$threads -c$connections -d$duration on loopback; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| path | status | requests/s | p50 | p99 | transfer/s | server CPU µs/request | non-2xx/3xx + socket errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for name in gateway-200 gateway-304 nginx-200 nginx-304 floor-404; do
  label=${name%-*}; [[ $label == floor ]] && label="gateway, unrouted path (floor)"
  echo "| $label | ${name#*-} | $(rps "$name") | $(pct "$name" 50) | $(pct "$name" 99) | $(mbps "$name") | $(cpu_per_request "$name") | $(errors "$name") |"
done
echo
echo "Gateway log: $(wc -l <"$dir/gateway.log") lines during the whole run"
for code in 200 304; do
  awk -v g="$(rps "gateway-$code")" -v n="$(rps "nginx-$code")" -v c="$code" \
    'BEGIN { printf "Gateway/nginx, %s: %.3f (nginx is %.1fx faster)\n", c, g / n, n / g }'
done
