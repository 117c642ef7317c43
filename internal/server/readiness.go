package server

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
)

// readyProbeEvery is how long /readyz reuses a probe of an audit log that
// failed, readyProbeTimeout how long a probe may take, and readyProbeWait
// how long /readyz waits for a probe before it answers without its result:
// well below a load balancer's timeout (1 s by default on Kubernetes).
const (
	readyProbeEvery   = time.Second
	readyProbeTimeout = 10 * time.Second
	readyProbeWait    = 500 * time.Millisecond
)

// errProbeRunning is /readyz's answer while a probe of the audit log runs
// past readyProbeWait: waiting for the log's head, which another
// transaction holds (a session's lock, transactions appending their rows
// as they commit one after the other, on SQLite the writer, which a long
// import holds), as the reads refused meanwhile waited.
var errProbeRunning = errors.New("audit: the probe of the log is still waiting for its head")

// auditBusy tells whether err, of auditWritable, says the audit log is
// busy (a probe still waiting, or one that ran out of time) rather than
// that it refused the write.
func auditBusy(err error) bool {
	return errors.Is(err, errProbeRunning) || errors.Is(err, context.DeadlineExceeded)
}

// auditReadiness is what /readyz knows of the audit log. While the log is
// failing (audit.Failing), each probe (audit.CheckWritable) opens a write
// transaction and locks the log's head, queuing behind the writers: at
// most one runs at a time, in the background, and its result answers the
// probes of the next second (every, when not zero, in tests) and those
// that waited for it while it ran, so that a flood of anonymous probes
// does not starve the writers. A call waits for the running probe for
// readyProbeWait at most, then answers errProbeRunning, so that /readyz
// answers in time while the log's head is locked. It also holds the state
// of readiness as last logged (noteReadiness).
type auditReadiness struct {
	mu      sync.Mutex // guards what follows
	every   time.Duration
	running chan struct{} // closed when the running probe ends; nil when none runs
	probed  bool          // err and at are a probe's, of this failure
	at      time.Time     // when it ended
	err     error
	failed  string // the check failing as last logged; "" when ready

	life    context.Context    // the server's: Close cancels it (under mu), and so the running probe; no probe starts after
	end     context.CancelFunc // cancels life
	probing sync.WaitGroup     // the running probe, which Close waits for

	probes atomic.Int64 // probes run, for tests
}

// errClosed is /readyz's answer once the server is closed (Close): its
// probe of the audit log stopped, it starts no other.
var errClosed = errors.New("server: closed")

// Close stops the server's background work, once it serves no more
// requests (after http.Server.Shutdown) and before its database is
// closed: /readyz's probe of the audit log, if one runs, is canceled and
// waited for, and none starts after (a /readyz that would probe answers
// shutting down). A probe outliving the server would use its database for
// up to readyProbeTimeout after serve returned, and one ending after the
// server stopped would leave its result for the next second. Maintain is
// stopped by its context.
func (s *Server) Close() {
	r := &s.readiness
	r.mu.Lock()
	r.end()
	r.mu.Unlock()
	r.probing.Wait()
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
	r.mu.Lock()
	if r.life.Err() != nil {
		r.mu.Unlock()
		return errClosed
	}
	every := r.every
	if every == 0 {
		every = readyProbeEvery
	}
	if r.probed && time.Since(r.at) < every {
		err := r.err
		r.mu.Unlock()
		return err
	}
	// One probe at a time: a call arriving while one runs waits for it and
	// answers its result; the result of an older probe may be of a failure
	// since ended, or of a success before the log failed again.
	done := r.running
	if done == nil {
		done = make(chan struct{})
		r.running = done
		r.probes.Add(1)
		r.probing.Add(1)
		// Not cut short by the client that asked, nor by readyProbeWait:
		// its result answers others. Close cuts it short.
		go s.probeAudit(context.WithoutCancel(ctx), done)
	}
	r.mu.Unlock()
	wait := time.NewTimer(readyProbeWait)
	defer wait.Stop()
	select {
	case <-done:
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.err
	case <-wait.C:
	case <-ctx.Done():
	}
	return errProbeRunning
}

// probeAudit runs one probe of the audit log, keeps its result and closes
// done. Close cancels it: those waiting for it are then answered
// errClosed.
func (s *Server) probeAudit(ctx context.Context, done chan struct{}) {
	r := &s.readiness
	defer r.probing.Done()
	ctx, cancel := context.WithTimeout(ctx, readyProbeTimeout)
	defer cancel()
	defer context.AfterFunc(r.life, cancel)()
	err := audit.CheckWritable(ctx, s.cfg.DB, s.cfg.Now())
	r.mu.Lock()
	if r.life.Err() != nil {
		err = errClosed
	}
	r.probed, r.at, r.err = true, time.Now(), err
	r.running = nil
	r.mu.Unlock()
	close(done)
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
