# stage-bacnet.py: BACnet/IP (ASHRAE 135 Annex J) for stage-detections.sh's
# bms_* scenarios, plain sockets.
#   stage-bacnet.py ctl ADDR INSTANCE: a controller on ADDR:47808 answering
#     ReadProperty (ComplexACK, present-value REAL) and Who-Is (I-Am).
#   stage-bacnet.py bms SPORT ROUNDS PERIOD ADDR...: a BMS workstation on
#     SPORT (47808 or 0 for an ephemeral port) broadcasting one Who-Is, then
#     ReadProperty of analog-input 1 present-value to every ADDR, one round
#     every PERIOD seconds.
import socket
import struct
import sys
import time

BVLC_UNI, BVLC_BCAST = 0x0a, 0x0b


def bvlc(fn, npdu):
    return struct.pack('>BBH', 0x81, fn, 4 + len(npdu)) + npdu


def objid(t, inst):
    return struct.pack('>I', t << 22 | inst)


def ctl(addr, inst):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.bind(('', 47808))
    while True:
        b, peer = s.recvfrom(1500)
        if len(b) < 8 or b[0] != 0x81:
            continue
        apdu = b[6:] if b[5] & 0x20 == 0 else b[6 + 3 + b[8] + 1:]
        if len(apdu) >= 2 and apdu[0] == 0x10 and apdu[1] == 0x08:  # Who-Is
            iam = b'\x10\x00\xc4' + objid(8, inst) + b'\x22\x05\xc4\x91\x03\x21\x07'
            s.sendto(bvlc(BVLC_BCAST, b'\x01\x00' + iam), ('255.255.255.255', 47808))
        elif len(apdu) >= 4 and apdu[0] & 0xf0 == 0 and apdu[3] == 0x0c:  # ReadProperty
            inv = apdu[2]
            val = struct.pack('>f', 20.0 + inst % 7 + time.time() % 1)
            ack = bytes([0x30, inv, 0x0c]) + b'\x0c' + objid(0, 1) + b'\x19\x55\x3e\x44' + val + b'\x3f'
            s.sendto(bvlc(BVLC_UNI, b'\x01\x00' + ack), peer)


def bms(sport, rounds, period, addrs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.bind(('', sport))
    s.settimeout(0.2)
    whois = b'\x01\x20\xff\xff\x00\xff\x10\x08'  # global broadcast, Who-Is
    s.sendto(bvlc(BVLC_BCAST, whois), ('255.255.255.255', 47808))
    inv = 0
    for r in range(rounds):
        t0 = time.time()
        for a in addrs:
            inv = (inv + 1) & 0xff
            rp = bytes([0x00, 0x05, inv, 0x0c]) + b'\x0c' + objid(0, 1) + b'\x19\x55'
            s.sendto(bvlc(BVLC_UNI, b'\x01\x04' + rp), (a, 47808))
            time.sleep(0.05)
        end = t0 + period
        while time.time() < end:
            try:
                s.recvfrom(1500)
            except socket.timeout:
                pass
        print('round', r + 1, 'done')


if sys.argv[1] == 'ctl':
    ctl(sys.argv[2], int(sys.argv[3]))
else:
    bms(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5:])
