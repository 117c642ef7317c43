package server

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
)

// readyProbeEvery is how long /readyz reuses a probe of an audit log that
// failed, and readyProbeTimeout how long a probe may take.
const (
	readyProbeEvery   = time.Second
	readyProbeTimeout = 10 * time.Second
)

// auditReadiness is what /readyz knows of the audit log. While the log is
// failing (audit.Failing), each probe (audit.CheckWritable) opens a write
// transaction and locks the log's head, queuing behind the writers: at
// most one runs at a time, and its result answers the probes of the
// next second (every, when not zero, in tests) and those that waited for
// it while it ran, so that a flood of anonymous probes does not starve the
// writers. The state is logged when it changes, not on every probe.
type auditReadiness struct {
	probing sync.Mutex // held while a probe runs

	mu      sync.Mutex // guards what follows
	every   time.Duration
	probed  bool      // err and at are a probe's, of this failure
	at      time.Time // when it ended
	err     error
	unready bool // the state last logged

	probes atomic.Int64 // probes run, for tests
}

// auditWritable is audit.CheckWritable for /readyz, as auditReadiness
// runs it.
func (s *Server) auditWritable(ctx context.Context) error {
	r := &s.readiness
	if !audit.Failing(s.cfg.DB) {
		r.mu.Lock()
		r.probed = false
		r.mu.Unlock()
		s.noteReadiness(nil)
		return nil
	}
	if err, ok := r.recent(); ok {
		return err
	}
	// One probe at a time: a call arriving while one runs waits for it and
	// answers its result, recent then; the result of an older probe may be
	// of a failure since ended, or of a success before the log failed again.
	r.probing.Lock()
	defer r.probing.Unlock()
	if err, ok := r.recent(); ok { // one ended since
		return err
	}
	r.probes.Add(1)
	// Not cut short by the client that asked: its result answers others.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readyProbeTimeout)
	defer cancel()
	err := audit.CheckWritable(pctx, s.cfg.DB, s.cfg.Now())
	r.mu.Lock()
	r.probed, r.at, r.err = true, time.Now(), err
	r.mu.Unlock()
	s.noteReadiness(err)
	return err
}

// recent returns the last probe's result when it ended less than the
// interval ago.
func (r *auditReadiness) recent() (error, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	every := r.every
	if every == 0 {
		every = readyProbeEvery
	}
	if r.probed && time.Since(r.at) < every {
		return r.err, true
	}
	return nil, false
}

// noteReadiness logs readiness as the audit log gives it when it changes:
// a warning when the server becomes unready, a line when it is ready again.
func (s *Server) noteReadiness(err error) {
	r := &s.readiness
	r.mu.Lock()
	changed := (err != nil) != r.unready
	r.unready = err != nil
	r.mu.Unlock()
	switch {
	case !changed:
	case err != nil:
		s.cfg.Log.Warn("readiness: not ready, audit log not writable", "err", err)
	default:
		s.cfg.Log.Info("readiness: ready again, audit log writable")
	}
}
