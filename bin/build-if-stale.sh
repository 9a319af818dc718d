#!/usr/bin/env bash
# Sourced by bin/hub-local and bin/chaos: builds the launcher and what it runs (mvn package, tests and the
# formatting check skipped) when a jar is missing or a source is newer than the last build.
build_if_stale() {
  local root="$1" launcher_jar="$2"
  command -v mvn >/dev/null || die "mvn not found: install Maven 3.8 or later"
  mkdir -p "$root/.local"
  local stamp="$root/.local/build.stamp"
  local sources=("$root/pom.xml" "$root/schemas/pom.xml" "$root/schemas/src/main")
  local module
  for module in "$root"/services/*/; do
    [ -f "$module/pom.xml" ] && sources+=("$module/pom.xml")
    [ -d "$module/src/main" ] && sources+=("$module/src/main")
  done
  if [ ! -f "$launcher_jar" ] || [ ! -f "$stamp" ] || [ -n "$(find "${sources[@]}" -type f -newer "$stamp" -print -quit)" ]; then
    local log="$root/.local/build.log" started
    say "building the hub, the console, the demo partners and the launcher (mvn package, tests skipped; log: .local/build.log)…"
    started=$(date +%s)
    touch "$stamp.next" # sources changed during the build are newer than this, so built again next time
    if ! mvn -q -B -f "$root/pom.xml" package -Dmaven.test.skip=true -pl services/launcher -am > "$log" 2>&1; then
      sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -v '^\s*$' | tail -n 40 >&2
      die "the build failed (above, and in .local/build.log)"
    fi
    mv "$stamp.next" "$stamp"
    say "built in $(( $(date +%s) - started )) s"
  fi
}
