package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// RepairReviewKeys writes anew the rows of catalog_review_item_keys of the
// versions under review whose rows are not the item keys (kindKeys) of the
// version as it is now, and brings their source conflicts up to date, and
// returns how many versions it repaired. A publication finds the versions
// under review it concerns by those rows (refreshPending): one without
// them, submitted by a server of the previous release during a rolling
// upgrade after the refresh of migration 0055, or whose keys a change of
// ItemKey split, would show the reviewer no conflict with an entry
// published since until its own approval detects it. The server's hourly
// upkeep runs it. A version whose metadata cannot be decoded is left as
// it is and named in Undecodable, and the others are repaired.
//
// The versions and their rows are compared in one snapshot (a read
// transaction, REPEATABLE READ on PostgreSQL), so that a submission or a
// review committing while they are read is not taken for a mismatch; when
// nothing differs that is all it does, reading the item names of every
// version under review (BenchmarkRepairReviewKeys). The repair takes the
// sources (lockSources) rekeyChunk versions at a time.
func RepairReviewKeys(ctx context.Context, db *sqldb.DB, now time.Time) (ReviewKeysRepair, error) {
	var out ReviewKeysRepair
	var stale []int64
	err := db.Snapshot(ctx, func(q sqldb.Querier) (err error) {
		stale, out.Undecodable, err = staleReviews(ctx, q)
		return err
	})
	if err != nil {
		return out, err
	}
	for chunk := range slices.Chunk(stale, rekeyChunk) {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := lockSources(ctx, tx, now); err != nil {
				return err
			}
			for _, id := range chunk {
				ok, err := reindexReview(ctx, tx, id, now)
				if err != nil {
					return err
				}
				if ok {
					out.Repaired++
				}
			}
			return nil
		})
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// ReviewKeysRepair is what RepairReviewKeys did: how many versions under
// review it repaired, and the versions under review it left as they are
// for their metadata cannot be decoded.
type ReviewKeysRepair struct {
	Repaired    int
	Undecodable []VersionRef
}

// VersionRef names one version of a catalog entry.
type VersionRef struct {
	EntryID int64
	Version int
}

// reindexReview writes anew the rows of catalog_review_item_keys of entry
// id's version under review and detects its conflicts again, and reports
// whether it had one still.
func reindexReview(ctx context.Context, tx *sqldb.Tx, id int64, now time.Time) (bool, error) {
	e, err := load(ctx, tx, id)
	if err != nil {
		return false, err
	}
	v, err := loadVersion(ctx, tx, id, e.WorkingVersion)
	if err != nil || v.State != Submitted {
		return false, err
	}
	if err := indexReview(ctx, tx, id, e.WorkingVersion, v.Resource); err != nil {
		return false, err
	}
	_, err = detectConflicts(ctx, tx, e, v.Resource, now)
	return err == nil, err
}

// reviewItems is what kindKeys reads of a version's metadata.
type reviewItems struct {
	SubjectKind SubjectKind `json:"subject_kind"`
	Items       []struct {
		Name              string `json:"name"`
		IdentifiesSubject bool   `json:"identifies_subject"`
	} `json:"items"`
}

// staleReviews returns, in order, the ids of the entries whose version
// under review has rows of catalog_review_item_keys (of any of the entry's
// versions) other than its item keys, and the versions under review whose
// metadata cannot be decoded, which it skips.
func staleReviews(ctx context.Context, q sqldb.Querier) (stale []int64, undecodable []VersionRef, err error) {
	rows, err := q.QueryContext(ctx, `SELECT k.entry_id, k.version, k.subject_kind, k.item_key FROM catalog_review_item_keys k
		JOIN catalog_entry_versions v ON v.entry_id = k.entry_id WHERE v.state = 'submitted'`)
	if err != nil {
		return nil, nil, fmt.Errorf("review item keys: %w", err)
	}
	type versionKey struct {
		id      int64
		version int
		key     string
	}
	stored := map[versionKey]bool{}
	count := map[int64]int{}
	for rows.Next() {
		var k versionKey
		var kind, key string
		if err := rows.Scan(&k.id, &k.version, &kind, &key); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("review item keys: %w", err)
		}
		k.key = kind + "/" + key
		stored[k] = true
		count[k.id]++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("review item keys: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT entry_id, version, data FROM catalog_entry_versions WHERE state = 'submitted'
		ORDER BY entry_id`)
	if err != nil {
		return nil, nil, fmt.Errorf("submitted catalog versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var version int
		var data []byte
		if err := rows.Scan(&id, &version, &data); err != nil {
			return nil, nil, fmt.Errorf("submitted catalog versions: %w", err)
		}
		var ri reviewItems
		if err := json.Unmarshal(data, &ri); err != nil {
			undecodable = append(undecodable, VersionRef{id, version})
			continue
		}
		r := Resource{SubjectKind: ri.SubjectKind, Items: make([]Item, len(ri.Items))}
		for i, it := range ri.Items {
			r.Items[i] = Item{Name: it.Name, IdentifiesSubject: it.IdentifiesSubject}
		}
		keys := kindKeys(r)
		match := len(keys) == count[id]
		for _, k := range keys {
			match = match && stored[versionKey{id, version, k}]
		}
		if !match {
			stale = append(stale, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("submitted catalog versions: %w", err)
	}
	return stale, undecodable, nil
}
