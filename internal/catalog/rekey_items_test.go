package catalog_test

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// birthIn is insured with the one non-identifying item named name (a form
// of 出生日期 that looks as it does), in an entry named entry.
func birthIn(entry, name string) catalog.Resource {
	r := insured()
	r.Name = entry
	r.Items = []catalog.Item{r.Items[0], {Name: name, Type: "D"}}
	return r
}

// conflictOf returns the source conflict of entry id's working version
// keyed key, failing the test when there is none.
func conflictOf(t *testing.T, w *world, id int64, key string) catalog.Conflict {
	t.Helper()
	cs, err := catalog.Conflicts(context.Background(), w.db.Read(), w.operator, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.ItemKey == key {
			return c
		}
	}
	t.Fatalf("no source conflict keyed %s: %+v", key, cs)
	return catalog.Conflict{}
}

// submittedConflict has the market regulator create and submit r, and
// returns the entry and its source conflict keyed 出生日期.
func submittedConflict(t *testing.T, w *world, r catalog.Resource) (catalog.Entry, catalog.Conflict) {
	t.Helper()
	e := create(t, w, w.scj, r)
	mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
		return catalog.Submit(ctx, tx, w.scj, e.ID, t0)
	})
	return e, conflictOf(t, w, e.ID, "出生日期")
}

// rekeyBesideNew stores source conflict id of entry under the old key old,
// as stored before the fold, beside a copy under its new key 出生日期 that
// no reviewer decided, runs RekeyItems and returns the entry's conflicts.
func rekeyBesideNew(t *testing.T, w *world, entry, id int64, old string) []catalog.Conflict {
	t.Helper()
	sqldbtest.Exec(t, w.db, `UPDATE catalog_source_conflicts SET item_key = $2, item_name = $2 WHERE id = $1`, id, old)
	sqldbtest.Exec(t, w.db, `INSERT INTO catalog_source_conflicts (entry_id, version, subject_kind, item_key, item_name, candidates, created_at)
		SELECT entry_id, version, subject_kind, '出生日期', '出生日期', candidates, created_at
		FROM catalog_source_conflicts WHERE id = $1`, id)
	if _, err := catalog.RekeyItems(context.Background(), w.db, nil); err != nil {
		t.Fatalf("RekeyItems: %v", err)
	}
	cs, err := catalog.Conflicts(context.Background(), w.db.Read(), w.operator, entry)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// candidates returns the entry ids of c's candidates, sorted.
func candidates(c catalog.Conflict) []int64 {
	var out []int64
	for _, cand := range c.Candidates {
		out = append(out, cand.EntryID)
	}
	slices.Sort(out)
	return out
}

// TestOneSourceLookAlikeItems: an item named as another department's
// published item looks but written otherwise (出生⽇期 with the Kangxi
// radical ⽇, U+2F47, that input methods offer for 日) is the same data
// item to the one-data-one-source rule, as 出生日期 itself is (ItemKey folds
// names with text.Fold, as NameKey does): its submission raises a source
// conflict with the published entry. Item keys were folded by width alone,
// so the radical made another data item.
func TestOneSourceLookAlikeItems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		police := publish(t, w, w.gaj, household())
		for i, name := range []string{"出生\u2f47期", "出生日期"} {
			if k := catalog.ItemKey(name); k != "出生日期" {
				t.Errorf("ItemKey(%q) = %q, want 出生日期", name, k)
			}
			e := create(t, w, w.rsj, birthIn("社会保险参保信息"+string(rune('甲'+i)), name))
			mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, w.rsj, e.ID, t0)
			})
			if c := conflictOf(t, w, e.ID, "出生日期"); !slices.Equal(candidates(c), []int64{police.ID}) || c.ItemName != name {
				t.Errorf("%q: conflict %+v, want %q against the police's entry %d", name, c, name, police.ID)
			}
		}
	})
}

// TestRekeyItems: item keys stored before ItemKey folded names with
// text.Fold kept a zero-width space (出生<U+200B>日期), so another
// department published 出生日期 as no second source of the item, and a
// look-alike newcomer was not refused either. RekeyItems rewrites the keys
// of catalog_item_keys, of the recorded one source
// (catalog_authoritative_items) and of the source conflicts: the published
// look-alikes now sharing a key are both kept and logged, a newcomer's
// submission conflicts with both and starts decided for the recorded one
// source, a decision taken on a conflict of the old key is kept, and a
// second run changes nothing.
func TestRekeyItems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		old := "出生\u200b日期"
		police := publish(t, w, w.gaj, household())
		// As a release before today stored them: the name as written, its key folded by width only.
		sqldbtest.Exec(t, db, `UPDATE catalog_item_keys SET item_key = $2, item_name = $2 WHERE entry_id = $1 AND item_key = '出生日期'`, police.ID, old)
		sqldbtest.Exec(t, db, `INSERT INTO catalog_authoritative_items (subject_kind, item_key, entry_id, item_name, decided_at)
			VALUES ($1, $2, $3, $2, $4)`, string(catalog.Person), old, police.ID, t0)
		// A second source the old key let through, and a review under way
		// whose conflict on the old key the operator has decided.
		insurance := publish(t, w, w.rsj, birthIn("社会保险参保信息", "出生日期"))
		if cs, err := catalog.Conflicts(ctx, db.Read(), w.operator, insurance.ID); err != nil || len(cs) != 0 {
			t.Fatalf("the second source's conflicts: %+v (%v), want none before the re-key", cs, err)
		}
		pending, c := submittedConflict(t, w, birthIn("市场主体人员信息", "出生日期"))
		sqldbtest.Exec(t, db, `UPDATE catalog_source_conflicts SET item_key = $2, item_name = $2 WHERE id = $1`, c.ID, old)
		mustStep(t, w, "decide", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			_, err := catalog.Decide(ctx, tx, w.operator, pending.ID, c.ID, insurance.ID, t0)
			return catalog.Entry{}, err
		})

		var logged bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logged, nil))
		n, err := catalog.RekeyItems(ctx, db, log)
		if err != nil || n != 2 {
			t.Fatalf("RekeyItems: %d changed, %v; want 2 (the police's entry and the pending one)", n, err)
		}
		if !strings.Contains(logged.String(), "level=WARN") || !strings.Contains(logged.String(), police.Code) ||
			!strings.Contains(logged.String(), insurance.Code) {
			t.Errorf("the two sources of 出生日期 (%s, %s) not logged: %q", police.Code, insurance.Code, logged.String())
		}
		var stale int
		if err := db.Read().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM catalog_item_keys WHERE item_key = $1)
			+ (SELECT COUNT(*) FROM catalog_authoritative_items WHERE item_key = $1)
			+ (SELECT COUNT(*) FROM catalog_source_conflicts WHERE item_key = $1)`, old).Scan(&stale); err != nil || stale != 0 {
			t.Errorf("%d rows keyed %q left (%v)", stale, old, err)
		}
		if got := conflictOf(t, w, pending.ID, "出生日期"); got.ID != c.ID || got.AuthoritativeEntryID != insurance.ID {
			t.Errorf("the decided conflict after the re-key: %+v, want conflict %d decided for %d", got, c.ID, insurance.ID)
		}

		_, got := submittedConflict(t, w, birthIn("市场主体登记人员信息", "出生\u2f47期"))
		if want := []int64{police.ID, insurance.ID}; !slices.Equal(candidates(got), want) || got.AuthoritativeEntryID != police.ID {
			t.Errorf("the look-alike's conflict: %+v, want candidates %v decided for the police's %d", got, want, police.ID)
		}
		if n, err := catalog.RekeyItems(ctx, db, log); err != nil || n != 0 {
			t.Errorf("second RekeyItems: %d changed, %v; want 0", n, err)
		}
	})
}

// oldKeySource stores entry's item 出生日期 under the key it had before item
// names were compared as they look (出生<U+200B>日期), with the entry
// recorded as that key's one source, and returns that key.
func oldKeySource(t *testing.T, db *sqldb.DB, entry int64) (old string) {
	t.Helper()
	old = "出生\u200b日期"
	for _, q := range []string{
		`UPDATE catalog_item_keys SET item_key = $2, item_name = $2 WHERE entry_id = $1 AND item_key = '出生日期'`,
		`INSERT INTO catalog_authoritative_items (subject_kind, item_key, entry_id, item_name, decided_at)
			VALUES ('person', $2, $1, $2, CURRENT_TIMESTAMP)`,
	} {
		sqldbtest.Exec(t, db, q, entry, old)
	}
	return old
}

// TestRekeyItemsTwoSources: two entries recorded as the one source of
// items that look alike (stored under two keys) cannot both be recorded
// under the one key: RekeyItems does not fail, rewrites neither the later
// nor anything else of it, and logs both entries.
func TestRekeyItemsTwoSources(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		police := publish(t, w, w.gaj, household())
		oldKeySource(t, db, police.ID)
		insurance := publish(t, w, w.rsj, birthIn("社会保险参保信息", "出生日期"))
		if _, err := db.Write().ExecContext(ctx, `INSERT INTO catalog_authoritative_items (subject_kind, item_key, entry_id,
			item_name, decided_at) VALUES ('person', '出生日期', $1, '出生日期', CURRENT_TIMESTAMP)`, insurance.ID); err != nil {
			t.Fatal(err)
		}
		var logged bytes.Buffer
		n, err := catalog.RekeyItems(ctx, db, slog.New(slog.NewTextHandler(&logged, nil)))
		if err != nil || n != 1 {
			t.Fatalf("RekeyItems: %d changed, %v; want 1 (the police's item keys)", n, err)
		}
		sources := sqldbtest.Column(t, db, `SELECT entry_id FROM catalog_authoritative_items ORDER BY entry_id`)
		if want := []string{strconv.FormatInt(police.ID, 10), strconv.FormatInt(insurance.ID, 10)}; !slices.Equal(sources, want) {
			t.Errorf("recorded sources %v, want both of %v kept", sources, want)
		}
		if s := logged.String(); !strings.Contains(s, "one source") || !strings.Contains(s, police.Code) || !strings.Contains(s, insurance.Code) {
			t.Errorf("the two recorded sources (%s, %s) not logged: %q", police.Code, insurance.Code, s)
		}
	})
}

// TestRekeyItemsRacesReview: a review that records the one source of an
// item's new key while RekeyItems runs is waited for, and the one source
// recorded under the old key then stays as it is (logged) rather than
// failing the re-key on the key taken: on PostgreSQL the re-key reads the
// keys unlocked, so it takes the sources, as a review does, and reads
// again what it rewrites.
func TestRekeyItemsRacesReview(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		police := publish(t, w, w.gaj, household())
		old := oldKeySource(t, db, police.ID)
		insurance := publish(t, w, w.rsj, birthIn("社会保险参保信息", "出生日期"))
		// The one source of 出生日期 recorded as an approval records it,
		// under the sources' lock, held open until the re-key waits for it
		// (PostgreSQL; SQLite's one writer runs them in turn).
		held, release := make(chan struct{}), make(chan struct{})
		reviewed := make(chan error, 1)
		go func() {
			reviewed <- db.Tx(ctx, func(tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE catalog_source_lock SET id = 1 WHERE id = 1`); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_authoritative_items (subject_kind, item_key, entry_id,
					item_name, decided_at) VALUES ('person', '出生日期', $1, '出生日期', CURRENT_TIMESTAMP)`, insurance.ID); err != nil {
					return err
				}
				close(held)
				<-release
				return nil
			})
		}()
		<-held
		var logged bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logged, nil))
		done := make(chan error, 1)
		if db.Dialect == sqldb.Postgres {
			go func() { _, err := catalog.RekeyItems(ctx, db, log); done <- err }()
			sqldbtest.AwaitLockWait(t, db, "the re-key did not wait for the review")
			close(release)
		} else {
			close(release)
			if err := <-reviewed; err != nil {
				t.Fatal(err)
			}
			reviewed <- nil
			go func() { _, err := catalog.RekeyItems(ctx, db, log); done <- err }()
		}
		if err := <-reviewed; err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatalf("RekeyItems: %v", err)
		}
		var key string
		if err := db.Read().QueryRowContext(ctx, `SELECT item_key FROM catalog_authoritative_items WHERE entry_id = $1`,
			police.ID).Scan(&key); err != nil || key != old {
			t.Errorf("the police's one source: key %q (%v), want %q kept", key, err, old)
		}
		if s := logged.String(); !strings.Contains(s, "one source") || !strings.Contains(s, insurance.Code) {
			t.Errorf("the two recorded sources not logged: %q", s)
		}
	})
}

// TestRekeyItemsKeepsDecision: a version with a source conflict under an
// old key (出生<U+200B>日期), which the reviewer decided, and one under its
// new key (出生日期) not decided comes to have two conflicts of one key.
// RekeyItems kept the one already under the new key and deleted the other,
// the reviewer's decision with it; it now keeps the decided one, under the
// new key, and the undecided one goes. Where both are decided, or neither,
// the one under the new key stays.
func TestRekeyItemsKeepsDecision(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		old := "出生\u200b日期"
		police := publish(t, w, w.gaj, household())
		pending, c := submittedConflict(t, w, birthIn("市场主体人员信息", "出生日期"))
		mustStep(t, w, "decide", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			_, err := catalog.Decide(ctx, tx, w.operator, pending.ID, c.ID, police.ID, t0)
			return catalog.Entry{}, err
		})
		// The decided conflict under the old key, as stored before the
		// fold; beside it, one under the new key no reviewer decided.
		cs := rekeyBesideNew(t, w, pending.ID, c.ID, old)
		if len(cs) != 1 || cs[0].ID != c.ID || cs[0].ItemKey != "出生日期" || cs[0].AuthoritativeEntryID != police.ID ||
			cs[0].DecidedBy == "" || cs[0].DecidedBy == "system" {
			t.Errorf("conflicts after the re-key: %+v, want conflict %d keyed 出生日期 decided by the reviewer for %d",
				cs, c.ID, police.ID)
		}

		// The decided one under the new key, the undecided under the old:
		// the decided one stays.
		sqldbtest.Exec(t, db, `INSERT INTO catalog_source_conflicts (entry_id, version, subject_kind, item_key, item_name, candidates, created_at)
			SELECT entry_id, version, subject_kind, $2, $2, candidates, created_at
			FROM catalog_source_conflicts WHERE id = $1`, c.ID, old)
		if _, err := catalog.RekeyItems(ctx, db, nil); err != nil {
			t.Fatalf("second RekeyItems: %v", err)
		}
		if cs, err := catalog.Conflicts(ctx, db.Read(), w.operator, pending.ID); err != nil || len(cs) != 1 || cs[0].ID != c.ID ||
			cs[0].AuthoritativeEntryID != police.ID {
			t.Errorf("conflicts after the second re-key: %+v (%v), want conflict %d decided for %d", cs, err, c.ID, police.ID)
		}
		mustStep(t, w, "approve", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, pending.ID, t0)
		})
	})
}

// TestRekeyItemsSeparations: a separation (不是同一数据项) of two entries
// recorded under an item's old key follows the entries' keys to the new
// one, so that they stay separated for the item (no conflict, no
// cross-check between them); until 2026-12-06 it kept the old key, which
// no entry had any more.
func TestRekeyItemsSeparations(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		police := publish(t, w, w.gaj, household())
		insurance := publish(t, w, w.rsj, birthIn("社会保险参保信息", "参保日期"))
		old := "出生\u200b日期"
		for _, id := range []int64{police.ID, insurance.ID} {
			sqldbtest.Exec(t, db, `UPDATE catalog_item_keys SET item_key = $2, item_name = $2 WHERE entry_id = $1
				AND item_key IN ('出生日期', '参保日期')`, id, old)
		}
		sqldbtest.Exec(t, db, `INSERT INTO catalog_distinct_items (subject_kind, item_key, entry_a, entry_b, decided_by,
			decided_at) VALUES ('person', $1, $2, $3, 'shenhe', CURRENT_TIMESTAMP)`, old, min(police.ID, insurance.ID),
			max(police.ID, insurance.ID))
		if _, err := catalog.RekeyItems(ctx, db, nil); err != nil {
			t.Fatal(err)
		}
		if keys := sqldbtest.Column(t, db, `SELECT item_key FROM catalog_distinct_items`); !slices.Equal(keys, []string{"出生日期"}) {
			t.Errorf("separations keyed %q after RekeyItems, want one keyed 出生日期", keys)
		}
	})
}

// TestRekeyItemsKeepsDistinctDecision: a source conflict under an old key
// decided 不是同一数据项 (no authoritative entry) beside an undecided one
// under the new key is a reviewer's decision too: RekeyItems keeps it,
// under the new key, and drops the undecided one. It took a distinct
// decision for none and dropped it.
func TestRekeyItemsKeepsDistinctDecision(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		publish(t, w, w.gaj, household())
		pending, c := submittedConflict(t, w, birthIn("市场主体人员信息", "出生日期"))
		mustStep(t, w, "decide distinct", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			_, err := catalog.DecideDistinct(ctx, tx, w.operator, pending.ID, c.ID, t0)
			return catalog.Entry{}, err
		})
		cs := rekeyBesideNew(t, w, pending.ID, c.ID, "出生\u200b日期")
		if len(cs) != 1 || cs[0].ID != c.ID || cs[0].ItemKey != "出生日期" || !cs[0].Distinct {
			t.Errorf("conflicts after the re-key: %+v, want conflict %d keyed 出生日期 decided distinct", cs, c.ID)
		}
	})
}
