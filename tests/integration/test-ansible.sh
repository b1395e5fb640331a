#!/usr/bin/env bash
# Ansible (Debian's ansible, connection: local) against nftbusd serving firewalld's API: a playbook that uses
# every option of ansible.posix.firewalld (service, port, protocol, port_forward, rich_rule, source, interface,
# icmp_block, icmp_block_inversion, masquerade, target, a zone made and one removed; permanent and immediate, enabled
# and disabled, a timeout), run twice: the first run changes what it says, the second finds everything as it
# should be and changes nothing. What the first made is then what firewall-cmd reads, permanent and in force.
source "$(dirname "$0")/lib.sh"

if ! command -v ansible-playbook >/dev/null; then
        skip "Ansible's firewalld module" "ansible is not installed (tools/deps installs it)"
        done_testing
        exit 0
fi
wait_for_name $FWD "$NFTBUSD_PID"
play=$NFTBUS_RUNDIR/firewall.yml
cat >"$play" <<'YAML'
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: a zone of its own
      ansible.posix.firewalld: { zone: lab, state: present, permanent: true }
    - name: a service, permanent and in force
      ansible.posix.firewalld: { zone: public, service: http, permanent: true, immediate: true, state: enabled }
    - name: a port
      ansible.posix.firewalld: { zone: public, port: 8080/tcp, permanent: true, immediate: true, state: enabled }
    - name: a protocol
      ansible.posix.firewalld: { zone: public, protocol: gre, permanent: true, immediate: true, state: enabled }
    - name: a port forward
      ansible.posix.firewalld:
        zone: public
        port_forward: [{ port: 2222, proto: tcp, toport: 22, toaddr: 10.0.2.2 }]
        permanent: true
        immediate: true
        state: enabled
    - name: fail2ban's rich rule
      ansible.posix.firewalld:
        zone: public
        rich_rule: rule family="ipv4" source address="192.0.2.7" port port="22" protocol="tcp" reject type="icmp-port-unreachable"
        permanent: true
        immediate: true
        state: enabled
    - name: a source
      ansible.posix.firewalld: { zone: trusted, source: 192.0.2.0/28, permanent: true, immediate: true, state: enabled }
    - name: an interface
      ansible.posix.firewalld: { zone: internal, interface: lab0, permanent: true, immediate: true, state: enabled }
    - name: an ICMP block
      ansible.posix.firewalld: { zone: public, icmp_block: echo-request, permanent: true, immediate: true, state: enabled }
    - name: ICMP block inversion
      ansible.posix.firewalld: { zone: work, icmp_block_inversion: true, permanent: true, immediate: true, state: enabled }
    - name: masquerade
      ansible.posix.firewalld: { zone: dmz, masquerade: true, permanent: true, immediate: true, state: enabled }
    - name: a target
      ansible.posix.firewalld: { zone: lab, target: DROP, permanent: true, state: present }
    - name: a service taken out
      ansible.posix.firewalld: { zone: public, service: dhcpv6-client, permanent: true, immediate: true, state: disabled }
    - name: a service for a while, at runtime
      ansible.posix.firewalld: { zone: home, service: https, timeout: 3600, state: enabled }
    - name: a zone that goes (made before the first run)
      ansible.posix.firewalld: { zone: gone, state: absent, permanent: true }
YAML
run() { ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 \
        ansible-playbook -i localhost, "$play" 2>&1; }
recap() { sed -n 's/^localhost *: //p' <<<"$1" | tr -s ' ' | sed 's/ *$//'; }
firewall-cmd --permanent --new-zone=gone >/dev/null
first=$(run)
assert_eq "the first run: every task ok, each of the 15 changed something" \
        "ok=15 changed=15 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0" "$(recap "$first")" ||
        diag "$first"
second=$(run)
assert_eq "the second run changes nothing" "ok=15 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0" \
        "$(recap "$second")" || diag "$second"
assert_eq "the permanent zone public, as the playbook left it" "http ssh|8080/tcp|gre|port=2222:proto=tcp:toport=22:toaddr=10.0.2.2|echo-request|rule family=\"ipv4\" source address=\"192.0.2.7\" port port=\"22\" protocol=\"tcp\" reject type=\"icmp-port-unreachable\"" \
        "$(for what in services ports protocols forward-ports icmp-blocks rich-rules; do
                firewall-cmd --permanent --zone=public --list-$what; done | paste -sd'|')"
assert_eq "and in force" "http ssh|8080/tcp|gre|echo-request" \
        "$(firewall-cmd --zone=public --list-services)|$(firewall-cmd --zone=public --list-ports)|$(
           firewall-cmd --zone=public --list-protocols)|$(firewall-cmd --zone=public --list-icmp-blocks)"
assert_eq "the other zones" "192.0.2.0/28|lab0|yes|yes|https|DROP" \
        "$(firewall-cmd --zone=trusted --list-sources)|$(firewall-cmd --zone=internal --list-interfaces)|$(
           firewall-cmd --zone=work --query-icmp-block-inversion)|$(firewall-cmd --zone=dmz --query-masquerade)|$(
           firewall-cmd --zone=home --list-services | tr ' ' '\n' | grep -x https)|$(
           firewall-cmd --permanent --zone=lab --get-target)"
assert_eq "the zone made and removed is not there" "no" \
        "$(firewall-cmd --permanent --get-zones | tr ' ' '\n' | grep -qx gone && echo yes || echo no)"
done_testing
