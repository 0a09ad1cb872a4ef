package snmp

import (
	"strings"

	"tend/internal/lazyre"
)

// deviceIDModel is the model an IEEE 1284 device ID names ("MFG:…;
// MDL:…;" or the long keys "MANUFACTURE:…;MODEL:…;", IEEE 1284-2000
// section 7.6) in HP's JetDirect object for it, which other makers'
// print servers answer too: the printer behind the server, where
// sysDescr and Recog name the server ("OKI OkiLAN 9450g … PrintServer:
// Attached to MC873"; the ID's MODEL:MC873).
var deviceIDModel = source{oids: []string{jetdirectDeviceID}, re: &lazyre.Regexp{Expr: `(?:^|;)\s*(?:MDL|MODEL)\s*:\s*([^;]+)`}, fix: deviceIDProduct}

// descrDeviceIDModel is the model of a sysDescr that is itself an IEEE
// 1284 device ID, the manufacturer's key first as the standard's examples
// and printers put it (session 41, setR: Pantum's "MFG:Pantum;CMD:…;
// MDL:BM5100ADW series;…"): read as the JetDirect object's, without the
// " series" the ID's model carries.
var descrDeviceIDModel = source{descr: true, re: &lazyre.Regexp{Expr: `^\s*(?:MFG|MANUFACTURER?)\s*:[^;]*;(?:[^;]*;)*?\s*(?:MDL|MODEL)\s*:\s*([^;]+)`}, fix: deviceIDProduct}

// printServerModel is the printer a print server's description names
// after "Attached to" ("OKI OkiLAN 7400g Rev.01.00 … Print Server:
// Attached to MC780 Rev.01.00: Oki Data Corporation."): the device
// behind the server, as the device ID's model is, read before the
// fingerprint and grammars that take the server's own name.
var printServerModel = source{descr: true, re: &lazyre.Regexp{Expr: `(?i)\bprint ?server:? +attached to ([A-Z][\w\-]*\d[\w\-]*)`}}

// deviceIDProduct is a 1284 device ID's model as tend shows it: without
// the maker's name and a trailing " series" (dropMake), when model-shaped.
func deviceIDProduct(s string) string {
	if s = tidy(dropMake(s)); modelLike(s) || properName(s) != "" {
		return s
	}
	return ""
}

// descrDeviceIDMaker is the manufacturer a sysDescr that is an IEEE 1284
// device ID names (its MFG key), the maker's own spelling of its brand
// ("Pantum", where enterprise 40093 is registered to Zhuhai Seine
// Technology): for an enterprise tend keeps no short name for.
var descrDeviceIDMaker = &lazyre.Regexp{Expr: `^\s*(?:MFG|MANUFACTURER?)\s*:\s*([^;]+);(?:[^;]*;)*?\s*(?:MDL|MODEL)\s*:`}

// deviceIDMaker is descrDeviceIDMaker's maker for sysDescr descr under
// enterprise ent, "" when tend keeps a short name for ent or descr is no
// device ID.
func deviceIDMaker(descr string, ent int) string {
	if _, short := enterpriseNames()[ent]; short {
		return ""
	}
	if m := descrDeviceIDMaker.FindStringSubmatch(descr); m != nil {
		return strings.TrimSpace(m[1])
	}
	return ""
}

// jetdirectDeviceID is HP's object for the IEEE 1284 device ID string.
const jetdirectDeviceID = "1.3.6.1.4.1.11.2.3.9.1.1.7.0"
