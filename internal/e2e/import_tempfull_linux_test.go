package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogImportTempSpaceFull: an import whose file the server cannot
// spool, its temporary directory (TMPDIR) full, is said on the page as
// that (服务器临时空间不足), with when to retry, the result line's code
// temp_space_full choosing the label; until 2026-12-06 it said 服务器繁忙,
// as for a busy database, while the refusal below it said the temporary
// space was full. The server's TMPDIR is a 64 KiB tmpfs mounted for the
// test (the browser, started before, keeps its own), which needs root: the
// test is skipped without it.
func TestCatalogImportTempSpaceFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs for TMPDIR needs root")
	}
	b := newBrowser(t)
	db := sqldbtest.SQLite(t)
	s := newSite(t, db)
	file := filepath.Join(t.TempDir(), "目录.csv")
	// Over the 32 MiB an import's form keeps in memory: the rest is spooled.
	if err := os.WriteFile(file, bytes.Repeat([]byte("x"), 33<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	b.login(s, "police.admin")
	b.Do("open the import page",
		chromedp.Navigate(s.URL+"/catalog/import"),
		chromedp.WaitVisible(chromedp.ID("import-form")))

	tmp := t.TempDir()
	if err := syscall.Mount("tmpfs", tmp, "tmpfs", 0, "size=64k"); err != nil {
		t.Fatalf("mount a small tmpfs for TMPDIR: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(tmp, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", tmp, err)
		}
	})
	t.Setenv("TMPDIR", tmp)
	b.Do("import with the server's TMPDIR full",
		chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}),
		chromedp.Click(chromedp.ID("import-submit")),
		chromedp.WaitVisible(chromedp.ID("import-error")))
	if got := b.Text("#import-status"); got != "服务器临时空间不足，未导入：请在 5 秒后重试（原因见下方说明）" {
		t.Errorf("label %q, want the temporary space's message with when to retry", got)
	}
	if got := b.Text("#import-error"); !strings.Contains(got, "服务器临时空间已满") {
		t.Errorf("refusal %q, want the temporary space's message", got)
	}
	b.Check("503")
}
