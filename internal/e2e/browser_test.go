package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

// browserTimeout bounds one browser test, startup included.
const browserTimeout = 90 * time.Second

// chromiumPath returns the browser to drive, or skips t (fails it when
// HUTONG_REQUIRE_BROWSER=1) when there is none.
func chromiumPath(t testing.TB) string {
	t.Helper()
	path := os.Getenv("HUTONG_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		msg := "no Chromium at " + path + " (apt-get install chromium, or set HUTONG_CHROMIUM)"
		if os.Getenv("HUTONG_REQUIRE_BROWSER") == "1" {
			t.Fatalf("%s, and HUTONG_REQUIRE_BROWSER=1 requires browser tests to run", msg)
		}
		t.Skip(msg + "; set HUTONG_REQUIRE_BROWSER=1 to fail instead")
	}
	return path
}

// browser is one headless Chromium tab. Messages the pages write to the
// console at level error (uncaught exceptions, console.error, CSP
// violations, failed requests) are collected; Check fails the test on any.
type browser struct {
	ctx context.Context
	t   testing.TB

	mu       sync.Mutex
	problems []string
}

// newBrowser starts Chromium with a throwaway profile and opens a tab. The
// browser is stopped when the test ends.
func newBrowser(t testing.TB) *browser {
	t.Helper()
	path := chromiumPath(t)
	profile := t.TempDir() // removed after the browser has exited: cleanups run last-in, first-out
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	b := &browser{ctx: tabCtx, t: t}
	done := make(chan struct{})
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit
		cancelTimeout()
		<-done
	})
	// Start the browser now, so that a broken installation fails here.
	if err := chromedp.Do(tabCtx); err != nil {
		close(done)
		t.Fatalf("start Chromium (%s): %v", path, err)
	}
	messages := chromedp.Console(tabCtx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				b.mu.Lock()
				b.problems = append(b.problems, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// Do runs actions in the tab, failing the test on error.
func (b *browser) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// run runs one action that returns a value, failing the test on error.
func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// Check fails the test if the pages reported errors since the last Check,
// except those that contain one of the expected strings, such as "status of
// 401" after a failed login: the browser logs every 4xx response.
func (b *browser) Check(expected ...string) {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		if !slices.ContainsFunc(expected, func(e string) bool { return strings.Contains(p, e) }) {
			b.t.Errorf("page reported: %s", p)
		}
	}
	b.problems = nil
}

// Location returns the tab's current URL.
func (b *browser) Location() string {
	b.t.Helper()
	return run(b, "read location", chromedp.Location())
}

// Text returns the visible text of the first element matching the CSS
// selector sel, waiting until it is visible.
func (b *browser) Text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(run(b, "read "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
}

// Texts returns the text of every element matching the CSS selector sel.
func (b *browser) Texts(sel string) []string {
	b.t.Helper()
	js := fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.textContent.trim())`, sel)
	return run(b, "read "+sel, chromedp.Evaluate[[]string](js))
}

// Screenshot saves a PNG of the whole page to path, for looking at a page
// while working on it.
func (b *browser) Screenshot(path string) {
	b.t.Helper()
	png := run(b, "screenshot", chromedp.FullScreenshot(100))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// testWriter passes output to the test log, line by line.
type testWriter struct {
	t      testing.TB
	prefix string
}

func (w testWriter) Write(b []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if line != "" {
			w.t.Log(w.prefix + line)
		}
	}
	return len(b), nil
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t, ""}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// site is the whole server on a seeded database.
type site struct {
	URL   string
	DB    *sqldb.DB
	Users map[string]org.User
}

// Password is every seeded account's password.
const Password = "Hutong-E2E-2026"

// newSite starts internal/server on httptest over db, a fresh database
// (sqldbtest.SQLite, or either engine through sqldbtest.Each for a flow
// that takes engine-specific paths, such as the catalog search), seeded
// with a district, three departments and one account per role:
// operator (王主管), police.admin (李管理), reviewer (赵审核), auditor (孙审计).
func newSite(t testing.TB, db *sqldb.DB) *site {
	t.Helper()
	users := seed(t, db, time.Now())
	srv, err := server.New(server.Config{DB: db, Log: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &site{URL: ts.URL, DB: db, Users: users}
}

// uscc builds a valid unified social credit code of a government body in
// Nanhai district (440605) from an 8-character organisation code body.
func uscc(t testing.TB, body string) string {
	t.Helper()
	code, err := ident.MakeUSCC("11440605", body)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func seed(t testing.TB, db *sqldb.DB, now time.Time) map[string]org.User {
	t.Helper()
	ctx := context.Background()
	by := audit.Actor{Kind: audit.ActorSystem, ID: "e2e", Name: "e2e"}
	users := map[string]org.User{}
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		for _, r := range []org.Region{
			{Code: "440000", Name: "广东省", Level: org.Province},
			{Code: "440600", Name: "佛山市", Level: org.City, ParentCode: "440000"},
			{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440600"},
		} {
			if err := org.CreateRegion(ctx, tx, by, &r, now); err != nil {
				return err
			}
		}
		depts := map[string]int64{}
		for _, d := range []org.Department{
			{Name: "佛山市南海区政务服务数据管理局", ShortName: "数管局", USCC: uscc(t, "MB2C1234"), RegionCode: "440605", IsOperator: true},
			{Name: "佛山市公安局南海分局", ShortName: "公安分局", USCC: uscc(t, "00734567"), RegionCode: "440605"},
			{Name: "佛山市南海区市场监督管理局", ShortName: "市场监管局", USCC: uscc(t, "MB2D7777"), RegionCode: "440605"},
		} {
			if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
				return err
			}
			depts[d.ShortName] = d.ID
		}
		for _, nu := range []org.NewUser{
			{Username: "operator", DisplayName: "王主管", DepartmentID: depts["数管局"], Role: org.Operator},
			{Username: "police.admin", DisplayName: "李管理", DepartmentID: depts["公安分局"], Role: org.DeptAdmin},
			{Username: "reviewer", DisplayName: "赵审核", DepartmentID: depts["公安分局"], Role: org.Reviewer},
			{Username: "auditor", DisplayName: "孙审计", DepartmentID: depts["数管局"], Role: org.Auditor},
		} {
			nu.Password = Password
			u, err := orgtest.CreateUser(ctx, tx, by, nu, now)
			if err != nil {
				return err
			}
			users[u.Username] = u
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return users
}
