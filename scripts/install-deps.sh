#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what tally needs to build, test and render plots on Debian 12,
# skipping packages that are already installed.  Runs as root or with sudo.
set -euo pipefail
# clang and its runtime build the libFuzzer targets (tests/cli/fuzz_smoke.sh);
# valgrind runs tests/cli/valgrind.sh.  Both tests skip when these are absent.
pkgs=(build-essential cmake pkg-config libgsl-dev libcsv-dev libjansson-dev
      libinih-dev nettle-dev libcriterion-dev gnuplot-nox python3
      clang libclang-rt-14-dev valgrind)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
