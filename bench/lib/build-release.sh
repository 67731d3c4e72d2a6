#!/usr/bin/env bash
# Builds the release binaries the benchmarks use, into bench/out/bin:
#   notify-enqueue  fully static (-static-executable): it starts once per job;
#   notify-render, notifyctl  with the Swift runtime linked statically.
# Prints nothing but errors; run from anywhere.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/bench/out/bin"
mkdir -p "$out"
cd "$top"
swift build -c release --product notify-enqueue --static-swift-stdlib -Xswiftc -static-executable \
    --scratch-path .build-static >/dev/null
for product in notify-render notifyctl; do
    swift build -c release --product "$product" --static-swift-stdlib --scratch-path .build-release >/dev/null
done
strip -o "$out/notify-enqueue" .build-static/release/notify-enqueue
strip -o "$out/notify-render" .build-release/release/notify-render
strip -o "$out/notifyctl" .build-release/release/notifyctl
cc -O2 -o "$out/durable-commit" bench/lib/durable-commit.c
