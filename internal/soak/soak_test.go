// Package soak holds a bounded load test: a steady mix of audited reads,
// searches and record pushes against the whole server on loopback, checked
// for errors, latency drift and memory growth. HUTONG_SOAK sets how long it
// runs (default 15s; give minutes for a real soak).
package soak

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

// sample is a value typed for a data item, for generated pushes.
func sample(t catalog.DataType) string {
	switch t {
	case "N", "Y", "I", "B", "F":
		return "1"
	case "D":
		return "2026-01-02"
	case "T":
		return "2026-01-02T10:00:00+08:00"
	case "L":
		return "是"
	}
	return "测"
}

type window struct {
	mu   sync.Mutex
	lat  []time.Duration
	errs int
}

func TestSoak(t *testing.T) {
	duration := 15 * time.Second
	if v := os.Getenv("HUTONG_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("HUTONG_SOAK: %v", err)
		}
		duration = d
	}
	if testing.Short() {
		duration = 5 * time.Second
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		info, err := demo.Seed(ctx, db, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]string{}
		for _, a := range info.Apps {
			keys[a.Name] = a.Key
		}
		pushKey, readKey := keys["人口信息推送系统"], keys["一窗受理审批系统"]

		// A published person entry of the public security bureau to push to.
		var entryID int64
		err = db.Read().QueryRowContext(ctx, `SELECT e.id FROM catalog_entries e JOIN departments d ON d.id = e.department_id
			WHERE d.short_name = '区公安分局' AND e.status = 'published' AND e.subject_kind = 'person' ORDER BY e.id LIMIT 1`).Scan(&entryID)
		if err != nil {
			t.Fatal(err)
		}
		entry, err := catalog.Get(ctx, db.Read(), catalog.Actor{Operator: true}, entryID)
		if err != nil {
			t.Fatal(err)
		}
		var values []string
		for _, it := range entry.Items {
			if !it.IdentifiesSubject {
				values = append(values, fmt.Sprintf("%q:%q", it.Name, sample(it.Type)))
			}
		}
		s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(s)
		defer ts.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
		base := ts.URL + "/api/v1/records/entries/" + strconv.FormatInt(entryID, 10)

		do := func(method, url, key, body string) error {
			req, _ := http.NewRequest(method, url, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+key)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 300 {
				return fmt.Errorf("%s %s: %d", method, url, resp.StatusCode)
			}
			return nil
		}

		var pushed atomic.Int64
		var ackMu sync.Mutex
		var acked []int // subjects whose push was acknowledged
		recent := func(i int) (int, bool) {
			ackMu.Lock()
			defer ackMu.Unlock()
			if len(acked) == 0 {
				return 0, false
			}
			return acked[len(acked)-1-i%min(len(acked), 100)], true
		}
		const windows = 4
		ws := make([]window, windows)
		start := time.Now()
		var firstErr atomic.Value
		heap := func() uint64 {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			return m.HeapAlloc
		}
		heapStart := heap()
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for i := 0; ; i++ {
					now := time.Now()
					if now.Sub(start) >= duration {
						return
					}
					var err error
					switch {
					case w < 2: // providers push in real time
						n := pushed.Add(1)
						body := fmt.Sprintf(`{"op":"add","subject_id":%q,"produced_at":%q,"values":{%s}}`,
							recordstest.CitizenID(int(n)+500000), now.Format(time.RFC3339), strings.Join(values, ","))
						if err = do("POST", base+"/ops", pushKey, body); err == nil {
							ackMu.Lock()
							acked = append(acked, int(n))
							ackMu.Unlock()
						}
					case w < 6: // consumers read recent subjects' records (audited)
						n, ok := recent(i)
						if !ok {
							continue
						}
						err = do("GET", base+"/subjects/"+recordstest.CitizenID(n+500000), readKey, "")
					default: // catalog search
						err = do("GET", ts.URL+"/api/v1/catalog/entries?q="+[]string{"户籍", "证", "营业执照", "婚姻"}[i%4], readKey, "")
					}
					win := &ws[min(int(time.Since(start)*windows/duration), windows-1)]
					win.mu.Lock()
					win.lat = append(win.lat, time.Since(now))
					if err != nil {
						win.errs++
						firstErr.CompareAndSwap(nil, err.Error())
					}
					win.mu.Unlock()
				}
			})
		}
		wg.Wait()
		heapEnd := heap()

		p50 := make([]time.Duration, windows)
		total := 0
		for i := range ws {
			if ws[i].errs > 0 {
				t.Errorf("window %d: %d errors, first: %v", i, ws[i].errs, firstErr.Load())
			}
			slices.Sort(ws[i].lat)
			if len(ws[i].lat) == 0 {
				t.Fatalf("window %d: no requests", i)
			}
			p50[i] = ws[i].lat[len(ws[i].lat)/2]
			total += len(ws[i].lat)
		}
		t.Logf("%d requests in %v (%d pushes), p50 per window %v, heap %d → %d KiB",
			total, duration, pushed.Load(), p50, heapStart>>10, heapEnd>>10)
		// Latency may grow a little as tables grow; a steady service stays within a few times its start.
		if p50[windows-1] > 4*p50[0]+5*time.Millisecond {
			t.Errorf("latency drifted: p50 %v in the first window, %v in the last", p50[0], p50[windows-1])
		}
		if heapEnd > 2*heapStart+64<<20 {
			t.Errorf("heap grew from %d to %d KiB", heapStart>>10, heapEnd>>10)
		}
	})
}
