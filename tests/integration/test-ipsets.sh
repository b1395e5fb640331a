#!/usr/bin/env bash
# nftbus's own ipsets (org.nftbus.Firewall1.IPSet, the Manager's AddIPSet, DeleteIPSet, ListIPSets) with real
# packets (make_network in lib.sh): an ipset made at runtime is a set of the zones' table at once, a zone takes
# it as a source, a delegated user bans and unbans into it through nftbusctl (polkit told the ipset, the zones
# that name it and the entry), a change of its type makes the set anew, bad input changes nothing, a permanent
# ipset waits for Reload, and one a zone names cannot be deleted.
source "$(dirname "$0")/lib.sh"

I=$ROOT/ipset
ipset() { local name=$1; shift; bus call $BUS_NAME $I/$name $IFACE.IPSet "$@"; }
manager() { bus call $BUS_NAME $ROOT $IFACE.Manager "$@"; }
zone() { local name=$1; shift; bus call $BUS_NAME $ROOT/zone/$name $IFACE.Zone "$@"; }
ctl() { "$NFTBUS_BUILD/client/nftbusctl" "$@"; }
user_ctl() { as_user "$NFTBUS_BUILD/client/nftbusctl" --no-ask-password "$@" 2>&1; echo "exit $?"; }
set_json() { nft -j list set inet nftbus_zones "ipset_$1" | jq -c "[.nftables[1].set | $2]"; }
ruleset() { nft list ruleset; }

make_network
answer_peers
in_client ip addr add 10.0.1.5/24 dev c-r
from() { connect_from in_client "$@"; }
manager SetZonesEnabled 'ba{sv}' true 0
manager SetZonesEnabled 'ba{sv}' true 1 permanent b true

# made at runtime: in force at once, its object there, its set in the zones' table
monitor_start "$NFTBUS_RUNDIR/ipset-signals"
manager AddIPSet 'sa{sv}a{sv}' banned 2 Type s hash:net Description s "who fail2ban banned" 0
assert_eq "AddIPSet: the set ipset_banned, of firewalld's key type, empty" '[{"type":"ipv4_addr","flags":["interval"]}]' \
        "$(set_json banned '{type, flags}')"
assert_eq "its object's properties" 'banned|hash:net|who fail2ban banned|0' \
        "$(busctl --system --json=short call $BUS_NAME $I/banned org.freedesktop.DBus.Properties GetAll s $IFACE.IPSet |
           jq -r '.data[0] | [.Name.data, .Type.data, .Description.data, .EntryCount.data] | join("|")')"
assert_eq "ListIPSets names it" 'banned hash:net /org/nftbus/Firewall1/ipset/banned' \
        "$(busctl --system --json=short call $BUS_NAME $ROOT $IFACE.Manager ListIPSets 'a{sv}' 0 | jq -r '.data[0][] | join(" ")')"
assert_eq "nftbusctl ipset list" "banned                            hash:net" "$(ctl ipset list)"
assert_eq "GetManagedObjects has its object, with its properties" "/org/nftbus/Firewall1/ipset/banned hash:net" \
        "$(bus call $BUS_NAME $ROOT org.freedesktop.DBus.ObjectManager GetManagedObjects --json=short |
           jq -r '.data[0] | to_entries[] | select(.key | startswith("/org/nftbus/Firewall1/ipset/")) |
                  "\(.key) \(.value["org.nftbus.Firewall1.IPSet"].Type.data)"')"
assert_eq "no file: it lasts until a reload" "no file" \
        "$(test -e "$CONFIGURATION_DIRECTORY/ipsets/banned.ipset" && echo file || echo "no file")"
assert_eq "adding it again: AlreadyExists" "There is an ipset 'banned' already" \
        "$(err $ROOT $IFACE.Manager AddIPSet 'sa{sv}a{sv}' banned 1 Type s hash:ip 0)"

# bound to drop as a source: a delegate bans and unbans, with packets
zone drop AddSource 'sa{sv}' ipset:banned 0
assert_eq "nobody banned: 10.0.1.5 gets in" "10.0.1.5" "$(from 10.0.1.5 10.0.1.1 22)"
assert_eq "the delegate bans it (nftbusctl ipset add-entry)" "exit 0" "$(user_ctl ipset add-entry banned 10.0.1.5)"
assert_eq "dropped now" "no answer" "$(from 10.0.1.5 10.0.1.1 22)"
assert_eq "and another address is not" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 22)"
assert_eq "the set holds it, EntryCount says 1" '[["10.0.1.5"]]|u 1' \
        "$(set_json banned '[.elem[]]')|$(bus get-property $BUS_NAME $I/banned $IFACE.IPSet EntryCount)"
assert_eq "PropertiesChanged told of it" "$I/banned" \
        "$(wait_until 1 grep -c '"member":"PropertiesChanged","path":"/org/nftbus/Firewall1/ipset/banned"' \
           "$NFTBUS_RUNDIR/ipset-signals" >/dev/null; jq -r 'select(.member == "PropertiesChanged") | .path' \
           "$NFTBUS_RUNDIR/ipset-signals" | grep -m1 ipset)"
assert_eq "InterfacesAdded told of the new object" "$I/banned " \
        "$(signals_of "$NFTBUS_RUNDIR/ipset-signals" InterfacesAdded '^/org/nftbus/Firewall1/ipset/')"
kill $monitor
assert_eq "a network normalized as firewalld does, and queried" "exit 0|yes" \
        "$(user_ctl ipset add-entry banned 10.0.1.64/26 | tail -1)|$(ctl ipset query-entry banned 10.0.1.70/26)"
assert_eq "an entry of the wrong kind: INVALID_ENTRY, before polkit" \
        "Failed to add the entry: INVALID_ENTRY: invalid address '10.0.1.300' in '10.0.1.300' for hash:net (ipv4) (org.nftbus.Firewall1.Error.InvalidArgument)|exit 2" \
        "$(user_ctl ipset add-entry banned 10.0.1.300 | paste -sd'|')"
assert_eq "the delegate unbans it" "exit 0" "$(user_ctl ipset remove-entry banned 10.0.1.5)"
assert_eq "it gets in again" "10.0.1.5" "$(from 10.0.1.5 10.0.1.1 22)"

# what the delegate may not: the ipset itself, other ipsets, and banned once another zone than drop names it
manager AddIPSet 'sa{sv}a{sv}' other 1 Type s hash:ip 0
before=$(ruleset)
assert_match "the delegate may not change another ipset's entries" "manage-ipset-entries.*exit 4" \
        "$(user_ctl ipset add-entry other 192.0.2.1 | paste -sd' ')"
assert_match "nor banned's type (manage-ipsets)" "manage-ipsets.*exit 4" \
        "$(user_ctl ipset set banned type=hash:ip | paste -sd' ')"
assert_match "nor delete it" "manage-ipsets.*exit 4" "$(user_ctl ipset delete banned | paste -sd' ')"
assert_match "nor make one" "manage-ipsets.*exit 4" "$(user_ctl ipset new mine hash:ip | paste -sd' ')"
zone drop RemoveSource 'sa{sv}' ipset:banned 0
zone trusted AddSource 'sa{sv}' ipset:banned 0
before=$(ruleset)
assert_match "bound to trusted instead, banned's entries are no longer the delegate's (zones: trusted)" \
        "manage-ipset-entries.*exit 4" "$(user_ctl ipset add-entry banned 10.0.1.6 | paste -sd' ')"
assert_eq "and the refused calls changed nothing" "$before" "$(ruleset)"
zone trusted RemoveSource 'sa{sv}' ipset:banned 0
zone drop AddSource 'sa{sv}' ipset:banned 0

# bad input: a clear error, nothing changed
before=$(ruleset)
assert_eq "a name too long" "INVALID_NAME: ipset name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is not valid" \
        "$(err $ROOT $IFACE.Manager AddIPSet 'sa{sv}a{sv}' aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1 Type s hash:ip 0)"
assert_eq "a name that would be nft syntax" "INVALID_NAME: ';' is not allowed in 'x;flush ruleset'" \
        "$(err $ROOT $IFACE.Manager AddIPSet 'sa{sv}a{sv}' 'x;flush ruleset' 1 Type s hash:ip 0)"
assert_eq "no type" "An ipset needs a Type: hash:ip, hash:ip,port, hash:ip,port,ip, hash:ip,port,net, hash:ip,mark, hash:net, hash:net,net, hash:net,port, hash:net,port,net, hash:net,iface or hash:mac" \
        "$(err $ROOT $IFACE.Manager AddIPSet 'sa{sv}a{sv}' x 0 0)"
assert_eq "a type firewalld has not" "INVALID_TYPE: 'list:set' is not valid ipset type" \
        "$(err $ROOT $IFACE.Manager AddIPSet 'sa{sv}a{sv}' x 1 Type s list:set 0)"
assert_eq "a Type that is no string" "Invalid setting Type: a string" \
        "$(err $ROOT $IFACE.Manager AddIPSet 'sa{sv}a{sv}' x 1 Type u 7 0)"
assert_eq "an unknown setting" "Unknown setting 'Colour': Type, Options, Short or Description" \
        "$(err $ROOT $IFACE.Manager AddIPSet 'sa{sv}a{sv}' x 2 Type s hash:ip Colour s red 0)"
assert_eq "an option that is no number" "INVALID_VALUE: Option 'maxelem': Value 'many' is not an integer" \
        "$(err $ROOT $IFACE.Manager AddIPSet 'sa{sv}a{sv}' x 2 Type s hash:ip Options 'a{ss}' 1 maxelem many 0)"
assert_eq "a description of two lines (its file holds one)" \
        "INVALID_SETTING: description: one line of at most 4096 bytes, without control characters" \
        "$(err $I/banned $IFACE.IPSet Update 'a{sv}a{sv}' 1 Description s "$(printf 'a\nentry=0.0.0.0/1')" 0)"
assert_eq "an unknown option of the call" "Unknown option 'temporary'" \
        "$(err $I/banned $IFACE.IPSet AddEntry 'sa{sv}' 10.0.1.7 1 temporary b true)"
assert_eq "an ipset that is not there" "No ipset 'nosuch'" "$(err $I/nosuch $IFACE.IPSet AddEntry 'sa{sv}' 10.0.1.7 0)"
assert_eq "deleting one a zone names" "Zone drop: source ipset:banned: INVALID_IPSET: banned" \
        "$(err $ROOT $IFACE.Manager DeleteIPSet 'sa{sv}' banned 0)"
assert_eq "a type its entries do not fit" "INVALID_ENTRY: invalid mac address '10.0.1.64/26' in '10.0.1.64/26'" \
        "$(err $I/banned $IFACE.IPSet Update 'a{sv}a{sv}' 1 Type s hash:mac 0)"
assert_eq "a timeout while it lists entries" \
        "IPSET_WITH_TIMEOUT: an ipset with a timeout lists no entries, and banned has 1: empty it first" \
        "$(err $I/banned $IFACE.IPSet Update 'a{sv}a{sv}' 1 Options 'a{ss}' 1 timeout 60 0)"
assert_eq "nor another" "INVALID_ENTRY: entry '10.0.1.64/26' does not match ipset type 'hash:net,port'" \
        "$(err $I/banned $IFACE.IPSet Update 'a{sv}a{sv}' 1 Type s hash:net,port 0)"
zone drop AddSource 'sa{sv}' ipset:other 0
assert_eq "a type zones cannot take as a source, for an ipset drop takes" \
        "Zone drop: source ipset:other: INVALID_IPSET: ipset 'other' with type 'hash:net,net' not usable as source" \
        "$(err $I/other $IFACE.IPSet Update 'a{sv}a{sv}' 1 Type s hash:net,net 0)"
zone drop RemoveSource 'sa{sv}' ipset:other 0
before=$(ruleset)
assert_eq "none of it changed anything" "$before" "$(ruleset)"

# a change of type makes the set anew, its entries kept
ipset other SetEntries 'asa{sv}' 2 192.0.2.1 192.0.2.2 0
assert_eq "IPv4 entries do not fit family inet6: refused, the set as it was" \
        "INVALID_ENTRY: invalid address '192.0.2.1' in '192.0.2.1' for hash:ip (ipv6)|[\"ipv4_addr\"]" \
        "$(err $I/other $IFACE.IPSet Update 'a{sv}a{sv}' 1 Options 'a{ss}' 1 family inet6 0)|$(set_json other .type)"
ipset other SetEntries 'asa{sv}' 0 0
ipset other Update 'a{sv}a{sv}' 2 Options 'a{ss}' 1 family inet6 Short s six 0
ipset other AddEntry 'sa{sv}' 2001:db8::1 0
assert_eq "emptied, it takes family inet6: an ipv6_addr set, its entry in it" '[{"type":"ipv6_addr","elem":["2001:db8::1"]}]' \
        "$(set_json other '{type, elem}')"
assert_eq "nftbusctl ipset show" "other|  Type         hash:ip|  Options      family=inet6|  Entries      1|  Short        six|  Description  " \
        "$(ctl ipset show other | paste -sd'|')"
assert_eq "nftbusctl ipset set: an option added to those it has" "family=inet6 maxelem=100" \
        "$(ctl ipset set other maxelem=100 && ctl --json ipset show other | jq -r '.options | to_entries | map("\(.key)=\(.value)") | join(" ")')"
assert_eq "nftbusctl ipset entries" "2001:db8::1" "$(ctl ipset entries other)"
ctl ipset delete other
assert_eq "DeleteIPSet: its set and its object are gone" "gone|No ipset 'other'" \
        "$(nft list set inet nftbus_zones ipset_other >/dev/null 2>&1 && echo there || echo gone)|$(
           err $I/other org.freedesktop.DBus.Properties Get ss $IFACE.IPSet Name)"

# permanent: its file, in force after Reload
ctl ipset new allow hash:ip --permanent
printf '192.0.2.10\n192.0.2.11\n' | ctl ipset set-entries allow -f - --permanent
assert_eq "AddIPSet permanent: its file, not in force" "type=hash:ip|entry=192.0.2.10|entry=192.0.2.11|not in force" \
        "$(grep -v '^#' "$CONFIGURATION_DIRECTORY/ipsets/allow.ipset" | paste -sd'|')|$(
           nft list set inet nftbus_zones ipset_allow >/dev/null 2>&1 && echo "in force" || echo "not in force")"
assert_eq "the runtime has no such ipset" "No ipset 'allow' in force (one made with permanent is put in force by Reload)" \
        "$(err $I/allow $IFACE.IPSet AddEntry 'sa{sv}' 192.0.2.12 0)"
manager Reload 'a{sv}' 0
assert_eq "Reload puts it in force; banned, runtime only, is gone" '[["192.0.2.10","192.0.2.11"]]|gone' \
        "$(set_json allow '[.elem[]]')|$(nft list set inet nftbus_zones ipset_banned >/dev/null 2>&1 && echo there || echo gone)"
ctl ipset delete allow --permanent
assert_eq "deleted permanently: its file goes, the runtime one stays until a reload" "no file|there" \
        "$(test -e "$CONFIGURATION_DIRECTORY/ipsets/allow.ipset" && echo file || echo "no file")|$(
           nft list set inet nftbus_zones ipset_allow >/dev/null 2>&1 && echo there || echo gone)"
done_testing
