#!/usr/bin/env bash
# Boots the built service with no configuration at all (as `npm start` does on a fresh clone),
# checks /health, /docs and the console at /, and stops it.
set -euo pipefail
dir=$(mktemp -d)
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
root=$(pwd)
# exec: $! is then the service itself, so the trap stops it (not only the subshell).
( cd "$dir" && PORT=$port LOG_LEVEL=warn exec node "$root/dist/src/main.js" >"$dir/out.log" 2>&1 ) &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health"; echo
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/docs")
[ "$code" = 200 ] || { echo "/docs answered $code"; cat "$dir/out.log"; exit 1; }
curl -fsS "http://127.0.0.1:$port/docs-json" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const d=JSON.parse(s);if(!d.paths['/health'])process.exit(1);console.log('openapi ok:',Object.keys(d.paths).length,'paths')})"
curl -fsS "http://127.0.0.1:$port/" | grep -q '<div id="root"></div>' || { echo "the console is not served at /"; exit 1; }
curl -fsS "http://127.0.0.1:$port/admin/channels" | grep -q '<div id="root"></div>' || { echo "console deep links are not served"; exit 1; }
[ -f "$dir/data/reelay.sqlite" ] || { echo "no SQLite file in ./data"; exit 1; }
grep -q "password:" "$dir/out.log" || { echo "the generated admin password was not printed"; cat "$dir/out.log"; exit 1; }
echo "smoke ok"
