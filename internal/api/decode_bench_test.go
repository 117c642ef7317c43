package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// BenchmarkDecode measures api.Decode on a catalog entry as a client
// creates one (marriageEntry, some 700 bytes) and on a registration
// document near its route's bound (MaxRegistrationBody) of 40-item
// entries, and the passes it makes over the body alone: encoding/json's
// decoding (json), the check of its keys (keys: errs.CheckJSONKeys, a
// json.Valid and a walk) and of its text (text: text.BadJSON).
//
//	go test -run '^$' -bench Decode -benchmem -count 5 ./internal/api
func BenchmarkDecode(b *testing.B) {
	var res map[string]any
	if err := json.Unmarshal([]byte(marriageEntry), &res); err != nil {
		b.Fatal(err)
	}
	items := res["items"].([]any)
	for i := len(items); i < 40; i++ {
		items = append(items, map[string]any{"name": fmt.Sprintf("登记事项%02d", i), "type": "C", "length": 100,
			"description": strings.Repeat("婚姻登记档案中记载的登记事项，按登记机关的登记簿填写。", 4)})
	}
	res["items"] = items
	reg := map[string]any{"format": catalog.RegistrationFormat, "exported_at": "2026-03-02T02:00:00Z"}
	var entries []any
	provider := map[string]any{"name": "南海区民政局", "uscc": "11440605MB2C9235XX", "region_code": "440605"}
	for i := 1; i <= 2000; i++ {
		r := maps.Clone(res)
		r["name"] = fmt.Sprintf("婚姻登记信息%04d", i)
		entries = append(entries, map[string]any{"code": fmt.Sprintf("303001/%06d", i), "provider": provider,
			"version": 1, "published_at": "2026-03-01T02:00:00Z", "resource": r})
	}
	reg["entries"] = entries
	large, err := json.Marshal(reg)
	if err != nil {
		b.Fatal(err)
	}
	if len(large) > api.MaxRegistrationBody {
		b.Fatalf("registration of %d bytes, over %d", len(large), api.MaxRegistrationBody)
	}
	for _, c := range []struct {
		name string
		body []byte
		v    func() any
	}{
		{"entry", []byte(marriageEntry), func() any { return new(catalog.Resource) }},
		{"registration", large, func() any { return new(catalog.Registration) }},
	} {
		b.Run(c.name+"/Decode", func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest("POST", "/", bytes.NewReader(c.body))
				r.Header.Set("Content-Type", "application/json")
				if err := api.Decode(r, c.v()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/json", func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				dec := json.NewDecoder(bytes.NewReader(c.body))
				dec.DisallowUnknownFields()
				if err := dec.Decode(c.v()); err != nil {
					b.Fatal(err)
				}
			}
		})
		t := reflect.TypeOf(c.v())
		b.Run(c.name+"/keys", func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := errs.CheckJSONKeys(c.body, t); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/text", func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, bad := text.BadJSON(c.body); bad {
					b.Fatal("bad text")
				}
			}
		})
	}
}
