package catalog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func wantKind(t *testing.T, what string, err error, kind errs.Kind) {
	t.Helper()
	if !errs.Is(err, kind) {
		t.Errorf("%s: got %v, want %s", what, err, kind)
	}
}

func TestLifecycle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := create(t, w, w.gaj, household())
		if e.Status != catalog.Draft || e.Code != "101001/000001" || e.Version != 1 {
			t.Fatalf("created: status %s code %s version %d", e.Status, e.Code, e.Version)
		}
		// Drafts are private to the department and the operator.
		_, err := catalog.Get(ctx, db.Read(), w.rsj, e.ID)
		wantKind(t, "other department reads a draft", err, errs.NotFound)
		if _, err := catalog.Get(ctx, db.Read(), w.operator, e.ID); err != nil {
			t.Errorf("operator reads a draft: %v", err)
		}
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.rsj, e.ID, household(), t0)
		})
		wantKind(t, "other department edits a draft", err, errs.NotFound)
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, t0)
		})
		wantKind(t, "approve a draft", err, errs.Conflict)

		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
		})
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, household(), t0)
		})
		wantKind(t, "edit while submitted", err, errs.Conflict)
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.gaj, e.ID, t0)
		})
		wantKind(t, "department approves itself", err, errs.Forbidden)
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Reject(ctx, tx, w.operator, e.ID, " ", t0)
		})
		wantKind(t, "reject without reason", err, errs.Invalid)
		e = mustStep(t, w, "reject", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Reject(ctx, tx, w.operator, e.ID, "摘要过于简略", t0)
		})
		if e.Status != catalog.Rejected || e.RejectReason != "摘要过于简略" {
			t.Errorf("rejected: status %s reason %q", e.Status, e.RejectReason)
		}
		fixed := household()
		fixed.Abstract += "，含迁入迁出记录"
		mustStep(t, w, "edit rejected", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, fixed, t0)
		})
		mustStep(t, w, "resubmit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
		})
		e = mustStep(t, w, "approve", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, t0)
		})
		if e.Status != catalog.Published || e.PublishedVersion != 1 || e.RejectReason != "" {
			t.Errorf("approved: status %s version %d reason %q", e.Status, e.PublishedVersion, e.RejectReason)
		}
		if _, err := catalog.Get(ctx, db.Read(), w.rsj, e.ID); err != nil {
			t.Errorf("other department reads a published entry: %v", err)
		}

		// A revision goes through review while version 1 stays in force.
		rev := fixed
		rev.Items = append(rev.Items[:3:3], catalog.Item{Name: "联系电话", Type: "C", Length: 20})
		rev.Items[1].Length = 100
		rev.UpdateFrequency = "daily"
		e = mustStep(t, w, "revise", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, rev, t0.Add(time.Hour))
		})
		// Update answers with what it saved: the revision, version 1 in force.
		if e.Version != 2 || e.WorkingVersion != 2 || e.WorkingStatus != catalog.Draft || e.UpdateFrequency != "daily" ||
			e.Status != catalog.Published || e.PublishedVersion != 1 {
			t.Errorf("revised: version %d working %d %s frequency %s status %s published %d", e.Version, e.WorkingVersion,
				e.WorkingStatus, e.UpdateFrequency, e.Status, e.PublishedVersion)
		}
		if inForce, err := catalog.Get(ctx, db.Read(), w.gaj, e.ID); err != nil || inForce.Version != 1 || inForce.UpdateFrequency != "realtime" {
			t.Errorf("in force after the revision: version %d frequency %s (%v)", inForce.Version, inForce.UpdateFrequency, err)
		}
		other, err := catalog.Get(ctx, db.Read(), w.rsj, e.ID)
		if err != nil || other.WorkingVersion != 0 {
			t.Errorf("other department sees working version %d (%v)", other.WorkingVersion, err)
		}
		work, err := catalog.Working(ctx, db.Read(), w.gaj, e.ID)
		if err != nil || work.Version != 2 || work.UpdateFrequency != "daily" {
			t.Errorf("working copy: version %d frequency %s (%v)", work.Version, work.UpdateFrequency, err)
		}
		rev2 := rev
		rev2.Classification.SubcategoryCode = "009"
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, rev2, t0)
		})
		wantKind(t, "reclassify a published entry", err, errs.Invalid)
		mustStep(t, w, "submit revision", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
		})
		e = mustStep(t, w, "approve revision", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, t0.Add(2*time.Hour))
		})
		if e.Version != 2 || e.UpdateFrequency != "daily" || e.WorkingVersion != 0 {
			t.Errorf("after revision: version %d frequency %s working %d", e.Version, e.UpdateFrequency, e.WorkingVersion)
		}

		vs, err := catalog.Versions(ctx, db.Read(), w.rsj, e.ID)
		if err != nil || len(vs) != 2 || vs[0].State != catalog.Superseded || vs[1].State != catalog.Published {
			t.Fatalf("versions: %+v (%v)", vs, err)
		}
		d := catalog.Diff(vs[0].Resource, vs[1].Resource)
		if len(d.Fields) != 1 || d.Fields[0].Field != "update_frequency" {
			t.Errorf("changed fields: %+v, want update_frequency", d.Fields)
		}
		got := map[string]string{}
		for _, c := range d.Items {
			got[c.Name] = c.Change
			if c.Name == "姓名" && (len(c.Attributes) != 1 || c.Attributes[0] != "length") {
				t.Errorf("姓名 attributes %v, want [length]", c.Attributes)
			}
		}
		want := map[string]string{"姓名": "changed", "联系电话": "added", "户籍地址": "removed"}
		if len(got) != len(want) || got["姓名"] != want["姓名"] || got["联系电话"] != want["联系电话"] || got["户籍地址"] != want["户籍地址"] {
			t.Errorf("item changes %v, want %v", got, want)
		}

		// Yearly maintenance.
		due, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{ReviewDue: true, Now: t0.AddDate(1, 0, 1)})
		if err != nil || len(due.Items) != 1 || !due.Items[0].ReviewDue {
			t.Errorf("review due a year later: %+v (%v)", due.Items, err)
		}
		due, _ = catalog.Search(ctx, db.Read(), w.operator, catalog.Query{ReviewDue: true, Now: t0.AddDate(0, 6, 0)})
		if len(due.Items) != 0 {
			t.Errorf("review due after six months: %d entries", len(due.Items))
		}

		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.rsj, e.ID, "", t0)
		})
		wantKind(t, "other department retires", err, errs.Forbidden)
		// The department asks; the operator's review retires it
		// (requirement 4: changes published after review).
		e = mustStep(t, w, "request retirement", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, e.ID, "业务调整", t0)
		})
		if e.Status != catalog.Published || !e.RetireRequest.Pending() {
			t.Errorf("retirement requested: status %s, request %+v; want published with a pending request", e.Status, e.RetireRequest)
		}
		e = mustStep(t, w, "approve retirement", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.ApproveRetire(ctx, tx, w.operator, e.ID, t0)
		})
		if e.Status != catalog.Retired || e.RetireRequest != nil {
			t.Errorf("retired: status %s, request %+v", e.Status, e.RetireRequest)
		}
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, rev, t0)
		})
		wantKind(t, "edit retired", err, errs.Conflict)

		actions := auditActions(t, db)
		for _, a := range []string{"catalog.create", "catalog.submit", "catalog.reject", "catalog.update", "catalog.approve", "catalog.retire.request", "catalog.retire.approve"} {
			if actions[a] == 0 {
				t.Errorf("no audit row for %s", a)
			}
		}
		if rep, err := audit.Verify(ctx, db.Read()); err != nil || rep.Problem != nil {
			t.Errorf("audit chain: %v %v", err, rep.Problem)
		}
	})
}

func mustStep(t *testing.T, w *world, what string, fn func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error)) catalog.Entry {
	t.Helper()
	e, err := step(w, fn)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return e
}

func auditActions(t *testing.T, db *sqldb.DB) map[string]int {
	t.Helper()
	rows, err := db.Read().QueryContext(context.Background(), `SELECT action, count(*) FROM audit_log GROUP BY action`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var a string
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			t.Fatal(err)
		}
		out[a] = n
	}
	return out
}

func TestCreateRefusesOtherDepartmentAndInvalid(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Create(ctx, tx, w.gaj, w.rsjID, household(), t0)
		})
		wantKind(t, "create for another department", err, errs.Forbidden)
		bad := household()
		bad.ShareType = catalog.NotShared
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Create(ctx, tx, w.gaj, w.gajID, bad, t0)
		})
		if e := errs.As(err); e == nil || e.Field != "legal_basis" {
			t.Errorf("not shared without basis: got %v, want an error on legal_basis", err)
		}
		moves := household()
		moves.Name = "户籍人口迁移信息"
		e1, e2 := create(t, w, w.gaj, household()), create(t, w, w.gaj, moves)
		if e1.Code != "101001/000001" || e2.Code != "101001/000002" {
			t.Errorf("codes %s %s, want sequential", e1.Code, e2.Code)
		}
	})
}

// TestControlCharactersRefused: NUL, other control characters and invalid
// UTF-8 are bad input on both engines (PostgreSQL's text columns refuse
// NUL), never a database error.
func TestControlCharactersRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		wantCode := func(what string, err error, field string) {
			t.Helper()
			if e := errs.As(err); e == nil || e.Code != "invalid_characters" || e.Field != field {
				t.Errorf("%s: got %v, want invalid_characters on %s", what, err, field)
			}
		}
		for field, change := range map[string]func(r *catalog.Resource){
			"name":                 func(r *catalog.Resource) { r.Name = "户籍\x00信息" },
			"abstract":             func(r *catalog.Resource) { r.Abstract = "摘要\x00" + r.Abstract },
			"items[1].name":        func(r *catalog.Resource) { r.Items[1].Name = "姓\xff名" },
			"items[2].description": func(r *catalog.Resource) { r.Items[2].Description = "年\x00月" },
		} {
			bad := household()
			change(&bad)
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Create(ctx, tx, w.gaj, w.gajID, bad, t0)
			})
			wantCode("create with a bad "+field, err, field)
		}
		e := create(t, w, w.gaj, household())
		bad := household()
		bad.Timeliness = "T+1\x00"
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, bad, t0)
		})
		wantCode("update", err, "timeliness")
		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
		})
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Reject(ctx, tx, w.operator, e.ID, "摘要\x00过短", t0)
		})
		wantCode("reject", err, "reason")
		mustStep(t, w, "approve", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, t0)
		})
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, e.ID, "业务\x00调整", t0)
		})
		wantCode("retire", err, "reason")
		for _, q := range []string{"户籍\x00", "户\xff籍 人口"} {
			for _, sort := range []catalog.Sort{catalog.ByRelevance, catalog.ByName} {
				_, err = catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: q, Sort: sort})
				wantCode("search", err, "q")
			}
		}
		if _, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: "户籍\t人口\n"}); err != nil {
			t.Errorf("search with a tab and a line break: %v", err)
		}
	})
}

// TestDuplicateNameRefused: a department catalogs a resource once (不重复编目).
// A draft may repeat a name (edited to it: Create refuses a name in use, see
// TestCreateRefusesNameInUse), but submitting a version named as another of the
// department's entries that is published or under review is refused with that
// entry's code, and so is approving one named as a published entry; another
// department may use the name, and so may the department once the entry is
// retired.
func TestDuplicateNameRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		wantDuplicate := func(what string, err error, of catalog.Entry) {
			t.Helper()
			e := errs.As(err)
			if e == nil || e.Kind != errs.Conflict || e.Code != "duplicate_entry_name" || e.Field != "name" ||
				!strings.Contains(e.Message, of.Code) || !strings.Contains(e.Message, of.Name) {
				t.Errorf("%s: got %v, want duplicate_entry_name naming %s", what, err, of.Code)
			}
		}
		submit := func(by catalog.Actor, id int64) error {
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, by, id, t0)
			})
			return err
		}
		approve := func(id int64) error {
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Approve(ctx, tx, w.operator, id, t0)
			})
			return err
		}
		// renamed creates a draft of r under another name, then gives it r's.
		renamed := func(r catalog.Resource) catalog.Entry {
			t.Helper()
			other := r
			other.Name += "（暂名）"
			e := create(t, w, w.gaj, other)
			e, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Update(ctx, tx, w.gaj, e.ID, r, t0)
			})
			if err != nil {
				t.Fatalf("rename %s: %v", other.Name, err)
			}
			return e
		}
		first := publish(t, w, w.gaj, household())
		dup := renamed(household())
		wantDuplicate("submit the published entry again", submit(w.gaj, dup.ID), first)

		// Another department may catalog a resource of the same name.
		if err := submit(w.rsj, create(t, w, w.rsj, household()).ID); err != nil {
			t.Errorf("another department's entry of the name: %v", err)
		}

		// Two drafts of one name: the first submitted holds it.
		changes := household()
		changes.Name = "户籍人口变动信息"
		a, b := create(t, w, w.gaj, changes), renamed(changes)
		if err := submit(w.gaj, a.ID); err != nil {
			t.Fatalf("submit the first draft: %v", err)
		}
		wantDuplicate("submit the second draft", submit(w.gaj, b.ID), a)

		// A revision renamed while another entry of the new name waits for
		// review: whichever is approved first holds the name.
		moves := household()
		moves.Name = "户籍人口迁移信息"
		c := create(t, w, w.gaj, moves)
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, first.ID, moves, t0)
		}); err != nil {
			t.Fatal(err)
		}
		if err := submit(w.gaj, first.ID); err != nil {
			t.Fatalf("submit the renamed revision: %v", err)
		}
		if err := submit(w.gaj, c.ID); err != nil { // first is still 户籍人口基本信息 in the catalog
			t.Fatalf("submit the new entry: %v", err)
		}
		if err := approve(c.ID); err != nil {
			t.Fatal(err)
		}
		wantDuplicate("approve the renamed revision", approve(first.ID), c)

		// Retired, the name is free again.
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Reject(ctx, tx, w.operator, first.ID, "与迁移信息重复", t0)
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return retireApproved(ctx, tx, w, w.gaj, first.ID, "并入户籍人口变动信息")
		}); err != nil {
			t.Fatal(err)
		}
		if err := submit(w.gaj, dup.ID); err != nil {
			t.Errorf("submit once the other is retired: %v", err)
		}
	})
}
