package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
)

// slowUpload is a request body whose sending takes time: the clock moves
// by d when the server first reads it (Expect: 100-continue holds the
// body back until then), as a slow upload's last bytes arrive later;
// meanwhile, if not nil, runs then.
type slowUpload struct {
	r     io.Reader
	clock *testclock.Clock
	d     time.Duration
	then  func()
	once  sync.Once
}

func (b *slowUpload) Read(p []byte) (int, error) {
	b.once.Do(func() {
		b.clock.Add(b.d)
		if b.then != nil {
			b.then()
		}
	})
	return b.r.Read(p)
}

// slowPost uploads csv as people.csv to the entry of code in the console
// as c, tok its form token, the body taking d to arrive (slowUpload),
// then run meanwhile if not nil, and answers the response.
func slowPost(t *testing.T, f *fixture, c *client, tok, code, csv string, d time.Duration, then func()) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", tok)
	mw.WriteField("entry", code)
	fw, err := mw.CreateFormFile("file", "people.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(csv))
	mw.Close()
	req, err := http.NewRequest("POST", f.srv.URL+"/records/upload", &slowUpload{r: &body, clock: f.clock, d: d, then: then})
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Expect", "100-continue")
	slow := *c
	slow.http = &http.Client{Jar: c.http.Jar, CheckRedirect: c.http.CheckRedirect,
		Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
	return slow.do(req)
}

// TestUploadReceivedAtArrival: a file uploaded in the console is received
// when its request arrives, as a batch pushed through the API is
// (TestPushReceivedAtArrival), not once its body has been read: the
// upload took the time after the form, file and all, had come, so that a
// slow upload over midnight was counted late and its batch and versions
// stamped received by when its last bytes came. Here the body takes ten
// days, past the 2 working days the entry's rule allows. On both engines.
func TestUploadReceivedAtArrival(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		entry := peopleEntry(t, f)
		c := f.client(t)
		tok := c.login("police.admin")
		arrived := f.clock.Now()
		produced := arrived.Add(-time.Minute).In(calendar.Location()).Format("2006-01-02 15:04:05")
		r := slowPost(t, f, c, tok, entryCode(t, db, entry),
			"op,subject_id,produced_at,性别\nadd,"+recordstest.CitizenID(1)+","+produced+",男\n", 10*24*time.Hour, nil)
		wantStatus(t, "upload", r, http.StatusOK)
		wantBody(t, "upload", r, "已导入 1 条操作")
		if f.clock.Now().Equal(arrived) {
			t.Fatal("the body was read without the clock moving")
		}
		bs, _, err := records.Batches(t.Context(), db.Read(), records.BatchFilter{DepartmentID: f.depts["公安分局"].ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		want := arrived.UTC().Truncate(time.Microsecond)
		if len(bs) != 1 || bs[0].Applied != 1 || bs[0].Late != 0 || !bs[0].ReceivedAt.Equal(want) {
			t.Errorf("batches %+v; want one applied on time, received at %s", bs, want)
		}
		if n := count(t, db, `SELECT count(*) FROM record_versions WHERE late`); n != 0 {
			t.Errorf("%d versions stored late, want none", n)
		}
	})
}

// TestUploadSessionExpiresDuringUpload: a console upload whose session
// reaches the end of its fixed lifetime while the body arrives (here 5
// minutes after the arrival, the body taking 10) is stored: a session's
// expiry is judged at its request's arrival. From 151f61bb until
// 2026-12-06 it was judged as the batch committed, and the upload was
// refused (401 登录已失效) and lost. An upload whose session is logged
// out while the body arrives is still refused, nothing stored. On both
// engines.
func TestUploadSessionExpiresDuringUpload(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		entry := peopleEntry(t, f)
		upload := func(subject int, then func()) response {
			t.Helper()
			c := f.client(t)
			tok := c.login("police.admin")
			arrived := f.clock.Now()
			sqldbtest.Exec(t, db, `UPDATE sessions SET expires_at = $1`, arrived.Add(5*time.Minute))
			produced := arrived.Add(-time.Minute).In(calendar.Location()).Format("2006-01-02 15:04:05")
			r := slowPost(t, f, c, tok, entryCode(t, db, entry),
				"op,subject_id,produced_at,性别\nadd,"+recordstest.CitizenID(subject)+","+produced+",男\n", 10*time.Minute, then)
			if !f.clock.Now().After(arrived.Add(5 * time.Minute)) {
				t.Fatal("the body was read before the session expired")
			}
			return r
		}
		r := upload(1, nil)
		wantStatus(t, "upload, session expiring meanwhile", r, http.StatusOK)
		wantBody(t, "upload, session expiring meanwhile", r, "已导入 1 条操作")
		if n := count(t, db, `SELECT count(*) FROM record_versions`); n != 1 {
			t.Errorf("upload, session expiring meanwhile: %d versions stored, want 1", n)
		}
		r = upload(2, func() { sqldbtest.Exec(t, db, `DELETE FROM sessions`) })
		wantStatus(t, "upload, session logged out meanwhile", r, http.StatusUnauthorized)
		wantBody(t, "upload, session logged out meanwhile", r, "登录已失效")
		if n := count(t, db, `SELECT count(*) FROM record_versions`); n != 1 {
			t.Errorf("upload, session logged out meanwhile: %d versions stored, want 1 (the first upload's)", n)
		}
	})
}
