//go:build linux

package crashtest

import (
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestEndedBy checks the check of how a run of the server ended: a
// process that exits by itself, whatever its status, is not a kill, and
// one killed is not a graceful shutdown.
func TestEndedBy(t *testing.T) {
	run := func(script string, sig syscall.Signal) error {
		cmd := exec.Command("sh", "-c", script)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if sig != 0 {
			time.Sleep(50 * time.Millisecond)
			cmd.Process.Signal(sig)
		}
		cmd.Wait()
		return endedBy(cmd.ProcessState, syscall.SIGKILL)
	}
	if err := run("sleep 10", syscall.SIGKILL); err != nil {
		t.Errorf("killed by SIGKILL: %v", err)
	}
	for _, c := range []struct {
		script string
		sig    syscall.Signal
	}{{"exit 0", 0}, {"exit 2", 0}, {"sleep 10", syscall.SIGTERM}} {
		if err := run(c.script, c.sig); err == nil {
			t.Errorf("%q ended by %v passed as killed by SIGKILL", c.script, c.sig)
		}
	}
	for _, c := range []struct {
		script string
		ok     bool
	}{{"exit 0", true}, {"exit 1", false}, {"kill -KILL $$", false}} {
		cmd := exec.Command("sh", "-c", c.script)
		cmd.Run()
		if err := endedBy(cmd.ProcessState, syscall.SIGTERM); (err == nil) != c.ok {
			t.Errorf("%q after SIGTERM: %v, want ok %v", c.script, err, c.ok)
		}
	}
}

// TestPanics checks that a panic in the server's log is found: the
// runtime's, and one a handler raised and the server recovered from.
func TestPanics(t *testing.T) {
	log := strings.Join([]string{
		`{"time":"2026-12-04T10:00:00Z","level":"INFO","msg":"request","path":"/api/v1/departments","status":201}`,
		`{"time":"2026-12-04T10:00:01Z","level":"ERROR","msg":"panic","request_id":"ab","panic":"boom"}`,
		`panic: runtime error: index out of range [3] with length 3`,
		`fatal error: concurrent map writes`,
		`{"time":"2026-12-04T10:00:02Z","level":"INFO","msg":"shutting down"}`,
	}, "\n")
	if got := panics(log); len(got) != 3 {
		t.Errorf("panics found: %q, want the three lines 2–4", got)
	}
	if got := panics(`{"msg":"request","status":200}` + "\n"); len(got) != 0 {
		t.Errorf("panics found in a log without any: %q", got)
	}
}

// TestRetryAllBounded checks that the last run's retries end: against a
// server answering 503 for ever, retryAll returns the requests still
// unacknowledged once its limit has passed, each with its last answer.
func TestRetryAllBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"code":"unavailable"}`, http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	r := &results{workloads: []*workload{departments()}}
	ops := []*op{r.take(), r.take(), r.take()}
	for _, o := range ops {
		r.requeue(o)
	}
	begin := time.Now()
	left := r.retryAll(srv.Client(), srv.URL, "htk_x", 300*time.Millisecond)
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("retryAll took %v with a limit of 300 ms", took)
	}
	if len(left) != 3 {
		t.Fatalf("%d requests left unacknowledged, want 3", len(left))
	}
	if d := describe(left); !strings.Contains(d, "departments") || !strings.Contains(d, "503") {
		t.Errorf("describe: %s", d)
	}
	for _, o := range left {
		if o.attempts < 2 || o.acked {
			t.Errorf("request %d: %d attempts, acknowledged %v", o.n, o.attempts, o.acked)
		}
	}
}
