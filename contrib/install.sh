#!/usr/bin/env bash
# contrib/install.sh: installs the built notifyd suite. `make install` calls it; it can be
# run alone after `swift build`. Everything it installs is listed in contrib/programs.tsv
# (programs, man sections, completions, units) and below (data files).
#
# Variables (the Makefile passes them on):
#   DESTDIR       staging root prepended to every path ("" = the live system)
#   PREFIX        /usr/local by default; binaries in PREFIX/bin and PREFIX/sbin
#   SYSCONFDIR    /etc by default; the config goes to SYSCONFDIR/notifyd
#   BUILD_DIR     where swift build put the programs (.build/release)
#   UNITDIR, SYSUSERSDIR, TMPFILESDIR
#                 PREFIX/lib/systemd/system, PREFIX/lib/sysusers.d, PREFIX/lib/tmpfiles.d
#                 by default (systemd reads /usr/lib and /usr/local/lib; for other
#                 prefixes set them to /etc/systemd/system, /etc/sysusers.d, /etc/tmpfiles.d)
#   STRIP         yes (default) strips the binaries; no keeps debug symbols
#
# A product of Package.swift without a row in programs.tsv, or a listed product that is
# not built, is an error (exit 1) before anything is installed. The units' ExecStart= and
# config paths are rewritten to PREFIX and SYSCONFDIR. An existing notifyd.conf is never
# overwritten; the example always goes to PREFIX/share/doc/notifyd/examples.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
SYSCONFDIR=${SYSCONFDIR:-/etc}
BUILD_DIR=${BUILD_DIR:-$top/.build/release}
UNITDIR=${UNITDIR:-$PREFIX/lib/systemd/system}
SYSUSERSDIR=${SYSUSERSDIR:-$PREFIX/lib/sysusers.d}
TMPFILESDIR=${TMPFILESDIR:-$PREFIX/lib/tmpfiles.d}
STRIP=${STRIP:-yes}
PYTHON=${PYTHON:-python3}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR=$top/$BUILD_DIR ;; esac

fail() { echo "install: $*" >&2; exit 1; }
say() { echo "install: $*"; }

# The programs this checkout builds: the executable products of Package.swift.
mapfile -t products < <(sed -n 's/.*\.executable(name: *"\([^"]*\)".*/\1/p' "$top/Package.swift")
[ ${#products[@]} -gt 0 ] || fail "no executable products found in Package.swift"
is_product() { local p; for p in "${products[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

declare -a rows=()
declare -A listed=()
while read -r program directory section completion units; do
    case "$program" in ''|'#'*) continue ;; esac
    listed[$program]=1
    if ! is_product "$program"; then
        say "skipping $program and its units ($units): not a product of this checkout's Package.swift"
        continue
    fi
    rows+=("$program $directory $section $completion $units")
done < "$top/contrib/programs.tsv"

# Check everything before installing anything.
for program in "${products[@]}"; do
    [ -n "${listed[$program]:-}" ] || fail "$program is a product of Package.swift but has no row in contrib/programs.tsv"
done
for row in "${rows[@]}"; do
    read -r program _ <<< "$row"
    [ -x "$BUILD_DIR/$program" ] || fail "$program is not built in $BUILD_DIR: run make (or swift build) first"
done
command -v "$PYTHON" >/dev/null || fail "$PYTHON is needed to make the man pages (contrib/manpage.py)"

main_file() {  # the file of Sources/PROGRAM that starts with its manual
    local file
    for file in "$top/Sources/$1"/*.swift; do
        [ "$(head -n1 "$file")" = "// NAME" ] && { echo "$file"; return 0; }
    done
    fail "no file in Sources/$1 starts with its manual (// NAME)"
}

strip_flag=()
[ "$STRIP" = yes ] && strip_flag=(-s)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
units_installed=(notifyd.target)
for row in "${rows[@]}"; do
    read -r program directory section completion units <<< "$row"
    install -D -m 0755 "${strip_flag[@]}" "$BUILD_DIR/$program" "$DESTDIR$PREFIX/$directory/$program"
    "$PYTHON" "$top/contrib/manpage.py" "$(main_file "$program")" "$section" > "$stage/$program.$section"
    gzip -9n < "$stage/$program.$section" > "$stage/$program.$section.gz"
    install -D -m 0644 "$stage/$program.$section.gz" "$DESTDIR$PREFIX/share/man/man$section/$program.$section.gz"
    case "$completion" in
        -) ;;
        argument-parser)
            "$BUILD_DIR/$program" --generate-completion-script bash > "$stage/$program.bash" \
                || fail "$program --generate-completion-script bash failed"
            install -D -m 0644 "$stage/$program.bash" "$DESTDIR$PREFIX/share/bash-completion/completions/$program" ;;
        *)
            install -D -m 0644 "$top/$completion" "$DESTDIR$PREFIX/share/bash-completion/completions/$program" ;;
    esac
    [ "$units" = - ] || units_installed+=(${units//,/ })
done

# Units with ExecStart=, config and documentation paths moved to PREFIX and SYSCONFDIR.
for unit in "${units_installed[@]}"; do
    sed -e "s|=/usr/sbin/notify|=$PREFIX/sbin/notify|" \
        -e "s| /etc/notifyd/| $SYSCONFDIR/notifyd/|g" \
        -e "s|file:/usr/share/doc/notifyd/|file:$PREFIX/share/doc/notifyd/|g" \
        "$top/systemd/$unit" > "$stage/$unit"
    install -D -m 0644 "$stage/$unit" "$DESTDIR$UNITDIR/$unit"
done
install -D -m 0644 "$top/systemd/notifyd.sysusers" "$DESTDIR$SYSUSERSDIR/notifyd.conf"
install -D -m 0644 "$top/systemd/notifyd.tmpfiles" "$DESTDIR$TMPFILESDIR/notifyd.conf"

# Documentation and examples.
docs=$DESTDIR$PREFIX/share/doc/notifyd
for doc in README.md spool-layout.md agent-protocol.md providers.md; do
    install -D -m 0644 "$top/$doc" "$docs/$doc"
done
install -D -m 0644 "$top/systemd/README.md" "$docs/systemd.md"
install -D -m 0644 "$top/contrib/notifyd.conf.example" "$docs/examples/notifyd.conf"
for script in "$top"/contrib/examples/*; do
    install -D -m 0755 "$script" "$docs/examples/$(basename "$script")"
done
(cd "$top/contrib" && find templates -type f) | while read -r file; do
    install -D -m 0644 "$top/contrib/$file" "$docs/examples/$file"
done

# The configuration and the example template: only where none exists yet.
etc=$DESTDIR$SYSCONFDIR/notifyd
if [ -e "$etc/notifyd.conf" ]; then
    say "kept the existing $etc/notifyd.conf (the example is in $docs/examples)"
else
    install -D -m 0644 "$top/contrib/notifyd.conf.example" "$etc/notifyd.conf"
fi
if [ -e "$etc/templates/student_credentials" ]; then
    say "kept the existing $etc/templates/student_credentials"
else
    for file in "$top"/contrib/templates/student_credentials/*; do
        install -D -m 0644 "$file" "$etc/templates/student_credentials/$(basename "$file")"
    done
fi
install -d -m 0700 "$etc/credentials"

say "installed ${#rows[@]} programs under $DESTDIR$PREFIX and units ${units_installed[*]} in $DESTDIR$UNITDIR"
if [ -z "$DESTDIR" ]; then
    say "next: systemd-sysusers; systemd-tmpfiles --create; systemctl daemon-reload; systemctl enable --now notifyd.target"
fi
