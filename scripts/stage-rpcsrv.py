# stage-rpcsrv.py PORT...: a DCE/RPC (ncacn_ip_tcp, C706 12) responder for
# stage-detections.sh's rpc_tcp scenarios, nothing else. Debian serves no
# svcctl, ITaskSchedulerService or ATSvc over TCP (Samba's svcctl endpoint is
# ncacn_np only, it has no task scheduler), so this accepts every bind's
# contexts (bind_ack / alter_context_resp with its first transfer syntax)
# and answers every request with a response of zeros (a null handle, null
# pointers, status 0). The client's bytes, the ones a detector reads, come
# from the real impacket client (stage-rpccli.py).
import socket
import struct
import sys
import threading


def pdu(ptype, call, body):
    return struct.pack('<BBBB4sHHI', 5, 0, ptype, 3, b'\x10\x00\x00\x00', 16 + len(body), 0, call) + body


def answer(port, d):
    ptype, call = d[2], struct.unpack_from('<I', d, 12)[0]
    if ptype in (11, 14):
        n, off, res = d[24], 28, b''
        for _ in range(n):
            nts = d[off + 2]
            res += struct.pack('<HH', 0, 0) + d[off + 24:off + 44]
            off += 24 + 20 * nts
        sec = str(port).encode() + b'\x00' if ptype == 11 else b''
        body = struct.pack('<HHIH', 4280, 4280, 0x1234, len(sec)) + sec
        body += b'\x00' * (-(16 + len(body)) % 4) + struct.pack('<B3x', n) + res
        return pdu(12 if ptype == 11 else 15, call, body)
    if ptype == 0:
        ctx = struct.unpack_from('<H', d, 20)[0]
        return pdu(2, call, struct.pack('<IHBx', 64, ctx, 0) + b'\x00' * 64)
    return b''


def serve(c, port):
    buf = b''
    with c:
        while True:
            b = c.recv(65536)
            if not b:
                return
            buf += b
            while len(buf) >= 16:
                n = struct.unpack_from('<H', buf, 8)[0]
                if len(buf) < n:
                    break
                a = answer(port, buf[:n])
                buf = buf[n:]
                if a:
                    c.sendall(a)


def listen(addr, port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(8)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c, port), daemon=True).start()


for p in sys.argv[2:]:
    threading.Thread(target=listen, args=(sys.argv[1], int(p)), daemon=True).start()
threading.Event().wait()
