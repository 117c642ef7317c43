package catalogio_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// withCells returns the flat CSV of csvHeader and rows (each a line of
// it) with the cells of the columns named in set replaced and the columns
// named in drop left out.
func withCells(rows []string, set map[string]string, drop ...string) string {
	header := strings.Split(strings.TrimSuffix(csvHeader, "\n"), ",")
	keep := func(cells []string, row bool) string {
		var out []string
		for i, c := range cells {
			h := header[i]
			if contains(drop, h) {
				continue
			}
			if v, ok := set[h]; ok && row {
				c = v
			}
			out = append(out, c)
		}
		return strings.Join(out, ",") + "\n"
	}
	b := keep(header, false)
	for _, r := range rows {
		b += keep(strings.Split(strings.TrimSuffix(r, "\n"), ","), true)
	}
	return b
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestColumnErrorsOnce: a column the file does not have (网络环境) or leaves
// empty in every row (共享类型), without a default, is told once, naming
// the column and the default that mends it, instead of once per row; the
// rows still fail, error_counts still counts every row's, and an error of
// one row only (安全级别 9) stays listed with its row. A one-row file keeps
// its row's error.
func TestColumnErrorsOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		rows := []string{good("甲目录"), good("乙目录"), strings.Replace(good("丙目录"), ",1,政务外网,", ",9,政务外网,", 1)}
		file := withCells(rows, map[string]string{"共享类型": ""}, "网络环境")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) {
			t.Fatalf("got err %v, want import_rejected", err)
		}
		if len(rep.ColumnErrors) != 2 {
			t.Fatalf("got column errors %+v, want 共享类型 and 网络环境", rep.ColumnErrors)
		}
		share, zone := rep.ColumnErrors[0], rep.ColumnErrors[1]
		if share.Field != "share_type" || share.Column != "共享类型" || share.Absent || share.Rows != 3 || share.Errors != 3 ||
			share.Code != "invalid_share_type" || !strings.Contains(share.Message, "“共享类型”列每行都为空") ||
			!strings.Contains(share.Message, "-default 共享类型=") || !strings.Contains(share.Message, "3 行") {
			t.Errorf("got %+v, want 共享类型 empty in the 3 rows, with its default", share)
		}
		if zone.Field != "network_zone" || !zone.Absent || zone.Rows != 3 || !strings.Contains(zone.Message, "文件没有“网络环境”列") ||
			!strings.Contains(zone.Message, "列映射") || !strings.Contains(zone.Message, "-default 网络环境=") {
			t.Errorf("got %+v, want 网络环境 absent from the 3 rows, with its mapping and default", zone)
		}
		if len(rep.Errors) != 1 || rep.Errors[0].Row != 4 || rep.Errors[0].Field != "security_level" {
			t.Errorf("got errors %+v, want only row 4's 安全级别", rep.Errors)
		}
		if rep.RowsWithErrors != 3 || rep.ErrorCounts["invalid_share_type"] != 3 || rep.ErrorCounts["invalid_network_zone"] != 3 {
			t.Errorf("got %d rows with errors, counts %v; want 3 rows, 3 of each column's error", rep.RowsWithErrors, rep.ErrorCounts)
		}
		if rep.OK() || rep.Problems() != 7 || !strings.Contains(errs.As(err).Message, "共 7 处问题") {
			t.Errorf("got OK %v, %d problems, %v; want 7 problems", rep.OK(), rep.Problems(), err)
		}
		for _, e := range rep.Entries {
			if e.Action != "failed" {
				t.Errorf("row %d: %s, want failed", e.Row, e.Action)
			}
		}
		var csv bytes.Buffer
		if err := rep.WriteCSV(&csv); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(csv.String(), "文件没有“网络环境”列") || !strings.Contains(csv.String(), "“共享类型”列每行都为空") {
			t.Errorf("the report's CSV lacks the column errors:\n%s", csv.String())
		}

		// With defaults for both, the rows are good but row 4.
		m := &catalogio.Mapping{Defaults: map[string]string{"共享类型": "无条件共享", "网络环境": "政务外网"}}
		rep, _ = importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true, Mapping: m})
		if len(rep.ColumnErrors) != 0 || rep.RowsWithErrors != 1 || len(rep.Errors) != 1 {
			t.Errorf("with defaults: got column errors %+v, %d rows with errors %+v; want row 4's alone",
				rep.ColumnErrors, rep.RowsWithErrors, rep.Errors)
		}

		// One row: its own errors.
		rep, _ = importFile(w, w.gaj, []byte(withCells(rows[:1], map[string]string{"共享类型": ""})), catalogio.CSV, catalogio.Options{DryRun: true})
		if len(rep.ColumnErrors) != 0 || len(rep.Errors) != 1 || rep.Errors[0].Row != 2 || rep.Errors[0].Field != "share_type" {
			t.Errorf("one row: got column errors %+v, errors %+v; want row 2's 共享类型", rep.ColumnErrors, rep.Errors)
		}
	})
}

// TestColumnErrorsOnlyRefused: an import whose only problems are column
// errors (共享类型 empty in both rows) is refused (import_rejected) and
// stores nothing, where it returned its report, not imported, and no
// error, as if it had nothing to refuse; with good rows only too, since
// such a column fails every row: it is refused saying why, and offers no
// good rows only.
func TestColumnErrorsOnlyRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := withCells([]string{good("甲目录"), good("乙目录")}, map[string]string{"共享类型": ""})
		for _, opt := range []catalogio.Options{{}, {GoodOnly: true}, {DryRun: true}, {DryRun: true, GoodOnly: true}} {
			rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, opt)
			if !catalogio.Rejected(err) {
				t.Fatalf("%+v: got err %v, want import_rejected", opt, err)
			}
			if rep.Imported || len(rep.ColumnErrors) != 1 || len(rep.Errors) != 0 || rep.RowsWithErrors != 2 {
				t.Errorf("%+v: got imported %v, column errors %+v, errors %+v; want 共享类型's alone, not imported",
					opt, rep.Imported, rep.ColumnErrors, rep.Errors)
			}
			msg := errs.As(err).Message
			if !strings.Contains(msg, "2 个数据资源有错误、共 2 处问题") || strings.Contains(msg, "或选择只导入无误的行") {
				t.Errorf("%+v: got %q, want 2 rows refused, no good rows only offered", opt, msg)
			}
			if opt.GoodOnly && !strings.Contains(msg, "整列的问题") {
				t.Errorf("%+v: got %q, want why good rows only were not imported", opt, msg)
			}
		}
		if got := resourcesOf(t, w, w.gaj); len(got) != 0 {
			t.Errorf("stored %d entries, want none", len(got))
		}
	})
}
