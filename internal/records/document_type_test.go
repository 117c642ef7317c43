package records_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDocumentNumberByType: a 证件号码 beside a 证件类型 that names a kind
// of document (居民身份证, 护照, a travel permit) is checked as a number of
// that kind, as subject_id where it keys the entry and as a value where
// it does not (法定代表人证件号码), with that kind's code and a message
// naming the item and the type: a passport's number or a citizen ID with a
// wrong check digit under 居民身份证 was taken. A permit's number keying
// the entry is stored as the permit-keyed entry stores it, its lifetime
// number, so the two entries' records are one subject (cross-checked);
// it was kept whole. An unknown type (其他) leaves the generic check. A
// change giving the type alone is checked against the key (subject_id)
// or the number its record holds. A refused line does not roll back its batch's neighbours, an
// unchanged change among them.
func TestDocumentNumberByType(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		document := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000121", Name: "境外人员参保信息", SubjectKind: "person",
			Items: []records.Item{{Name: "证件类型", Type: "C", Length: 20}, {Name: "证件号码", Type: "C", Length: 32, IdentifiesSubject: true},
				{Name: "姓名", Type: "C", Length: 10}}})
		permit := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000121", Name: "港澳居民登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "港澳居民来往内地通行证号码", Type: "C", Length: 11, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10}}})
		company := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000122", Name: "参保单位信息", SubjectKind: "legal_entity",
			Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "法定代表人证件类型", Type: "C", Length: 20}, {Name: "法定代表人证件号码", Type: "C", Length: 32}}})

		good := recordstest.CitizenID(1)
		badCheck := good[:17] + map[bool]string{true: "1", false: "0"}[good[17] == '0']
		first := line("add", "E12345678", monday, map[string]string{"证件类型": "护照", "姓名": "甲"}, "")
		if res := f.push(f.rsjPusher, document, first, records.Options{}); res.Applied != 1 {
			t.Fatalf("first add: %+v", res)
		}
		goodLines := line("add", good, monday, map[string]string{"证件类型": "居民身份证", "证件号码": good, "姓名": "丁"}, "") + // 3: good
			line("add", "E12345671", monday, map[string]string{"证件类型": "其他", "姓名": "戊"}, "") + // 4: unknown type
			line("add", "H1234567801", monday, map[string]string{"证件类型": "港澳居民来往内地通行证", "证件号码": "h1234567801", "姓名": "己某"}, "") // 5
		// A batch is applied whole or not at all (Ingest): its refused
		// lines are each listed.
		res := f.push(f.rsjPusher, document,
			line("add", "E12345670", monday, map[string]string{"证件类型": "居民身份证", "姓名": "乙"}, "")+ // 1: a passport's form
				line("add", badCheck, monday, map[string]string{"证件类型": " 身份证 ", "证件号码": badCheck, "姓名": "丙"}, "")+ // 2: check digit
				goodLines+
				line("add", "E12345672", monday, map[string]string{"证件类型": "台湾居民来往大陆通行证", "姓名": "庚"}, "")+ // 6
				line("change", "E12345678", monday, map[string]string{"证件类型": "护照", "姓名": "甲"}, "")+ // 7: unchanged
				line("change", "E12345678", monday.Add(time.Hour), map[string]string{"证件类型": "居民身份证"}, ""), // 8: type alone
			records.Options{})
		var got []string
		for _, r := range res.Rejected {
			got = append(got, r.Code+":"+r.Field)
		}
		want := []string{"invalid_citizen_id:subject_id", "invalid_citizen_id:subject_id", "invalid_citizen_id:证件号码",
			"invalid_travel_permit:subject_id", "invalid_citizen_id:subject_id"}
		if !slices.Equal(got, want) || res.Applied != 0 {
			t.Fatalf("batch: applied %d, refused %q (%+v); want none applied, refused %q", res.Applied, got, res.Rejected, want)
		}
		for i, want := range map[int]string{
			0: "主体标识（subject_id）不是信息项“证件类型”所填证件类型“居民身份证”的号码：公民身份号码",
			2: "信息项“证件号码”的值不是信息项“证件类型”所填证件类型“身份证”的号码：公民身份号码",
			3: "主体标识（subject_id）不是信息项“证件类型”所填证件类型“台湾居民来往大陆通行证”的号码：台湾居民来往大陆通行证号码应为8位数字",
			4: "主体标识（subject_id）不是信息项“证件类型”所填证件类型“居民身份证”的号码：公民身份号码",
		} {
			if !strings.HasPrefix(res.Rejected[i].Reason, want) {
				t.Errorf("refusal %d: %q, want it to begin %q", i, res.Rejected[i].Reason, want)
			}
		}
		if lines := []int{res.Rejected[0].Line, res.Rejected[1].Line, res.Rejected[3].Line, res.Rejected[4].Line}; !slices.Equal(lines, []int{1, 2, 6, 8}) {
			t.Errorf("refused lines %v, want 1, 2, 6, 8", lines)
		}

		if res := f.push(f.rsjPusher, document, goodLines, records.Options{}); res.Applied != 3 {
			t.Fatalf("good lines: %+v, want 3 applied", res)
		}
		e, err := records.LoadEntry(f.ctx, db.Read(), document)
		if err != nil {
			t.Fatal(err)
		}
		for subject, name := range map[string]string{good: "丁", "E12345671": "戊", "H12345678": "己某", "E12345678": "甲"} {
			r, err := records.Get(f.ctx, db.Read(), e, subject)
			if err != nil || r.Values["姓名"] != name {
				t.Errorf("record of %s: %+v, %v; want 姓名 %s", subject, r, err, name)
			}
		}
		if r, err := records.Get(f.ctx, db.Read(), e, "H12345678"); err == nil && r.Values["证件号码"] != "H12345678" {
			t.Errorf("permit's 证件号码 stored %q, want its lifetime number H12345678", r.Values["证件号码"])
		}
		if r, err := records.Get(f.ctx, db.Read(), e, "E12345678"); err == nil && r.Values["证件类型"] != "护照" {
			t.Errorf("E12345678's 证件类型 %q after the refused change, want 护照", r.Values["证件类型"])
		}

		// The permit-keyed entry's record of the same holder is the same
		// subject: its other name is a discrepancy.
		if res := f.push(f.pusher, permit, line("add", "H1234567802", monday, map[string]string{"姓名": "己"}, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("permit: %+v", res)
		}
		forms, err := records.ParseSubject("H1234567801")
		if err != nil {
			t.Fatal(err)
		}
		ds, _, err := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{Subject: forms}, f.receivedAt)
		if err != nil || len(ds) != 1 || ds[0].SubjectID != "H12345678" || ds[0].ItemKey != "姓名" {
			t.Errorf("discrepancies of H1234567801: %+v, %v; want one of H12345678 on 姓名", ds, err)
		}

		// Pushed one at a time and committed in one round, a refused
		// operation fails neither its good neighbour nor an unchanged one.
		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		release, held := make(chan struct{}), make(chan struct{})
		var holder, firstDone, rest sync.WaitGroup
		holder.Go(func() {
			if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(f.ctx, `UPDATE record_entry_stats SET ops = ops WHERE entry_id = $1`, document); err != nil {
					return err
				}
				close(held)
				<-release
				return nil
			}); err != nil {
				t.Error(err)
			}
		})
		<-held
		docOp := func(kind, subject string, vals map[string]string) records.Op {
			return records.Op{Op: kind, SubjectID: subject, ProducedAt: monday.Add(30 * time.Minute), Values: vals}
		}
		firstDone.Go(func() {
			if res, err := p.Push(f.rsjPusher, document, docOp("add", "E12345673", map[string]string{"证件类型": "护照", "姓名": "辛"})); err != nil || res.Applied != 1 {
				t.Errorf("first push: %+v, %v", res, err)
			}
		})
		for leading, waiting := p.Queue(document, f.rsjPusher); !leading || waiting > 0; leading, waiting = p.Queue(document, f.rsjPusher) {
			time.Sleep(time.Millisecond)
		}
		round := []records.Op{
			docOp("add", "E12345674", map[string]string{"证件类型": "居民身份证", "姓名": "壬"}),
			docOp("change", "E12345678", map[string]string{"证件类型": "护照", "姓名": "甲"}),
			docOp("add", recordstest.CitizenID(2), map[string]string{"证件类型": "身份证", "姓名": "癸"}),
		}
		results, errors := make([]records.BatchResult, len(round)), make([]error, len(round))
		for i := range round {
			rest.Go(func() { results[i], errors[i] = p.Push(f.rsjPusher, document, round[i]) })
		}
		for _, waiting := p.Queue(document, f.rsjPusher); waiting < len(round); _, waiting = p.Queue(document, f.rsjPusher) {
			time.Sleep(time.Millisecond)
		}
		close(release)
		holder.Wait()
		firstDone.Wait()
		rest.Wait()
		if e := errs.As(errors[0]); e == nil || e.Code != "invalid_citizen_id" || e.Field != "subject_id" {
			t.Errorf("bad push in the round: %+v, %v; want invalid_citizen_id on subject_id", results[0], errors[0])
		}
		if errors[1] != nil || results[1].Unchanged != 1 || errors[2] != nil || results[2].Applied != 1 || results[1].BatchID != results[2].BatchID {
			t.Errorf("neighbours in the round: %+v, %v; %+v, %v; want unchanged and applied in one batch", results[1], errors[1], results[2], errors[2])
		}

		// A legal representative's number, which keys nothing, is checked
		// by its type too and kept as given.
		c1, c2, c3 := recordstest.USCC(1), recordstest.USCC(2), recordstest.USCC(3)
		res = f.push(f.rsjPusher, company,
			line("add", c1, monday, map[string]string{"法定代表人证件类型": "居民身份证", "法定代表人证件号码": "E12345678"}, ""), records.Options{})
		if len(res.Rejected) != 1 || res.Rejected[0].Code != "invalid_citizen_id" || res.Rejected[0].Field != "法定代表人证件号码" ||
			!strings.HasPrefix(res.Rejected[0].Reason, "信息项“法定代表人证件号码”的值不是信息项“法定代表人证件类型”所填证件类型“居民身份证”的号码：") {
			t.Fatalf("legal representative's passport under 居民身份证: %+v, want it refused invalid_citizen_id", res)
		}
		res = f.push(f.rsjPusher, company,
			line("add", c2, monday, map[string]string{"法定代表人证件类型": "港澳居民来往内地通行证", "法定代表人证件号码": "h1234567801"}, "")+
				line("add", c3, monday, map[string]string{"法定代表人证件类型": "军官证", "法定代表人证件号码": "南字第0123456号"}, ""),
			records.Options{})
		if res.Applied != 2 {
			t.Fatalf("legal representatives: %+v, want 2 applied", res)
		}
		ce, err := records.LoadEntry(f.ctx, db.Read(), company)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := records.Get(f.ctx, db.Read(), ce, c2); err != nil || r.Values["法定代表人证件号码"] != "h1234567801" {
			t.Errorf("record of %s: %+v, %v; want 法定代表人证件号码 kept as given", c2, r, err)
		}
		res = f.push(f.rsjPusher, company,
			line("change", c2, monday.Add(time.Hour), map[string]string{"法定代表人证件类型": "居民身份证"}, "")+
				line("change", c3, monday.Add(time.Hour), map[string]string{"法定代表人证件类型": "护照", "法定代表人证件号码": "E12345678"}, ""),
			records.Options{})
		if len(res.Rejected) != 1 || res.Rejected[0].Line != 1 || res.Rejected[0].Code != "invalid_citizen_id" ||
			res.Rejected[0].Field != "法定代表人证件类型" || !strings.HasPrefix(res.Rejected[0].Reason,
			"记录中信息项“法定代表人证件号码”的值（h1234567801）不是信息项“法定代表人证件类型”所填证件类型“居民身份证”的号码：") {
			t.Errorf("changes of the type alone: %+v, want line 1 refused invalid_citizen_id on 法定代表人证件类型, line 2 not", res)
		}
	})
}
