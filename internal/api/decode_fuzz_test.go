package api_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/errs"
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
		r := httptest.NewRequest("POST", "/api/v1/departments", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 1<<12)
		var v struct {
			Name       string `json:"name"`
			USCC       string `json:"uscc"`
			RegionCode string `json:"region_code"`
			ParentID   int64  `json:"parent_id"`
		}
		err := api.Decode(r, &v)
		if err == nil {
			return
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return
		}
		e := errs.As(err)
		if e == nil || e.Kind != errs.Invalid || e.Code == "" || e.Message == "" {
			t.Fatalf("body %q: got %v, want an Invalid error with a code and a message", body, err)
		}
		if p := api.ProblemFor(err); p.Status != http.StatusBadRequest {
			t.Fatalf("body %q: got status %d, want 400", body, p.Status)
		}
	})
}
