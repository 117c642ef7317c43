package records

import (
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
	if !in.copyable() {
		return in.exec(in.multi(versionInsert, 13, n, ""), vals...)
	}
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = vals[i*13 : i*13+13 : i*13+13]
	}
	return in.copyRows("record_versions", versionCols, rows)
}

// copyRows copies rows into table through the transaction's connection.
func (in *ingest) copyRows(table string, cols []string, rows [][]any) error {
	return in.raw(func(dc any) error {
		_, err := dc.(*stdlib.Conn).Conn().CopyFrom(in.ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
}
