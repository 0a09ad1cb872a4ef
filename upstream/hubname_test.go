package upstream

import (
	"strings"
	"testing"
)

// TestNewClientErrorsHideSecrets: a hub URL refused for its scheme, its
// missing host or its syntax is named without the user, password or query
// it carries, which would otherwise land in the log.
func TestNewClientErrorsHideSecrets(t *testing.T) {
	for _, u := range []string{
		"http://box:s3cret@hub.example/ingest?token=s3cret",
		"https://box:s3cret@/ingest?token=s3cret",
		"https://box:s3cret@hub.example:port/?token=s3cret",
		"https://box:s3cret@hub example/?token=s3cret\x7f",
	} {
		_, err := NewClient(ClientConfig{URL: u, Site: "acme", Key: make([]byte, siteKeyBytes)}, nil)
		if err == nil {
			t.Errorf("%q accepted", u)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error for a refused URL shows its secret: %v", err)
		}
	}
}
