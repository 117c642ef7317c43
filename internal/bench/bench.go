// Package bench is Hutong's load generator (hutong bench): it prepares a
// database, starts the whole server in-process on loopback beside a bare
// net/http baseline over the same database, drives both with concurrent
// HTTP clients for a fixed time per scenario and reports throughput, p50 and
// p99 latency, the ratio to the baseline, and peak RSS.
//
// The baseline answers the ratio's question — what do authentication,
// middleware, audit and our handlers cost over the cheapest possible service
// on the same machine and database — so that figures from a noisy machine
// still mean something.
package bench

import (
	"context"
	"encoding/json"
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
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
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
	// DepartmentID is the bench's own department (owner of AdminKey's app);
	// Departments are the ids of the seeded departments, for lookups.
	DepartmentID int64
	Departments  []int64
	// Run is unique per run, for names of rows that writing scenarios create.
	Run string
}

// Request builds the n-th request of a worker. Workers call it
// concurrently; a response outside 2xx counts as an error.
type Request func(worker, n int) *http.Request

// Scenario is one measured workload.
//
// To add one (catalog search, record ingestion, verify / query, licences):
// append it to Scenarios. Setup runs before the clock starts: it creates
// whatever the scenario reads (through the domain functions, in big
// transactions, skipping what an earlier run on the same -db already made)
// and returns the Request builder. Name it with its capability
// ("catalog-search", "records-ingest"), and set Baseline to the name of the
// scenario to compare against when it is a lookup that the bare handler can
// also do (add the bare query to baseline.go).
type Scenario struct {
	Name     string
	About    string
	Baseline string // name of an earlier scenario whose throughput is the reference
	Setup    func(ctx context.Context, f *Fixture) (Request, error)
}

// Scenarios returns every scenario in the order they run. Baselines come
// before the scenarios compared with them.
func Scenarios() []Scenario {
	return []Scenario{
		{
			Name:  "baseline-lookup",
			About: "bare net/http handler: SELECT one department by id, JSON",
			Setup: func(ctx context.Context, f *Fixture) (Request, error) {
				return lookup(f.BaselineURL+"/departments/", "", f.Departments), nil
			},
		},
		{
			Name:     "lookup",
			About:    "GET /api/v1/departments/{id} with a bearer key: authentication, middleware, lookup",
			Baseline: "baseline-lookup",
			Setup: func(ctx context.Context, f *Fixture) (Request, error) {
				return lookup(f.URL+"/api/v1/departments/", f.AdminKey, f.Departments), nil
			},
		},
		{
			Name:  "audited-write",
			About: "POST /api/v1/apps: an app, its key and two audit rows in one transaction",
			Setup: func(ctx context.Context, f *Fixture) (Request, error) {
				return createApp(f, false), nil
			},
		},
		{
			Name:  "audited-write-idempotent",
			About: "the same POST with an Idempotency-Key: claim, write, store the response",
			Setup: func(ctx context.Context, f *Fixture) (Request, error) {
				return createApp(f, true), nil
			},
		},
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

// Config tunes Run.
type Config struct {
	Duration    time.Duration // per scenario; default 10 s
	Warmup      time.Duration // per scenario, not measured; default Duration/10, at most 1 s
	Concurrency int           // default 8 × GOMAXPROCS
	Departments int           // departments to seed; default 10,000
	Only        []string      // scenario names to run; all when empty
	Out         io.Writer     // progress and the table; may be nil
}

func (c *Config) defaults() {
	if c.Duration <= 0 {
		c.Duration = 10 * time.Second
	}
	if c.Warmup <= 0 {
		c.Warmup = min(c.Duration/10, time.Second)
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 2 * runtime.GOMAXPROCS(0) * 4
	}
	if c.Departments <= 0 {
		c.Departments = 10000
	}
	if c.Out == nil {
		c.Out = io.Discard
	}
}

// Result is one scenario's figures.
type Result struct {
	Scenario    string  `json:"scenario"`
	About       string  `json:"about"`
	Requests    int64   `json:"requests"`
	Errors      int64   `json:"errors"`
	FirstError  string  `json:"first_error,omitempty"`
	Seconds     float64 `json:"seconds"`
	PerSecond   float64 `json:"per_second"`
	P50ms       float64 `json:"p50_ms"`
	P99ms       float64 `json:"p99_ms"`
	Baseline    string  `json:"baseline,omitempty"`
	VsBaseline  float64 `json:"vs_baseline,omitempty"` // our req/s ÷ the baseline's
	Concurrency int     `json:"concurrency"`
}

// EngineReport is what Run returns for one database.
type EngineReport struct {
	Engine      string   `json:"engine"`
	Database    string   `json:"database"`
	Departments int      `json:"departments"`
	PeakRSSMiB  float64  `json:"peak_rss_mib"` // VmHWM of the whole process: server and clients
	Results     []Result `json:"results"`
}

// Run prepares db (seeding it if needed), starts the servers, runs the
// scenarios and returns their figures.
func Run(ctx context.Context, db *sqldb.DB, cfg Config) (EngineReport, error) {
	cfg.defaults()
	rep := EngineReport{Engine: db.Dialect.String(), Database: db.Source}
	resetPeakRSS()
	f, err := Prepare(ctx, db, cfg.Departments, cfg.Out)
	if err != nil {
		return rep, err
	}
	rep.Departments = len(f.Departments)

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
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	fmt.Fprintf(cfg.Out, "  %-26s %9s %9s %9s %7s  %s\n", "scenario", "req/s", "p50", "p99", "errors", "vs baseline")
	// The chosen scenarios and their baselines.
	chosen := map[string]bool{}
	for _, sc := range Scenarios() {
		if len(cfg.Only) == 0 || slices.Contains(cfg.Only, sc.Name) {
			chosen[sc.Name], chosen[sc.Baseline] = true, true
		}
	}
	done := map[string]float64{}
	for _, sc := range Scenarios() {
		if !chosen[sc.Name] {
			continue
		}
		req, err := sc.Setup(ctx, f)
		if err != nil {
			return rep, fmt.Errorf("bench: %s: setup: %w", sc.Name, err)
		}
		res := drive(ctx, client, req, cfg)
		res.Scenario, res.About, res.Baseline = sc.Name, sc.About, sc.Baseline
		if b, ok := done[sc.Baseline]; ok && b > 0 {
			res.VsBaseline = res.PerSecond / b
		}
		done[sc.Name] = res.PerSecond
		rep.Results = append(rep.Results, res)
		ratio := ""
		if res.VsBaseline > 0 {
			ratio = fmt.Sprintf("%.2f× of %s", res.VsBaseline, sc.Baseline)
		}
		fmt.Fprintf(cfg.Out, "  %-26s %9.0f %9s %9s %7d  %s\n", sc.Name, res.PerSecond,
			ms(res.P50ms), ms(res.P99ms), res.Errors, ratio)
		if res.FirstError != "" {
			fmt.Fprintf(cfg.Out, "    first error: %s\n", res.FirstError)
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
	}
	rep.PeakRSSMiB = peakRSSMiB()
	fmt.Fprintf(cfg.Out, "  peak RSS %.0f MiB (server and clients, one process)\n", rep.PeakRSSMiB)
	return rep, nil
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

// drive sends requests from cfg.Concurrency workers: first for the warmup,
// unmeasured, then for cfg.Duration.
func drive(ctx context.Context, client *http.Client, build Request, cfg Config) Result {
	type worker struct {
		lat      []time.Duration
		errors   int64
		firstErr string
	}
	ws := make([]worker, cfg.Concurrency)
	start := time.Now()
	measureFrom := start.Add(cfg.Warmup)
	end := measureFrom.Add(cfg.Duration)
	var wg sync.WaitGroup
	for w := range ws {
		wg.Go(func() {
			me := &ws[w]
			me.lat = make([]time.Duration, 0, 1<<14)
			for n := 0; ctx.Err() == nil; n++ {
				req := build(w, n).WithContext(ctx)
				t0 := time.Now()
				if t0.After(end) {
					return
				}
				err := do(client, req)
				if t0.Before(measureFrom) {
					continue
				}
				me.lat = append(me.lat, time.Since(t0))
				if err != nil {
					me.errors++
					if me.firstErr == "" {
						me.firstErr = err.Error()
					}
				}
			}
		})
	}
	wg.Wait()
	var all []time.Duration
	res := Result{Concurrency: cfg.Concurrency, Seconds: cfg.Duration.Seconds()}
	for _, w := range ws {
		all = append(all, w.lat...)
		res.Errors += w.errors
		if res.FirstError == "" {
			res.FirstError = w.firstErr
		}
	}
	slices.Sort(all)
	res.Requests = int64(len(all))
	res.PerSecond = float64(res.Requests-res.Errors) / cfg.Duration.Seconds()
	res.P50ms = percentile(all, 0.50)
	res.P99ms = percentile(all, 0.99)
	return res
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

// Bench rows live under their own region, so that a run can reuse any
// Hutong database (a demo, a copy of production) without touching its data
// beyond the rows it adds.
const (
	benchRegion = "449901"
	benchDept   = "压测中心"
)

// Prepare makes sure db holds the bench region, its own department and n
// seeded departments (created through the domain functions, so with their
// audit rows), and issues a fresh admin key for this run.
func Prepare(ctx context.Context, db *sqldb.DB, n int, out io.Writer) (*Fixture, error) {
	if out == nil {
		out = io.Discard
	}
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	by := audit.Actor{Kind: audit.ActorSystem, ID: "bench", Name: "hutong bench"}
	now := time.Now()
	f := &Fixture{DB: db, Run: strconv.FormatInt(now.UnixNano(), 36)}

	own, err := org.DepartmentByName(ctx, db.Read(), benchDept)
	if err != nil {
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, by, org.Region{Code: benchRegion, Name: "压测区", Level: org.Province}, now); err != nil {
				return err
			}
			own = org.Department{Name: benchDept, USCC: demo.USCC(benchRegion, 0), RegionCode: benchRegion}
			return org.CreateDepartment(ctx, tx, by, &own, now)
		})
		if err != nil {
			return nil, fmt.Errorf("bench: prepare: %w", err)
		}
	}
	f.DepartmentID = own.ID

	have, err := seededIDs(ctx, db)
	if err != nil {
		return nil, err
	}
	if len(have) < n {
		t0 := time.Now()
		fmt.Fprintf(out, "  seeding %d departments …\n", n-len(have))
		const batch = 1000
		for i := len(have); i < n; i += batch {
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				for j := i; j < min(i+batch, n); j++ {
					d := org.Department{Name: fmt.Sprintf("压测部门%06d", j+1), USCC: demo.USCC(benchRegion, j+1), RegionCode: benchRegion}
					if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("bench: seed departments: %w", err)
			}
		}
		fmt.Fprintf(out, "  seeded in %v\n", time.Since(t0).Round(time.Millisecond))
		if have, err = seededIDs(ctx, db); err != nil {
			return nil, err
		}
	}
	f.Departments = have[:n]

	err = db.Tx(ctx, func(tx *sqldb.Tx) error {
		_, key, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: "压测" + f.Run, DepartmentID: own.ID,
			Scopes:      []string{"admin", "catalog.read", "catalog.write", "records.write", "data.read", "audit.read"},
			Description: "hutong bench " + now.Format(time.RFC3339)}, now)
		f.AdminKey = key
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("bench: issue key: %w", err)
	}
	return f, nil
}

func seededIDs(ctx context.Context, db *sqldb.DB) ([]int64, error) {
	rows, err := db.Read().QueryContext(ctx, `SELECT id FROM departments WHERE region_code = $1 AND name LIKE '压测部门%' ORDER BY id`, benchRegion)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// resetPeakRSS resets the kernel's peak RSS of this process (Linux ≥ 4.0),
// so that each engine reports its own peak.
func resetPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSSMiB reads VmHWM from /proc/self/status; 0 where there is none.
func peakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
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
}

// NewReport describes the machine.
func NewReport(cfg Config) *Report {
	cfg.defaults()
	return &Report{Time: time.Now().UTC(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH,
		CPU: cpuModel(), NumCPU: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Duration: cfg.Duration.String(), Concurrency: cfg.Concurrency}
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
