#!/bin/sh
# Makes a fresh clone runnable: installs the npm dependencies when they are missing or stale (on linux-x64 they carry
# Node 24, which npm scripts then find first on PATH) and checks that the Node on PATH is new enough for Fabrik.
set -e
cd "$(dirname "$0")/.."
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "fabrik: installing npm dependencies (npm ci)…"
  # npm itself may still run on an older system Node, which makes it warn about engines; the check below is the real one.
  npm ci --no-audit --no-fund --loglevel=error
fi
node -e '
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`fabrik: Node ${process.versions.node} is too old; Fabrik needs Node 22.18 or newer (24 LTS recommended).`);
  console.error("On linux-x64 `npm ci` installs Node 24 from the npm registry; elsewhere install Node 24 yourself.");
  process.exit(1);
}'
# The web UI: built from ui/ into ui/dist (which the server serves) when missing or older than any of its sources.
if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/index.html ui/vite.config.ts ui/src package-lock.json -newer ui/dist/index.html -print 2>/dev/null | head -n 1)" ]; then
  echo "fabrik: building the web UI (vite build)…"
  node_modules/.bin/vite build --config ui/vite.config.ts --logLevel warn
fi
