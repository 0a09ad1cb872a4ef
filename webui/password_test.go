package webui

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestHashPassword(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		pw      string
		wantErr string
	}{
		{"", "too short"},
		{"123456789", "too short"},
		{"ünïcödé12", "too short"}, // 9 characters, more bytes
		{strings.Repeat("x", 73), "too long"},
	} {
		if _, err := HashPassword(tt.pw); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("HashPassword(%q) error = %v, want %q", tt.pw, err, tt.wantErr)
		}
	}
	productBcrypt(t)
	const pw = "ten chars!"
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost != 12 {
		t.Errorf("bcrypt cost = %d, %v; want 12", cost, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(h), []byte(pw)) != nil {
		t.Error("hash does not verify the password")
	}
}
