package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestTrustedProxies: behind a reverse proxy listed in TrustedProxies, the
// audit log and the request log record the client that the proxies named
// in X-Forwarded-For, not the proxy: the rightmost address no trusted proxy
// has, so that an address a client forged at the left of the header is not
// believed. Without the list, or from a connection the list does not
// hold, the header is ignored. On both engines.
func TestTrustedProxies(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		trusted, err := server.ParseTrustedProxies(" 10.0.0.0/8, ::1 ,192.0.2.7")
		if err != nil {
			t.Fatal(err)
		}
		var log testlog.Buffer
		behind, err := server.New(server.Config{DB: db, Log: log.Logger(), TrustedProxies: trusted})
		if err != nil {
			t.Fatal(err)
		}
		open, err := server.New(server.Config{DB: db, Log: log.Logger()})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			s    *server.Server
			peer string
			xff  []string
			want string
		}{
			{"one proxy", behind, "10.0.0.5:4431", []string{"203.0.113.9"}, "203.0.113.9"},
			{"two proxies", behind, "10.0.0.5:4431", []string{"203.0.113.9, 10.0.0.7"}, "203.0.113.9"},
			{"forged at the left", behind, "10.0.0.5:4431", []string{"198.51.100.1, 203.0.113.9"}, "203.0.113.9"},
			{"two header lines", behind, "192.0.2.7:80", []string{"198.51.100.1", "203.0.113.9,10.1.2.3"}, "203.0.113.9"},
			{"IPv6", behind, "[::1]:4431", []string{"2001:db8::1"}, "2001:db8::1"},
			{"IPv4 in IPv6", behind, "[::ffff:10.0.0.5]:4431", []string{"203.0.113.9"}, "203.0.113.9"},
			{"with ports", behind, "10.0.0.5:4431", []string{"203.0.113.9:51234, 10.0.0.7:80"}, "203.0.113.9"},
			{"IPv6 with a port", behind, "10.0.0.5:4431", []string{"[2001:db8::1]:443"}, "2001:db8::1"},
			{"broken entry", behind, "10.0.0.5:4431", []string{"203.0.113.9, unknown"}, "10.0.0.5"},
			{"all trusted", behind, "10.0.0.5:4431", []string{"10.0.0.9"}, "10.0.0.9"},
			{"no header", behind, "10.0.0.5:4431", nil, "10.0.0.5"},
			{"untrusted peer", behind, "198.51.100.20:4431", []string{"203.0.113.9"}, "198.51.100.20"},
			{"no list", open, "10.0.0.5:4431", []string{"203.0.113.9"}, "10.0.0.5"},
		} {
			r := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
			r.RemoteAddr = c.peer
			r.Header.Set("Authorization", "Bearer htk_none_x")
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			w := httptest.NewRecorder()
			c.s.ServeHTTP(w, r)
			if w.Code != http.StatusUnauthorized {
				t.Fatalf("%s: %d, want 401: %s", c.name, w.Code, w.Body)
			}
			rows, _, err := audit.List(context.Background(), db.Read(), audit.Filter{Action: "auth.key", Limit: 1})
			if err != nil || len(rows) != 1 {
				t.Fatalf("%s: audit rows %v, %v", c.name, rows, err)
			}
			if got := rows[0].Actor.RemoteAddr; got != c.want {
				t.Errorf("%s: audit row's remote_addr %q, want %q", c.name, got, c.want)
			}
			lines := strings.Split(strings.TrimSpace(log.String()), "\n")
			if last := lines[len(lines)-1]; !strings.Contains(last, "msg=request") || !strings.HasSuffix(last, " remote="+c.want) {
				t.Errorf("%s: the request log's last line does not end with remote=%s:\n%s", c.name, c.want, last)
			}
		}
	})
}
