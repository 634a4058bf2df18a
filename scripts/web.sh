# shellcheck shell=bash
# The web app's toolchain for peerlog's scripts: sourced, not run.
#
#   web_ensure_node       find node and npm, or apt-get install them
#   web_ensure_chromium   find Debian's chromium, or apt-get install it
#   web_install           npm ci in web/ when package-lock.json changed
#   web_build             web_install, then the production build into web/dist
#                         when web/'s sources changed
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

# A digest of what the web build reads: every file of web/ but the
# installed packages, the build output, the browser tests and their output.
web_sources_sha() {
    (cd web && find . \( -path ./node_modules -o -path ./dist -o -path ./dist.next \
        -o -path ./tests -o -path ./screenshots -o -path ./test-results \
        -o -path ./playwright-report -o -path ./.gen-check \) -prune -o -type f -print0 |
        LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
}

# The production build, only when web/'s sources or lock file changed since
# the last one (as npm ci only when the lock file did). The build goes to
# web/dist.next and replaces web/dist only when its files differ, so an
# unchanged app keeps web/dist's file times and cargo does not embed it
# again (build.rs watches web/dist).
web_build() {
    web_install
    local stamp="web/node_modules/.peerlog-build-sha" want
    want="$(web_sources_sha)"
    if [ -f web/dist/index.html ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        web_log "web app unchanged since its last build (web/dist kept)"
        return 0
    fi
    web_log "building the web app into web/dist"
    rm -rf web/dist.next
    (cd web && npm run -s build -- --outDir dist.next --emptyOutDir)
    if [ -d web/dist ] && diff -rq web/dist web/dist.next >/dev/null; then
        rm -rf web/dist.next
    else
        rm -rf web/dist && mv web/dist.next web/dist
    fi
    echo "$want" >"$stamp"
}
