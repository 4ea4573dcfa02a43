#!/usr/bin/env bash
# Performance benchmark (outside `make test`). See docs/benchmark.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python scripts/bench.py "$@"
