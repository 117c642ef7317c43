package main

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestReadPasswordEnvRefusesSpaces: a HUTONG_PASSWORD with a control
// character or space around it (a CRLF env file leaves "…\r") is
// refused, naming the variable and not the password, rather than set as
// a password no one can type; it is not trimmed either, which would set
// another password than the one written. The refusal is one printable
// line.
func TestReadPasswordEnvRefusesSpaces(t *testing.T) {
	var stderr testlog.Buffer
	for _, pw := range []string{"Correct-Horse-9\r", " Correct-Horse-9", "Correct-Horse-9 ", "Correct-Horse-9\n", "Correct\tHorse-9", "Correct-Horse-9\u00a0"} {
		e := &env{Stderr: &stderr, Getenv: func(string) string { return pw }}
		got, err := readPassword(context.Background(), e, "HUTONG_PASSWORD", strings.NewReader("x\n"))
		if err == nil || !strings.Contains(err.Error(), "HUTONG_PASSWORD") || strings.Contains(err.Error(), "Correct") ||
			strings.ContainsFunc(err.Error(), unicode.IsControl) {
			t.Errorf("HUTONG_PASSWORD=%q: %q, %v; want it refused naming the variable alone", pw, got, err)
		}
	}
	e := &env{Stderr: &stderr, Getenv: func(string) string { return "Correct Horse 9" }}
	if got, err := readPassword(context.Background(), e, "HUTONG_PASSWORD", strings.NewReader("x\n")); got != "Correct Horse 9" || err != nil {
		t.Errorf("spaces within: %q, %v; want the password as it is", got, err)
	}
}
