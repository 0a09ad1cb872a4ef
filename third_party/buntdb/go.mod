module github.com/tidwall/buntdb

go 1.18

require (
	github.com/tidwall/btree v1.4.2
	github.com/tidwall/gjson v1.14.3
	github.com/tidwall/grect v0.1.4
	github.com/tidwall/match v1.1.1
	github.com/tidwall/rtred v0.1.2
)

require (
	github.com/tidwall/pretty v1.2.0 // indirect
	github.com/tidwall/tinyqueue v0.1.1 // indirect
)
