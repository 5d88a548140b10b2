#!/bin/sh
# setup.sh: installs what nnplay needs and a fresh Debian 12 machine lacks.
# Does nothing when everything is there; needs root (or sudo) otherwise.
set -e

need=""
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
command -v make >/dev/null 2>&1 || need="$need make"
test -d /usr/include/simde || need="$need libsimde-dev"

if [ -n "$need" ]; then
    echo "setup: installing$need"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need
fi
