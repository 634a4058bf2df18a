# shellcheck shell=bash
# The web app's toolchain for peerlog's scripts: sourced, not run.
#
#   web_ensure_node       find node and npm, or apt-get install them
#   web_ensure_chromium   find Debian's chromium, or apt-get install it
#   web_install           npm ci in web/ when package-lock.json changed
#   web_build             web_install, then the production build into web/dist
#
# Nothing is downloaded but packages from Debian and the npm registry.

web_log() { printf '[web] %s\n' "$*" >&2; }

web_apt_install() {
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

web_ensure_node() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        web_log "Node.js or npm not found; installing the nodejs and npm packages"
        web_apt_install nodejs npm
    fi
    local major
    major="$(node -p 'process.versions.node.split(".")[0]')"
    if [ "$major" -lt 20 ]; then
        web_log "Node.js $(node --version) is too old: the web app needs Node.js 20 or later"
        return 1
    fi
}

web_ensure_chromium() {
    if [ ! -x /usr/bin/chromium ]; then
        web_log "Chromium not found; installing Debian's chromium package"
        web_apt_install chromium
    fi
}

# `npm ci` only when the lock file changed since the last install, so a
# second run costs nothing.
npm_ci_in() {
    local dir="$1" stamp="$1/node_modules/.peerlog-lock-sha"
    local want
    want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        web_log "npm ci in $dir"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        echo "$want" >"$stamp"
    fi
}

web_install() {
    web_ensure_node
    npm_ci_in web
}

web_build() {
    web_install
    web_log "building the web app into web/dist"
    (cd web && npm run -s build)
}
