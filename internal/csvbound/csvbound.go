// Package csvbound bounds the records an encoding/csv Reader reads, which
// has no bound of its own: it reads a record whole, however long, and
// makes a string of each of its fields before it returns. One line of
// 8,000,000 commas, 8 MB, had it allocate over 1 GB.
package csvbound

import (
	"fmt"
	"io"
)

// Reader passes the text of CSV records from its source to an
// encoding/csv Reader until a record is longer than MaxBytes bytes or has
// more than MaxFields fields: it passes that record's text up to that
// point (so the csv.Reader holds no more of it) and then returns its
// Error, on every read. It finds records and fields as encoding/csv does
// (a record ends at a line break outside quotes, a field at the separator
// outside quotes, a field quoted when it begins with a quote, two quotes in
// it one quote), reading each byte once, as it passes it on.
type Reader struct {
	r         io.Reader
	sep       byte
	maxBytes  int
	maxFields int
	err       *Error
	// Of the record being passed: the line of the next byte and of the
	// record's first (1 for the file's first), its bytes and fields so
	// far; whether a field begins with the next byte, whether the bytes
	// are within quotes and whether the last was a quote ending them.
	line, start        int
	size, fields       int
	fieldStart, quoted bool
	quote              bool
}

// New returns a Reader of r's CSV text, separated by sep (a comma or a
// tab), bounding each record to maxBytes bytes (its line break aside)
// and maxFields fields.
func New(r io.Reader, sep byte, maxBytes, maxFields int) *Reader {
	return &Reader{r: r, sep: sep, maxBytes: maxBytes, maxFields: maxFields, line: 1, start: 1, fields: 1, fieldStart: true}
}

// Error is the error of a record over a bound of its Reader.
type Error struct {
	Line int // the line the record begins on, 1 for the first
	// Fields tells a record over the bound of its fields (Max, the
	// bound), else it is over that of its bytes.
	Fields bool
	Max    int
}

func (e *Error) Error() string {
	if e.Fields {
		return fmt.Sprintf("csv: record on line %d: more than %d fields", e.Line, e.Max)
	}
	return fmt.Sprintf("csv: record on line %d: longer than %d bytes", e.Line, e.Max)
}

func (b *Reader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	for i, c := range p[:n] {
		if b.step(c) {
			if i == 0 {
				return 0, b.err
			}
			return i, nil
		}
	}
	return n, err
}

// step takes the next byte c of the text, and reports whether it is one
// over a bound (then setting err).
func (b *Reader) step(c byte) bool {
	b.size++
	if c == '\n' {
		b.line++
	}
	switch {
	case b.quoted:
		if c == '"' {
			b.quoted, b.quote = false, true
		}
		return b.over()
	case b.quote && c == '"':
		b.quoted, b.quote = true, false
		return b.over()
	}
	b.quote = false
	switch c {
	case '"':
		b.quoted = b.fieldStart
	case b.sep:
		b.fields++
		b.fieldStart = true
		return b.over()
	case '\n':
		b.size, b.fields, b.fieldStart, b.start = 0, 1, true, b.line
		return false
	case '\r':
		// The \r of a line break (\r\n, or \r last in the text, which
		// encoding/csv drops) is no byte of the record: it counts once
		// a byte other than \n follows it.
		b.fieldStart = false
		return b.size > b.maxBytes+1 && b.over()
	}
	b.fieldStart = false
	return b.over()
}

// over reports whether the record is over a bound, then setting err.
func (b *Reader) over() bool {
	switch {
	case b.fields > b.maxFields:
		b.err = &Error{Line: b.start, Fields: true, Max: b.maxFields}
	case b.size > b.maxBytes:
		b.err = &Error{Line: b.start, Max: b.maxBytes}
	}
	return b.err != nil
}
