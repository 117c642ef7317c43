package catalog_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRekeyNames: entries stored before NameKey folded names with
// text.Fold kept a name_key holding U+200B, U+FE0F or a decomposed é, so
// a new entry named as one of them looks (殡葬服务记录信息, 殡葬服务⭐信息,
// 殡葬服务Café信息) was created as no duplicate. RekeyNames rewrites such
// keys (and the name length of the search postings): the look-alikes are
// then refused as duplicate_entry_name, a retirement request is found by
// the name as it looks, a look-alike created before the re-key is left
// with the old entry and logged, and a second run changes nothing.
func TestRekeyNames(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		old := []struct{ stored, key, plain string }{
			{"殡葬服务\u200b记录信息", "殡葬服务\u200b记录信息", "殡葬服务记录信息"},
			{"殡葬服务⭐\ufe0f信息", "殡葬服务⭐\ufe0f信息", "殡葬服务⭐信息"},
			{"殡葬服务Cafe\u0301信息", "殡葬服务cafe\u0301信息", "殡葬服务Café信息"},
		}
		var ids []int64
		for i, o := range old {
			r := household()
			r.Name = "殡葬服务旧名" + string(rune('A'+i))
			e := publish(t, w, w.gaj, r)
			ids = append(ids, e.ID)
			// As a release before today stored it: the name as written, its key folded by width only.
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET name = $2, name_key = $3 WHERE id = $1`, e.ID, o.stored, o.key)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		create := func(name string) error {
			r := household()
			r.Name = name
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Create(ctx, tx, w.gaj, w.gajID, r, t0)
			})
			return err
		}
		// The look-alike a department could create before the re-key.
		if err := create(old[0].plain); err != nil {
			t.Fatalf("create %s before the re-key: %v", old[0].plain, err)
		}
		mustStep(t, w, "request", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, ids[1], "职能调整", t0.Add(time.Minute))
		})

		var logged bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logged, nil))
		n, err := catalog.RekeyNames(ctx, db, log)
		if err != nil || n != len(old) {
			t.Fatalf("RekeyNames: %d changed, %v; want %d", n, err, len(old))
		}
		if !strings.Contains(logged.String(), "share a name key") {
			t.Errorf("two entries of one key not logged: %q", logged.String())
		}
		for i, o := range old {
			var key string
			var stale int
			if err := db.Read().QueryRowContext(ctx, `SELECT name_key FROM catalog_entries WHERE id = $1`, ids[i]).Scan(&key); err != nil {
				t.Fatal(err)
			}
			if key != catalog.NameKey(o.plain) {
				t.Errorf("%q: key %q, want %q", o.stored, key, catalog.NameKey(o.plain))
			}
			if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_search_tokens t JOIN catalog_entries e ON e.id = t.entry_id
				WHERE e.id = $1 AND t.name_len <> LENGTH(e.name_key)`, ids[i]).Scan(&stale); err != nil || stale != 0 {
				t.Errorf("%q: %d postings with another name length (%v)", o.stored, stale, err)
			}
			err := create(o.plain)
			if ee := errs.As(err); ee == nil || ee.Code != "duplicate_entry_name" {
				t.Errorf("create %s after the re-key: %v, want duplicate_entry_name", o.plain, err)
			}
		}
		if c, err := catalog.CountRetireRequests(ctx, db.Read(), w.operator, catalog.Query{Text: old[1].plain}); err != nil || c != 1 {
			t.Errorf("retirement requests of %s: %d (%v), want 1", old[1].plain, c, err)
		}
		if n, err := catalog.RekeyNames(ctx, db, log); err != nil || n != 0 {
			t.Errorf("second RekeyNames: %d changed, %v; want 0", n, err)
		}
	})
}

// TestRekeyNamesRacesRename: an entry renamed while RekeyNames runs keeps
// the key of its new name. On PostgreSQL the re-key read the chunk's names
// unlocked, so a rename committed between that read and its update got
// the key of the name it had before (the server re-keys while it serves).
func TestRekeyNamesRacesRename(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		r := household()
		r.Name = "殡葬服务旧名"
		e := publish(t, w, w.gaj, r)
		const oldName, newName = "殡葬服务\u200b记录信息", "殡葬服务火化信息"
		sqldbtest.StaleEntryName(t, db, e.ID, oldName)
		// A rename, as an approval writes one, held open until the re-key
		// waits for it (PostgreSQL; SQLite's one writer runs them in turn).
		held, release := make(chan struct{}), make(chan struct{})
		renamed := make(chan error, 1)
		go func() {
			renamed <- db.Tx(ctx, func(tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET name = $2, name_key = $3 WHERE id = $1`,
					e.ID, newName, catalog.NameKey(newName)); err != nil {
					return err
				}
				close(held)
				<-release
				return nil
			})
		}()
		<-held
		done := make(chan error, 1)
		if db.Dialect == sqldb.Postgres {
			go func() { _, err := catalog.RekeyNames(ctx, db, nil); done <- err }()
			sqldbtest.AwaitLockWait(t, db, "the re-key did not wait for the rename")
			close(release)
		} else {
			close(release)
			if err := <-renamed; err != nil {
				t.Fatal(err)
			}
			renamed <- nil
			go func() { _, err := catalog.RekeyNames(ctx, db, nil); done <- err }()
		}
		if err := <-renamed; err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		var name, key string
		if err := db.Read().QueryRowContext(ctx, `SELECT name, name_key FROM catalog_entries WHERE id = $1`, e.ID).Scan(&name, &key); err != nil {
			t.Fatal(err)
		}
		if name != newName || key != catalog.NameKey(newName) {
			t.Errorf("after the re-key: name %q, key %q; want %q, %q", name, key, newName, catalog.NameKey(newName))
		}
	})
}
