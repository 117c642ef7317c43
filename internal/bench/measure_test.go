package bench

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// slow is how long the fake target takes to answer 200.
const slow = 20 * time.Millisecond

// fakeTarget answers /ok with 200 after slow; /fail with 500 at once; and
// /mixed with a fast 500 to three requests of four, 200 after slow to the
// fourth.
func fakeTarget(t *testing.T) string {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			time.Sleep(slow)
		case "/mixed":
			if n.Add(1)%4 == 0 {
				time.Sleep(slow)
				break
			}
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		default:
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		w.Write([]byte("{}"))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func get(url string) Request {
	return func(worker, n int) *http.Request {
		req, _ := http.NewRequest("GET", url, nil)
		return req
	}
}

func fakeConfig(out *strings.Builder) Config {
	return Config{Duration: 300 * time.Millisecond, Warmup: 20 * time.Millisecond, Concurrency: 2, Out: out}
}

// TestDriveLatencyOfSuccesses: the percentiles are of the requests answered
// 2xx; the fast errors around them are counted, not timed.
func TestDriveLatencyOfSuccesses(t *testing.T) {
	url := fakeTarget(t)
	var out strings.Builder
	res, answered := drive(t.Context(), http.DefaultClient, Workload{Request: get(url + "/mixed")}, fakeConfig(&out))
	if res.Errors == 0 || res.Requests <= res.Errors || answered == 0 {
		t.Fatalf("%d requests, %d errors, %d answered: want errors and successes", res.Requests, res.Errors, answered)
	}
	floor := float64(slow) / float64(time.Millisecond)
	if res.P50ms < floor || res.P95ms < res.P50ms || res.P99ms < res.P95ms {
		t.Errorf("p50 %vms p95 %vms p99 %vms: want the latencies of the 200s, each at least %vms", res.P50ms, res.P95ms, res.P99ms, floor)
	}
	if want := float64(res.Requests-res.Errors) / res.Seconds; res.PerSecond != want {
		t.Errorf("%v req/s, want the 2xx answers' %v", res.PerSecond, want)
	}
}

// TestMeasureFailsOnErrors: a scenario with errors prints its row marked
// failed, gets no ratio to its baseline nor gives one to those compared with
// it, and fails the run naming it and its error count; the scenarios after it
// still run.
func TestMeasureFailsOnErrors(t *testing.T) {
	url := fakeTarget(t)
	f := &Fixture{DB: &sqldb.DB{Dialect: sqldb.SQLite}}
	scenario := func(name, baseline, path string) Scenario {
		return Scenario{Name: name, Baseline: baseline, Setup: func(context.Context, *Fixture) (Workload, error) {
			return Workload{Request: get(url + path)}, nil
		}}
	}
	cases := []struct {
		name       string
		base, ours string // paths
		failed     string // the scenario named by the error
		ratio      bool
	}{
		{name: "no errors", base: "/ok", ours: "/ok", ratio: true},
		{name: "baseline errs", base: "/mixed", ours: "/ok", failed: "base"},
		{name: "ours errs", base: "/ok", ours: "/fail", failed: "ours"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out strings.Builder
			scs := []Scenario{scenario("base", "", c.base), scenario("ours", "base", c.ours)}
			results, err := f.measure(t.Context(), http.DefaultClient, scs, fakeConfig(&out))
			if len(results) != 2 {
				t.Fatalf("%d results, want 2 (%v)", len(results), err)
			}
			if got := results[1].VsBaseline > 0; got != c.ratio {
				t.Errorf("ratio %v, want one: %v", results[1].VsBaseline, c.ratio)
			}
			if c.failed == "" {
				if err != nil || strings.Contains(out.String(), "FAILED") {
					t.Errorf("err %v, want none:\n%s", err, out.String())
				}
				return
			}
			var fe *FailedError
			if !errors.As(err, &fe) || len(fe.Scenarios) != 1 || fe.Scenarios[0].Scenario != c.failed {
				t.Fatalf("err %v, want a FailedError naming %s", err, c.failed)
			}
			r := fe.Scenarios[0]
			msg := err.Error()
			for _, want := range []string{"压测失败", "sqlite", "场景 " + c.failed + " 有 ", "个请求出错", "500"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not say %q", msg, want)
				}
			}
			if !strings.Contains(msg, " "+itoa(r.Errors)+" 个请求出错") {
				t.Errorf("error %q does not give the error count %d", msg, r.Errors)
			}
			if !strings.Contains(out.String(), "FAILED: "+itoa(r.Errors)+" of ") {
				t.Errorf("the row of %s is not marked failed:\n%s", c.failed, out.String())
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
