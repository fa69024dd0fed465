#!/usr/bin/env bash
# Runs the test suite on another Node.js major, fetched from the npm registry
# (node-linux-<arch>@MAJOR ships the binary and the headers), beside the machine's own Node:
#   bash .ci/on-node.sh 24
# It works on a copy of the tree with its own node_modules (native modules — better-sqlite3,
# argon2 — compiled against that Node through npm_config_nodedir), so the machine's install is
# left as it is. Lint and build are not repeated (their output does not depend on the runtime);
# dist/ and web/dist/ are copied, and the service is smoke-booted on this Node before the suite runs.
# Needs MariaDB/Redis running and TEST_MYSQL_URL set (.ci/run does both).
set -euo pipefail
major=${1:?usage: on-node.sh MAJOR}
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${REELAY_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reelay-ci}
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "no Node.js package for $(uname -m)" >&2; exit 1 ;;
esac

log() { printf '\n== [node %s] %s\n' "$major" "$*"; }

# The newest release of that major, unpacked once into the cache and reused.
mkdir -p "$cache"
tarball=$(cd "$cache" && npm pack --silent "node-linux-$arch@$major" | tail -n 1)
node_home="$cache/${tarball%.tgz}"
if [ ! -x "$node_home/bin/node" ]; then
  rm -rf "$node_home.tmp" && mkdir -p "$node_home.tmp"
  tar -xzf "$cache/$tarball" -C "$node_home.tmp" --strip-components=1
  mv "$node_home.tmp" "$node_home"
fi
rm -f "$cache/$tarball"
[ -f "$node_home/include/node/node.h" ] || { echo "no headers in $node_home" >&2; exit 1; }
export PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home"
log "$(node --version) from $node_home"

work=$(mktemp -d "${TMPDIR:-/tmp}/reelay-node$major-XXXXXX")
trap 'rm -rf "$work"' EXIT
# The files a clone has (plus new, not yet committed ones when run by hand), and the build.
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$work"
cp -a "$root/dist" "$work/dist"
# The console bundle too (web/dist is ignored by git, built by `npm run build`): the smoke boot
# checks it is served at /, and the browser tests drive it.
cp -a "$root/web/dist" "$work/web/dist"
cd "$work"

log "npm ci"
npm ci --no-audit --no-fund 2>&1 | tee "$work/npm-ci.log"
if grep -q EBADENGINE "$work/npm-ci.log"; then
  echo "npm ci on Node $(node --version) printed EBADENGINE warnings: package.json engines promise this version" >&2
  exit 1
fi

log "smoke boot"
bash .ci/smoke-boot.sh

# What depends on the runtime is the native modules (better-sqlite3, argon2), Node's own APIs and
# the console's build tools: the console suite, the unit tests and every integration/e2e suite on
# SQLite exercise all of them. The MySQL half adds a pure-JavaScript driver on the same APIs and
# already ran on the machine's Node, so it is left out here to keep CI inside its time, as is the
# browser suite (3 of this pass's 7 minutes: Chromium driving the console, whose server side every
# other SQLite e2e suite and the smoke boot run on this Node, and which ran in full above);
# CI_NODE_SUITE=full runs `npm test` whole.
if [ "${CI_NODE_SUITE:-}" = full ]; then
  log "tests (SQLite, then MySQL at $TEST_MYSQL_URL)"
  npm test
else
  log "tests (console, unit, and every integration/e2e suite on SQLite but the browser's)"
  npm run test:web
  npx jest --selectProjects unit sqlite --testPathIgnorePatterns 'console-browser\.e2e-spec\.ts$'
  # How WORKERS share the port depends on the Node version (SO_REUSEPORT from 22.12; the cluster's
  # round robin before), and the workers run on MySQL only: that suite runs here on MySQL too.
  log "tests (WORKERS on MySQL)"
  npx jest --selectProjects mysql --testPathPatterns 'workers\.e2e-spec\.ts$'
fi
