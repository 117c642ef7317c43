package server

import (
	"context"
	"net/http"
	"time"
)

// PruneUnchangedKeys runs one pass of Maintain's pruning.
func (s *Server) PruneUnchangedKeys(ctx context.Context) { s.pruneUnchangedKeys(ctx) }

// MaintainOnce runs one pass of Maintain.
func (s *Server) MaintainOnce(ctx context.Context, warned map[int]bool) { s.maintainOnce(ctx, warned) }

// Handle adds a route to the server's mux, behind all its middleware.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ReadyProbes is how many probes of the audit log /readyz has run.
func (s *Server) ReadyProbes() int64 { return s.readiness.probes.Load() }

// SetReadyProbeEvery sets how long /readyz reuses a probe's result.
func (s *Server) SetReadyProbeEvery(d time.Duration) {
	s.readiness.mu.Lock()
	defer s.readiness.mu.Unlock()
	s.readiness.every = d
}

// BuildVersion is Version from the given build information.
var BuildVersion = buildVersion
