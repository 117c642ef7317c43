package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordOfNothingRefused: a change that clears every value of an
// item the entry still has is refused (missing_values), in a batch and
// pushed alone, although the record keeps, stored, the value of an item
// a revision removed (no reader is served it): it was applied, and the
// record read back active with no values. An add of the identifying item
// alone, which only repeats subject_id, and a change clearing all but it
// are refused alike; in an entry whose only item identifies the subject,
// a record is that identifier, and its add is applied.
func TestRecordOfNothingRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		items := []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
			{Name: "姓名", Type: "C", Length: 20}, {Name: "家庭人口数", Type: "I"}, {Name: "纳入保障日期", Type: "D"}}
		dibao := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101003/000014", Name: "低保对象信息", SubjectKind: "person", Items: items})
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		at := func(m int) string { return monday.Add(time.Duration(m) * time.Minute).Format(time.RFC3339) }
		op := func(kind, subject string, m int, vals string) string {
			return `{"op":"` + kind + `","subject_id":"` + subject + `","produced_at":"` + at(m) + `","values":` + vals + "}\n"
		}
		if res := f.push(f.pusher, dibao, op("add", p1, 0, `{"公民身份号码":"`+p1+`","姓名":"黄静芳","家庭人口数":"3","纳入保障日期":"2026-01-05"}`),
			records.Options{}); res.Applied != 1 {
			t.Fatalf("add: %+v", res)
		}
		// A revision removes 家庭人口数: its value stays stored.
		recordstest.Republish(t, db, dibao, []records.Item{items[0], items[1], items[3]})
		refused := func(what, lines string) {
			t.Helper()
			res, err := records.Ingest(f.ctx, db, f.pusher, dibao, records.JSONLines(strings.NewReader(lines)), f.receivedAt, records.Options{})
			if err != nil || res.RejectedCount != 1 || res.Rejected[0].Code != "missing_values" || res.Rejected[0].Field != "values" {
				t.Errorf("%s: %+v, %v; want missing_values", what, res, err)
			}
		}
		refused("change clearing every item the entry has", op("change", p1, 1, `{"姓名":"","纳入保障日期":""}`))
		refused("change clearing all but the identifying item",
			op("change", p1, 1, `{"公民身份号码":"`+p1+`","姓名":"","纳入保障日期":""}`))
		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		_, err := p.Push(f.pusher, dibao, records.Op{Op: "change", SubjectID: p1, ProducedAt: monday.Add(time.Minute),
			Values: map[string]string{"姓名": "", "纳入保障日期": ""}})
		if e := errs.As(err); e == nil || e.Code != "missing_values" || e.Kind != errs.Invalid {
			t.Errorf("change clearing every item pushed alone: %v, want missing_values", err)
		}
		e := mustEntry(t, db, dibao)
		r, err := records.Get(f.ctx, db.Read(), e, p1)
		if err != nil || r.Version != 1 || r.Values["姓名"] != "黄静芳" || r.Values["纳入保障日期"] != "2026-01-05" {
			t.Errorf("record: %+v, %v; want version 1 with its values", r, err)
		}

		refused("add of the identifying item alone", op("add", p2, 0, `{"公民身份号码":"`+p2+`"}`))
		_, err = p.Push(f.pusher, dibao, records.Op{Op: "add", SubjectID: p2, ProducedAt: monday, Values: map[string]string{"公民身份号码": p2}})
		if e := errs.As(err); e == nil || e.Code != "missing_values" {
			t.Errorf("add of the identifying item alone pushed alone: %v, want missing_values", err)
		}
		if _, err := records.Get(f.ctx, db.Read(), e, p2); errs.As(err) == nil || errs.As(err).Code != "record_not_found" {
			t.Errorf("record of the refused add: %v, want record_not_found", err)
		}

		// An entry of the identifier alone: its record is the identifier.
		list := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101003/000015", Name: "重点人员名单", SubjectKind: "person",
			Items: items[:1]})
		if res := f.push(f.pusher, list, op("add", p2, 0, `{"公民身份号码":"`+p2+`"}`), records.Options{}); res.Applied != 1 {
			t.Errorf("add to an entry of the identifier alone: %+v, want applied", res)
		}
	})
}
