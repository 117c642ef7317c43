package api_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestProblemTitles: a problem's title is the Chinese summary of its
// status that docs/api-errors.md lists: 404 is 未找到, for no such object
// and no such route alike (资源不存在 said an object was gone), and 401 is
// 未登录或认证失败, as a caller would say it (未认证 is no one's word).
func TestProblemTitles(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "api-errors.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		status    int
		path, key string
		title     string
	}{
		{http.StatusNotFound, "/api/v1/departments/999999", f.opKey, "未找到"},
		{http.StatusNotFound, "/api/v1/no-such-route", f.opKey, "未找到"},
		{http.StatusUnauthorized, "/api/v1/departments", "", "未登录或认证失败"},
	} {
		r := f.do(t, "GET", c.path, c.key, "")
		if r.status != c.status || r.body["title"] != c.title {
			t.Errorf("GET %s: %d %v, want %d titled %s", c.path, r.status, r.body["title"], c.status, c.title)
		}
		if row := "| " + strconv.Itoa(c.status) + " | " + c.title + " |"; !strings.Contains(string(doc), row) {
			t.Errorf("docs/api-errors.md lacks the row %s", row)
		}
	}
}
