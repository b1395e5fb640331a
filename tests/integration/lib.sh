# SPDX-License-Identifier: LGPL-2.1-or-later
# Helpers for integration tests that run inside tests/integration/harness: TAP output, callers,
# and the kernel's own view of the ruleset. Source it, call the assertions, end with done_testing.
set -u

# These scripts change the firewall of the network namespace they run in ("flush", "delete", and the
# injection attempts aimed at "flush ruleset"): never the host's. Only the namespace the harness made,
# which it names in NFTBUS_HARNESS_NETNS, will do; anything else (run by hand, the variable missing)
# stops here.
if [ -z "${NFTBUS_HARNESS_NETNS:-}" ] || [ "$(readlink /proc/self/ns/net)" != "$NFTBUS_HARNESS_NETNS" ] ||
        [ "$NFTBUS_HARNESS_NETNS" = "${NFTBUS_HOST_NETNS:-}" ]; then
        echo "$(basename "$0"): refusing to run outside the namespace of tests/integration/harness" \
                "(meson test, tools/check, tools/sandbox)" >&2
        exit 1
fi

_tap_n=0
_tap_failed=0

# a failure and its diagnostics go to stderr as well: CI's excerpt of a failed test shows its stderr
ok() { _tap_n=$((_tap_n + 1)); _tap_last_failed=; echo "ok $_tap_n - $*"; }
not_ok() {
        _tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1)); _tap_last_failed=1
        echo "not ok $_tap_n - $*"
        echo "not ok $_tap_n - $*" >&2
}
diag() {
        sed 's/^/# /' <<<"$*"
        if [ -n "${_tap_last_failed:-}" ]; then sed 's/^/# /' <<<"$*" >&2; fi
}

# assert_eq DESCRIPTION EXPECTED ACTUAL
assert_eq() {
        if [ "$2" == "$3" ]; then ok "$1"; else
                not_ok "$1"
                diag "expected: $2"
                diag "actual:   $3"
        fi
}

# assert_match DESCRIPTION REGEX ACTUAL
assert_match() {
        if [[ "$3" =~ $2 ]]; then ok "$1"; else
                not_ok "$1"
                diag "expected to match: $2"
                diag "actual:            $3"
        fi
}

done_testing() {
        # a daemon the test started itself is its own to stop: the harness stops only the one it started, and
        # the sanitizers' verdict (leaks, errors) is the exit status
        if [ -n "${_nftbusd_restarted:-}" ] && kill -0 "$NFTBUSD_PID" 2>/dev/null; then
                stop_nftbusd
                assert_eq "the restarted nftbusd stops cleanly (exit status 0 under the sanitizers)" 0 "$?"
        fi
        echo "1..$_tap_n"
        [ "$_tap_failed" = 0 ]
}

BUS_NAME=org.nftbus.Firewall1
ROOT=/org/nftbus/Firewall1
IFACE=org.nftbus.Firewall1

# the copy under the run's folder (harness), which the test user can read wherever the clone is
NFTBUS_TEST_LIB=${NFTBUS_SOURCE:+$NFTBUS_SOURCE/tests/integration/lib.sh}
[ -r "${NFTBUS_TEST_LIB:-}" ] || NFTBUS_TEST_LIB=$(realpath "${BASH_SOURCE[0]}")

# as_user COMMAND...: run as the unprivileged test user (with its groups); COMMAND may be a function
# of this file
as_user() {
        setpriv --reuid="$NFTBUS_TEST_UID" --regid="$NFTBUS_TEST_UID" --init-groups -- \
                bash -c 'source "$0"; "$@"' "$NFTBUS_TEST_LIB" "$@"
}

# The kernel's tables as compact JSON: [{"family":..,"name":..},...], sorted.
kernel_tables() {
        nft -j list tables | jq -c '[.nftables[] | select(.table) | .table | {family, name}] | sort_by(.family, .name)'
}

# gdbus_call PATH INTERFACE.METHOD ARGS...: prints the reply, or "ERROR <name>: <message>"
gdbus_call() {
        local out
        if out=$(gdbus call --system --dest "$BUS_NAME" --object-path "$1" --method "$2" "${@:3}" 2>&1); then
                printf '%s\n' "$out"
        else
                sed -n 's/^.*GDBus\.Error:\([^:]*\): \(.*\)$/ERROR \1: \2/p' <<<"$out" | head -n 1
        fi
}

# typed_call PATH INTERFACE METHOD SIGNATURE PYTHON_ARGS: the call sent with exactly SIGNATURE, whatever the
# method expects (PYTHON_ARGS a Python tuple, "('inet', 5)"); prints "answered" or "ERROR <name>: <message>"
typed_call() {
        /usr/bin/python3 -c '
import ast, dbus, os, sys
bus = dbus.bus.BusConnection(os.environ["DBUS_SYSTEM_BUS_ADDRESS"])
try:
    bus.get_object(sys.argv[1], sys.argv[2]).get_dbus_method(sys.argv[4], sys.argv[3])(
        *ast.literal_eval(sys.argv[6]), signature=sys.argv[5])
    print("answered")
except dbus.exceptions.DBusException as e:
    print(f"ERROR {e.get_dbus_name()}: {e.get_dbus_message()}")' "$BUS_NAME" "$@"
}

# error_name "ERROR <name>: <message>" -> <name>
error_name() { sed -n 's/^ERROR \([^:]*\):.*/\1/p' <<<"$1"; }

# busctl against the service, --system implied
bus() { busctl --system "$@"; }

# Whether the namespace's kernel has flowtables (CONFIG_NF_FLOW_TABLE): probed with nft itself, in a
# table that is gone afterwards.
kernel_has_flowtables() {
        ip link add nftbus-probe0 type veth peer name nftbus-probe1 2>/dev/null || return 1
        local r=1
        if nft add table inet nftbus_probe && nft add flowtable inet nftbus_probe f \
                '{ hook ingress priority 0; devices = { nftbus-probe0 }; }' 2>/dev/null; then r=0; fi
        nft delete table inet nftbus_probe 2>/dev/null
        ip link del nftbus-probe0 2>/dev/null
        return $r
}

# call PATH INTERFACE METHOD [SIGNATURE ARGS...]: busctl's answer from the service
call() { bus call $BUS_NAME "$@"; }

# err PATH INTERFACE METHOD [SIGNATURE ARGS...]: the message of the error the call fails with
err() { busctl --system call $BUS_NAME "$@" 2>&1 >/dev/null | sed 's/^Call failed: //'; }

# strip_expiry: nft's listing without the time elements have left, which changes from one listing to the next
strip_expiry() { sed -E 's/ expires [0-9hms]+//g'; }

# wait_until EXPECTED COMMAND...: until COMMAND prints EXPECTED, for at most 60 s: a loaded machine is late,
# not wrong. Whether it came is for the assertion that follows to say.
wait_until() {
        local expected=$1
        shift
        for _ in $(seq 1 600); do
                [ "$("$@")" == "$expected" ] && return 0
                sleep 0.1
        done
        return 1
}

# monitor_start FILE: busctl monitor of the service's messages into FILE (--json=short), in $monitor, once it
# is recording: it has seen a call made after it started
monitor_start() {
        busctl --system monitor $BUS_NAME --json=short >"$1" 2>/dev/null &
        monitor=$!
        for _ in $(seq 1 600); do
                bus get-property $BUS_NAME $ROOT $IFACE.Manager Version >/dev/null
                [ -s "$1" ] && return 0
                sleep 0.1
        done
        return 1
}

# signals_of FILE MEMBER PATH_REGEX: the first argument (the object path) of each MEMBER signal in FILE whose
# path matches, sorted, on one line
signals_of() {
        jq -r "select(.type == \"signal\" and .member == \"$2\") | .payload.data[0]" "$1" | grep -E "$3" | sort |
                tr '\n' ' '
}

# alive [PID]: "alive" while nftbusd (PID, or the harness's) runs and owns its name, else "gone"
alive() {
        kill -0 "${1:-$NFTBUSD_PID}" 2>/dev/null && busctl --system status "$BUS_NAME" >/dev/null 2>&1 && echo alive ||
                echo gone
}

# wait_executor [OLD_PID]: the PID of nftbusd's executor child, once there is one other than OLD_PID
wait_executor() {
        local p
        for _ in $(seq 1 1200); do
                p=$(pgrep -P "$NFTBUSD_PID" -x nftbus-executor | head -n 1)
                [ -n "$p" ] && [ "$p" != "${1:-}" ] && { echo "$p"; return 0; }
                sleep 0.05
        done
        return 1
}

# wait_executor_queue PID MIN: until more than MIN bytes wait unread in the socket of executor PID (a
# frozen one: the request is in flight); prints how many
wait_executor_queue() {
        local queued
        for _ in $(seq 1 1200); do
                queued=$(ss -xpH 2>/dev/null | awk -v p="pid=$1," 'index($0, p) { print $3; exit }')
                [ -n "$queued" ] && [ "$queued" -gt "$2" ] && break
                sleep 0.05
        done
        echo "${queued:-0}"
}

# assert_contract FILE OBJECT_PATH [BUS_NAME]: the interface of introspection/FILE as the running object (on
# BUS_NAME, the service's by default) introspects it: methods, arguments, properties, signals, annotations
assert_contract() {
        local live out
        live=$(mktemp)
        bus call "${3:-$BUS_NAME}" "$2" org.freedesktop.DBus.Introspectable Introspect --json=short | jq -r '.data[0]' >"$live"
        if out=$(python3 "$NFTBUS_SOURCE/tests/integration/compare-introspection.py" "$1" "$live" 2>&1); then
                ok "$(basename "$1" .xml) matches introspection/$(basename "$1")"
        else
                not_ok "$(basename "$1" .xml) matches introspection/$(basename "$1")"
                diag "$out"
        fi
        rm -f "$live"
}

# tap_from NAME < TAP: the assertions of a helper's TAP output (a walk in Python) counted as this test's own;
# a helper that stops before its plan line is a failure
tap_from() {
        local line planned=
        while IFS= read -r line; do
                case $line in
                "ok "*"# SKIP "*) _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - ${line#ok * - }" ;;
                "ok "*) ok "${line#ok * - }" ;;
                "not ok "*) not_ok "${line#not ok * - }" ;;
                "1.."*) planned=yes ;;
                *) echo "$line" ;;
                esac
        done
        [ -n "$planned" ] || not_ok "$1 ran to its end"
}

# skip DESCRIPTION REASON: a TAP skip
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # SKIP $2"; }

# --- real packets ---
# make_network: the test's namespace becomes the middle host of
#
#   client 10.0.1.2 fd00:1::2 ---- c-r | r-c 10.0.1.1 fd00:1::1  HERE  10.0.2.1 fd00:2::1 r-s | s-r ---- server 10.0.2.2 fd00:2::2
#
# Client and server are namespaces held by sleeping processes ($client, $server), gone when the test
# ends. The client has a default route through here; the server has none (a route back is the test's
# business). in_client and in_server run commands there.
make_network() {
        # the namespaces live while these sleep: an hour, longer than any test runs on a loaded machine (the
        # longest, firewalld-packets, took 611 s once; at 600 s the namespaces went away under it), and gone by
        # themselves if the test is killed before its trap runs
        unshare -n sleep 3600 &
        client=$!
        unshare -n sleep 3600 &
        server=$!
        _network_pids="$client $server"
        trap 'kill $_network_pids 2>/dev/null' EXIT
        # until both have their own network namespaces (unshare made them; before that, a veth sent to
        # the pid would land in this namespace)
        local own=$(readlink /proc/self/ns/net)
        for _ in $(seq 1 600); do
                [ "$(readlink /proc/$client/ns/net)" != "$own" ] && [ "$(readlink /proc/$server/ns/net)" != "$own" ] &&
                        break
                sleep 0.1
        done
        ip link add r-c type veth peer name c-r netns "$client"
        ip link add r-s type veth peer name s-r netns "$server"
        ip addr add 10.0.1.1/24 dev r-c
        ip addr add 10.0.2.1/24 dev r-s
        ip addr add fd00:1::1/64 dev r-c nodad
        ip addr add fd00:2::1/64 dev r-s nodad
        ip link set lo up; ip link set r-c up; ip link set r-s up
        # rejects answer every time: the kernel limits the ICMP errors it sends to a host to one a second,
        # and a test's second refused connection within that second would otherwise see no answer
        sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
        in_client ip addr add 10.0.1.2/24 dev c-r
        in_client ip addr add fd00:1::2/64 dev c-r nodad
        in_client ip link set lo up
        in_client ip link set c-r up
        in_client ip route add default via 10.0.1.1
        in_client ip -6 route add default via fd00:1::1
        in_server ip addr add 10.0.2.2/24 dev s-r
        in_server ip addr add fd00:2::2/64 dev s-r nodad
        in_server ip link set lo up
        in_server ip link set s-r up
}
in_client() { nsenter -t "$client" -n "$@"; }
in_server() { nsenter -t "$server" -n "$@"; }

# A TCP service on every port given, IPv4 and IPv6, that answers each connection with the address it
# came from. Start it in the background with plain nsenter (or directly, for this namespace), and add
# its PID to $_network_pids:  nsenter -t $server -n python3 -c "$ANSWER_PEER" 80 &
ANSWER_PEER='
import selectors, socket, sys
sel = selectors.DefaultSelector()
for port in sys.argv[1:]:
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", int(port))); s.listen(16); sel.register(s, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        c, peer = key.fileobj.accept()
        c.sendall((peer[0].removeprefix("::ffff:") + "\n").encode()); c.close()
'
# answer_peers: ANSWER_PEER on 22, 80 and 8080 here, 80 on the server and 9000 on the client (make_network's
# hosts), each listening once this returns
answer_peers() {
        python3 -c "$ANSWER_PEER" 22 80 8080 &
        _network_pids+=" $!"
        nsenter -t "$server" -n python3 -c "$ANSWER_PEER" 80 &
        _network_pids+=" $!"
        nsenter -t "$client" -n python3 -c "$ANSWER_PEER" 9000 &
        _network_pids+=" $!"
        wait_listening 8080; wait_listening 80 in_server; wait_listening 9000 in_client
}

# wait_listening PORT [in_client|in_server]: until something listens on PORT there
wait_listening() {
        for _ in $(seq 600); do ${2:-} ss -ltn | grep -q ":$1 " && return 0; sleep 0.1; done
        return 1
}

# connect_from WHERE SOURCE HOST PORT: from namespace WHERE (in_client, in_server, or "" for this one),
# what the service at HOST PORT answered, or "no answer" (dropped), "refused" (a TCP reset),
# "unreachable" (rejected with ICMP): the kernel's verdict within a second, then as long as a loaded machine
# takes for the service to say its line (its accept and write are a process's, the handshake the kernel's).
connect_from() {
        $1 python3 -c '
import errno, socket, sys
src, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
s.settimeout(1)
try:
    s.bind((src, 0)); s.connect((host, port)); s.settimeout(30); print(s.makefile().readline().strip())
except socket.timeout: print("no answer")
except ConnectionRefusedError: print("refused")
except OSError as e: print("unreachable" if e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EACCES) else e)
' "${@:2}"
}

# nftbusd_following: "following" while nftbusd's netlink sockets are in the nftables event group (group 7,
# bit 0x40, of /proc/net/netlink's Groups for protocol 12, NETLINK_NETFILTER), "idle" otherwise
nftbusd_following() {
        local inodes
        inodes=$(ls -l /proc/"$NFTBUSD_PID"/fd 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p' | tr '\n' ' ')
        awk -v inodes=" $inodes" '$2 == 12 && index(inodes, " " $NF " ") { print $4 }' /proc/net/netlink |
                while read -r groups; do (( 0x$groups & 0x40 )) && echo yes; done | head -n 1 | grep -q yes &&
                echo following || echo idle
}

# restart_nftbusd: the harness's nftbusd stopped (SIGTERM, waited for) and started again, with
# $NFTBUSD_ARGS if set; NFTBUSD_PID is the new one, which done_testing stops and checks
restart_nftbusd() {
        kill -TERM "$NFTBUSD_PID"
        for _ in $(seq 1 600); do kill -0 "$NFTBUSD_PID" 2>/dev/null || break; sleep 0.1; done
        start_nftbusd >/dev/null
        _nftbusd_restarted=1
}

FWD=org.fedoraproject.FirewallD1

# nftbusd_serving_firewalld_api: nftbusd restarted with zones on (the built-in ones, default zone public) and
# firewalld's API served (the bus's policy for it in place), until it has firewalld's name
nftbusd_serving_firewalld_api() {
        sed -i "s|</busconfig>|  <include>$NFTBUS_SOURCE/units/$FWD.nftbus.conf</include>\n</busconfig>|" \
                "$NFTBUS_RUNDIR/bus.conf"
        bus call org.freedesktop.DBus / org.freedesktop.DBus ReloadConfig
        printf 'Zones=yes\nDefaultZone=public\nFirewallDAPI=yes\n' >"$CONFIGURATION_DIRECTORY/nftbus.conf"
        restart_nftbusd
        wait_for_name $FWD "$NFTBUSD_PID"
}

# walk_setup: nftbusd serving firewalld's API (tests/integration/privilege-walk.py's world)
walk_setup() {
        nftbusd_serving_firewalld_api
        NFTBUS_KERNEL_FLOWTABLES=$(kernel_has_flowtables && echo yes || echo no)
        export NFTBUS_KERNEL_FLOWTABLES
}

# assert_same DESCRIPTION EXPECTED_FILE ACTUAL_FILE: ok when the two files are the same, else their diff
assert_same() {
        local difference
        if difference=$(diff -u "$2" "$3"); then
                ok "$1"
        else
                not_ok "$1"
                diag "$difference"
        fi
}

# fail2ban_start ACTION: the real fail2ban-server, as the test user, with one jail (test-login: three
# "Failed login from HOST" lines in $f2b/auth.log within ten minutes ban HOST for ten) that bans through ACTION
# (a jail's action line, its action file copied into $f2b/action.d first); f2b_client runs fail2ban-client
fail2ban_start() {
        mkdir -p "$f2b/filter.d" "$f2b/action.d"
        printf '[Definition]\nfailregex = ^Failed login from <HOST>$\nignoreregex =\ndatepattern = {NONE}\n' \
                >"$f2b/filter.d/test-login.conf"
        printf '[Definition]\nloglevel = INFO\nlogtarget = %s\nsocket = %s\npidfile = %s\ndbfile = :memory:\n' \
                "$f2b/fail2ban.log" "$f2b/fail2ban.sock" "$f2b/fail2ban.pid" >"$f2b/fail2ban.conf"
        : >"$f2b/auth.log"
        printf '[DEFAULT]\nignoreip =\n[test-login]\nenabled = true\nfilter = test-login\nlogpath = %s\n' "$f2b/auth.log" \
                >"$f2b/jail.conf"
        printf 'backend = polling\nmaxretry = 3\nfindtime = 600\nbantime = 600\naction = %s\n' "$1" >>"$f2b/jail.conf"
        chown -R "$NFTBUS_TEST_UID" "$f2b"
        as_user fail2ban-server -f -x -c "$f2b" >"$f2b/server.out" 2>&1 &
        f2b_server=$!
        _network_pids+=" $f2b_server"
        wait_until up f2b_jail_up
        assert_eq "fail2ban-server runs as the test user, its jail up" "up|$NFTBUS_TEST_UID" \
                "$(f2b_jail_up)|$(ps -o uid= -p "$(cat "$f2b/fail2ban.pid" 2>/dev/null)" 2>/dev/null | tr -d ' ')"
}
f2b_client() { as_user fail2ban-client -c "$f2b" "$@"; }
f2b_jail_up() { f2b_client status test-login >/dev/null 2>&1 && echo up; }
# f2b_unban IP WHAT: fail2ban says IP is banned; unbanned, the test's banned() prints nothing (WHAT says where
# it went) and the test's from() gets IP to the client's port 8080 again
f2b_unban() {
        assert_eq "fail2ban says so" "$1" "$(f2b_client get test-login banip 2>/dev/null | tr -d "[]',\"" | xargs)"
        f2b_client set test-login unbanip "$1" >/dev/null
        wait_until "" banned
        assert_eq "unban: $2" "" "$(banned)"
        assert_eq "and it gets in again" "$1" "$(from "$1" 10.0.1.1 8080)"
}

# require_firewalld WHAT: the test skipped, and ended, where Debian's firewalld is not installed
require_firewalld() {
        if ! command -v firewalld >/dev/null || ! command -v firewall-cmd >/dev/null; then
                skip "$1" "firewalld is not installed (tools/deps installs it)"
                done_testing
                exit 0
        fi
}

# firewalld_start LOG: the real firewalld, from the zones its package ships and NetworkManager's nm-shared (the default zone public, nftables, IPv6
# reverse path), on the harness's private bus and in this namespace, its configuration on a tmpfs over
# /etc/firewalld (in the harness's own mount namespace); $firewalld is its PID, once firewall-cmd says running
firewalld_start() {
        firewalld_files
        firewalld_run "$1"
}
# firewalld_files: firewalld's folders made as firewalld_start runs it on them (a tmpfs over /etc/firewalld,
# firewalld's own shipped zones over /usr/lib/firewalld/zones), and its name allowed on the bus
firewalld_files() {
        mount -t tmpfs tmpfs /etc/firewalld
        mkdir -p /etc/firewalld/zones /etc/firewalld/services
        printf 'DefaultZone=public\nCleanupOnExit=yes\nLockdown=no\nIPv6_rpfilter=yes\nIndividualCalls=no\nLogDenied=off\n' \
                >/etc/firewalld/firewalld.conf
        printf 'FirewallBackend=nftables\nFlushAllOnReload=yes\n' >>/etc/firewalld/firewalld.conf
        # firewalld's own shipped zones, not those other packages add beside them (NetworkManager's nm-shared)
        local shipped=$NFTBUS_RUNDIR/firewalld-zones f
        mkdir -p "$shipped"
        for f in /usr/lib/firewalld/zones/*.xml; do
                if ! command -v dpkg >/dev/null || [ "$(dpkg -S "$f" 2>/dev/null | cut -d: -f1)" = firewalld ]; then
                        cp "$f" "$shipped/"
                fi
        done
        # and NetworkManager's nm-shared, which nftbus has built in: as NetworkManager 1.42 ships it for firewalld
        cat >"$shipped/nm-shared.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<zone target="ACCEPT">
  <short>NetworkManager Shared</short>
  <rule priority='32767'>
    <reject/>
  </rule>
  <protocol value='icmp'/>
  <protocol value='ipv6-icmp'/>
  <service name="dhcp"/>
  <service name="dns"/>
  <service name="ssh"/>
</zone>
EOF
        mount --bind "$shipped" /usr/lib/firewalld/zones
        sed -i "s|</busconfig>|  <include>/usr/share/dbus-1/system.d/FirewallD.conf</include>\n</busconfig>|" \
                "$NFTBUS_RUNDIR/bus.conf"
        bus call org.freedesktop.DBus / org.freedesktop.DBus ReloadConfig
}
# nftbusd_in_firewalds_place: firewalld (firewalld_start's) stopped, then nftbusd_serving_firewalld_api: the second
# half of a comparison
nftbusd_in_firewalds_place() {
        kill -TERM $firewalld
        wait $firewalld
        nftbusd_serving_firewalld_api
}
# firewalld_run LOG: the real firewalld on the files as they are, until it answers
firewalld_run() {
        firewalld --nofork --nopid >"$1" 2>&1 &
        firewalld=$!
        wait_until running firewall-cmd --state
}

# systemd_world FIREWALL: the real systemd (Debian's /lib/systemd/systemd) as PID 1 of a PID namespace of its own, in
# the harness's network namespace and a mount namespace of its own, running the firewall as a host runs it: its own
# D-Bus system bus (dbus.socket, dbus.service: Debian's units, the harness's bus policy), polkit.service, and
# FIREWALL: "firewalld" (Debian's firewalld.service, on firewalld_files' /etc/firewalld) or "nftbus" (the build's
# nftbusd.service, with nftbus-firewalld-generator run by systemd, so that firewalld.service is its alias; the
# harness's nftbus.conf as /etc/nftbus). Nothing of the host's units: the world's unit folders are its own (bound over
# /usr/lib/systemd/system, its generators' and /etc/systemd/system), its /run and /var/lib are tmpfs. Returns once
# the firewall has firewalld's name on the world's bus, whose address is then $DBUS_SYSTEM_BUS_ADDRESS;
# $world_systemd is systemd's PID; systemd_world_stop ends it all and gives the harness's bus back.
systemd_world() {
        world=$NFTBUS_RUNDIR/world-$1
        local units=$world/units t
        mkdir -p "$units" "$world/generators" "$world/etc-units"
        # the targets a service's default dependencies name, without the units they pull in on a host
        for t in sysinit basic sockets timers paths slices local-fs local-fs-pre swap shutdown network-pre multi-user; do
                cp /lib/systemd/system/$t.target "$units/"
        done
        cp /lib/systemd/system/dbus.socket /lib/systemd/system/dbus.service /lib/systemd/system/polkit.service "$units/"
        # the bus: the harness's policy, systemd's, the firewall's. Cockpit's services dialog asks every service's
        # settings at once (three calls each, over 200 services): more pending replies than dbus-daemon's default of
        # 128 per connection, which fails the dialog against firewalld as against nftbusd
        sed "s|</busconfig>|  <include>/usr/share/dbus-1/system.d/org.freedesktop.systemd1.conf</include>\n  <limit name=\"max_replies_per_connection\">2048</limit>\n</busconfig>|" \
                "$NFTBUS_RUNDIR/bus.conf" >"$world/bus.conf"
        mkdir -p "$units/dbus.socket.d" "$units/dbus.service.d"
        printf '[Socket]\nListenStream=\nListenStream=%s\n' "$world/bus" >"$units/dbus.socket.d/world.conf"
        printf '[Service]\nExecStart=\nExecStart=/usr/bin/dbus-daemon --config-file=%s --address=systemd: --nofork --nopidfile --systemd-activation --nosyslog\nStandardError=append:%s\n' \
                "$world/bus.conf" "$world/dbus.log" >"$units/dbus.service.d/world.conf"
        if [ "$1" = nftbus ]; then
                sed -i "s|</busconfig>|  <include>$NFTBUS_SOURCE/units/$FWD.nftbus.conf</include>\n</busconfig>|" "$world/bus.conf"
                cp "$NFTBUS_BUILD/units/nftbusd.service" "$units/"
                # the build's nftbusd, where the unit is installed: the build tree is under /tmp (so no PrivateTmp), the
                # services catalogue the tree's; a sanitizer's leak check stops the world's threads with ptrace, which
                # the unit's system call filter refuses
                mkdir -p "$units/nftbusd.service.d"
                {
                        printf '[Service]\nExecStart=\nExecStart=%s\nPrivateTmp=no\n' "$NFTBUSD"
                        printf 'Environment=NFTBUS_DATA_DIR=%s ASAN_OPTIONS=%s UBSAN_OPTIONS=%s\n' "$NFTBUS_DATA_DIR" \
                                "$ASAN_OPTIONS" "$UBSAN_OPTIONS"
                        printf 'StandardOutput=append:%s\nStandardError=inherit\n' "$NFTBUSD_LOG"
                        ldd "$NFTBUSD" | grep -q -e libasan -e libubsan && printf 'SystemCallFilter=\nMemoryDenyWriteExecute=no\n'
                } >"$units/nftbusd.service.d/world.conf"
                install -m 0755 "$NFTBUS_BUILD/units/nftbus-firewalld-generator" "$world/generators/"
                # enabled as the package's postinst enables it
                mkdir -p "$world/etc-units/multi-user.target.wants"
                ln -s /usr/lib/systemd/system/nftbusd.service "$world/etc-units/multi-user.target.wants/"
                mkdir -p /etc/nftbus
                mount --bind "$CONFIGURATION_DIRECTORY" /etc/nftbus
        else
                sed -i "s|</busconfig>|  <include>/usr/share/dbus-1/system.d/FirewallD.conf</include>\n</busconfig>|" "$world/bus.conf"
                cp /lib/systemd/system/firewalld.service "$units/"
                mkdir -p "$world/etc-units/multi-user.target.wants"
                ln -s /usr/lib/systemd/system/firewalld.service "$world/etc-units/multi-user.target.wants/"
        fi
        printf '[Unit]\nDescription=the test world\nRequires=multi-user.target\nWants=dbus.socket polkit.service\n' \
                >"$units/world.target"
        cat >"$world/init.sh" <<EOI
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=0755 tmpfs /var/lib
mkdir -p /run/dbus
ln -s $world/bus /run/dbus/system_bus_socket
mount --bind $units /usr/lib/systemd/system
mount --bind $world/generators /usr/lib/systemd/system-generators
mount --bind $world/etc-units /etc/systemd/system
: >$world/console
mount --bind $world/console /dev/console
unset DBUS_SYSTEM_BUS_ADDRESS
export container=nftbus-test
exec /lib/systemd/systemd --system --unit=world.target --log-target=console
EOI
        unshare --pid --fork --mount --mount-proc --propagation private bash "$world/init.sh" >"$world/systemd.log" 2>&1 &
        world_unshare=$!
        harness_bus=$DBUS_SYSTEM_BUS_ADDRESS
        export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$world/bus
        for _ in $(seq 1 1200); do
                world_systemd=$(pgrep -P "$world_unshare" -x systemd) && break
                sleep 0.05
        done
        for _ in $(seq 1 1200); do
                busctl --system status $FWD >/dev/null 2>&1 && return 0
                kill -0 "$world_systemd" 2>/dev/null || break
                sleep 0.05
        done
        echo "systemd_world: $1 did not come up" >&2
        return 1
}

# world_unit_state UNIT: its ActiveState and its main process's exit status, as the world's systemd tells them
world_unit_state() {
        local path
        path=$(busctl --system call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager \
                LoadUnit s "$1" | cut -d'"' -f2)
        echo "$(busctl --system get-property org.freedesktop.systemd1 "$path" org.freedesktop.systemd1.Unit ActiveState |
                cut -d'"' -f2) $(busctl --system get-property org.freedesktop.systemd1 "$path" \
                org.freedesktop.systemd1.Service ExecMainStatus | cut -d' ' -f2)"
}

# systemd_world_stop: the world's firewall stopped by its systemd (it must exit 0: sanitizers make nftbusd exit
# non-zero on leaks and errors), then that systemd and every process of its PID namespace killed
systemd_world_stop() {
        local rc=0
        [ -n "${world_systemd:-}" ] || return 0
        busctl --system call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager \
                StopUnit ss firewalld.service replace >/dev/null
        if ! wait_until "inactive 0" world_unit_state firewalld.service; then
                echo "systemd_world_stop: the firewall did not stop cleanly: $(world_unit_state firewalld.service)" >&2
                rc=1
        fi
        kill -KILL "$world_systemd"
        wait "$world_unshare" 2>/dev/null
        umount /etc/nftbus 2>/dev/null
        world_systemd=
        export DBUS_SYSTEM_BUS_ADDRESS=$harness_bus
        return $rc
}
