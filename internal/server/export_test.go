package server

import "context"

// PruneUnchangedKeys runs one pass of Maintain's pruning.
func (s *Server) PruneUnchangedKeys(ctx context.Context) { s.pruneUnchangedKeys(ctx) }
