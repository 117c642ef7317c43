package records

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// piece is what the reader hands the writer: a chunk of normalised
// operations, the errors found on the way and the warnings of lines
// accepted with one, the lines read and those refused among them (refused:
// each once, whatever its errors), and an error that ends the batch after
// them. Once the batch's pieces have held MaxRejected errors, the others
// are counted (unlisted), not held: refused lines never fill a chunk, so
// a batch of them all would otherwise hold every error until it ends.
type piece struct {
	chunk    []pending
	rejects  []LineError
	warnings []LineError
	lines    int
	refused  int
	unlisted int
	err      error
}

// readChunks reads src in a goroutine and sends chunks of up to size
// normalised operations, with their idempotency keys derived and, for adds,
// their values encoded; now is the batch's time of receipt. The receiver returns each chunk on free once done
// with it; buffers bounds the chunks in flight. Closing stop ends the
// reader after its current line; wait returns when it has ended (the
// source must not be read after Ingest returns).
func readChunks(src Source, e *Entry, now time.Time, size, buffers int) (pieces <-chan piece, free chan<- []pending, stop chan struct{}, wait func()) {
	out := make(chan piece)
	back := make(chan []pending, buffers)
	for i := 0; i < buffers; i++ {
		// Small at first: most batches pushed in real time are one operation.
		back <- make([]pending, 0, min(size, 64))
	}
	stop = make(chan struct{})
	done := make(chan struct{})
	times := isoTimes
	if ts, ok := src.(timeSource); ok {
		times = ts.times()
	}
	table, _ := src.(*csvSource) // a CSV batch's: unknown is set for no other
	read, _ := src.(fieldErrorSource)
	header := table
	var unknown *unknownColumns // the CSV header's columns that are no item of e
	go func() {
		defer close(done)
		defer close(out)
		var pc piece
		listed := 0 // the errors of the batch's pieces held so far
		reject := func(les ...LineError) {
			n := min(len(les), MaxRejected-listed)
			pc.rejects = append(pc.rejects, les[:n]...)
			pc.unlisted += len(les) - n
			listed += n
		}
		send := func() bool {
			select {
			case out <- pc:
			case <-stop:
				return false
			}
			pc = piece{}
			return true
		}
		take := func() bool {
			select {
			case pc.chunk = <-back:
				return true
			case <-stop:
				return false
			}
		}
		defer func() {
			if p := recover(); p != nil {
				pc.err = fmt.Errorf("read batch: panic: %v", p)
				pc.chunk = pc.chunk[:0]
				send()
			}
		}()
		if !take() {
			return
		}
		for {
			var p pending
			line, err := src.Next(&p.op)
			var le *LineError
			if header != nil && header.header != nil && (err == nil || err == io.EOF || errors.As(err, &le)) {
				// Read with the first line after it: the header's unknown
				// columns are left out of every row, and one that holds a
				// value is one error, which every row would otherwise
				// repeat. A header that cannot be read is its own error.
				unknown = e.unknownColumns(header.header, header.headerLine)
				if unknown != nil {
					unknown.note = header.encodingNote()
				}
				dup := e.duplicateColumns(header.header, header.headerLine)
				header = nil
				if dup != nil {
					// Which column's value is the item's cannot be
					// told: the header's error alone, as for a header
					// that cannot be read.
					reject(lineErr(table.headerLine, dup))
					pc.lines++
					pc.refused++
					pc.err = errRejected
					pc.chunk = pc.chunk[:0]
					send()
					return
				}
			}
			if err == io.EOF {
				break
			}
			switch {
			case errors.As(err, &le):
				pc.lines++
				pc.refused++
				reject(*le)
				continue
			case err != nil:
				if ee := errs.As(err); ee != nil && ee.Kind == errs.Invalid {
					reject(lineErr(line, err))
					pc.lines++
					pc.refused++
					pc.err = errRejected
				} else {
					pc.err = err
				}
				pc.chunk = pc.chunk[:0]
				send()
				return
			}
			pc.lines++
			p.line = line
			onlyUnknown, held := false, false
			if unknown != nil {
				var les []LineError
				les, held, onlyUnknown = unknown.leaveOut(p.op.Values, table.blank, line)
				reject(les...)
			}
			at := now
			if !p.op.ReceivedAt.IsZero() {
				at = p.op.ReceivedAt // pushed alone: received before its round
			}
			warns, err := e.normalize(&p.op, at, times)
			var les []LineError
			if err != nil {
				les = lineErrs(line, err)
			}
			if read != nil {
				if bad := read.fieldErrors(); bad != nil {
					// The fields the source could not read (a CSV row's
					// produced_at, a JSON line's unknown field) come
					// first, the other fields' errors after them.
					les = mergeFieldErrors(bad, les)
				}
			}
			if les != nil || held {
				// A value in a column of no item refuses its row, with
				// the header's error: the row is one refused line.
				pc.refused++
			}
			if les != nil {
				for _, le := range les {
					if table != nil && le.Code == "values_not_allowed" {
						le = table.cancelValues(le, p.op.Values)
					}
					if !onlyUnknown || le.Code != "missing_values" { // else the header's error says it
						reject(le)
					}
				}
				continue
			}
			p.refused = held
			masked := maskSubject(e.SubjectKind, p.op.SubjectID)
			for _, w := range warns {
				w.Line, w.Key, w.SubjectMasked, w.Subject = line, p.op.Key, masked, p.op.SubjectID
				pc.warnings = append(pc.warnings, w)
				p.mismatch = p.mismatch || w.Code == "subject_id_mismatch"
			}
			if p.op.Key == "" {
				p.op.Key = opKey(e.ID, &p.op)
			}
			if p.op.Op == Add {
				for k, v := range p.op.Values {
					if v == "" {
						delete(p.op.Values, k)
					}
				}
				if p.js, err = encodeVals(p.op.Values); err != nil {
					pc.err = err
					pc.chunk = pc.chunk[:0]
					send()
					return
				}
			}
			pc.chunk = append(pc.chunk, p)
			if len(pc.chunk) == size {
				if !send() || !take() {
					return
				}
			}
		}
		if len(pc.chunk) > 0 || pc.lines > 0 || len(pc.rejects) > 0 || pc.unlisted > 0 {
			send()
		}
	}()
	return out, back, stop, func() { <-done }
}

// maskSubject is subject, the subject_id of an entry's operation of
// subject kind kind, masked for a warning's subject_id_masked: a person's
// whole, whatever its form (ident.MaskValue: a citizen ID keeps its first 6
// and last 2 characters, a passport or permit number none), a legal
// entity's as the request log masks it (ident.Mask: a credit code's first
// 6 and last 2 kept, an organisation code whole).
func maskSubject(kind, subject string) string {
	if kind == Person {
		return ident.MaskValue(subject)
	}
	return ident.Mask(subject)
}

// csvColumns are the columns of a CSV header that are no data items.
var csvColumns = []string{"op", "subject_id", "produced_at", "key"}

// unknownColumns are the columns of a CSV header that name no item of an
// entry, by their name or, with a blank header cell, none. An empty cell
// of a row leaves no value, so that a column all empty is never an error;
// the first value of one is, of the header's line, once.
type unknownColumns struct {
	line     int    // the header's
	code     string // the entry's
	names    []string
	reported []bool
	blank    map[int]bool // the blank-headed columns reported, by number
	note     string       // the file's encodingNote, said with an unknown name
}

// unknownColumns lists the columns of a CSV header that name no item of
// e, or is nil if there are none. A blank header cell (a trailing comma, as
// Excel writes) names no item: its column is no error while empty.
func (e *Entry) unknownColumns(header []string, line int) *unknownColumns {
	var names []string
	blank := false
	for _, h := range header {
		if h == "" {
			blank = true
			continue
		}
		if slices.Contains(csvColumns, h) || e.ItemIndex(h) >= 0 {
			continue
		}
		names = append(names, h)
	}
	if names == nil && !blank {
		return nil
	}
	return &unknownColumns{line: line, code: e.Code, names: names, reported: make([]bool, len(names)), blank: map[int]bool{}}
}

// duplicateColumns refuses a CSV header, on line line, two columns of
// which name one item of e (ItemIndex: 姓名 and 姓 名), which readHeader,
// knowing no entry, does not tell from two items.
func (e *Entry) duplicateColumns(header []string, line int) error {
	var names []string
	for _, h := range header {
		if h != "" && !slices.Contains(csvColumns, h) {
			names = append(names, h)
		}
	}
	i, same := e.sameItem(names)
	if same == nil {
		return nil
	}
	return errs.Field(e.Items[i].Name, "duplicate_item", fmt.Sprintf("CSV 表头（第 %d 行）的列“%s”都是信息项“%s”：一个信息项只能有一列，请只保留其中一列",
		line, strings.Join(same, "”“"), e.Items[i].Name))
}

// leaveOut deletes the values of the unknown columns from vals, returns
// the error of each column holding one here, on the given line, for the
// first time (blank lists the blank-headed columns that do: their values
// are not in vals), and reports whether the row held a value in any of
// them (held: it is refused) and whether leaving them out left none of
// the values the row had.
func (u *unknownColumns) leaveOut(vals map[string]string, blank []int, line int) (les []LineError, held, none bool) {
	had := len(vals) > 0 || len(blank) > 0
	held = len(blank) > 0
	for _, col := range blank {
		if !u.blank[col] {
			u.blank[col] = true
			les = append(les, LineError{Line: u.line, Code: "unknown_item", Reason: fmt.Sprintf(
				"CSV 表头（第 %d 行）的第 %d 列没有列名，第 %d 行该列却有值：请在表头填写该列的信息项名称（数据资源 %s 中的名称），或删去该列的值",
				u.line, col, line, u.code)})
		}
	}
	for i, n := range u.names {
		if _, ok := vals[n]; !ok {
			continue
		}
		delete(vals, n)
		held = true
		if !u.reported[i] {
			u.reported[i] = true
			les = append(les, LineError{Line: u.line, Code: "unknown_item", Field: n,
				Reason: fmt.Sprintf("CSV 表头（第 %d 行）的列“%s”不是数据资源 %s 的信息项，请改为该数据资源中信息项的名称%s", u.line, n, u.code, u.note)})
		}
	}
	return les, held, had && len(vals) == 0
}

// subjectFilter is a blocked Bloom filter of subject ids of a fixed size
// (8 MiB): the three bits of a subject lie in one 64-bit word, so that a
// test costs one cache miss. has may report a subject never added (it is
// then looked up), never the reverse.
type subjectFilter struct {
	seed  maphash.Seed
	words []uint64
}

const filterWords = 1 << 20

func newSubjectFilter() *subjectFilter {
	return &subjectFilter{seed: maphash.MakeSeed(), words: make([]uint64, filterWords)}
}

// locate returns the word of s and its three bits.
func (f *subjectFilter) locate(s string) (*uint64, uint64) {
	h := maphash.String(f.seed, s)
	mask := uint64(1)<<(h>>46&63) | uint64(1)<<(h>>52&63) | uint64(1)<<(h>>58&63)
	return &f.words[h&(filterWords-1)], mask
}

func (f *subjectFilter) add(s string) {
	w, m := f.locate(s)
	*w |= m
}

func (f *subjectFilter) has(s string) bool {
	w, m := f.locate(s)
	return *w&m == m
}

// timeArg returns t as a statement argument: on SQLite the text the driver
// would write (sqldb.SQLiteTime), cached for runs of the same time, which
// spares formatting the same batch time for every row.
func (in *ingest) timeArg(t time.Time) any {
	if in.tx.Dialect != sqldb.SQLite {
		return t
	}
	if t != in.lastTime || in.lastText == "" {
		in.lastTime, in.lastText = t, t.Format(sqldb.SQLiteTime)
	}
	return in.lastText
}
