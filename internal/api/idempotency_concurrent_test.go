package api_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// keyedAnswer is the answer to one of concurrent requests under one
// Idempotency-Key.
type keyedAnswer struct {
	status   int
	body     string
	replayed bool
	err      error
}

// concurrently sends n requests at once with send and returns their answers.
func concurrently(n int, send func() (*http.Response, string, error)) []keyedAnswer {
	answers := make([]keyedAnswer, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, body, err := send()
			answers[i].body, answers[i].err = body, err
			if err == nil {
				answers[i].status, answers[i].replayed = resp.StatusCode, resp.Header.Get("Idempotent-Replayed") == "true"
			}
		}()
	}
	close(start)
	wg.Wait()
	return answers
}

// checkOneAnswer fails t unless every answer is the same, want's status
// and the same body, and all but one are marked replayed.
func checkOneAnswer(t *testing.T, what string, answers []keyedAnswer, want int) {
	t.Helper()
	replayed := 0
	for _, a := range answers {
		if a.err != nil {
			t.Fatalf("%s: %v", what, a.err)
		}
		if a.replayed {
			replayed++
		}
	}
	for i, a := range answers {
		if a.status != want || a.body != answers[0].body {
			t.Errorf("%s: answer %d is %d %s; want %d and every answer alike (the first: %d %s)",
				what, i, a.status, clip(a.body), want, answers[0].status, clip(answers[0].body))
		}
	}
	if replayed != len(answers)-1 {
		t.Errorf("%s: %d of %d answers replayed, want all but one", what, replayed, len(answers))
	}
}

// clip is body cut to its first 200 bytes, for a message.
func clip(body string) string {
	if len(body) > 200 {
		return body[:200] + "…"
	}
	return body
}

// concurrentRequests is how many requests under one key the concurrent
// tests send at once.
const concurrentRequests = 6

// TestCatalogImportIdempotencyKeyConcurrent: imports of one file sent at
// once under one Idempotency-Key import it once, and every one is
// answered with that import's answer, all but one replayed. One that
// found no key before importing (on PostgreSQL imports of one department
// run side by side; on SQLite the key is read before the import waits for
// the writer) saw the entry the first had committed meanwhile and was
// rejected (duplicate_entry_name; code_not_found for a row whose 资源代码
// no entry had), answered 400 though the first had imported the file,
// its answer kept under the key.
func TestCatalogImportIdempotencyKeyConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		saveImportMapping(t, f, key)
		const query = "?mapping=%E6%B0%91%E6%94%BF&submit=true" // 民政
		for i, c := range []struct{ what, idem, file string }{
			{"submitted", "conc-1", importHeader + goodRow},
			{"an unknown 资源代码", "conc-2", "资源代码," + importHeader + "101001/000099," + otherRow},
		} {
			answers := concurrently(concurrentRequests, func() (*http.Response, string, error) {
				return sendKeyedImport(f, key, c.idem, query, "text/csv", c.file)
			})
			checkOneAnswer(t, c.what, answers, 201)
			if n, keys := countEntries(t, db), importKeys(t, db, c.idem); n != i+1 || keys != 1 {
				t.Errorf("%s: %d entries, %d keys; want %d entries, 1 key", c.what, n, keys, i+1)
			}
		}
	})
}

// TestIdempotencyKeyConcurrentEntry: creating POSTs of one JSON body sent at
// once under one Idempotency-Key create once, and every one is answered
// with the first's answer, all but one replayed: one that found no key
// and was refused for what the first committed meanwhile (an entry of
// the same name) answers the first's answer, not the refusal.
func TestIdempotencyKeyConcurrentEntry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		answers := concurrently(concurrentRequests, func() (*http.Response, string, error) {
			req, err := http.NewRequest("POST", f.srv.URL+"/api/v1/catalog/entries", strings.NewReader(marriageEntry))
			if err != nil {
				return nil, "", err
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+key)
			req.Header.Set("Idempotency-Key", "conc-entry")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return nil, "", err
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			return resp, string(b), err
		})
		checkOneAnswer(t, "POST /catalog/entries", answers, 201)
		if n, keys := countEntries(t, db), importKeys(t, db, "conc-entry"); n != 1 || keys != 1 {
			t.Errorf("%d entries, %d keys; want 1 entry, 1 key", n, keys)
		}
	})
}
