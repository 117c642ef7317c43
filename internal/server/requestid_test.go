package server_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestClientRequestID: a client's X-Request-ID is kept, returned and
// logged only when it is a plain token (a UUID, a trace ID, a proxy's
// ID) naming no one: one holding a citizen ID, a mobile number, a name or
// a passport or permit number is replaced by the server's own, and the
// request log does not hold it. A UUID or a 32-hex-digit trace ID is kept
// whatever digits it holds: until 2026-12-05 one with a group of 7 or more
// digits (12345678-…, about 6% of random UUIDs) was replaced. An ID with
// a run of 7 or more digits in any other shape (a timestamp,
// req-20261205161800) is replaced, as docs/postgresql.md says.
func TestClientRequestID(t *testing.T) {
	db := sqldbtest.SQLite(t)
	var log testlog.Buffer
	_, ts := serveLogging(t, db, log.Logger())
	get := func(id string) string {
		t.Helper()
		req, err := http.NewRequest("GET", ts.URL+"/healthz", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Request-ID", id)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.Header.Get("X-Request-ID")
	}
	for _, id := range []string{"3f2b8c1e-6d4a-4f0e-9b7a-2c5d8e1f0a3b", "req-42", "lb.7f3a9c:1", "0af7651916cd43dd8448eb211c80319c",
		"12345678-1b2c-4d3e-8f40-123456789012", "9081726354AB4C5D8E6F012345678901", "00000000000000000000000000000001",
		strings.Repeat("a", 64)} {
		if got := get(id); got != id {
			t.Errorf("X-Request-ID %q answered as %q, want kept", id, got)
		}
	}
	generated := regexp.MustCompile(`^[0-9a-f]{16}$`)
	for _, id := range []string{"11010519491231002X 13912345678 欧阳娜娜", "11010519491231002X", "13912345678", "req-13912345678",
		"E12345678", "H1234567801", "EA1234567", "110105-19491231-002X", "91440605MA4UXXXX0X", "欧阳娜娜",
		"req-20261205161800", "12345678-1b2c-4d3e-8f40-12345678901", "110105194912310021-1b2c-4d3e-8f40-123456789012",
		strings.Repeat("a", 65), "a b", ""} {
		if got := get(id); got == id || !generated.MatchString(got) {
			t.Errorf("X-Request-ID %q answered as %q, want one of the server's own", id, got)
		}
	}
	out := log.String()
	for _, secret := range []string{"11010519491231002X", "13912345678", "欧阳娜娜", "E12345678", "H1234567801", "EA1234567",
		"19491231", "91440605MA4UXXXX0X"} {
		if strings.Contains(out, secret) {
			t.Errorf("the request log holds %s:\n%s", secret, out)
		}
	}
}
