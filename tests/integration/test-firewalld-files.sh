#!/usr/bin/env bash
# nftbus in firewalld's place, on firewalld's files: without nftbus.conf and with firewalld's firewalld.conf there,
# nftbusd reads firewalld's XML (its shipped defaults under the admin's /etc/firewalld) and writes its permanent
# changes back as XML. The real firewalld is the oracle, on the same files in turn:
#   1. Debian's shipped defaults load without a warning or a problem;
#   2. what firewall-cmd --permanent made against firewalld, nftbusd serves unchanged (every listing the same);
#   3. what it made against nftbusd, firewalld started after it serves unchanged;
#   4. files written by hand (a zone, a service, an ipset, a policy) and --reload: the same on both;
#   5. a damaged file is refused with its file and line, the rest in force, the host filtered.
# firewalld runs here only: on the harness's private bus, in its namespaces, on a tmpfs over /etc/firewalld.
source "$(dirname "$0")/lib.sh"

require_firewalld "firewalld's files"
out=$NFTBUS_RUNDIR/files
mkdir -p "$out"
M="$BUS_NAME $ROOT $IFACE.Manager"

sed -i "s|</busconfig>|  <include>$NFTBUS_SOURCE/units/$FWD.nftbus.conf</include>\n</busconfig>|" "$NFTBUS_RUNDIR/bus.conf"
bus call org.freedesktop.DBus / org.freedesktop.DBus ReloadConfig
rm -f "$CONFIGURATION_DIRECTORY/nftbus.conf"
# client -- HERE: the client's interface r-c goes into zone lab, and probes from the client are part of every
# listing
make_network
answer_peers

# nftbusd_on DIR: nftbusd (the harness's stopped first) on firewalld's files in DIR, nftbus.conf absent
nftbusd_on() {
        kill -TERM "$NFTBUSD_PID" 2>/dev/null
        wait_until gone eval 'kill -0 "$NFTBUSD_PID" 2>/dev/null || echo gone'
        : >"$NFTBUSD_LOG.files"
        NFTBUS_FIREWALLD_CONFIG_DIR=$1 NFTBUSD_LOG=$NFTBUSD_LOG.files start_nftbusd >/dev/null
        _nftbusd_restarted=1
        wait_for_name $FWD "$NFTBUSD_PID"
}
firewalld_stop() {
        kill -TERM $firewalld
        wait_until gone eval "kill -0 $firewalld 2>/dev/null || echo gone"
}
zones_state() {
        echo "$(busctl --system --json=short get-property $M ZonesState | jq -r .data)|$(
                busctl --system --json=short get-property $M ZonesError | jq -r .data)"
}

# listing FILE: what firewall-cmd says of the configuration, permanent and running, and what the client's packets
# to this host meet
listing() {
        {
                echo "default zone: $(firewall-cmd --get-default-zone)"
                echo "log denied: $(firewall-cmd --get-log-denied)"
                echo "zones: $(firewall-cmd --permanent --get-zones)"
                firewall-cmd --permanent --list-all-zones
                echo "=== running"
                firewall-cmd --list-all-zones
                echo "=== ipsets: $(firewall-cmd --permanent --get-ipsets)"
                for i in $(firewall-cmd --permanent --get-ipsets); do firewall-cmd --permanent --info-ipset="$i"; done
                echo "=== policies: $(firewall-cmd --permanent --get-policies)"
                for p in $(firewall-cmd --permanent --get-policies); do firewall-cmd --permanent --info-policy="$p"; done
                echo "=== services: $(firewall-cmd --permanent --get-services | wc -w)"
                firewall-cmd --permanent --info-service=ssh
                firewall-cmd --permanent --info-service=ipsec
                firewall-cmd --permanent --info-service=websvc
                echo "=== helpers: $(firewall-cmd --permanent --get-helpers)"
                firewall-cmd --permanent --info-helper=ftp2
                firewall-cmd --info-helper=ftp2
                firewall-cmd --permanent --info-service=ftp2svc
                echo "=== packets from the client"
                for port in 22 80 8080; do echo "tcp to port $port: $(connect_from in_client 10.0.1.2 10.0.1.1 $port)"; done
                echo "ping: $(in_client ping -n -c 1 -W 1 10.0.1.1 >/dev/null 2>&1 && echo answered || echo refused)"
        } >"$1" 2>&1
}

# 1. Debian's shipped defaults: /usr/lib/firewalld as the package installs it, firewalld.conf as it ships it
mkdir -p "$out/debian"
if [ -f /etc/firewalld/firewalld.conf ]; then cp /etc/firewalld/firewalld.conf "$out/debian/"; else
        printf 'DefaultZone=public\nLogDenied=off\nFirewallBackend=nftables\n' >"$out/debian/firewalld.conf"
fi
nftbusd_on "$out/debian"
assert_eq "Debian's shipped defaults: in force, the default zone public, no problem" "running||public" \
        "$(zones_state)|$(firewall-cmd --get-default-zone)"
assert_eq "and nothing else in the log than its start (firewalld's own settings named once, as passed over)" "" \
        "$(grep -vE "^nftbusd: (Zones in force, default zone public|Serving |Not serving $FWD: requested|$out/debian/firewalld.conf: nftbus follows DefaultZone, LogDenied and CleanupOnExit; passed over, as firewalld's own: )" \
                "$NFTBUSD_LOG.files")"
assert_eq "every shipped service is there, as firewalld's file says it (a port without a number: a protocol)" \
        "$(ls /usr/lib/firewalld/services/*.xml | wc -l)|  ports: 500/udp 4500/udp 4500/tcp|  protocols: ah esp" \
        "$(firewall-cmd --get-services | wc -w)|$(firewall-cmd --info-service=ipsec | grep -E '^ *(ports|protocols):' |
                paste -sd'|')"

# 2. firewalld makes a configuration; nftbusd serves it
kill -TERM "$NFTBUSD_PID" # one daemon at a time has firewalld's name
wait_until gone eval 'kill -0 "$NFTBUSD_PID" 2>/dev/null || echo gone'
assert_eq "nftbusd stopped on firewalld's files: its table gone, as firewalld.conf's CleanupOnExit=yes says" \
        "yes|" "$(grep -c '^CleanupOnExit=yes' "$out/debian/firewalld.conf" | sed 's/^1$/yes/')|$(
                nft list tables | grep -w nftbus_zones)"
firewalld_files
firewalld_run "$out/firewalld.log"
{
        firewall-cmd --permanent --new-zone=lab
        for option in --add-port=8080/tcp --add-service=http --add-source=10.9.0.0/16 --add-interface=lab0 \
                      --add-interface=r-c --add-masquerade --add-forward-port=port=2222:proto=tcp:toport=22 \
                      --add-icmp-block=echo-request --add-source-port=53/udp --add-protocol=gre; do
                firewall-cmd --permanent --zone=lab "$option"
        done
        firewall-cmd --permanent --zone=lab --add-rich-rule='rule family="ipv4" source address="10.9.1.0/24" service name="ssh" log prefix="lab-ssh " level="info" limit value="1/m" accept'
        firewall-cmd --permanent --zone=lab --add-rich-rule='rule family="ipv4" priority="-3" source NOT address="10.9.0.0/24" port port="9000-9010" protocol="udp" drop'
        firewall-cmd --permanent --zone=public --add-service=https
        firewall-cmd --permanent --zone=public --remove-service=dhcpv6-client
        firewall-cmd --permanent --zone=home --set-description='Home & garden, <the> "house"'
        firewall-cmd --permanent --new-ipset=blocked --type=hash:net --option=family=inet
        firewall-cmd --permanent --ipset=blocked --add-entry=192.0.2.0/24
        firewall-cmd --permanent --ipset=blocked --add-entry=198.51.100.7
        firewall-cmd --permanent --zone=drop --add-source=ipset:blocked
        # an admin's helper (ftp on 2121, firewalld.helper(5)'s example), and a service that names it
        firewall-cmd --permanent --new-helper=ftp2 --module=nf_conntrack_ftp --family=ipv4
        firewall-cmd --permanent --helper=ftp2 --add-port=2121/tcp
        firewall-cmd --permanent --helper=ftp2 --set-short='FTP on 2121'
        firewall-cmd --permanent --new-service=ftp2svc
        firewall-cmd --permanent --service=ftp2svc --add-port=2121/tcp
        firewall-cmd --permanent --service=ftp2svc --add-helper=ftp2
        firewall-cmd --permanent --zone=lab --add-service=ftp2svc
        firewall-cmd --permanent --new-policy=lab-out
        firewall-cmd --permanent --policy=lab-out --add-ingress-zone=lab
        firewall-cmd --permanent --policy=lab-out --add-egress-zone=public
        firewall-cmd --permanent --policy=lab-out --set-target=ACCEPT
        firewall-cmd --permanent --policy=lab-out --set-priority=-20
        firewall-cmd --set-default-zone=home
        firewall-cmd --set-log-denied=unicast
        firewall-cmd --reload
} >"$out/made-by-firewalld.txt" 2>&1
listing "$out/1-firewalld.txt"
nft list table inet firewalld | grep -E 'helper-ftp2|type "ftp"' | sed 's/^\t*//' | sort >"$out/1-firewalld-helpers.txt"
firewalld_stop
nftbusd_on /etc/firewalld
listing "$out/1-nftbus.txt"
assert_same "what firewalld made, nftbusd serves: every listing the same" "$out/1-firewalld.txt" "$out/1-nftbus.txt"
assert_eq "the admin's helper ftp2 is attached where firewalld attaches it: on its own port, the kernel's ftp helper" \
        "ct helper helper-ftp2-tcp {|tcp dport 2121 ct helper set \"helper-ftp2-tcp\"|type \"ftp\" protocol tcp" \
        "$(nft list table inet nftbus_zones | grep -E 'helper-ftp2|type "ftp"' | sed 's/^\t*//' | sort | paste -sd'|')"
assert_eq "and so it is in firewalld's table" "$(grep -E 'helper-ftp2|type "ftp"' "$out/1-firewalld-helpers.txt" | paste -sd'|')" \
        "$(nft list table inet nftbus_zones | grep -E 'helper-ftp2|type "ftp"' | sed 's/^\t*//' | sort | paste -sd'|')"
assert_eq "in force, without a problem" "running|" "$(zones_state)"

# 3. nftbusd makes changes; firewalld started after it serves them
cp /etc/firewalld/firewalld.conf "$out/firewalld.conf"
{
        firewall-cmd --permanent --new-zone=lab2
        firewall-cmd --permanent --zone=lab2 --add-interface=lab2
        firewall-cmd --permanent --zone=lab2 --set-target=DROP
        firewall-cmd --permanent --zone=lab2 --add-service=dns
        firewall-cmd --permanent --zone=lab2 --add-rich-rule='rule family="ipv6" source address="fd00::/8" port port="9000-9010" protocol="udp" reject type="icmp6-adm-prohibited"'
        firewall-cmd --permanent --zone=lab2 --add-forward-port=port=80:proto=tcp:toport=8080:toaddr=fd00::80
        firewall-cmd --permanent --zone=lab --remove-service=http
        firewall-cmd --permanent --zone=lab --add-source=52:54:00:12:34:56
        firewall-cmd --permanent --ipset=blocked --add-entry=203.0.113.0/24
        firewall-cmd --permanent --ipset=blocked --remove-entry=198.51.100.7
        firewall-cmd --permanent --new-ipset=v6 --type=hash:ip --option=family=inet6 --option=timeout=60
        firewall-cmd --permanent --delete-policy=lab-out
        firewall-cmd --permanent --new-policy=out2
        firewall-cmd --permanent --policy=out2 --add-ingress-zone=HOST
        firewall-cmd --permanent --policy=out2 --add-egress-zone=ANY
        firewall-cmd --permanent --policy=out2 --add-service=ssh
        firewall-cmd --permanent --zone=trusted --add-interface=tr0
        firewall-cmd --permanent --zone=work --set-target=%%REJECT%%
        firewall-cmd --permanent --zone=work --add-icmp-block-inversion
        firewall-cmd --permanent --load-zone-defaults=home
        firewall-cmd --permanent --new-service=websvc
        firewall-cmd --permanent --service=websvc --set-short='Web & co'
        firewall-cmd --permanent --service=websvc --add-port=8088/tcp
        firewall-cmd --permanent --service=websvc --add-include=http
        firewall-cmd --permanent --service=websvc --set-destination=ipv4:10.0.0.0/8
        firewall-cmd --permanent --zone=lab2 --add-service=websvc
        firewall-cmd --permanent --service=ssh --add-port=2222/tcp
        firewall-cmd --set-default-zone=work
        firewall-cmd --set-log-denied=off
        firewall-cmd --reload
} >"$out/made-by-nftbus.txt" 2>&1
listing "$out/2-nftbus.txt"
assert_eq "the zones nftbusd wrote are firewalld's XML" \
        '<?xml version="1.0" encoding="utf-8"?>
<zone target="DROP">
  <interface name="lab2"/>
  <service name="dns"/>
  <service name="websvc"/>
  <forward-port port="80" protocol="tcp" to-port="8080" to-addr="fd00::80"/>
  <rule family="ipv6">
    <source address="fd00::/8"/>
    <port port="9000-9010" protocol="udp"/>
    <reject type="icmp6-adm-prohibited"/>
  </rule>
</zone>' "$(cat /etc/firewalld/zones/lab2.xml)"
assert_eq "a service made through nftbusd: firewalld's XML" \
        '<?xml version="1.0" encoding="utf-8"?>
<service>
  <short>Web &amp; co</short>
  <port port="8088" protocol="tcp"/>
  <destination ipv4="10.0.0.0/8"/>
  <include service="http"/>
</service>' "$(cat /etc/firewalld/services/websvc.xml)"
assert_eq "firewalld.conf: the two settings changed in place, the rest as firewalld left it" \
        "$(sed -e 's/^DefaultZone=.*/DefaultZone=work/' -e 's/^LogDenied=.*/LogDenied=off/' "$out/firewalld.conf")" \
        "$(cat /etc/firewalld/firewalld.conf)"
assert_eq "no file of nftbus's own beside them; none of a zone back to its defaults (home), as firewalld leaves it" \
        "|absent" "$(ls "$CONFIGURATION_DIRECTORY")|$([ -e /etc/firewalld/zones/home.xml ] && echo there || echo absent)"
tar -C /etc/firewalld -cf "$out/state-2.tar" .

# 4. files written by hand, then --reload: on nftbusd now, on firewalld after
edit_files() {
        cat >/etc/firewalld/zones/edited.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<zone target="ACCEPT">
  <short>Edited</short>
  <description>Written by hand</description>
  <interface name="ed0"/>
  <service name="myapp"/>
  <rule family="ipv4">
    <source ipset="allowed"/>
    <log prefix="allowed " level="notice"><limit value="5/m"/></log>
    <accept/>
  </rule>
</zone>
EOF
        cat >/etc/firewalld/services/myapp.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<service>
  <short>My app</short>
  <port protocol="tcp" port="7000-7002"/>
  <port protocol="ah" port=""/>
  <include service="ssh"/>
</service>
EOF
        cat >/etc/firewalld/ipsets/allowed.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<ipset type="hash:ip">
  <entry>192.0.2.10</entry>
  <entry>192.0.2.11</entry>
</ipset>
EOF
        cat >/etc/firewalld/policies/edited-out.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<policy target="REJECT" priority="10">
  <ingress-zone name="edited"/>
  <egress-zone name="HOST"/>
  <port port="22" protocol="tcp"/>
</policy>
EOF
        # a shipped zone changed by hand: the admin's copy over the default
        sed 's|</zone>|  <port port="4444" protocol="udp"/>\n</zone>|' /usr/lib/firewalld/zones/dmz.xml \
                >/etc/firewalld/zones/dmz.xml
        firewall-cmd --reload
        firewall-cmd --info-service=myapp
}
edit_files >"$out/3-nftbus-reload.txt" 2>&1
listing "$out/3-nftbus.txt"
cat "$out/3-nftbus-reload.txt" >>"$out/3-nftbus.txt"
kill -TERM "$NFTBUSD_PID"
wait_until gone eval 'kill -0 "$NFTBUSD_PID" 2>/dev/null || echo gone'
rm -rf /etc/firewalld/*
tar -C /etc/firewalld -xf "$out/state-2.tar"
firewalld_run "$out/firewalld.log"
listing "$out/2-firewalld.txt"
assert_same "what nftbusd made, firewalld started after it serves: every listing the same" \
        "$out/2-nftbus.txt" "$out/2-firewalld.txt"
edit_files >"$out/3-firewalld-reload.txt" 2>&1
listing "$out/3-firewalld.txt"
cat "$out/3-firewalld-reload.txt" >>"$out/3-firewalld.txt"
assert_same "files written by hand and --reload: the same on both" "$out/3-firewalld.txt" "$out/3-nftbus.txt"
firewalld_stop

# nftbus.conf of the admin's, saying firewalld's files: left as it is by a permanent change
printf '# mine\nConfiguration=firewalld\n' >"$CONFIGURATION_DIRECTORY/nftbus.conf"
nftbusd_on /etc/firewalld
assert_eq "the admin's nftbus.conf: firewalld's files still, and untouched by a permanent change" \
        $'work|success|# mine\nConfiguration=firewalld' \
        "$(firewall-cmd --get-default-zone)|$(firewall-cmd --permanent --zone=work --add-port=7777/tcp)|$(
                cat "$CONFIGURATION_DIRECTORY/nftbus.conf")"
rm "$CONFIGURATION_DIRECTORY/nftbus.conf"
kill -TERM "$NFTBUSD_PID"
wait_until gone eval 'kill -0 "$NFTBUSD_PID" 2>/dev/null || echo gone'

# 5. a damaged file: refused with its file and line, the rest in force, the host filtered; what nftbus does not do
# of firewalld's (direct rules, lockdown) said as a warning
printf '<?xml version="1.0" encoding="utf-8"?>\n<zone>\n  <service name="ssh">\n</zone>\n' \
        >/etc/firewalld/zones/broken.xml
printf '<?xml version="1.0" encoding="utf-8"?>\n<direct/>\n' >/etc/firewalld/direct.xml
sed -i 's/^Lockdown=.*/Lockdown=yes/' /etc/firewalld/firewalld.conf
nftbusd_on /etc/firewalld
assert_eq "direct rules and lockdown: warnings, never silent" \
        "nftbusd: /etc/firewalld/direct.xml: firewalld's direct rules are not nftbus's; passed over, the zones filter without them
Line $(grep -n '^Lockdown=' /etc/firewalld/firewalld.conf | cut -d: -f1) of /etc/firewalld/firewalld.conf: Lockdown=yes: nftbus does not lock its API down to firewalld's whitelist (polkit decides who may change what); passed over" \
        "$(grep -E 'direct rules|Lockdown=yes' "$NFTBUSD_LOG.files")"
assert_eq "a damaged zone file: refused alone, with its file and line" \
        "failed|Parts of the zones' configuration in /etc/firewalld are refused; the rest is in force: Line 4 of /etc/firewalld/zones/broken.xml: not well-formed XML: mismatched tag" \
        "$(zones_state)"
assert_eq "the rest in force: the default zone's dispatch, the hand-written zone" "goto zone_work|zone_edited" \
        "$(nft list chain inet nftbus_zones input | grep -o 'goto zone_work' | head -n 1)|$(
                nft list table inet nftbus_zones | grep -o 'chain zone_edited ' | tr -d ' ' | sed 's/chain//')"
# (firewalld would load the rest and pass the file over, with an error in its log: nftbus keeps what runs, and
# says why to the caller)
assert_eq "firewall-cmd --reload with it: refused (INVALID_VALUE, the file and line), what runs stays, the state failed" \
        "Error: INVALID_VALUE: The permanent configuration is refused, the running one stays: Line 4 of /etc/firewalld/zones/broken.xml: not well-formed XML: mismatched tag|114|work|failed" \
        "$(firewall-cmd --reload 2>&1)|$?|$(firewall-cmd --get-default-zone)|$(firewall-cmd --state 2>&1)"
done_testing
