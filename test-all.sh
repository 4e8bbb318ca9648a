#!/usr/bin/env bash
# Runs every test of the project: the whole build as the current user and, when that user is root,
# the same build again as an unprivileged user (nobody), from a copy that user can read. Around
# both, the host's mount table must stay exactly the same, nothing may be made, changed or removed
# in the system's directories, where tests could write by mistake, and no child JVM may be left
# behind.
set -euo pipefail
cd "$(dirname "$0")"

MVN=(mvn -B -ntp -Dstyle.color=never)
before=$(mktemp)
cat /proc/self/mountinfo > "$before"
# The fixtures mount below these, and a root test writing to a wrong path lands in one of them
# (the it suite checks its own part; this covers every module's tests and every program they
# start). What changes there after the start shows in its ctime, which a removal gives the
# directory it was in. Left out: where this build and the system's own services write meanwhile.
WATCHED=(/etc /usr /opt /srv /var /run /mnt /media /boot /home)
IGNORED=(/var/tmp /var/log /var/cache /var/spool /var/mail /var/lib/apt /var/lib/dpkg
  /var/lib/systemd /run/user /run/systemd "${TMPDIR:-/tmp}" "${HOME:-/nonexistent}" "$PWD")
changed() {
  local prune=()
  for path in "${IGNORED[@]}"; do
    prune+=(-path "$path" -o)
  done
  local existing=()
  for directory in "${WATCHED[@]}"; do
    [ -d "$directory" ] && existing+=("$directory")
  done
  find "${existing[@]}" -xdev \( "${prune[@]}" -false \) -prune -o -cnewer "$start" -print \
    2>/dev/null || true
}
start=$(mktemp)
root_entries=$(mktemp)
ls -A / > "$root_entries"
trap 'rm -f "$before" "$start" "$root_entries"' EXIT

# LoadTests runs 10 isolated tests in an ordinary build; here the full load, in the first run,
# with the nested Maven build of the sample project (reports, coverage) too.
LOAD_COUNT=${ISOLATEDMOUNTS_LOAD_COUNT:-200}

echo "== all tests as $(id -un) (uid $(id -u)), load: $LOAD_COUNT isolated tests twice, with a nested Maven build of the sample project"
"${MVN[@]}" -Pmaven-build verify -Dit.load.count="$LOAD_COUNT"

if [ "$(id -u)" = 0 ] && [ "${ISOLATEDMOUNTS_SKIP_UNPRIVILEGED:-}" != 1 ]; then
  # A non-root user cannot read root's home: give it its own copy of the sources and of the
  # Maven repository the first run filled, and run offline from those.
  unprivileged=$(mktemp -d /tmp/im-unprivileged.XXXXXX)
  trap 'rm -rf "$unprivileged" "$before" "$start" "$root_entries"' EXIT
  mkdir -p "$unprivileged/src" "$unprivileged/home"
  git ls-files -z | xargs -0 cp --parents -t "$unprivileged/src"
  repository=$("${MVN[@]}" -q help:evaluate -Dexpression=settings.localRepository -DforceStdout \
    | sed 's/\x1b\[[0-9;]*m//g')
  cp -a "$repository" "$unprivileged/m2"
  chown -R 65534:65534 "$unprivileged"
  chmod 755 "$unprivileged"

  echo "== all tests again as nobody (uid 65534), in user namespaces"
  (cd "$unprivileged/src" && setpriv --reuid=65534 --regid=65534 --clear-groups \
      env HOME="$unprivileged/home" "${MVN[@]}" -o -Dmaven.repo.local="$unprivileged/m2" verify)
fi

# Compatibility: the it/ suite (only it, to keep the time sane) on the newest JUnit 5 and on the
# newer JDK. The extension stays compiled as the main build compiled it, against JUnit 6 on
# JDK 17, as a published jar would be.
IT_ONLY=(-pl extension,it -Dtest='dev.isolatedmounts.it.*Tests' -Dsurefire.failIfNoSpecifiedTests=false)
echo "== it/ suite on JUnit 5 (-Pjunit5)"
"${MVN[@]}" -Pjunit5 "${IT_ONLY[@]}" verify
JDK_NEWER=${ISOLATEDMOUNTS_NEWER_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ -x "$JDK_NEWER/bin/java" ]; then
  echo "== it/ suite on $("$JDK_NEWER/bin/java" -version 2>&1 | head -1)"
  JAVA_HOME="$JDK_NEWER" "${MVN[@]}" "${IT_ONLY[@]}" verify
else
  echo "== no newer JDK at $JDK_NEWER: the it/ suite ran on $(java -version 2>&1 | head -1) only"
fi

echo "== host unchanged"
if ! diff -u "$before" /proc/self/mountinfo; then
  echo "FAILED: the host's mount table changed during the tests" >&2
  exit 1
fi
if ! diff -u "$root_entries" <(ls -A /); then
  echo "FAILED: the tests added or removed entries in /" >&2
  exit 1
fi
made=$(changed)
if [ -n "$made" ]; then
  echo "$made" >&2
  echo "FAILED: the tests made, changed or removed the paths above, below ${WATCHED[*]}" >&2
  exit 1
fi
if pgrep -af 'dev.isolatedmounts.internal.child.(ChildMain|TrainingMain)' >&2; then
  echo "FAILED: child JVMs were left running" >&2
  exit 1
fi
# Each child's directory is named isolated-mounts-<pid of its parent JVM>-*: one whose JVM has
# ended was left behind (other builds on this host may have live ones).
leaked=()
for directory in "${TMPDIR:-/tmp}"/isolated-mounts-[0-9]*-*; do
  [ -e "$directory" ] || continue
  pid=${directory##*/isolated-mounts-}
  pid=${pid%%-*}
  kill -0 "$pid" 2>/dev/null || [ -d "/proc/$pid" ] || leaked+=("$directory")
done
if [ ${#leaked[@]} -gt 0 ]; then
  echo "FAILED: child directories were left behind: ${leaked[*]}" >&2
  exit 1
fi
echo "host mount table, the entries of / and everything below ${WATCHED[*]} unchanged, no child JVM or child directory left"
