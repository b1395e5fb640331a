#!/usr/bin/env bash
# The Preset objects over busctl: their options, Preview's exact batch, Apply's convergence (twice is
# nothing, new options leave no duplicates, list changes leave the rules and their counters alone), the
# sysctls of router and harden, a country-size blacknets, refusals that change nothing, and delegation
# of one preset (delegate-presets.rules).
source "$(dirname "$0")/lib.sh"

P=$ROOT/preset
call() { local name=$1 method=$2; shift 2; bus call $BUS_NAME $P/$name $IFACE.Preset $method 'a{sv}' "$@"; }
err() {
        local name=$1 method=$2; shift 2
        busctl --system call $BUS_NAME $P/$name $IFACE.Preset $method 'a{sv}' "$@" 2>&1 >/dev/null |
                sed 's/^Call failed: //'
}
preview() { call "$1" Preview "${@:2}" --json=short | jq -r '.data[0]'; }
# the rules of a preset's table: chain, then the rule without counter values and comment
rules_of() {
        nft list table inet "$1" | awk '/^\tchain/ { chain = $2 } /comment "nftbus preset/ {
                sub(/^\t\t/, ""); sub(/ comment .*/, ""); gsub(/ packets [0-9]+ bytes [0-9]+/, ""); print chain ": " $0 }'
}
handles_of() { nft -j list table inet "$1" | jq -c '[.nftables[] | select(.rule) | .rule.handle]'; }
sysctl_get() { bus call $BUS_NAME $ROOT/sysctl $IFACE.Sysctl Get s "$1" | cut -d'"' -f2; }

# --- the objects ---
assert_eq "every preset is an object" "harden router server workstation" \
        "$(bus tree --list $BUS_NAME | sed -n 's|^/org/nftbus/Firewall1/preset/||p' | sort | xargs)"
assert_eq "Name" 's "server"' "$(bus get-property $BUS_NAME $P/server $IFACE.Preset Name)"
assert_match "Description" '^s "A server after the nftfw model' \
        "$(bus get-property $BUS_NAME $P/server $IFACE.Preset Description)"
options_of() {
        bus get-property $BUS_NAME $P/$1 $IFACE.Preset Options --json=short | jq -c '[.data[] | [.[0], .[1], .[3].data]]'
}
assert_eq "workstation's options: name, signature, default" \
        '[["services","as",[]],["allow_ping","b",true],["log_dropped","b",false]]' "$(options_of workstation)"
assert_eq "server's" \
        '[["whitelist","as",[]],["blacknets","as",[]],["blacklist","as",[]],["blacklist_timeout","u",0],["services","as",[]],["outgoing_reject","as",[]],["allow_ping","b",true]]' \
        "$(options_of server)"
assert_eq "router's" '[["wan","s",""],["lan","as",[]],["masquerade","b",true],["ipv6","b",true]]' "$(options_of router)"
assert_eq "harden's" '[["rp_filter","u",1]]' "$(options_of harden)"
assert_eq "a preset name with a typo: NotFound, naming the presets" \
        "No preset 'routr': the presets are workstation, server, router, harden" \
        "$(err routr Apply 0)"
assert_eq "its properties too" "No preset 'routr': the presets are workstation, server, router, harden" \
        "$(busctl --system get-property $BUS_NAME $P/routr $IFACE.Preset Options 2>&1 | sed 's/^Failed to get property Options on interface org.nftbus.Firewall1.Preset: //')"
assert_eq "introspection of a preset is unchanged" "1" \
        "$(busctl --system introspect $BUS_NAME $P/router $IFACE.Preset | grep -c '^\.Apply ')"

# --- workstation: the batch, then convergence ---
M='comment "nftbus preset workstation 0be53e76"'
T='inet nftbus_workstation'
assert_eq "Preview on an empty kernel is the whole batch" "$(printf '%s\n' \
        "add table $T" \
        "add chain $T input { type filter hook input priority filter; policy drop; }" \
        "flush chain $T input" \
        "add rule $T input iif \"lo\" counter accept $M" \
        "add rule $T input ct state established,related counter accept $M" \
        "add rule $T input icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem, nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, mld-listener-query } counter accept $M" \
        "add rule $T input ct state invalid counter drop $M" \
        "add rule $T input icmp type { destination-unreachable, time-exceeded, parameter-problem } counter accept $M" \
        "add rule $T input ct status dnat counter accept $M" \
        "add rule $T input tcp dport 22 counter accept $M" \
        "add rule $T input tcp dport 53 limit rate 10/minute log prefix \"nftbus workstation domain: \" counter accept $M" \
        "add rule $T input udp dport 53 limit rate 10/minute log prefix \"nftbus workstation domain: \" counter accept $M" \
        "add rule $T input tcp dport 6000-6010 counter accept $M" \
        "add rule $T input udp dport 5353 counter accept $M")" \
        "$(preview workstation 2 services as 4 ssh "domain limit 10/minute log" 6000-6010 5353/udp allow_ping b false)"
assert_eq "and changes nothing" "[]" "$(nft -j list ruleset | jq -c '.nftables[1:]')"
assert_eq "Apply returns the preset's table" 'o "/org/nftbus/Firewall1/table/inet/nftbus_5fworkstation"' \
        "$(call workstation Apply 1 services as 1 ssh)"
handles=$(handles_of nftbus_workstation)
ruleset=$(nft -j list ruleset)
assert_eq "applied again with the same options, Preview is empty" "" "$(preview workstation 1 services as 1 ssh)"
call workstation Apply 1 services as 1 ssh >/dev/null
assert_eq "and Apply changes nothing: the same ruleset, the same handles" "$ruleset" "$(nft -j list ruleset)"
call workstation Apply 1 services as 3 ssh http "ntp limit 5/second" >/dev/null
assert_eq "new options converge: the rules of the new services, none twice" "$(printf '%s\n' \
        'input: tcp dport 22 counter accept' 'input: tcp dport 80 counter accept' \
        'input: udp dport 123 limit rate 5/second counter accept')" \
        "$(rules_of nftbus_workstation | grep dport)"
assert_eq "eleven rules, no duplicate" "11 0" \
        "$(rules_of nftbus_workstation | wc -l) $(rules_of nftbus_workstation | sort | uniq -d | wc -l)"
nft add rule inet nftbus_workstation input tcp dport 9999 accept
call workstation Apply 1 services as 1 ssh >/dev/null
assert_eq "back to ssh alone; a rule added by hand to the preset's chain is gone" \
        "input: tcp dport 22 counter accept" "$(rules_of nftbus_workstation | grep dport)"
assert_eq "nine rules" "9" "$(rules_of nftbus_workstation | wc -l)"

# --- server: lists in sets, rules untouched when only they change ---
call server Apply 3 services as 1 ssh blacklist as 2 198.51.100.7 "198.51.100.8 . 22" \
        blacknets as 3 10.0.0.0/8 10.1.0.0/16 2001:db8::/32 >/dev/null
assert_eq "the server's chains, in nftfw order" "$(printf '%s\n' \
        'input: iif "lo" counter accept' \
        'input: ct state established,related counter accept' \
        'input: icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem, mld-listener-query, nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } counter accept' \
        'input: ct state invalid counter drop' \
        'input: icmp type { destination-unreachable, time-exceeded, parameter-problem } counter accept' \
        'input: ip saddr @whitelist_v4 counter accept' \
        'input: ip6 saddr @whitelist_v6 counter accept' \
        'input: meta l4proto { tcp, udp } ip saddr . th dport @whitelist_ports_v4 counter accept' \
        'input: meta l4proto { tcp, udp } ip6 saddr . th dport @whitelist_ports_v6 counter accept' \
        'input: ip saddr @blacknets_v4 counter drop' \
        'input: ip6 saddr @blacknets_v6 counter drop' \
        'input: ip saddr @blacklist_v4 counter drop' \
        'input: ip6 saddr @blacklist_v6 counter drop' \
        'input: meta l4proto { tcp, udp } ip saddr . th dport @blacklist_ports_v4 counter drop' \
        'input: meta l4proto { tcp, udp } ip6 saddr . th dport @blacklist_ports_v6 counter drop' \
        'input: icmp type echo-request counter accept' \
        'input: icmpv6 type echo-request counter accept' \
        'input: ct status dnat counter accept' \
        'input: tcp dport 22 counter accept' \
        'input: counter reject with icmpx admin-prohibited')" "$(rules_of nftbus_server)"
elements() { nft -j list set inet nftbus_server "$1" | jq -c '[.nftables[1].set.elem // [] | .[]]'; }
assert_eq "blacknets holds the prefixes, 10.1.0.0/16 merged into 10.0.0.0/8" \
        '[{"prefix":{"addr":"10.0.0.0","len":8}}] [{"prefix":{"addr":"2001:db8::","len":32}}]' \
        "$(elements blacknets_v4) $(elements blacknets_v6)"
assert_eq "blacklist the address, blacklist_ports the address on its port" \
        '["198.51.100.7"] [{"concat":["198.51.100.8",22]}]' "$(elements blacklist_v4) $(elements blacklist_ports_v4)"
ping -c 1 -W 1 127.0.0.1 >/dev/null # for the loopback rule's counter
handles=$(handles_of nftbus_server)
lo=$(nft list chain inet nftbus_server input | grep -o 'iif "lo" counter packets [0-9]* bytes [0-9]*')
assert_match "(the loopback rule counted the ping)" 'packets [1-9]' "$lo"
assert_eq "a new blacklist: Preview updates that set alone" "$(printf '%s\n' \
        'flush set inet nftbus_server blacklist_v4' \
        'add element inet nftbus_server blacklist_v4 { 203.0.113.9 timeout 3600s }' \
        'flush set inet nftbus_server blacklist_ports_v4')" \
        "$(preview server 4 services as 1 ssh blacklist as 1 203.0.113.9 blacklist_timeout u 3600 \
                blacknets as 3 10.0.0.0/8 10.1.0.0/16 2001:db8::/32)"
call server Apply 4 services as 1 ssh blacklist as 1 203.0.113.9 blacklist_timeout u 3600 \
        blacknets as 3 10.0.0.0/8 10.1.0.0/16 2001:db8::/32 >/dev/null
assert_eq "Apply did that: the rules kept their handles" "$handles" "$(handles_of nftbus_server)"
assert_eq "and their counters" "$lo" \
        "$(nft list chain inet nftbus_server input | grep -o 'iif "lo" counter packets [0-9]* bytes [0-9]*')"
assert_eq "the blacklist holds the new entry, with its timeout" '203.0.113.9 3600' \
        "$(nft -j list set inet nftbus_server blacklist_v4 | jq -r '.nftables[1].set.elem[0].elem | "\(.val) \(.timeout)"')"
assert_eq "applied again, nothing to do" "" \
        "$(preview server 4 services as 1 ssh blacklist as 1 203.0.113.9 blacklist_timeout u 3600 \
                blacknets as 3 10.0.0.0/8 10.1.0.0/16 2001:db8::/32)"

# a country-size blacknets: 12,800 prefixes
mapfile -t nets < <(for a in $(seq 0 49); do for b in $(seq 0 255); do echo "100.$a.$b.0/24"; done; done)
start=$(date +%s%N)
call server Apply 2 services as 1 ssh blacknets as ${#nets[@]} "${nets[@]}" >/dev/null
ms=$(( ($(date +%s%N) - start) / 1000000 ))
diag "blacknets of ${#nets[@]} prefixes applied in $ms ms"
assert_eq "blacknets holds all 12800" "12800" \
        "$(nft -j list set inet nftbus_server blacknets_v4 | jq '.nftables[1].set.elem | length')"
assert_eq "the other lists are empty now" "[] []" "$(elements blacklist_v4) $(elements blacknets_v6)"
assert_eq "the same 12800 again: nothing to do" "" "$(preview server 2 services as 1 ssh blacknets as ${#nets[@]} "${nets[@]}")"
call server Apply 1 services as 1 ssh >/dev/null
assert_eq "without the option, blacknets is emptied" "[]" "$(elements blacknets_v4)"

# --- router and harden: sysctls through Sysctl ---
assert_eq "router's Preview ends with its sysctls" "$(printf '%s\n' \
        '# sysctl net.ipv4.ip_forward = 1' '# sysctl net.ipv6.conf.all.forwarding = 1')" \
        "$(preview router 2 wan s wan0 lan as 2 lan0 lan1 | grep '^#')"
call router Apply 3 wan s wan0 lan as 2 lan0 lan1 ipv6 b false >/dev/null
assert_eq "router's rules" "$(printf '%s\n' \
        'forward: ct state established,related counter accept' \
        'forward: ct state invalid counter drop' \
        'forward: ct status dnat counter accept' \
        'forward: meta nfproto ipv4 iifname { "lan0", "lan1" } oifname "wan0" counter accept' \
        'postrouting: meta nfproto ipv4 oifname "wan0" counter masquerade')" "$(rules_of nftbus_router)"
assert_eq "forward drops the rest" "drop" \
        "$(nft -j list chain inet nftbus_router forward | jq -r '.nftables[1].chain.policy')"
assert_eq "IPv4 forwarding on, IPv6 left as it was (ipv6 false)" "1 0" \
        "$(sysctl_get net.ipv4.ip_forward) $(sysctl_get net.ipv6.conf.all.forwarding)"
harden=(net.ipv4.conf.all.rp_filter net.ipv4.conf.default.rp_filter net.ipv4.conf.all.accept_source_route
        net.ipv6.conf.all.accept_source_route net.ipv4.conf.all.accept_redirects
        net.ipv6.conf.all.accept_redirects net.ipv4.conf.all.send_redirects net.ipv4.tcp_syncookies
        net.ipv4.icmp_echo_ignore_broadcasts net.ipv4.conf.all.log_martians net.ipv4.conf.default.log_martians)
for s in net.ipv4.conf.all.accept_redirects net.ipv4.conf.all.send_redirects; do
        bus call $BUS_NAME $ROOT/sysctl $IFACE.Sysctl Set ss $s 1
done
assert_eq "harden returns its own path" 'o "/org/nftbus/Firewall1/preset/harden"' "$(call harden Apply 1 rp_filter u 2)"
assert_eq "and set the sysctls (log_martians too)" "2 2 0 0 0 0 0 1 1 1 1" \
        "$(for s in "${harden[@]}"; do sysctl_get $s; done | xargs)"
assert_eq "harden has no table" "nftbus_router nftbus_server nftbus_workstation" \
        "$(nft -j list tables | jq -r '[.nftables[1:][].table.name] | sort | join(" ")')"

# --- refusals change nothing ---
before=$(nft -j list ruleset)
sysctls_before=$(for s in "${harden[@]}"; do sysctl_get $s; done | xargs)
assert_eq "an unknown option" "Unknown option 'colour'" "$(err workstation Apply 1 colour s red)"
assert_eq "an option of the wrong type" "Option 'services' takes a value of D-Bus type 'as', not 's'" \
        "$(err workstation Apply 1 services s ssh)"
assert_eq "a service /etc/services does not know" \
        "Invalid service 'sssh': not a service /etc/services knows" "$(err workstation Apply 1 services as 1 sssh)"
assert_eq "an injection attempt" \
        "Invalid service 'ssh\"; flush ruleset': not a service /etc/services knows" \
        "$(err workstation Apply 1 services as 1 'ssh"; flush ruleset')"
assert_eq "port 0" "Invalid service '0': a port is 1 to 65535, a range N-M with N < M" \
        "$(err workstation Apply 1 services as 1 0)"
assert_eq "port 65536" "Invalid service '65536': a port is 1 to 65535, a range N-M with N < M" \
        "$(err workstation Apply 1 services as 1 65536)"
assert_eq "a backwards range" "Invalid service '10-5': a port is 1 to 65535, a range N-M with N < M" \
        "$(err workstation Apply 1 services as 1 10-5)"
assert_eq "a protocol nftbus does not know" "Invalid service '22/sctp': the protocol after '/' is tcp or udp" \
        "$(err workstation Apply 1 services as 1 22/sctp)"
assert_eq "a rate that is not one" \
        "Invalid service 'ssh limit 5/fortnight': 'limit' takes N/second, N/minute, N/hour or N/day" \
        "$(err workstation Apply 1 services as 1 'ssh limit 5/fortnight')"
assert_eq "host bits after the prefix" \
        "Invalid blacknets entry '10.0.0.1/8': host bits are set after the prefix length" \
        "$(err server Apply 1 blacknets as 1 10.0.0.1/8)"
assert_eq "a network with host bits in the blacklist" \
        "Invalid blacklist entry '10.0.0.1/8': host bits are set after the prefix length" \
        "$(err server Apply 1 blacklist as 1 10.0.0.1/8)"
assert_eq "a service from a host name" "Invalid service entry 'example.org': expected an IPv4 or IPv6 address" \
        "$(err server Apply 1 services as 1 'ssh from example.org')"
assert_eq "a host name" "Invalid whitelist entry 'example.org': expected an IPv4 or IPv6 address" \
        "$(err server Apply 1 whitelist as 1 example.org)"
assert_eq "a timeout of more than a year" "Invalid blacklist_timeout 31536001: expected 0 to 31536000" \
        "$(err server Apply 1 blacklist_timeout u 31536001)"
assert_eq "router without wan" "The router preset needs option wan (s)" "$(err router Apply 1 lan as 1 lan0)"
assert_eq "router without lan" "The router preset needs option lan (as): one interface or more" \
        "$(err router Apply 1 wan s wan0)"
assert_eq "wan among the lans" "Invalid lan 'wan0': the wan interface cannot be a lan too" \
        "$(err router Apply 2 wan s wan0 lan as 1 wan0)"
assert_eq "an interface name that is not one" \
        "Invalid device 'lan\" accept': letters, digits, '_', '.', '-', '@' and '+' only" \
        "$(err router Apply 2 wan s wan0 lan as 1 'lan" accept')"
assert_eq "rp_filter out of range" "Invalid rp_filter 0: expected 1 to 2" "$(err harden Apply 1 rp_filter u 0)"
assert_eq "a preset that does not exist" "No preset 'castle': the presets are workstation, server, router, harden" \
        "$(busctl --system call $BUS_NAME $P/castle $IFACE.Preset Apply 'a{sv}' 0 2>&1 | sed 's/^Call failed: //')"
assert_eq "the ruleset is as it was" "$before" "$(nft -j list ruleset)"
assert_eq "and the sysctls" "$sysctls_before" "$(for s in "${harden[@]}"; do sysctl_get $s; done | xargs)"

# --- delegation: the test user may apply workstation, and no other preset ---
bus call $BUS_NAME $ROOT/table/inet/nftbus_5fworkstation $IFACE.Table Delete
assert_eq "a delegate may preview any preset (read)" "# sysctl net.ipv4.conf.all.rp_filter = 1" \
        "$(as_user gdbus_call $P/harden $IFACE.Preset.Preview '{}' | grep -o '# sysctl net.ipv4.conf.all.rp_filter = 1')"
assert_eq "and apply workstation" "(objectpath '/org/nftbus/Firewall1/table/inet/nftbus_5fworkstation',)" \
        "$(as_user gdbus_call $P/workstation $IFACE.Preset.Apply "{'services': <['ssh']>}")"
assert_eq "but not server" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.apply-preset" \
        "$(as_user gdbus_call $P/server $IFACE.Preset.Apply '{}')"
assert_eq "nor harden" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.apply-preset" \
        "$(as_user gdbus_call $P/harden $IFACE.Preset.Apply '{}')"
assert_eq "a refused option is refused before polkit: InvalidArgument, even for server" \
        "ERROR org.nftbus.Firewall1.Error.InvalidArgument: Unknown option 'x'" \
        "$(as_user gdbus_call $P/server $IFACE.Preset.Apply "{'x': <1>}")"

done_testing
