#!/usr/bin/env bash
# contrib/test.sh: installs what the test suite needs (Debian packages, as root), builds,
# and runs the whole test suite, then each fuzz target briefly. .ci/run calls this; so does a developer.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/contrib/install-deps.sh"
swift build --build-tests
# Plain `swift test`: with --parallel XCTest's summary line disappears.
swift test
# Each libFuzzer target for a short fixed time (Fuzz/run.sh; the long run is documented there).
"$top/Fuzz/run.sh" all "${FUZZ_SECONDS:-15}"
