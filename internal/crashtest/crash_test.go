//go:build linux

package crashtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

const region = "440605"

// kills is the number of kill points per engine: HUTONG_CRASH_KILLS or 50.
func kills(t *testing.T) int {
	if v := os.Getenv("HUTONG_CRASH_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("HUTONG_CRASH_KILLS=%q: want a positive number", v)
		}
		return n
	}
	return 50
}

// seed is the seed of the kill schedule: HUTONG_CRASH_SEED, to replay a
// run's, or the time.
func seed(t *testing.T) uint64 {
	if v := os.Getenv("HUTONG_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("HUTONG_CRASH_SEED=%q: want a number", v)
		}
		return n
	}
	return uint64(time.Now().UnixNano())
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

// hutongBinary builds cmd/hutong once per test binary.
func hutongBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		start := time.Now()
		if buildErr = consultSources(); buildErr != nil {
			return
		}
		buildDir, buildErr = os.MkdirTemp("", "hutong-crash")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "hutong")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/hutong-gov/hutong/cmd/hutong").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
		t.Logf("built hutong in %v", time.Since(start).Round(time.Millisecond))
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// consultSources stats every source and embedded file of the module that
// cmd/hutong is built from. go test caches a passing result against the
// files a test consulted; the binary this package builds is not one of
// its imports, so without this a change to it (cmd/hutong, the server)
// would replay the cached pass.
func consultSources() error {
	const tmpl = `{{if and .Module .Module.Main}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}
{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}
{{end}}{{end}}`
	out, err := exec.Command("go", "list", "-deps", "-f", tmpl, "github.com/hutong-gov/hutong/cmd/hutong").Output()
	if err != nil {
		return fmt.Errorf("go list: %w", err)
	}
	mod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env: %w", err)
	}
	gomod := strings.TrimSpace(string(mod))
	files := append(strings.Fields(string(out)), gomod, filepath.Join(filepath.Dir(gomod), "go.sum"))
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return err
		}
	}
	return nil
}

// childEnv is the environment of every child: ours without HUTONG_*
// variables, plus HUTONG_DB.
func childEnv(dsn string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HUTONG_") {
			env = append(env, kv)
		}
	}
	return append(env, "HUTONG_DB="+dsn, "USER=crashtest")
}

// cli runs a hutong command to completion.
func cli(t *testing.T, bin, dsn string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv(dsn)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("hutong %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// server is one run of `hutong serve` as a child process.
type server struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
}

// listenRE finds the URL in the line hutong serve prints once it listens.
var listenRE = regexp.MustCompile(`Hutong 已启动：(http://127\.0\.0\.1:\d+)`)

// serveLog is the log (standard error) of every run of the server, kept
// until the test ends: it is checked for panics, and its tail shown when
// the test fails.
type serveLog struct {
	f *os.File
}

func newServeLog(t *testing.T) *serveLog {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "serve.log"))
	if err != nil {
		t.Fatal(err)
	}
	l := &serveLog{f: f}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the server's log, last %d lines:\n%s", tailLines, l.tail(tailLines))
		}
		f.Close()
	})
	return l
}

const tailLines = 40

func (l *serveLog) read() string {
	b, err := os.ReadFile(l.f.Name())
	if err != nil {
		return fmt.Sprintf("(unreadable: %v)", err)
	}
	return string(b)
}

// tail returns the log's last n lines.
func (l *serveLog) tail(n int) string {
	lines := strings.Split(strings.TrimRight(l.read(), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// panicRE finds a panic in the log: the runtime's (panic:, fatal error:)
// and a handler's the server recovered from (logged as "panic").
var panicRE = regexp.MustCompile(`panic:|fatal error:|"msg":"panic"`)

// panics returns the log's lines that report a panic.
func panics(log string) []string {
	var out []string
	for line := range strings.Lines(log) {
		if panicRE.MatchString(line) {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

// start starts `hutong serve` and waits until it listens. Its log goes to log.
func start(t *testing.T, bin, dsn string, log *serveLog) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-log-format", "json")
	cmd.Env = childEnv(dsn)
	cmd.Stderr = log.f
	// Should the test die, so does the child (Linux).
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listenRE.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { cmd.Wait(); close(s.done) }()
	select {
	case s.url = <-urls:
		return s
	case <-s.done:
		t.Fatalf("hutong serve exited before listening: %v", cmd.ProcessState)
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("hutong serve did not start within 30 s")
	}
	return nil
}

// kill sends sig to the server, waits for it to end (within a minute),
// and checks how it ended: killed by SIGKILL, or exited 0 after SIGTERM,
// which shuts it down gracefully. A server that died by itself before
// the kill, or failed its shutdown, is an error, not a kill point.
func (s *server) kill(sig syscall.Signal) error {
	if err := s.cmd.Process.Signal(sig); err != nil {
		<-s.done
		return fmt.Errorf("%v: the server had ended by itself: %v", sig, s.cmd.ProcessState)
	}
	select {
	case <-s.done:
	case <-time.After(time.Minute):
		s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("%v: the server had not ended a minute later (killed)", sig)
	}
	return endedBy(s.cmd.ProcessState, sig)
}

// endedBy checks that a process ended as sig makes it end: killed by
// SIGKILL, or exited 0 for a signal it handles (SIGTERM).
func endedBy(ps *os.ProcessState, sig syscall.Signal) error {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	if !ok {
		return fmt.Errorf("%v: no wait status: %v", sig, ps)
	}
	if sig == syscall.SIGKILL {
		if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			return fmt.Errorf("%v sent, but the server ended otherwise: %v", sig, ps)
		}
		return nil
	}
	if !ws.Exited() || ws.ExitStatus() != 0 {
		return fmt.Errorf("%v sent, but the server did not exit 0: %v", sig, ps)
	}
	return nil
}

// workload is one kind of creating request in the load. req builds its
// n-th request (each different, so that each can be found afterwards),
// ack tells whether a 2xx reply acknowledges it, and check verifies after
// the last run that every acknowledged one is stored completely, once,
// and that nothing else is.
type workload struct {
	name  string
	ctype string
	req   func(n int) (path, body string)
	ack   func(status int, reply []byte) bool
	check func(t *testing.T, ctx context.Context, q sqldb.Querier, ops []*op)

	acks atomic.Int64 // requests of this workload acknowledged
}

// op is one creating request and what became of it.
type op struct {
	w    *workload
	n    int
	key  string // Idempotency-Key
	path string
	body string

	acked    bool   // a 2xx response arrived
	reply    []byte // that response
	attempts int
	last     string // the last attempt's answer, or error
}

// results counts outcomes across workers.
type results struct {
	workloads   []*workload
	mu          sync.Mutex
	retry       []*op // sent but not settled: retried with the same key
	done        []*op
	next        int
	replayed    int
	unexpected  []string
	sent, fails atomic.Int64
}

// ackCounts returns how many requests of each workload were acknowledged.
func (r *results) ackCounts() []int64 {
	n := make([]int64, len(r.workloads))
	for i, w := range r.workloads {
		n[i] = w.acks.Load()
	}
	return n
}

// take returns a request to retry, or the next one, of each workload in turn.
func (r *results) take() *op {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.retry); n > 0 {
		o := r.retry[n-1]
		r.retry = r.retry[:n-1]
		return o
	}
	r.next++
	n := r.next
	o := &op{w: r.workloads[n%len(r.workloads)], n: n}
	o.key = fmt.Sprintf("crash-%s-%d", o.w.name, n)
	o.path, o.body = o.w.req(n)
	return o
}

func (r *results) settle(o *op) {
	r.mu.Lock()
	r.done = append(r.done, o)
	r.mu.Unlock()
}

func (r *results) requeue(o *op) {
	r.mu.Lock()
	r.retry = append(r.retry, o)
	r.mu.Unlock()
}

// send posts o once and settles or requeues it.
func send(client *http.Client, url, key string, o *op, r *results) {
	o.attempts++
	r.sent.Add(1)
	req, _ := http.NewRequest("POST", url+o.path, strings.NewReader(o.body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", o.w.ctype)
	req.Header.Set("Idempotency-Key", o.key)
	resp, err := client.Do(req)
	if err != nil {
		o.last = err.Error()
		r.fails.Add(1)
		r.requeue(o)
		time.Sleep(5 * time.Millisecond) // the server is down: let it restart
		return
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	o.last = fmt.Sprintf("%d %.200s", resp.StatusCode, body)
	if err != nil {
		o.last = fmt.Sprintf("%d, reply cut off: %v", resp.StatusCode, err)
		r.fails.Add(1)
		r.requeue(o) // the reply was cut off: unacknowledged
		return
	}
	switch {
	case resp.StatusCode/100 == 2 && o.w.ack(resp.StatusCode, body):
		o.acked, o.reply = true, body
		o.w.acks.Add(1)
		if resp.Header.Get("Idempotent-Replayed") == "true" {
			r.mu.Lock()
			r.replayed++
			r.mu.Unlock()
		}
		r.settle(o)
	case resp.StatusCode >= 500:
		r.fails.Add(1)
		r.requeue(o)
	default:
		r.mu.Lock()
		r.unexpected = append(r.unexpected, fmt.Sprintf("%s %d: %d %s", o.w.name, o.n, resp.StatusCode, body))
		r.mu.Unlock()
		r.settle(o)
	}
}

// retryLimit bounds the last run's retries: a server answering 5xx for
// ever fails the test rather than run into go test's timeout.
const retryLimit = time.Minute

// retryAll retries every unsettled request, with its key, until each is
// settled or limit has passed, and returns those still unsettled.
func (r *results) retryAll(client *http.Client, url, key string, limit time.Duration) []*op {
	deadline := time.Now().Add(limit)
	for {
		r.mu.Lock()
		pending := r.retry
		r.retry = nil
		r.mu.Unlock()
		if len(pending) == 0 {
			return nil
		}
		for i, o := range pending {
			if time.Now().After(deadline) {
				r.mu.Lock()
				r.retry = append(r.retry, pending[i:]...)
				left := r.retry
				r.mu.Unlock()
				return left
			}
			send(client, url, key, o, r)
		}
		time.Sleep(10 * time.Millisecond) // between rounds of a refusing server
	}
}

// describe names the first requests of ops, with their last answer.
func describe(ops []*op) string {
	var b strings.Builder
	for i, o := range ops {
		if i == 10 {
			fmt.Fprintf(&b, "; …")
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s %d (%d attempts, last: %s)", o.w.name, o.n, o.attempts, o.last)
	}
	return b.String()
}

// reads are audited record reads (GET …/subjects/{subject}) of records
// whose push was acknowledged, each with a purpose of its own, so that
// its audit row can be found: a read answered 200 must have its audit
// row committed, since data is never served before its audit row is
// durable, however soon after the answer the server is killed. A read
// the kill cuts off (no reply, or part of one) is not served; any reply
// that arrives whole came from a running server, and must be a 200 with
// the record: a 5xx is a failure of the server, not of the kill.
type reads struct {
	mu         sync.Mutex
	acked      map[string]string // purpose → subject of each read answered 200
	unexpected []string
	n          atomic.Int64 // reads sent
	acks       atomic.Int64 // reads answered 200
}

// pushedSubject returns the subject of the latest acknowledged record
// push, or false while there is none.
func (r *results) pushedSubject() (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.done) - 1; i >= max(0, len(r.done)-64); i-- {
		if o := r.done[i]; o.acked && o.w.name == "record-pushes" {
			return recordstest.CitizenID(o.n), true
		}
	}
	return "", false
}

// read sends one audited read of an acknowledged push to entry.
func (rd *reads) read(client *http.Client, url, key string, entry int64, r *results) {
	subject, ok := r.pushedSubject()
	if !ok {
		time.Sleep(2 * time.Millisecond)
		return
	}
	purpose := fmt.Sprintf("crash-read-%d", rd.n.Add(1))
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/records/entries/%d/subjects/%s?purpose=%s", url, entry, subject, purpose), nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := client.Do(req)
	if err != nil {
		time.Sleep(5 * time.Millisecond) // the server is down: let it restart
		return
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	switch {
	case err != nil: // cut off by the kill: not served, nothing to check
	case resp.StatusCode == http.StatusOK && strings.Contains(string(body), subject):
		rd.acks.Add(1)
		rd.mu.Lock()
		rd.acked[purpose] = subject
		rd.mu.Unlock()
	default:
		rd.mu.Lock()
		rd.unexpected = append(rd.unexpected, fmt.Sprintf("read of %s: %d %s", subject, resp.StatusCode, body))
		rd.mu.Unlock()
	}
}

// check finds the audit row of every read answered 200: one, naming its
// subject, committed before the answer left.
func (rd *reads) check(t *testing.T, ctx context.Context, q sqldb.Querier) {
	for i, u := range rd.unexpected {
		if i == 5 {
			t.Errorf("… %d unexpected responses to reads in all", len(rd.unexpected))
			break
		}
		t.Errorf("unexpected response: %s", u)
	}
	rows, err := q.QueryContext(ctx, `SELECT purpose, subject_id FROM audit_log WHERE action = 'records.read'
		AND outcome = 'ok' AND purpose LIKE 'crash-read-%'`)
	if err != nil {
		t.Fatal(err)
	}
	audited := map[string]string{}
	for rows.Next() {
		var purpose, subject string
		if err := rows.Scan(&purpose, &subject); err != nil {
			t.Fatal(err)
		}
		if _, dup := audited[purpose]; dup {
			t.Errorf("read %s audited twice", purpose)
		}
		audited[purpose] = subject
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	missing := 0
	for purpose, subject := range rd.acked {
		if got, ok := audited[purpose]; !ok || got != subject {
			missing++
			if missing <= 5 {
				t.Errorf("read %s of %s was answered, but its audit row is %q (found %v)", purpose, subject, got, ok)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d reads answered without their audit row committed", missing, len(rd.acked))
	}
	t.Logf("%d audited reads sent, %d answered; %d audit rows of reads in all (the others of reads whose answer a kill cut off)",
		rd.n.Load(), len(rd.acked), len(audited))
}

// TestCrash kills `hutong serve` with SIGKILL at random points under a
// concurrent load of idempotent creating requests, on both engines.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the server: skipped in -short mode")
	}
	t.Cleanup(func() {
		if buildDir != "" {
			os.RemoveAll(buildDir)
		}
	})
	bin := hutongBinary(t)
	seed := seed(t)
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) { crash(t, bin, dsn, kills(t), seed) })
}

func crash(t *testing.T, bin, dsn string, killPoints int, seed uint64) {
	begin := time.Now()
	// The seed gives the moments of the kills; the load's own timing
	// differs from run to run.
	t.Logf("kill schedule: seed %d (HUTONG_CRASH_SEED=%d replays it)", seed, seed)
	cli(t, bin, dsn, "org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
	cli(t, bin, dsn, "org", "region-create", "-code", region, "-name", "南海区", "-level", "district", "-parent", "440000")
	cli(t, bin, dsn, "org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC(region, 1), "-region", region, "-operator")
	out := cli(t, bin, dsn, "app", "create", "-name", "压测", "-department", "1", "-scopes", "admin records.write")
	key := regexp.MustCompile(`htk_\S+`).FindString(out)
	if key == "" {
		t.Fatalf("no key in:\n%s", out)
	}
	batchEntry, pushEntry := recordEntries(t, dsn)
	logf := newServeLog(t)

	var url atomic.Value // current server's base URL; "" while it is down
	url.Store("")
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	r := &results{workloads: []*workload{departments(), recordBatches(batchEntry), recordPushes(pushEntry)}}
	rd := &reads{acked: map[string]string{}}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for ctx.Err() == nil {
				u := url.Load().(string)
				switch {
				case u == "":
					time.Sleep(2 * time.Millisecond)
				case w < 2: // two of eight read what was pushed
					rd.read(client, u, key, pushEntry, r)
				default:
					send(client, u, key, r.take(), r)
				}
			}
		})
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	var startTotal time.Duration
	// Per workload, the runs with acknowledgements before their kill, and
	// those of them among the runs waited for.
	withAcks, waitedWithAcks := make([]int, len(r.workloads)), make([]int, len(r.workloads))
	waited, withReads := 0, 0
	var badKills []string
	for i := range killPoints {
		acks, readAcks := r.ackCounts(), rd.acks.Load()
		// got reports whether workload w was acknowledged since the start.
		got := func(w int) bool { return r.workloads[w].acks.Load() > acks[w] }
		gotAll := func() bool {
			for w := range r.workloads {
				if !got(w) {
					return false
				}
			}
			return true
		}
		t0 := time.Now()
		s := start(t, bin, dsn, logf)
		startTotal += time.Since(t0)
		url.Store(s.url)
		// Three runs in four are killed once the load gets through (an
		// acknowledgement of every workload and an answered read in the
		// run, or 5 s), so that a slow start on a busy machine cannot
		// leave every run without load; the fourth at any moment after
		// the start.
		if i%4 != 0 {
			for deadline := time.Now().Add(5 * time.Second); (!gotAll() || rd.acks.Load() == readAcks) &&
				time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
		}
		time.Sleep(time.Duration(20+rng.IntN(180)) * time.Millisecond)
		if err := s.kill(syscall.SIGKILL); err != nil {
			badKills = append(badKills, fmt.Sprintf("run %d: %v", i+1, err))
		}
		for w := range r.workloads {
			if got(w) {
				withAcks[w]++
				if i%4 != 0 {
					waitedWithAcks[w]++
				}
			}
		}
		if rd.acks.Load() > readAcks {
			withReads++
		}
		if i%4 != 0 {
			waited++
		}
		url.Store("")
		client.CloseIdleConnections()
	}
	cancel()
	wg.Wait()

	// One last run: retry every unsettled request with its key, then stop
	// gracefully.
	killedAcks := r.ackCounts()
	s := start(t, bin, dsn, logf)
	left := r.retryAll(client, s.url, key, retryLimit)
	if err := s.kill(syscall.SIGTERM); err != nil {
		t.Errorf("last run: %v", err)
	}
	if len(left) > 0 {
		t.Fatalf("%d requests still unacknowledged after %v of retries in the last run, unkilled: %s",
			len(left), retryLimit, describe(left))
	}
	for i, k := range badKills {
		if i == 5 {
			t.Errorf("… %d of %d runs did not end by the kill", len(badKills), killPoints)
			break
		}
		t.Errorf("%s", k)
	}
	if p := panics(logf.read()); len(p) > 0 {
		t.Errorf("the server's log reports %d panics; the first: %s", len(p), p[0])
	}

	var acked int
	for _, o := range r.done {
		if o.acked {
			acked++
		}
	}
	// A retry with the same Idempotency-Key always gets the first answer:
	// the key is stored in the transaction of the action, so a request is
	// either wholly done (and replayed) or not done at all.
	t.Logf("%d kill points in %v (server start %v on average): %d requests sent, %d failed in flight; "+
		"%d requests settled: %d acknowledged (%d replayed); %d audited reads answered",
		killPoints, time.Since(begin).Round(time.Millisecond), (startTotal / time.Duration(killPoints)).Round(time.Millisecond),
		r.sent.Load(), r.fails.Load(), len(r.done), acked, r.replayed, rd.acks.Load())
	finalAcks := r.ackCounts()
	for i, w := range r.workloads {
		t.Logf("%s: acknowledgements in %d of %d runs before their kill (%d of the %d runs killed once the load got through, "+
			"%d of the %d killed at any moment after the start); %d acknowledged, %d of them only in the last, unkilled run",
			w.name, withAcks[i], killPoints, waitedWithAcks[i], waited, withAcks[i]-waitedWithAcks[i], killPoints-waited,
			finalAcks[i], finalAcks[i]-killedAcks[i])
	}
	t.Logf("reads answered in %d of %d runs", withReads, killPoints)
	for _, u := range r.unexpected {
		t.Errorf("unexpected response: %s", u)
	}
	if acked != len(r.done) {
		t.Errorf("%d of %d requests were never acknowledged", len(r.done)-acked, len(r.done))
	}
	// A kill point tests something only when the load got through: most
	// runs must have acknowledged requests of every workload before their
	// kill (counted over all the workloads together, one acknowledged
	// only in the last run, unkilled, passed).
	for i, w := range r.workloads {
		if withAcks[i]*3 < killPoints*2 {
			t.Errorf("%s: requests acknowledged in only %d of %d runs (want two in three): the load did not get through",
				w.name, withAcks[i], killPoints)
		}
	}
	// Likewise a kill point tests the audited reads only when some were
	// answered before it: half the runs at least (reads start after the
	// first write; a loaded machine answered them in 38 of 50 runs on
	// PostgreSQL, where a server failing every read answers none).
	if withReads*2 < killPoints {
		t.Errorf("reads answered in only %d of %d runs (want half): %d sent, %d answered",
			withReads, killPoints, rd.n.Load(), rd.acks.Load())
	}
	check(t, dsn, r, rd)
}

// check opens the database after the last run and checks the invariants:
// each workload's, then the audit chain and the database file.
func check(t *testing.T, dsn string, r *results, rd *reads) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := db.Read()
	for _, w := range r.workloads {
		var ops []*op
		for _, o := range r.done {
			if o.w == w {
				ops = append(ops, o)
			}
		}
		t.Run(w.name, func(t *testing.T) { w.check(t, ctx, q, ops) })
	}
	t.Run("audited-reads", func(t *testing.T) { rd.check(t, ctx, q) })
	rep, err := audit.Verify(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Problem != nil {
		t.Errorf("audit chain broken after crashes: row %d: %s", rep.Problem.Seq, rep.Problem.Reason)
	}
	if db.Dialect == sqldb.SQLite {
		var ok string
		if err := q.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			t.Errorf("integrity_check: %q, %v", ok, err)
		}
	}
	t.Logf("audit chain intact over %d rows", rep.Rows)
}
