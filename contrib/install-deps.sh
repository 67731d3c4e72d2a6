#!/usr/bin/env bash
# contrib/install-deps.sh: the Debian packages that building and testing notifyd need.
# As root it installs what is missing (apt-get update first); otherwise it names them.
set -euo pipefail
packages=(
    libcurl4-openssl-dev   # CCurl: every network delivery
    libsystemd-dev         # CSystemd: readiness, watchdog, socket activation, journal
    pkg-config             # finds both for the system-library targets
    python3                # test helpers and benchmarks
    groff-base             # the man page test renders every program's page
    make                   # InstallTests runs make install into a DESTDIR
    man-db                 # InstallTests reads every installed page with man -l
    python3-aiosmtpd       # ProviderTests: a real SMTP server on loopback
    python3-cryptography   # the provider emulator verifies FCM's RS256 JWT
    openssl                # ProviderTests: a certificate for STARTTLS
    python3-prometheus-client  # ObservabilityTests: parses the /metrics exposition
    tmux                   # ObservabilityTests: drives notifyctl top in a pseudo-terminal
    chromium               # ObservabilityTests: loads the status page headless
)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing Debian packages: ${missing[*]}; run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 69
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
command -v swift >/dev/null || { echo "install-deps: no swift on PATH: install the Swift 6.1+ toolchain (swift.org)" >&2; exit 69; }
