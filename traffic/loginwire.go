package traffic

import "encoding/binary"

// Failed logins loginFailure reads in binary or less common answers
// (session 40, review 41): MQTT's CONNACK, RFB's SecurityResult, and SMTP's
// refusals of unknown recipients, which are account enumeration rather than
// password guessing but have its shape: one client, one server, the
// server's answer saying each try failed.

// smtpUnknown is loginFailure's name for an SMTP server refusing a
// recipient (RCPT TO, VRFY, EXPN) as an unknown mailbox: smtp-user-enum,
// Metasploit's smtp_enum, nmap's smtp-enum-users try a list of names and
// keep those not refused. smtpData is its name for the server's 354 to
// DATA: a message sent, which an enumerator never does and a mail server
// relaying to a list with stale addresses does (bruteCount: tr.mailed).
const (
	smtpUnknown = "SMTP recipients"
	smtpData    = "SMTP DATA"
)

// smtpFailure reads an SMTP server's reply b: a 535 to AUTH, a 550 whose
// enhanced status (RFC 3463) is X.1.1, bad destination mailbox (Postfix,
// Sendmail, Exim "550 5.1.1 <x>: ... User unknown"; Exchange's 5.1.10
// RecipientNotFound), or a 354.
func smtpFailure(b []byte) (string, bool) {
	switch string(b[:4]) {
	case "535 ":
		return "SMTP AUTH", true
	case "354 ":
		return smtpData, true
	case "550 ", "550-":
		return smtpUnknown, len(b) >= 9 && string(b[4:9]) == "5.1.1" || containsFold(b[:min(len(b), 160)], "user unknown")
	}
	return "", false
}

// mqttRefused reports whether b is an MQTT CONNACK refusing the client's
// credentials: MQTT 3.1/3.1.1 (type 0x20, remaining length 2, flags, return
// code 4 bad user name or password or 5 not authorized) or MQTT 5 (type
// 0x20, remaining length, flags, reason 0x86 bad user name or password or
// 0x87 not authorized, then properties). The CONNACK is the broker's
// answer to the client's CONNECT: a refusal is no guess of the watcher's.
func mqttRefused(b []byte) bool {
	if b[0] != 0x20 || b[2] > 1 {
		return false
	}
	switch n := int(b[1]); {
	case n == 2:
		return b[3] == 4 || b[3] == 5
	case n > 2 && n < 128 && len(b) >= 2+n:
		return b[3] == 0x86 || b[3] == 0x87
	}
	return false
}

// rfbFailed reports whether b is an RFB 3.8 SecurityResult of failed
// (RFC 6143 7.1.3): the word 1, then the reason's length and the reason
// ("Authentication failed", "password check failed!"), filling the
// segment. RFB 3.3 and 3.7 send the word alone, which in 3.3 is also the
// security type None: those sessions are counted as sessions only.
func rfbFailed(b []byte) bool {
	if len(b) < 9 || binary.BigEndian.Uint32(b) != 1 {
		return false
	}
	n := binary.BigEndian.Uint32(b[4:])
	return n > 0 && n <= 1024 && uint32(len(b)-8) == n && b[8] >= ' ' && b[8] < 0x7f
}
