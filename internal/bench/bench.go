// Package bench is Hutong's load generator (hutong bench): it prepares a
// database of realistic size (or reuses the one an earlier run prepared),
// starts the whole server in-process on loopback beside a bare net/http
// baseline over the same database, drives both with concurrent HTTP
// clients for a fixed time per scenario and reports throughput (requests
// and, for batches, operations per second), p50, p95 and p99 latency, the
// ratio to the baseline, and peak RSS.
//
// The baseline answers the ratio's question — what do authentication,
// middleware, audit and our handlers cost over the cheapest possible service
// on the same machine and database — so that figures from a noisy machine
// still mean something.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Fixture is what scenarios work with: the prepared database and the two
// running servers.
type Fixture struct {
	DB *sqldb.DB
	// URL is the Hutong server (server.New, all middleware), BaselineURL the
	// bare handler of baseline.go; both on loopback over DB.
	URL, BaselineURL string
	// AdminKey is a bearer key of an app with every scope, made for this run.
	AdminKey string
	// ProviderKey is a bearer key of an app of the provider department
	// (scope records.write), which is the source of Records.
	ProviderKey string
	// DepartmentID is the bench's own department (owner of AdminKey's app);
	// Departments are the ids of the seeded departments, for lookups.
	DepartmentID int64
	Departments  []int64
	// Records are the provider's entries and the subjects they hold.
	Records []RecordEntry
	// Built is what Prepare built; zero when it reused everything.
	Built Built
	// Run is unique per run, for names of rows that writing scenarios create.
	Run string
	cfg Config
}

// Request builds the n-th request of a worker. Workers call it
// concurrently; a response outside 2xx counts as an error.
type Request func(worker, n int) *http.Request

// Workload is what a scenario's Setup returns.
type Workload struct {
	Request Request
	// OpsPerRequest is how many operations one request carries (a batch);
	// 0 means one, and then no operations per second are reported.
	OpsPerRequest int
	// Clients, when set, is the number of concurrent clients if fewer than
	// Config.Concurrency.
	Clients int
	// Check, when set, runs after the scenario with the number of requests
	// answered 2xx (warmup included) and looks at what the server stored for
	// them: it returns a line for the report, or an error when the database
	// does not hold what the answers promised.
	Check func(ctx context.Context, answered int64) (string, error)
}

// Scenario is one measured workload.
//
// To add one (verify / query of the sharing API, licences): append it to
// Scenarios. Setup runs before the clock starts: it reads or creates what
// the scenario needs (bulk data belongs in Prepare, built once per
// database) and returns the Workload. Name it with its capability
// ("catalog-search", "records-ingest"), and set Baseline to the name of the
// scenario to compare against when it is a lookup that the bare handler can
// also do (add the bare query to baseline.go).
type Scenario struct {
	Name     string
	About    string
	Baseline string // name of an earlier scenario whose throughput is the reference
	Setup    func(ctx context.Context, f *Fixture) (Workload, error)
}

// Scenarios returns every scenario in the order they run. Baselines come
// right before the scenarios compared with them, and the lookups before the
// scenarios that write much: on PostgreSQL, autovacuum after those writes
// once slowed the baseline of record reads from 11,576 to 403 req/s.
func Scenarios() []Scenario {
	return []Scenario{
		{
			Name:  "baseline-lookup",
			About: "bare net/http handler: SELECT one department by id, JSON",
			Setup: func(ctx context.Context, f *Fixture) (Workload, error) {
				return Workload{Request: lookup(f.BaselineURL+"/departments/", "", f.Departments)}, nil
			},
		},
		{
			Name:     "lookup",
			About:    "GET /api/v1/departments/{id} with a bearer key: authentication, middleware, lookup",
			Baseline: "baseline-lookup",
			Setup: func(ctx context.Context, f *Fixture) (Workload, error) {
				return Workload{Request: lookup(f.URL+"/api/v1/departments/", f.AdminKey, f.Departments)}, nil
			},
		},
		{
			Name:  "baseline-record",
			About: "bare net/http handler: a subject's current record, one SELECT (records joined with record_versions), JSON",
			Setup: func(ctx context.Context, f *Fixture) (Workload, error) {
				return Workload{Request: readRecord(f, f.BaselineURL+"/records/entries/", "")}, nil
			},
		},
		{
			Name: "records-query",
			About: "GET /api/v1/records/entries/{id}/subjects/{subject} with a bearer key (scope data.read): " +
				"authentication, entry, subject check, record and disputes, one audit row per read",
			Baseline: "baseline-record",
			Setup:    queryRecords,
		},
		{
			Name:  "audited-write",
			About: "POST /api/v1/apps: an app, its key and two audit rows in one transaction",
			Setup: func(ctx context.Context, f *Fixture) (Workload, error) {
				return Workload{Request: createApp(f, false)}, nil
			},
		},
		{
			Name:  "audited-write-idempotent",
			About: "the same POST with an Idempotency-Key: claim, write, store the response",
			Setup: func(ctx context.Context, f *Fixture) (Workload, error) {
				return Workload{Request: createApp(f, true)}, nil
			},
		},
		{
			Name: "records-ingest",
			About: "POST /api/v1/records/entries/{id}/batches by the provider: JSON lines, 3/4 changes of existing " +
				"subjects and 1/4 adds of new ones, validated, cross-checked, history kept, one transaction per batch",
			Setup: ingestRecords,
		},
		{
			Name: "records-push",
			About: "POST /api/v1/records/entries/{id}/ops by the provider, one change at a time from every client: " +
				"validated, cross-checked, history kept, each answered once committed; the operations arriving while " +
				"one transaction commits go into the next (group commit)",
			Setup: pushRecords,
		},
		{
			Name:  "catalog-search",
			About: "GET /api/v1/catalog/entries?q=… with facets: 1-character, 2-character and longer Chinese queries in turn, one client per CPU",
			Setup: searchCatalog,
		},
	}
}

// Missing is a figure that hutong bench cannot measure yet.
type Missing struct {
	Scenario string `json:"scenario"`
	Reason   string `json:"reason"`
}

// Unavailable lists the figures of issue 5 whose capabilities are not built
// yet; Run prints them so that their absence is visible, without numbers.
func Unavailable() []Missing {
	const why = "not available yet (sharing / licence library not built)"
	return []Missing{
		{"sharing-verify", why},
		{"sharing-query", why},
		{"licence-issue", why},
		{"licence-seal-verify", why},
	}
}

func lookup(prefix, key string, ids []int64) Request {
	return func(worker, n int) *http.Request {
		id := ids[(worker*7919+n*104729)%len(ids)]
		req, _ := http.NewRequest("GET", prefix+strconv.FormatInt(id, 10), nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		return req
	}
}

func createApp(f *Fixture, idempotent bool) Request {
	kind := "w"
	if idempotent {
		kind = "i"
	}
	return func(worker, n int) *http.Request {
		name := fmt.Sprintf("压测%s-%s-%d-%d", f.Run, kind, worker, n)
		body := fmt.Sprintf(`{"name":%q,"department_id":%d,"scopes":["catalog.read"]}`, name, f.DepartmentID)
		req, _ := http.NewRequest("POST", f.URL+"/api/v1/apps", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+f.AdminKey)
		req.Header.Set("Content-Type", "application/json")
		if idempotent {
			req.Header.Set("Idempotency-Key", name)
		}
		return req
	}
}

// Config tunes Prepare and Run.
type Config struct {
	Duration    time.Duration // per scenario; default 5 s
	Warmup      time.Duration // per scenario, not measured; default Duration/10, at most 1 s
	Concurrency int           // default 8 × GOMAXPROCS
	Departments int           // departments to seed; default 10,000
	Records     int           // records to build; default 1,000,000
	Persons     int           // persons they are about; default 100,000 (at most 200,000)
	Companies   int           // companies they are about; default 20,000
	Entries     int           // generated catalog entries for search; default 100,000
	BatchOps    int           // operations per records-ingest batch; default 1,000
	Only        []string      // scenario names to run; all when empty
	Out         io.Writer     // progress and the table; may be nil
}

func (c *Config) defaults() {
	if c.Duration <= 0 {
		c.Duration = 5 * time.Second
	}
	if c.Warmup <= 0 {
		c.Warmup = min(c.Duration/10, time.Second)
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 2 * runtime.GOMAXPROCS(0) * 4
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Departments, 10000)
	def(&c.Records, 1000000)
	def(&c.Persons, 100000)
	def(&c.Companies, 20000)
	def(&c.Entries, 100000)
	def(&c.BatchOps, 1000)
	if c.Out == nil {
		c.Out = io.Discard
	}
}

// Result is one scenario's figures.
type Result struct {
	Scenario      string  `json:"scenario"`
	About         string  `json:"about"`
	Requests      int64   `json:"requests"`
	Errors        int64   `json:"errors"`
	FirstError    string  `json:"first_error,omitempty"`
	Seconds       float64 `json:"seconds"`
	PerSecond     float64 `json:"per_second"`                // requests answered 2xx per second
	OpsPerRequest int     `json:"ops_per_request,omitempty"` // for batches
	OpsPerSecond  float64 `json:"ops_per_second,omitempty"`  // operations of the requests answered 2xx
	P50ms         float64 `json:"p50_ms"`                    // of the requests answered 2xx, as p95 and p99
	P95ms         float64 `json:"p95_ms"`
	P99ms         float64 `json:"p99_ms"`
	Baseline      string  `json:"baseline,omitempty"`
	VsBaseline    float64 `json:"vs_baseline,omitempty"` // our req/s ÷ the baseline's
	Checked       string  `json:"checked,omitempty"`     // what the scenario's Check found stored
	Concurrency   int     `json:"concurrency"`
}

// EngineReport is what Run returns for one database.
type EngineReport struct {
	Engine         string `json:"engine"`
	Database       string `json:"database"`
	Departments    int    `json:"departments"`
	Persons        int    `json:"persons"`
	Companies      int    `json:"companies"`
	RecordEntries  int    `json:"record_entries"`
	Records        int64  `json:"records"`         // in the record entries when the scenarios start
	CatalogEntries int64  `json:"catalog_entries"` // generated, for search
	// Built is what this run built, nil when an earlier run had built it all.
	Built      *Built  `json:"built,omitempty"`
	PeakRSSMiB float64 `json:"peak_rss_mib"` // VmHWM of the whole process: server and clients; 0 where not measured (no /proc)
	// PeakAnonMiB is the largest RssAnon sampled: PeakRSSMiB without the
	// file pages (SQLite maps the database into memory).
	PeakAnonMiB float64  `json:"peak_rss_anon_mib"`
	Results     []Result `json:"results"`
}

// Run prepares db (building what an earlier run has not), starts the
// servers, runs the scenarios and returns their figures.
func Run(ctx context.Context, db *sqldb.DB, cfg Config) (EngineReport, error) {
	f, err := Prepare(ctx, db, cfg)
	if err != nil {
		return EngineReport{Engine: db.Dialect.String(), Database: db.Source}, err
	}
	return f.Measure(ctx, cfg.Out)
}

// Measure starts the servers on the prepared database, runs the scenarios and
// returns their figures, writing the table to out. Peak memory counts
// from here: preparing is not measured.
func (f *Fixture) Measure(ctx context.Context, out io.Writer) (EngineReport, error) {
	cfg := f.cfg
	if out != nil {
		cfg.Out = out
	}
	db := f.DB
	rep := EngineReport{Engine: db.Dialect.String(), Database: db.Source}
	resetPeakRSS()
	sampling, stopSampling := context.WithCancel(ctx)
	defer stopSampling()
	anon := sampleAnon(sampling)
	if err := describe(ctx, f, &rep, cfg.Out); err != nil {
		return rep, err
	}

	srv, err := server.New(server.Config{DB: db, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		return rep, err
	}
	stop1, url, err := listen(srv)
	if err != nil {
		return rep, err
	}
	defer stop1()
	stop2, baseURL, err := listen(Baseline(db))
	if err != nil {
		return rep, err
	}
	defer stop2()
	f.URL, f.BaselineURL = url, baseURL

	transport := &http.Transport{MaxIdleConns: cfg.Concurrency, MaxIdleConnsPerHost: cfg.Concurrency,
		IdleConnTimeout: time.Minute, DisableCompression: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: time.Minute}

	fmt.Fprintf(cfg.Out, "  %-24s %9s %9s %9s %9s %6s  %s\n", "scenario", "req/s", "p50", "p95", "p99", "errors", "notes")
	results, err := f.measure(ctx, client, Scenarios(), cfg)
	rep.Results = results
	var failed *FailedError
	if err != nil && !errors.As(err, &failed) {
		return rep, err
	}
	if len(cfg.Only) == 0 {
		for _, m := range Unavailable() {
			fmt.Fprintf(cfg.Out, "  %-24s %s\n", m.Scenario, m.Reason)
		}
	}
	rep.PeakRSSMiB, rep.PeakAnonMiB = statusMiB("VmHWM"), float64(anon.Load())
	fmt.Fprintln(cfg.Out, memoryLine(rep.PeakRSSMiB, rep.PeakAnonMiB))
	// The figures are all printed, and in rep, but a run with errors fails.
	return rep, err
}

// measure runs the chosen scenarios (and their baselines) one after the
// other and prints each one's row. A scenario with errors does not stop the
// others, but the run fails at the end with a *FailedError.
func (f *Fixture) measure(ctx context.Context, client *http.Client, scenarios []Scenario, cfg Config) ([]Result, error) {
	// The chosen scenarios and their baselines.
	chosen := map[string]bool{}
	for _, sc := range scenarios {
		if len(cfg.Only) == 0 || slices.Contains(cfg.Only, sc.Name) {
			chosen[sc.Name], chosen[sc.Baseline] = true, true
		}
	}
	var results []Result
	done := map[string]Result{}
	failed := &FailedError{Engine: f.DB.Dialect.String()}
	for _, sc := range scenarios {
		if !chosen[sc.Name] {
			continue
		}
		w, err := sc.Setup(ctx, f)
		if err != nil {
			return results, fmt.Errorf("bench: %s: setup: %w", sc.Name, err)
		}
		res, answered := drive(ctx, client, w, cfg)
		if err := ctx.Err(); err != nil {
			return results, err
		}
		res.Scenario, res.About, res.Baseline = sc.Name, sc.About, sc.Baseline
		// A ratio only between two runs whose every request was answered 2xx:
		// a rate of the successes alone does not compare.
		if b, ok := done[sc.Baseline]; ok && b.PerSecond > 0 && b.Errors == 0 && res.Errors == 0 {
			res.VsBaseline = res.PerSecond / b.PerSecond
		}
		if w.Check != nil {
			if res.Checked, err = w.Check(ctx, answered); err != nil {
				return results, fmt.Errorf("bench: %s: %w", sc.Name, err)
			}
		}
		done[sc.Name] = res
		results = append(results, res)
		printResult(cfg.Out, res, cfg.Concurrency)
		if res.Errors > 0 {
			failed.Scenarios = append(failed.Scenarios, res)
		}
	}
	if len(failed.Scenarios) > 0 {
		return results, failed
	}
	return results, nil
}

// FailedError is a run in which some scenarios had requests not answered
// 2xx: their figures are not a measurement of the work asked for.
type FailedError struct {
	Engine    string
	Scenarios []Result // those with errors
}

func (e *FailedError) Error() string {
	parts := make([]string, len(e.Scenarios))
	for i, r := range e.Scenarios {
		parts[i] = fmt.Sprintf("场景 %s 有 %d 个请求出错（共 %d 个；首个错误：%s）", r.Scenario, r.Errors, r.Requests, r.FirstError)
	}
	return fmt.Sprintf("压测失败：%s 上%s，其数字不作数", e.Engine, strings.Join(parts, "；"))
}

func printResult(out io.Writer, res Result, clients int) {
	var notes []string
	if res.OpsPerRequest > 0 {
		notes = append(notes, fmt.Sprintf("%s ops/s (%d per request)", thousands(res.OpsPerSecond), res.OpsPerRequest))
	}
	if res.Concurrency != clients {
		notes = append(notes, fmt.Sprintf("%d clients", res.Concurrency))
	}
	if res.VsBaseline > 0 {
		notes = append(notes, fmt.Sprintf("%.2f× of %s", res.VsBaseline, res.Baseline))
	}
	if res.Checked != "" {
		notes = append(notes, res.Checked)
	}
	p50, p95, p99 := ms(res.P50ms), ms(res.P95ms), ms(res.P99ms)
	if res.Requests == res.Errors {
		p50, p95, p99 = "-", "-", "-"
	}
	switch {
	case res.Requests == 0:
		// The clients' requests of the warmup lasted the whole measured time.
		notes = append([]string{fmt.Sprintf("no request began in the %v measured: each took longer", time.Duration(res.Seconds*float64(time.Second)))}, notes...)
	case res.Errors > 0:
		notes = append([]string{fmt.Sprintf("FAILED: %d of %d requests not answered 2xx; figures of the 2xx answers only, not a result", res.Errors, res.Requests)}, notes...)
	}
	fmt.Fprintf(out, "  %-24s %9.0f %9s %9s %9s %6d  %s\n", res.Scenario, res.PerSecond,
		p50, p95, p99, res.Errors, strings.Join(notes, "; "))
	if res.FirstError != "" {
		fmt.Fprintf(out, "    first error: %s\n", res.FirstError)
	}
}

// describe fills the data figures of rep and prints them.
func describe(ctx context.Context, f *Fixture, rep *EngineReport, out io.Writer) error {
	cfg := f.cfg
	rep.Departments, rep.Persons, rep.Companies, rep.RecordEntries = len(f.Departments), cfg.Persons, cfg.Companies, len(f.Records)
	ids := make([]int64, len(f.Records))
	for i, e := range f.Records {
		ids[i] = e.ID
	}
	var args []any
	in := sqldb.In(f.DB.Read(), &args, ids, 0)
	if err := f.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM (SELECT DISTINCT entry_id, subject_id FROM record_versions
		WHERE entry_id IN `+in+`) AS r`,
		args...).Scan(&rep.Records); err != nil {
		return fmt.Errorf("bench: count records: %w", err)
	}
	args = nil
	in = sqldb.In(f.DB.Read(), &args, f.Departments[:min(searchDepts, len(f.Departments))], 0)
	if err := f.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM catalog_entries WHERE department_id IN `+in,
		args...).Scan(&rep.CatalogEntries); err != nil {
		return fmt.Errorf("bench: count catalog entries: %w", err)
	}
	how := "reused from an earlier run"
	if !f.Built.empty() {
		b := f.Built
		rep.Built = &b
		how = fmt.Sprintf("built in %v", time.Duration(b.Seconds*float64(time.Second)).Round(time.Second))
	}
	fmt.Fprintf(out, "  data: %s departments; %s records in %d entries about %s persons and %s companies; %s catalog entries — %s\n",
		thousands(float64(rep.Departments)), thousands(float64(rep.Records)), rep.RecordEntries, thousands(float64(rep.Persons)),
		thousands(float64(rep.Companies)), thousands(float64(rep.CatalogEntries)), how)
	return nil
}

// thousands formats v rounded, with thousands separators.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func ms(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.2fms", v)
	}
	return fmt.Sprintf("%.1fms", v)
}

// listen serves h on a loopback port until stop is called.
func listen(h http.Handler) (stop func(), url string, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	go hs.Serve(ln)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
	}, "http://" + ln.Addr().String(), nil
}

// drive sends w's requests from its clients: first for the warmup,
// unmeasured, then for cfg.Duration. It also returns how many requests
// were answered 2xx, warmup included.
func drive(ctx context.Context, client *http.Client, w Workload, cfg Config) (Result, int64) {
	type worker struct {
		lat      []time.Duration // of the requests answered 2xx
		requests int64
		errors   int64
		answered int64
		firstErr string
	}
	clients := cfg.Concurrency
	if w.Clients > 0 {
		clients = min(clients, w.Clients)
	}
	ws := make([]worker, clients)
	start := time.Now()
	measureFrom := start.Add(cfg.Warmup)
	end := measureFrom.Add(cfg.Duration)
	var wg sync.WaitGroup
	for i := range ws {
		wg.Go(func() {
			me := &ws[i]
			me.lat = make([]time.Duration, 0, 1<<14)
			for n := 0; ctx.Err() == nil; n++ {
				req := w.Request(i, n).WithContext(ctx)
				t0 := time.Now()
				if t0.After(end) {
					return
				}
				err := do(client, req)
				if err == nil {
					me.answered++
				}
				if t0.Before(measureFrom) {
					continue
				}
				me.requests++
				if err != nil {
					me.errors++
					if me.firstErr == "" {
						me.firstErr = err.Error()
					}
					continue
				}
				me.lat = append(me.lat, time.Since(t0))
			}
		})
	}
	wg.Wait()
	var all []time.Duration
	var answered int64
	res := Result{Concurrency: clients, Seconds: cfg.Duration.Seconds(), OpsPerRequest: w.OpsPerRequest}
	for _, w := range ws {
		all = append(all, w.lat...)
		res.Requests += w.requests
		res.Errors += w.errors
		answered += w.answered
		if res.FirstError == "" {
			res.FirstError = w.firstErr
		}
	}
	slices.Sort(all)
	res.PerSecond = float64(res.Requests-res.Errors) / cfg.Duration.Seconds()
	res.OpsPerSecond = res.PerSecond * float64(w.OpsPerRequest)
	res.P50ms = percentile(all, 0.50)
	res.P95ms = percentile(all, 0.95)
	res.P99ms = percentile(all, 0.99)
	return res, answered
}

func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return float64(sorted[i]) / float64(time.Millisecond)
}

func do(client *http.Client, req *http.Request) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// memoryLine says the peak memory of a run, or, where there is no
// /proc/self/status to read it from (macOS, Windows: the peak is then 0,
// which no running process has), that it was not measured.
func memoryLine(rssMiB, anonMiB float64) string {
	if rssMiB == 0 {
		return "  peak RSS not measured on this system (read from /proc/self/status, which it lacks)"
	}
	return fmt.Sprintf("  peak RSS %.0f MiB, anonymous (heap, stacks) %.0f MiB: server and clients in one process; RSS counts the database pages SQLite maps",
		rssMiB, anonMiB)
}

// resetPeakRSS resets the kernel's peak RSS of this process (Linux ≥ 4.0),
// so that each engine reports its own peak.
func resetPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// statusMiB reads a field of /proc/self/status (in kB there) in MiB; 0
// where there is none.
func statusMiB(field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// sampleAnon samples RssAnon every 100 ms until ctx ends and keeps the
// largest, in MiB: the memory of the process not backed by files (heap,
// stacks), unlike the database pages SQLite maps into it, which count
// in VmHWM.
func sampleAnon(ctx context.Context) *atomic.Uint64 {
	var peak atomic.Uint64
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if v := uint64(statusMiB("RssAnon")); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return &peak
}

// Report is the whole run, as written by -json.
type Report struct {
	Time        time.Time      `json:"time"`
	Go          string         `json:"go"`
	OS          string         `json:"os"`
	CPU         string         `json:"cpu"`
	NumCPU      int            `json:"num_cpu"`
	GOMAXPROCS  int            `json:"gomaxprocs"`
	Duration    string         `json:"duration_per_scenario"`
	Concurrency int            `json:"concurrency"`
	Engines     []EngineReport `json:"engines"`
	Skipped     []string       `json:"skipped,omitempty"`
	// NotAvailable lists the figures that cannot be measured yet.
	NotAvailable []Missing `json:"not_available"`
	// Seconds is the wall time of the whole run, building included.
	Seconds float64 `json:"seconds"`
}

// NewReport describes the machine.
func NewReport(cfg Config) *Report {
	cfg.defaults()
	return &Report{Time: time.Now().UTC(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH,
		CPU: cpuModel(), NumCPU: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Duration: cfg.Duration.String(), Concurrency: cfg.Concurrency, NotAvailable: Unavailable()}
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// WriteJSON writes the report to path.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
