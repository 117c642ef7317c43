package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// part is one part of a multipart import: a file when file is set.
type part struct{ name, file, body string }

// catalogKey is the key of a new cataloging app of the fixture's other department.
func catalogKey(t *testing.T, f *fixture) string {
	t.Helper()
	var key string
	err := f.db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
		_, key, err = org.CreateApp(context.Background(), tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"},
			org.NewApp{Name: "编目", DepartmentID: f.otherID, Scopes: []string{"catalog.read", "catalog.write"}}, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// multipartImport posts the parts to the catalog import with key,
// returning the status and the answer.
func multipartImport(t *testing.T, f *fixture, key, query string, parts ...part) (int, map[string]any) {
	t.Helper()
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	for _, p := range parts {
		if p.file != "" {
			fw, _ := w.CreateFormFile(p.name, p.file)
			fw.Write([]byte(p.body))
			continue
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+p.name+`"`)
		h.Set("Content-Type", "application/json")
		pw, _ := w.CreatePart(h)
		pw.Write([]byte(p.body))
	}
	w.Close()
	return postRaw(t, f.srv.URL+"/api/v1/catalog/import"+query, key, w.FormDataContentType(), &mp)
}

// postRaw POSTs body of content type ct to url with the API key and
// returns the status and the decoded JSON answer.
func postRaw(t *testing.T, url, key, ct string, body io.Reader) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func countEntries(t *testing.T, db *sqldb.DB) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM catalog_entries`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCatalogImportInlineMappingValidated: the mapping part of a multipart
// import is checked as a saved mapping is (400, field mapping.*), where a
// target or default naming no field was ignored and a default of a field
// that takes none (资源名称) was applied.
func TestCatalogImportInlineMappingValidated(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		for _, c := range []struct{ mapping, code, field string }{
			{`{"columns":{"信息项":"no_such_field"},"defaults":{"所属领域":"民政","数据类型":"C","长度":"18"}}`, "unknown_field", "mapping.columns"},
			{`{"columns":{},"defaults":{"所属领域":"民政","数据类型":"C","长度":"18","无此字段":"1"}}`, "unknown_field", "mapping.defaults"},
			{`{"columns":{},"defaults":{"所属领域":"民政","数据类型":"C","长度":"18","资源名称":"默认名称"}}`, "default_not_allowed", "mapping.defaults"},
			{`{"columns":{},"defaults":{"所属领域":"民政","数据类型":"C","长度":"18","网络环境":"火星网"}}`, "invalid_default", "mapping.defaults.network_zone"},
		} {
			status, body := multipartImport(t, f, key, "?good_only=true", part{name: "mapping", body: c.mapping},
				part{name: "file", file: "目录.csv", body: importCSV})
			if status != 400 || body["code"] != c.code || body["field"] != c.field {
				t.Errorf("mapping %s: %d %v %v, want 400 %s of %s", c.mapping, status, body["code"], body["field"], c.code, c.field)
			}
		}
		if n := countEntries(t, db); n != 0 {
			t.Errorf("refused imports stored %d entries", n)
		}
		status, body := multipartImport(t, f, key, "", part{name: "mapping", body: `{"columns":{},"defaults":{"所属领域":"民政","数据类型":"C","长度":"18"}}`},
			part{name: "file", file: "目录.csv", body: importCSV})
		if status != 201 || body["created"] != 2.0 {
			t.Errorf("valid mapping: %d %v, want 201 with two entries created", status, body)
		}
	})
}

// TestCatalogImportMultipartParts: a mapping part after the file part is
// applied as one before it, where it was ignored without a word (the rows
// its defaults would complete were refused); a part of another name, or a
// second file or mapping, refuses the request (400 unknown_part,
// duplicate_part) and imports nothing.
func TestCatalogImportMultipartParts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		mapping := part{name: "mapping", body: `{"columns":{},"defaults":{"所属领域":"民政","数据类型":"C","长度":"18"}}`}
		file := part{name: "file", file: "目录.csv", body: importCSV}
		for _, c := range []struct {
			parts       []part
			code, field string
		}{
			{[]part{file, mapping, {name: "note", body: `"x"`}}, "unknown_part", "note"},
			{[]part{mapping, file, file}, "duplicate_part", "file"},
			{[]part{mapping, file, mapping}, "duplicate_part", "mapping"},
		} {
			status, body := multipartImport(t, f, key, "", c.parts...)
			if status != 400 || body["code"] != c.code || body["field"] != c.field {
				t.Errorf("parts %v: %d %v %v, want 400 %s of %s", c.parts, status, body["code"], body["field"], c.code, c.field)
			}
		}
		if n := countEntries(t, db); n != 0 {
			t.Errorf("refused imports stored %d entries", n)
		}
		// A body cut inside the file part (no closing boundary) is a
		// malformed request, not an internal error.
		cut := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"目录.csv\"\r\n\r\n" + importCSV
		cutStatus, cutBody := postRaw(t, f.srv.URL+"/api/v1/catalog/import", key, "multipart/form-data; boundary=b", strings.NewReader(cut))
		if cutStatus != 400 || cutBody["code"] != "malformed_multipart" {
			t.Errorf("body cut inside the file part: %d %v, want 400 malformed_multipart", cutStatus, cutBody)
		}
		status, body := multipartImport(t, f, key, "", file, mapping)
		if status != 201 || body["created"] != 2.0 {
			t.Errorf("mapping after the file: %d %v %v, want 201 with two entries created", status, body["code"], body["created"])
		}
	})
}
