package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestRequestLogMasksSubjects: the request log names no subject in full —
// a citizen ID, an old 15-digit one or a credit code in the path of a
// record read, of the console's record page, of the identifier check or of
// a path no route takes — but its first 6 and last 2 characters.
func TestRequestLogMasksSubjects(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		var log testlog.Buffer
		_, ts := serveLogging(t, db, log.Logger())
		id, old, uscc := recordstest.CitizenID(1), "440605500101001", recordstest.USCC(1)
		// The validators read full-width digits and letters (４４０６…)
		// as ASCII, so such a path is served and must be masked too, and
		// so must one mixing the two widths.
		wide, mixed := fullWidth(id), id[:10]+fullWidth(id[10:])
		paths := []string{
			"/api/v1/records/entries/1/subjects/" + id,
			"/api/v1/records/entries/1/subjects/" + strings.ToLower(uscc) + "/history",
			"/api/v1/ident/" + old,
			"/records/entries/1/subjects/" + id,
			"/api/v1/records/entries/1/subject/" + id + "x",
			"/api/v1/records/entries/1/subjects/" + wide,
			"/api/v1/ident/" + mixed,
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, p := range paths {
			resp, err := c.Get(ts.URL + p)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		out := log.String()
		if n := strings.Count(out, "msg=request "); n != len(paths) {
			t.Fatalf("%d request lines, want %d:\n%s", n, len(paths), out)
		}
		for _, full := range []string{id, old, uscc, strings.ToLower(uscc), wide, mixed, fullWidth(id[6:16])} {
			if strings.Contains(out, full) {
				t.Errorf("the request log holds %s in full:\n%s", full, out)
			}
		}
		for _, masked := range []string{"path=/api/v1/records/entries/1/subjects/" + id[:6] + strings.Repeat("*", 10) + id[16:] + " ",
			"path=/api/v1/ident/" + old[:6] + strings.Repeat("*", 7) + old[13:] + " ",
			"/subjects/" + strings.ToLower(uscc[:6]) + strings.Repeat("*", 10) + strings.ToLower(uscc[16:]) + "/history ",
			"path=/api/v1/records/entries/1/subject/" + id[:6] + strings.Repeat("*", 11) + id[17:] + "x ",
			"path=/api/v1/records/entries/1/subjects/" + fullWidth(id[:6]) + strings.Repeat("*", 10) + fullWidth(id[16:]) + " ",
			"path=/api/v1/ident/" + id[:6] + strings.Repeat("*", 10) + fullWidth(id[16:]) + " "} {
			if !strings.Contains(out, masked) {
				t.Errorf("the request log lacks %q:\n%s", masked, out)
			}
		}
	})
}

// fullWidth returns s with its ASCII digits and letters in their full-width
// forms (０-９, Ａ-Ｚ, ａ-ｚ), as a Chinese input method types them.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' {
			return r + 0xfee0
		}
		return r
	}, s)
}

// TestRequestLogMasksSubjectSegments: a passport or permit number, or an
// ID typed with a space, in the {subject} of a record read (API and
// console) or the identifier check is no run of 15 letters and digits,
// and is masked whole all the same; the rest of the path stays.
func TestRequestLogMasksSubjectSegments(t *testing.T) {
	db := sqldbtest.SQLite(t)
	var log testlog.Buffer
	_, ts := serveLogging(t, db, log.Logger())
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{"/api/v1/records/entries/1/subjects/E12345678", "/api/v1/records/entries/1/subjects/H1234567801/history",
		"/records/entries/1/subjects/EA1234567", "/api/v1/records/entries/1/subjects/1101051949%2012310021",
		"/api/v1/ident/110105%201949123100%202X"} {
		resp, err := c.Get(ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	out := log.String()
	for _, full := range []string{"E12345678", "H1234567801", "EA1234567", "1949 1231", "1949123100"} {
		if strings.Contains(out, full) {
			t.Errorf("the request log holds %s in full:\n%s", full, out)
		}
	}
	for _, masked := range []string{"path=/api/v1/records/entries/1/subjects/********* ",
		"path=/api/v1/records/entries/1/subjects/***********/history ", "path=/records/entries/1/subjects/********* ",
		"path=/api/v1/records/entries/1/subjects/110105***********21 ", `path=/api/v1/ident/110105************2X `} {
		if !strings.Contains(out, masked) {
			t.Errorf("the request log lacks %q:\n%s", masked, out)
		}
	}
}
