package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestEmptyAnswerCountedAs200: a handler that writes nothing is answered
// 200 by net/http, and the request log and the metrics say 200, where they
// said status 0.
func TestEmptyAnswerCountedAs200(t *testing.T) {
	var log testlog.Buffer
	ts := panicServer(t, &log, map[string]http.HandlerFunc{
		"GET /api/v1/test-empty": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
		},
	})
	resp, err := http.Get(ts.URL + "/api/v1/test-empty")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("empty answer: got %d, want 200", resp.StatusCode)
	}
	if line := grepLines(log.String(), "msg=request "); !strings.Contains(line, " status=200 ") {
		t.Errorf("request line of an empty answer: %s, want status=200", line)
	}
	resp, err = http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `hutong_http_requests_total{code="200",route="GET /api/v1/test-empty"} 1`
	if !strings.Contains(string(body), want) {
		t.Errorf("metrics lack %s:\n%s", want, grepLines(string(body), "hutong_http_requests_total"))
	}
}
