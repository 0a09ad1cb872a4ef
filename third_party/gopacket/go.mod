module github.com/google/gopacket

go 1.12

require (
	golang.org/x/net v0.0.0-20190620200207-3b0461eec859
	golang.org/x/sys v0.0.0-20190412213103-97732733099d
)
