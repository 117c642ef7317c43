package api

import (
	"context"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// batchListing is a batch as GET /api/v1/records/batches lists it: with
// the name of who pushed it.
type batchListing struct {
	records.BatchInfo
	// ActorName is the app's name (an actor app:<key id>), the account's
	// username (user:<id>), 演示数据 (system:demo) or 命令行导入
	// (system:cli); absent for any other actor.
	ActorName string `json:"actor_name,omitempty"`
}

// nameActors lists bs with their actors' names (org.ActorNames).
func nameActors(ctx context.Context, q sqldb.Querier, bs []records.BatchInfo) ([]batchListing, error) {
	actors := make([]string, len(bs))
	for i, b := range bs {
		actors[i] = b.Actor
	}
	names, err := org.ActorNames(ctx, q, actors)
	if err != nil {
		return nil, err
	}
	out := make([]batchListing, len(bs))
	for i, b := range bs {
		out[i] = batchListing{BatchInfo: b, ActorName: names[b.Actor]}
	}
	return out, nil
}
