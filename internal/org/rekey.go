package org

import (
	"context"
	"fmt"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// rekeyChunk is how many departments RekeyDepartments reads at a time.
var rekeyChunk = 1000

// RekeyDepartments rewrites the keys stored with each department
// (name_key, short_name_key) that are not text.NameKey of its name and
// short name, and the search forms (name_search, short_name_search) that
// are not searchForm's, and says how many departments it changed: those
// migration 0045 gave their names as keys, those migration 0056 gave
// search forms without their full-width forms or radicals folded, and
// every department stored before NameKey's folding or searchForm last
// changed. checkNamesFree and DepartmentsNamed compare names by the
// stored keys, and DepartmentFilter.Where looks for a search the keys
// cannot take in the search forms, which SQL cannot compute (NFKC on
// SQLite), so they are rewritten here, by the server at start
// (server.Maintain) and by hutong migrate, beside the catalog's
// (catalog.RekeyNames). The departments are read rekeyChunk at a time by
// id, outside any transaction (db.Read), and only a chunk with stale keys
// takes a write transaction to rewrite them: on SQLite a write
// transaction holds the one writer, which an hourly pass reading and
// folding every department's names took chunk after chunk even when
// nothing was stale. A key is written only where the department still has
// the name and short name it was read with, so that a rename meanwhile,
// which wrote its own keys, keeps them. A second run changes nothing.
func RekeyDepartments(ctx context.Context, db *sqldb.DB) (int, error) {
	changed := 0
	var after int64
	for {
		stale, read, last, err := staleDepartments(ctx, db.Read(), after)
		if err != nil {
			return changed, err
		}
		if len(stale) > 0 {
			n := 0
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				n = 0
				for _, r := range stale {
					res, err := tx.ExecContext(ctx, `UPDATE departments SET name_key = $2, short_name_key = $3,
						name_search = $4, short_name_search = $5 WHERE id = $1 AND name = $6 AND short_name = $7`,
						r.id, r.key, r.skey, r.search, r.ssearch, r.name, r.short)
					if err != nil {
						return fmt.Errorf("rekey department %d: %w", r.id, err)
					}
					k, err := res.RowsAffected()
					if err != nil {
						return fmt.Errorf("rekey department %d: %w", r.id, err)
					}
					n += int(k)
				}
				return nil
			})
			if err != nil {
				return changed, err
			}
			changed += n
		}
		if read < rekeyChunk {
			return changed, nil
		}
		after = last
	}
}

// staleKeys is a department whose stored keys or search forms are not
// key and skey, search and ssearch, of its name and short name.
type staleKeys struct {
	id                                      int64
	name, short, key, skey, search, ssearch string
}

// staleDepartments reads the next rekeyChunk departments after id after
// and answers those of them whose stored keys are stale, how many it read
// and the last one's id.
func staleDepartments(ctx context.Context, q sqldb.Querier, after int64) (stale []staleKeys, read int, last int64, err error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, short_name, name_key, short_name_key, name_search, short_name_search
		FROM departments WHERE id > $1 ORDER BY id LIMIT $2`, after, rekeyChunk)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("rekey department names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r staleKeys
		var key, skey, search, ssearch string
		if err := rows.Scan(&r.id, &r.name, &r.short, &key, &skey, &search, &ssearch); err != nil {
			return nil, 0, 0, fmt.Errorf("rekey department names: %w", err)
		}
		read, last = read+1, r.id
		r.key, r.skey, r.search, r.ssearch = text.NameKey(r.name), text.NameKey(r.short), searchForm(r.name), searchForm(r.short)
		if r.key != key || r.skey != skey || r.search != search || r.ssearch != ssearch {
			stale = append(stale, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, 0, fmt.Errorf("rekey department names: %w", err)
	}
	return stale, read, last, nil
}

// SharedAppKey is an app whose name folds to the key (appKey) another app
// of its department holds, both stored before app names were compared by
// key and both active: RekeyApps keeps both, and this one with the key it
// had (its name, as migration 0053 started it).
type SharedAppKey struct {
	DepartmentID int64
	Department   string
	AppID        int64
	App          string
	// HolderID and Holder: the app that holds the key.
	HolderID int64
	Holder   string
}

// AppRekey is what RekeyApps did: how many apps' keys it rewrote, and
// the active apps it left with their keys for another active app of their
// department holding the key of their names.
type AppRekey struct {
	Changed int
	Shared  []SharedAppKey
}

// RekeyApps rewrites the key stored with each app (name_key) that is not
// appKey of its name: those migration 0053 gave their names as keys,
// those an older release's server stored with the empty key during an
// upgrade, and every app stored before appKey's folding last changed.
// CreateApp compares a new name with the others by the stored keys, which
// SQL cannot compute (NFKC on SQLite), so they are rewritten here, by the
// server's upkeep (server.Maintain) and by hutong migrate, beside
// RekeyDepartments. The apps are read outside any transaction (db.Read; a
// department has a few), and only when some are stale does a write
// transaction rewrite them, in id order, again over those left while a
// pass rewrites any (a key may be free only once a later app has left it
// for its own). An app is not given a key another app of its department
// holds (two apps stored before, whose names only look different:
// ETL推送测试 and ＥＴＬ推送测试): the holder keeps it, which is not
// necessarily the older (migration 0053 started every key as the name, so
// an app whose name was already its key holds it from the start, ahead of
// any rewritten), and the other is left with its name as its key, both
// working as before (a new app named like either is refused, app_exists,
// its name's key being the holder's). Each stale app's key is first set
// back to its name where no other app of its department holds that, as
// migration 0053 set it: an earlier build rekeyed by text.NameKey, which
// drops punctuation, so that an app it could not now rekey (接口（新）, its
// key 接口(新) held) would otherwise keep a key the rule gives another name
// (接口新), refused for ever, or another app's (A1 wanting the a1 of A-1).
// While both are active the pair is reported in AppRekey.Shared, on every
// run (an app is never renamed); revoking either ends the report. A second
// run rewrites nothing.
func RekeyApps(ctx context.Context, db *sqldb.DB) (AppRekey, error) {
	var out AppRekey
	stale, err := staleApps(ctx, db.Read())
	if err != nil || len(stale) == 0 {
		return out, err
	}
	err = db.Tx(ctx, func(tx *sqldb.Tx) error {
		out = AppRekey{}
		reset := map[int64]bool{}
		for _, r := range stale {
			res, err := tx.ExecContext(ctx, `UPDATE apps SET name_key = name WHERE id = $1 AND name_key <> name AND NOT EXISTS
				(SELECT 1 FROM apps o WHERE o.department_id = apps.department_id AND o.name_key = apps.name AND o.id <> $1)`, r.id)
			if err != nil {
				return fmt.Errorf("rekey app %d: %w", r.id, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("rekey app %d: %w", r.id, err)
			}
			reset[r.id] = n > 0
		}
		left := stale
		for {
			var held []staleApp
			for _, r := range left {
				res, err := tx.ExecContext(ctx, `UPDATE apps SET name_key = $2 WHERE id = $1 AND NOT EXISTS
					(SELECT 1 FROM apps o WHERE o.department_id = apps.department_id AND o.name_key = $2 AND o.id <> $1)`, r.id, r.key)
				if err != nil {
					return fmt.Errorf("rekey app %d: %w", r.id, err)
				}
				n, err := res.RowsAffected()
				if err != nil {
					return fmt.Errorf("rekey app %d: %w", r.id, err)
				}
				if n == 0 {
					held = append(held, r)
				}
			}
			out.Changed += len(left) - len(held)
			if len(held) == len(left) {
				break
			}
			left = held
		}
		for _, r := range left {
			if reset[r.id] {
				out.Changed++
			}
			s := SharedAppKey{AppID: r.id, App: r.name}
			var revoked bool
			err := tx.QueryRowContext(ctx, `SELECT o.id, o.name, d.id, d.name, a.revoked_at IS NOT NULL OR o.revoked_at IS NOT NULL
				FROM apps a JOIN apps o ON o.department_id = a.department_id
				JOIN departments d ON d.id = a.department_id WHERE a.id = $1 AND o.name_key = $2 AND o.id <> $1`,
				r.id, r.key).Scan(&s.HolderID, &s.Holder, &s.DepartmentID, &s.Department, &revoked)
			if err != nil {
				return fmt.Errorf("rekey app %d: app holding its key: %w", r.id, err)
			}
			if !revoked {
				out.Shared = append(out.Shared, s)
			}
		}
		return nil
	})
	if err != nil {
		return AppRekey{}, err
	}
	return out, nil
}

// staleApp is an app whose stored key is not key, that of its name.
type staleApp struct {
	id        int64
	name, key string
}

// staleApps reads every app and answers, in id order, those whose stored
// key is not appKey of their name.
func staleApps(ctx context.Context, q sqldb.Querier) ([]staleApp, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, name_key FROM apps ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("rekey app names: %w", err)
	}
	defer rows.Close()
	var stale []staleApp
	for rows.Next() {
		var r staleApp
		var key string
		if err := rows.Scan(&r.id, &r.name, &key); err != nil {
			return nil, fmt.Errorf("rekey app names: %w", err)
		}
		if r.key = appKey(r.name); r.key != key {
			stale = append(stale, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("rekey app names: %w", err)
	}
	return stale, nil
}
