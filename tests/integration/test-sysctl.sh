#!/usr/bin/env bash
# (run by meson with: harness --rules delegate-sysctl.rules)
# Sysctl over busctl and gdbus: Get, Set and List of the allow-list in the test's own network namespace,
# checked against /proc/sys; the kernel's real ranges; per-interface parameters, dotted interface names
# included; parameters the kernel lacks or makes read-only here; names off the list, bad values and
# injection attempts refused before anything changes; one parameter delegated through polkit.
source "$(dirname "$0")/lib.sh"

S=$ROOT/sysctl
call() { bus call $BUS_NAME $S $IFACE.Sysctl "$@"; }
set_ok() { call Set ss "$1" "$2" && echo set; }
err() { busctl --system call $BUS_NAME $S $IFACE.Sysctl "$@" 2>&1 >/dev/null | sed 's/^Call failed: //'; }
proc() { tr '\t' ' ' </proc/sys/net/"$1"; }
denied="ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for"
invalid="ERROR org.nftbus.Firewall1.Error.InvalidArgument"

assert_eq "Get" "s \"$(proc ipv4/ip_forward)\"" "$(call Get s net.ipv4.ip_forward)"
assert_eq "Set" "set" "$(set_ok net.ipv4.ip_forward 1)"
assert_eq "the kernel has it" "1" "$(proc ipv4/ip_forward)"
assert_eq "rp_filter takes 2 (loose), as the kernel does" "set" "$(set_ok net.ipv4.conf.all.rp_filter 2)"
assert_eq "rp_filter in the kernel" "2" "$(proc ipv4/conf/all/rp_filter)"
assert_eq "accept_ra takes 2" "set" "$(set_ok net.ipv6.conf.default.accept_ra 2)"
assert_eq "accept_ra in the kernel" "2" "$(proc ipv6/conf/default/accept_ra)"
assert_eq "a port range" "set" "$(set_ok net.ipv4.ip_local_port_range '20000 40000')"
assert_eq "the kernel's port range" "20000 40000" "$(proc ipv4/ip_local_port_range)"
assert_eq "Get of a port range" 's "20000 40000"' "$(call Get s net.ipv4.ip_local_port_range)"

# per interface (a VLAN's name has a dot: so may an interface's)
ip link add d0 type veth peer name d0.5
assert_eq "an interface's parameter" "set" "$(set_ok net.ipv4.conf.d0.forwarding 1)"
assert_eq "in the kernel" "1" "$(proc ipv4/conf/d0/forwarding)"
assert_eq "an interface name with a dot" "set" "$(set_ok net.ipv4.conf.d0.5.rp_filter 1)"
assert_eq "in the kernel" "1" "$(proc ipv4/conf/d0.5/rp_filter)"
assert_eq "IPv6 per interface" "set" "$(set_ok net.ipv6.conf.d0.accept_redirects 0)"
assert_eq "in the kernel" "0" "$(proc ipv6/conf/d0/accept_redirects)"
assert_eq "an interface that is not there" "No interface nope here (net.ipv4.conf.nope.forwarding)" \
        "$(err Set ss net.ipv4.conf.nope.forwarding 1)"
assert_eq "its error name" "org.nftbus.Firewall1.Error.NotFound" \
        "$(error_name "$(gdbus_call $S $IFACE.Sysctl.Get net.ipv4.conf.nope.forwarding)")"

# List
list=$(call List --json=short | jq -r '.data[0][] | "\(.[0])=\(.[1])"')
assert_eq "List has the global ones with their values" "net.ipv4.ip_forward=1" "$(grep '^net.ipv4.ip_forward=' <<<"$list")"
assert_eq "and every interface, after all and default" \
        "$(printf 'net.ipv4.conf.%s.forwarding=%s\n' all "$(proc ipv4/conf/all/forwarding)" \
                default "$(proc ipv4/conf/default/forwarding)" d0 1 d0.5 "$(proc ipv4/conf/d0.5/forwarding)" \
                lo "$(proc ipv4/conf/lo/forwarding)")" \
        "$(grep '^net.ipv4.conf\.[^=]*\.forwarding=' <<<"$list")"
assert_eq "each name once" "" "$(cut -d= -f1 <<<"$list" | sort | uniq -d)"
assert_eq "every listed value is the kernel's" "" "$(while IFS='=' read -r name value; do
        file=$(sed 's|^net\.ipv\([46]\)\.conf\.\(.*\)\.\([a-z0-9_]*\)$|ipv\1/conf/\2/\3|; t; s|\.|/|g; s|^net/||' <<<"$name")
        [ "$(proc "$file")" = "$value" ] || echo "$name=$value, kernel $(proc "$file")"
done <<<"$list")"
assert_eq "List has the allow-list's 70 parameters but the one this kernel lacks (nf_conntrack_helper): 45 global, 24 per interface" "45 24" \
        "$(grep -vc '\.conf\.' <<<"$list") $(grep -c '\.conf\.all\.' <<<"$list")"
assert_eq "among them the hardening knobs of other tools' lists" "$(printf '%s\n' \
        net.ipv4.conf.all.arp_announce net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.log_martians \
        net.ipv4.icmp_ignore_bogus_error_responses net.ipv4.tcp_rfc1337 net.ipv6.conf.all.disable_ipv6 \
        net.ipv6.icmp.echo_ignore_all)" \
        "$(cut -d= -f1 <<<"$list" | grep -xE 'net.ipv4.conf.all.(arp_announce|arp_ignore|log_martians)|net.ipv4.(icmp_ignore_bogus_error_responses|tcp_rfc1337)|net.ipv6.conf.all.disable_ipv6|net.ipv6.icmp.echo_ignore_all' | sort)"
assert_eq "a parameter of the allow-list this kernel lacks is NotFound" "org.nftbus.Firewall1.Error.NotFound" \
        "$(error_name "$(gdbus_call $S $IFACE.Sysctl.Get net.netfilter.nf_conntrack_helper)")"
assert_eq "set within the kernel's range" "set" "$(set_ok net.ipv4.conf.d0.arp_ignore 8)"
assert_eq "in the kernel" "8" "$(proc ipv4/conf/d0/arp_ignore)"
assert_eq "and out of it" "Invalid value 9 for net.ipv4.conf.d0.arp_ignore: expected 0 to 8" \
        "$(err Set ss net.ipv4.conf.d0.arp_ignore 9)"
assert_eq "IPv6 off on an interface" "set" "$(set_ok net.ipv6.conf.d0.disable_ipv6 1)"
assert_eq "in the kernel" "1" "$(proc ipv6/conf/d0/disable_ipv6)"

# refusals change nothing
before=$(call List)
assert_eq "a value out of range" "Invalid value 3 for net.ipv4.conf.all.rp_filter: expected 0, 1 or 2" \
        "$(err Set ss net.ipv4.conf.all.rp_filter 3)"
assert_eq "a name off the list" "Unknown sysctl parameter 'kernel.hostname': List() shows what nftbus reads and sets" \
        "$(err Set ss kernel.hostname evil)"
assert_eq "a path" "Unknown sysctl parameter '/proc/sys/net/ipv4/ip_forward': List() shows what nftbus reads and sets" \
        "$(err Get s /proc/sys/net/ipv4/ip_forward)"
assert_eq "a path through an interface name" \
        "Invalid device '../../../../kernel': an interface name has 1 to 15 characters" \
        "$(err Set ss net.ipv4.conf.../../../../kernel.hostname 1)"
assert_eq "an injection attempt in the value" "Invalid value for net.ipv4.ip_forward: '1; reboot' is not an integer" \
        "$(err Set ss net.ipv4.ip_forward '1; reboot')"
assert_eq "a new line in the value" "Invalid value for net.ipv4.ip_forward: '0\\x0a1' is not an integer" \
        "$(err Set ss net.ipv4.ip_forward $'0\n1')"
assert_eq "a huge value" "Invalid value for net.netfilter.nf_conntrack_max: '$(printf '9%.0s' {1..40})' is not an integer" \
        "$(err Set ss net.netfilter.nf_conntrack_max "$(printf '9%.0s' {1..40})")"
assert_eq "a port range upside down" \
        "Invalid port range 40000 20000 for net.ipv4.ip_local_port_range: expected 1 <= low <= high <= 65535" \
        "$(err Set ss net.ipv4.ip_local_port_range '40000 20000')"
assert_eq "a value the kernel refuses (ports below ip_unprivileged_port_start)" \
        "The kernel refused 100 200 for net.ipv4.ip_local_port_range" \
        "$(err Set ss net.ipv4.ip_local_port_range '100 200')"
assert_eq "the error name of a refused value" "org.nftbus.Firewall1.Error.Rejected" \
        "$(error_name "$(gdbus_call $S $IFACE.Sysctl.Set net.ipv4.ip_local_port_range '100 200')")"
assert_eq "a wrong argument type" "Invalid arguments 'si' to call org.nftbus.Firewall1.Sysctl.Set(), expecting 'ss'." \
        "$(err Set si net.ipv4.ip_forward 1)"
assert_eq "after the refusals every parameter is as it was" "$before" "$(call List)"

# read-only in a network namespace: conntrack's table size belongs to the initial namespace
nft add table ip conntrack_probe
nft add chain ip conntrack_probe c
nft add rule ip conntrack_probe c ct state established accept
if [ -e /proc/sys/net/netfilter/nf_conntrack_max ]; then
        assert_eq "a parameter read-only here is Rejected, named" \
                "net.netfilter.nf_conntrack_max is read-only here: the kernel lets only the initial network namespace change it" \
                "$(err Set ss net.netfilter.nf_conntrack_max 1000)"
        assert_eq "and can still be read" "s \"$(proc netfilter/nf_conntrack_max)\"" \
                "$(call Get s net.netfilter.nf_conntrack_max)"
        assert_eq "a conntrack timeout is the namespace's own" "set" \
                "$(set_ok net.netfilter.nf_conntrack_tcp_timeout_established 7200)"
        assert_eq "in the kernel" "7200" "$(proc netfilter/nf_conntrack_tcp_timeout_established)"
else
        skip "a parameter read-only here is Rejected" "this kernel has no nf_conntrack"
        skip "and can still be read" "this kernel has no nf_conntrack"
        skip "a conntrack timeout is the namespace's own" "this kernel has no nf_conntrack"
        skip "in the kernel" "this kernel has no nf_conntrack"
fi
nft delete table ip conntrack_probe

# nftbusctl
assert_eq "nftbusctl sysctl set" "0" "$(nftbusctl sysctl set net.ipv4.conf.d0.forwarding 0; echo $?)"
assert_eq "nftbusctl sysctl get" "0" "$(nftbusctl sysctl get net.ipv4.conf.d0.forwarding)"
assert_eq "--json" '{"name":"net.ipv4.ip_local_port_range","value":"20000 40000"}' \
        "$(nftbusctl --json sysctl get net.ipv4.ip_local_port_range | jq -c .)"
assert_eq "nftbusctl sysctl list" "net.ipv4.conf.d0.forwarding = 0" \
        "$(nftbusctl sysctl list | grep '^net.ipv4.conf.d0.forwarding ')"
assert_eq "list --json is what List returns" "$(call List --json=short | jq -c '[.data[0][] | {name: .[0], value: .[1]}]')" \
        "$(nftbusctl --json sysctl list | jq -c .)"
assert_eq "a bad value exits 2, with the service's sentence" \
        "Failed to set the sysctl: Invalid value 5 for net.ipv4.ip_forward: expected 0 or 1 (org.nftbus.Firewall1.Error.InvalidArgument) 2" \
        "$(nftbusctl sysctl set net.ipv4.ip_forward 5 2>&1 | tr -d '\n'; echo " ${PIPESTATUS[0]}")"
assert_eq "a missing interface exits 3" "3" "$(nftbusctl sysctl get net.ipv4.conf.nope.forwarding 2>/dev/null; echo $?)"
assert_eq "a wrong subcommand is a usage error" "2" "$(nftbusctl sysctl frob 2>/dev/null; echo $?)"

# polkit: the test user is delegated net.ipv4.ip_forward only
assert_eq "reading is open to every user (org.nftbus.Firewall1.read)" "('$(proc ipv4/ip_forward)',)" \
        "$(as_user gdbus_call $S $IFACE.Sysctl.Get net.ipv4.ip_forward)"
assert_eq "and set the delegated parameter" "()" "$(as_user gdbus_call $S $IFACE.Sysctl.Set net.ipv4.ip_forward 0)"
assert_eq "the kernel has it" "0" "$(proc ipv4/ip_forward)"
assert_eq "another parameter is refused" "$denied org.nftbus.Firewall1.sysctl" \
        "$(as_user gdbus_call $S $IFACE.Sysctl.Set net.ipv4.conf.all.forwarding 1)"
assert_eq "and not changed" "0" "$(proc ipv4/conf/all/forwarding)"
assert_eq "a bad value is InvalidArgument before polkit is asked" \
        "$invalid: Invalid value 2 for net.ipv4.conf.all.forwarding: expected 0 or 1" \
        "$(as_user gdbus_call $S $IFACE.Sysctl.Set net.ipv4.conf.all.forwarding 2)"

done_testing
