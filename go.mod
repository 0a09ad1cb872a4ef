module tend

go 1.26.8

require (
	github.com/chromedp/cdproto v0.159.0
	github.com/chromedp/chromedp v0.23.0
	github.com/gin-gonic/gin v1.12.0
	github.com/go-pdf/fpdf v0.9.0
	github.com/google/go-cmp v0.7.0
	github.com/google/gopacket v1.1.19
	github.com/gosnmp/gosnmp v1.47.0
	github.com/jackc/pgx/v5 v5.13.0
	github.com/mdlayher/arp v0.0.0-20220512170110-6706a2966875
	github.com/mdlayher/ethernet v0.0.0-20220221185849-529eae5b6118
	github.com/mdlayher/packet v1.2.0
	github.com/tidwall/buntdb v1.3.0
	github.com/tidwall/gjson v1.14.3
	golang.org/x/crypto v0.59.0
	golang.org/x/net v0.62.0
	golang.org/x/sync v0.25.0
	golang.org/x/sys v0.50.0
)

require (
	github.com/gin-contrib/sse v1.1.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/mdlayher/socket v0.7.0 // indirect
	github.com/tidwall/btree v1.4.2 // indirect
	github.com/tidwall/grect v0.1.4 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.0 // indirect
	github.com/tidwall/rtred v0.1.2 // indirect
	github.com/tidwall/tinyqueue v0.1.1 // indirect
)

// gin without the codecs tend never uses (QUIC/HTTP3, BSON, protobuf, TOML,
// YAML, MsgPack): they made half the binary. See third_party/gin/TEND.md.
replace github.com/gin-gonic/gin => ./third_party/gin

// gopacket without the 6 MB its layers package made resident at init
// (unknown entries of two 65,536-entry tables). See third_party/gopacket/TEND.md.
replace github.com/google/gopacket => ./third_party/gopacket

// pgx's connection layer without its type system: the hub stores text.
// See third_party/pgx/TEND.md.
replace github.com/jackc/pgx/v5 => ./third_party/pgx

// buntdb that lets go of the write buffer a large commit grew (1.3 MB kept
// for good after a 1,000-device fold). See third_party/buntdb/TEND.md.
replace github.com/tidwall/buntdb => ./third_party/buntdb

// fpdf without the image decoders (JPEG, GIF and, through GIF, PNG encoding),
// encoding/gob and UTF-8 font subsetting, for images, serialised templates and
// fonts tend's core-font reports never use. See third_party/fpdf/TEND.md.
replace github.com/go-pdf/fpdf => ./third_party/fpdf
