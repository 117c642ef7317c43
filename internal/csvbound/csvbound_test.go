package csvbound_test

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/csvbound"
)

// readAll reads every record of r as csv.Reader reads them, until its
// first error other than a csv.ParseError, which it returns.
func readAll(r io.Reader, sep byte) ([][]string, []string, error) {
	cr := csv.NewReader(r)
	cr.Comma = rune(sep)
	cr.FieldsPerRecord = -1
	var recs [][]string
	var perrs []string
	for {
		rec, err := cr.Read()
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return recs, perrs, nil
		case errors.As(err, &pe):
			perrs = append(perrs, pe.Error())
		case err != nil:
			return recs, perrs, err
		default:
			recs = append(recs, rec)
		}
	}
}

// TestBounds: a record of 8,000,000 commas is refused at its field bound,
// one of a quoted field of 8 MB at its byte bound, each error naming the
// line the record begins on (after a blank line and a quoted line break),
// the records before it read; encoding/csv allocated some 1 GB for the
// commas. Allocating under 16 MB each.
func TestBounds(t *testing.T) {
	const head = "a,b\n\n\"x\ny\",z\n"
	for _, c := range []struct {
		what, last string
		want       csvbound.Error
	}{
		{"commas", "add," + strings.Repeat(",", 8_000_000) + "\n", csvbound.Error{Line: 5, Fields: true, Max: 100}},
		{"quoted field", "add,\"" + strings.Repeat("长\n", 2_000_000) + "\"\n", csvbound.Error{Line: 5, Max: 1 << 20}},
		{"field", "add," + strings.Repeat("x", 8_000_000) + "\n", csvbound.Error{Line: 5, Max: 1 << 20}},
	} {
		var recs [][]string
		var err error
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		recs, _, err = readAll(csvbound.New(strings.NewReader(head+c.last), ',', 1<<20, 100), ',')
		runtime.ReadMemStats(&after)
		var be *csvbound.Error
		if !errors.As(err, &be) || *be != c.want {
			t.Errorf("%s: got %v, want %+v", c.what, err, c.want)
		}
		if want := [][]string{{"a", "b"}, {"x\ny", "z"}}; !reflect.DeepEqual(recs, want) {
			t.Errorf("%s: read %q before, want %q", c.what, recs, want)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
			t.Errorf("%s: allocated %d MB, want under 16 MB", c.what, n>>20)
		}
	}
	// A record at its bounds is read: 100 fields, 1 MiB but for its line
	// break, \n or \r\n (whose \r was counted: a record of 1 MiB ending
	// \r\n was refused), or \r last in the text, which encoding/csv drops;
	// one byte more is refused, the records before it read.
	for _, br := range []string{"\n", "\r\n"} {
		at := strings.Repeat(",", 99) + br + strings.Repeat("x", 1<<20) + br + "y" + strings.Repeat("x", 1<<20-1) + "\r"
		if recs, _, err := readAll(csvbound.New(strings.NewReader(at), ',', 1<<20, 100), ','); err != nil || len(recs) != 3 {
			t.Errorf("records at the bounds, %q: %d read, %v", br, len(recs), err)
		}
		over := strings.Repeat(",", 99) + br + strings.Repeat("x", 1<<20+1) + br
		recs, _, err := readAll(csvbound.New(strings.NewReader(over), ',', 1<<20, 100), ',')
		var be *csvbound.Error
		if !errors.As(err, &be) || *be != (csvbound.Error{Line: 2, Max: 1 << 20}) || len(recs) != 1 {
			t.Errorf("record of 1 MiB and a byte, %q: %d read, %v, want line 2 over 1 MiB", br, len(recs), err)
		}
	}
	// \r that ends no line counts: a record of 8 MB of them is refused.
	recs, _, err := readAll(csvbound.New(strings.NewReader("a\n"+strings.Repeat("\r", 8_000_000)+"b\n"), ',', 1<<20, 100), ',')
	if be := (*csvbound.Error)(nil); !errors.As(err, &be) || *be != (csvbound.Error{Line: 2, Max: 1 << 20}) || len(recs) != 1 {
		t.Errorf("record of 8 MB of \\r: %d read, %v, want line 2 over 1 MiB", len(recs), err)
	}
}

// FuzzReader: unbounded, a Reader passes every text as it is: csv.Reader
// reads the same records and errors through it; bounded, the records it
// reads before the bound are the first records of the text, every one
// within the bounds.
func FuzzReader(f *testing.F) {
	f.Add([]byte("a,b\n\"x\n\"\"y\",z\n\n,,,\n"), byte(','))
	f.Add([]byte("a\tb\n\"q\"\"\"\tc\r\nd\"e\tf\n\"g\"h\n"), byte('\t'))
	f.Add([]byte("\"unterminated\n,,,,,\n"), byte(','))
	f.Fuzz(func(t *testing.T, b []byte, sep byte) {
		if sep != ',' && sep != '\t' {
			sep = ','
		}
		want, wantErrs, _ := readAll(strings.NewReader(string(b)), sep)
		got, gotErrs, err := readAll(csvbound.New(strings.NewReader(string(b)), sep, math.MaxInt, math.MaxInt), sep)
		if err != nil || !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotErrs, wantErrs) {
			t.Fatalf("unbounded: %q %q %v, want %q %q", got, gotErrs, err, want, wantErrs)
		}
		got, _, err = readAll(csvbound.New(strings.NewReader(string(b)), sep, 8, 3), sep)
		var be *csvbound.Error
		if err != nil && !errors.As(err, &be) {
			t.Fatalf("bounded: error %v", err)
		}
		for i, rec := range got {
			if i >= len(want) || !reflect.DeepEqual(rec, want[i]) || len(rec) > 3 {
				t.Fatalf("bounded: record %d %q, want %q within 3 fields", i, rec, want)
			}
		}
	})
}
