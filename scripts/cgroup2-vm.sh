#!/usr/bin/env bash
# cgroup2-vm.sh -- run a command in a real cgroup v2 memory cgroup, inside a
# throw-away QEMU guest booted with cgroup_no_v1=all. The guest's root is the
# host's own / (virtio-9p, read-only, with a tmpfs overlay whose writes are
# lost), so the command sees the host's JDKs, jars and current directory.
#
#   usage: scripts/cgroup2-vm.sh [--] COMMAND [ARG...]
#          scripts/cgroup2-vm.sh --setup    (only the first-use setup below)
#
# The command runs as root in the guest's cgroup /sys/fs/cgroup/job, in the
# host's current directory, with the exported environment and stdin /dev/null;
# its stdout/stderr come out here. Exit status: the command's (137 = SIGKILL,
# e.g. the OOM killer), 124 when CG2VM_TIMEOUT was hit, 125 when the guest
# could not be set up or booted.
#
# Environment:
#   CG2VM_MEM_MAX   memory.max of the job cgroup              (256M)
#   CG2VM_SWAP_MAX  memory.swap.max                           (0)
#   CG2VM_CGROUPNS  1: the job gets its own cgroup namespace and cgroup2 mount,
#                   as under Docker/Kubernetes (/proc/self/cgroup = 0::/)  (0)
#   CG2VM_RW_DIRS   colon-separated absolute host dirs (no spaces or commas)
#                   mounted read-write at the same path in the guest
#   CG2VM_TIMEOUT   seconds before the guest is killed        (300)
#   CG2VM_CACHE     kernel/initramfs cache  (~/.cache/headroom/cgroup2-vm)
#   CG2VM_VERBOSE   1: the guest's console on stderr
#
# First use (as root, Debian/Ubuntu): apt-get install qemu-system-x86, and
# apt-get download of the kernel package linux-image-amd64 points at and of
# busybox-static, unpacked in the cache (nothing is installed from them).
# Under emulation (TCG; this uses KVM only where /dev/kvm and vmx/svm exist)
# a boot takes ~8 s and Java runs ~15x slower than on the host.
set -euo pipefail

MEM_MAX=${CG2VM_MEM_MAX:-256M}
SWAP_MAX=${CG2VM_SWAP_MAX:-0}
CGROUPNS=${CG2VM_CGROUPNS:-0}
RW_DIRS=${CG2VM_RW_DIRS:-}
TIMEOUT=${CG2VM_TIMEOUT:-300}
VERBOSE=${CG2VM_VERBOSE:-0}
CACHE=${CG2VM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/headroom/cgroup2-vm}
# modules the guest loads, in dependency order (those built into the kernel are not found and skipped)
MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay"
INIT_REV=1 # bump when guest_init changes: the initramfs is rebuilt

die() { echo "cgroup2-vm: $*" >&2; exit 125; }

[ "${1:-}" = -- ] && shift
[ $# -ge 1 ] || { sed -n '2,/^set -e/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 125; }

# ------------------------------------------------------------ first-use setup
apt() { # apt-get, waiting for another apt's lock; updates the package lists once and retries on failure
  local a=(-q -o DPkg::Lock::Timeout=600)
  DEBIAN_FRONTEND=noninteractive apt-get "${a[@]}" "$@" >&2 \
    || { apt-get "${a[@]}" update >&2 && DEBIAN_FRONTEND=noninteractive apt-get "${a[@]}" "$@" >&2; }
}

unpack_deb() { # unpack_deb PACKAGE DIR: download the .deb and unpack it into DIR
  local tmp ok=0
  tmp=$(mktemp -d "$CACHE/deb.XXXXXX")
  rm -rf "$2" && mkdir -p "$2"
  ( cd "$tmp" && apt -o APT::Sandbox::User=root download "$1" ) && dpkg-deb -x "$tmp"/*.deb "$2" && ok=1
  rm -rf "$tmp"
  [ $ok = 1 ] || die "apt-get download $1 failed"
}

kernel_package() { # the versioned package linux-image-amd64 depends on, e.g. linux-image-6.1.0-41-amd64
  apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
}

setup() {
  mkdir -p "$CACHE"
  if ! command -v qemu-system-x86_64 > /dev/null; then
    echo "cgroup2-vm: installing qemu-system-x86 (first use)" >&2
    apt install -y --no-install-recommends qemu-system-x86 || die "apt-get install qemu-system-x86 failed"
  fi
  [ -x "$CACHE/busybox/bin/busybox" ] || unpack_deb busybox-static "$CACHE/busybox"
  local pkg
  pkg=$(cat "$CACHE/kernel.pkg" 2> /dev/null || true)
  # the cached kernel while it is complete; else the current one (the archive keeps only that)
  [ -f "$CACHE/$pkg/initrd-$INIT_REV.gz" ] || pkg=$(kernel_package)
  [ -n "$pkg" ] || { apt-get -q update >&2; pkg=$(kernel_package); }
  [ -n "$pkg" ] || die "cannot tell which kernel package linux-image-amd64 stands for"
  KDIR=$CACHE/$pkg
  INITRD=$KDIR/initrd-$INIT_REV.gz
  if [ ! -f "$KDIR/vmlinux" ] || [ ! -f "$INITRD" ]; then
    echo "cgroup2-vm: fetching $pkg (first use)" >&2
    unpack_deb "$pkg" "$KDIR/deb"
    extract_vmlinux "$(ls "$KDIR"/deb/boot/vmlinuz-*)" > "$KDIR/vmlinux.tmp"
    mv "$KDIR/vmlinux.tmp" "$KDIR/vmlinux"
    build_initrd
    rm -rf "$KDIR/deb" # 400 MB of modules; the initramfs has the few the guest needs
    echo "$pkg" > "$CACHE/kernel.pkg"
  fi
}

# The uncompressed ELF kernel boots directly (PVH) and skips the guest's own xz
# decompression, ~8 s under emulation; the bzImage still works if that fails.
extract_vmlinux() {
  local off
  off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$1" | head -1 | cut -d: -f1 || true)
  if [ -n "$off" ] && tail -c +$((off + 1)) "$1" | xz -dcq --single-stream > "$KDIR/elf" 2> /dev/null \
    && [ "$(head -c 4 "$KDIR/elf" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
    cat "$KDIR/elf"
  else
    cat "$1"
  fi
  rm -f "$KDIR/elf"
}

build_initrd() {
  local d=$KDIR/initrd.d m f
  rm -rf "$d"
  mkdir -p "$d"/{bin,mod,proc,sys,dev,host,res,upper,root}
  cp "$CACHE/busybox/bin/busybox" "$d/bin/"
  for m in $MODULES; do
    f=$(find "$KDIR"/deb/lib/modules -name "$m.ko*" | head -1)
    case $f in
      '') continue ;;
      *.xz) xz -dc "$f" > "$d/mod/$m.ko" ;;
      *.zst) zstd -dcq "$f" > "$d/mod/$m.ko" ;;
      *) cp "$f" "$d/mod/$m.ko" ;;
    esac
    echo "$m" >> "$d/mod/order"
  done
  guest_init > "$d/init"
  chmod 755 "$d/init"
  (cd "$d" && find . | "$CACHE/busybox/bin/busybox" cpio -o -H newc 2> /dev/null | gzip -1) > "$INITRD.tmp"
  mv "$INITRD.tmp" "$INITRD"
  rm -rf "$d"
}

# PID 1 of the guest: mounts the host's / (read-only) under a tmpfs overlay,
# makes the job cgroup, runs /res/cmd.sh in it and leaves its status in /res/rc.
guest_init() {
  cat << 'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
fail() { echo "guest: $*" > /res/fatal; echo "guest: $*"; poweroff -f; }
for m in $(cat /mod/order); do insmod /mod/$m.ko || fail "insmod $m"; done
P9=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o $P9,cache=mmap res /res || fail "mount the results share"
mount -t 9p -o $P9,cache=loose,ro host /host || fail "mount the host's /"
. /res/config
mount -t tmpfs tmpfs /upper && mkdir /upper/u /upper/w
mount -t overlay overlay -o lowerdir=/host,upperdir=/upper/u,workdir=/upper/w /root || fail "overlay"
R=/root
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm
mount -t tmpfs tmpfs $R/run
mkdir -p $R/run/vm && mount --bind /res $R/run/vm
i=0
for d in $(echo "$RW_DIRS" | tr : ' '); do
  mount -t 9p -o $P9,cache=mmap rw$i "$R$d" || fail "mount $d read-write"
  i=$((i + 1))
done
CG=$R/sys/fs/cgroup
mount -t cgroup2 -o nsdelegate cgroup2 $CG || fail "mount cgroup2"
for c in cpu cpuset io memory pids; do echo +$c > $CG/cgroup.subtree_control; done
mkdir $CG/job && echo "$MEM_MAX" > $CG/job/memory.max && echo "$SWAP_MAX" > $CG/job/memory.swap.max \
  || fail "job cgroup (memory.max $MEM_MAX, memory.swap.max $SWAP_MAX)"
JOB="/bin/bash /run/vm/cmd.sh"
[ "$CGROUPNS" = 1 ] && JOB="/usr/bin/unshare --cgroup --mount --propagation private /bin/sh -c \
  'umount /sys/fs/cgroup && mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup && exec $JOB'"
echo "guest: job starts at uptime $(cut -d' ' -f1 /proc/uptime) s"
sh -c "echo \$\$ > $CG/job/cgroup.procs && exec chroot $R $JOB" < /dev/null >> /res/stdout 2>> /res/stderr
echo $? > /res/rc
echo "guest: job exit $(cat /res/rc) at uptime $(cut -d' ' -f1 /proc/uptime) s; memory.events: $(tr '\n' ' ' < $CG/job/memory.events)"
sync
poweroff -f
INIT
}

# ------------------------------------------------------------------------ run
mkdir -p "$CACHE"
exec 9> "$CACHE/.lock"
flock 9 # one setup at a time; the runs themselves are independent
setup
exec 9>&-
[ "$1" = --setup ] && exit 0

RUN=$(mktemp -d "${TMPDIR:-/tmp}/cgroup2-vm.XXXXXX")
QEMU=
trap '[ -z "$QEMU" ] || kill "$QEMU" 2> /dev/null; rm -rf "$RUN"' EXIT
trap 'exit 130' INT TERM

FS=(-fsdev "local,id=host,path=/,readonly=on,security_model=none,multidevs=remap"
  -device virtio-9p-pci,fsdev=host,mount_tag=host
  -fsdev "local,id=res,path=$RUN,security_model=none"
  -device virtio-9p-pci,fsdev=res,mount_tag=res)
i=0
IFS=: read -r -a dirs <<< "$RW_DIRS"
for d in "${dirs[@]}"; do
  [[ $d == /* && $d != *[,\ ]* && -d $d ]] || die "CG2VM_RW_DIRS: not an absolute directory without spaces or commas: $d"
  FS+=(-fsdev "local,id=rw$i,path=$d,security_model=none,multidevs=remap" -device "virtio-9p-pci,fsdev=rw$i,mount_tag=rw$i")
  i=$((i + 1))
done
printf 'MEM_MAX=%q\nSWAP_MAX=%q\nCGROUPNS=%q\nRW_DIRS=%q\n' "$MEM_MAX" "$SWAP_MAX" "$CGROUPNS" "$RW_DIRS" > "$RUN/config"
{
  export -p | grep -vE '^declare -x (PWD|OLDPWD|SHLVL|_|HOSTNAME|LD_PRELOAD|CG2VM_[A-Z_]*)(=|$)' || true
  printf 'cd -- %q || exit 125\nexec' "$PWD"
  printf ' %q' "$@"
  echo
} > "$RUN/cmd.sh"
touch "$RUN/stdout" "$RUN/stderr" "$RUN/console"

if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then ACCEL=(-accel kvm -cpu host); else ACCEL=(-accel tcg,thread=multi -cpu max); fi
timeout -k 5 "$TIMEOUT" qemu-system-x86_64 "${ACCEL[@]}" -M pc -m 2048 -smp "$(nproc)" \
  -nodefaults -nographic -no-reboot -monitor none -serial "file:$RUN/console" \
  -kernel "$KDIR/vmlinux" -initrd "$INITRD" \
  -append "console=ttyS0 quiet panic=-1 cgroup_no_v1=all mitigations=off" \
  "${FS[@]}" < /dev/null > "$RUN/qemu.log" 2>&1 &
QEMU=$!
tail -n +1 -s 0.2 -F --pid=$QEMU "$RUN/stdout" 2> /dev/null &
tail -n +1 -s 0.2 -F --pid=$QEMU "$RUN/stderr" >&2 2> /dev/null &
[ "$VERBOSE" = 1 ] && { tail -n +1 -s 0.2 -F --pid=$QEMU "$RUN/console" | sed -u 's/^/[guest] /' >&2 & }
status=0
wait $QEMU || status=$?
QEMU=
wait # for the tails to print the rest

[ -s "$RUN/rc" ] && exit "$(cat "$RUN/rc")"
echo "cgroup2-vm: the guest left no exit status (qemu status $status$([ $status = 124 ] && echo ", CG2VM_TIMEOUT ${TIMEOUT}s hit"))" >&2
[ -s "$RUN/fatal" ] && echo "cgroup2-vm: $(cat "$RUN/fatal")" >&2
tail -n 20 "$RUN/console" "$RUN/qemu.log" >&2
[ $status = 124 ] && exit 124
exit 125
