package traffic

import "testing"

// TestLoginWire: the failed logins loginwire.go reads, on the bytes of
// review 41's captures (mosquitto 2.0's CONNACK to mosquitto_sub with a
// wrong password, an RFB 3.8 SecurityResult to medusa's vnc module,
// Postfix's refusal of an unknown recipient to swaks), and the answers
// beside them that are no failure.
func TestLoginWire(t *testing.T) {
	for _, c := range []struct {
		port  uint16
		b     string
		proto string
		fail  bool
	}{
		{1883, "\x20\x02\x00\x05", "MQTT", true},               // 3.1.1 not authorized
		{1883, "\x20\x02\x00\x04", "MQTT", true},               // 3.1.1 bad user name or password
		{1883, "\x20\x03\x00\x86\x00", "MQTT", true},           // 5: bad user name or password, no properties
		{1883, "\x20\x02\x00\x00", "MQTT", false},              // accepted
		{1883, "\x20\x02\x01\x00", "MQTT", false},              // accepted, session present
		{1883, "\x20\x03\x00\x00\x00", "MQTT", false},          // 5: success
		{1883, "\x30\x0f\x00\x0dsite/hvac/t21", "MQTT", false}, // a PUBLISH
		{5900, "\x00\x00\x00\x01\x00\x00\x00\x15Authentication failed", "VNC", true},
		{5900, "\x00\x00\x00\x01", "VNC", false},                     // 3.3's security type None, or 3.7's bare result
		{5900, "\x00\x00\x00\x00", "VNC", false},                     // SecurityResult OK
		{5900, "\x00\x00\x00\x01\x00\x00\x00\x30Auth", "VNC", false}, // length past the segment
		{25, "550 5.1.1 <root@lab.lan>: Recipient address rejected: User unknown in local recipient table\r\n", smtpUnknown, true},
		{25, "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\r\n", smtpUnknown, true},
		{25, "550 <root>... User unknown\r\n", smtpUnknown, true},
		{25, "550 5.7.1 Message rejected as spam\r\n", smtpUnknown, false},
		{25, "554 5.7.1 <x@gmail.example>: Relay access denied\r\n", "", false},
		{25, "252 2.0.0 admin\r\n", "", false},
		{587, "535 5.7.8 Error: authentication failed\r\n", "SMTP AUTH", true},
		{25, "354 End data with <CR><LF>.<CR><LF>\r\n", smtpData, true},
	} {
		proto, fail := loginFailure(c.port, []byte(c.b))
		if fail != c.fail || c.fail && proto != c.proto {
			t.Errorf("port %d %q: %q %v, want %q %v", c.port, c.b, proto, fail, c.proto, c.fail)
		}
	}
}

// FuzzLoginFailure runs loginFailure over any server segment of 4 bytes or
// more (bruteSegment's floor) from every port it reads: it must not panic.
func FuzzLoginFailure(f *testing.F) {
	f.Add([]byte("\x20\x03\x00\x86\x00"))
	f.Add([]byte("\x00\x00\x00\x01\x00\x00\x00\x15Authentication failed"))
	f.Add([]byte("550 5.1.1 <x>: User unknown\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 4 {
			return
		}
		for _, port := range []uint16{21, 23, 25, 110, 139, 143, 389, 445, 1883, 3306, 5432, 5900, 8080} {
			loginFailure(port, b)
		}
	})
}
