package bench

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Baseline is the bare net/http handler that Hutong's throughput is
// compared with: no middleware, no authentication, no audit — one SELECT by
// key on the same reader pool, encoded as JSON. Add the bare counterpart of
// a new lookup scenario here.
func Baseline(db *sqldb.DB) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /departments/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		var d struct {
			ID         int64     `json:"id"`
			Name       string    `json:"name"`
			ShortName  string    `json:"short_name,omitempty"`
			USCC       string    `json:"uscc"`
			RegionCode string    `json:"region_code"`
			ParentID   int64     `json:"parent_id,omitempty"`
			IsOperator bool      `json:"is_operator"`
			CreatedAt  time.Time `json:"created_at"`
		}
		err = db.Read().QueryRowContext(r.Context(), `SELECT id, name, short_name, uscc, region_code,
			COALESCE(parent_id, 0), is_operator, created_at FROM departments WHERE id = $1`, id).
			Scan(&d.ID, &d.Name, &d.ShortName, &d.USCC, &d.RegionCode, &d.ParentID, &d.IsOperator, &d.CreatedAt)
		reply(w, r, err, d)
	})
	// The current record of a subject, as records.Get reads it, without
	// checking the entry or the identifier and without the disputes.
	mux.HandleFunc("GET /records/entries/{id}/subjects/{subject}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		rec := struct {
			EntryID    int64           `json:"entry_id"`
			SubjectID  string          `json:"subject_id"`
			Status     string          `json:"status"`
			Version    int             `json:"version"`
			Values     json.RawMessage `json:"values"`
			ProducedAt time.Time       `json:"produced_at"`
			ReceivedAt time.Time       `json:"received_at"`
			Seq        int64           `json:"seq"`
		}{EntryID: id, SubjectID: r.PathValue("subject")}
		var vals string
		err = db.Read().QueryRowContext(r.Context(), `SELECT CASE op WHEN 'cancel' THEN 'cancelled' ELSE 'active' END,
			version, vals, produced_at, received_at, seq FROM record_versions WHERE entry_id = $1
			AND seq = (SELECT max(seq) FROM record_versions WHERE entry_id = $1 AND subject_id = $2 GROUP BY subject_id)`, id, rec.SubjectID).
			Scan(&rec.Status, &rec.Version, &vals, &rec.ProducedAt, &rec.ReceivedAt, &rec.Seq)
		rec.Values = json.RawMessage(vals)
		reply(w, r, err, rec)
	})
	return mux
}

// reply answers a lookup: 404 when it found nothing, 500 on another error,
// v as JSON otherwise.
func reply(w http.ResponseWriter, r *http.Request, err error, v any) {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		http.NotFound(w, r)
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	default:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(v)
	}
}
