#!/usr/bin/env bash
# Fuzz/run.sh - libFuzzer targets for notifyd's parsers of hostile input. Kept out of the
# normal `swift build`: each target is compiled here with swiftc -sanitize=fuzzer,address
# against the package's own module sources (compiled with the same instrumentation, so
# libFuzzer sees their coverage).
#
#   Fuzz/run.sh TARGET SECONDS     # fuzz one target; crashes are written to Fuzz/crashes/TARGET/
#   Fuzz/run.sh all SECONDS        # every target in turn (CI: contrib/test.sh runs `all 15`)
#   Fuzz/run.sh list               # the target names
#
# Targets (Fuzz/Targets/TARGET.swift, seed corpus in Fuzz/corpus/TARGET/):
#   jobfile    NotifyCore JobFileFormat.decode and JobSummary.decode of arbitrary bytes
#   template   NotifyTemplates NotificationTemplate.renderText (Mustache) with a JSON data object
#   config     NotifyCore ConfigFile.parse and Settings/QueueManagerSettings through ConfigReader
#   providerurl NotifyProviders ProviderURL and ProviderList parsing
#   apirequest notify-apid's request path after NIO's HTTP parsing: APIRouter (match, query,
#              percent-decoding), SubmissionInput (JobDraft decoding + validation),
#              JSONValue.parse, EventFilter, and the JSON error answers (APIResponse.invalid)
# The working corpus grows in Fuzz/.build/corpus/TARGET (not committed); the committed
# seeds are read-only inputs. The long run: Fuzz/run.sh TARGET 3600 (or -jobs with FUZZ_ARGS).
#
# Exit status: 0 no crash, 1 a crash (its input is saved and its path printed), 64 usage.
# Prints per target: "fuzz TARGET: N executions in S s, C crashes".
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
fuzz=$top/Fuzz
build=$fuzz/.build
checkouts=$top/.build/checkouts

# Module name -> its source directory. Order in a target's list = build order. A directory
# with C sources and an include/ directory is a C module (built with clang, _GNU_SOURCE as
# in Package.swift, and given a module map), e.g. CNotifyShims under NotifySpool.
declare -A module_sources=(
    [NotifyCore]=$top/Sources/NotifyCore
    [CNotifyShims]=$top/Sources/CNotifyShims
    [NotifySpool]=$top/Sources/NotifySpool
    [Mustache]=$checkouts/swift-mustache/Sources/Mustache
    [CSV]=$checkouts/CSV.swift/Sources/CSV
    [NotifyTemplates]=$top/Sources/NotifyTemplates
)
# Target -> "modules it links (in order) | extra source files compiled into the target".
# Adding a target (e.g. notify-apid's HTTP request path) is one entry here plus its
# Fuzz/Targets/NAME.swift and a seed directory. A module that needs SwiftNIO cannot be
# built here; put the code to fuzz in files that import only these modules and list them
# as extra sources, as providerurl does with one file of NotifyProviders. For example:
#   [apirequest]="NotifyCore CNotifyShims NotifySpool | $top/Sources/NotifyAPI/APIMessages.swift"
declare -A targets=(
    [jobfile]="NotifyCore |"
    [template]="NotifyCore Mustache CSV NotifyTemplates |"
    [config]="NotifyCore |"
    [providerurl]="NotifyCore | $top/Sources/NotifyProviders/ProviderURL.swift"
    [apirequest]="NotifyCore | $(printf "$top/Sources/NotifyAPI/%s " APIRouter.swift SubmissionInput.swift EventFilter.swift APIMessages.swift PeerCredentials.swift)"
)
order=(jobfile template config providerurl apirequest)

usage() { echo "usage: Fuzz/run.sh TARGET|all SECONDS | list" >&2; exit 64; }
[ $# -ge 1 ] || usage
if [ "$1" = list ]; then printf '%s\n' "${order[@]}"; exit 0; fi
[ $# -eq 2 ] && [[ $2 =~ ^[0-9]+$ ]] || usage
seconds=$2

flags=(-sanitize=fuzzer,address -parse-as-library -O -g)

ensure_checkouts() {
    [ -d "$checkouts/swift-mustache" ] && [ -d "$checkouts/CSV.swift" ] && return
    (cd "$top" && swift package resolve >/dev/null)
}

build_module() {  # NAME: a static library (and its .swiftmodule or module map) in $build/modules,
                  # rebuilt when a source or this script is newer
    local name=$1 dir=${module_sources[$1]}
    local lib=$build/modules/lib$name.a
    if [ -e "$lib" ] && [ ! "$0" -nt "$lib" ] && [ -z "$(find "$dir" -newer "$lib" -print -quit)" ]; then return; fi
    mkdir -p "$build/modules"
    if [ -d "$dir/include" ]; then
        local source object header
        rm -f "$lib"
        for source in "$dir"/*.c; do
            object=$build/modules/$name-$(basename "$source" .c).o
            clang -D_GNU_SOURCE -O1 -g -fsanitize=address,fuzzer-no-link -I "$dir/include" -c "$source" -o "$object"
            ar rcs "$lib" "$object"
        done
        mkdir -p "$build/modules/$name"
        header=$(find "$dir/include" -name '*.h' | sort | head -1)
        printf 'module %s [system] {\n    header "%s"\n    export *\n}\n' "$name" "$header" >"$build/modules/$name/module.modulemap"
        return
    fi
    local sources; mapfile -t sources < <(find "$dir" -name '*.swift' | sort)
    swiftc "${flags[@]}" -module-name "$name" -emit-module -emit-module-path "$build/modules/$name.swiftmodule" \
        -emit-library -static -o "$lib" "${includes[@]}" "${sources[@]}"
}

build_target() {  # NAME -> $build/bin/fuzz-NAME
    local name=$1 spec=${targets[$1]} modules extra
    modules=${spec%%|*}; extra=${spec#*|}
    ensure_checkouts
    local module libs=()
    includes=(-I "$build/modules")
    # Static libraries link dependents first: the reverse of the build order.
    for module in $modules; do
        build_module "$module" || return 1
        libs=("$build/modules/lib$module.a" "${libs[@]}")
        [ -d "$build/modules/$module" ] && includes+=(-Xcc -fmodule-map-file="$build/modules/$module/module.modulemap")
    done
    mkdir -p "$build/bin"
    # shellcheck disable=SC2086
    swiftc "${flags[@]}" -module-name "Fuzz_$name" "${includes[@]}" -o "$build/bin/fuzz-$name" \
        "$fuzz/Targets/$name.swift" $extra "${libs[@]}" 2> >(grep -v "Cannot export local symbol" >&2)
}

run_target() {  # NAME SECONDS
    local name=$1
    [ -n "${targets[$name]:-}" ] || { echo "Fuzz/run.sh: no target \"$name\" (Fuzz/run.sh list)" >&2; exit 64; }
    build_target "$name" || { echo "fuzz $name: build failed" >&2; return 1; }
    local work=$build/corpus/$name crashes=$fuzz/crashes/$name log=$build/$name.log
    mkdir -p "$work" "$crashes" "$fuzz/corpus/$name"
    local status=0
    # shellcheck disable=SC2086
    "$build/bin/fuzz-$name" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$crashes/" \
        -max_len=65536 -timeout=10 -rss_limit_mb=2048 ${FUZZ_ARGS:-} "$work" "$fuzz/corpus/$name" >"$log" 2>&1 || status=$?
    local executions found
    executions=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
    found=$(find "$crashes" -type f -newer "$build/bin/fuzz-$name" | wc -l)
    echo "fuzz $name: ${executions:-0} executions in $seconds s, $found crashes"
    if [ "$status" != 0 ]; then
        echo "fuzz $name: crashed (exit $status); input in $crashes; log $log:" >&2
        grep -A25 -m1 "ERROR\|Fatal error\|deadly signal" "$log" >&2 || tail -30 "$log" >&2
        return 1
    fi
}

failed=0
if [ "$1" = all ]; then
    for name in "${order[@]}"; do run_target "$name" "$seconds" || failed=1; done
else
    run_target "$1" "$seconds" || failed=1
fi
exit $failed
