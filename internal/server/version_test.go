package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"testing"

	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestVersion: the release is the main module's version as the go command
// stamped it, else the VCS revision (12 characters, +dirty), else devel.
func TestVersion(t *testing.T) {
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "39c4abe1f7d3c2b1a0e9f8d7c6b5a4f3e2d1c0b9"}
	for _, c := range []struct {
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{rev}}, true, "v1.4.0"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261205151200-39c4abe1f7d3+dirty"}}, true,
			"v0.0.0-20261205151200-39c4abe1f7d3+dirty"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{rev}}, true, "39c4abe1f7d3"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{rev,
			{Key: "vcs.modified", Value: "true"}}}, true, "39c4abe1f7d3+dirty"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "devel"},
		{nil, false, "devel"},
	} {
		if got := server.BuildVersion(c.bi, c.ok); got != c.want {
			t.Errorf("version of %+v: %q, want %q", c.bi, got, c.want)
		}
	}
}

// TestHealthzVersion: /healthz answers ok and the release, no more, while
// the server runs and while it starts.
func TestHealthzVersion(t *testing.T) {
	want := "ok\nversion " + server.Version() + "\n"
	if server.Version() == "" {
		t.Fatal("no version")
	}
	ts := newServer(t, sqldbtest.SQLite(t))
	starting := httptest.NewServer(server.Starting(server.Migrating))
	defer starting.Close()
	for _, url := range []string{ts.URL, starting.URL} {
		resp, err := http.Get(url + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != want {
			t.Errorf("%s/healthz: %d %q, want 200 %q", url, resp.StatusCode, body, want)
		}
	}
}
