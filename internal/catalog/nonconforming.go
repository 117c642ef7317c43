package catalog

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Nonconforming is a published entry whose version in force no longer
// passes ValidateEntry: it was published before a rule it breaks was made.
// Its yearly review cannot confirm it unchanged (Submit says which rules it
// breaks); its department edits it.
type Nonconforming struct {
	ID           int64
	Code         string
	Name         string
	DepartmentID int64
	Version      int
	Errors       []*errs.Error
}

// ListNonconforming lists the published entries whose version in force
// ValidateEntry refuses, by resource code.
func ListNonconforming(ctx context.Context, q sqldb.Querier) ([]Nonconforming, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, code, department_id, published_version, data
		FROM catalog_entries WHERE status = 'published' ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list published entries: %w", err)
	}
	defer rows.Close()
	var out []Nonconforming
	for rows.Next() {
		var n Nonconforming
		var data string
		if err := rows.Scan(&n.ID, &n.Code, &n.DepartmentID, &n.Version, &data); err != nil {
			return nil, fmt.Errorf("list published entries: %w", err)
		}
		var r Resource
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			return nil, fmt.Errorf("catalog entry %s: %w", n.Code, err)
		}
		if n.Errors = ValidateEntry(r); len(n.Errors) > 0 {
			n.Name = r.Name
			out = append(out, n)
		}
	}
	return out, rows.Err()
}
