#!/usr/bin/env bash
# contrib/test.sh: installs what the test suite needs (Debian packages, as root), builds,
# and runs the whole test suite. .ci/run calls this; so does a developer.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/contrib/install-deps.sh"
swift build --build-tests
# Plain `swift test`: with --parallel XCTest's summary line disappears.
swift test
