package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsRetiredEntryAndPercent: a department that retired one of its
// two weekly entries, which had received data, showed on /records the
// retired entry's records, operations and late ones in its row (150
// records, 57 operations, 7 late) while its own page listed its one
// published entry (100 records, 50 operations, none late): the rows did
// not add up. Both now show the published entry alone. Its validity, 995
// lines valid of 1,000, was shown as 100%; it is 99.5%.
func TestRecordsRetiredEntryAndPercent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx, now := context.Background(), f.clock.Now()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		idItem := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		var dept, kept int64
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			d := org.Department{Name: "注销测试部门", ShortName: "注销测试", USCC: uscc(t, "71234567"), RegionCode: "440605"}
			if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
				return err
			}
			dept = d.ID
			for i, s := range []struct {
				live, ops, late int64
				last            time.Time
			}{{100, 50, 0, now.Add(-time.Hour)}, {50, 7, 7, now.AddDate(0, 0, -30)}} {
				r := personResource(fmt.Sprintf("注销测试资源%d", i), "注销测试用的数据资源", "003", "测试",
					idItem, catalog.Item{Name: "姓名", Type: "C", Length: 50})
				r.UpdateFrequency = "weekly"
				id, err := catalog.PublishGenerated(ctx, tx, d.ID, r, now.AddDate(-1, 0, 0))
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO record_entry_stats (entry_id, department_id, ops, late_ops,
					checked_lines, rejected_lines, live_records, filled_values, item_count, fill_version, last_received_at)
					VALUES ($1, $2, $3, $4, 1000, 5, $5, $5, 1, 1, $6)`, id, d.ID, s.ops, s.late, s.live, s.last.UTC()); err != nil {
					return err
				}
				if i == 0 {
					kept = id
					continue
				}
				op := catalog.Actor{Actor: by, Operator: true}
				if _, err := catalog.Retire(ctx, tx, op, id, "停止采集", now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		op := f.loggedIn(t, "operator")
		r := op.get("/records?dept_q=" + "注销测试")
		wantStatus(t, "GET /records", r, http.StatusOK)
		var row string
		for _, m := range deptRowRE.FindAllStringSubmatch(r.Body, -1) {
			if m[1] == fmt.Sprint(dept) {
				row = m[2]
			}
		}
		// 已推送/目录, records, operations, late, stale, open, awaiting.
		if got := strings.Join(matches(numCellRE, row), " "); got != "1 100 50 0 0 0 0" {
			t.Errorf("department row: figures %q, want %q\n%s", got, "1 100 50 0 0 0 0", row)
		}
		if !strings.Contains(row, `<td class="num">1 / 1</td>`) || !strings.Contains(row, `<span class="score-value">99.5%</span>`) ||
			strings.Count(row, `<span class="score-value">100%</span>`) != 5 {
			t.Errorf("department row: want 1 / 1 entries and validity 99.5%%, the other scores 100%%:\n%s", row)
		}
		r = op.get(fmt.Sprintf("/records/departments/%d", dept))
		wantStatus(t, "GET /records/departments/{id}", r, http.StatusOK)
		entries := entryRowRE.FindAllStringSubmatch(r.Body, -1)
		if len(entries) != 1 || entries[0][1] != fmt.Sprint(kept) {
			t.Fatalf("department page: %d entry rows, want the published entry %d alone", len(entries), kept)
		}
		if got := strings.Join(matches(numCellRE, entries[0][2]), " "); got != "100 0 0 0" {
			t.Errorf("department page's entry: figures %q, want %q", got, "100 0 0 0")
		}
		if !strings.Contains(entries[0][2], `<span class="score-value">99.5%</span>`) {
			t.Errorf("department page's entry: validity not 99.5%%:\n%s", entries[0][2])
		}
	})
}
