package errs_test

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
)

// manyKeys is an object of n distinct keys k0, k1, … each of value 1,
// then the keys of extra.
func manyKeys(n int, extra ...string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"k` + strconv.Itoa(i) + `":1`)
	}
	for _, k := range extra {
		b.WriteString(`,"` + k + `":1`)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// BenchmarkJSONKeys measures the check of an object of 1k, 10k and 100k
// distinct keys decoded into a map (each key a new one to check for
// repetition) and into a struct naming none of them (each key unknown):
// the time per key should not grow with their number.
//
//	go test -run '^$' -bench JSONKeys ./internal/errs
func BenchmarkJSONKeys(b *testing.B) {
	for _, c := range []struct {
		name string
		t    reflect.Type
	}{
		{"map", reflect.TypeFor[map[string]int]()},
		{"unknown", reflect.TypeFor[keysInner]()},
	} {
		for _, n := range []int{1000, 10000, 100000} {
			data := manyKeys(n)
			b.Run(fmt.Sprintf("%s/%dk", c.name, n/1000), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					errs.JSONKeys(data, c.t)
				}
			})
		}
	}
}
