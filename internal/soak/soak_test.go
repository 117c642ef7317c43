// Package soak holds a bounded load test: a steady mix of audited reads,
// searches and record pushes against the whole server on loopback, checked
// for errors, latency drift of each kind of request (p50 and p95), and
// growth of the Go heap, of the process's resident anonymous memory (which
// also holds what modernc.org/sqlite allocates outside the Go heap) and of
// its goroutines: against the requests served over the whole run, and
// levelling off (a fixed allowance from the second window to the last,
// however long the run). HUTONG_SOAK sets how long it runs (default 15s;
// give minutes for a real soak); the first fifth warms up and is not
// measured.
package soak

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"modernc.org/sqlite"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

// sample is a value typed for a data item, for generated pushes.
func sample(t catalog.DataType) string {
	switch t {
	case "N", "Y", "I", "B", "F":
		return "1"
	case "D":
		return "2026-01-02"
	case "T":
		return "2026-01-02T10:00:00+08:00"
	case "L":
		return "是"
	}
	return "测"
}

// Limits of growth from the end of the warm-up to the end of the run.
const (
	heapSlack      = 2 << 20 // bytes of Go heap, after a GC
	heapPerRequest = 256     // bytes of Go heap per request served
	rssSlack       = 8 << 20 // bytes of anonymous memory resident, after a GC that returned the freed pages
	rssPerRequest  = 1024
	goroutineSlack = 4
)

// Limits of growth from the end of the second window to the end of the
// last, under load, whatever the run's length: once warm, a steady service
// levels off, and a leak however slow outgrows a fixed allowance in a run
// long enough. The heap is the live heap of the last GC; the resident
// memory leaves out the SQLite writer's page cache, which fills up to its
// 64 MiB (cache_size) as the database grows, and allows for the readers'
// caches (eight of 2 MiB at most, SQLite's default) besides 8 MiB.
const (
	heapLevelSlack = 4 << 20
	rssLevelSlack  = 24 << 20
)

// Latency drift allowed from the first window to the last, for each kind of
// request: the last window's p50 at most p50Drift times the first's plus
// p50Floor, its p95 at most p95Drift times the first's plus p95Floor. The
// floors keep the noise of a loaded machine (CI runs the packages' tests
// side by side on two cores) from failing a healthy run: there, in one
// 15-second run, the p50 of PostgreSQL reads went 5.1, 2.3, 12.7, 4.8 ms
// from window to window, and the p95 of its pushes, 36–78 a window,
// 271, 820, 115, 324 ms (docs/performance.md).
const (
	p50Drift = 2.5
	p95Drift = 3
	p50Floor = 15 * time.Millisecond
	p95Floor = 500 * time.Millisecond
)

// kinds are the kinds of request the load sends.
var kinds = []string{"push", "read", "search"}

// usage is the process's memory and goroutines at one moment.
type usage struct {
	heap       uint64 // Go heap in use (HeapAlloc)
	live       uint64 // Go heap marked live by the last GC
	cache      uint64 // the SQLite writer's page cache, set by the caller; 0 on PostgreSQL
	rss        uint64 // resident anonymous memory (RssAnon): the Go heap, the runtime, and SQLite's own allocations
	vmRSS      uint64 // the whole resident set, mapped files included
	goroutines int
}

// measure reads the process's usage, after a GC that returns freed memory
// to the system when gc is set.
func measure(gc bool) usage {
	if gc {
		debug.FreeOSMemory() // a GC, then the freed pages back to the system
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	u := usage{heap: m.HeapAlloc, live: live[0].Value.Uint64(), goroutines: runtime.NumGoroutine()}
	u.rss, u.vmRSS = rss()
	return u
}

// writerCache returns the bytes the SQLite writer's page cache holds, 0 on
// PostgreSQL. It waits for the writer between two transactions.
func writerCache(ctx context.Context, db *sqldb.DB) (uint64, error) {
	w, ok := db.Pools()["write"]
	if !ok {
		return 0, nil
	}
	c, err := w.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	var used int
	err = c.Raw(func(dc any) error {
		s, ok := dc.(sqlite.DBStatus)
		if !ok {
			return fmt.Errorf("the writer's connection %T reports no status", dc)
		}
		used, _, err = s.Status(sqlite.DBStatusCacheUsed, false)
		return err
	})
	return uint64(used), err
}

// quantile returns the q-quantile of sorted, 0 when it is empty.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(int(float64(len(sorted))*q), len(sorted)-1)]
}

// rss reads the process's resident anonymous memory (RssAnon) and whole
// resident set (VmRSS) from /proc/self/status; 0 where there is none.
// The anonymous part is what a leak grows: the Go heap and runtime, and
// what modernc.org/sqlite allocates; the rest is mapped files, among them
// the database file, which the SQLite writer maps as it grows.
func rss() (anon, all uint64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	kib := func(v string) uint64 {
		n, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		return n << 10
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			anon = kib(v)
		} else if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			all = kib(v)
		}
	}
	return anon, all
}

// window is what one measured window's requests took, by kind.
type window struct {
	mu   sync.Mutex
	lat  map[string][]time.Duration
	errs int
}

func TestSoak(t *testing.T) {
	duration := 15 * time.Second
	if v := os.Getenv("HUTONG_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("HUTONG_SOAK: %v", err)
		}
		duration = d
	}
	if testing.Short() {
		duration = 5 * time.Second
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		for _, p := range soak(t, db, duration, nil) {
			t.Error(p)
		}
	})
}

// TestSoakCatchesGoroutineLeakAndDrift runs a short soak against a server
// that leaks a goroutine every leakEvery requests (each blocked until the
// test ends) and answers every request slowBy late from slowAfter on
// (from its first request: the 2-second run warms up for 0.4 s, settles,
// then measures four windows of 0.4 s, so that the first window is before
// slowAfter and the last after it): the goroutine and drift checks must
// each report it.
func TestSoakCatchesGoroutineLeakAndDrift(t *testing.T) {
	const (
		leakEvery = 10
		slowAfter = 1500 * time.Millisecond
		slowBy    = 200 * time.Millisecond
	)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		stop := make(chan struct{})
		defer close(stop)
		var served atomic.Int64
		var once sync.Once
		var first time.Time
		leaking := func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if served.Add(1)%leakEvery == 0 {
					go func() { <-stop }()
				}
				once.Do(func() { first = time.Now() })
				if time.Since(first) >= slowAfter {
					time.Sleep(slowBy)
				}
				h.ServeHTTP(w, r)
			})
		}
		problems := soak(t, db, 2*time.Second, leaking)
		t.Logf("%d requests, %d goroutines leaked; checks failed: %q", served.Load(), served.Load()/leakEvery, problems)
		for _, c := range []struct{ check, message string }{
			{"goroutine", "goroutines once idle"},
			{"drift", "latency drifted"},
		} {
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, c.message) }) {
				t.Errorf("the %s check passed a server leaking goroutines and slowing down", c.check)
			}
		}
	})
}

// soak runs the load for duration against the server, wrapped by wrap
// when it is not nil, on the demo district seeded into db, and returns the
// checks the run failed, each a message.
func soak(t *testing.T, db *sqldb.DB, duration time.Duration, wrap func(http.Handler) http.Handler) (problems []string) {
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	ctx := context.Background()
	info, err := demo.Seed(ctx, db, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, a := range info.Apps {
		keys[a.Name] = a.Key
	}
	pushKey, readKey := keys["人口信息推送系统"], keys["一窗受理审批系统"]

	// A published person entry of the public security bureau to push to.
	var entryID int64
	err = db.Read().QueryRowContext(ctx, `SELECT e.id FROM catalog_entries e JOIN departments d ON d.id = e.department_id
		WHERE d.short_name = '区公安分局' AND e.status = 'published' AND e.subject_kind = 'person' ORDER BY e.id LIMIT 1`).Scan(&entryID)
	if err != nil {
		t.Fatal(err)
	}
	entry, err := catalog.Get(ctx, db.Read(), catalog.Actor{Operator: true}, entryID)
	if err != nil {
		t.Fatal(err)
	}
	var values []string
	for _, it := range entry.Items {
		if !it.IdentifiesSubject {
			values = append(values, fmt.Sprintf("%q:%q", it.Name, sample(it.Type)))
		}
	}
	s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = s
	if wrap != nil {
		h = wrap(s)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	base := ts.URL + "/api/v1/records/entries/" + strconv.FormatInt(entryID, 10)

	do := func(method, url, key, body string) error {
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			return fmt.Errorf("%s %s: %d", method, url, resp.StatusCode)
		}
		return nil
	}

	var pushed atomic.Int64
	var ackMu sync.Mutex
	var acked []int // subjects whose push was acknowledged
	recent := func(i int) (int, bool) {
		ackMu.Lock()
		defer ackMu.Unlock()
		if len(acked) == 0 {
			return 0, false
		}
		return acked[len(acked)-1-i%min(len(acked), 100)], true
	}
	// The first fifth of the run warms up (connections, the key
	// cache, prepared statements, SQLite's page cache) and is not
	// measured. Then, with no request in flight and the connections
	// closed, the baseline is taken; the load resumes for the
	// measured windows, and at the end, idle again, the usage is
	// compared with the baseline.
	const windows = 4
	ws := make([]window, windows)
	warmup := duration / 5
	measured := duration - warmup
	var firstErr atomic.Value
	var warm atomic.Int64 // requests answered during the warm-up
	goroutinesIdle := runtime.NumGoroutine()
	load := func(until time.Time, record func(at time.Time, kind string, err error)) {
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for i := 0; ; i++ {
					now := time.Now()
					if !now.Before(until) {
						return
					}
					var err error
					var kind string
					switch {
					case w < 2: // providers push in real time
						kind = "push"
						n := pushed.Add(1)
						body := fmt.Sprintf(`{"op":"add","subject_id":%q,"produced_at":%q,"values":{%s}}`,
							recordstest.CitizenID(int(n)+500000), now.Format(time.RFC3339), strings.Join(values, ","))
						if err = do("POST", base+"/ops", pushKey, body); err == nil {
							ackMu.Lock()
							acked = append(acked, int(n))
							ackMu.Unlock()
						}
					case w < 6: // consumers read recent subjects' records (audited)
						kind = "read"
						n, ok := recent(i)
						if !ok {
							continue
						}
						err = do("GET", base+"/subjects/"+recordstest.CitizenID(n+500000)+"?purpose=soak", readKey, "")
					default: // catalog search
						kind = "search"
						err = do("GET", ts.URL+"/api/v1/catalog/entries?q="+[]string{"户籍", "证", "营业执照", "婚姻"}[i%4], readKey, "")
					}
					record(now, kind, err)
				}
			})
		}
		wg.Wait()
		// Idle: the client's connections closed, and the server's
		// goroutines for them ended (their number no longer falls).
		client.CloseIdleConnections()
		for n, still := runtime.NumGoroutine(), 0; n > goroutinesIdle && still < 20; still++ {
			time.Sleep(10 * time.Millisecond)
			if m := runtime.NumGoroutine(); m < n {
				n, still = m, 0
			}
		}
	}
	load(time.Now().Add(warmup), func(_ time.Time, _ string, err error) {
		warm.Add(1)
		if err != nil {
			t.Errorf("warm-up: %v", err)
		}
	})
	start0 := measure(true)
	start := time.Now()
	samples := make([]usage, windows) // near the end of each window, under load
	var sampler sync.WaitGroup
	var cacheErr error
	sampler.Go(func() {
		for i := range windows {
			time.Sleep(time.Until(start.Add(measured*time.Duration(i+1)/windows - measured/50)))
			samples[i] = measure(false)
			var err error
			if samples[i].cache, err = writerCache(ctx, db); err != nil && cacheErr == nil {
				cacheErr = err
			}
		}
	})
	load(start.Add(measured), func(at time.Time, kind string, err error) {
		win := &ws[min(int(at.Sub(start)*windows/measured), windows-1)]
		win.mu.Lock()
		if win.lat == nil {
			win.lat = map[string][]time.Duration{}
		}
		win.lat[kind] = append(win.lat[kind], time.Since(at))
		if err != nil {
			win.errs++
			firstErr.CompareAndSwap(nil, err.Error())
		}
		win.mu.Unlock()
	})
	sampler.Wait()
	if cacheErr != nil {
		t.Fatalf("the SQLite writer's page cache: %v", cacheErr)
	}
	end := measure(true)

	// p50 and p95 of each kind of request, by window.
	p50, p95 := map[string][]time.Duration{}, map[string][]time.Duration{}
	served := 0
	for i := range ws {
		if ws[i].errs > 0 {
			fail("window %d: %d errors, first: %v", i, ws[i].errs, firstErr.Load())
		}
		for _, k := range kinds {
			lat := ws[i].lat[k]
			if len(lat) == 0 {
				fail("window %d: no %s request", i, k)
			}
			slices.Sort(lat)
			p50[k], p95[k] = append(p50[k], quantile(lat, 0.50)), append(p95[k], quantile(lat, 0.95))
			served += len(lat)
		}
	}
	heapGrowth := int64(end.heap) - int64(start0.heap)
	rssGrowth := int64(end.rss) - int64(start0.rss)
	var vmPeak uint64
	goroutines := make([]int, windows)
	for i, u := range samples {
		vmPeak = max(vmPeak, u.vmRSS)
		goroutines[i] = u.goroutines
	}
	t.Logf("%d requests measured in %v after %d in a %v warm-up (%d pushes)", served, measured.Round(time.Millisecond),
		warm.Load(), warmup.Round(time.Millisecond), pushed.Load())
	for _, k := range kinds {
		n := make([]int, windows)
		for i := range ws {
			n[i] = len(ws[i].lat[k])
		}
		t.Logf("%s: requests per window %v, p50 %v, p95 %v", k, n, p50[k], p95[k])
	}
	mib := func(f func(u usage) uint64) string {
		var b strings.Builder
		for i, u := range samples {
			if i > 0 {
				b.WriteString(" ")
			}
			fmt.Fprintf(&b, "%.1f", float64(f(u))/(1<<20))
		}
		return b.String()
	}
	t.Logf("under load, per window (MiB): live heap %s; HeapAlloc %s; RssAnon %s; the SQLite writer's page cache %s",
		mib(func(u usage) uint64 { return u.live }), mib(func(u usage) uint64 { return u.heap }),
		mib(func(u usage) uint64 { return u.rss }), mib(func(u usage) uint64 { return u.cache }))
	// The smallest steady leak per request each check would catch in this run.
	catches := func(slack, perRequest int64) int64 { return perRequest + slack/int64(served) }
	t.Logf("idle, after GC: heap %d → %d KiB (%+d B per request; catches a leak of %d B per request); "+
		"RssAnon %d → %d KiB (%+d B per request; catches %d B per request); VmRSS %d → %d KiB, peak %d under load; "+
		"goroutines %d before the load, %d after the warm-up, %v under load per window, %d after",
		start0.heap>>10, end.heap>>10, heapGrowth/int64(served), catches(heapSlack, heapPerRequest),
		start0.rss>>10, end.rss>>10, rssGrowth/int64(served), catches(rssSlack, rssPerRequest), start0.vmRSS>>10, end.vmRSS>>10, vmPeak>>10,
		goroutinesIdle, start0.goroutines, goroutines, end.goroutines)
	// Latency may grow a little as tables grow; a steady service stays
	// within a few times its start, for each kind of request.
	for _, k := range kinds {
		first, last := p50[k][0], p50[k][windows-1]
		if limit := time.Duration(p50Drift*float64(first)) + p50Floor; last > limit {
			fail("latency drifted: %s p50 %v in the first window, %v in the last (more than %v)", k, first, last, limit)
		}
		first, last = p95[k][0], p95[k][windows-1]
		if limit := time.Duration(p95Drift*float64(first)) + p95Floor; last > limit {
			fail("latency drifted: %s p95 %v in the first window, %v in the last (more than %v)", k, first, last, limit)
		}
	}
	// Levelling off: from the second window to the last, under load.
	second, last := samples[1], samples[windows-1]
	if g := int64(last.live) - int64(second.live); g > heapLevelSlack {
		fail("memory did not level off: live heap grew %d KiB from the second window to the last (more than %d KiB)", g>>10, heapLevelSlack>>10)
	}
	if g := (int64(last.rss) - int64(last.cache)) - (int64(second.rss) - int64(second.cache)); g > rssLevelSlack {
		fail("memory did not level off: resident anonymous memory besides the SQLite writer's page cache grew %d KiB from the second window to the last (more than %d KiB)",
			g>>10, rssLevelSlack>>10)
	}
	// Growth measured against the requests served, beyond a fixed
	// allowance for what fills once (caches, pools, a heap goal that
	// settles): a leak of a few KiB per request passes the allowance
	// within seconds.
	if heapGrowth > heapSlack+heapPerRequest*int64(served) {
		fail("heap grew %d KiB over %d requests (%d B per request): more than %d KiB and %d B per request",
			heapGrowth>>10, served, heapGrowth/int64(served), heapSlack>>10, heapPerRequest)
	}
	if rssGrowth > rssSlack+rssPerRequest*int64(served) {
		fail("resident anonymous memory grew %d KiB over %d requests (%d B per request): more than %d KiB and %d B per request",
			rssGrowth>>10, served, rssGrowth/int64(served), rssSlack>>10, rssPerRequest)
	}
	// Once idle, the goroutines are as few as before the load (under
	// load their number follows the requests in flight).
	if end.goroutines > start0.goroutines+goroutineSlack {
		fail("%d goroutines once idle after the load, %d after the warm-up", end.goroutines, start0.goroutines)
	}
	return problems
}
