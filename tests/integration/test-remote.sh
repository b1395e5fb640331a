#!/usr/bin/env bash
# nftbusctl -H: the service of another host over ssh (sd-bus's transport through systemd-stdio-bridge), here
# a real sshd on the sandbox's loopback whose sessions reach the sandbox's bus. That connection passes no file
# descriptors: every verb still works, the descriptor ones in bounded pieces (AddElements of 10,000 elements,
# ListElementsRange of 20,000, Export in its reply): 100,000 elements added and listed over ssh.
source "$(dirname "$0")/lib.sh"

if [ ! -x /usr/sbin/sshd ] || ! command -v systemd-stdio-bridge >/dev/null; then
        skip "nftbusctl -H over ssh" "openssh-server or systemd-stdio-bridge is not installed (tools/deps installs them)"
        done_testing
        exit 0
fi
ssh_dir=$NFTBUS_RUNDIR/ssh
mkdir -p "$ssh_dir/bin"
# a /run of this mount namespace only: sshd's privilege separation directory, and the system bus where
# systemd-stdio-bridge looks for it (/run/dbus/system_bus_socket): the sandbox's
mount -t tmpfs tmpfs /run
mkdir -p /run/sshd /run/dbus
ln -s "${DBUS_SYSTEM_BUS_ADDRESS#unix:path=}" /run/dbus/system_bus_socket
ssh-keygen -q -t ed25519 -N '' -f "$ssh_dir/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$ssh_dir/id"
cp "$ssh_dir/id.pub" "$ssh_dir/authorized_keys"
printf '%s\n' "ListenAddress 127.0.0.1:22" "HostKey $ssh_dir/host_key" "PidFile $ssh_dir/sshd.pid" \
        "AuthorizedKeysFile $ssh_dir/authorized_keys" "PermitRootLogin prohibit-password" "StrictModes no" \
        "UsePAM no" >"$ssh_dir/sshd_config"
printf '%s\n' "Host *" "IdentityFile $ssh_dir/id" "StrictHostKeyChecking no" "UserKnownHostsFile /dev/null" \
        "LogLevel ERROR" >"$ssh_dir/ssh_config"
# the ssh that sd-bus runs (from PATH) with this configuration
printf '#!/bin/sh\nexec /usr/bin/ssh -F %s "$@"\n' "$ssh_dir/ssh_config" >"$ssh_dir/bin/ssh"
chmod +x "$ssh_dir/bin/ssh"
export PATH="$ssh_dir/bin:$PATH"
/usr/sbin/sshd -D -e -f "$ssh_dir/sshd_config" 2>"$ssh_dir/sshd.log" &
_network_pids="${_network_pids:-} $!"
trap 'kill $_network_pids 2>/dev/null' EXIT
wait_listening 22

remote() { nftbusctl -H root@127.0.0.1 "$@"; }
nft add table inet filter
nft add set inet filter big '{ type ipv4_addr; flags timeout; }'
nft add set inet filter small '{ type ipv4_addr; flags timeout; }'

assert_eq "list-tables over ssh" "inet     filter" "$(remote --no-legend list-tables)"
python3 -c '
import sys
sys.stdout.write("".join("10.%d.%d.%d\n" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(100000)))' \
        >"$ssh_dir/elements"
assert_eq "100,000 elements added over ssh, in pieces" "100000 elements added" \
        "$(remote add-element -f "$ssh_dir/elements" inet filter big)"
assert_eq "the kernel has them" 100000 "$(nftbusctl list-elements inet filter big | wc -l)"
assert_eq "and list-elements over ssh prints them all, in order" "$(nftbusctl list-elements inet filter big | md5sum)" \
        "$(remote list-elements inet filter big | md5sum)"
assert_eq "100,000 lines" 100000 "$(remote list-elements inet filter big | wc -l)"
remote add-element --timeout 600 --comment ssh inet filter small 192.0.2.1 >/dev/null
assert_match "list-elements --details over ssh" "^192\.0\.2\.1 .* 10m .*ssh$" \
        "$(remote --no-legend list-elements --details inet filter small)"
assert_eq "--json --details over ssh: an array" '"192.0.2.1"' \
        "$(remote --json list-elements --details inet filter small | jq '.[].element')"
assert_eq "export over ssh: the same batch (expiry aside)" "$(nftbusctl export | strip_expiry | md5sum)" \
        "$(remote export | strip_expiry | md5sum)"
assert_eq "a bad element over ssh: the service's error, exit 2" 2 \
        "$(remote add-element inet filter small not-an-address >/dev/null 2>&1; echo $?)"
assert_eq "-M, a container that is not there: not reachable, exit 5" 5 \
        "$(nftbusctl -M nosuch list-tables >/dev/null 2>&1; echo $?)"
assert_eq "-H and -M together: usage" 2 "$(nftbusctl -H a -M b list-tables >/dev/null 2>&1; echo $?)"

done_testing
