package records

import (
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

var (
	versionCols = []string{"entry_id", "seq", "subject_id", "version", "op", "vals", "produced_at", "received_at",
		"batch_id", "department_id", "op_key", "late", "prev_seq"}
	recordCols = []string{"entry_id", "subject_id", "status", "version", "seq"}
)

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
		return in.exec(in.multi(versionInsert, 13, n, ""), vals...)
	}
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = vals[i*13 : i*13+13 : i*13+13]
	}
	return in.copyRows("record_versions", versionCols, rows)
}

// insertVersionsSQLite writes the columns that are the same for the whole
// batch (entry, received_at, batch, department) as literals of a statement
// prepared once per batch and size, binding 9 values a row instead of 13.
func (in *ingest) insertVersionsSQLite(vals []any, n int) error {
	if in.versionSQL[n] == "" {
		if in.versionSQL == nil {
			in.versionSQL = map[int]string{}
		}
		consts := "," + strconv.FormatInt(in.e.ID, 10) + ",'" + in.timeArg(in.now).(string) + "'," +
			strconv.FormatInt(in.batchID, 10) + "," + strconv.FormatInt(in.by.DepartmentID, 10) + ")"
		var b strings.Builder
		b.WriteString(`INSERT INTO record_versions (seq, subject_id, version, op, vals, produced_at, op_key, late, prev_seq,
			entry_id, received_at, batch_id, department_id) VALUES `)
		for r := 0; r < n; r++ {
			if r > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?,?,?,?,?")
			b.WriteString(consts)
		}
		in.versionSQL[n] = b.String()
	}
	args := in.argBuf[:0]
	for i := 0; i < n; i++ {
		r := vals[i*13 : i*13+13]
		args = append(args, r[1], r[2], r[3], r[4], r[5], r[6], r[10], r[11], r[12])
	}
	in.argBuf = args
	return in.exec(in.versionSQL[n], args...)
}

// copyRows copies rows into table through the transaction's connection.
func (in *ingest) copyRows(table string, cols []string, rows [][]any) error {
	return in.raw(func(dc any) error {
		_, err := dc.(*stdlib.Conn).Conn().CopyFrom(in.ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
}
