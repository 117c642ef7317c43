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

	"golang.org/x/text/encoding/simplifiedchinese"

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

// blocks reads text in blocks of at most k bytes each.
type blocks struct {
	text []byte
	k    int
}

func (b *blocks) Read(p []byte) (int, error) {
	if len(b.text) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), b.k)], b.text)
	b.text = b.text[n:]
	return n, nil
}

// TestBlocks: the bounds hold alike however the text is cut into the
// blocks read from its source: a quoted field whose doubled quote, line
// break, separator or closing quote ends one block, a \r\n cut between
// two, a GB18030 text's characters (of two bytes and of four) cut, a
// record of separators alone. Each text is read in every size of block,
// within its bounds, then bounded to every fewer bytes and to one field
// fewer: it passes all of the text, else the text up to the byte over the
// bound (of the first record longer, the widest record's last separator),
// and the error, naming the line the record begins on.
func TestBlocks(t *testing.T) {
	gb := func(s string) string {
		b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	type bound struct {
		maxBytes, maxFields int
		passed              string
		want                *csvbound.Error
	}
	for _, c := range []struct {
		what    string
		sep     byte
		records []string // each with its line break
		// The first widest record (its index), its fields.
		widest, fields int
	}{
		{"quotes", ',', []string{"a,\"b\"\"\n\"\"c\",d\r\n", "\"\"\"\",\"x,y\"\r\n", "\"\n\"\"\n\"\n", "e,\"ff\nff\"\"ff\nf\"\n"}, 0, 3},
		{"tabs", '\t', []string{"a\t\"b\"\"\t\"\"c\"\td\r\n", "\"\"\"\"\t\"x\ty\"\n"}, 0, 3},
		{"CRLF", ',', []string{"abc,d\r\n", "de,f\r\n", "\r\n", "g,h,i\r"}, 3, 3},
		{"separators", ',', []string{",\n", ",,\n", "a\n"}, 1, 3},
		{"GB18030", ',', []string{gb("姓名,\"地址，一\"\"号\"\"\n二楼\",备注\r\n"), gb("张㐀,\"广州市天河区\n\",无\r\n"), gb("李四,北京,有,\"\"\r\n")}, 2, 4},
	} {
		text := strings.Join(c.records, "")
		// Bounded to each fewer bytes, the first record longer is refused.
		longest := 0
		for _, r := range c.records {
			longest = max(longest, len(strings.TrimRight(r, "\r\n")))
		}
		bounds := []bound{{longest, c.fields, text, nil}}
		for n := 1; n < longest; n++ {
			line := 1
			for i, r := range c.records {
				if len(strings.TrimRight(r, "\r\n")) > n {
					bounds = append(bounds, bound{n, c.fields, strings.Join(c.records[:i], "") + r[:n], &csvbound.Error{Line: line, Max: n}})
					break
				}
				line += strings.Count(r, "\n")
			}
		}
		widest := c.records[c.widest]
		bounds = append(bounds, bound{longest, c.fields - 1, strings.Join(c.records[:c.widest], "") + widest[:strings.LastIndexByte(widest, c.sep)],
			&csvbound.Error{Line: 1 + strings.Count(strings.Join(c.records[:c.widest], ""), "\n"), Fields: true, Max: c.fields - 1}})
		for _, b := range bounds {
			for k := 1; k <= len(text); k++ {
				got, err := io.ReadAll(csvbound.New(&blocks{[]byte(text), k}, c.sep, b.maxBytes, b.maxFields))
				var be *csvbound.Error
				if string(got) != b.passed || (b.want == nil && err != nil) || (b.want != nil && (!errors.As(err, &be) || *be != *b.want)) {
					t.Errorf("%s in blocks of %d within %d bytes, %d fields: passed %q, %v, want %q, %v", c.what, k, b.maxBytes, b.maxFields, got, err, b.passed, b.want)
				}
			}
		}
	}
}
