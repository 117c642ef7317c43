package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDecodeInvalidText: a body with bytes that are not UTF-8, or an
// escaped surrogate that is not half of a pair, is refused
// (invalid_text, naming the field), where encoding/json would have
// made U+FFFD of them; an escaped pair is a character like any other.
func TestDecodeInvalidText(t *testing.T) {
	type item struct {
		Name string `json:"name"`
	}
	for _, c := range []struct {
		body, field string
	}{
		{"{\"name\":\"测\xff\"}", "name"},
		{`{"name":"\ud800x"}`, "name"},
		{`{"name":"x\udc00"}`, "name"},
		{"{\"items\":[{\"name\":\"a\"},{\"name\":\"\xc3\x28\"}]}", "items[1].name"},
	} {
		var v struct {
			Name  string `json:"name"`
			Items []item `json:"items"`
		}
		e := errs.As(decode([]byte(c.body), &v))
		if e == nil || e.Kind != errs.Invalid || e.Code != "invalid_text" || e.Field != c.field || !strings.Contains(e.Message, c.field) {
			t.Errorf("body %q: got %v (field %v), want invalid_text of %s", c.body, e, e, c.field)
		}
	}
	var v struct {
		Name string `json:"name"`
	}
	if err := decode([]byte(`{"name":"笑\ud83d\ude00\ufffd"}`), &v); err != nil || v.Name != "笑😀\ufffd" {
		t.Errorf("escaped pair: got %q, %v, want 笑😀\ufffd", v.Name, err)
	}
}

// TestRecordsInvalidUTF8: a value with bytes that are not UTF-8 or with a
// lone escaped surrogate is refused, pushed alone (400) or as a line of a
// batch (422, that line refused), and nothing is stored, where it was
// stored with U+FFFD in its place; an escaped pair is stored as the
// character it encodes. An app's name likewise.
func TestRecordsInvalidUTF8(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + itoa(rf.entryA)
		at := beijing(rf.clock.Now().Add(-time.Hour))
		p1, p2 := recordstest.CitizenID(4301), recordstest.CitizenID(4302)
		for _, bad := range []string{"abc\xff", "\xc3\x28", `\ud800`, `x\udfffy`} {
			body := `{"op":"add","subject_id":"` + p1 + `","produced_at":"` + at + `","values":{"姓名":"张三","居住地址":"` + bad + `"}}`
			r := rf.do(t, "POST", a+"/ops", rf.gaKey, body)
			if r.status != 400 || r.body["code"] != "invalid_text" || r.body["field"] != "居住地址" {
				t.Errorf("op with %q: %d %v, want 400 invalid_text of 居住地址", bad, r.status, r.body)
			}
			batch := opLine("add", p2, at, map[string]string{"姓名": "李四"}) + "\n" + body + "\n"
			r = rf.do(t, "POST", a+"/batches", rf.gaKey, batch, "Content-Type", "application/x-ndjson")
			rejected, _ := r.body["rejected"].([]any)
			if r.status != 422 || len(rejected) != 1 {
				t.Errorf("batch with %q: %d %v, want 422 with one refused line", bad, r.status, r.body)
				continue
			}
			if l := rejected[0].(map[string]any); l["line"] != 2.0 || l["code"] != "invalid_text" || l["field"] != "居住地址" {
				t.Errorf("batch with %q: refused %v, want line 2 invalid_text of 居住地址", bad, l)
			}
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM record_versions WHERE entry_id = $1`, rf.entryA); n != 0 {
			t.Errorf("refused operations wrote %d versions", n)
		}
		pair := `{"op":"add","subject_id":"` + p1 + `","produced_at":"` + at + `","values":{"姓名":"张\ud83d\ude00"}}`
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, pair); r.status != 201 {
			t.Fatalf("op with an escaped pair: %d %v", r.status, r.body)
		}
		r := rf.do(t, "GET", a+"/subjects/"+p1+"?purpose=核验", rf.gaKey, "")
		if vals, _ := r.body["values"].(map[string]any); vals["姓名"] != "张😀" {
			t.Errorf("escaped pair stored as %v, want 张😀", r.body)
		}

		admin := rf.session(t, "mz.admin")
		r = rf.do(t, "POST", "/api/v1/apps", "", "{\"name\":\"测\xff\",\"scopes\":[\"data.read\"]}", admin...)
		if r.status != 400 || r.body["code"] != "invalid_text" || r.body["field"] != "name" {
			t.Errorf("app named with a byte that is not UTF-8: %d %v, want 400 invalid_text of name", r.status, r.body)
		}
	})
}
