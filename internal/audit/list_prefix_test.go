package audit_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestListPrefixRowsActions: a prefix of actions selects the rows of every
// action it starts that a row has, those of older releases that
// ActionGroups no longer names among them ("records.legacy"), and no
// other ("records", "recordsx.read", "records/"), page after page through
// the cursor, alone, with another prefix or action, with Action and
// Actions both given (the actions both allow) and with other filters, on
// both engines: on SQLite List finds a prefix's actions in the rows and
// reads each (pageQuery), so an action read from ActionGroups alone
// would miss the older ones.
func TestListPrefixRowsActions(t *testing.T) {
	actions := []string{"records.read", "records.legacy", "records", "auth.login", "records.zz.old", "recordsx.read", "records/", "records.read"}
	const n = 400
	row := func(i int) (audit.Event, time.Time) {
		return audit.Event{Actor: audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "审批系统", DepartmentID: int64(i%3 + 1)},
			Action: actions[i%len(actions)], ObjectType: "catalog_entry", ObjectID: "3", SubjectID: fmt.Sprint("S", i%5)}, t0.Add(time.Duration(i) * time.Second)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		evs, ats := make([]audit.Event, n), make([]time.Time, n)
		for i := range n {
			evs[i], ats[i] = row(i)
		}
		if err := db.Tx(t.Context(), func(tx *sqldb.Tx) error { audit.AppendAll(tx, evs, ats); return nil }); err != nil {
			t.Fatal(err)
		}
		for _, f := range []audit.Filter{
			{Actions: []string{"records."}},
			{Actions: []string{"records.zz."}},
			{Actions: []string{"records.", "auth.login"}},
			{Actions: []string{"records.legacy", "auth."}},
			{Action: "records.", Actions: []string{"records.legacy", "auth."}},
			{Action: "records.", Actions: []string{"auth."}},
			{Actions: []string{"records."}, SubjectID: "S2"},
			{Actions: []string{"records.", "auth."}, DepartmentID: 2},
		} {
			t.Run(fmt.Sprint(f.Action, f.Actions, f.SubjectID, f.DepartmentID), func(t *testing.T) {
				matches := func(e audit.Event, a string) bool {
					return e.Action == a || strings.HasSuffix(a, ".") && strings.HasPrefix(e.Action, a)
				}
				var want []int64
				for i := n - 1; i >= 0; i-- {
					e, _ := row(i)
					if (f.Action == "" || matches(e, f.Action)) && slices.ContainsFunc(f.Actions, func(a string) bool { return matches(e, a) }) &&
						(f.SubjectID == "" || e.SubjectID == f.SubjectID) && (f.DepartmentID == 0 || e.Actor.DepartmentID == f.DepartmentID) {
						want = append(want, int64(i+1))
					}
				}
				var got []int64
				f.Limit = 7
				for pages := 0; pages <= n; pages++ {
					page, next, err := audit.List(t.Context(), db.Read(), f)
					if err != nil {
						t.Fatal(err)
					}
					for _, e := range page {
						got = append(got, e.Seq)
					}
					if next == 0 {
						break
					}
					f.Before = next
				}
				if !slices.Equal(got, want) {
					t.Errorf("rows %v, want %v", got, want)
				}
			})
		}
	})
}

// TestListPrefixNewAction: a row of an action no row had before, which a
// prefix of the filter starts, appended after List found the prefix's
// actions on SQLite and before it read the page, is on the page: List
// finds the actions again after the page and reads it anew when there is
// a new one, so that the page is the rows of the prefix as of its read.
// On both engines (PostgreSQL reads a prefix as a LIKE, in the page's
// query alone).
func TestListPrefixNewAction(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ev := func(action string) audit.Event {
			return audit.Event{Actor: audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "审批系统"}, Action: action, ObjectType: "catalog_entry", ObjectID: "3"}
		}
		appendRow := func(action string) {
			if err := db.Tx(t.Context(), func(tx *sqldb.Tx) error {
				audit.AppendAll(tx, []audit.Event{ev(action)}, []time.Time{t0})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		appendRow("records.read")
		appendRow("records.history")
		once := true
		defer audit.SetBeforePage(func() {
			if once {
				once = false
				appendRow("records.brandnew")
			}
		})()
		page, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Actions: []string{"records."}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range page {
			got = append(got, e.Action)
		}
		if want := []string{"records.brandnew", "records.history", "records.read"}; !slices.Equal(got, want) {
			t.Errorf("page %v, want %v", got, want)
		}
	})
}
