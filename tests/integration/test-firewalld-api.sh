#!/usr/bin/env bash
# firewalld's D-Bus API over nftbus's zones, driven by the real firewall-cmd (Debian's firewalld package, its
# client only: firewalld itself never runs here) and by NetworkManager's calls made with gdbus: each command's
# output and exit status as firewalld's own (recorded against firewalld 1.3.3), the signals firewalld sends,
# packets through the result, and a polkit rule written for firewalld's actions.
source "$(dirname "$0")/lib.sh"

if ! command -v firewall-cmd >/dev/null; then
        skip "firewall-cmd" "Debian's firewalld package is not installed (tools/deps installs it)"
        done_testing
        exit 0
fi
restart() { restart_nftbusd; }
FWD=org.fedoraproject.FirewallD1
FWD_PATH=/org/fedoraproject/FirewallD1
sed -i "s|</busconfig>|  <include>$NFTBUS_SOURCE/units/$FWD.nftbus.conf</include>\n</busconfig>|" "$NFTBUS_RUNDIR/bus.conf"
bus call org.freedesktop.DBus / org.freedesktop.DBus ReloadConfig
printf 'Zones=yes\nDefaultZone=public\nFirewallDAPI=yes\n' >"$CONFIGURATION_DIRECTORY/nftbus.conf"
restart
wait_for_name $FWD "$NFTBUSD_PID"
wait_until 1 grep -c "Serving $FWD too" "$NFTBUSD_LOG"
assert_eq "startup says it serves firewalld's name too" 1 "$(grep -c "Serving $FWD too" "$NFTBUSD_LOG")"
# fc ARGS...: firewall-cmd's output and exit status, on one line each
fc() { local out rc; out=$(firewall-cmd "$@" 2>&1); rc=$?; printf '%s\nrc=%s' "$out" "$rc"; }
# nm METHOD ARGS...: a call of firewalld's zone interface as NetworkManager makes it
nm() { gdbus call --system --dest $FWD --object-path $FWD_PATH --method $FWD.zone."$@" 2>&1; }
# list_all ZONE TARGET INTERFACES SOURCES SERVICES PORTS MASQUERADE FORWARD_PORTS: firewall-cmd's --list-all
list_all() {
        printf '%s\n  target: %s\n  icmp-block-inversion: no\n  interfaces: %s\n  sources: %s\n  services: %s\n' \
                "$1" "$2" "$3" "$4" "$5"
        printf '  ports: %s\n  protocols: \n  forward: yes\n  masquerade: %s\n  forward-ports: %s\n' "$6" "$7" "$8"
        printf '  source-ports: \n  icmp-blocks: \n  rich rules: \nrc=0'
}
monitor_start "$NFTBUS_RUNDIR/signals.json"
# signal MEMBER: the payloads of firewalld's MEMBER signals so far, one per line
signal() {
        jq -c "select(.type == \"signal\" and .member == \"$1\" and (.interface | startswith(\"$FWD\"))) | .payload.data" \
                "$NFTBUS_RUNDIR/signals.json"
}

make_network
python3 -c "$ANSWER_PEER" 8080 &
_network_pids+=" $!"
wait_listening 8080
from() { connect_from in_client "$@"; }

# the contract
for iface in $FWD $FWD.policies $FWD.zone $FWD.policy $FWD.direct $FWD.ipset; do
        assert_contract "$NFTBUS_SOURCE/introspection/$iface.xml" $FWD_PATH $FWD
done
for iface in $FWD.config.policies $FWD.config $FWD.config.direct; do
        assert_contract "$NFTBUS_SOURCE/introspection/$iface.xml" $FWD_PATH/config $FWD
done
assert_contract "$NFTBUS_SOURCE/introspection/$FWD.config.zone.xml" $FWD_PATH/config/zone/0 $FWD
assert_contract "$NFTBUS_SOURCE/introspection/$FWD.config.service.xml" $FWD_PATH/config/service/0 $FWD

# the main object and the runtime zones
assert_eq "--state" $'running\nrc=0' "$(fc --state)"
assert_eq "--get-default-zone" $'public\nrc=0' "$(fc --get-default-zone)"
assert_eq "--get-zones" $'block dmz drop external home internal nm-shared public trusted work\nrc=0' "$(fc --get-zones)"
assert_eq "--get-active-zones with none" $'\nrc=0' "$(fc --get-active-zones)"
assert_eq "before: 8080 is refused (public)" "unreachable" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "--add-port=8080/tcp" $'success\nrc=0' "$(fc --zone=public --add-port=8080/tcp)"
assert_eq "and 8080 answers" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "--add-service=http" $'success\nrc=0' "$(fc --zone=public --add-service=http)"
assert_eq "--list-services" $'dhcpv6-client http ssh\nrc=0' "$(fc --zone=public --list-services)"
wait_until '["public","http",0]' signal ServiceAdded
assert_eq "ServiceAdded, with the call's arguments" '["public","http",0]' "$(signal ServiceAdded)"
assert_eq "--add-service=http again: ALREADY_ENABLED, a warning" \
        $'Warning: ALREADY_ENABLED: \'http\' already in \'public\'\nsuccess\nrc=0' "$(fc --zone=public --add-service=http)"
assert_eq "--query-service" $'yes\nrc=0' "$(fc --zone=public --query-service=http)"
assert_eq "--remove-service" $'success\nrc=0' "$(fc --zone=public --remove-service=http)"
assert_eq "--remove-service again: NOT_ENABLED, a warning" \
        $'Warning: NOT_ENABLED: \'http\' not in \'public\'\nsuccess\nrc=0' "$(fc --zone=public --remove-service=http)"
assert_eq "--list-all" "$(list_all public default '' '' 'dhcpv6-client ssh' 8080/tcp no '')" "$(fc --list-all)"
assert_eq "--info-service=ssh" \
        $'ssh\n  ports: 22/tcp\n  protocols: \n  source-ports: \n  modules: \n  destination: \n  includes: \n  helpers: \nrc=0' \
        "$(fc --info-service=ssh)"
assert_eq "--get-services: the catalogue" "$(ls "$NFTBUS_SOURCE/data/services" | sed 's/\.service$//' | sort | xargs)
rc=0" "$(fc --get-services)"

# port forwards
assert_eq "--add-forward-port" $'success\nrc=0' "$(fc --zone=public --add-forward-port=port=9000:proto=tcp:toport=8080)"
assert_eq "9000 reaches 8080" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 9000)"
assert_eq "--list-forward-ports" $'port=9000:proto=tcp:toport=8080:toaddr=\nrc=0' "$(fc --zone=public --list-forward-ports)"
assert_eq "ForwardPortAdded" '["public","9000","tcp","8080","",0]' "$(signal ForwardPortAdded)"
assert_eq "--list-all shows it" \
        "$(list_all public default '' '' 'dhcpv6-client ssh' 8080/tcp no $'\n\tport=9000:proto=tcp:toport=8080:toaddr=')" \
        "$(fc --zone=public --list-all)"
assert_eq "--remove-forward-port" $'success\nrc=0' "$(fc --zone=public --remove-forward-port=port=9000:proto=tcp:toport=8080)"
assert_eq "9000 is refused again" "unreachable" "$(from 10.0.1.2 10.0.1.1 9000)"

# interfaces and sources
assert_eq "--add-interface" $'success\nrc=0' "$(fc --zone=home --add-interface=eth7)"
assert_eq "--get-zone-of-interface" $'home\nrc=0' "$(fc --get-zone-of-interface=eth7)"
assert_eq "--add-interface to another zone: ZONE_CONFLICT" \
        $'Error: ZONE_CONFLICT: \'eth7\' already bound to \'home\'\nrc=18' "$(fc --zone=work --add-interface=eth7)"
assert_eq "--change-interface" $'success\nrc=0' "$(fc --zone=work --change-interface=eth7)"
assert_eq "--change-interface where it is" $'success\nrc=0' "$(fc --zone=work --change-interface=eth7)"
assert_eq "nftbus's zone has it" 'as 1 "eth7"' "$(bus get-property $BUS_NAME $ROOT/zone/work $IFACE.Zone Interfaces)"
assert_eq "--get-active-zones" $'work\n  interfaces: eth7\nrc=0' "$(fc --get-active-zones)"
assert_eq "--remove-interface" $'success\nrc=0' "$(fc --zone=work --remove-interface=eth7)"
assert_eq "--remove-interface of one no zone has: UNKNOWN_INTERFACE" \
        $'Error: UNKNOWN_INTERFACE: \'eth7\' is not in any zone\nrc=17' "$(fc --zone=public --remove-interface=eth7)"
assert_eq "--add-source" $'success\nrc=0' "$(fc --zone=home --add-source=10.9.0.0/16)"
assert_eq "--remove-source" $'success\nrc=0' "$(fc --zone=home --remove-source=10.9.0.0/16)"

# mistakes, each as firewall-cmd prints it against firewalld
assert_eq "an unknown zone" $'Error: INVALID_ZONE: nope\nrc=112' "$(fc --zone=nope --add-service=http)"
assert_eq "an unknown service" $'Error: INVALID_SERVICE: nope\nrc=101' "$(fc --zone=public --add-service=nope)"
assert_eq "a port without its protocol (firewall-cmd's own check)" \
        $'Error: INVALID_PORT: bad port (most likely missing protocol), correct syntax is portid[-portid]/protocol\nrc=102' \
        "$(fc --zone=public --add-port=80)"
assert_eq "a bad address" $'Error: INVALID_ADDR: 10.0.0.300\nrc=105' "$(fc --zone=work --add-source=10.0.0.300)"
assert_eq "a bad protocol" $'Error: INVALID_PROTOCOL: nope\nrc=103' "$(fc --zone=work --add-protocol=nope)"
assert_eq "a bad ICMP type" $'Error: INVALID_ICMPTYPE: nope\nrc=107' "$(fc --zone=work --add-icmp-block=nope)"
assert_eq "a forward port without destination" $'Error: INVALID_FORWARD: missing destination\nrc=106' \
        "$(fc --zone=public --add-forward-port=port=80:proto=tcp)"
assert_eq "the default zone it is already" $'Warning: ZONE_ALREADY_SET: public\nsuccess\nrc=0' \
        "$(fc --set-default-zone=public)"
assert_eq "--panic-off when off" $'Warning: NOT_ENABLED: panic mode is not enabled\nsuccess\nrc=0' "$(fc --panic-off)"
assert_eq "--add-masquerade where it is on: ALREADY_ENABLED" \
        $'Warning: ALREADY_ENABLED: masquerade already enabled in \'external\'\nsuccess\nrc=0' \
        "$(fc --zone=external --add-masquerade)"
# what nftbus does not offer: firewalld's error form, never a hang
assert_eq "a rich rule naming an ipset that is not there: INVALID_IPSET" \
        $'Error: INVALID_IPSET: blocked\nrc=135' \
        "$(fc --zone=public --add-rich-rule='rule family=ipv4 source ipset=blocked log accept')"
# runtime additions with a timeout: taken back when it is over, told by firewalld's signal; one removed and added
# again before its time stays (its timer went with the removal: a later timer's end proves the time passed)
monitor_start "$NFTBUS_RUNDIR/timeout-signals"
assert_eq "--add-service=ftp --timeout=1, --add-port=8099/tcp --timeout=1: in force" \
        $'success\nrc=0|success\nrc=0|yes|yes' \
        "$(fc --zone=public --add-service=ftp --timeout=1)|$(fc --zone=public --add-port=8099/tcp --timeout=1)|$(
           firewall-cmd --zone=public --query-service=ftp)|$(firewall-cmd --zone=public --query-port=8099/tcp)"
fc --zone=public --add-service=http --timeout=1 >/dev/null
fc --zone=public --remove-service=http >/dev/null
fc --zone=public --add-service=http >/dev/null
fc --zone=public --add-masquerade --timeout=1 >/dev/null
fc --zone=public --add-service=imap --timeout=3 >/dev/null
wait_until no firewall-cmd --zone=public --query-service=imap
assert_eq "over: taken back, service and port; http, added again without one, stays" "no|no|no|yes" \
        "$(firewall-cmd --zone=public --query-service=ftp)|$(firewall-cmd --zone=public --query-port=8099/tcp)|$(
           firewall-cmd --zone=public --query-service=imap)|$(firewall-cmd --zone=public --query-service=http)"
assert_eq "masquerading added for a second is over too" "no" "$(firewall-cmd --zone=public --query-masquerade)"
assert_eq "ServiceRemoved, PortRemoved and MasqueradeRemoved told of it, as firewalld tells" \
        '["public","ftp"]|["public","8099","tcp"]|["public"]' \
        "$(jq -c 'select(.member == "ServiceRemoved" and .payload.data[1] == "ftp") | .payload.data' \
           "$NFTBUS_RUNDIR/timeout-signals" | head -1)|$(jq -c 'select(.member == "PortRemoved") | .payload.data' \
           "$NFTBUS_RUNDIR/timeout-signals" | head -1)|$(jq -c 'select(.member == "MasqueradeRemoved") | .payload.data' \
           "$NFTBUS_RUNDIR/timeout-signals" | head -1)"
kill $monitor
fc --zone=public --remove-service=http >/dev/null
assert_eq "direct rules: none to list; adding one NOT_SUPPORTED, saying what to use instead; removing one NOT_ENABLED" \
        $'\nrc=0\nError: NOT_SUPPORTED: direct rules: nftbus has no iptables to pass them to; write a rich rule, or a rule of nftbus\'s own tables (nftbusctl)\nrc=254\nWarning: NOT_ENABLED: the rule is not there: nftbus has no direct rules, chains or passthroughs\nsuccess\nrc=0' \
        "$(fc --direct --get-all-rules; echo; fc --direct --add-rule ipv4 filter INPUT 0 -j ACCEPT; echo
           fc --direct --remove-rule ipv4 filter INPUT 0 -j ACCEPT)"
# what firewall-cmd marshals from the introspection (dbus-python): each method published with firewalld's
# signature, so the call reaches nftbusd and is answered, never a client's traceback; nothing written
config_before=$(cd "$CONFIGURATION_DIRECTORY" && find . -type f -exec md5sum {} + | sort)
while IFS='|' read -r args method; do
        # shellcheck disable=SC2086 # the arguments, split
        assert_eq "firewall-cmd $args: NOT_SUPPORTED" \
                "Error: NOT_SUPPORTED: org.fedoraproject.FirewallD1.$method is not offered by nftbus"$'\nrc=254' \
                "$(fc $args)"
done <<'EOF'
--permanent --new-icmptype=lab|config.addIcmpType
EOF
assert_eq "and the configuration is as it was" "$config_before" \
        "$(cd "$CONFIGURATION_DIRECTORY" && find . -type f -exec md5sum {} + | sort)"
# an admin's helper: what nftbus refuses where firewalld takes it and fails when a zone uses it (a module the kernel
# has no helper of; a port on a protocol its helper does not follow), and a helper a service names, which stays
assert_eq "a helper of a module the kernel has no helper of: INVALID_MODULE, nothing written" \
        "Error: INVALID_MODULE: 'nf_conntrack_nosuch': not one of the kernel's conntrack helpers
rc=132|" "$(fc --permanent --new-helper=lab --module=nf_conntrack_nosuch)|$(ls "$CONFIGURATION_DIRECTORY/helpers" 2>/dev/null)"
assert_eq "a family not ipv4 or ipv6, a service naming a helper that is not there: refused at once" \
        "Error: INVALID_IPV: 'ipx' not in '['ipv4', 'ipv6']'
rc=111|Error: INVALID_HELPER: nohelper
rc=138" "$(fc --permanent --new-helper=lab --module=nf_conntrack_ftp --family=ipx)|$(
           fc --permanent --service=ssh --add-helper=nohelper)"
assert_eq "a port its helper cannot follow: INVALID_PROTOCOL" "success
rc=0|Error: INVALID_PROTOCOL: '2121/sctp': the kernel's helper of nf_conntrack_ftp follows no sctp
rc=103|module=nf_conntrack_ftp" \
        "$(fc --permanent --new-helper=lab --module=nf_conntrack_ftp)|$(fc --permanent --helper=lab --add-port=2121/sctp)|$(
           grep -v '^#' "$CONFIGURATION_DIRECTORY/helpers/lab.helper" | paste -sd' ')"
assert_eq "a helper a service names stays (INVALID_HELPER, naming the service); once it does not, it goes" "success
rc=0|success
rc=0|Error: INVALID_HELPER: 'lab' is used by 'labsvc'
rc=138|success
rc=0|success
rc=0|" "$(fc --permanent --new-service=labsvc)|$(fc --permanent --service=labsvc --add-helper=lab)|$(
           fc --permanent --delete-helper=lab)|$(fc --permanent --delete-service=labsvc)|$(
           fc --permanent --delete-helper=lab)|$(ls "$CONFIGURATION_DIRECTORY/helpers")"
# service_properties NAME: the properties of the service's config object, as JSON
service_properties() {
        bus call $FWD "$(bus call $FWD $FWD_PATH/config $FWD.config getServiceByName s "$1" | cut -d'"' -f2)" \
                org.freedesktop.DBus.Properties GetAll s $FWD.config.service --json=short |
                jq -cS '.data[0] | with_entries(.value |= .data)'
}
# the admin's services: made and changed through firewall-cmd (config.addService2, config.service.update2), each
# its file; the one in force until a reload is the shipped one
assert_eq "firewall-cmd --permanent --new-service, --service=ftp --add-port: the admin's files" \
        $'success\nrc=0|success\nrc=0|# nftbus service lab: KEY=VALUE lines, one value each (see nftbusd(8))|short=ftp description=File transfers (FTP), with the conntrack helper for its data connections. port=21/tcp port=22/udp helper=ftp' \
        "$(fc --permanent --new-service=lab)|$(fc --permanent --service=ftp --add-port=22/udp)|$(
                cat "$CONFIGURATION_DIRECTORY/services/lab.service")|$(
                grep -v '^#' "$CONFIGURATION_DIRECTORY/services/ftp.service" | paste -sd' ')"
assert_eq "the permanent ftp has 22/udp, the one in force not yet" $'21/tcp 22/udp\nrc=0|21/tcp' \
        "$(fc --permanent --service=ftp --get-ports)|$(firewall-cmd --info-service=ftp | sed -n 's/^ *ports: //p')"
assert_eq "its object: the admin's file now" \
        '{"builtin":true,"default":false,"filename":"ftp.service","name":"ftp","path":"'"$CONFIGURATION_DIRECTORY"'/services"}' \
        "$(service_properties ftp)"
assert_eq "update2 with a setting of another type: firewalld's INVALID_TYPE, never the bus's error" \
        "ERROR org.fedoraproject.FirewallD1.Exception: INVALID_TYPE: 'ports' is not of type a(ss)" \
        "$(gdbus call --system --dest $FWD \
                --object-path "$(bus call $FWD $FWD_PATH/config $FWD.config getServiceByName s ftp | cut -d'"' -f2)" \
                --method $FWD.config.service.update2 "{'ports': <uint64 1>}" 2>&1 | sed 's/^Error: GDBus.Error:/ERROR /')"
ftp_object=$(bus call $FWD $FWD_PATH/config $FWD.config getServiceByName s ftp | cut -d'"' -f2)
assert_eq "a description of two lines (one line of its file): INVALID_SETTING, before polkit, the file unchanged" \
        "ERROR org.fedoraproject.FirewallD1.Exception: INVALID_SETTING: description: one line of at most 4096 bytes, without control characters
ERROR org.fedoraproject.FirewallD1.Exception: INVALID_SETTING: short: one line of at most 4096 bytes, without control characters
$(cat "$CONFIGURATION_DIRECTORY/services/ftp.service")" \
        "$(gdbus call --system --dest $FWD --object-path "$ftp_object" --method $FWD.config.service.setDescription \
                $'ok\nflush ruleset' 2>&1 | sed 's/^Error: GDBus.Error:/ERROR /'
           gdbus call --system --dest $FWD --object-path "$ftp_object" --method $FWD.config.service.update2 \
                "{'short': <'a\\tb'>}" 2>&1 | sed 's/^Error: GDBus.Error:/ERROR /'
           cat "$CONFIGURATION_DIRECTORY/services/ftp.service")"
assert_eq "back to the shipped one, and the new one gone: no file of either" $'success\nrc=0|success\nrc=0|0' \
        "$(fc --permanent --load-service-defaults=ftp)|$(fc --permanent --delete-service=lab)|$(
                ls "$CONFIGURATION_DIRECTORY/services/" | grep -c .)"
# every property has a value: clients read them all at once (GetAll)
for object in "$FWD_PATH $FWD" "$FWD_PATH/config $FWD.config" "$FWD_PATH/config/zone/0 $FWD.config.zone" \
        "$FWD_PATH/config/service/0 $FWD.config.service"; do
        assert_match "GetAll of $object" '^a\{sv\} ' "$(bus call $FWD "${object% *}" org.freedesktop.DBus.Properties \
                GetAll s "${object#* }" 2>&1)"
done
assert_eq "the configuration's settings, as nftbus applies them" \
        '{"AllowZoneDrifting":"no","AutomaticHelpers":"no","CleanupModulesOnExit":"no","CleanupOnExit":"no","DefaultZone":"public","FirewallBackend":"nftables","FlushAllOnReload":"yes","IPv6_rpfilter":"yes","IndividualCalls":"no","Lockdown":"no","LogDenied":"off","MinimalMark":100,"RFC3964_IPv4":"no"}' \
        "$(bus call $FWD $FWD_PATH/config org.freedesktop.DBus.Properties GetAll s $FWD.config --json=short |
                jq -cS '.data[0] | with_entries(.value |= .data)')"
assert_eq "setting one to another value: NOT_SUPPORTED, firewalld's error, saying what nftbus does" \
        "Failed to set property LogDenied on interface $FWD.config: NOT_SUPPORTED: LogDenied 'all': nftbus behaves as LogDenied=off (setLogDenied changes it)
Failed to set property Lockdown on interface $FWD.config: NOT_SUPPORTED: Lockdown 'yes': nftbus behaves as Lockdown=no
Failed to set property MinimalMark on interface $FWD.config: NOT_SUPPORTED: MinimalMark 1: nftbus's marks are its own (MinimalMark 100)" \
        "$(bus set-property $FWD $FWD_PATH/config $FWD.config LogDenied s all 2>&1
           bus set-property $FWD $FWD_PATH/config $FWD.config Lockdown s yes 2>&1
           bus set-property $FWD $FWD_PATH/config $FWD.config MinimalMark i 1 2>&1)"
assert_eq "to what nftbus does: nothing to do, a success (firewall-cmd --lockdown-off sets Lockdown=no first)" \
        "rc=0 no" \
        "rc=$(bus set-property $FWD $FWD_PATH/config $FWD.config Lockdown s no; echo $?) $(bus get-property $FWD \
                $FWD_PATH/config $FWD.config Lockdown | cut -d'"' -f2)"
assert_eq "ssh's service object: its file, shipped, as it ships" \
        '{"builtin":true,"default":true,"filename":"ssh.service","name":"ssh","path":"'"$NFTBUS_DATA_DIR"'/services"}' \
        "$(service_properties ssh)"

# NetworkManager's calls: its connection's interface into the default zone, into another, out again
assert_eq "NM: addInterface to the default zone" "('public',)" "$(nm addInterface '' r-c)"
assert_eq "NM: getZoneOfInterface" "('public',)" "$(nm getZoneOfInterface r-c)"
assert_eq "in public, 8080 answers" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "NM: changeZoneOfInterface" "('work',)" "$(nm changeZoneOfInterface work r-c)"
assert_eq "in work, 8080 is refused" "unreachable" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "NM before 1.30: changeZone" "('home',)" "$(nm changeZone home r-c)"
wait_until '["home","r-c"]' eval 'signal ZoneChanged | tail -n 1'
assert_eq "ZoneOfInterfaceChanged, and the deprecated ZoneChanged after it, as firewalld's changeZone sends them" \
        $'["home","r-c"]|["home","r-c"]' "$(signal ZoneOfInterfaceChanged | tail -n 1)|$(signal ZoneChanged | tail -n 1)"
assert_eq "NM: back to work" "('work',)" "$(nm changeZoneOfInterface work r-c)"
assert_eq "NM: removeInterface from whichever zone has it" "('work',)" "$(nm removeInterface '' r-c)"
assert_eq "NM: getZoneOfInterface of none" "('',)" "$(nm getZoneOfInterface r-c)"
assert_eq "signals: InterfaceAdded" '["public","r-c"]' "$(signal InterfaceAdded | grep r-c)"
assert_eq "signals: ZoneOfInterfaceChanged, three times (changeZone's too), each followed by ZoneChanged" \
        $'["work","r-c"]\n["home","r-c"]\n["work","r-c"]|["work","r-c"]\n["home","r-c"]\n["work","r-c"]' \
        "$(signal ZoneOfInterfaceChanged | grep r-c)|$(signal ZoneChanged | grep r-c)"
assert_eq "signals: InterfaceRemoved" '["work","r-c"]' "$(signal InterfaceRemoved | grep r-c)"

# the permanent configuration
assert_eq "--permanent --add-service" $'success\nrc=0' "$(fc --permanent --zone=public --add-service=https)"
assert_eq "--permanent --list-services" $'dhcpv6-client https ssh\nrc=0' "$(fc --permanent --zone=public --list-services)"
assert_eq "the runtime one is untouched" $'dhcpv6-client ssh\nrc=0' "$(fc --zone=public --list-services)"
wait_until '["public"]' eval 'signal Updated | grep public'
assert_eq "config.zone Updated" '["public"]' "$(signal Updated | grep public)"
assert_eq "--permanent --add-service again: ALREADY_ENABLED naming it" \
        $'Warning: ALREADY_ENABLED: https\nsuccess\nrc=0' "$(fc --permanent --zone=public --add-service=https)"
assert_eq "--permanent --remove-service of one not there" $'Warning: NOT_ENABLED: http\nsuccess\nrc=0' \
        "$(fc --permanent --zone=public --remove-service=http)"
assert_eq "--permanent, an unknown zone" $'Error: INVALID_ZONE: nope\nrc=112' "$(fc --permanent --zone=nope --add-service=http)"
assert_eq "--permanent --add-port" $'success\nrc=0' "$(fc --permanent --zone=public --add-port=9090/tcp)"
assert_eq "--permanent --add-port again" $'Warning: ALREADY_ENABLED: 9090:tcp\nsuccess\nrc=0' \
        "$(fc --permanent --zone=public --add-port=9090/tcp)"
assert_eq "--permanent --add-masquerade" $'success\nrc=0' "$(fc --permanent --zone=public --add-masquerade)"
assert_eq "--permanent --add-masquerade again" $'Warning: ALREADY_ENABLED: masquerade\nsuccess\nrc=0' \
        "$(fc --permanent --zone=public --add-masquerade)"
assert_eq "--permanent --add-forward-port" $'success\nrc=0' \
        "$(fc --permanent --zone=public --add-forward-port=port=80:proto=tcp:toaddr=10.0.2.2)"
assert_eq "--permanent --add-interface" $'success\nrc=0' "$(fc --permanent --zone=work --add-interface=eth9)"
assert_eq "--permanent --get-zone-of-interface" $'work\nrc=0' "$(fc --permanent --get-zone-of-interface=eth9)"
assert_eq "--permanent --list-all" \
        "$(list_all public default '' '' 'dhcpv6-client https ssh' 9090/tcp yes $'\n\tport=80:proto=tcp:toport=:toaddr=10.0.2.2')" \
        "$(fc --permanent --zone=public --list-all)"
assert_eq "the zone's file says it" "masquerade=yes" "$(grep masquerade "$CONFIGURATION_DIRECTORY/zones/public.zone")"

# Cockpit's calls: a service's settings through its config object; a zone bound with update2
gd() { gdbus call --system --dest $FWD "$@" 2>&1 | sed 's/^Error: GDBus.Error:/ERROR /'; }
ssh_path=$(gd --object-path $FWD_PATH/config --method $FWD.config.getServiceByName ssh | sed -n "s/^(objectpath '\(.*\)',)$/\1/p")
assert_match "Cockpit: config.getServiceByName" "^$FWD_PATH/config/service/[0-9]+\$" "$ssh_path"
assert_eq "Cockpit: config.service.getSettings2" \
        "({'short': <'ssh'>, 'description': <'Secure Shell: remote logins and file transfers'>, 'ports': <[('22', 'tcp')]>},)" \
        "$(gd --object-path "$ssh_path" --method $FWD.config.service.getSettings2 | sed "s/'description': <'[^']*'>/'description': <'Secure Shell: remote logins and file transfers'>/")"
home=$(gd --object-path $FWD_PATH/config --method $FWD.config.getZoneByName home | sed -n "s/^(objectpath '\(.*\)',)$/\1/p")
assert_eq "Cockpit: update2 binds the zone's interfaces and sources" "()" \
        "$(gd --object-path "$home" --method $FWD.config.zone.update2 "{'interfaces': <['eth5', 'eth6']>, 'sources': <@as []>}")"
assert_eq "the zone's file has them" $'interface=eth5\ninterface=eth6' "$(grep ^interface= "$CONFIGURATION_DIRECTORY/zones/home.zone")"
wait_until '["home"]' eval 'signal Updated | grep home'
assert_eq "and Updated tells it" '["home"]' "$(signal Updated | grep home)"
assert_eq "update2: a bad interface, checked as addInterface checks it" \
        "ERROR org.fedoraproject.FirewallD1.Exception: INVALID_INTERFACE: bad/name" \
        "$(gd --object-path "$home" --method $FWD.config.zone.update2 "{'interfaces': <['bad/name']>}")"
assert_eq "update2: a setting firewalld does not have" \
        "ERROR org.fedoraproject.FirewallD1.Exception: INVALID_SETTING: colour" \
        "$(gd --object-path "$home" --method $FWD.config.zone.update2 "{'colour': <'blue'>}")"
assert_eq "update2: a setting of the wrong type" \
        "ERROR org.fedoraproject.FirewallD1.Exception: INVALID_SETTING: interfaces: s" \
        "$(gd --object-path "$home" --method $FWD.config.zone.update2 "{'interfaces': <'eth5'>}")"
assert_eq "update2: one bad port of two, and nothing changes" \
        "ERROR org.fedoraproject.FirewallD1.Exception: INVALID_PORT: x:tcp|" \
        "$(gd --object-path "$home" --method $FWD.config.zone.update2 "{'ports': <[('80', 'tcp'), ('x', 'tcp')]>}")|$(grep ^port= "$CONFIGURATION_DIRECTORY/zones/home.zone")"
assert_eq "update2: a rich rule firewalld refuses too" \
        "ERROR org.fedoraproject.FirewallD1.Exception: INVALID_RULE: no element, no source, no destination" \
        "$(gd --object-path "$home" --method $FWD.config.zone.update2 "{'rules_str': <['rule family=ipv4 accept']>}")"
assert_eq "update2: rich rules, kept as firewalld writes them" \
        'rule=rule family="ipv4" source address="10.0.7.0/24" drop' \
        "$(gd --object-path "$home" --method $FWD.config.zone.update2 \
                "{'rules_str': <['rule family=ipv4 source address=10.0.7.0/24 drop']>}" >/dev/null
           grep ^rule= "$CONFIGURATION_DIRECTORY/zones/home.zone")"
gd --object-path "$home" --method $FWD.config.zone.update2 "{'rules_str': <@as []>}" >/dev/null
assert_eq "update2: unbound again" "()" \
        "$(gd --object-path "$home" --method $FWD.config.zone.update2 "{'interfaces': <@as []>}")"
assert_eq "the zone's file has none" "" "$(grep ^interface= "$CONFIGURATION_DIRECTORY/zones/home.zone")"

# --reload: the permanent configuration in force, the runtime changes gone
zones_added=$(signal ZoneAdded | wc -l) services_added=$(signal ServiceAdded | grep -vc ',')
assert_eq "--reload" $'success\nrc=0' "$(fc --reload)"
assert_eq "Reloaded" '[]' "$(signal Reloaded)"
assert_eq "before it, config's ZoneAdded and ServiceAdded for every zone and service, made anew" \
        "$(firewall-cmd --permanent --get-zones | wc -w)|$(firewall-cmd --permanent --get-services | wc -w)|public" \
        "$(($(signal ZoneAdded | wc -l) - zones_added))|$(($(signal ServiceAdded | grep -vc ',') - services_added))|$(
                signal ZoneAdded | grep -o public | sort -u)"
assert_eq "the runtime has the permanent services" $'dhcpv6-client https ssh\nrc=0' "$(fc --zone=public --list-services)"
assert_eq "8080, a runtime change, is refused again" "unreachable" "$(from 10.0.1.2 10.0.1.1 8080)"

# --runtime-to-permanent
assert_eq "a runtime change" $'success\nrc=0' "$(fc --zone=public --add-service=imap)"
assert_eq "--runtime-to-permanent" $'success\nrc=0' "$(fc --runtime-to-permanent)"
assert_eq "is permanent now" $'dhcpv6-client https imap ssh\nrc=0' "$(fc --permanent --zone=public --list-services)"

# panic and the default zone
assert_eq "--panic-on" $'success\nrc=0' "$(fc --panic-on)"
assert_eq "--query-panic" $'yes\nrc=0' "$(fc --query-panic)"
assert_eq "panic: nothing gets in" "no answer" "$(from 10.0.1.2 10.0.1.1 22)"
assert_eq "panic: no runtime change" $'Error: PANIC_MODE\nrc=15' "$(fc --zone=public --add-service=http)"
assert_eq "--panic-off" $'success\nrc=0' "$(fc --panic-off)"
assert_eq "PanicModeEnabled, PanicModeDisabled" '[]|[]' "$(signal PanicModeEnabled)|$(signal PanicModeDisabled)"
assert_eq "--set-default-zone" $'success\nrc=0' "$(fc --set-default-zone=home)"
assert_eq "nftbus's default zone" 's "home"' "$(bus get-property $BUS_NAME $ROOT $IFACE.Manager DefaultZone)"
assert_eq "DefaultZoneChanged" '["home"]' "$(signal DefaultZoneChanged)"
assert_eq "runtime and permanent, as firewalld's: nftbus.conf says home" "DefaultZone=home" \
        "$(grep '^DefaultZone=' "$CONFIGURATION_DIRECTORY/nftbus.conf")"
assert_eq "so --reload keeps it" $'success\nrc=0|home' "$(fc --reload)|$(firewall-cmd --get-default-zone)"

# polkit, by firewalld's actions: the rule (delegate-firewalld.rules) lets nftbus-delegates read what the zones
# allow (config.info), not change them (firewall-cmd asks authorizeAll first: all); others read the zones in use
# (info) only
fc_user() { local out rc; out=$(as_user firewall-cmd "$@" 2>&1); rc=$?; printf '%s\nrc=%s' "$out" "$rc"; }
fc_nobody() {
        local out rc
        out=$(setpriv --reuid=65534 --regid=65534 --clear-groups -- firewall-cmd "$@" 2>&1)
        rc=$?
        printf '%s\nrc=%s' "$out" "$rc"
}
refused=$'Authorization failed.\n    Make sure polkit agent is running or run the application as superuser.\nrc=253'
assert_eq "delegate: --get-default-zone (info)" $'home\nrc=0' "$(fc_user --get-default-zone)"
assert_eq "delegate: --list-services (config.info, granted)" $'dhcpv6-client https imap ssh\nrc=0' \
        "$(fc_user --zone=public --list-services)"
assert_eq "delegate: --add-service (all, not granted)" "$refused" "$(fc_user --zone=public --add-service=http)"
assert_eq "and nothing changed" $'dhcpv6-client https imap ssh\nrc=0' "$(fc --zone=public --list-services)"
assert_eq "nobody: --get-default-zone (info)" $'home\nrc=0' "$(fc_nobody --get-default-zone)"
assert_eq "nobody: --list-services (config.info, not granted)" "$refused" "$(fc_nobody --zone=public --list-services)"

# a target set permanently (config.zone setTarget, getTarget), with firewalld's names
assert_eq "--permanent --set-target=DROP" $'success\nrc=0' "$(fc --permanent --zone=home --set-target=DROP)"
assert_eq "--permanent --get-target" $'DROP\nrc=0' "$(fc --permanent --zone=home --get-target)"
assert_eq "in the zone's file" "target=drop" "$(grep -x target=drop "$CONFIGURATION_DIRECTORY/zones/home.zone")"
assert_eq "--permanent --set-target=REJECT" $'success\nrc=0' "$(fc --permanent --zone=home --set-target=REJECT)"
assert_eq "firewalld's name of it" $'REJECT\nrc=0' "$(fc --permanent --zone=home --get-target)"
assert_eq "--permanent --set-target=default" $'success\nrc=0' "$(fc --permanent --zone=home --set-target=default)"

# the state tells the truth: zones off is not running, and a runtime change says so rather than success
bus call $BUS_NAME $ROOT $IFACE.Manager SetZonesEnabled 'ba{sv}' false 0
assert_eq "zones off: --state says not running" $'not running\nrc=252' "$(fc --state)"
assert_match "and a runtime change is refused with NOT_RUNNING" $'^Error: NOT_RUNNING: Zones are off.*\nrc=252$' \
        "$(fc --zone=public --add-service=http)"
bus call $BUS_NAME $ROOT $IFACE.Manager SetZonesEnabled 'ba{sv}' true 0
mkdir -p "$CONFIGURATION_DIRECTORY/zones"
printf 'target=sometimes\n' >"$CONFIGURATION_DIRECTORY/zones/home.zone"
assert_match "a reload of a damaged file is refused, naming it" \
        $'^Error: INVALID_VALUE: The permanent configuration is refused, the running one stays: Line 1 of .*/zones/home.zone: Invalid target \'sometimes\'.*\nrc=[0-9]+$' \
        "$(fc --reload)"
assert_eq "and --state says failed (firewalld's FAILED)" $'failed\nrc=251' "$(fc --state)"
assert_match "--runtime-to-permanent is refused while failed, as firewalld refuses it" \
        $'^Error: RUNNING_BUT_FAILED: .*\nrc=251$' "$(fc --runtime-to-permanent)"
rm "$CONFIGURATION_DIRECTORY/zones/home.zone"
assert_eq "mended: --reload, and running again" $'success\nrc=0\nrunning\nrc=0' "$(fc --reload; echo; fc --state)"

kill "$monitor" 2>/dev/null
done_testing
