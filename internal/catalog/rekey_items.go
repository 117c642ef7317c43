package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// RekeyItems rewrites the item keys the one-data-one-source rule compares
// that are not ItemKey of their item's name — those of catalog_item_keys,
// of the recorded one sources (catalog_authoritative_items), of the
// source conflicts and of the separations (catalog_distinct_items) — and says how many entries it changed. Keys stored
// before ItemKey folded names with text.Fold kept zero-width characters,
// compatibility forms and decomposed letters (出生<U+200B>日期, 出生⽇期 with
// the Kangxi radical U+2F47): another department's item named as such an
// item looks was no second source of it. SQL cannot compute NFKC on
// SQLite, so the keys are rewritten here, beside RekeyNames, by the server
// at start (server.Maintain) and by hutong migrate.
//
// The entries are read rekeyChunk at a time by id, outside any
// transaction (db.Read), and only a chunk where some of their keys are to
// be rewritten takes a write transaction: on SQLite it holds the one
// writer, which a pass reading every entry's keys took chunk after chunk
// even when nothing was stale. In it the sources (lockSources' row) and
// those entries are locked on PostgreSQL and their keys read again, as an
// edit or a review meanwhile writes them anew; only the keys still stale
// are rewritten. A key an entry already has for another of its items is
// dropped rather than rewritten, as indexItems keeps one row per key; the
// conflicts of the submitted versions are then detected again by the next
// to take the sources (refresh_pending), which finds the conflicts the old
// keys hid. Published entries of several departments that come to share a
// key, a second source of the item no review decided, are left as they
// are and logged to log (if not nil), as is a one source recorded under
// the old key of an item whose new key another entry is the one source of:
// that row keeps its old key (until its entry is next published). A second
// run changes nothing.
func RekeyItems(ctx context.Context, db *sqldb.DB, log *slog.Logger) (int, error) {
	if err := markStaleReviews(ctx, db); err != nil {
		return 0, err
	}
	changed := 0
	var after int64
	for {
		ids, err := entryIDs(ctx, db.Read(), after)
		if err != nil {
			return changed, err
		}
		if len(ids) == 0 {
			return changed, nil
		}
		last := ids[len(ids)-1]
		stale, err := staleItems(ctx, db.Read(), `entry_id > $1 AND entry_id <= $2`, after, last)
		if err != nil {
			return changed, err
		}
		if entries := stale.entries(); len(entries) > 0 {
			var (
				n       int
				keys    []kindKey
				clashes []sourceClash
			)
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				n, keys, clashes = 0, nil, nil
				// Those to rewrite, read again (locked on PostgreSQL): the
				// server re-keys while it serves, and an edit (under its
				// entry's lock) or a review (under the sources') committed
				// since the read writes these keys anew. Only they are
				// locked, the sources first as a review takes them.
				var args []any
				in := sqldb.In(tx, &args, entries, 0)
				if tx.Dialect == sqldb.Postgres {
					if err := lockSourceRow(ctx, tx); err != nil {
						return err
					}
					if _, err := tx.ExecContext(ctx, `SELECT id FROM catalog_entries WHERE id IN `+in+` ORDER BY id FOR UPDATE`, args...); err != nil {
						return fmt.Errorf("lock catalog entries: %w", err)
					}
				}
				s, err := staleItems(ctx, tx, `entry_id IN `+in, args...)
				if err != nil {
					return err
				}
				touched, err := s.rewrite(ctx, tx)
				if err != nil {
					return err
				}
				if len(touched) > 0 {
					if _, err := tx.ExecContext(ctx, `UPDATE catalog_source_lock SET refresh_pending = TRUE WHERE id = 1`); err != nil {
						return fmt.Errorf("refresh source conflicts: %w", err)
					}
				}
				n, keys, clashes = len(touched), s.rekeyed, s.clashes
				return nil
			})
			if err != nil {
				return changed, err
			}
			changed += n
			if log != nil && (len(keys) > 0 || len(clashes) > 0) {
				if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return logSharedItems(ctx, tx, keys, clashes, log) }); err != nil {
					return changed, err
				}
			}
		}
		if len(ids) < rekeyChunk {
			return changed, nil
		}
		after = last
	}
}

// markStaleReviews has the next to take the sources (refresh_pending)
// write anew the item keys of the versions under review
// (catalog_review_item_keys) when one is not ItemKey of its item's name, as
// the refresh of every submitted version does: until then a publication
// sharing the item would not find the version by its key.
func markStaleReviews(ctx context.Context, db *sqldb.DB) error {
	rows, err := db.Read().QueryContext(ctx, `SELECT k.item_key, k.item_name FROM catalog_review_item_keys k
		JOIN catalog_entry_versions v ON v.entry_id = k.entry_id AND v.version = k.version WHERE v.state = 'submitted'`)
	if err != nil {
		return fmt.Errorf("review item keys: %w", err)
	}
	stale := false
	for rows.Next() && !stale {
		var key, name string
		if err := rows.Scan(&key, &name); err != nil {
			rows.Close()
			return fmt.Errorf("review item keys: %w", err)
		}
		stale = ItemKey(name) != key
	}
	rows.Close()
	if err := rows.Err(); err != nil || !stale {
		return err
	}
	return db.Tx(ctx, func(tx *sqldb.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE catalog_source_lock SET refresh_pending = TRUE WHERE id = 1`); err != nil {
			return fmt.Errorf("refresh source conflicts: %w", err)
		}
		return nil
	})
}

// entryIDs returns the ids of the next rekeyChunk entries after after.
func entryIDs(ctx context.Context, q sqldb.Querier, after int64) ([]int64, error) {
	ids, err := sqldb.IDs(ctx, q, `SELECT id FROM catalog_entries WHERE id > $1 ORDER BY id LIMIT $2`, after, rekeyChunk)
	if err != nil {
		return nil, fmt.Errorf("rekey catalog items: %w", err)
	}
	return ids, nil
}

// kindKey is an item key of a kind of subject.
type kindKey struct{ kind, key string }

// staleItem is a row keyed otherwise than ItemKey of its item's name: one
// of catalog_item_keys or catalog_authoritative_items (id 0), or the
// source conflict id.
type staleItem struct {
	id, entry int64
	version   int
	kind, key string
	want      string
}

// sourceClash is a one source recorded under an old key (entry, key) of
// an item whose new key (want) another entry is the one source of.
type sourceClash struct {
	kind, key, want string
	entry, other    int64
}

// itemRekey is what staleItems found to rewrite, and what rewrite did.
type itemRekey struct {
	keys, sources, conflicts []staleItem
	rekeyed                  []kindKey // the keys of catalog_item_keys rewritten
	clashes                  []sourceClash
}

// entries returns the ids of the entries s has rows of, sorted.
func (s itemRekey) entries() []int64 {
	set := map[int64]bool{}
	for _, rs := range [][]staleItem{s.keys, s.sources, s.conflicts} {
		for _, r := range rs {
			set[r.entry] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// staleItems reads the item keys of the entries cond (on entry_id, with
// args) selects, in the three tables that hold them, and returns those that
// are not ItemKey of their item's name.
func staleItems(ctx context.Context, q sqldb.Querier, cond string, args ...any) (itemRekey, error) {
	var s itemRekey
	for _, t := range []struct {
		into  *[]staleItem
		query string
	}{
		{&s.keys, `SELECT 0, entry_id, 0, subject_kind, item_key, item_name FROM catalog_item_keys WHERE ` + cond +
			` ORDER BY entry_id, item_key`},
		{&s.sources, `SELECT 0, entry_id, 0, subject_kind, item_key, item_name FROM catalog_authoritative_items WHERE ` + cond +
			` ORDER BY entry_id, item_key`},
		{&s.conflicts, `SELECT id, entry_id, version, subject_kind, item_key, item_name FROM catalog_source_conflicts WHERE ` + cond +
			` ORDER BY id`},
	} {
		rows, err := q.QueryContext(ctx, t.query, args...)
		if err != nil {
			return s, fmt.Errorf("rekey catalog items: %w", err)
		}
		for rows.Next() {
			var r staleItem
			var name string
			if err := rows.Scan(&r.id, &r.entry, &r.version, &r.kind, &r.key, &name); err != nil {
				rows.Close()
				return s, err
			}
			if r.want = ItemKey(name); r.want != r.key {
				*t.into = append(*t.into, r)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s, fmt.Errorf("rekey catalog items: %w", err)
		}
	}
	return s, nil
}

// rewrite gives the rows of s their keys and returns the entries it
// changed. A row whose entry (or version, for a conflict) has a row of the
// new key already is dropped, but for a conflict a reviewer decided beside
// one of the new key no reviewer did: that one is dropped, and the decision
// keeps its conflict (until 2026-12-05 the decision was dropped with it);
// a one source whose new key has another entry's is left and noted in
// s.clashes.
func (s *itemRekey) rewrite(ctx context.Context, tx *sqldb.Tx) (map[int64]bool, error) {
	touched := map[int64]bool{}
	for _, r := range s.keys {
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_item_keys WHERE subject_kind = $1 AND item_key = $2
			AND entry_id = $3`, r.kind, r.want, r.entry).Scan(&taken); err != nil {
			return nil, fmt.Errorf("rekey items of catalog entry %d: %w", r.entry, err)
		}
		query := `UPDATE catalog_item_keys SET item_key = $4 WHERE subject_kind = $1 AND item_key = $2 AND entry_id = $3`
		args := []any{r.kind, r.key, r.entry, r.want}
		if taken > 0 {
			query, args = `DELETE FROM catalog_item_keys WHERE subject_kind = $1 AND item_key = $2 AND entry_id = $3`, args[:3]
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return nil, fmt.Errorf("rekey items of catalog entry %d: %w", r.entry, err)
		}
		if err := rekeySeparations(ctx, tx, r); err != nil {
			return nil, err
		}
		touched[r.entry] = true
		if k := (kindKey{r.kind, r.want}); !slices.Contains(s.rekeyed, k) {
			s.rekeyed = append(s.rekeyed, k)
		}
	}
	for _, r := range s.sources {
		other, err := sqldb.IDs(ctx, tx, `SELECT entry_id FROM catalog_authoritative_items WHERE subject_kind = $1 AND item_key = $2`,
			r.kind, r.want)
		if err != nil {
			return nil, fmt.Errorf("rekey one sources of catalog entry %d: %w", r.entry, err)
		}
		query := `UPDATE catalog_authoritative_items SET item_key = $3 WHERE subject_kind = $1 AND item_key = $2`
		args := []any{r.kind, r.key, r.want}
		switch {
		case len(other) > 0 && other[0] != r.entry:
			s.clashes = append(s.clashes, sourceClash{r.kind, r.key, r.want, r.entry, other[0]})
			continue
		case len(other) > 0:
			query, args = `DELETE FROM catalog_authoritative_items WHERE subject_kind = $1 AND item_key = $2`, args[:2]
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return nil, fmt.Errorf("rekey one sources of catalog entry %d: %w", r.entry, err)
		}
		touched[r.entry] = true
	}
	for _, r := range s.conflicts {
		var taken int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM catalog_source_conflicts WHERE entry_id = $1 AND version = $2
			AND item_key = $3`, r.entry, r.version, r.want).Scan(&taken)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("rekey source conflict %d: %w", r.id, err)
		}
		keep := true
		if taken != 0 {
			// Of two conflicts of one key, the reviewer's decision stays.
			staleDecided, err := reviewerDecided(ctx, tx, r.id)
			if err != nil {
				return nil, err
			}
			takenDecided, err := reviewerDecided(ctx, tx, taken)
			if err != nil {
				return nil, err
			}
			drop := taken
			if keep = staleDecided && !takenDecided; !keep {
				drop = r.id
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_source_conflicts WHERE id = $1`, drop); err != nil {
				return nil, fmt.Errorf("rekey source conflict %d: %w", r.id, err)
			}
		}
		if keep {
			if _, err := tx.ExecContext(ctx, `UPDATE catalog_source_conflicts SET item_key = $2 WHERE id = $1`, r.id, r.want); err != nil {
				return nil, fmt.Errorf("rekey source conflict %d: %w", r.id, err)
			}
		}
		touched[r.entry] = true
	}
	return touched, nil
}

// rekeySeparations gives the separations (catalog_distinct_items) of the
// entry of r under r's old key the new one, dropping those the new key
// has already: the separated entries' items shared the old key, so they
// share the new one.
func rekeySeparations(ctx context.Context, tx *sqldb.Tx, r staleItem) error {
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_distinct_items SET item_key = $4 WHERE subject_kind = $1
		AND item_key = $2 AND (entry_a = $3 OR entry_b = $3) AND NOT EXISTS (SELECT 1 FROM catalog_distinct_items y
		WHERE y.subject_kind = $1 AND y.item_key = $4 AND y.entry_a = catalog_distinct_items.entry_a
		AND y.entry_b = catalog_distinct_items.entry_b)`, r.kind, r.key, r.entry, r.want); err != nil {
		return fmt.Errorf("rekey separations of catalog entry %d: %w", r.entry, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_distinct_items WHERE subject_kind = $1 AND item_key = $2
		AND (entry_a = $3 OR entry_b = $3)`, r.kind, r.key, r.entry); err != nil {
		return fmt.Errorf("rekey separations of catalog entry %d: %w", r.entry, err)
	}
	return nil
}

// reviewerDecided reports whether source conflict id is decided by a
// reviewer (for an entry, or distinct), not undecided nor decided by the
// system for a recorded one source (systemDecider).
func reviewerDecided(ctx context.Context, tx *sqldb.Tx, id int64) (bool, error) {
	var authority sql.NullInt64
	var distinct bool
	var by string
	if err := tx.QueryRowContext(ctx, `SELECT authoritative_entry_id, is_distinct, decided_by FROM catalog_source_conflicts
		WHERE id = $1`, id).Scan(&authority, &distinct, &by); err != nil {
		return false, fmt.Errorf("source conflict %d: %w", id, err)
	}
	return (authority.Valid || distinct) && by != systemDecider, nil
}

// logSharedItems logs the published entries of more than one department
// that share one of keys, which RekeyItems has just given to some of them,
// and the one sources clashes left under their old keys.
func logSharedItems(ctx context.Context, tx *sqldb.Tx, keys []kindKey, clashes []sourceClash, log *slog.Logger) error {
	for _, k := range keys {
		rows, err := tx.QueryContext(ctx, `SELECT e.department_id, e.code FROM catalog_item_keys k JOIN catalog_entries e ON e.id = k.entry_id
			WHERE k.subject_kind = $1 AND k.item_key = $2 AND e.status = 'published' ORDER BY e.department_id, e.code`, k.kind, k.key)
		if err != nil {
			return fmt.Errorf("entries sharing an item key: %w", err)
		}
		var codes []string
		depts := map[int64]bool{}
		for rows.Next() {
			var d int64
			var code string
			if err := rows.Scan(&d, &code); err != nil {
				rows.Close()
				return err
			}
			depts[d], codes = true, append(codes, code)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(depts) > 1 {
			log.Warn("published catalog entries of several departments now share an item key (item names that look alike): they stay as they are, "+
				"but the next submission of one raises a source conflict for the reviewer to name the one source",
				"subject_kind", k.kind, "item_key", k.key, "codes", codes)
		}
	}
	for _, c := range clashes {
		var code, other string
		if err := tx.QueryRowContext(ctx, `SELECT code FROM catalog_entries WHERE id = $1`, c.entry).Scan(&code); err != nil {
			return fmt.Errorf("entry of a one source: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT code FROM catalog_entries WHERE id = $1`, c.other).Scan(&other); err != nil {
			return fmt.Errorf("entry of a one source: %w", err)
		}
		log.Warn("two catalog entries are recorded as the one source of data items that look alike: the first keeps its old item key "+
			"until it is next published; a review of either names one source of the item",
			"subject_kind", c.kind, "item_key", c.want, "old_item_key", c.key, "code", code, "one_source_code", other)
	}
	return nil
}
