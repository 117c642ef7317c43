package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
)

// slowBody is a request body whose sending takes time: the clock moves
// by d when the server first reads it (Expect: 100-continue holds the
// body back until then), as a slow upload's last bytes arrive later.
type slowBody struct {
	r     io.Reader
	clock *testclock.Clock
	d     time.Duration
	once  sync.Once
}

func (b *slowBody) Read(p []byte) (int, error) {
	b.once.Do(func() { b.clock.Add(b.d) })
	return b.r.Read(p)
}

// TestPushReceivedAtArrival: a push is received when its request arrives,
// not once its body is uploaded (a batch) or its round of pushes begins
// (an operation pushed alone): an operation on time when its request
// arrived was counted late, and stamped received, by the time its body
// had come. Here the body takes ten days, past the 2 working days the
// entry's rule allows.
func TestPushReceivedAtArrival(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
		post := func(path, contentType, body string) map[string]any {
			t.Helper()
			arrived := rf.clock.Now()
			req, err := http.NewRequest("POST", rf.srv.URL+path, &slowBody{r: strings.NewReader(body), clock: rf.clock, d: 10 * 24 * time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+rf.gaKey)
			req.Header.Set("Content-Type", contentType)
			req.Header.Set("Expect", "100-continue")
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var res map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
				t.Fatal(err)
			}
			if rf.clock.Now().Equal(arrived) {
				t.Fatalf("%s: the body was read without the clock moving", path)
			}
			want := arrived.UTC().Format(time.RFC3339Nano)
			if resp.StatusCode != 201 || res["applied"] != 1.0 || res["late"] != 0.0 || res["received_at"] != want {
				t.Errorf("%s: %d %v; want applied on time, received_at %s", path, resp.StatusCode, res, want)
			}
			return res
		}
		at := beijing(rf.clock.Now().Add(-time.Minute))
		post(a+"/ops", "application/json", opLine("add", recordstest.CitizenID(1), at, map[string]string{"姓名": "张三"}))
		at = beijing(rf.clock.Now().Add(-time.Minute))
		post(a+"/batches", "application/x-ndjson", opLine("add", recordstest.CitizenID(2), at, map[string]string{"姓名": "李四"})+"\n")
		if n := rf.countWhere(t, `SELECT count(*) FROM record_versions WHERE late`); n != 0 {
			t.Errorf("%d versions stored late, want none", n)
		}
	})
}
