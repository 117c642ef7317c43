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
// writers. It also holds the state of readiness as last logged
// (noteReadiness).
type auditReadiness struct {
	probing sync.Mutex // held while a probe runs

	mu     sync.Mutex // guards what follows
	every  time.Duration
	probed bool      // err and at are a probe's, of this failure
	at     time.Time // when it ended
	err    error
	failed string // the check failing as last logged; "" when ready

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

// noteReadiness logs readiness when it changes: a warning naming the
// check that failed (and its cause) when the server becomes unready or
// another check fails, a line when it is ready again; a probe answering
// as the one before logs nothing, so that a balancer probing every few
// seconds does not flood the log while the server is unready.
func (s *Server) noteReadiness(check string, err error) {
	r := &s.readiness
	r.mu.Lock()
	changed := check != r.failed
	r.failed = check
	r.mu.Unlock()
	switch {
	case !changed:
	case check != "":
		s.cfg.Log.Warn("readiness: not ready", "check", check, "err", err)
	default:
		s.cfg.Log.Info("readiness: ready again")
	}
}
