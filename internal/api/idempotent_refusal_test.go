package api

import (
	"context"
	"fmt"
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

// TestIdempotentRefusalNotKept: a handler under an
// Idempotency-Key that answers a refusal through its writer (a status of
// 300 or more, no error; as pushBatch answers 422, which is no
// Idempotent route) has its answer sent, its writes rolled back and no
// key kept: the retry runs again, and once it succeeds its answer is
// kept and replayed. No Idempotent route answers so today.
func TestIdempotentRefusalNotKept(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		a := &API{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
		runs := 0
		h := func(w http.ResponseWriter, r *http.Request) error {
			runs++
			if err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
				_, err := tx.ExecContext(r.Context(), `INSERT INTO regions (code, name, level) VALUES ($1, $2, 'province')`,
					fmt.Sprint("44000", runs), "广东省")
				return err
			}); err != nil {
				return err
			}
			if runs == 1 {
				return JSON(w, http.StatusUnprocessableEntity, map[string]string{"code": "refused"})
			}
			return JSON(w, http.StatusCreated, map[string]int{"run": runs})
		}
		p := &auth.Principal{Actor: audit.Actor{Kind: audit.ActorUser, ID: "7"}}
		call := func() *httptest.ResponseRecorder {
			t.Helper()
			r := httptest.NewRequest("POST", "/api/v1/things", strings.NewReader(`{"name":"x"}`)).WithContext(auth.With(ctx, p))
			r.Header.Set("Idempotency-Key", "k-1")
			w := httptest.NewRecorder()
			if err := a.idempotent(w, r, Route{Method: "POST", Path: "/api/v1/things", Idempotent: true, Handler: h}); err != nil {
				t.Fatalf("idempotent: %v", err)
			}
			return w
		}
		count := func(table string) int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		if w := call(); w.Code != 422 || !strings.Contains(w.Body.String(), "refused") {
			t.Fatalf("refusal: %d %q, want 422 sent", w.Code, w.Body.String())
		}
		if k, r := count("idempotency_keys"), count("regions"); k != 0 || r != 0 {
			t.Errorf("after the refusal: %d keys, %d regions; want none kept, the handler's write rolled back", k, r)
		}
		if w := call(); w.Code != 201 || w.Header().Get("Idempotent-Replayed") != "" || runs != 2 {
			t.Errorf("retry: %d %q replayed %q after %d runs, want run again (201)", w.Code, w.Body.String(),
				w.Header().Get("Idempotent-Replayed"), runs)
		}
		if w := call(); w.Code != 201 || w.Header().Get("Idempotent-Replayed") != "true" || runs != 2 {
			t.Errorf("retry of the success: %d replayed %q after %d runs, want its answer replayed", w.Code,
				w.Header().Get("Idempotent-Replayed"), runs)
		}
		if k, r := count("idempotency_keys"), count("regions"); k != 1 || r != 1 {
			t.Errorf("after the success: %d keys, %d regions; want 1 and 1", k, r)
		}
	})
}
