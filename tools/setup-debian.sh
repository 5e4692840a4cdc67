#!/usr/bin/env bash
# Installs what building and testing kiln needs on Debian/Ubuntu, and nothing when all is there.
#   tools/setup-debian.sh              the host build (g++, clang, cmake, ninja, Catch2)
#   tools/setup-debian.sh --cortex-m   also Arm's bare-metal GCC, newlib, its C++ headers and QEMU
#                                      (the cortex-m preset; about 940 MB on disk)
set -euo pipefail

packages=(g++ clang cmake ninja-build catch2)
for arg in "$@"; do
    case "$arg" in
        # libnewlib-arm-none-eabi is only a recommendation of the compiler: name it.
        --cortex-m) packages+=(gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-dev qemu-system-arm) ;;
        *) echo "usage: tools/setup-debian.sh [--cortex-m]" >&2; exit 2 ;;
    esac
done

missing=()
for p in "${packages[@]}"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]]; then
        missing+=("$p")
    fi
done
if ((${#missing[@]} == 0)); then
    echo "setup-debian: all present (${packages[*]})"
    exit 0
fi

sudo=()
if [[ "$(id -u)" != 0 ]]; then
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
install() { "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; }

echo "setup-debian: installing ${missing[*]}"
# Refresh the package lists only when there are none or the install cannot find a package.
if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
    "${sudo[@]}" apt-get update
    install
elif ! install; then
    "${sudo[@]}" apt-get update
    install
fi
