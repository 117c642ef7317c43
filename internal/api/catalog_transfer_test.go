package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// transferFixture is the records fixture with a second published entry
// of the public security department (公安), whose first holds a record.
type transferFixture struct {
	*recordsFixture
	entryA2 int64
	op      []string // the operator's session
}

func newTransferFixture(t *testing.T, db *sqldb.DB) *transferFixture {
	t.Helper()
	rf := newRecordsFixture(t, db)
	tf := &transferFixture{recordsFixture: rf, op: rf.session(t, "nh.op")}
	tf.entryA2 = publishEntry(t, db, rf.gaID, rf.deptID, personResource("机动车驾驶人信息", "01", "公安", "004", "交通管理", "18",
		"daily", "公民身份号码*:C18;姓名:C50;准驾车型:C10"), t0.Add(-time.Hour))
	add := opLine("add", recordstest.CitizenID(501), beijing(rf.clock.Now().Add(-time.Hour)), map[string]string{"姓名": "李四"})
	if r := rf.do(t, "POST", tf.ops(rf.entryA), rf.gaKey, add); r.status != 201 {
		t.Fatalf("push before the transfer: got %d %v", r.status, r.body)
	}
	return tf
}

func (tf *transferFixture) ops(id int64) string {
	return "/api/v1/records/entries/" + strconv.FormatInt(id, 10) + "/ops"
}

func (tf *transferFixture) transfer(t *testing.T, from, to int64, ids string, hdr ...string) response {
	t.Helper()
	body := fmt.Sprintf(`{"from_department_id":%d,"to_department_id":%d`, from, to)
	if ids != "" {
		body += `,"entry_ids":[` + ids + `]`
	}
	return tf.do(t, "POST", "/api/v1/catalog/transfers", "", body+"}", hdr...)
}

// entryDepartments is each entry's department and code, and the
// department of its records' counters (0 when it has none).
func (tf *transferFixture) entryDepartments(t *testing.T) string {
	t.Helper()
	rows := sqldbtest.QueryRows(t, tf.db.Read(), `SELECT e.id, e.code, e.department_id, COALESCE(s.department_id, 0)
		FROM catalog_entries e LEFT JOIN record_entry_stats s ON s.entry_id = e.id ORDER BY e.id`)
	return fmt.Sprint(rows)
}

// TestCatalogTransfer: the operator moves every entry of the public
// security department to civil affairs (POST /api/v1/catalog/transfers,
// which did not exist): codes, versions and records are kept, civil
// affairs' app pushes to the entry and public security's is refused, the
// public catalog names civil affairs as provider, the entry's side of an
// open discrepancy is civil affairs', and each entry's audit rows hold
// the transfer.
func TestCatalogTransfer(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		tf := newTransferFixture(t, db)
		ctx := context.Background()
		var code string
		if err := db.Read().QueryRowContext(ctx, `SELECT code FROM catalog_entries WHERE id = $1`, tf.entryA).Scan(&code); err != nil {
			t.Fatal(err)
		}
		// 民政 holds another name for the subject: a discrepancy opens, 公安's side on the entry moved.
		other := opLine("add", recordstest.CitizenID(501), beijing(tf.clock.Now().Add(-time.Hour)), map[string]string{"姓名": "李肆"})
		if r := tf.do(t, "POST", tf.ops(tf.entryB), tf.mzKey, other); r.status != 201 {
			t.Fatalf("push to 民政: got %d %v", r.status, r.body)
		}
		side := `SELECT count(*) FROM record_discrepancies WHERE status = 'open'
			AND ((entry_a = $1 AND department_a = $2) OR (entry_b = $1 AND department_b = $2))`
		if n := tf.countWhere(t, side, tf.entryA, tf.gaID); n != 1 {
			t.Fatalf("%d open discrepancies on 公安's side, want 1", n)
		}
		versions := tf.countWhere(t, `SELECT count(*) FROM record_versions WHERE entry_id = $1`, tf.entryA)
		catalogVersions := tf.countWhere(t, `SELECT count(*) FROM catalog_entry_versions WHERE entry_id = $1`, tf.entryA)

		r := tf.transfer(t, tf.gaID, tf.mzID, "", tf.op...)
		if r.status != 200 {
			t.Fatalf("transfer: got %d %v, want 200", r.status, r.body)
		}
		moved, _ := r.body["entries"].([]any)
		if len(moved) != 2 || r.body["to_department_name"] != "南海区民政局" || r.body["from_department_name"] != "佛山市公安局南海分局" {
			t.Fatalf("transfer report: %v, want the two entries of 公安 moved to 民政", r.body)
		}
		if got := moved[0].(map[string]any)["code"]; got != code {
			t.Errorf("reported code %v, want %s", got, code)
		}
		for _, id := range []int64{tf.entryA, tf.entryA2} {
			if n := tf.countWhere(t, `SELECT count(*) FROM catalog_entries WHERE id = $1 AND department_id = $2`, id, tf.mzID); n != 1 {
				t.Errorf("entry %d not of 民政 after the transfer", id)
			}
			if n := tf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'catalog.transfer' AND object_type = 'catalog_entry'
				AND object_id = $1 AND detail LIKE $2`, strconv.FormatInt(id, 10), fmt.Sprintf(`%%"to_department_id":"%d"%%`, tf.mzID)); n != 1 {
				t.Errorf("entry %d: %d audit rows of its transfer, want 1", id, n)
			}
		}
		if n := tf.countWhere(t, `SELECT count(*) FROM catalog_entries WHERE id = $1 AND code = $2`, tf.entryA, code); n != 1 {
			t.Errorf("the entry's code changed from %s", code)
		}
		if got := tf.countWhere(t, `SELECT count(*) FROM record_versions WHERE entry_id = $1`, tf.entryA); got != versions {
			t.Errorf("record versions: %d, want %d", got, versions)
		}
		if got := tf.countWhere(t, `SELECT count(*) FROM catalog_entry_versions WHERE entry_id = $1`, tf.entryA); got != catalogVersions {
			t.Errorf("catalog versions: %d, want %d", got, catalogVersions)
		}
		if n := tf.countWhere(t, `SELECT count(*) FROM record_entry_stats WHERE entry_id = $1 AND department_id = $2`, tf.entryA, tf.mzID); n != 1 {
			t.Errorf("the records' counters of the entry are not 民政's")
		}

		if n := tf.countWhere(t, side, tf.entryA, tf.mzID); n != 1 {
			t.Errorf("the open discrepancy's side of the entry moved is not 民政's")
		}

		change := opLine("change", recordstest.CitizenID(501), beijing(tf.clock.Now()), map[string]string{"姓名": "李五"})
		if r := tf.do(t, "POST", tf.ops(tf.entryA), tf.gaKey, change); r.status != 403 || r.body["code"] != "not_provider" {
			t.Errorf("the former provider pushes: got %d %v, want 403 not_provider", r.status, r.body)
		}
		if r := tf.do(t, "POST", tf.ops(tf.entryA), tf.mzKey, change); r.status != 201 {
			t.Errorf("the new provider pushes: got %d %v, want 201", r.status, r.body)
		}
		if r := tf.do(t, "GET", "/api/v1/public/catalog/"+url.PathEscape(code), "", ""); r.status != 200 || r.body["provider"] != "南海区民政局" {
			t.Errorf("public entry after the transfer: got %d provider %v, want 南海区民政局", r.status, r.body["provider"])
		}
		if r := tf.do(t, "GET", "/api/v1/catalog/entries/"+strconv.FormatInt(tf.entryA, 10)+"/versions", "", "", tf.op...); r.status != 200 {
			t.Errorf("versions after the transfer: got %d %v", r.status, r.body)
		}
		// Moved once, the entries are no longer 公安's.
		if r := tf.transfer(t, tf.gaID, tf.mzID, "", tf.op...); r.status != 409 || r.body["code"] != "no_entries" {
			t.Errorf("transfer again: got %d %v, want 409 no_entries", r.status, r.body)
		}
	})
}

// TestCatalogTransferRefused: only the operator transfers; an unknown
// department is 404 department_not_found, the same department 400; an
// entry of another department, one under review, one whose retirement is
// requested and a name the receiving department uses are 409; nothing
// moves.
func TestCatalogTransferRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		tf := newTransferFixture(t, db)
		admin := tf.session(t, "mz.admin")
		before := tf.entryDepartments(t)
		entryB := strconv.FormatInt(tf.entryB, 10)
		for _, c := range []struct {
			name     string
			from, to int64
			ids      string
			hdr      []string
			status   int
			code     string
		}{
			{"a department's administrator", tf.gaID, tf.mzID, "", admin, 403, "forbidden"},
			{"no one", tf.gaID, tf.mzID, "", nil, 401, ""},
			{"to an unknown department", tf.gaID, 999999, "", tf.op, 404, "department_not_found"},
			{"from an unknown department", 999999, tf.mzID, "", tf.op, 404, "department_not_found"},
			{"to the same department", tf.gaID, tf.gaID, "", tf.op, 400, "same_department"},
			{"an entry of another department", tf.gaID, tf.mzID, strconv.FormatInt(tf.entryA, 10) + "," + entryB, tf.op, 409, "entry_not_of_department"},
			{"an unknown entry", tf.gaID, tf.mzID, "999999", tf.op, 404, "entry_not_found"},
		} {
			r := tf.transfer(t, c.from, c.to, c.ids, c.hdr...)
			if r.status != c.status || (c.code != "" && r.body["code"] != c.code) {
				t.Errorf("%s: got %d %v, want %d %s", c.name, r.status, r.body, c.status, c.code)
			}
		}
		if r := tf.do(t, "POST", "/api/v1/catalog/transfers", tf.readKey,
			fmt.Sprintf(`{"from_department_id":%d,"to_department_id":%d}`, tf.gaID, tf.mzID)); r.status != 403 {
			t.Errorf("an app: got %d %v, want 403", r.status, r.body)
		}
		// A revision under review blocks the transfer of its entry.
		ctx := context.Background()
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: tf.mzID}, Editor: true}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			e, err := catalog.Get(ctx, tx, by, tf.entryB)
			if err != nil {
				return err
			}
			e.Abstract += "（修订）"
			if _, err := catalog.Update(ctx, tx, by, tf.entryB, e.Resource, t0); err != nil {
				return err
			}
			_, err = catalog.Submit(ctx, tx, by, tf.entryB, t0)
			return err
		})
		if err != nil {
			t.Fatalf("submit a revision: %v", err)
		}
		if r := tf.transfer(t, tf.mzID, tf.gaID, entryB, tf.op...); r.status != 409 || r.body["code"] != "entry_under_review" {
			t.Errorf("an entry under review: got %d %v, want 409 entry_under_review", r.status, r.body)
		}
		// So does a retirement request under review.
		ga := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: tf.gaID}, Editor: true}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.Retire(ctx, tx, ga, tf.entryA2, "业务已划转", t0)
			return err
		})
		if err != nil {
			t.Fatalf("request a retirement: %v", err)
		}
		if r := tf.transfer(t, tf.gaID, tf.mzID, strconv.FormatInt(tf.entryA2, 10), tf.op...); r.status != 409 || r.body["code"] != "retire_requested" {
			t.Errorf("an entry whose retirement is requested: got %d %v, want 409 retire_requested", r.status, r.body)
		}
		if after := tf.entryDepartments(t); after != before {
			t.Errorf("refused transfers moved entries: %s, want %s", after, before)
		}
		// And a name the receiving department has published.
		publishEntry(t, db, tf.mzID, tf.deptID, personResource("居住登记信息", "03", "民政", "009", "流动人口服务", "03",
			"daily", "公民身份号码*:C18;姓名:C50"), t0.Add(-time.Minute))
		before = tf.entryDepartments(t)
		if r := tf.transfer(t, tf.gaID, tf.mzID, strconv.FormatInt(tf.entryA, 10), tf.op...); r.status != 409 || r.body["code"] != "duplicate_entry_name" {
			t.Errorf("a name the receiving department uses: got %d %v, want 409 duplicate_entry_name", r.status, r.body)
		}
		if after := tf.entryDepartments(t); after != before {
			t.Errorf("refused transfers moved entries: %s, want %s", after, before)
		}
		if n := tf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'catalog.transfer' AND outcome <> 'denied'`); n != 0 {
			t.Errorf("refused transfers left %d audit rows but the denied ones", n)
		}
		// The department's administrator and the app, refused (403), each
		// left a denied row.
		if n := tf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'catalog.transfer' AND outcome = 'denied'
			AND object_type = 'department'`); n != 2 {
			t.Errorf("%d denied rows of catalog.transfer, want 2", n)
		}
		// The administrator's names the department it asked to transfer
		// from (the body's); it named none before.
		if n := tf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'catalog.transfer' AND outcome = 'denied'
			AND object_type = 'department' AND object_id = '`+strconv.FormatInt(tf.gaID, 10)+`'`); n != 1 {
			t.Errorf("%d denied rows of catalog.transfer name department %d, want 1", n, tf.gaID)
		}
	})
}

// TestCatalogTransferAtomic: a failure while the second entry is moved
// (a trigger refusing its update) moves neither: the first entry, its
// counters and its audit row roll back with it.
func TestCatalogTransferAtomic(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		tf := newTransferFixture(t, db)
		ctx := context.Background()
		second := max(tf.entryA, tf.entryA2)
		fail := fmt.Sprintf(`CREATE TRIGGER transfer_fail BEFORE UPDATE OF department_id ON catalog_entries
			WHEN (NEW.id = %d) BEGIN SELECT RAISE(ABORT, 'injected failure'); END`, second)
		undo := `DROP TRIGGER transfer_fail`
		if db.Dialect == sqldb.Postgres {
			fail = fmt.Sprintf(`CREATE FUNCTION transfer_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
				CREATE TRIGGER transfer_fail BEFORE UPDATE OF department_id ON catalog_entries FOR EACH ROW
				WHEN (NEW.id = %d) EXECUTE FUNCTION transfer_fail()`, second)
			undo = `DROP TRIGGER transfer_fail ON catalog_entries; DROP FUNCTION transfer_fail()`
		}
		if _, err := db.Write().ExecContext(ctx, fail); err != nil {
			t.Fatal(err)
		}
		before := tf.entryDepartments(t)
		if r := tf.transfer(t, tf.gaID, tf.mzID, "", tf.op...); r.status != 500 {
			t.Fatalf("transfer with a failure: got %d %v, want 500", r.status, r.body)
		}
		if after := tf.entryDepartments(t); after != before {
			t.Errorf("a failed transfer moved entries: %s, want %s", after, before)
		}
		if n := tf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'catalog.transfer'`); n != 0 {
			t.Errorf("a failed transfer left %d audit rows", n)
		}
		if _, err := db.Write().ExecContext(ctx, undo); err != nil {
			t.Fatal(err)
		}
		if r := tf.transfer(t, tf.gaID, tf.mzID, "", tf.op...); r.status != 200 {
			t.Errorf("transfer once the failure is gone: got %d %v", r.status, r.body)
		}
	})
}

// TestCatalogTransferRefreshesConflicts: a version under review whose
// data item another department's entry provides names that entry as a
// candidate one source (一数一源); once that entry is transferred to the
// reviewed entry's own department it is no rival: the conflict, which
// named 公安, is detected again in the transfer and no longer names it.
func TestCatalogTransferRefreshesConflicts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		tf := newTransferFixture(t, db)
		ctx := context.Background()
		mz := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: tf.mzID}, Editor: true}
		var reviewed int64
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			e, err := catalog.Create(ctx, tx, mz, tf.mzID, personResource("流动人口居住信息", "03", "民政", "010", "社会服务", "03",
				"daily", "公民身份号码*:C18;居住地址:C200"), t0)
			if err != nil {
				return err
			}
			reviewed = e.ID
			_, err = catalog.Submit(ctx, tx, mz, e.ID, t0)
			return err
		})
		if err != nil {
			t.Fatalf("submit: %v", err)
		}
		naming := `SELECT count(*) FROM catalog_source_conflicts WHERE entry_id = $1 AND candidates LIKE $2`
		ga := fmt.Sprintf(`%%"department_id":%d,%%`, tf.gaID)
		if n := tf.countWhere(t, naming, reviewed, ga); n != 1 {
			t.Fatalf("%d conflicts of the version under review name 公安's entry, want 1 (居住地址)", n)
		}
		if r := tf.transfer(t, tf.gaID, tf.mzID, strconv.FormatInt(tf.entryA, 10), tf.op...); r.status != 200 {
			t.Fatalf("transfer: got %d %v", r.status, r.body)
		}
		if n := tf.countWhere(t, naming, reviewed, ga); n != 0 {
			t.Errorf("%d conflicts of the version under review still name 公安 after its entry moved to 民政", n)
		}
	})
}
