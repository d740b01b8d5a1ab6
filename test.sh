#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, then runs every test.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests drive as real parts: calendar readers no one here wrote, and a real browser
# (Playwright drives Debian's chromium; its own browser download does not work here), a real CalDAV server, and
# PostgreSQL for the cluster profile (the tests run a private server with initdb; no system service is used).
# poppler-utils (pdfinfo, pdftotext) reads the day sheets Chromium prints to PDF; python3-aiosmtpd is the SMTP server the mail tests send to.
apt_packages=(python3-icalendar python3-feedparser khal vdirsyncer chromium radicale postgresql poppler-utils python3-aiosmtpd)
command -v npm >/dev/null || apt_packages+=(nodejs npm) # a NodeSource node already ships npm; Debian's would clash
need_apt=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Mozilla's ical.js, pinned by package-lock.json.
(cd Tests/Calendar/clients && npm ci --no-audit --no-fund --loglevel=error)

dotnet restore TourPlanner.sln
dotnet build TourPlanner.sln --no-restore -c Debug
log=$(mktemp)
set +e
dotnet test Tests/Tests.csproj --no-build -c Debug --logger "console;verbosity=minimal" --logger "trx;LogFileName=results.trx" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line that any CI reader understands.
summary=$(grep -E '(Passed|Failed)!' "$log" | tail -1)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary"); failed=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$summary")
skipped=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$summary")
rm -f "$log"
echo "Tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
