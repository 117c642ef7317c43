package server

import "context"

// PruneUnchangedKeys runs one pass of Maintain's pruning.
func (s *Server) PruneUnchangedKeys(ctx context.Context) { s.pruneUnchangedKeys(ctx) }

// MaintainOnce runs one pass of Maintain.
func (s *Server) MaintainOnce(ctx context.Context, warned map[int]bool) { s.maintainOnce(ctx, warned) }
