#!/usr/bin/env bash
# contrib/test-systemd.sh: the suite under a real systemd as PID 1. As root:
#
#   contrib/test-systemd.sh                 # release build (make), then the run
#   BUILD_DIR=.build/release contrib/test-systemd.sh   # use binaries already built
#   BUILD_DIR=.build/debug contrib/test-systemd.sh     # the debug build (its Swift
#                                           # runtime directory is bound into the container)
#
# 1. A Debian 12 root from debootstrap, cached in $ROOT_CACHE (default
#    /var/cache/notifyd-test-root; built once, about a minute, then reused).
# 2. A throw-away copy of it (an overlayfs over the cache) gets `make install DESTDIR=…
#    PREFIX=/usr`, notifyd.target enabled, a drop-in NOTIFYD_LOG_LEVEL=debug for notifyd
#    (to follow a job in the journal), a user `alice` in the submit group, and a oneshot
#    unit that runs the checks (contrib/systemd-checks.sh) after boot and powers off.
# 3. systemd-nspawn --boot starts it; sysusers and tmpfiles create the account and the
#    spool at boot, as on a real host. The checks write PASS/FAIL lines, which this script
#    prints; it exits 1 if any check failed or the run did not finish.
#
# The checks: readiness (Type=notify: active/running) and the spool's modes; a job from
# notify-enqueue reaches outbox/, and the journal has its JOB_ID records with CHANNEL,
# PROVIDER, OUTCOME, MESSAGE_ID; a secret from LoadCredential= signs a webhook (the webhook
# agent reads it from $CREDENTIALS_DIRECTORY, inherited from notifyd); systemctl reload keeps the main PID and reloads; a
# SIGSTOPped daemon is killed by the watchdog and restarted, and the suite delivers again.
# If notify-apid is installed: the socket exists with mode 0660 group notify, the service
# is not running until the first request, which starts it and queues a job; notify-statsd:
# ready, and writes state/stats.json. Both take part in the watchdog check, and in the
# reload check when their units have ExecReload=.
#
# Needs: root, debootstrap and systemd-container (installed with apt-get if missing), the
# network to Debian's mirror for the first run. Timing: see systemd/README.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
ROOT_CACHE=${ROOT_CACHE:-/var/cache/notifyd-test-root}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
# What the programs need at run time (statically linked Swift runtime: libcurl, libsystemd),
# what the units need (procps: /bin/kill for ExecReload=) and what the checks use.
PACKAGES=systemd,systemd-sysv,dbus,procps,libcurl4,curl,python3,ca-certificates

[ "$(id -u)" = 0 ] || { echo "test-systemd: must run as root (debootstrap, nspawn, mount)" >&2; exit 77; }
started=$(date +%s)
step() { echo "test-systemd: [$(( $(date +%s) - started ))s] $*"; }

missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 1. The cached base root. A marker names the package list it was made with.
base=$ROOT_CACHE/bookworm
marker="$base/.notifyd-test-root-$(echo "$PACKAGES" | md5sum | cut -c1-12)"
mkdir -p "$ROOT_CACHE"
exec 9> "$ROOT_CACHE/.lock"
flock 9   # one run makes the cache; concurrent runs wait for it, then share it read-only
if [ ! -e "$marker" ]; then
    step "debootstrap bookworm into $base (once)"
    rm -rf "$base" "$base.tmp"
    mkdir -p "$ROOT_CACHE"
    debootstrap --variant=minbase --include="$PACKAGES" bookworm "$base.tmp" "$MIRROR" > "$ROOT_CACHE/debootstrap.log" 2>&1 \
        || { tail -20 "$ROOT_CACHE/debootstrap.log" >&2; exit 69; }
    rm -rf "$base.tmp"/var/cache/apt/archives/*.deb
    mv "$base.tmp" "$base"
    touch "$marker"
else
    step "reusing the cached root $base"
fi
flock -s 9   # shared while this run uses the cache: a rebuild waits for it

# 2. The build.
if [ -z "${BUILD_DIR:-}" ]; then
    step "make (swift build -c release --static-swift-stdlib)"
    make -C "$top" build >/dev/null
    BUILD_DIR=$top/.build/release
fi

# 3. A throw-away root over the cache.
work=$(mktemp -d /var/tmp/notifyd-systemd-test.XXXXXX)
root=$work/root
mkdir -p "$work/upper" "$work/overlay-work" "$root"
cleanup() {
    umount "$root" 2>/dev/null || true
    [ -n "${KEEP:-}" ] && { echo "test-systemd: kept $work"; return; }
    rm -rf "$work"
}
trap cleanup EXIT
mount -t overlay overlay -o "lowerdir=$base,upperdir=$work/upper,workdir=$work/overlay-work" "$root"

step "make install DESTDIR=$root PREFIX=/usr"
make -C "$top" install DESTDIR="$root" PREFIX=/usr BUILD_DIR="$BUILD_DIR" | grep '^install:'

install -D -m 0755 "$top/contrib/systemd-checks.sh" "$root/usr/local/lib/notifyd-test/checks.sh"
cat > "$root/etc/systemd/system/notifyd-checks.service" <<'UNIT'
[Unit]
Description=notifyd systemd checks (contrib/test-systemd.sh)
After=multi-user.target notifyd.target
[Service]
Type=oneshot
ExecStart=/usr/local/lib/notifyd-test/checks.sh
ExecStopPost=/usr/bin/systemctl poweroff --no-block
StandardOutput=journal+console
[Install]
WantedBy=multi-user.target
UNIT
install -D -m 0755 "$top/contrib/webhook-receiver.py" "$root/usr/local/lib/notifyd-test/webhook-receiver.py"
mkdir -p "$root/etc/systemd/system/notifyd.service.d"
printf '[Service]\nEnvironment=NOTIFYD_LOG_LEVEL=debug\n' > "$root/etc/systemd/system/notifyd.service.d/debug.conf"
# A provider secret the operator's way (systemd/README.md, "Provider credentials"): a
# root-only file, LoadCredential= in a drop-in, a relative name in notifyd.conf.
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$root/etc/notifyd/credentials/webhook-secret"
chmod 0600 "$root/etc/notifyd/credentials/webhook-secret"
printf '[Service]\nLoadCredential=webhook-secret:/etc/notifyd/credentials/webhook-secret\n' \
    > "$root/etc/systemd/system/notifyd.service.d/credentials.conf"
cat >> "$root/etc/notifyd/notifyd.conf" <<'CONF'

# contrib/test-systemd.sh: signed webhooks to the checks' receiver on loopback.
webhook_providers = webhook
webhook_signing_secret_file = webhook-secret
webhook_endpoint_ops = http://127.0.0.1:8099/hook
CONF
systemctl --root="$root" --quiet enable notifyd.target notifyd-checks.service
# Units enabled by [Install] are also pulled in by the target's Wants=; enable them too,
# as an operator following systemd/README.md does.
for unit in notifyd.service notify-apid.socket notify-statsd.service; do
    [ -e "$root/usr/lib/systemd/system/$unit" ] && systemctl --root="$root" --quiet enable "$unit"
done
# The checks' user: a member of the submit group, which sysusers creates at boot.
echo 'm alice notify' > "$root/usr/lib/sysusers.d/notifyd-test.conf"
echo 'u alice - "test submitter" /home/alice /bin/sh' >> "$root/usr/lib/sysusers.d/notifyd-test.conf"
mkdir -p "$root/var/log/journal" "$root/var/lib/notifyd-test"
echo notifyd-test > "$root/etc/hostname"

# 4. Boot. The console does not reach this pipe; the results and the journal do.
# A build that is not statically linked (swift build's default, e.g. the debug build) finds
# the Swift runtime through its RUNPATH: bind those directories read-only, same path.
binds=()
if command -v readelf >/dev/null; then
    for directory in $(readelf -d "$BUILD_DIR/notifyd" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p' | tr ':' ' '); do
        case "$directory" in /*) [ -d "$directory" ] && binds+=("--bind-ro=$directory") ;; esac
    done
fi
[ ${#binds[@]} -eq 0 ] || step "binding the Swift runtime: ${binds[*]}"
step "booting with systemd-nspawn --boot (at most ${RUN_TIMEOUT}s)"
boot_started=$(date +%s)
timeout "$RUN_TIMEOUT" systemd-nspawn --quiet --keep-unit --register=no --private-network "${binds[@]}" -D "$root" --boot \
    > "$work/console.log" 2>&1 || echo "test-systemd: systemd-nspawn ended with status $?"
step "container stopped after $(( $(date +%s) - boot_started ))s"

results=$root/var/lib/notifyd-test/results
if [ ! -s "$results" ]; then
    echo "test-systemd: no results; the journal's last lines:" >&2
    journalctl -D "$root/var/log/journal" --no-pager -n 60 >&2 || true
    KEEP=1
    exit 1
fi
cat "$results"
passed=$(grep -c '^PASS' "$results" || true)
failed=$(grep -c '^FAIL' "$results" || true)
step "$passed passed, $failed failed"
if [ "$failed" -gt 0 ] || ! grep -q '^DONE' "$results"; then
    journalctl -D "$root/var/log/journal" --no-pager -n 80 -u 'notify*' > "$work/journal-tail.txt" 2>&1 || true
    echo "test-systemd: failed; the container's changes are kept in $work/upper (its journal:" \
         "journalctl -D $work/upper/var/log/journal), the journal's tail in $work/journal-tail.txt" >&2
    KEEP=1
    exit 1
fi
