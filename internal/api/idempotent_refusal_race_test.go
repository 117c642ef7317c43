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
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIdempotentRefusalRaced: a request under an Idempotency-Key that
// found no key, and is refused for what a concurrent request under the key
// committed meanwhile with its answer, is answered with that answer,
// replayed, not with the refusal. The transaction of regionRace.raced is
// that request: it writes the region and keeps its answer under the key,
// and commits once ours waits. On PostgreSQL ours runs beside it and its
// handler, finding the region there once it commits, refuses through its
// writer (409, no error), which was the answer sent; on SQLite ours waits
// for the writer and finds the key in its transaction.
func TestIdempotentRefusalRaced(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		newRegionRace(db, func(_ *regionRace, w http.ResponseWriter, _ *http.Request) error {
			return JSON(w, http.StatusConflict, map[string]string{"code": "region_exists"})
		}).raced(t)
	})
}

// regionRace is POST /api/v1/regions under an Idempotency-Key, its handler
// writing region 440000 and answering 201, or refuse once the region is
// there.
type regionRace struct {
	ctx context.Context
	db  *sqldb.DB
	now time.Time
	a   *API
	p   *auth.Principal
	rt  Route
}

const regionRaceBody = `{"code":"440000"}`

func newRegionRace(db *sqldb.DB, refuse func(rr *regionRace, w http.ResponseWriter, r *http.Request) error) *regionRace {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	rr := &regionRace{ctx: context.Background(), db: db, now: now,
		a: &API{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }},
		p: &auth.Principal{Actor: audit.Actor{Kind: audit.ActorUser, ID: "7"}}}
	h := func(w http.ResponseWriter, r *http.Request) error {
		var created int64
		if err := rr.a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
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
			return refuse(rr, w, r)
		}
		return JSON(w, http.StatusCreated, map[string]string{"code": "440000"})
	}
	rr.rt = Route{Method: "POST", Path: "/api/v1/regions", Idempotent: true, Handler: h}
	return rr
}

// request is the request under key.
func (rr *regionRace) request(key string) *http.Request {
	r := httptest.NewRequest("POST", "/api/v1/regions", strings.NewReader(regionRaceBody)).WithContext(auth.With(rr.ctx, rr.p))
	r.Header.Set("Idempotency-Key", key)
	return r
}

// raced sends the request under key k-1 while a transaction, the
// concurrent request under the key, writes the region and keeps its answer
// 201 under the key, committing once ours waits, and checks that ours is
// answered with that answer, replayed.
func (rr *regionRace) raced(t *testing.T) {
	t.Helper()
	ctx, db := rr.ctx, rr.db
	r := rr.request("k-1")
	hash, err := requestHash(ctx, requestHead(r)+regionRaceBody, false)
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
					VALUES ($1, $2, $3, $4, $5, $6)`, keyOwner(rr.p), "k-1", hash, 201, first, rr.now)
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
	go func() { answered <- rr.a.idempotent(w, r, rr.rt) }()
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
}
