# SPDX-License-Identifier: LGPL-2.1-or-later
# What the bench/ scripts share: an optimised build (no sanitizers, no tests) in build-bench, and a run
# of one benchmark program inside the sandbox's throwaway namespaces (tests/integration/harness).
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
source tools/deps
nftbus_install_deps || exit 1
builddir=build-bench
[ -d "$builddir" ] || meson setup "$builddir" --buildtype=release -Dtests=false >/dev/null || exit 1
ninja -C "$builddir" >/dev/null || exit 1

# bench_run PROGRAM ARGS...: runs build-bench/bench/PROGRAM in the namespaces
bench_run() {
        echo "nftbus $(git -C "$top" describe --always --dirty 2>/dev/null), $(nft --version), $(nproc) cores"
        NFTBUS_SOURCE=$top NFTBUS_BUILD=$top/$builddir \
                exec tests/integration/harness -- "$top/$builddir/bench/$1" "${@:2}"
}
