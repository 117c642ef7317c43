package e2e

import (
	"context"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// demoSite starts the server over the demo's database with its records,
// the data the console's widest tables (/records) were measured with,
// and returns its URL.
func demoSite(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.SQLite(t)
	now := time.Now()
	if _, err := demo.Seed(ctx, db, now); err != nil {
		t.Fatalf("seed the demo: %v", err)
	}
	if _, err := demo.SeedRecords(ctx, db, now, io.Discard); err != nil {
		t.Fatalf("seed the demo's records: %v", err)
	}
	srv, err := server.New(server.Config{DB: db, Log: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL
}

// loginDemo logs in at url as the demo's operator (admin).
func (b *browser) loginDemo(url string) {
	b.t.Helper()
	b.Do("log in as admin",
		chromedp.Navigate(url+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "admin"),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("user-name")))
}

// emulateMedia sets the CSS media type the tab's pages are laid out for:
// "print", or "" for the screen.
func emulateMedia(media string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

// wideTables lists each .table-wrap of the page wider than its box, as
// "index: scrollWidth/clientWidth".
const wideTables = `Array.from(document.querySelectorAll(".table-wrap")).flatMap((w, i) =>
  w.scrollWidth > w.clientWidth ? [i + ": " + w.scrollWidth + "/" + w.clientWidth] : [])`

// TestTablesFit: the lists keep all their columns on an A4 page printed
// portrait (print media, 718 CSS pixels: 210 mm less Chromium's default
// margins), where nothing scrolls, without the navigation but with the
// note that the times are Beijing time; and /records' two tables fit the common office screen of 1366×768 without scrolling
// sideways.
func TestTablesFit(t *testing.T) {
	url := demoSite(t) // seeded before the browser starts, whose time (browserTimeout) it would take
	b := newBrowser(t)
	b.loginDemo(url)

	b.Do("print on A4 portrait",
		chromedp.EmulateViewport(718, 1000),
		emulateMedia("print"))
	for _, path := range []string{"/records", "/audit", "/records/batches"} {
		b.Do("open "+path, chromedp.Navigate(url+path), chromedp.WaitReady(chromedp.ID("main")))
		if n := run(b, "count the tables of "+path, chromedp.Evaluate[int](`document.querySelectorAll(".table-wrap").length`)); n == 0 {
			t.Errorf("%s: no table to measure", path)
		}
		if wide := run(b, "measure "+path, chromedp.Evaluate[[]string](wideTables)); len(wide) > 0 {
			t.Errorf("%s printed at 718px: tables cut off (scrollWidth/clientWidth): %v", path, wide)
		}
		if shown := run(b, "read the navigation", chromedp.Evaluate[string](
			`getComputedStyle(document.querySelector(".sidenav")).display`)); shown != "none" {
			t.Errorf("%s printed: the side navigation is displayed (%s)", path, shown)
		}
		if boxes := run(b, "read the time zone note", chromedp.Evaluate[int](
			`document.getElementById("time-zone").getClientRects().length`)); boxes == 0 {
			t.Errorf("%s printed: the note 所有时间均为北京时间 (#time-zone) is not displayed", path)
		}
	}

	b.Do("back to the screen at 1366×768",
		emulateMedia(""),
		chromedp.EmulateViewport(1366, 768))
	b.Do("open /records", chromedp.Navigate(url+"/records"), chromedp.WaitReady(chromedp.ID("main")))
	if n := run(b, "count the tables", chromedp.Evaluate[int](`document.querySelectorAll(".table-wrap").length`)); n != 2 {
		t.Errorf("/records: %d tables, want 2 (departments, entries)", n)
	}
	if wide := run(b, "measure /records", chromedp.Evaluate[[]string](wideTables)); len(wide) > 0 {
		t.Errorf("/records at 1366×768: tables scroll sideways (scrollWidth/clientWidth): %v", wide)
	}
	b.Do("reset the window", chromedp.EmulateReset())
	b.Check()
}
