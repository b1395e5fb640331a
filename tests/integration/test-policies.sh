#!/usr/bin/env bash
# firewalld's policies (firewalld.policies(5)) through firewall-cmd against nftbusd serving firewalld's API, with
# real packets (make_network in lib.sh: the client behind r-c in zone internal, the server behind r-s in zone
# work, this namespace routing between them): between two zones nothing is forwarded until a policy allows it; a policy made permanently is in
# force after a reload, one changed at runtime at once; masquerade and a port forward of a policy; what firewalld
# refuses (and what nftbus refuses where firewalld says no but does it anyway) leaves the kernel's table as it was;
# a policy file that is wrong is refused, the running policies stay.
source "$(dirname "$0")/lib.sh"

if ! command -v firewall-cmd >/dev/null; then
        skip "policies through firewall-cmd" "firewalld's client is not installed (tools/deps installs it)"
        done_testing
        exit 0
fi
wait_for_name $FWD "$NFTBUSD_PID"
make_network
answer_peers
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
in_server ip route add default via 10.0.2.1
from() { connect_from in_client "$@"; }
fc() { firewall-cmd "$@" 2>&1; echo "rc=$?"; }
bind_zones() { firewall-cmd --zone=internal --add-interface=r-c >/dev/null && firewall-cmd --zone=work --add-interface=r-s >/dev/null; }
policy_file=$CONFIGURATION_DIRECTORY/policies/lan-web.policy

bind_zones
assert_eq "no policy: from internal to work nothing is forwarded (work's target refuses it)" "unreachable" \
        "$(from 10.0.1.2 10.0.2.2 80)"

# made permanently: a file, in force after a reload
assert_eq "a new policy" "success
rc=0" "$(fc --permanent --new-policy=lan-web)"
for option in --add-ingress-zone=internal --add-egress-zone=work --add-service=http; do
        firewall-cmd --permanent --policy=lan-web "$option" >/dev/null
done
assert_eq "its file" "# nftbus policy lan-web: KEY=VALUE lines, one value each (see nftbusd(8))
target=CONTINUE
priority=-1
masquerade=no
ingress-zone=internal
egress-zone=work
service=http" "$(cat "$policy_file")"
assert_eq "not in force before the reload" "unreachable" "$(from 10.0.1.2 10.0.2.2 80)"
firewall-cmd --reload >/dev/null
bind_zones
assert_eq "after the reload, internal's client reaches work's server on http" "10.0.1.2" "$(from 10.0.1.2 10.0.2.2 80)"
assert_eq "and on nothing else" "unreachable" "$(from 10.0.1.2 10.0.2.2 22)"
assert_eq "nor the other way round" "unreachable" "$(connect_from in_server 10.0.2.2 10.0.1.2 9000)"
assert_eq "it is active: a zone of each side has an interface" "allow-host-ipv6
  ingress-zones: ANY
  egress-zones: HOST
lan-web
  ingress-zones: internal
  egress-zones: work" "$(firewall-cmd --get-active-policies)"
assert_eq "the forward hook jumps to it by the zones' interfaces, before the zones (priority -1)" \
        'iifname "r-c" oifname "r-s" jump policy_lan-web' \
        "$(nft list chain inet nftbus_zones policies_forward_pre | grep -o 'iifname.*')"

# changed at runtime: at once, one transaction; gone with the next reload
firewall-cmd --policy=lan-web --add-masquerade >/dev/null
assert_eq "masquerade: the server sees the router's address" "10.0.2.1" "$(from 10.0.1.2 10.0.2.2 80)"
firewall-cmd --policy=lan-web --remove-masquerade >/dev/null
assert_eq "without it, the client's" "10.0.1.2" "$(from 10.0.1.2 10.0.2.2 80)"
firewall-cmd --policy=lan-web --remove-service=http >/dev/null
assert_eq "http taken out at runtime: refused at once" "unreachable" "$(from 10.0.1.2 10.0.2.2 80)"
firewall-cmd --policy=lan-web --add-rich-rule='rule family="ipv4" source address="10.0.1.2" port port="80" protocol="tcp" accept' >/dev/null
assert_eq "a rich rule of the policy lets that one client in" "10.0.1.2" "$(from 10.0.1.2 10.0.2.2 80)"
in_client ip addr add 10.0.1.3/24 dev c-r
assert_eq "and not another" "unreachable" "$(from 10.0.1.3 10.0.2.2 80)"

# refused, and nothing changed: a runtime port forward toward a zone with interfaces cannot tell them apart
before=$(nft list table inet nftbus_zones)
assert_eq "firewalld's INVALID_ZONE" "Error: INVALID_ZONE: Policy 'lan-web': 'forward-port' cannot be used because egress zone 'work' has assigned interfaces
rc=112" "$(fc --policy=lan-web --add-forward-port=port=2222:proto=tcp:toport=80:toaddr=10.0.2.2)"
assert_eq "the kernel's table as it was" "$before" "$(nft list table inet nftbus_zones)"

# a policy from internal to ANY that forwards the router's 2222 to the server's 80 (which lan-web's rich rule lets
# through), and one from internal to dmz, a zone of sources only, with a port forward of its own
firewall-cmd --permanent --new-policy=fwd-any >/dev/null
for option in --add-ingress-zone=internal --add-egress-zone=ANY \
        --add-forward-port=port=2222:proto=tcp:toport=80:toaddr=10.0.2.2; do
        firewall-cmd --permanent --policy=fwd-any "$option" >/dev/null
done
firewall-cmd --permanent --new-policy=to-dmz >/dev/null
for option in --add-ingress-zone=internal --add-egress-zone=dmz \
        --add-forward-port=port=2223:proto=tcp:toport=80:toaddr=10.0.2.2; do
        firewall-cmd --permanent --policy=to-dmz "$option" >/dev/null
done
firewall-cmd --permanent --zone=dmz --add-source=192.0.2.0/24 >/dev/null
firewall-cmd --permanent --policy=lan-web --add-rich-rule='rule family="ipv4" source address="10.0.1.2" port port="80" protocol="tcp" accept' >/dev/null
firewall-cmd --reload >/dev/null
bind_zones
assert_eq "the port forward of fwd-any, in prerouting" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 2222)"
assert_eq "to-dmz's applies to what goes to dmz's sources only" "unreachable" "$(from 10.0.1.2 10.0.1.1 2223)"
# firewalld says INVALID_ZONE here but keeps the interface in dmz (and then refuses every change of to-dmz):
# nftbus refuses it and keeps it out
before=$(nft list table inet nftbus_zones)
assert_eq "an interface for dmz, where to-dmz forwards a port: refused" "Error: INVALID_ZONE: Policy 'to-dmz': 'forward-port' cannot be used because egress zone 'dmz' has assigned interfaces
rc=112" "$(fc --zone=dmz --add-interface=r-x)"
assert_eq "the interface is in no zone" "no zone
rc=2" "$(fc --get-zone-of-interface=r-x)"
assert_eq "the kernel's table as it was" "$before" "$(nft list table inet nftbus_zones)"

# what cannot go
assert_eq "the built-in policy cannot be removed" "Error: BUILTIN_POLICY: 'allow-host-ipv6' is built-in policy
rc=254" "$(fc --permanent --delete-policy=allow-host-ipv6)"
firewall-cmd --permanent --new-zone=lab >/dev/null
firewall-cmd --permanent --policy=lan-web --add-ingress-zone=lab >/dev/null
assert_eq "a zone a policy names cannot be removed" "Error: INVALID_ZONE: Zone 'lab' is an ingress or egress zone of policy 'lan-web': take it out of the policy first
rc=112" "$(fc --permanent --delete-zone=lab)"

# a file written wrong (a zone that is not there): the reload is refused, what runs stays
printf 'target=ACCEPT\ningress-zone=nowhere\negress-zone=work\n' >"$CONFIGURATION_DIRECTORY/policies/bad.policy"
assert_eq "the reload says why" "Error: INVALID_VALUE: The permanent configuration is refused, the running one stays: $CONFIGURATION_DIRECTORY/policies/bad.policy: INVALID_ZONE: Policy 'bad': 'nowhere' not among existing zones" \
        "$(firewall-cmd --reload 2>&1 | head -n 1)"
assert_eq "lan-web still lets the client through" "10.0.1.2" "$(from 10.0.1.2 10.0.2.2 80)"
rm "$CONFIGURATION_DIRECTORY/policies/bad.policy"

# gone: removed permanently, out of force after the reload
firewall-cmd --permanent --delete-policy=to-dmz >/dev/null
firewall-cmd --permanent --delete-policy=fwd-any >/dev/null
firewall-cmd --permanent --delete-policy=lan-web >/dev/null
assert_eq "its file removed" "no file" "$(test -e "$policy_file" && echo file || echo "no file")"
firewall-cmd --reload >/dev/null
bind_zones
assert_eq "after the reload, nothing forwarded from internal to work again" "unreachable" \
        "$(from 10.0.1.2 10.0.2.2 80)"
assert_eq "no policy chains but the built-in one's" "policy_allow-host-ipv6" \
        "$(nft list table inet nftbus_zones | grep -o 'chain policy_[^ ]*' | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"

# firewalld's config objects keep their numbers: a client that holds a policy's or a zone's path calls that one,
# never the one after it in a list once one before it is gone
fwd_config() { gdbus call --system --dest $FWD --object-path /org/fedoraproject/FirewallD1/config --method $FWD.config."$@"; }
fwd_object() { local path=$1; shift; gdbus call --system --dest $FWD --object-path "$path" --method "$@" 2>&1; }
firewall-cmd --permanent --new-policy=aaa >/dev/null
firewall-cmd --permanent --new-policy=bbb >/dev/null
firewall-cmd --permanent --new-zone=zzz >/dev/null
bbb=$(fwd_config getPolicyByName bbb | sed "s/^(objectpath '\(.*\)',)$/\1/")
zzz=$(fwd_config getZoneByName zzz | sed "s/^(objectpath '\(.*\)',)$/\1/")
firewall-cmd --permanent --delete-policy=aaa >/dev/null
firewall-cmd --permanent --delete-zone=block >/dev/null 2>&1 # built in: stays
firewall-cmd --permanent --new-zone=aab >/dev/null
assert_eq "bbb's path is bbb's still, after aaa went" "('bbb',)" \
        "$(fwd_object "$bbb" org.freedesktop.DBus.Properties.Get $FWD.config.policy name | sed 's/<\(.*\)>/\1/')"
assert_eq "zzz's path is zzz's, after aab came before it" "('zzz',)" \
        "$(fwd_object "$zzz" org.freedesktop.DBus.Properties.Get $FWD.config.zone name | sed 's/<\(.*\)>/\1/')"
fwd_object "$bbb" $FWD.config.policy.rename bbx >/dev/null
assert_eq "renamed, its path is the same object's, as firewalld keeps it" "('bbx',)|(objectpath '$bbb',)" \
        "$(fwd_object "$bbb" org.freedesktop.DBus.Properties.Get $FWD.config.policy name | sed 's/<\(.*\)>/\1/')|$(
           fwd_config getPolicyByName bbx)"
fwd_object "$bbb" $FWD.config.policy.rename bbb >/dev/null
assert_eq "a new policy takes a new number, not aaa's" "no" \
        "$(firewall-cmd --permanent --new-policy=ccc >/dev/null; [ "$(fwd_config getPolicyByName ccc)" = "$(fwd_config getPolicyByName bbb)" ] && echo yes || echo no)"
for p in bbb ccc; do firewall-cmd --permanent --delete-policy=$p >/dev/null; done
for z in zzz aab; do firewall-cmd --permanent --delete-zone=$z >/dev/null; done
assert_eq "a path whose policy is gone answers none" "gone" \
        "$(fwd_object "$bbb" $FWD.config.policy.getSettings | grep -q "UnknownObject\|INVALID_POLICY" && echo gone)"

# nftbus's own Policy objects (org.nftbus.Firewall1.Policy) and nftbusctl's verbs: the same policies, under
# polkit's manage-policies, told the policy's ingress and egress zones (delegate-policies.rules: the test user may
# change what goes from internal to work, nothing else)
ctl() { "$NFTBUS_BUILD/client/nftbusctl" "$@" 2>&1; echo "exit $?"; }
user_ctl() { as_user "$NFTBUS_BUILD/client/nftbusctl" --no-ask-password "$@" 2>&1; echo "exit $?"; }
assert_eq "the delegate makes a policy from internal to work" "exit 0" \
        "$(user_ctl policy new lan-http ingress-zone=internal egress-zone=work service=http)"
assert_eq "in force at once: the client reaches the server's http" "10.0.1.2" "$(from 10.0.1.2 10.0.2.2 80)"
assert_eq "firewalld's API shows it" "lan-http
  ingress-zones: internal
  egress-zones: work" "$(firewall-cmd --get-active-policies | grep -A2 '^lan-http')"
assert_eq "its object" "lan-http|CONTINUE|-1|internal|work|http|true" \
        "$(busctl --system --json=short call $BUS_NAME $ROOT/policy/lan_2dhttp org.freedesktop.DBus.Properties GetAll s \
           $IFACE.Policy | jq -r '.data[0] | [.Name.data, .Target.data, .Priority.data, (.IngressZones.data | join(",")),
                                   (.EgressZones.data | join(",")), (.Services.data | join(",")), .Active.data]
                                 | map(tostring) | join("|")')"
assert_eq "the delegate cannot make it take traffic from dmz too" \
        "Failed to change the policy: Interactive authentication required for org.nftbus.Firewall1.manage-policies (org.freedesktop.DBus.Error.InteractiveAuthorizationRequired)
exit 4" "$(user_ctl policy set lan-http ingress-zone=internal ingress-zone=dmz)"
assert_eq "nor make one toward HOST" "exit 4" "$(user_ctl policy new sneak ingress-zone=internal egress-zone=HOST target=ACCEPT | tail -n 1)"
assert_eq "nor delete the built-in one" "exit 4" "$(user_ctl policy delete allow-host-ipv6 | tail -n 1)"
assert_eq "so the server's ssh stays out of reach" "unreachable" "$(from 10.0.1.2 10.0.2.2 22)"
assert_eq "nftbusctl policy list" "allow-host-ipv6                   CONTINUE  -15000
lan-http                          CONTINUE  -1
exit 0" "$(ctl policy list)"
before=$(nft list table inet nftbus_zones)
assert_eq "a setting that is none: refused before polkit, nothing changed" \
        "Call failed: Unknown setting 'Bogus': Target, Priority, IngressZones, EgressZones, Masquerade, Short, Description, Services, Ports, Protocols, ForwardPorts, IcmpBlocks, RichRules or SourcePorts" \
        "$(bus call $BUS_NAME $ROOT/policy/lan_2dhttp $IFACE.Policy Update 'a{sv}a{sv}' 1 Bogus s x 0 2>&1)"
assert_eq "a zone that is none: refused with firewalld's words" \
        "Failed to change the policy: INVALID_ZONE: Policy 'lan-http': 'nowhere' not among existing zones (org.nftbus.Firewall1.Error.InvalidArgument)
exit 2" "$(ctl policy set lan-http egress-zone=nowhere)"
assert_eq "the kernel's table as it was" "$before" "$(nft list table inet nftbus_zones)"
assert_eq "the delegate deletes it" "exit 0" "$(user_ctl policy delete lan-http)"
assert_eq "out of force at once" "unreachable" "$(from 10.0.1.2 10.0.2.2 80)"
done_testing
