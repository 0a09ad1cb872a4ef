package snmp

import "tend/internal/lazyre"

// deviceIDModel is the model an IEEE 1284 device ID names ("MFG:…;
// MDL:…;" or the long keys "MANUFACTURE:…;MODEL:…;", IEEE 1284-2000
// section 7.6) in HP's JetDirect object for it, which other makers'
// print servers answer too: the printer behind the server, where
// sysDescr and Recog name the server ("OKI OkiLAN 9450g … PrintServer:
// Attached to MC873"; the ID's MODEL:MC873).
var deviceIDModel = source{oids: []string{jetdirectDeviceID}, re: &lazyre.Regexp{Expr: `(?:^|;)\s*(?:MDL|MODEL)\s*:\s*([^;]+)`}, fix: func(s string) string {
	if s = tidy(dropMake(s)); modelLike(s) || properName(s) != "" {
		return s
	}
	return ""
}}

// jetdirectDeviceID is HP's object for the IEEE 1284 device ID string.
const jetdirectDeviceID = "1.3.6.1.4.1.11.2.3.9.1.1.7.0"
