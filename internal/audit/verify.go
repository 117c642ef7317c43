package audit

import (
	"context"
	"fmt"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Problem describes the first place where the chain does not hold.
type Problem struct {
	Seq    int64  `json:"seq"`    // the row (or expected row) where the chain breaks
	Reason string `json:"reason"` // in Chinese, for the operator
}

// Report is the result of Verify.
type Report struct {
	Rows    int64    `json:"rows"`    // rows checked
	Head    int64    `json:"head"`    // sequence number recorded in audit_head
	Problem *Problem `json:"problem"` // nil when the chain is intact
}

// VerifyDB verifies the log of a database in use: on one snapshot, so that
// rows written while it reads are neither half seen nor taken for
// tampering.
func VerifyDB(ctx context.Context, db *sqldb.DB) (Report, error) {
	var r Report
	err := db.Snapshot(ctx, func(q sqldb.Querier) (err error) {
		r, err = Verify(ctx, q)
		return err
	})
	return r, err
}

// Verify walks the whole log in order and reports the first row that was
// edited (its hash no longer matches its content), deleted (a gap in seq, or
// missing rows at the tail) or reordered (a row whose prev_hash does not
// match the row before it). It streams the rows, so memory stays flat. q
// must see the log as of one moment (VerifyDB for a database in use).
func Verify(ctx context.Context, q sqldb.Querier) (Report, error) {
	var r Report
	var headHash string
	if err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&r.Head, &headHash); err != nil {
		return r, fmt.Errorf("audit: read head: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return r, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()
	var prev string
	var want int64 = 1
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return r, fmt.Errorf("audit: verify: %w", err)
		}
		r.Rows++
		if r.Problem != nil {
			continue
		}
		switch {
		case e.Seq != want:
			r.Problem = &Problem{Seq: want, Reason: fmt.Sprintf("第 %d 条缺失（下一条为第 %d 条）：记录被删除", want, e.Seq)}
		case e.PrevHash != prev:
			r.Problem = &Problem{Seq: e.Seq, Reason: fmt.Sprintf("第 %d 条的前序哈希与第 %d 条不符：记录被删除、替换或调换顺序", e.Seq, e.Seq-1)}
		case e.computeHash() != e.Hash:
			r.Problem = &Problem{Seq: e.Seq, Reason: fmt.Sprintf("第 %d 条的内容与其哈希不符：记录被篡改", e.Seq)}
		}
		prev = e.Hash
		want = e.Seq + 1
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("audit: verify: %w", err)
	}
	if r.Problem == nil {
		switch {
		case want-1 < r.Head:
			r.Problem = &Problem{Seq: want, Reason: fmt.Sprintf("日志止于第 %d 条，但链头记录为第 %d 条：末尾记录被删除", want-1, r.Head)}
		case want-1 > r.Head || prev != headHash:
			r.Problem = &Problem{Seq: r.Head, Reason: "链头与最后一条记录不符：日志或链头被篡改"}
		}
	}
	return r, nil
}
