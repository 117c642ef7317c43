package api_test

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// importForm is a multipart form of the catalog import under boundary:
// the part file, named filename, holding file, and, unless mapping is
// empty, the part mapping holding it.
func importForm(t *testing.T, boundary, filename, file, mapping string) (ct, body string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary(boundary); err != nil {
		t.Fatal(err)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+filename+`"`)
	h.Set("Content-Type", "application/octet-stream")
	pw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	pw.Write([]byte(file))
	if mapping != "" {
		if err := mw.WriteField("mapping", mapping); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), b.String()
}

// TestCatalogImportIdempotencyKeyForm: a multipart import retried under
// its Idempotency-Key with another boundary, as curl, browsers and the
// Go and Python clients send every request, is answered with its first
// answer replayed and creates nothing (until the hash left the framing
// out it was refused 409 idempotency_key_reused); so is the same file
// sent as the body, and the same inline mapping written otherwise (its
// keys in another order, other white space). Another file, the same
// bytes as another format (a workbook, as a form's part or as the body),
// another inline mapping or none under the key is refused 409
// idempotency_key_reused and imports nothing.
func TestCatalogImportIdempotencyKeyForm(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		saveImportMapping(t, f, key)
		const query = "?mapping=%E6%B0%91%E6%94%BF" // 民政
		const mapping = `{"columns":{"名称":"资源名称"},"defaults":{"数据类型":"C","长度":"18"}}`

		ct, form := importForm(t, "first-boundary", "目录.csv", importHeader+goodRow, mapping)
		first, firstBody := keyedImport(t, f, key, "form-1", query, ct, form)
		if first.StatusCode != 201 || !strings.Contains(firstBody, `"created":1`) || countEntries(t, db) != 1 {
			t.Fatalf("form: got %d %s, %d entries; want 201 created 1", first.StatusCode, firstBody, countEntries(t, db))
		}
		replays := map[string][2]string{}
		ct, form = importForm(t, "another-boundary", "目录.csv", importHeader+goodRow, mapping)
		replays["another boundary"] = [2]string{ct, form}
		ct, form = importForm(t, "a-third-one", "目录.csv", importHeader+goodRow,
			"{ \"defaults\": {\"长度\":\"18\", \"数据类型\":\"C\"},\n \"columns\": {\"名称\": \"资源名称\"} }")
		replays["the mapping written otherwise"] = [2]string{ct, form}
		for name, req := range replays {
			again, againBody := keyedImport(t, f, key, "form-1", query, req[0], req[1])
			if again.StatusCode != 201 || againBody != firstBody || again.Header.Get("Idempotent-Replayed") != "true" || countEntries(t, db) != 1 {
				t.Errorf("%s: got %d %s (replayed %q), %d entries; want the first answer 201 %s replayed, 1 entry",
					name, again.StatusCode, againBody, again.Header.Get("Idempotent-Replayed"), countEntries(t, db), firstBody)
			}
		}

		ct, form = importForm(t, "plain", "目录.csv", importHeader+goodRow, "")
		plain, plainBody := keyedImport(t, f, key, "form-2", query, ct, form)
		if plain.StatusCode != 200 || plain.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("form without mapping under another key: got %d %s; want 200 (nothing new)", plain.StatusCode, plainBody)
		}
		again, againBody := keyedImport(t, f, key, "form-2", query, "text/csv", importHeader+goodRow)
		if again.StatusCode != 200 || againBody != plainBody || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the form's file as the body: got %d %s (replayed %q); want %s replayed",
				again.StatusCode, againBody, again.Header.Get("Idempotent-Replayed"), plainBody)
		}

		resp, body := keyedImport(t, f, key, "form-2", query, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", importHeader+goodRow)
		if resp.StatusCode != 409 || !strings.Contains(body, `"idempotency_key_reused"`) {
			t.Errorf("the form's file as the body, as a workbook: got %d %s; want 409 idempotency_key_reused", resp.StatusCode, body)
		}

		reused := map[string][2]string{}
		ct, form = importForm(t, "other-file", "目录.csv", importHeader+otherRow, mapping)
		reused["another file"] = [2]string{ct, form}
		ct, form = importForm(t, "as-workbook", "目录.xlsx", importHeader+goodRow, mapping)
		reused["the file as a workbook"] = [2]string{ct, form}
		ct, form = importForm(t, "other-mapping", "目录.csv", importHeader+goodRow, `{"columns":{"名称":"资源名称"},"defaults":{"数据类型":"C"}}`)
		reused["another mapping"] = [2]string{ct, form}
		ct, form = importForm(t, "no-mapping", "目录.csv", importHeader+goodRow, "")
		reused["no mapping"] = [2]string{ct, form}
		for name, req := range reused {
			resp, body := keyedImport(t, f, key, "form-1", query, req[0], req[1])
			if resp.StatusCode != 409 || !strings.Contains(body, `"idempotency_key_reused"`) || countEntries(t, db) != 1 {
				t.Errorf("%s under the key: got %d %s, %d entries; want 409 idempotency_key_reused, 1 entry",
					name, resp.StatusCode, body, countEntries(t, db))
			}
		}
	})
}
