#!/usr/bin/python3
# Regenerates passive.pcap: one synthetic frame per case the corpus lacks
# (tagged DHCP with client id, ONVIF camera and printer WS-Discovery Hello,
# SSDP search response, mDNS _device-info model, LLDP-MED inventory, NBNS
# registration, IPv6 router advertisement). Made here with scapy; no
# third-party content. Run: /usr/bin/python3 gen_fixtures.py
from scapy.all import *
from scapy.contrib.lldp import *

pk = []
# 1. DHCP REQUEST on VLAN 20 from a randomised MAC, client id + hostname + vendor class.
pk.append(Ether(src="da:a1:19:00:00:01", dst="ff:ff:ff:ff:ff:ff")/Dot1Q(vlan=20)/IP(src="0.0.0.0", dst="255.255.255.255")/
          UDP(sport=68, dport=67)/BOOTP(chaddr=bytes.fromhex("daa119000001"), xid=1)/
          DHCP(options=[("message-type", "request"), ("client_id", b"\x00phone-of-ana"), ("hostname", b"Anas-iPhone"),
                        ("vendor_class_id", b"android-dhcp-13"), ("param_req_list", [1, 3, 6, 15, 119, 252]), "end"]))
# 2. WS-Discovery Hello from an ONVIF camera.
hello = ('<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
         'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
         'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello</a:Action>'
         '</s:Header><s:Body><d:Hello><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/type/video_encoder '
         'onvif://www.onvif.org/hardware/P1435-LE onvif://www.onvif.org/name/AXIS%20Lobby</d:Scopes>'
         '<d:XAddrs>http://10.77.0.90/onvif/device_service</d:XAddrs></d:Hello></s:Body></s:Envelope>')
pk.append(Ether(src="ac:cc:8e:10:00:5a", dst="01:00:5e:7f:ff:fa")/IP(src="10.77.0.90", dst="239.255.255.250")/
          UDP(sport=3702, dport=3702)/Raw(hello.encode()))
# 3. SSDP search response from a printer.
resp = ("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: urn:schemas-upnp-org:device:Printer:1\r\n"
        "USN: uuid:1234::urn:schemas-upnp-org:device:Printer:1\r\nSERVER: HP HTTP Server; HP OfficeJet Pro 9010 UPnP/1.0 HP/1.0\r\n"
        "LOCATION: http://10.77.0.40:8080/desc.xml\r\n\r\n")
pk.append(Ether(src="fc:3f:db:10:00:28", dst="02:7e:4e:d0:00:fa")/IP(src="10.77.0.40", dst="10.77.0.250")/
          UDP(sport=1900, dport=50000)/Raw(resp.encode()))
# 4. mDNS answer: a Mac's host name and _device-info model.
mdns = DNS(qr=1, aa=1, qd=None, an=DNSRR(rrname="studio.local.", type="A", rdata="10.77.0.103", ttl=120) /
           DNSRR(rrname="studio._device-info._tcp.local.", type="TXT", rdata=[b"model=MacBookPro18,3", b"osxvers=23"], ttl=4500) /
           DNSRR(rrname="_smb._tcp.local.", type="PTR", rdata="studio._smb._tcp.local.", ttl=4500))
pk.append(Ether(src="00:03:93:10:00:67", dst="01:00:5e:00:00:fb")/IP(src="10.77.0.103", dst="224.0.0.251", ttl=255)/
          UDP(sport=5353, dport=5353)/mdns)
# 5. LLDP with LLDP-MED inventory from an IP phone; chassis MAC differs from the port MAC.
med = lambda sub, s: LLDPDUGenericOrganisationSpecific(org_code=0x0012bb, subtype=sub, data=s)
pk.append(Ether(src="64:16:7f:10:00:6f", dst="01:80:c2:00:00:0e")/
          LLDPDUChassisID(subtype=4, id=bytes.fromhex("64167f10006e"))/LLDPDUPortID(subtype=3, id=bytes.fromhex("64167f10006f"))/
          LLDPDUTimeToLive(ttl=120)/LLDPDUSystemName(system_name=b"SEP64167F10006E")/
          LLDPDUSystemCapabilities(telephone_available=1, telephone_enabled=1, mac_bridge_available=1)/
          med(6, b"8.1.2")/med(8, b"PX123456")/med(9, b"Polycom")/med(10, b"VVX 450")/LLDPDUEndOfLLDPDU())
# 6. NBNS name registration.
def nbname(n, suffix=0x00):
    raw = n.ljust(15).encode()[:15] + bytes([suffix])
    return bytes([32]) + bytes(c for b in raw for c in (0x41 + (b >> 4), 0x41 + (b & 15))) + b"\x00"
# RFC 1002 4.2.2: header (opcode 5 registration, RD, broadcast), question, NB record via pointer.
nb = (bytes.fromhex("1234" "2910" "0001" "0000" "0000" "0001") + nbname("WS-DELL-01") + bytes.fromhex("0020" "0001") +
      bytes.fromhex("c00c" "0020" "0001" "000493e0" "0006" "0000") + bytes([10, 77, 0, 100]))
pk.append(Ether(src="00:08:74:10:00:64", dst="ff:ff:ff:ff:ff:ff")/IP(src="10.77.0.100", dst="10.77.0.255")/
          UDP(sport=137, dport=137)/Raw(nb))
# 7. IPv6 router advertisement with source link-layer address.
pk.append(Ether(src="4c:5e:0c:10:00:01", dst="33:33:00:00:00:01")/IPv6(src="fe80::4e5e:cff:fe10:1", dst="ff02::1", hlim=255)/
          ICMPv6ND_RA()/ICMPv6NDOptSrcLLAddr(lladdr="4c:5e:0c:10:00:01"))
# 8. A gratuitous ARP.
pk.append(Ether(src="00:11:32:10:00:32", dst="ff:ff:ff:ff:ff:ff")/ARP(op=1, hwsrc="00:11:32:10:00:32", psrc="10.77.0.50",
          hwdst="00:00:00:00:00:00", pdst="10.77.0.50"))
for i, p in enumerate(pk):
    p.time = 1764000000 + i
wrpcap("passive.pcap", pk)
