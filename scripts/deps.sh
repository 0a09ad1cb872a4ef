#!/usr/bin/env bash
# Installs the Debian packages given as arguments, skipping those already
# installed, and checks that a Go toolchain is there. Run as root.
set -euo pipefail
missing=()
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The Go toolchain go.mod names. Debian's golang-go is too old (1.19 on
# bookworm cannot switch toolchains by itself), so when no Go >= 1.21 is
# found, the release is fetched from the Go module proxy, which serves every
# toolchain as the module golang.org/toolchain, and unpacked in /usr/local/go.
need_go=
gobin=$(command -v go || true)
[ -z "$gobin" ] && [ -x /usr/local/go/bin/go ] && gobin=/usr/local/go/bin/go
if [ -z "$gobin" ]; then
	need_go=1
else
	minor=$("$gobin" env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
	[ -z "$minor" ] || [ "$minor" -lt 21 ] && need_go=1
fi
if [ -n "$need_go" ]; then
	missing+=(curl unzip ca-certificates)
fi
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages: ${missing[*]}; run as root (sudo make ...)" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -n "$need_go" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: no Go >= 1.21 found; run as root (sudo make ...) to install it" >&2
		exit 1
	fi
	gover=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$(dirname "$0")/../go.mod")
	case "$(uname -m)" in
	x86_64) goarch=amd64 ;;
	aarch64) goarch=arm64 ;;
	*) echo "deps: no Go toolchain download for $(uname -m); install Go $gover by hand" >&2; exit 1 ;;
	esac
	proxy=${GOPROXY:-https://proxy.golang.org}
	proxy=${proxy%%,*}
	zip="$proxy/golang.org/toolchain/@v/v0.0.1-go$gover.linux-$goarch.zip"
	echo "deps: installing Go $gover from $zip"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	curl -fsSL --retry 3 -o "$tmp/go.zip" "$zip"
	unzip -q "$tmp/go.zip" -d "$tmp"
	rm -rf /usr/local/go
	mv "$tmp/golang.org/toolchain@v0.0.1-go$gover.linux-$goarch" /usr/local/go
	chmod -R a+rX /usr/local/go
	chmod a+x /usr/local/go/bin/* /usr/local/go/pkg/tool/*/*
	/usr/local/go/bin/go version
fi
