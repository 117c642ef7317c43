package api_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
)

// FuzzDecode feeds arbitrary request bodies to the JSON decoder every
// handler uses: it never panics, and every refusal is a user-facing error
// (400 or 413) with a stable code, never an internal one.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"name":"南海区卫生健康局","uscc":"91350100M000100Y43","region_code":"440605","parent_id":3}`))
	f.Add([]byte(`{"name":1}`))
	f.Add([]byte(`{"nom":"x"}`))
	f.Add([]byte(`{} {}`))
	f.Add([]byte(`{"name":"\ud800"}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, body []byte) {
		var v struct {
			Name       string `json:"name"`
			USCC       string `json:"uscc"`
			RegionCode string `json:"region_code"`
			ParentID   int64  `json:"parent_id"`
		}
		checkRefusal(t, body, decode(body, &v))
	})
}

// FuzzDecodeOp feeds arbitrary bodies to POST …/ops's reading of one
// record operation (api.Decode into records.WireOp, then Parse): refusals
// are 400s with a code, and an accepted operation has no produced_at that
// the body did not give.
func FuzzDecodeOp(f *testing.F) {
	f.Add([]byte(`{"op":"add","subject_id":"11010519491231002X","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张三","年龄":30,"在职":true}}`))
	f.Add([]byte(`{"op":"change","subject_id":"x","produced_at":"2026-03-02 10:00:00","values":{"a":null}}`))
	f.Add([]byte(`{"op":"cancel","values":{"a":[1]}}`))
	f.Add([]byte(`{"op":"add","produced_at":"昨天"}`))
	f.Add([]byte(`{"op":"add"}{"op":"add"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var w records.WireOp
		err := decode(body, &w)
		if err == nil {
			var op records.Op
			if op, err = w.Parse(); err == nil && w.ProducedAt == "" && !op.ProducedAt.IsZero() {
				t.Fatalf("body %q: produced_at %q read as %v", body, w.ProducedAt, op.ProducedAt)
			}
		}
		checkRefusal(t, body, err)
	})
}

// decode runs api.Decode on body as a JSON request of at most 4 KiB.
func decode(body []byte, v any) error {
	r := httptest.NewRequest("POST", "/api/v1/x", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 1<<12)
	return api.Decode(r, v)
}

// checkRefusal accepts no error, an over-long body, or an Invalid error
// with a code and a message that the API answers with 400.
func checkRefusal(t *testing.T, body []byte, err error) {
	t.Helper()
	var mbe *http.MaxBytesError
	if err == nil || errors.As(err, &mbe) {
		return
	}
	e := errs.As(err)
	if e == nil || e.Kind != errs.Invalid || e.Code == "" || e.Message == "" {
		t.Fatalf("body %q: got %v, want an Invalid error with a code and a message", body, err)
	}
	if p := api.ProblemFor(err); p.Status != http.StatusBadRequest {
		t.Fatalf("body %q: got status %d, want 400", body, p.Status)
	}
}
