#!/usr/bin/env bash
# Installs the real parts the tests run on, idempotently, into the git-ignored .tools folder:
#   pwsh 7.6.9 (dotnet global tool), code-server 4.100.3 (real VS Code 1.100.3 on Node 20).
# Debian packages (chromium, ripgrep, libkrb5-dev) are installed when running as root; otherwise
# their absence is reported with the command that fixes it.
# Usage: test/setup/tools.sh [pwsh] [code-server] [apt]   (no argument: all)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools"
want="${*:-apt pwsh code-server}"
PWSH_VERSION=7.6.9
CODE_SERVER_VERSION=4.100.3

log() { printf '[tools] %s\n' "$*" >&2; }

need_apt() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  command -v make >/dev/null 2>&1 || missing+=(make)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    log "missing Debian packages: ${missing[*]} — run: sudo apt-get install -y ${missing[*]}"
    return 1
  fi
}

need_pwsh() {
  if [ -x "$tools/pwsh/pwsh" ] && "$tools/pwsh/pwsh" -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null | grep -q "^$PWSH_VERSION"; then
    return 0
  fi
  command -v dotnet >/dev/null 2>&1 || { log "pwsh needs the .NET SDK (dotnet) to install: https://dot.net"; return 1; }
  log "installing pwsh $PWSH_VERSION into .tools/pwsh"
  rm -rf "$tools/pwsh"
  dotnet tool install --tool-path "$tools/pwsh" PowerShell --version "$PWSH_VERSION" >/dev/null
}

need_code_server() {
  local dir="$tools/code-server" cs
  cs="$dir/node_modules/code-server"
  if [ -f "$dir/.complete-$CODE_SERVER_VERSION" ]; then return 0; fi
  need_apt
  log "installing code-server $CODE_SERVER_VERSION into .tools/code-server (a few minutes)"
  export npm_config_unsafe_perm=true
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"code-server-tools","private":true}' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" --ignore-scripts >/dev/null
  (cd "$dir" && npm rebuild argon2 >/dev/null)
  (cd "$cs/lib/vscode" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  (cd "$cs/lib/vscode" && mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg)
  (cd "$cs/lib/vscode" && npm rebuild kerberos @parcel/watcher @vscode/spdlog native-watchdog >/dev/null)
  (cd "$cs/lib/vscode/node_modules/node-pty" && npx --yes node-gyp rebuild >/dev/null 2>&1) || log "node-pty did not build (terminals in code-server will not work; tests do not need them)"
  (cd "$cs/lib/vscode" && ln -sfn node_modules node_modules.asar)
  (cd "$cs/lib/vscode/bin/remote-cli" && ln -sfn code-linux.sh code-server)
  (cd "$cs/lib/vscode/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
  (cd "$cs/lib/vscode/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$dir/.complete-$CODE_SERVER_VERSION"
}

for w in $want; do
  case "$w" in
    apt) need_apt ;;
    pwsh) need_pwsh ;;
    code-server) need_code_server ;;
    *) log "unknown tool '$w'"; exit 2 ;;
  esac
done
