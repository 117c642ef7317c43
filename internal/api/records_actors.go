package api

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// batchListing is a batch as GET /api/v1/records/batches lists it: with
// the name of who pushed it.
type batchListing struct {
	records.BatchInfo
	// ActorName is the app's name (an actor app:<key id>) or the account's
	// username (user:<id>); absent for any other actor.
	ActorName string `json:"actor_name,omitempty"`
}

// nameActors lists bs with their actors' names, read with one query for
// the apps' keys and one for the accounts, whatever the number of batches.
func nameActors(ctx context.Context, q sqldb.Querier, bs []records.BatchInfo) ([]batchListing, error) {
	var keys, users []any
	for _, b := range bs {
		kind, id, _ := strings.Cut(b.Actor, ":")
		switch kind {
		case audit.ActorApp:
			if !slices.Contains(keys, any(id)) {
				keys = append(keys, id)
			}
		case audit.ActorUser:
			if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 && !slices.Contains(users, any(n)) {
				users = append(users, n)
			}
		}
	}
	names := map[string]string{}
	for _, by := range []struct {
		kind, query string
		ids         []any
	}{
		{audit.ActorApp, `SELECT k.key_id, a.name FROM app_keys k JOIN apps a ON a.id = k.app_id WHERE k.key_id IN `, keys},
		{audit.ActorUser, `SELECT CAST(id AS TEXT), username FROM users WHERE id IN `, users},
	} {
		if len(by.ids) == 0 {
			continue
		}
		marks := make([]string, len(by.ids))
		for i := range marks {
			marks[i] = "$" + strconv.Itoa(i+1)
		}
		rows, err := q.QueryContext(ctx, by.query+"("+strings.Join(marks, ",")+")", by.ids...)
		if err != nil {
			return nil, fmt.Errorf("name batch actors: %w", err)
		}
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, fmt.Errorf("name batch actors: %w", err)
			}
			names[by.kind+":"+id] = name
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("name batch actors: %w", err)
		}
	}
	out := make([]batchListing, len(bs))
	for i, b := range bs {
		out[i] = batchListing{BatchInfo: b, ActorName: names[b.Actor]}
	}
	return out, nil
}
