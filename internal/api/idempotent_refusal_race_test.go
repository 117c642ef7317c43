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
// replayed, not with the refusal. The transaction below is that request:
// it writes the region and keeps its answer under the key, and commits
// once ours waits. On PostgreSQL ours runs beside it and its handler,
// finding the region there once it commits, refuses through its writer
// (409, no error), which was the answer sent; on SQLite ours waits for
// the writer and finds the key in its transaction.
func TestIdempotentRefusalRaced(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		a := &API{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
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
				return JSON(w, http.StatusConflict, map[string]string{"code": "region_exists"})
			}
			return JSON(w, http.StatusCreated, map[string]string{"code": "440000"})
		}
		const body = `{"code":"440000"}`
		p := &auth.Principal{Actor: audit.Actor{Kind: audit.ActorUser, ID: "7"}}
		r := httptest.NewRequest("POST", "/api/v1/regions", strings.NewReader(body)).WithContext(auth.With(ctx, p))
		r.Header.Set("Idempotency-Key", "k-1")
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
		go func() {
			answered <- a.idempotent(w, r, Route{Method: "POST", Path: "/api/v1/regions", Idempotent: true, Handler: h})
		}()
		wait()
		close(release)
		if err := <-heldErr; err != nil {
			t.Fatal(err)
		}
		if err := <-answered; err != nil {
			t.Fatalf("idempotent: %v", err)
		}
		if w.Code != 201 || w.Body.String() != first || w.Header().Get("Idempotent-Replayed") != "true" {
			t.Errorf("refused after the concurrent request committed: got %d %q (replayed %q); want its answer 201 %q replayed",
				w.Code, w.Body.String(), w.Header().Get("Idempotent-Replayed"), first)
		}
	})
}
