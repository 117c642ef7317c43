package server

import (
	"context"
	"net/http"
)

// PruneUnchangedKeys runs one pass of Maintain's pruning.
func (s *Server) PruneUnchangedKeys(ctx context.Context) { s.pruneUnchangedKeys(ctx) }

// MaintainOnce runs one pass of Maintain.
func (s *Server) MaintainOnce(ctx context.Context, warned map[int]bool) { s.maintainOnce(ctx, warned) }

// Handle adds a route to the server's mux, behind all its middleware.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }
