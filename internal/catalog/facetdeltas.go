package catalog

import (
	"context"
	"fmt"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// DeferFacetCounts has the changes to catalog_facet_counts of the entries
// tx writes from now on added up and written once, before it commits,
// instead of at each entry, on PostgreSQL: there each update of a row of
// the counts adds a version of it that every later update in the
// transaction stepped past, and each entry of a catalog import updates
// about ten of the same rows again (an import of 5,000 entries made 5,000
// versions of each). The trigger catalog_facet_count appends the changes
// to a temporary table of the transaction (migration 0039), whose rows a
// savepoint rolled back to takes back with the entries; the counts' rows
// are locked when they are written, in key order, rather than at each
// entry. SQLite updates its rows in place and counts as before.
func DeferFacetCounts(ctx context.Context, tx *sqldb.Tx) error {
	if tx.Dialect != sqldb.Postgres || tx.Deferred(facetKey{}) != nil {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS catalog_facet_deltas
		(LIKE catalog_facet_counts) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("catalog facets: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `SELECT set_config('hutong.facet_deltas', 'on', true)`); err != nil {
		return fmt.Errorf("catalog facets: %w", err)
	}
	tx.SetDeferred(facetKey{}, facetDeltas{})
	return nil
}

// facetKey keys a transaction's facetDeltas.
type facetKey struct{}

// facetDeltas are the changes to catalog_facet_counts a transaction
// appended to catalog_facet_deltas (DeferFacetCounts).
type facetDeltas struct{}

func (facetDeltas) Flush(ctx context.Context, tx *sqldb.Tx) error {
	for _, q := range []string{`INSERT INTO catalog_facet_counts (status, share_type, facet, value, n)
		SELECT status, share_type, facet, value, SUM(n) FROM pg_temp.catalog_facet_deltas
		GROUP BY status, share_type, facet, value ORDER BY status, share_type, facet, value
		ON CONFLICT (status, share_type, facet, value) DO UPDATE SET n = catalog_facet_counts.n + excluded.n`,
		`DELETE FROM pg_temp.catalog_facet_deltas`,
		`SELECT set_config('hutong.facet_deltas', 'off', true)`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("catalog facets: %w", err)
		}
	}
	return nil
}

// facetsRead has catalog_facet_counts hold the counts of the transaction
// q is, if it deferred them, for a read of them in q.
//
// It flushes every Deferred of the transaction, not the facet deltas only:
// the audit rows it recorded too (audit's pending, a sqldb.Final), which
// then lock the audit log's head from this read until the commit instead
// of for the commit's last moment (7519494), every other audited
// transaction waiting meanwhile. That cannot happen today: it flushes only
// in a transaction that called DeferFacetCounts, which only catalogio's
// import does (importTx: its own transaction, or the caller's joined
// through sqldb.WithTx, which no route importing a catalog takes, POST
// /api/v1/catalog/import being no Idempotent route), and nothing there
// searches the catalog: the import reads entries by code and name in SQL
// of its own, and the only Search of catalogio, an export's (eachEntry),
// asks for neither facets nor total and runs in no import. What would
// break it: a search with Facets or Count in an import's transaction (a
// check of the counts while importing), or an import joined to a
// transaction that searches so afterwards (an Idempotent import route);
// facetsRead must then apply the facet deltas alone (facetDeltas' INSERT
// and DELETE, the deferral left on) rather than call FlushDeferred.
func facetsRead(ctx context.Context, q sqldb.Querier) error {
	if tx, ok := q.(*sqldb.Tx); ok && tx.Deferred(facetKey{}) != nil {
		return tx.FlushDeferred(ctx)
	}
	return nil
}
