#!/bin/sh
# Debian's Chromium for the explorer's browser test: install it when it is missing and this user
# may install packages; otherwise say in one line why the test will be skipped.
# NAROD_NO_APT=1 never installs anything.
command -v chromium >/dev/null 2>&1 && exit 0
skip() { echo "narod: $1: the browser test will be skipped (install Debian's chromium to run it)"; exit 0; }
[ "${NAROD_NO_APT:-0}" = 1 ] && skip "no Chromium and NAROD_NO_APT=1"
command -v apt-get >/dev/null 2>&1 || skip "no Chromium and no apt-get on this machine"
if [ "$(id -u)" = 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root="sudo -n"
else
    skip "no Chromium, and installing it needs root or password-less sudo"
fi
echo "narod: installing Debian's chromium for the browser test (apt-get, about a minute) ..."
$as_root apt-get update -qq >/dev/null \
    && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium >/dev/null \
    || skip "apt-get could not install chromium"
