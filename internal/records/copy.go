package records

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// A column of a table written with COPY, in PostgreSQL's binary format.
type copyCol struct {
	name string
	kind byte // colInt8, colInt4, colText, colBool, colTimestamptz
}

const (
	colInt8 = iota
	colInt4
	colText
	colBool
	colTimestamptz
)

var versionCols = []copyCol{{"entry_id", colInt8}, {"seq", colInt8}, {"subject_id", colText}, {"version", colInt4},
	{"op", colText}, {"vals", colText}, {"produced_at", colTimestamptz}, {"received_at", colTimestamptz},
	{"batch_id", colInt8}, {"department_id", colInt8}, {"op_key", colText}, {"late", colBool}, {"prev_seq", colInt8}}

// copyable reports whether rows can go in with COPY: on PostgreSQL, when
// the batch runs on its own connection. COPY writes the same rows as the
// multi-row INSERT in the same transaction, with one round trip and no
// statement to parse or plan; a constraint it breaks fails the batch the
// same way.
func (in *ingest) copyable() bool {
	return in.tx.Dialect == sqldb.Postgres && in.raw != nil
}

// insertVersions writes n versions of 13 values each.
func (in *ingest) insertVersions(vals []any, n int) error {
	if in.tx.Dialect == sqldb.SQLite {
		return in.insertVersionsSQLite(vals, n)
	}
	if !in.copyable() {
		return in.exec(in.tx.Dialect.Values(versionInsert, 13, n), vals...)
	}
	return in.copyRows("record_versions", versionCols, vals)
}

// insertVersionsSQLite writes the columns that are the same for the whole
// batch (entry, batch, department) as literals of a statement prepared
// once per batch and size, binding 10 values a row instead of 13
// (received_at is bound: the operations of a round of pushes each have
// their own, Op.ReceivedAt).
func (in *ingest) insertVersionsSQLite(vals []any, n int) error {
	if in.versionSQL[n] == "" {
		if in.versionSQL == nil {
			in.versionSQL = map[int]string{}
		}
		consts := "," + strconv.FormatInt(in.e.ID, 10) + "," + strconv.FormatInt(in.batchID, 10) + "," +
			strconv.FormatInt(in.by.DepartmentID, 10) + ")"
		var b strings.Builder
		b.WriteString(`INSERT INTO record_versions (seq, subject_id, version, op, vals, produced_at, received_at, op_key, late,
			prev_seq, entry_id, batch_id, department_id) VALUES `)
		for r := 0; r < n; r++ {
			if r > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?,?,?,?,?,?")
			b.WriteString(consts)
		}
		in.versionSQL[n] = b.String()
	}
	args := in.argBuf[:0]
	for i := 0; i < n; i++ {
		r := vals[i*13 : i*13+13]
		args = append(args, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[10], r[11], r[12])
	}
	in.argBuf = args
	return in.exec(in.versionSQL[n], args...)
}

// copyRows copies into table the rows laid out one after the other in
// vals, len(cols) values each, through the transaction's connection. The
// rows are encoded here, straight into COPY's binary format: the driver's
// general encoder finds each value's encoding by reflection, which cost
// as much CPU as the rest of a batch's work on the client.
func (in *ingest) copyRows(table string, cols []copyCol, vals []any) error {
	buf, err := encodeCopy(in.copyBuf[:0], cols, vals)
	in.copyBuf = buf
	if err != nil {
		return err
	}
	var q strings.Builder
	q.WriteString("COPY " + table + " (")
	for i, c := range cols {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(c.name)
	}
	q.WriteString(") FROM STDIN (FORMAT binary)")
	return in.raw(func(dc any) error {
		_, err := dc.(*stdlib.Conn).Conn().PgConn().CopyFrom(in.ctx, bytes.NewReader(buf), q.String())
		return err
	})
}

// pgEpoch is PostgreSQL's epoch for timestamps, 2000-01-01 UTC, in
// microseconds after the Unix epoch.
const pgEpoch = 946_684_800 * 1_000_000

// encodeCopy appends to b the rows of vals in COPY's binary format: the
// header, each row as its field count then each field's length and bytes
// (big-endian), the trailer. A value must have its column's Go type:
// int64 (or int) for int8 and int4, string, bool, time.Time.
func encodeCopy(b []byte, cols []copyCol, vals []any) ([]byte, error) {
	if len(vals)%len(cols) != 0 {
		return b, fmt.Errorf("copy: %d values for rows of %d columns", len(vals), len(cols))
	}
	b = append(b, "PGCOPY\n\xff\r\n\x00"...)
	b = binary.BigEndian.AppendUint32(b, 0) // flags
	b = binary.BigEndian.AppendUint32(b, 0) // header extension length
	for r := 0; r < len(vals); r += len(cols) {
		b = binary.BigEndian.AppendUint16(b, uint16(len(cols)))
		for i, c := range cols {
			v := vals[r+i]
			var ok bool
			switch c.kind {
			case colInt8:
				var n int64
				if n, ok = asInt(v); ok {
					b = binary.BigEndian.AppendUint32(b, 8)
					b = binary.BigEndian.AppendUint64(b, uint64(n))
				}
			case colInt4:
				var n int64
				if n, ok = asInt(v); ok && n == int64(int32(n)) {
					b = binary.BigEndian.AppendUint32(b, 4)
					b = binary.BigEndian.AppendUint32(b, uint32(n))
				} else {
					ok = false
				}
			case colText:
				var s string
				if s, ok = v.(string); ok {
					b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
					b = append(b, s...)
				}
			case colBool:
				var t bool
				if t, ok = v.(bool); ok {
					b = binary.BigEndian.AppendUint32(b, 1)
					if t {
						b = append(b, 1)
					} else {
						b = append(b, 0)
					}
				}
			case colTimestamptz:
				var t time.Time
				if t, ok = v.(time.Time); ok {
					b = binary.BigEndian.AppendUint32(b, 8)
					b = binary.BigEndian.AppendUint64(b, uint64(t.Unix()*1_000_000+int64(t.Nanosecond()/1000)-pgEpoch))
				}
			}
			if !ok {
				return b, fmt.Errorf("copy: column %s: cannot encode %T", c.name, v)
			}
		}
	}
	return binary.BigEndian.AppendUint16(b, 0xffff), nil
}

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	}
	return 0, false
}
