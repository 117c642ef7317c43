package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIdempotentReplayLeavesNoRefusalRows: a request under an
// Idempotency-Key refused for what a concurrent request under the key
// committed meanwhile, and so answered with that request's answer
// (TestIdempotentRefusalRaced), leaves none of the refusal's audit rows
// (afterTx): the client was told the first request's answer, as a retry
// is, and a retry's replay leaves no row. The denied row said the request
// was refused while its client was answered 201. A refusal of its own,
// under a key no request committed, still leaves its row. The chain
// verifies. The transaction below is the concurrent request, as in
// TestIdempotentRefusalRaced: on PostgreSQL ours runs beside it and its
// handler, finding the region once it commits, is refused and leaves its
// row; on SQLite ours waits for the writer and finds the key in its
// transaction, its handler never run.
func TestIdempotentReplayLeavesNoRefusalRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		a := &API{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
		p := &auth.Principal{Actor: audit.Actor{Kind: audit.ActorUser, ID: "7"}}
		h := func(w http.ResponseWriter, r *http.Request) error {
			var created int64
			if err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
				res, err := tx.ExecContext(r.Context(), `INSERT INTO regions (code, name, level) VALUES ('440000', '广东省', 'province')
					ON CONFLICT DO NOTHING`)
				if err != nil {
					return err
				}
				created, err = res.RowsAffected()
				return err
			}); err != nil {
				return err
			}
			if created == 0 {
				if err := a.afterTx(r, audit.Event{Actor: p.Actor, Action: "region.create", ObjectType: "region",
					ObjectID: "440000", Outcome: audit.Denied, Detail: audit.Detail("reason", "region_exists")}); err != nil {
					return err
				}
				return errs.E(errs.Conflict, "region_exists", "行政区划已存在")
			}
			return JSON(w, http.StatusCreated, map[string]string{"code": "440000"})
		}
		rt := Route{Method: "POST", Path: "/api/v1/regions", Idempotent: true, Handler: h}
		const body = `{"code":"440000"}`
		request := func(key string) *http.Request {
			r := httptest.NewRequest("POST", "/api/v1/regions", strings.NewReader(body)).WithContext(auth.With(ctx, p))
			r.Header.Set("Idempotency-Key", key)
			return r
		}
		denied := func() int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'region.create'
				AND outcome = 'denied'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		r := request("k-1")
		hash, err := requestHash(ctx, requestHead(r)+body, false)
		if err != nil {
			t.Fatal(err)
		}
		const first = `{"first":true}` + "\n"

		written, release, heldErr := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			heldErr <- db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO regions (code, name, level) VALUES ('440000', '广东省', 'province')`)
				if err == nil {
					_, err = tx.ExecContext(ctx, `INSERT INTO idempotency_keys (principal, key, request_hash, status, body, created_at)
						VALUES ($1, $2, $3, $4, $5, $6)`, keyOwner(p), "k-1", hash, 201, first, now)
				}
				close(written)
				if err != nil {
					return err
				}
				<-release
				return nil
			})
		}()
		<-written
		wait := sqldbtest.Waiting(t, db)
		w := httptest.NewRecorder()
		answered := make(chan error, 1)
		go func() { answered <- a.idempotent(w, r, rt) }()
		wait()
		close(release)
		if err := <-heldErr; err != nil {
			t.Fatal(err)
		}
		if err := <-answered; err != nil {
			t.Fatalf("idempotent: %v", err)
		}
		if w.Code != 201 || w.Body.String() != first || w.Header().Get("Idempotent-Replayed") != "true" {
			t.Fatalf("refused after the concurrent request committed: got %d %q (replayed %q); want its answer 201 %q replayed",
				w.Code, w.Body.String(), w.Header().Get("Idempotent-Replayed"), first)
		}
		if n := denied(); n != 0 {
			t.Errorf("answered with the concurrent request's answer: %d denied region.create rows, want none", n)
		}

		// Under another key, which no request committed: refused, its row written.
		err = a.idempotent(httptest.NewRecorder(), request("k-2"), rt)
		if e := errs.As(err); e == nil || e.Code != "region_exists" {
			t.Fatalf("the region again under a new key: %v, want region_exists", err)
		}
		if n := denied(); n != 1 {
			t.Errorf("refused under a key no request committed: %d denied region.create rows, want 1", n)
		}
		if rep, err := audit.Verify(ctx, db.Read()); err != nil || rep.Problem != nil {
			t.Errorf("audit chain: %+v, %v", rep.Problem, err)
		}
	})
}
