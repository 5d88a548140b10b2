#!/bin/sh
# setup.sh: installs what nnplay needs and a fresh Debian 12 machine lacks:
# a C compiler, clang with libFuzzer, SIMDe, Emscripten (emcc 3.1.6 from Debian), Node.js, Chromium
# for the browser tests and the npm packages pinned in package-lock.json. Does nothing when all is there;
# needs root (or sudo) to install Debian packages.
set -e
cd "$(dirname "$0")/.."

need=""
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
command -v make >/dev/null 2>&1 || need="$need make"
# the fuzz harnesses: clang with its libFuzzer and sanitizer runtimes
command -v clang >/dev/null 2>&1 || need="$need clang"
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 \
    || ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 || need="$need libclang-rt-14-dev"
test -d /usr/include/simde || need="$need libsimde-dev"
command -v emcc >/dev/null 2>&1 || need="$need emscripten binaryen"
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
# browser tests drive Debian's Chromium (never a downloaded browser)
test -x /usr/bin/chromium || need="$need chromium"

if [ -n "$need" ]; then
    echo "setup: installing$need"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need
fi

# npm packages: only when the lock file changed since the last install
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
fi
