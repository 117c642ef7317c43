// Package e2e holds Hutong's end-to-end tests: the whole HTTP server
// (internal/server) on a real database, driven over loopback by a real
// headless Chromium through github.com/chromedp/chromedp.
//
// The package has no code of its own outside tests. Its test helpers
// (browser_test.go) start the server on a seeded database and a browser
// with a throwaway profile. The flows run on SQLite; one whose pages take
// engine-specific paths (the catalog search) runs on PostgreSQL as well,
// as the subtests sqlite and postgres, since each adds a browser run to CI.
// Browser tests need the Debian package
// chromium (/usr/bin/chromium; HUTONG_CHROMIUM names another executable).
// Without it they are skipped, unless HUTONG_REQUIRE_BROWSER=1 (as in CI),
// which makes them fail.
package e2e
