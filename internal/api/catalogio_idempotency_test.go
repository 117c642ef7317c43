package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// keyedImport POSTs body, of content type ct, to the catalog import with
// query, the API key and the Idempotency-Key idem, and returns the answer
// as it came.
func keyedImport(t *testing.T, f *fixture, key, idem, query, ct, body string) (*http.Response, string) {
	t.Helper()
	resp, b, err := sendKeyedImport(f, key, idem, query, ct, body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// sendKeyedImport is keyedImport for another goroutine than the test's.
func sendKeyedImport(f *fixture, key, idem, query, ct, body string) (*http.Response, string, error) {
	req, err := http.NewRequest("POST", f.srv.URL+"/api/v1/catalog/import"+query, strings.NewReader(body))
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Idempotency-Key", idem)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

// seedImportKey imports under the Idempotency-Key seed, which tells whose
// keys the app's are (and records the API key's use, which would wait for
// the writer too), and returns that principal.
func seedImportKey(t *testing.T, f *fixture, key, query string) string {
	t.Helper()
	if resp, body := keyedImport(t, f, key, "seed", query, "text/csv", importHeader+otherRow); resp.StatusCode != 201 {
		t.Fatalf("seed: %d %s", resp.StatusCode, body)
	}
	var principal string
	if err := f.db.Read().QueryRowContext(context.Background(), `SELECT principal FROM idempotency_keys WHERE key = 'seed'`).Scan(&principal); err != nil {
		t.Fatal(err)
	}
	return principal
}

// importWhileHeld POSTs the CSV file to the catalog import as keyedImport
// does while a transaction holds what hold does in it, released once the
// import waits for it (sqldbtest.Waiting), and returns the import's answer.
func importWhileHeld(t *testing.T, f *fixture, key, idem, query, file string, hold func(ctx context.Context, tx *sqldb.Tx) error) (*http.Response, string) {
	t.Helper()
	ctx, db := context.Background(), f.db
	held, release, heldErr := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		heldErr <- db.Tx(ctx, func(tx *sqldb.Tx) error {
			err := hold(ctx, tx)
			close(held)
			if err != nil {
				return err
			}
			<-release
			return nil
		})
	}()
	<-held
	wait := sqldbtest.Waiting(t, db)
	type answer struct {
		resp *http.Response
		body string
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, body, err := sendKeyedImport(f, key, idem, query, "text/csv", file)
		answered <- answer{resp, body, err}
	}()
	wait()
	close(release)
	if err := <-heldErr; err != nil {
		t.Fatal(err)
	}
	a := <-answered
	if a.err != nil {
		t.Fatal(a.err)
	}
	return a.resp, a.body
}

// importKeys counts the Idempotency-Keys stored under idem.
func importKeys(t *testing.T, db *sqldb.DB, idem string) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM idempotency_keys WHERE key = $1`, idem).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// importHeader and the rows of the idempotency tests: good and other
// import (under the mapping 民政), bad is refused (no 所属领域).
const (
	importHeader = "资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项\n"
	goodRow      = "婚姻登记信息,结婚离婚登记,部门信息资源,01,婚姻,001,登记,xlsx,无条件共享,查询,全区,不开放,每天,2,政务外网,民政,自然人,公民身份号码\n"
	otherRow     = "收养登记信息,收养登记,部门信息资源,01,婚姻,002,收养,xlsx,无条件共享,查询,全区,不开放,每天,2,政务外网,民政,自然人,公民身份号码\n"
	badRow       = "殡葬信息,殡葬登记,部门信息资源,01,婚姻,003,殡葬,xlsx,无条件共享,查询,全区,不开放,每天,2,政务外网,,自然人,公民身份号码\n"
)

func saveImportMapping(t *testing.T, f *fixture, key string) {
	t.Helper()
	if r := f.do(t, "POST", "/api/v1/catalog/import-mappings", key, `{"name":"民政","columns":{},"defaults":{"数据类型":"C","长度":"18"}}`); r.status != 200 {
		t.Fatalf("save mapping: %d %v", r.status, r.body)
	}
}

// TestCatalogImportIdempotencyKey: the catalog file import honours
// Idempotency-Key as the creating POSTs do. A refused import (a bad row)
// stores no key, so that the corrected file retried under the same key
// is imported; that import retried (its 201 lost) is answered with the
// first answer, status and body byte for byte, marked replayed, and
// creates nothing; another file, as the body or in a multipart form,
// under the key is refused 409 idempotency_key_reused and imports
// nothing (a form's framing: TestCatalogImportIdempotencyKeyForm); once the key has expired (KeyTTL) it is free for
// another import.
func TestCatalogImportIdempotencyKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		saveImportMapping(t, f, key)
		const query = "?mapping=" + "%E6%B0%91%E6%94%BF" // 民政

		resp, body := keyedImport(t, f, key, "imp-1", query, "text/csv", importHeader+goodRow+badRow)
		if resp.StatusCode != 400 || !strings.Contains(body, `"import_rejected"`) || importKeys(t, db, "imp-1") != 0 || countEntries(t, db) != 0 {
			t.Fatalf("bad file: got %d %s, %d keys, %d entries; want 400 import_rejected, no key, no entry",
				resp.StatusCode, body, importKeys(t, db, "imp-1"), countEntries(t, db))
		}

		first, firstBody := keyedImport(t, f, key, "imp-1", query, "text/csv", importHeader+goodRow)
		if first.StatusCode != 201 || !strings.Contains(firstBody, `"created":1`) || countEntries(t, db) != 1 {
			t.Fatalf("corrected file under the same key: got %d %s, %d entries; want 201 created 1",
				first.StatusCode, firstBody, countEntries(t, db))
		}
		again, againBody := keyedImport(t, f, key, "imp-1", query, "text/csv", importHeader+goodRow)
		if again.StatusCode != first.StatusCode || againBody != firstBody || again.Header.Get("Idempotent-Replayed") != "true" ||
			countEntries(t, db) != 1 {
			t.Fatalf("retry: got %d %s (replayed %q), %d entries; want the first answer %d %s replayed, 1 entry",
				again.StatusCode, againBody, again.Header.Get("Idempotent-Replayed"), countEntries(t, db), first.StatusCode, firstBody)
		}

		resp, body = keyedImport(t, f, key, "imp-1", query, "text/csv", importHeader+otherRow)
		if resp.StatusCode != 409 || !strings.Contains(body, `"idempotency_key_reused"`) || countEntries(t, db) != 1 {
			t.Fatalf("another file under the key: got %d %s, %d entries; want 409 idempotency_key_reused, 1 entry",
				resp.StatusCode, body, countEntries(t, db))
		}
		resp, body = keyedImport(t, f, key, "imp-1", query+"&dry_run=true", "text/csv", importHeader+goodRow)
		if resp.StatusCode != 409 || !strings.Contains(body, `"idempotency_key_reused"`) {
			t.Fatalf("the file as a dry run under the key: got %d %s; want 409 idempotency_key_reused", resp.StatusCode, body)
		}
		form := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"目录.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
			importHeader + otherRow + "\r\n--b--\r\n"
		resp, body = keyedImport(t, f, key, "imp-1", query, "multipart/form-data; boundary=b", form)
		if resp.StatusCode != 409 || !strings.Contains(body, `"idempotency_key_reused"`) || countEntries(t, db) != 1 {
			t.Fatalf("a form under the key: got %d %s, %d entries; want 409 idempotency_key_reused, 1 entry",
				resp.StatusCode, body, countEntries(t, db))
		}

		if _, err := db.Write().ExecContext(context.Background(), `UPDATE idempotency_keys SET created_at = $1 WHERE key = $2`,
			t0.Add(-25*time.Hour), "imp-1"); err != nil {
			t.Fatal(err)
		}
		resp, body = keyedImport(t, f, key, "imp-1", query, "multipart/form-data; boundary=b", form)
		if resp.StatusCode != 201 || resp.Header.Get("Idempotent-Replayed") != "" || countEntries(t, db) != 2 || importKeys(t, db, "imp-1") != 1 {
			t.Fatalf("the form once the key expired: got %d %s, %d entries, %d keys; want 201, 2 entries, 1 key",
				resp.StatusCode, body, countEntries(t, db), importKeys(t, db, "imp-1"))
		}
		again, againBody = keyedImport(t, f, key, "imp-1", query, "multipart/form-data; boundary=b", form)
		if again.StatusCode != 201 || againBody != body || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("the form retried: got %d %s; want its answer %s replayed", again.StatusCode, againBody, body)
		}
	})
}

// TestCatalogImportIdempotencyKeyRace: an import whose key a concurrent
// request stores while it imports (the transaction below, holding the
// key's row until the import waits for it: for the key's row on
// PostgreSQL, the writer on SQLite) is rolled back and answered with
// that request's answer, replayed; it creates nothing.
func TestCatalogImportIdempotencyKeyRace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		saveImportMapping(t, f, key)
		const query = "?mapping=%E6%B0%91%E6%94%BF"
		principal := seedImportKey(t, f, key, query)
		file := importHeader + goodRow
		// The hash the import makes of its request (importHash): method,
		// path and sorted query, the department (the app's, 民政), the
		// format, no inline mapping, the file.
		sum := sha256.Sum256([]byte("POST /api/v1/catalog/import?mapping=%E6%B0%91%E6%94%BF\ndepartment " + itoa(f.otherID) +
			"\nformat csv\nmapping -\n" + file))
		const held = `{"held":true}` + "\n"

		resp, body := importWhileHeld(t, f, key, "race-1", query, file, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (principal, key, request_hash, status, body, created_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, principal, "race-1", hex.EncodeToString(sum[:]), 201, held, t0.UTC())
			return err
		})
		if resp.StatusCode != 201 || body != held || resp.Header.Get("Idempotent-Replayed") != "true" || countEntries(t, db) != 1 {
			t.Fatalf("import racing its key: got %d %s (replayed %q), %d entries; want the held answer 201 %s replayed, 1 entry",
				resp.StatusCode, body, resp.Header.Get("Idempotent-Replayed"), countEntries(t, db), held)
		}
	})
}
