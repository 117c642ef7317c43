package records_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// nameSource makes entry the catalog's authoritative source of 姓名.
func (f *fixture) nameSource(entry int64) {
	f.t.Helper()
	if _, err := f.db.Write().ExecContext(f.ctx, `INSERT INTO catalog_authoritative_items (subject_kind, item_key, entry_id,
		item_name, decided_at) VALUES ('person', '姓名', $1, '姓名', $2)`, entry, monday); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) resolve(by records.Reviewer, id, authority int64) (records.Discrepancy, error) {
	var d records.Discrepancy
	err := f.db.Tx(f.ctx, func(tx *sqldb.Tx) error {
		var err error
		d, err = records.Resolve(f.ctx, tx, by, id, authority, "", f.receivedAt)
		return err
	})
	return d, err
}

// disputes reads the record of subject in entry and returns its disputed items.
func (f *fixture) disputes(entry int64, subject string) []records.DisputedItem {
	f.t.Helper()
	e, err := records.LoadEntry(f.ctx, f.db.Read(), entry)
	if err != nil {
		f.t.Fatal(err)
	}
	r, err := records.Get(f.ctx, f.db.Read(), e, subject)
	if err != nil {
		f.t.Fatal(err)
	}
	return r.Disputed
}

// live lists the discrepancies of subject not yet closed.
func (f *fixture) live(subject string) []records.Discrepancy {
	f.t.Helper()
	var out []records.Discrepancy
	for _, st := range []string{"open", "awaiting_correction"} {
		l, _, err := records.Discrepancies(f.ctx, f.db.Read(), records.DiscrepancyFilter{SubjectID: subject, Status: st}, f.receivedAt)
		if err != nil {
			f.t.Fatal(err)
		}
		out = append(out, l...)
	}
	return out
}

func (f *fixture) sweep() records.SweepResult {
	f.t.Helper()
	res, err := records.Sweep(f.ctx, f.db, nil, f.pusher.Actor, f.receivedAt)
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

// tamper sets the current value of 姓名 of subject in entry behind the
// arrival check's back.
func (f *fixture) tamper(entry int64, subject, name string) {
	f.t.Helper()
	if _, err := f.db.Write().ExecContext(f.ctx, `UPDATE record_versions SET vals = $3 WHERE entry_id = $1 AND seq =
		(SELECT max(seq) FROM record_versions WHERE entry_id = $1 AND subject_id = $2)`, entry, subject, `{"姓名":"`+name+`"}`); err != nil {
		f.t.Fatal(err)
	}
}

// twoDisputedNames makes 户籍 the source of 姓名 and gives two persons p1
// and p2 other names in 户籍 and 社保: one open discrepancy each, d1 and d2.
func (f *fixture) twoDisputedNames() (p1, p2 string, d1, d2 []records.Discrepancy) {
	f.t.Helper()
	f.nameSource(f.hj)
	p1, p2 = recordstest.CitizenID(1), recordstest.CitizenID(2)
	f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "黄静芳"}, "")+
		line("add", p2, monday, map[string]string{"姓名": "李四"}, ""), records.Options{})
	f.push(f.rsjPusher, f.sb, line("add", p1, monday, map[string]string{"姓名": "黄静某"}, "")+
		line("add", p2, monday, map[string]string{"姓名": "李肆"}, ""), records.Options{})
	d1, d2 = f.live(p1), f.live(p2)
	if len(d1) != 1 || len(d2) != 1 {
		f.t.Fatalf("open discrepancies: %+v %+v", d1, d2)
	}
	return p1, p2, d1, d2
}

// quality reads the quality of entry.
func (f *fixture) quality(entry int64) records.Quality {
	f.t.Helper()
	q, err := records.EntryQuality(f.ctx, f.db.Read(), nil, entry, 0, f.receivedAt)
	if err != nil {
		f.t.Fatal(err)
	}
	return q[0]
}

// TestResolutionAwaitsCorrection: a resolution decides which value is right;
// until the other source corrects its value, the discrepancy awaits the
// correction and reads of the wrong value stay marked with the decided one.
// The correction, pushed or found by a sweep, closes it, and a difference
// that comes back is found again.
func TestResolutionAwaitsCorrection(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2, d1, d2 := f.twoDisputedNames()
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}
		for _, d := range []records.Discrepancy{d1[0], d2[0]} {
			got, err := f.resolve(gaj, d.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != "awaiting_correction" || got.Authority != f.hj {
				t.Errorf("resolved %d = status %s authority %d, want awaiting_correction, %d", d.ID, got.Status, got.Authority, f.hj)
			}
		}
		if _, err := f.resolve(gaj, d1[0].ID, 0); errs.KindOf(err) != errs.Conflict {
			t.Errorf("resolving twice: %v, want conflict", err)
		}
		// The wrong value is still marked, with the decided value; the
		// right one is not.
		dis := f.disputes(f.sb, p1)
		if len(dis) != 1 || dis[0].Status != "awaiting_correction" || dis[0].OtherValue != "黄静芳" ||
			dis[0].AuthoritativeEntryID != f.hj || !dis[0].AuthorityKnown || dis[0].Authoritative {
			t.Errorf("社保 p1 after the resolution: disputed = %+v", dis)
		}
		if dis := f.disputes(f.hj, p1); len(dis) != 0 {
			t.Errorf("户籍 p1 after the resolution: disputed = %+v, want none", dis)
		}
		// A sweep finds nothing new while the correction is awaited.
		if res := f.sweep(); res.Found != 0 || res.Resolved != 0 {
			t.Errorf("sweep awaiting the correction = %+v, want nothing found or resolved", res)
		}
		// 社保 pushes the correction of p1: closed on arrival.
		f.receivedAt = f.receivedAt.Add(time.Hour)
		f.push(f.rsjPusher, f.sb, line("change", p1, monday.Add(time.Hour), map[string]string{"姓名": "黄静芳"}, ""), records.Options{})
		got, err := records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, f.receivedAt)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "resolved" || got.Authority != f.hj || !strings.Contains(got.Resolution, "一致") {
			t.Errorf("after the pushed correction: %+v", got)
		}
		if dis := f.disputes(f.sb, p1); len(dis) != 0 {
			t.Errorf("社保 p1 after the correction: disputed = %+v, want none", dis)
		}
		// p2 corrected behind the arrival check's back: the sweep closes it.
		f.tamper(f.sb, p2, "李四")
		if res := f.sweep(); res.Found != 0 || res.Resolved != 1 {
			t.Errorf("sweep after the correction of p2 = %+v, want 1 resolved", res)
		}
		if l := f.live(p2); len(l) != 0 {
			t.Errorf("p2 after the sweep: %+v, want closed", l)
		}
		// The wrong value of p1 comes back: the sweep finds it again.
		f.tamper(f.sb, p1, "黄静某")
		if res := f.sweep(); res.Found != 1 {
			t.Errorf("sweep after the difference came back = %+v, want 1 found", res)
		}
		if l := f.live(p1); len(l) != 1 || l[0].Status != "open" || l[0].ID == d1[0].ID {
			t.Errorf("p1 after the difference came back: %+v, want a new open discrepancy", l)
		}
	})
}

// TestAuthorityOfAPair: the catalog's source of an item decides a
// discrepancy only when it is one of the two entries; otherwise the read
// says no authority is known, and only the operator, who coordinates
// disputes, resolves it by naming one of the two.
func TestAuthorityOfAPair(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		f.nameSource(f.hj)
		mzj := recordstest.Department(t, db, "民政局", 3)
		mz := recordstest.Entry(t, db, mzj, recordstest.Spec{Code: "420001/000001", Name: "低保对象信息", SubjectKind: "person",
			Items: []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10}}})
		p := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", p, monday, map[string]string{"姓名": "黄静芳"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", p, monday, map[string]string{"姓名": "黄静芳"}, ""), records.Options{})
		f.push(recordstest.Pusher(mzj), mz, line("add", p, monday, map[string]string{"姓名": "黄静某"}, ""), records.Options{})
		var between records.Discrepancy // 社保 and 民政, neither the source
		for _, d := range f.live(p) {
			if d.EntryA == f.sb && d.EntryB == mz {
				between = d
			}
			// The list says which of the two the catalog names, as the reads do.
			want := int64(0)
			if d.EntryA == f.hj || d.EntryB == f.hj {
				want = f.hj
			}
			if d.NamedSource != want {
				t.Errorf("discrepancy between %d and %d: named source %d, want %d", d.EntryA, d.EntryB, d.NamedSource, want)
			}
			if one, err := records.GetDiscrepancy(f.ctx, db.Read(), d.ID, f.receivedAt); err != nil || one.NamedSource != want {
				t.Errorf("discrepancy %d read alone: named source %d, %v; want %d", d.ID, one.NamedSource, err, want)
			}
		}
		if between.ID == 0 {
			t.Fatalf("no discrepancy between 社保 and 民政: %+v", f.live(p))
		}
		for _, di := range f.disputes(mz, p) {
			want := di.OtherEntryID == f.hj
			if di.AuthorityKnown != want || (di.AuthoritativeEntryID == f.hj) != want {
				t.Errorf("民政's disputed item against entry %d: authority known %v (entry %d), want %v",
					di.OtherEntryID, di.AuthorityKnown, di.AuthoritativeEntryID, want)
			}
		}
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		for _, authority := range []int64{0, f.sb} {
			_, err := f.resolve(rsj, between.ID, authority)
			if e := errs.As(err); e == nil || e.Kind != errs.Forbidden || e.Code != "not_authoritative" {
				t.Errorf("人社 resolving with authority %d: %v, want forbidden not_authoritative", authority, err)
			}
		}
		op := records.Reviewer{Actor: f.pusher.Actor, Operator: true}
		if _, err := f.resolve(op, between.ID, 0); errs.KindOf(err) != errs.Invalid {
			t.Errorf("operator resolving without an authority: %v, want invalid", err)
		}
		got, err := f.resolve(op, between.ID, f.sb)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "awaiting_correction" || got.Authority != f.sb {
			t.Errorf("resolved by the operator: %+v", got)
		}
	})
}

// TestConsistencyCountsAwaitingCorrection: a discrepancy counts against the
// consistency of both entries while open, and once resolved against the
// entry whose value was decided wrong only, until it corrects the value:
// the wrong value is still served meanwhile.
func TestConsistencyCountsAwaitingCorrection(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, _, d, _ := f.twoDisputedNames()
		type want struct {
			open, awaiting int64
			consistency    float64
		}
		check := func(when string, wants map[int64]want) {
			t.Helper()
			for entry, w := range wants {
				if got := f.quality(entry); got.OpenDiscrepancies != w.open || got.AwaitingCorrection != w.awaiting || got.Consistency != w.consistency {
					t.Errorf("%s: entry %d has %d open, %d awaiting correction, consistency %v; want %d, %d, %v",
						when, entry, got.OpenDiscrepancies, got.AwaitingCorrection, got.Consistency, w.open, w.awaiting, w.consistency)
				}
			}
		}
		check("open", map[int64]want{f.hj: {2, 0, 0}, f.sb: {2, 0, 0}})
		if _, err := f.resolve(records.Reviewer{Actor: f.pusher.Actor, Operator: true}, d[0].ID, f.hj); err != nil {
			t.Fatal(err)
		}
		check("resolved for 户籍", map[int64]want{f.hj: {1, 0, 0.5}, f.sb: {1, 1, 0}})
		dq, err := records.DepartmentQuality(f.ctx, db.Read(), nil, 0, f.receivedAt)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range dq {
			if w := map[int64]int64{f.gaj: 0, f.rsj: 1}[q.DepartmentID]; q.AwaitingCorrection != w {
				t.Errorf("department %d has %d awaiting correction, want %d", q.DepartmentID, q.AwaitingCorrection, w)
			}
		}
		f.receivedAt = f.receivedAt.Add(time.Hour)
		f.push(f.rsjPusher, f.sb, line("change", p1, monday.Add(time.Hour), map[string]string{"姓名": "黄静芳"}, ""), records.Options{})
		check("corrected", map[int64]want{f.hj: {1, 0, 0.5}, f.sb: {1, 0, 0.5}})
	})
}

// TestSweepClosesCancelled: a resolution that 0016 turned into one
// awaiting the correction, of a record cancelled after the resolution (the
// cancellation's comparison then found nothing to close), is closed by the
// next sweep, whichever side was cancelled; the sweep counts as compared
// only the subjects both entries hold live.
func TestSweepClosesCancelled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2, p3 := recordstest.CitizenID(1), recordstest.CitizenID(2), recordstest.CitizenID(3)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "黄静芳"}, "")+
			line("add", p2, monday, map[string]string{"姓名": "李四"}, "")+
			line("add", p3, monday, map[string]string{"姓名": "王五"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", p1, monday, map[string]string{"姓名": "黄静某"}, "")+
			line("add", p2, monday, map[string]string{"姓名": "李肆"}, "")+
			line("add", p3, monday, map[string]string{"姓名": "王五"}, ""), records.Options{})
		op := records.Reviewer{Actor: f.pusher.Actor, Operator: true}
		var ids []int64
		for _, p := range []string{p1, p2} {
			d := f.live(p)
			if len(d) != 1 {
				t.Fatalf("discrepancies of %s: %+v", p, d)
			}
			if _, err := f.resolve(op, d[0].ID, f.hj); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, d[0].ID)
		}
		// Before 0016 the resolutions closed them, and then 社保 cancelled
		// p1 and 户籍 p2; 0016 made them await the correction.
		setStatus := func(status string) {
			t.Helper()
			if _, err := db.Write().ExecContext(f.ctx, `UPDATE record_discrepancies SET status = $1 WHERE id IN ($2, $3)`,
				status, ids[0], ids[1]); err != nil {
				t.Fatal(err)
			}
		}
		setStatus("resolved")
		f.receivedAt = f.receivedAt.Add(time.Hour)
		f.push(f.rsjPusher, f.sb, line("cancel", p1, monday.Add(time.Hour), nil, ""), records.Options{})
		f.push(f.pusher, f.hj, line("cancel", p2, monday.Add(time.Hour), nil, ""), records.Options{})
		setStatus("awaiting_correction")

		if res := f.sweep(); res.Compared != 1 || res.Found != 0 || res.Resolved != 2 {
			t.Errorf("sweep = %+v, want 1 compared (p3), 2 resolved", res)
		}
		for _, id := range ids {
			d, err := records.GetDiscrepancy(f.ctx, db.Read(), id, f.receivedAt)
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != "resolved" || !strings.Contains(d.Resolution, "注销") || d.ResolvedBy != f.pusher.Actor.Kind+":"+f.pusher.Actor.ID {
				t.Errorf("discrepancy %d after the sweep: %+v, want resolved as cancelled, by whoever decided it", id, d)
			}
		}
		if res := f.sweep(); res.Compared != 1 || res.Found != 0 || res.Resolved != 0 {
			t.Errorf("second sweep = %+v, want 1 compared, nothing found or resolved", res)
		}
	})
}

// holdTx runs write in a transaction of its own and keeps the transaction
// open until the returned function is called, which commits it.
func holdTx(t *testing.T, db *sqldb.DB, write func(tx *sqldb.Tx) error) (commit func()) {
	t.Helper()
	written, release, done := make(chan error, 1), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- db.Tx(t.Context(), func(tx *sqldb.Tx) error {
			err := write(tx)
			written <- err
			if err != nil {
				return err
			}
			<-release
			return nil
		})
	}()
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	return func() {
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// waitForLockWait returns once a statement waits for a row lock: on
// PostgreSQL, where a transaction's update waits for another's; SQLite
// has one writer, and the other transaction waits before it reads.
func waitForLockWait(t *testing.T, db *sqldb.DB) {
	t.Helper()
	if db.Dialect != sqldb.Postgres {
		return
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		var n int
		if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM pg_locks WHERE NOT granted`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
	t.Fatal("no statement waited for the lock")
}

// TestResolveRacesClosing: a resolution and a comparison that closes the
// same discrepancy at once, each waiting for the other's row lock, leave it
// as the later one finds it: a discrepancy closed meanwhile is not resolved
// again (409), and one resolved meanwhile is closed keeping its resolution.
func TestResolveRacesClosing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, p2, d1, d2 := f.twoDisputedNames()
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}

		// p1: the correction closes it while the resolution waits.
		f.receivedAt = f.receivedAt.Add(time.Hour)
		commit := holdTx(t, db, func(tx *sqldb.Tx) error {
			_, err := tx.ExecContext(f.ctx, `UPDATE record_discrepancies SET status = 'resolved', resolution = '两个数源的值已一致',
				resolved_by = 'system', resolved_at = $2 WHERE id = $1`, d1[0].ID, f.receivedAt)
			return err
		})
		resolved := make(chan error, 1)
		go func() {
			_, err := f.resolve(gaj, d1[0].ID, 0)
			resolved <- err
		}()
		waitForLockWait(t, db)
		commit()
		if err := <-resolved; errs.As(err) == nil || errs.As(err).Code != "discrepancy_resolved" {
			t.Errorf("resolving a discrepancy closed meanwhile: %v, want discrepancy_resolved", err)
		}
		if got, err := records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, f.receivedAt); err != nil || got.Status != "resolved" ||
			got.ResolvedBy != "system" {
			t.Errorf("p1 after the race: %+v %v, want resolved by system", got, err)
		}

		// p2: the correction arrives while the resolution is being written.
		commit = holdTx(t, db, func(tx *sqldb.Tx) error {
			_, err := records.Resolve(f.ctx, tx, gaj, d2[0].ID, 0, "以户籍为准", f.receivedAt)
			return err
		})
		pushed := make(chan struct{})
		go func() {
			defer close(pushed)
			f.push(f.rsjPusher, f.sb, line("change", p2, monday.Add(time.Hour), map[string]string{"姓名": "李四"}, ""), records.Options{})
		}()
		waitForLockWait(t, db)
		commit()
		<-pushed
		got, err := records.GetDiscrepancy(f.ctx, db.Read(), d2[0].ID, f.receivedAt)
		if err != nil || got.Status != "resolved" || got.ResolvedBy != "app:"+gaj.Actor.ID || got.Authority != f.hj ||
			!strings.HasPrefix(got.Resolution, "以户籍为准；") {
			t.Errorf("p2 after the race: %+v %v, want resolved keeping the resolution", got, err)
		}
	})
}

// TestFeedbackIsKept: a department's feedback on a discrepancy does not
// replace the one it gave before: each is in the discrepancy's history,
// in order, and in its audit row, as is a resolution's note.
func TestFeedbackIsKept(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, _ := f.twoDisputedNames()
		d := d1[0]
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}
		given := []struct {
			by   records.Reviewer
			text string
		}{{rsj, "已核实，本局录入有误，将更正"}, {gaj, "本局数据无误"}, {rsj, "经复核，本局数据无误"}}
		start := f.receivedAt
		var got records.Discrepancy
		for i, g := range given {
			err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
				var err error
				got, err = records.Feedback(f.ctx, tx, g.by, d.ID, g.text, new(false), start.Add(time.Duration(i)*time.Hour))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		var want []records.DiscrepancyFeedback
		for i, g := range given {
			want = append(want, records.DiscrepancyFeedback{DepartmentID: g.by.DepartmentID, Feedback: g.text,
				At: start.Add(time.Duration(i) * time.Hour)})
		}
		listed, _, err := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{SubjectID: d.SubjectID}, f.receivedAt)
		if err != nil {
			t.Fatal(err)
		}
		for what, x := range map[string]records.Discrepancy{"answered": got, "listed": listed[0]} {
			if !slices.Equal(x.FeedbackHistory, want) {
				t.Errorf("%s: feedback history = %+v, want %+v", what, x.FeedbackHistory, want)
			}
			// The sides' columns hold their latest.
			if x.FeedbackA != given[1].text || x.FeedbackB != given[2].text {
				t.Errorf("%s: feedback a %q, b %q", what, x.FeedbackA, x.FeedbackB)
			}
		}
		// 人社局's feedback contests 户籍's value: the operator decides.
		if _, err := f.resolve(records.Reviewer{Actor: f.pusher.Actor, Operator: true}, d.ID, 0); err != nil {
			t.Fatal(err)
		}
		rows, _, err := audit.List(f.ctx, db.Read(), audit.Filter{Action: "records.discrepancy."})
		if err != nil {
			t.Fatal(err)
		}
		var details []string
		for _, r := range slices.Backward(rows) {
			details = append(details, r.Action+" "+r.Detail)
		}
		wantDetails := []string{
			`records.discrepancy.feedback {"feedback":"已核实，本局录入有误，将更正"}`,
			`records.discrepancy.feedback {"feedback":"本局数据无误"}`,
			`records.discrepancy.feedback {"feedback":"经复核，本局数据无误"}`,
			fmt.Sprintf(`records.discrepancy.resolve {"authoritative_entry_id":%d,"note":"以权威数源为准"}`, f.hj),
		}
		if !slices.Equal(details, wantDetails) {
			t.Errorf("audit rows:\n%s\nwant\n%s", strings.Join(details, "\n"), strings.Join(wantDetails, "\n"))
		}
	})
}

// TestFeedbackOnResolved: a department gives feedback on an open
// discrepancy and on one awaiting its correction, but not on one the
// correction closed (resolved): refused discrepancy_resolved, and the
// history keeps what was given before.
func TestFeedbackOnResolved(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, _, d1, _ := f.twoDisputedNames()
		d := d1[0]
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		feedback := func(text string) (records.Discrepancy, error) {
			var got records.Discrepancy
			err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
				var err error
				got, err = records.Feedback(f.ctx, tx, rsj, d.ID, text, new(false), f.receivedAt)
				return err
			})
			return got, err
		}
		if _, err := feedback("正在核实"); err != nil {
			t.Fatalf("feedback on an open discrepancy: %v", err)
		}
		// Contested by 人社局's feedback: the operator resolves it.
		if _, err := f.resolve(records.Reviewer{Actor: f.pusher.Actor, Operator: true}, d.ID, 0); err != nil {
			t.Fatal(err)
		}
		if got, err := feedback("本局将更正"); err != nil || got.Status != "awaiting_correction" || got.FeedbackB != "本局将更正" {
			t.Fatalf("feedback awaiting the correction: %+v %v", got, err)
		}
		f.receivedAt = f.receivedAt.Add(time.Hour)
		f.push(f.rsjPusher, f.sb, line("change", p1, monday.Add(time.Hour), map[string]string{"姓名": "黄静芳"}, ""), records.Options{})
		_, err := feedback("已更正")
		if e := errs.As(err); e == nil || e.Kind != errs.Conflict || e.Code != "discrepancy_resolved" {
			t.Fatalf("feedback on a resolved discrepancy: %v, want conflict discrepancy_resolved", err)
		}
		got, err := records.GetDiscrepancy(f.ctx, db.Read(), d.ID, f.receivedAt)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "resolved" || got.FeedbackB != "本局将更正" || len(got.FeedbackHistory) != 2 {
			t.Errorf("after the refused feedback: %+v", got)
		}
	})
}

// TestConsistencyCountsRecords: consistency is the share of an entry's
// records that no discrepancy counts against, each record once however
// many items and other entries dispute it; open_discrepancies and
// awaiting_correction still count discrepancies.
func TestConsistencyCountsRecords(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		mz := recordstest.Department(t, db, "民政局", 3)
		hy := recordstest.Entry(t, db, mz, recordstest.Spec{Code: "303001/000001", Name: "婚姻登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10},
				{Name: "出生日期", Type: "D"}}})
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "张三", "出生日期": "19900101"}, "")+
			line("add", p2, monday, map[string]string{"姓名": "李四"}, ""), records.Options{})
		// p1's name differs in 社保 and in 婚姻登记, and its birth date too:
		// three discrepancies against 户籍, one record.
		f.push(f.rsjPusher, f.sb, line("add", p1, monday, map[string]string{"姓名": "张叁"}, ""), records.Options{})
		f.push(recordstest.Pusher(mz), hy, line("add", p1, monday, map[string]string{"姓名": "张叁", "出生日期": "19910101"}, ""),
			records.Options{})
		type want struct {
			open, awaiting, disputed int64
			consistency              float64
		}
		check := func(when string, wants map[int64]want) {
			t.Helper()
			for entry, w := range wants {
				got := f.quality(entry)
				if g := (want{got.OpenDiscrepancies, got.AwaitingCorrection, got.DisputedRecords, got.Consistency}); g != w {
					t.Errorf("%s: entry %d has %+v, want %+v", when, entry, g, w)
				}
			}
		}
		check("open", map[int64]want{f.hj: {3, 0, 1, 0.5}, f.sb: {1, 0, 1, 0}, hy: {2, 0, 1, 0}})
		dq, err := records.DepartmentQuality(f.ctx, db.Read(), nil, f.gaj, f.receivedAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(dq) != 1 || dq[0].DisputedRecords != 1 || dq[0].OpenDiscrepancies != 3 || dq[0].Consistency != 0.5 {
			t.Errorf("quality of 公安分局 = %+v", dq)
		}
		// Decided for 户籍: its record is clean, the others await correction.
		op := records.Reviewer{Actor: f.pusher.Actor, Operator: true}
		for _, d := range f.live(p1) {
			if _, err := f.resolve(op, d.ID, f.hj); err != nil {
				t.Fatal(err)
			}
		}
		check("resolved for 户籍", map[int64]want{f.hj: {0, 0, 0, 1}, f.sb: {0, 1, 1, 0}, hy: {0, 2, 1, 0}})
	})
}

// TestQualityPlan: on SQLite, the quality's counts of discrepancies look
// them up by entry in the indexes of those not closed, on both sides,
// rather than scan them for every entry.
func TestQualityPlan(t *testing.T) {
	db := sqldbtest.SQLite(t)
	query, args := records.QualitySQL(db.Read(), []int64{1, 2})
	plan := queryPlan(t, db, query, args...)
	lookups := 0
	for _, step := range plan {
		if strings.HasPrefix(step, "SCAN d") {
			t.Errorf("the quality scans the discrepancies: %s", step)
		}
		if step == "SEARCH d USING INDEX record_discrepancies_open (entry_a=?)" ||
			step == "SEARCH d USING INDEX record_discrepancies_open_b (entry_b=?)" {
			lookups++
		}
	}
	// Open and awaiting ones on each side, and the disputed records on each.
	if lookups != 6 {
		t.Errorf("the quality looks discrepancies up %d times by entry, want 6; plan:\n%s", lookups, strings.Join(plan, "\n"))
	}
}

// TestFeedbackHistoryAfterStepBack: a department that disputes and then,
// the clock stepped back an hour in between, accepts has its acceptance
// last in the discrepancy's history, as in feedback_b, where the history
// read by given_at listed the dispute last. On both engines.
func TestFeedbackHistoryAfterStepBack(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, _ := f.twoDisputedNames()
		d := d1[0]
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		given := []struct {
			text     string
			disputed bool
			at       time.Time
		}{{"本局数据无误，不认可", true, f.receivedAt.Add(2 * time.Hour)}, {"经核实，本局登记有误", false, f.receivedAt.Add(time.Hour)}}
		var got records.Discrepancy
		for _, g := range given {
			if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
				var err error
				got, err = records.Feedback(f.ctx, tx, rsj, d.ID, g.text, &g.disputed, g.at)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		listed, _, err := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{SubjectID: d.SubjectID}, f.receivedAt)
		if err != nil {
			t.Fatal(err)
		}
		for what, x := range map[string]records.Discrepancy{"answered": got, "listed": listed[0]} {
			var texts []string
			for _, fb := range x.FeedbackHistory {
				texts = append(texts, fb.Feedback)
			}
			if want := []string{given[0].text, given[1].text}; !slices.Equal(texts, want) || x.FeedbackB != given[1].text {
				t.Errorf("%s: feedback history %q, feedback b %q; want %q, the acceptance last and in force", what, texts, x.FeedbackB, want)
			}
		}
	})
}
