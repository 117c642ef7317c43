package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEntryFormItemLength: the form reads an item's length as the import
// reads a file's 长度 (catalogio.ParseLength): full-width digits, as a
// Chinese input method types them (１８), a zero fraction (18.0) and a
// unit (18位) are 18. A length that is no number is one error, that it is
// not a whole number: it is not also reported missing (字符型信息项“…”必须
// 填写长度), as it was when the form validated it as 0. A negative length
// (-1, －１) is told out of range, as before 2026-12-06, not that it is no
// whole number; +18 is 18, as then.
func TestEntryFormItemLength(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		ptok := police.login("police.admin")
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test",
			DepartmentID: f.depts["公安分局"].ID}, Editor: true}

		for _, length := range []string{"abc", "１８.５", "18,0"} {
			r := police.post("/catalog/new", entryForm(ptok, "户籍人口变动信息", "公民身份号码", "C", "18", "yes",
				"姓名", "C", length, "no"))
			wantStatus(t, "length "+length, r, http.StatusUnprocessableEntity)
			wantBody(t, "length "+length, r, "信息项“姓名”的长度应为整数")
			if strings.Contains(r.Body, "必须填写长度") {
				t.Errorf("length %q: also reported missing (必须填写长度)", length)
			}
		}
		for _, length := range []string{"-1", "－１"} {
			r := police.post("/catalog/new", entryForm(ptok, "户籍人口变动信息", "公民身份号码", "C", "18", "yes",
				"姓名", "C", length, "no"))
			wantStatus(t, "length "+length, r, http.StatusUnprocessableEntity)
			wantBody(t, "length "+length, r, "信息项“姓名”的长度应在 0 到 100000 之间")
			if strings.Contains(r.Body, "长度应为整数") {
				t.Errorf("length %q: said to be no whole number (长度应为整数)", length)
			}
		}

		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "１８", "yes",
			"姓名", "C", "18.0", "no", "曾用名", "C", " 18位 ", "no", "民族", "C", "+18", "no"))
		id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/catalog/"), 10, 64)
		e, err := catalog.Working(context.Background(), db.Read(), by, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range e.Items {
			if it.Length != 18 {
				t.Errorf("item %s: length %d, want 18", it.Name, it.Length)
			}
		}
	})
}
