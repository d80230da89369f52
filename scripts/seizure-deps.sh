#!/bin/sh
# Installs the examiner's tools the seizure test bed (crates/seizure, docs/SEIZURE.md) uses.
# Debian/Ubuntu, as root. Safe to run again.
set -eu
export DEBIAN_FRONTEND=noninteractive
packages="e2fsprogs xfsprogs btrfs-progs mount util-linux sleuthkit testdisk ext4magic sqlite3 gzip"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
for tool in mkfs.ext4 mkfs.xfs xfs_info mkfs.btrfs mount umount photorec fls tsk_recover ext4magic sqlite3 gzip; do
    command -v "$tool" >/dev/null || { echo "seizure-deps: $tool still missing" >&2; exit 1; }
done
echo "seizure-deps: tools present"
