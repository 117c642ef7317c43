package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCleanPathsEscapedSubjects: api.CleanPaths compares the path as
// sent (escaped), as http.ServeMux does, so a free-text subject holding a
// percent-encoded / or . (https:%2F%2Fexample.gov.cn, %2E%2E) is read,
// where cleaning the decoded path refused it 404 non_canonical_path and
// named another subject; a literal empty segment is still refused. On
// both engines.
func TestCleanPathsEscapedSubjects(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		rf.srv = httptest.NewServer(api.CleanPaths(rf.srv.Config.Handler))
		t.Cleanup(rf.srv.Close)
		sites := recordstest.Entry(t, db, rf.gaID, recordstest.Spec{Code: "101001/000031", Name: "政务网站信息", SubjectKind: "none",
			Items: []records.Item{{Name: "网站地址", Type: "C", Length: 200, IdentifiesSubject: true}, {Name: "网站名称", Type: "C", Length: 50}}})
		e := "/api/v1/records/entries/" + strconv.FormatInt(sites, 10)
		now := beijing(t0.Add(-30 * time.Minute))
		for segment, subject := range map[string]string{
			"https:%2F%2Fexample.gov.cn": "https://example.gov.cn",
			"%2Fx":                       "/x",
			"a%2F..%2Fb":                 "a/../b",
			"%2E":                        ".",
			"%2E%2E":                     "..",
		} {
			if r := rf.do(t, "POST", e+"/ops", rf.gaKey, opLine("add", subject, now, map[string]string{"网站名称": "网站" + segment})); r.status != 201 {
				t.Fatalf("push %q: %d %v", subject, r.status, r.body)
			}
			r := rf.do(t, "GET", e+"/subjects/"+segment+"?purpose=核验", rf.gaKey, "")
			if r.status != http.StatusOK || r.body["subject_id"] != subject {
				t.Errorf("GET …/subjects/%s: %d %v, want 200 with subject %q", segment, r.status, r.body, subject)
			}
		}
		r := rf.do(t, "GET", e+"/subjects//x?purpose=核验", rf.gaKey, "")
		if r.status != http.StatusNotFound || r.body["code"] != "non_canonical_path" {
			t.Errorf("GET …/subjects//x: %d %v, want 404 non_canonical_path", r.status, r.body)
		}
	})
}

// TestCleanPathsBareAPINotFound: GET /api, which is no operation and is
// in its clean form, is answered as any other path that is no operation
// (404 route_not_found), not as a path to clean (non_canonical_path,
// whose detail named /api itself as the path to use), nor redirected to
// /api/ by the mux.
func TestCleanPathsBareAPINotFound(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		f.srv = httptest.NewServer(api.CleanPaths(f.srv.Config.Handler))
		t.Cleanup(f.srv.Close)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, method := range []string{"GET", "POST"} {
			req, err := http.NewRequest(method, f.srv.URL+"/api", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var p struct{ Code, Detail string }
			err = json.NewDecoder(resp.Body).Decode(&p)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != "application/problem+json" ||
				err != nil || p.Code != "route_not_found" || !strings.Contains(p.Detail, method+" /api") {
				t.Errorf("%s /api: %d %s %+v (%v), want 404 route_not_found", method, resp.StatusCode, resp.Header.Get("Content-Type"), p, err)
			}
		}
	})
}
