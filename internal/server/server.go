// Package server wires Hutong's HTTP handler: the JSON API, the web
// console, health and metrics endpoints, and the middleware every request
// passes (request IDs, logging, metrics, panic recovery, cross-origin
// protection, authentication). The API and the console bound their own
// routes' request bodies (api.Route.BodyLimit, web.MaxFormBody and
// web.MaxUploadBody). Maintain runs the server's periodic upkeep.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/plainpage"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/reqlog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/web"
)

// Config is what New needs.
type Config struct {
	DB       *sqldb.DB
	Log      *slog.Logger
	Now      func() time.Time // defaults to Clock
	Calendar *calendar.Calendar
	// SecureCookies marks session cookies Secure; set it when served over HTTPS.
	SecureCookies bool
	// Dev reloads templates from disk on every request.
	Dev bool
	// UnchangedKeyRetention is how long the keys of record changes
	// acknowledged as unchanged are kept before Maintain deletes them; 0
	// keeps them forever.
	UnchangedKeyRetention time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (ParseTrustedProxies): the address the audit log and the
	// request log record. Empty, every request is the connection's.
	TrustedProxies []netip.Prefix
}

// Server is the whole HTTP application.
type Server struct {
	cfg     Config
	API     *api.API
	Web     *web.Web
	handler http.Handler
	mux     *http.ServeMux

	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec

	// dueRecomputed is set once Maintain's first pass has recomputed the
	// deadlines of the discrepancies not closed by Config.Calendar.
	dueRecomputed bool
	// namesRekeyed is set once Maintain has rewritten the name keys of
	// the catalog entries stored before NameKey folded names
	// (catalog.RekeyNames), and their item keys stored before ItemKey did
	// (catalog.RekeyItems).
	namesRekeyed bool
	// appsSharedLogged is set once Maintain has logged the apps whose
	// names fold to another app's key (org.RekeyApps), which stay so.
	appsSharedLogged bool

	// readiness is /readyz's probe of an audit log that failed.
	readiness auditReadiness
}

// Clock is the server's default clock: the current time in UTC,
// truncated to the microsecond. PostgreSQL stores a timestamp to the
// microsecond and SQLite the whole value, so with time.Now a write
// answered created_at …03.287789817Z (and so did its idempotent replay)
// where a later GET read …03.287789Z from PostgreSQL; a time already
// truncated is the one both engines store and read back.
//
// Its readings carry no monotonic reading: Truncate strips it, and so do
// UTC and In, so no time in UTC carries one. What is measured in memory
// across a step of the wall clock takes time.Now (the throttle of failed
// authentication: auth.Authenticator.Monotonic, set by New).
func Clock() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// New builds the handler.
func New(cfg Config) (*Server, error) {
	// On the real clock the throttle of failed authentication measures
	// its windows by time.Now's monotonic reading, which Clock drops
	// (auth.Authenticator.Monotonic); on a clock of the tests, by it.
	var monotonic func() time.Time
	if cfg.Now == nil {
		cfg.Now, monotonic = Clock, time.Now
	}
	if cfg.Calendar == nil {
		cfg.Calendar = calendar.Default()
	}
	authn := &auth.Authenticator{DB: cfg.DB, Log: cfg.Log, Now: cfg.Now, Monotonic: monotonic, Secure: cfg.SecureCookies}
	s := &Server{cfg: cfg}
	s.readiness.life, s.readiness.end = context.WithCancel(context.Background())
	s.API = &api.API{DB: cfg.DB, Log: cfg.Log, Now: cfg.Now, Auth: authn, Calendar: cfg.Calendar}
	w, err := web.New(web.Config{DB: cfg.DB, Log: cfg.Log, Now: cfg.Now, Auth: authn, Calendar: cfg.Calendar, Dev: cfg.Dev})
	if err != nil {
		return nil, err
	}
	s.Web = w

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hutong_http_requests_total",
		Help: "HTTP requests by route and status; aborted: an answer cut after it began."}, []string{"route", "code"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hutong_http_request_duration_seconds",
		Help: "HTTP request latency by route.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}, []string{"route"})
	reg.MustRegister(s.requests, s.duration)
	for name, pool := range cfg.DB.Pools() {
		reg.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}

	mux := http.NewServeMux()
	s.mux = mux
	s.API.Register(mux)
	s.Web.Register(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, healthBody())
	})
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))

	// The mux records the matched pattern on the request it is given; copy
	// it out for the metrics, which see an earlier request value, even
	// when the handler panics. An API path that is not clean is answered
	// before the mux would redirect it (api.CleanPaths).
	routed := api.CleanPaths(mux)
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p, ok := r.Context().Value(patternKey{}).(*string); ok {
				*p = r.Pattern
			}
		}()
		routed.ServeHTTP(w, r)
	})
	h = authn.Middleware(s.fail)(h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginRefused))
	h = cop.Handler(h)
	h = s.observe(h)
	if trusted := cfg.TrustedProxies; len(trusted) > 0 {
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inner.ServeHTTP(w, forwardedClient(r, trusted))
		})
	}
	s.handler = h
	return s, nil
}

// maintainEvery is how often Maintain does its upkeep: the keys of
// unchanged record changes wait at most this long past their retention.
const maintainEvery = time.Hour

// Maintain runs the server's periodic upkeep until ctx is done, at once
// and then every maintainEvery:
//   - it deletes the keys of record changes acknowledged as unchanged kept
//     longer than Config.UnchangedKeyRetention (records.PruneUnchangedKeys),
//     which would otherwise grow with every unchanged resend, only
//     records.PruneMargin after, so that a clock ahead deletes no key
//     still within it; every server over a database may do so: they
//     coordinate through the database;
//   - it deletes the sessions expired (org.PruneSessions), so that a staff
//     member who closes the browser leaves no row for every login, and the
//     counts of failed logins whose window and lock are over
//     (org.PruneLoginFailures), which every username tried, an account's
//     or not, would otherwise leave; both only org.PruneMargin after, so
//     that a clock ahead deletes nothing still in force; PruneSessions also
//     forgets the password hashes own changes replaced once past
//     org.RepeatWindow;
//   - it stores the completeness of the record entries published in
//     another version since their last batch (records.StoreCompleteness;
//     after migration 0023, every entry with records), which the quality
//     reads would otherwise count again every time until their next batch;
//   - on its first pass, it recomputes the feedback deadlines of the
//     discrepancies not closed by the calendar the server runs with
//     (records.RecomputeDueDates): one stored by a calendar that did not
//     know a year's holidays yet, before --calendar added them, would
//     otherwise stay on a day off; only where the calendar has the
//     arrangements of the years from the finding to the deadline, so that
//     a server without the --calendar file (or an older one) does not move
//     deadlines back onto holidays; it retries on the next pass after an
//     error;
//   - it rewrites the name keys and search forms of the departments
//     stored before migrations 0045 and 0056 or text.NameKey's folding or
//     the forms' last changed, or written by a server of the previous
//     release during a rolling upgrade, which stores a department it
//     creates with empty keys and forms and keeps those of one it renames
//     (org.RekeyDepartments), so that a new name looking like an old
//     department's is refused and a department typed so or searched for
//     is found; on every pass, so that an old server's rename is
//     compared by its new name within maintainEvery; a pass that changes
//     nothing reads every department's names once (tens of ms for 10,000:
//     BenchmarkRekeyDepartments);
//   - it rewrites the name keys of the apps stored before migration 0053
//     or their key's folding (appKey) last changed, or with the empty key by a
//     server of the previous release during a rolling upgrade
//     (org.RekeyApps), so that a new app named as an old one looks is
//     refused; on every pass, as the departments'; it warns of the apps
//     of one department whose names only look different, both kept, on
//     the first pass that finds them;
//   - on its first pass, it rewrites the name keys of the catalog entries
//     stored before catalog.NameKey folded
//     names as text that looks alike (catalog.RekeyNames), so that a new
//     entry named as an old one looks is refused as a duplicate, and the
//     item keys stored before catalog.ItemKey folded so
//     (catalog.RekeyItems), so that another
//     department's item named as an old one looks is a second source of
//     the same data item, and then those the records' cross-check stored
//     (records.RekeyItems), so that its discrepancies keep their item and
//     source; it retries on the next pass after an error;
//   - it writes anew the item keys of the catalog versions under review
//     whose rows of catalog_review_item_keys are missing or are not the
//     keys of the version now, submitted by a server of the previous
//     release during a rolling upgrade or split by a change of
//     catalog.ItemKey, and detects their source conflicts again
//     (catalog.RepairReviewKeys), so that a conflict with an entry
//     published since shows within maintainEvery rather than at the
//     version's approval; on every pass: one that repairs nothing reads
//     the item names of every version under review once, in one snapshot
//     (BenchmarkRepairReviewKeys); it warns of the versions whose
//     metadata cannot be decoded, which it skips;
//   - it warns once when the calendar does not know the holidays of the
//     current year or, in December, of the coming one, so that deadlines
//     skip weekends and calendar.StatutoryHolidays only
//     (calendar.Calendar.Gaps).
func (s *Server) Maintain(ctx context.Context) {
	t := time.NewTicker(maintainEvery)
	defer t.Stop()
	warned := map[int]bool{}
	for {
		s.maintainOnce(ctx, warned)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// maintainOnce is one pass of Maintain; warned holds the years it warned
// of in earlier passes.
func (s *Server) maintainOnce(ctx context.Context, warned map[int]bool) {
	if s.cfg.UnchangedKeyRetention > 0 {
		s.pruneUnchangedKeys(ctx)
	}
	s.pruneLogins(ctx)
	s.storeCompleteness(ctx)
	s.rekeyDepartments(ctx)
	s.rekeyApps(ctx)
	s.repairReviewKeys(ctx)
	if !s.dueRecomputed {
		s.dueRecomputed = s.recomputeDueDates(ctx)
	}
	if !s.namesRekeyed {
		s.namesRekeyed = s.rekeyNames(ctx)
	}
	for _, y := range s.cfg.Calendar.Gaps(s.cfg.Now()) {
		if !warned[y] {
			warned[y] = true
			s.cfg.Log.Warn("the calendar has no holiday arrangements for a year, or only some: its deadlines skip only weekends, the holidays arranged, "+
				"and the holidays the law fixes in the solar calendar (元旦, 劳动节, 国庆节) with their 补假 (one falling on a Saturday or Sunday "+
				"given back on the weekdays after it) where not arranged; not the other days off of the holidays missing nor their adjusted working days; "+
				"load the State Council's arrangements with --calendar (hutong help calendar)", "year", y,
				"missing", strings.Join(s.cfg.Calendar.Missing(y), "、"))
		}
	}
}

// storeCompleteness stores the completeness of the record entries
// published in another version since their last batch, and logs how many.
func (s *Server) storeCompleteness(ctx context.Context) {
	n, err := records.StoreCompleteness(ctx, s.cfg.DB)
	if err != nil && ctx.Err() == nil {
		s.cfg.Log.Warn("store completeness of record entries", "stored", n, "err", err)
		return
	}
	if n > 0 {
		s.cfg.Log.Info("stored completeness of record entries published in another version since their last batch", "entries", n)
	}
}

// recomputeDueDates recomputes the feedback deadlines of the discrepancies
// not closed by the server's calendar, where it has the arrangements of
// their years, logs how many changed and how many it left for want of
// them, and reports whether it succeeded.
func (s *Server) recomputeDueDates(ctx context.Context) bool {
	n, err := records.RecomputeDueDates(ctx, s.cfg.DB, s.cfg.Calendar)
	if s.stepFailed(ctx, err, "recompute the feedback deadlines of discrepancies by the calendar", "recomputed", n.Changed) {
		return false
	}
	if n.Changed > 0 {
		s.cfg.Log.Info("recomputed the feedback deadlines of discrepancies not closed by the calendar the server runs with", "discrepancies", n.Changed)
	}
	if n.Uncovered > 0 {
		s.cfg.Log.Info("left the feedback deadlines of discrepancies whose years the calendar has no holiday arrangements for as stored; "+
			"load them with --calendar (hutong help calendar)", "discrepancies", n.Uncovered)
	}
	return true
}

// rekeyDepartments rewrites the name keys and search forms of the
// departments that are not those of their names (org.RekeyDepartments)
// and logs how many departments changed;
// the next pass retries after an error.
func (s *Server) rekeyDepartments(ctx context.Context) {
	n, err := org.RekeyDepartments(ctx, s.cfg.DB)
	if err != nil && ctx.Err() == nil {
		s.cfg.Log.Warn("rewrite the name keys and search forms of departments", "rekeyed", n, "err", err)
		return
	}
	if n > 0 {
		s.cfg.Log.Info("rewrote the name keys and search forms of departments stored without those of their names "+
			"(by an older release, or before names were compared as they look now)", "departments", n)
	}
}

// repairReviewKeys writes anew the item keys of the catalog versions
// under review that lack theirs, detects their source conflicts again
// (catalog.RepairReviewKeys), and logs how many, and warns of the versions
// under review it skipped for their metadata cannot be decoded.
func (s *Server) repairReviewKeys(ctx context.Context) {
	r, err := catalog.RepairReviewKeys(ctx, s.cfg.DB, s.cfg.Now())
	if len(r.Undecodable) > 0 {
		names := make([]string, len(r.Undecodable))
		for i, v := range r.Undecodable {
			names[i] = fmt.Sprintf("entry %d version %d", v.EntryID, v.Version)
		}
		s.cfg.Log.Warn("skipped catalog versions under review whose stored metadata cannot be decoded: their item keys are not repaired, "+
			"and their own pages and review fail too; the other versions were checked", "versions", strings.Join(names, ", "))
	}
	if err != nil && ctx.Err() == nil {
		s.cfg.Log.Warn("repair the item keys of catalog versions under review", "repaired", r.Repaired, "err", err)
		return
	}
	if r.Repaired > 0 {
		s.cfg.Log.Info("wrote the item keys of catalog versions under review stored without them "+
			"(by an older release, or before item names were compared as they look now) and detected their source conflicts again", "versions", r.Repaired)
	}
}

// rekeyApps rewrites the name keys of the apps that are not those of
// their names (org.RekeyApps) and logs how many changed, and, once, the
// apps of one department whose names only look different, which it left
// as they are; the next pass retries after an error.
func (s *Server) rekeyApps(ctx context.Context) {
	r, err := org.RekeyApps(ctx, s.cfg.DB)
	if err != nil && ctx.Err() == nil {
		s.cfg.Log.Warn("rewrite the name keys of apps", "err", err)
		return
	}
	if r.Changed > 0 {
		s.cfg.Log.Info("rewrote the name keys of apps stored without those of their names "+
			"(by an older release, or before names were compared as they look now)", "apps", r.Changed)
	}
	if len(r.Shared) > 0 && !s.appsSharedLogged {
		s.appsSharedLogged = true
		for _, a := range r.Shared {
			s.cfg.Log.Warn("two active apps of one department have names that only look different (full width, case, spaces "+
				"or another writing of a character), both stored before app names were compared so: both are kept and work as before; "+
				"a new app named like either is refused; revoking either ends this warning", "department_id", a.DepartmentID, "department", a.Department,
				"app_id", a.AppID, "app", a.App, "holder_id", a.HolderID, "holder", a.Holder)
		}
	}
}

// rekeyNames rewrites the name keys and search tokens of the catalog
// entries stored before they were made of text folded as it looks
// (catalog.RekeyNames), then their item keys (catalog.RekeyItems) and
// those of the records' cross-check (records.RekeyItems), logs how many
// changed, and reports whether it succeeded.
func (s *Server) rekeyNames(ctx context.Context) bool {
	n, err := catalog.RekeyNames(ctx, s.cfg.DB, s.cfg.Log)
	if s.stepFailed(ctx, err, "rewrite the name keys and search tokens of catalog entries", "rekeyed", n) {
		return false
	}
	if n > 0 {
		s.cfg.Log.Info("rewrote the name keys or search tokens of catalog entries stored before names were compared as they look", "entries", n)
	}
	n, err = catalog.RekeyItems(ctx, s.cfg.DB, s.cfg.Log)
	if s.stepFailed(ctx, err, "rewrite the item keys of catalog entries", "rekeyed", n) {
		return false
	}
	if n > 0 {
		s.cfg.Log.Info("rewrote the item keys of catalog entries stored before item names were compared as they look", "entries", n)
	}
	r, err := records.RekeyItems(ctx, s.cfg.DB, rekeyActor, s.cfg.Now(), s.cfg.Log)
	if s.stepFailed(ctx, err, "rewrite the item keys of the records' cross-check", "entries", r.Entries, "discrepancies", r.Discrepancies) {
		return false
	}
	if r.Changed() {
		s.cfg.Log.Info("rewrote the item keys of the records' cross-check stored before item names were compared as they look",
			"entries", r.Entries, "discrepancies", r.Discrepancies, "merged", r.Merged)
	}
	return true
}

// stepFailed reports whether err failed a step of Maintain that runs until
// it has succeeded once (recomputeDueDates, rekeyNames), and if so logs
// msg at Warn with args and the error, unless ctx is done (the server
// stops): the caller reports false, and the next pass runs the step again.
func (s *Server) stepFailed(ctx context.Context, err error, msg string, args ...any) bool {
	if err == nil {
		return false
	}
	if ctx.Err() == nil {
		s.cfg.Log.Warn(msg, append(args, "err", err)...)
	}
	return true
}

// rekeyActor is who closes, in the audit log, a discrepancy that
// records.RekeyItems merges into an older one of the same fact.
var rekeyActor = audit.Actor{Kind: audit.ActorSystem, ID: "maintain", Name: audit.SystemActorName("maintain")}

// pruneUnchangedKeys deletes the keys of unchanged record changes kept
// longer than the retention and records.PruneMargin, and logs how many.
func (s *Server) pruneUnchangedKeys(ctx context.Context) {
	cutoff := s.cfg.Now().Add(-s.cfg.UnchangedKeyRetention - records.PruneMargin).UTC()
	n, err := records.PruneUnchangedKeys(ctx, s.cfg.DB, cutoff)
	if err != nil && ctx.Err() == nil {
		s.cfg.Log.Warn("prune keys of unchanged record changes", "deleted", n, "kept_before", cutoff, "err", err)
		return
	}
	if n > 0 {
		s.cfg.Log.Info("pruned keys of unchanged record changes", "deleted", n, "kept_before", cutoff)
	}
}

// pruneLogins deletes the sessions expired and the counts of failed
// logins that no longer count, and logs how many.
func (s *Server) pruneLogins(ctx context.Context) {
	now := s.cfg.Now()
	for _, p := range []struct {
		what  string
		prune func(context.Context, *sqldb.DB, time.Time) (int64, error)
	}{{"expired sessions", org.PruneSessions}, {"counts of failed logins whose window is over", org.PruneLoginFailures}} {
		n, err := p.prune(ctx, s.cfg.DB, now)
		switch {
		case err != nil:
			if ctx.Err() == nil {
				s.cfg.Log.Warn("delete "+p.what, "deleted", n, "err", err)
			}
		case n > 0:
			s.cfg.Log.Info("deleted "+p.what, "deleted", n)
		}
	}
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// ready answers /readyz: 200 "ready", or 503 saying which check failed,
// logged when readiness changes (noteReadiness), not on every probe.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	check, answer, err := s.readyCheck(ctx)
	// A probe whose client left failed for it, not for the server.
	if r.Context().Err() == nil {
		s.noteReadiness(check, err)
	}
	if check != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	fmt.Fprintln(w, answer)
}

// The checks /readyz runs, as its log names the one that failed.
const (
	checkPing   = "database ping"
	checkSchema = "schema"
	checkAudit  = "audit writable"
	// checkClosed: the server is closed (Close), its probes stopped.
	checkClosed = "closed"
	// checkAuditBusy: the probe of the audit log is waiting for its head.
	checkAuditBusy = "audit busy"
	// checkWrites: a write's BEGIN went unanswered lately (sqldb.DB.Unanswered).
	checkWrites = "database writes"
)

// readyUnansweredFor is how long after a write's BEGIN went unanswered
// (sqldb.DB.Unanswered) /readyz reports it, unless a BEGIN is answered in
// time before: a server taken out of the balancer for it gets no writes
// that would show the database answering again, and is tried again then.
const readyUnansweredFor = sqldb.WaitTimeout

// readyCheck runs /readyz's checks in turn and returns the first that
// failed (none when ready), the answer's text and the cause.
func (s *Server) readyCheck(ctx context.Context) (check, answer string, err error) {
	// Through the reader pool: SQLite's writer is one connection, held by
	// any write transaction (a batch push of megabytes for seconds), and a
	// server busy writing is reachable.
	if err := s.cfg.DB.Reachable(ctx); err != nil {
		return checkPing, "database unreachable", err
	}
	// Reads go on while writes wait for a database that does not answer
	// them (on SQLite another process holding the write lock, a
	// command-line import, a sqlite3 shell): every write is refused. Not
	// writes waiting for this server's own transactions (a long import
	// holding SQLite's one writer, a pool taken by its batches), which
	// Unanswered leaves out: the server is busy, not unable to write.
	if at := s.cfg.DB.Unanswered(); !at.IsZero() && time.Since(at) < readyUnansweredFor {
		answer := fmt.Sprintf("database writes unanswered: a write waited past its bound %s ago (another process holding SQLite's write lock? a stalled server?); writes are refused", time.Since(at).Round(time.Second))
		return checkWrites, answer, fmt.Errorf("%s: %w", answer, sqldb.ErrWaitTimeout)
	}
	pending, unknown, err := s.cfg.DB.Schema(ctx)
	if err != nil {
		return checkSchema, "database schema unreadable", err
	}
	if len(unknown) > 0 {
		// A newer release migrated the database while this server ran (a
		// rolling upgrade): its writes may leave out what the newer schema
		// expects, so it leaves the balancer until replaced, as every
		// command refuses such a database at start (sqldb.NewerSchemaError).
		answer := fmt.Sprintf("database schema newer than this binary: %d migrations unknown to it (%s), applied by a newer release (upgrade this server)",
			len(unknown), strings.Join(unknown, ", "))
		return checkSchema, answer, errors.New(answer)
	}
	if len(pending) > 0 {
		answer := fmt.Sprintf("database schema not current: %d migrations pending (run hutong migrate)", len(pending))
		return checkSchema, answer, errors.New(answer)
	}
	if err := s.auditWritable(ctx); errors.Is(err, errClosed) {
		return checkClosed, "shutting down", err
	} else if auditBusy(err) {
		// Reads of data wait for the log's head as the probe does, and
		// are refused (503 database_unavailable) past their deadline.
		return checkAuditBusy, "audit log busy: its head is locked by another transaction (a session holding it, or on SQLite a long import holding the writer?); reads of data wait and are refused past their deadline", err
	} else if err != nil {
		// Every read of a subject's data is refused without its audit row
		// (fail closed): the server leaves the balancer until the log can
		// be written again, which auditWritable probes, once a second at
		// most.
		return checkAudit, "audit log not writable: reads of data are refused until it is (is the database full or read-only?)", err
	}
	return "", "ready", nil
}

// isAPI tells whether r is the API's, answered with problem documents,
// rather than the console's, answered with pages.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// fail answers an error the middleware met: a problem document under
// /api/, the console's error page elsewhere.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		s.API.Error(w, r, err)
		return
	}
	s.Web.ErrorPage(w, r, err)
}

// crossOriginRefused answers an unsafe request a browser sent from another
// site: a problem document under /api/, a page in the console.
func (s *Server) crossOriginRefused(w http.ResponseWriter, r *http.Request) {
	const msg = "跨站请求被拒绝：浏览器表明该请求由其他网站发起。请在本平台的页面中操作"
	if isAPI(r) {
		s.API.Error(w, r, errs.E(errs.Forbidden, "cross_origin_refused", msg+"；系统调用请使用 API 密钥。"))
		return
	}
	plainpage.Write(w, plainpage.Page{Title: "请求被拒绝", Text: []string{msg + "。"}, Status: http.StatusForbidden,
		Code: "cross_origin_refused", Links: []plainpage.Link{{Href: "/", Text: "返回首页"}}}, r.Method == http.MethodHead)
}

type patternKey struct{}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// probeRoutes are the routes a load balancer or an orchestrator probes,
// whose 503 the request log writes as a warning rather than an error.
var probeRoutes = map[string]bool{"GET /healthz": true, "GET /readyz": true}

// observe gives every request an ID (the client's X-Request-ID when
// clientRequestID keeps it), recovers panics (cutting the connection of an
// answer already begun), logs one line per request and
// records metrics by route pattern. The log names the path without its
// query and with subjects' identifiers masked (ident.Mask): who read whose
// data is the audit log's to say.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if !clientRequestID(id) {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-ID", id)
		sw := &statusWriter{ResponseWriter: w}
		route := "unmatched"
		rl := &reqlog.Entry{ID: id}
		r = r.WithContext(reqlog.With(context.WithValue(r.Context(), patternKey{}, &route), rl))
		defer func() {
			p := recover()
			// A handler aborts a request whose client left (reqlog.Abort):
			// it is logged as its entry says, without a stack, and net/http
			// drops the connection, answering nothing (below).
			left := p == http.ErrAbortHandler
			if left {
				p = nil
			}
			// A panic before the answer began is answered with a 500; after,
			// the connection is cut (below), so that the client sees the
			// answer fail rather than take its first part for the whole.
			aborted := p != nil && sw.status != 0
			if p != nil {
				s.cfg.Log.Error("panic", "request_id", id, "path", ident.Mask(r.URL.Path), "panic", p,
					"stack", string(debug.Stack()))
				switch {
				case aborted: // the connection is cut below
				case isAPI(r):
					pb := api.ProblemFor(fmt.Errorf("panic: %v", p))
					pb.RequestID = id
					api.WriteProblem(sw, pb)
				default:
					s.Web.InternalErrorPage(sw, r)
				}
			}
			// The handlers' record (reqlog) gives the error of a failed
			// request, logged here once beside its ID, and the outcome when
			// it is not the status sent (a stream that failed after its
			// 200, a client that left). An aborted answer failed whatever
			// status it began with: it is counted as "aborted" and logged
			// as an error, the status sent kept beside aborted=true.
			// rl.Line is given the status written, 0 when nothing was, so
			// that a client that left before anything was written is not
			// said to have been sent a 200 (status_sent). A handler that
			// wrote nothing, and recorded no outcome, is answered 200 by
			// net/http once it returns; one that aborted (left) nothing:
			// StatusClientClosed.
			d := time.Since(start)
			status, level, more := rl.Line(sw.status)
			switch {
			case status == 0 && left:
				status = reqlog.StatusClientClosed
			case status == 0:
				status = http.StatusOK
			}
			code := fmt.Sprint(status)
			attrs := append([]slog.Attr{slog.String("request_id", id),
				slog.String("method", r.Method), slog.String("path", ident.Mask(r.URL.Path)), slog.Int("status", status),
				slog.Int64("bytes", sw.bytes), slog.Duration("duration", d), slog.String("remote", auth.RemoteAddr(r))}, more...)
			if aborted {
				code, level = "aborted", slog.LevelError
				attrs = append(attrs, slog.Bool("aborted", true))
			}
			// A probe answered 503 is the state /readyz logs when it
			// changes (noteReadiness), not an error to page for on every
			// probe of the balancer.
			if level == slog.LevelError && !aborted && probeRoutes[route] {
				level = slog.LevelWarn
			}
			s.requests.WithLabelValues(route, code).Inc()
			s.duration.WithLabelValues(route).Observe(d.Seconds())
			s.cfg.Log.LogAttrs(r.Context(), level, "request", attrs...)
			if aborted || left {
				panic(http.ErrAbortHandler)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}
