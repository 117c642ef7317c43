package records_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestWarningsNameTheirOperation: a warning names its operation by the
// key its source gave (none when it gave none) and by its subject masked
// as the request log masks it, in a batch's answer, in an operation's
// pushed alone, and as the batch stores them; the subject's identifier
// itself is stored nowhere in them.
func TestWarningsNameTheirOperation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		entry := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000009", Name: "户籍人口基本信息", SubjectKind: "person",
			Items: []records.Item{personItems[0], {Name: "性别", Type: "C", Length: 4}, {Name: "出生年月日", Type: "D"}}})
		// CitizenID(0) and (1) are women's, born 1960-01-01 and -02.
		p0, p1, p2 := recordstest.CitizenID(0), recordstest.CitizenID(1), recordstest.CitizenID(2)
		masked := func(id string) string { return id[:6] + "**********" + id[16:] }
		check := func(what string, ws []records.LineError, want []records.LineError) {
			t.Helper()
			if len(ws) != len(want) {
				t.Fatalf("%s: warnings %+v, want %d", what, ws, len(want))
			}
			for i, w := range ws {
				if w.Line != want[i].Line || w.Field != want[i].Field || w.Key != want[i].Key || w.SubjectMasked != want[i].SubjectMasked {
					t.Errorf("%s: warning %d = %+v, want line %d, %s, key %q, subject %s", what, i, w, want[i].Line, want[i].Field,
						want[i].Key, want[i].SubjectMasked)
				}
			}
		}
		res := f.push(f.pusher, entry, line("add", p0, monday, map[string]string{"性别": "男", "出生年月日": "1960-01-05"}, "hj-0001")+
			line("add", p2, monday, map[string]string{"性别": "女"}, "")+
			line("add", p1, monday, map[string]string{"性别": "男"}, ""), records.Options{})
		want := []records.LineError{{Line: 1, Field: "性别", Key: "hj-0001", SubjectMasked: masked(p0)},
			{Line: 1, Field: "出生年月日", Key: "hj-0001", SubjectMasked: masked(p0)}, {Line: 3, Field: "性别", SubjectMasked: masked(p1)}}
		check("batch", res.Warnings, want)
		b, _, err := records.Batch(f.ctx, db.Read(), res.BatchID)
		if err != nil {
			t.Fatal(err)
		}
		check("stored batch", b.Warnings, want)

		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		one, err := pushes.Push(f.pusher, entry, records.Op{Op: "change", SubjectID: p2, ProducedAt: monday.Add(time.Minute),
			Values: map[string]string{"性别": "1"}, Key: "hj-0002"})
		if err != nil {
			t.Fatal(err)
		}
		check("operation pushed alone", one.Warnings, []records.LineError{{Line: 1, Field: "性别", Key: "hj-0002", SubjectMasked: masked(p2)}})

		stored := storedWarnings(t, db, b.Warnings, one.Warnings)
		for _, id := range []string{p0, p1, p2} {
			if strings.Contains(stored, id) || !strings.Contains(stored, masked(id)) {
				t.Errorf("stored warnings %s: want %s masked", stored, id)
			}
		}
	})
}

// TestCheckDigitWarningMasked: the warning of a credit code accepted with
// a wrong check character names the code masked, as subject_id_masked
// does, in its reason too, in a batch's answer, in an operation's pushed
// alone and as the batch stores it: those who read a batch's warnings
// read no subject's identifier whole, and the check character it names
// (the code's last) stays.
func TestCheckDigitWarningMasked(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		firms := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "102001/000001", Name: "企业登记信息", SubjectKind: "legal_entity",
			Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "企业名称", Type: "C", Length: 50}}})
		const early1, early2 = "91350100M0001TGQXM", "91350211M0000XUF46"
		check := func(what string, ws []records.LineError, codes ...string) {
			t.Helper()
			if len(ws) != len(codes) {
				t.Fatalf("%s: warnings %+v, want %d", what, ws, len(codes))
			}
			for i, w := range ws {
				masked := codes[i][:6] + "**********" + codes[i][16:]
				if w.Code != "uscc_check_digit" || strings.Contains(w.Reason, codes[i]) || !strings.Contains(w.Reason, "统一社会信用代码 "+masked+" 的校验码不符") {
					t.Errorf("%s: warning %d reason %q, want %s masked", what, i, w.Reason, codes[i])
				}
			}
		}
		res := f.push(f.pusher, firms, line("add", early1, monday, map[string]string{"企业名称": "甲公司"}, "")+
			line("add", early2, monday, map[string]string{"统一社会信用代码": early2, "企业名称": "丙公司"}, ""), records.Options{})
		check("batch", res.Warnings, early1, early2)
		b, _, err := records.Batch(f.ctx, db.Read(), res.BatchID)
		if err != nil {
			t.Fatal(err)
		}
		check("stored batch", b.Warnings, early1, early2)
		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		one, err := pushes.Push(f.pusher, firms, records.Op{Op: "change", SubjectID: early1, ProducedAt: monday.Add(time.Minute),
			Values: map[string]string{"企业名称": "甲有限公司"}})
		if err != nil {
			t.Fatal(err)
		}
		check("operation pushed alone", one.Warnings, early1)
		stored := storedWarnings(t, db, b.Warnings, one.Warnings)
		for _, code := range []string{early1, early2} {
			if strings.Contains(stored, code) {
				t.Errorf("stored warnings %s: want %s masked", stored, code)
			}
		}
	})
}

// storedWarnings is the text of every stored batch's warnings but for
// the subject each keeps whole (subject_id, never served: the audit row
// of a read of the warnings names it, records.BatchRead), after checking
// that it is the operation's and that the warnings served (served, as
// JSON) hold no subject_id.
func storedWarnings(t *testing.T, db *sqldb.DB, served ...[]records.LineError) string {
	t.Helper()
	rows := sqldbtest.QueryRows(t, db.Read(), `SELECT warnings FROM record_batches WHERE warnings <> '' ORDER BY id`)
	var out []string
	for _, row := range rows {
		var ws []map[string]any
		if err := json.Unmarshal([]byte(row[0]), &ws); err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			id, _ := w["subject_id"].(string)
			if masked, _ := w["subject_id_masked"].(string); id == "" || len(id) < 16 || masked != id[:6]+"**********"+id[16:] {
				t.Errorf("stored warning %v: want the operation's subject kept whole beside its mask", w)
			}
			delete(w, "subject_id")
		}
		b, _ := json.Marshal(ws)
		out = append(out, string(b))
	}
	for _, ws := range served {
		b, _ := json.Marshal(ws)
		if strings.Contains(string(b), `"subject_id":`) {
			t.Errorf("served warnings %s name the subject whole", b)
		}
	}
	return strings.Join(out, " ")
}
