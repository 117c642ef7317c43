package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// KeyTTL is how long the response to an Idempotency-Key is replayed.
// After it the key is free again, and its row is deleted (sweepKeys).
const KeyTTL = 24 * time.Hour

// keySweepEvery is how often a server deletes expired keys.
const keySweepEvery = 10 * time.Minute

// stored is a response kept for an Idempotency-Key.
type stored struct {
	hash    string
	status  int
	body    string
	created time.Time
}

func (s *stored) expired(now time.Time) bool { return s.created.Before(now.Add(-KeyTTL)) }

// idempotencyKey is r's Idempotency-Key header, "" when none; one longer
// than 128 characters or holding control characters, noncharacters
// (text.Key) or bytes that are not UTF-8 is refused naming the header
// (invalid_idempotency_key).
func idempotencyKey(r *http.Request) (string, error) {
	key := r.Header.Get("Idempotency-Key")
	if key != "" && !text.Key(key, 128) {
		return "", errs.Field("Idempotency-Key", "invalid_idempotency_key", "Idempotency-Key 不能超过128个字符，不能含有控制字符、非字符（如 U+FFFF）或无效的字符编码")
	}
	return key, nil
}

// idempotent runs h at most once per (caller, Idempotency-Key), the
// caller being a user or an app, whichever of its API keys it calls with
// (keyOwner), as a keyed write (writeKeyed): the handler runs in the
// transaction that claims the key and stores it with the response (the
// handler's DB.Tx joins it), so a crash can never leave an action done
// without its key, or a key without its action. A secret in
// the response (a new API key) is never stored: the handler gives the body
// to replay without it (secretJSON), and a secret in the request (a new
// account's password, Route.SecretBody) is kept only in a slow, salted
// hash (requestHash). An error, the handler's or
// the key's, is returned unanswered, as a handler's is. Once the body is
// read whole, the request no longer depends on its client's connection.
func (a *API) idempotent(w http.ResponseWriter, r *http.Request, rt Route) error {
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	// The body is read whole before the transaction starts (a slow client
	// must not hold the writer), never beyond the route's limit: adapt
	// bounds r.Body and refused a longer declared length.
	// Memory grows with what arrives, not with what is announced.
	var body bytes.Buffer
	if r.ContentLength > 0 {
		body.Grow(int(min(r.ContentLength, 64<<10)) + bytes.MinRead)
	}
	if _, err := body.ReadFrom(r.Body); err != nil {
		return err
	}
	request := requestHead(r) + impliedDepartment(r, rt, body.Bytes()) + body.String()
	raw := body.Bytes()
	r.Body = io.NopCloser(bytes.NewReader(raw))
	ctx := r.Context()
	// The request's hash is made before the transaction, so that a slow
	// one (requestHash) does not hold the writer; a replay compares with
	// the kept hash instead (sameRequest).
	req := keyedRequest{
		hash: func() (string, error) { return requestHash(ctx, request, rt.SecretBody) },
		same: func(hash string) (bool, error) { return sameRequest(ctx, hash, request, rt.SecretBody) },
	}
	if rt.Recheck != nil {
		req.check = func(later *[]audit.Event) error {
			rc := r.Clone(context.WithValue(ctx, laterKey{}, later))
			rc.Body = io.NopCloser(bytes.NewReader(raw))
			return rt.Recheck(rc)
		}
	}
	return a.writeKeyed(ctx, w, key, req, func(kw *keyedWrite, c *capture) error {
		return a.DB.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := kw.begin(tx); err != nil {
				return err
			}
			if err := rt.Handler(c, r.WithContext(context.WithValue(sqldb.WithTx(ctx, tx), laterKey{}, &kw.later))); err != nil {
				return err
			}
			if c.status >= 300 {
				return errNotStored
			}
			return kw.end(tx, c)
		})
	})
}

// keyedRequest is what a keyed write (writeKeyed) knows of its request
// to tell a retry from another request under its key: hash is the hash
// kept with the answer, same whether the request is the one whose kept
// hash is given; and, to answer a retry only to a caller that may still
// make the request, check, the route's rules of who may make it that
// its Allow and Scope (checked before any replay) do not hold
// (Route.Recheck), nil when they hold them all. check writes nothing and
// takes no writer: it reads on a read connection, and the audit rows of
// its refusal it leaves in later (afterTx).
type keyedRequest struct {
	hash  func() (string, error)
	same  func(hash string) (bool, error)
	check func(later *[]audit.Event) error
}

// writeKeyed answers a request under the Idempotency-Key key, its
// caller's (keyOwner), with write's answer, written once per key: idempotent
// and the catalog file import (importCatalogFile), which hashes what the
// import uses rather than holding the file a second time, whole in a
// string to hash, both write so. A live key answers the request before
// anything is written (replay), to a caller that may still make it
// (recheck). Else write does the request's
// writes in one transaction and its answer in c: at the start of that
// transaction it calls kw.begin, which claims the key, and at its end
// kw.end, which stores the key with the answer, so that both commit with
// the writes or not at all. A retry with the same request gets the stored
// answer; a different request is refused. A request refused, by an error
// of write's or an answer in c of status 300 or more, stores nothing, so
// the client may correct and retry, except one refused or failed once a
// concurrent request under the key committed its answer (on PostgreSQL,
// where both run side by side, its writes may be what ours was refused
// for): that answer is the request's (raced), and the audit rows the
// refusal left for after the transaction (afterTx) are not written, as a
// replayed retry writes none. write's error, errNotStored
// aside (a refusal answered in c), is returned unanswered. An answer no
// key stores may be left out of c, nothing written in it, for the caller
// to write once writeKeyed returns nil (the catalog import's dry run,
// whose report may be megabytes): c is answered only when written to.
// Keys expire after KeyTTL.
func (a *API) writeKeyed(ctx context.Context, w http.ResponseWriter, key string, req keyedRequest,
	write func(kw *keyedWrite, c *capture) error) error {
	kw := &keyedWrite{ctx: ctx, principal: keyOwner(auth.From(ctx)), key: key, now: a.Now()}
	prior, err := kw.live(a.DB.Read())
	if err != nil {
		return err
	}
	if prior != nil {
		return a.replay(w, req, prior)
	}
	if kw.hash, err = req.hash(); err != nil {
		return err
	}
	c := &capture{header: http.Header{}}
	err = write(kw, c)
	refused := err != nil || c.status >= 300
	if refused {
		// Answered as a retry is, the request leaves no row of its own:
		// not the refusal's (afterTx), which its client is not told.
		if first := kw.raced(a.DB); first != nil {
			return a.replay(w, req, first)
		}
	}
	if len(kw.later) > 0 {
		if aerr := a.readAudit().RecordAll(kw.later, kw.now); aerr != nil {
			return aerr
		}
	}
	if err != nil && !errors.Is(err, errNotStored) {
		return err
	}
	if !refused && kw.stored {
		a.sweepKeys(kw.now)
	}
	if c.status != 0 {
		c.flush(w)
	}
	return nil
}

// keyedWrite is a keyed write (writeKeyed) under way: its caller's
// (keyOwner) Idempotency-Key, read at now, the hash of its request, the
// answer its transaction's claim found (first), whether it stored its
// answer, and the audit rows of a refusal its handler leaves for after
// the transaction (afterTx).
type keyedWrite struct {
	ctx            context.Context
	principal, key string
	now            time.Time
	hash           string
	first          *stored
	stored         bool
	later          []audit.Event
}

// find is the answer stored for the key, expired or not; nil when none.
func (kw *keyedWrite) find(q sqldb.Querier) (*stored, error) {
	var s stored
	err := q.QueryRowContext(kw.ctx, `SELECT request_hash, status, body, created_at FROM idempotency_keys
		WHERE principal = $1 AND key = $2`, kw.principal, kw.key).Scan(&s.hash, &s.status, &s.body, &s.created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &s, err
}

// live is the answer stored for the key that has not expired; nil when none.
func (kw *keyedWrite) live(q sqldb.Querier) (*stored, error) {
	s, err := kw.find(q)
	if err != nil || s == nil || s.expired(kw.now) {
		return nil, err
	}
	return s, nil
}

// begin claims the key at the start of tx, the write's transaction: live
// read again there, an expired answer deleted, so that end may take its
// place. A live one, a concurrent request's committed since the key was
// read, rolls the write back (errKeyTaken) and is its answer.
func (kw *keyedWrite) begin(tx *sqldb.Tx) error {
	s, err := kw.find(tx)
	if err != nil || s == nil {
		return err
	}
	if !s.expired(kw.now) {
		kw.first = s
		return errKeyTaken
	}
	_, err = tx.ExecContext(kw.ctx, `DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2`, kw.principal, kw.key)
	return err
}

// end stores c, the write's answer, for the key in tx, the write's
// transaction, at its end.
func (kw *keyedWrite) end(tx *sqldb.Tx, c *capture) error {
	if _, err := tx.ExecContext(kw.ctx, `INSERT INTO idempotency_keys (principal, key, request_hash, status, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, kw.principal, kw.key, kw.hash, c.status, c.kept(), kw.now.UTC()); err != nil {
		return err
	}
	kw.stored = true
	return nil
}

// raced is, once the write failed or was refused (its transaction rolled
// back), the answer a concurrent request with the same key committed
// first: the one begin found, else read afresh, since ours may have
// failed on the key or on what theirs wrote, or been refused for what it
// wrote (an entry of the same name). Their writes and key commit
// together, so once ours has seen the writes a fresh read sees the key.
// Without a live key, nil: a refusal of ours alone stays ours.
func (kw *keyedWrite) raced(db *sqldb.DB) *stored {
	if kw.first != nil {
		return kw.first
	}
	if first, err := kw.live(db.Read()); err == nil {
		return first
	}
	return nil
}

// replay answers the request with the answer s stored for its key, or
// refuses it when the request is not the one s answered, or when its
// caller may no longer make it (recheck).
func (a *API) replay(w http.ResponseWriter, req keyedRequest, s *stored) error {
	same, err := req.same(s.hash)
	if err != nil {
		return err
	}
	if !same {
		return errs.E(errs.Conflict, "idempotency_key_reused", "Idempotency-Key 已用于另一个不同的请求")
	}
	if err := a.recheck(req); err != nil {
		return err
	}
	w.Header().Set("Idempotent-Replayed", "true")
	setJSONHeaders(w.Header(), "application/json; charset=utf-8")
	w.WriteHeader(s.status)
	io.WriteString(w, s.body)
	return nil
}

// recheck runs the request's check of its caller (keyedRequest.check)
// before its stored answer is replayed, so that an answer is not replayed
// to a caller who could no longer get it (a department administrator
// since demoted to reviewer, an app whose scopes were cut, an account
// moved to another department). The check is the fresh request's own
// (the handler calls the same function), run on a read connection: it
// takes no writer and hashes nothing, so a replay waits for no write. A
// refusal (any error of the errs kinds but Internal and Unavailable) is
// the answer, as a fresh request's is: returned to the route, which
// audits it as it audits the handler's refusal (Route.Audit), with the
// rows the check left for after (afterTx), written here. A check that
// failed (the database: an error of kind Internal or Unavailable, or none
// of errs) is logged and the stored answer replayed: the caller
// authenticated and passed the route's Allow and Scope just now, and the
// replay writes nothing and shows only what this caller was answered
// before; answering 503 instead would fail a retry of a write that
// succeeded whenever a read fails, where the retry is the client's way
// through such failures.
func (a *API) recheck(req keyedRequest) error {
	if req.check == nil {
		return nil
	}
	var later []audit.Event
	err := req.check(&later)
	if err == nil {
		return nil
	}
	if k := errs.KindOf(err); k == errs.Internal || k == errs.Unavailable {
		a.Log.Warn("check of the caller before a replay failed; stored answer replayed", "err", err)
		return nil
	}
	if len(later) > 0 {
		if aerr := a.readAudit().RecordAll(later, a.Now()); aerr != nil {
			return aerr
		}
	}
	return err
}

// requestHead is what of r an Idempotency-Key's hash (requestHash) covers
// before its body: the method and the path, and the query parameters,
// sorted, of a route that takes any (the catalog file import's dry_run,
// submit …: the same file imported otherwise is another request).
func requestHead(r *http.Request) string {
	head := r.Method + " " + r.URL.Path
	if q := r.URL.Query().Encode(); q != "" {
		head += "?" + q
	}
	return head + "\n"
}

// impliedDepartment is what an Idempotency-Key's hash covers, after
// requestHead, of a request of an OwnDepartment route whose body names no
// department (department_id left out or 0): the caller's department, the
// one the request is for. A body naming one gives "", as does another
// route. A body that does not read as an object with a department_id
// number counts as naming none: at worst a retry of it by a caller moved
// since is refused 409, never answered with another department's answer.
func impliedDepartment(r *http.Request, rt Route, body []byte) string {
	if !rt.OwnDepartment {
		return ""
	}
	var named struct {
		DepartmentID int64 `json:"department_id"`
	}
	if json.Unmarshal(bytes.TrimPrefix(body, []byte("\ufeff")), &named) == nil && named.DepartmentID != 0 {
		return ""
	}
	return "department " + strconv.FormatInt(auth.From(r.Context()).DepartmentID(), 10) + "\n"
}

// laterKey carries, in the context of a handler run in an
// Idempotency-Key's transaction, the audit rows of a refusal that
// writeKeyed writes once that transaction has ended (afterTx), unless it
// answers with a concurrent request's answer instead.
type laterKey struct{}

// afterTx records ev, the audit row of a refusal of r whose transaction
// rolls back (a discrepancy's write refused as hidden), once no
// transaction of r holds the writer: at once when r runs in none, after
// the Idempotency-Key's transaction when it runs in that one, where a
// row recorded meanwhile would wait for the writer that transaction holds
// (on SQLite, until the audit group gives up: 503), and then only if the
// refusal is r's answer (writeKeyed).
func (a *API) afterTx(r *http.Request, ev audit.Event) error {
	if later, ok := r.Context().Value(laterKey{}).(*[]audit.Event); ok {
		*later = append(*later, ev)
		return nil
	}
	return a.readAudit().Record(ev, a.Now())
}

// keyOwner is whose Idempotency-Keys p's are: a user's, or an app's as
// a whole (its id), not the API key's it calls with (its actor's id), so
// that a retry under the key that replaced another during its grace
// (rotation) is answered with the first answer, not run again. Keys kept
// as "app:<key id>" before (twelve hex digits: no app id is so large)
// answer no retry, and expire after KeyTTL.
func keyOwner(p *auth.Principal) string {
	if p.App != nil {
		return audit.ActorApp + ":" + strconv.FormatInt(p.App.ID, 10)
	}
	return p.Actor.Kind + ":" + p.Actor.ID
}

// requestHash is what an Idempotency-Key keeps of its request, to tell a
// retry from another request under the same key. A request holding a
// secret gets an argon2id hash with a random salt (org.HashPassword): a
// SHA-256 of it, unsalted and fast, would let whoever reads the database
// or a backup guess a new account's password at SHA-256's speed instead
// of argon2id's. A keyed hash (HMAC) would need a secret kept outside the
// database, which the platform does not have; the slow hash costs one
// argon2id per keyed request of such a route, which hashes a password
// anyway, and waits for a hash slot as a password's does. Other requests
// get a SHA-256: they hold no secret.
func requestHash(ctx context.Context, request string, secret bool) (string, error) {
	if secret {
		return org.HashPassword(ctx, request)
	}
	sum := sha256.Sum256([]byte(request))
	return hex.EncodeToString(sum[:]), nil
}

// sameRequest reports whether request is the one whose requestHash is
// stored. A key kept before requests holding a secret were hashed with
// argon2id holds their SHA-256 until it expires (KeyTTL), and still
// answers its retry.
func sameRequest(ctx context.Context, stored, request string, secret bool) (bool, error) {
	if secret && strings.HasPrefix(stored, "$argon2id$") {
		return org.CheckPassword(ctx, stored, request)
	}
	sum, err := requestHash(ctx, request, false)
	return stored == sum, err
}

// keySweepMargin is how long past its expiry (KeyTTL) a key is kept
// before a sweep deletes it: a key expired is already free (live), and a
// sweep deletes for good, so it waits out a clock that is ahead (an NTP
// correction still to come, one of several servers over one database),
// which would otherwise delete keys still replayed by the right time.
// Hours, not a day: the answers kept, import reports among them, are
// large, and a clock ahead by more is a misconfiguration.
const keySweepMargin = 6 * time.Hour

// sweepKeys deletes the keys expired at now, in the background, at most
// once every keySweepEvery per server: storing a key is the only thing that
// adds rows, so storing one is occasion enough to delete the old ones.
func (a *API) sweepKeys(now time.Time) {
	if !a.sweepDue(now) {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := a.deleteExpiredKeys(ctx, now); err != nil {
			a.Log.Warn("delete expired idempotency keys", "err", err)
		}
	}()
}

// sweepDue reports whether a sweep is due at now, and claims it: the last
// was keySweepEvery ago or more, or is later than now, the clock having
// been stepped back since, where the sweep waited until the clock passed
// the last sweep's time again, deleting nothing for the size of the step.
func (a *API) sweepDue(now time.Time) bool {
	last := a.keySweep.Load()
	if since := now.UnixNano() - last; since >= 0 && since < int64(keySweepEvery) {
		return false
	}
	return a.keySweep.CompareAndSwap(last, now.UnixNano())
}

// deleteExpiredKeys deletes the keys expired at now more than
// keySweepMargin ago.
func (a *API) deleteExpiredKeys(ctx context.Context, now time.Time) error {
	_, err := a.DB.Write().ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`,
		now.Add(-KeyTTL-keySweepMargin).UTC())
	return err
}

// secretJSON writes v, an answer that shows a secret once (a new API key).
// Under an Idempotency-Key, withheld, the same answer without the secret,
// is what the key keeps and replays: the secret is stored nowhere.
func secretJSON(w http.ResponseWriter, status int, v, withheld any) error {
	if c, ok := w.(*capture); ok {
		b, err := json.Marshal(withheld)
		if err != nil {
			return err
		}
		c.withheld = append(b, '\n')
	}
	return JSON(w, status, v)
}

// errKeyTaken rolls back a request that found, in its transaction, its
// Idempotency-Key stored by a concurrent request meanwhile (begin).
var errKeyTaken = errors.New("idempotency key stored meanwhile")

// errNotStored rolls back a handler that answered without success but
// without an error either.
var errNotStored = errors.New("response not stored")

// capture buffers a handler's response until its transaction commits.
type capture struct {
	header   http.Header
	status   int
	body     bytes.Buffer
	withheld []byte // the body to keep instead, without its secret
}

// kept is the body the Idempotency-Key keeps for replays.
func (c *capture) kept() string {
	if c.withheld != nil {
		return string(c.withheld)
	}
	return c.body.String()
}

func (c *capture) Header() http.Header { return c.header }
func (c *capture) WriteHeader(s int) {
	if c.status == 0 {
		c.status = s
	}
}
func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.body.Write(b)
}

func (c *capture) flush(w http.ResponseWriter) {
	for k, v := range c.header {
		w.Header()[k] = v
	}
	if c.status == 0 {
		c.status = http.StatusOK
	}
	w.WriteHeader(c.status)
	w.Write(c.body.Bytes())
}
