package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogImportBusy: an import the server refuses for a temporary
// condition (the catalog's writes held by another transaction past the
// write's bound: 503 database_unavailable, before any progress) is said
// on the page as the server being busy, with when to retry (the answer's
// retry_after), where until 2026-12-06 the page said only 未导入，请查看下方说明
// and the answer had no Retry-After; the database's message is shown
// below it, and nothing was stored. The database's wait bound is
// shortened to two seconds, where the refusal waited the server's 15.
func TestCatalogImportBusy(t *testing.T) {
	b := newBrowser(t)
	db, err := sqldb.Open(t.Context(), sqldbtest.SQLite(t).Source, sqldb.Options{WaitTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := newSite(t, db)
	file := filepath.Join(t.TempDir(), "目录.csv")
	csv := "资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项名称,数据类型,长度\n" +
		"繁忙时导入的资源,批量导入的数据资源,部门信息资源,01,综合,001,登记,电子表格,无条件共享,信息查询接口,全区,不予开放,每年,1,政务外网,公共安全,不涉及,编号,C,20\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}

	b.login(s, "police.admin")
	b.Do("open the import page",
		chromedp.Navigate(s.URL+"/catalog/import"),
		chromedp.WaitVisible(chromedp.ID("import-form")))
	release := sqldbtest.HoldWrite(t, db, "catalog_entries")
	b.Do("import while the catalog's writes are held",
		chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}),
		chromedp.Click(chromedp.ID("import-submit")),
		chromedp.WaitVisible(chromedp.ID("import-error")))
	release()
	if got := b.Text("#import-status"); got != "服务器繁忙，未导入：请在 5 秒后重试（原因见下方说明）" {
		t.Errorf("label %q, want the busy message with when to retry", got)
	}
	if got := b.Text("#import-error"); !strings.Contains(got, "数据库繁忙") {
		t.Errorf("refusal %q, want the database's message", got)
	}
	var n int
	if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM catalog_entries`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d entries stored (%v), want none", n, err)
	}
	b.Check("503")
}
