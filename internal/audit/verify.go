package audit

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Problem describes the first place where the chain does not hold.
type Problem struct {
	Seq    int64  `json:"seq"`    // the row (or expected row) where the chain breaks
	Reason string `json:"reason"` // in Chinese, for the operator
}

// Report is the result of Verify.
type Report struct {
	Rows     int64    `json:"rows"`      // rows checked
	Head     int64    `json:"head"`      // sequence number recorded in audit_head
	HeadHash string   `json:"head_hash"` // hash recorded in audit_head
	Problem  *Problem `json:"problem"`   // nil when the chain is intact
}

// Anchor is a row of the chain as recorded outside the database: a head
// Verify reported earlier, "SEQ:HASH". The chain alone cannot tell rows
// deleted from its end, or rewritten with new hashes, when audit_head is
// rewritten with them; a chain that still holds an anchor's row with its
// hash holds every row up to it as it was.
type Anchor struct {
	Seq  int64
	Hash string
}

func (a Anchor) String() string { return strconv.FormatInt(a.Seq, 10) + ":" + a.Hash }

// ParseAnchor reads an Anchor written as SEQ:HASH.
func ParseAnchor(s string) (Anchor, error) {
	seq, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	hash = strings.ToLower(hash)
	if b, herr := hex.DecodeString(hash); !ok || err != nil || n < 1 || herr != nil || len(b) != 32 {
		return Anchor{}, errs.Field("anchor", "invalid_anchor", "锚点应为“序号:哈希”，即此前校验所报的链头，如 504:"+strings.Repeat("0", 64))
	}
	return Anchor{Seq: n, Hash: hash}, nil
}

// VerifyDB verifies the log of a database in use: on one snapshot, so that
// rows written while it reads are neither half seen nor taken for
// tampering.
func VerifyDB(ctx context.Context, db *sqldb.DB, anchors ...Anchor) (Report, error) {
	var r Report
	err := db.Snapshot(ctx, func(q sqldb.Querier) (err error) {
		r, err = Verify(ctx, q, anchors...)
		return err
	})
	return r, err
}

// Verify walks the whole log in order and reports the first row that was
// edited (its hash no longer matches its content), deleted (a gap in seq, or
// missing rows at the tail) or reordered (a row whose prev_hash does not
// match the row before it), and a row of anchors that is no longer in the
// chain with its hash. It streams the rows, so memory stays flat. q must see
// the log as of one moment (VerifyDB for a database in use).
func Verify(ctx context.Context, q sqldb.Querier, anchors ...Anchor) (Report, error) {
	var r Report
	if err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&r.Head, &r.HeadHash); err != nil {
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
		default:
			for _, a := range anchors {
				if a.Seq == e.Seq && a.Hash != e.Hash {
					r.Problem = &Problem{Seq: e.Seq, Reason: fmt.Sprintf("第 %d 条的哈希与锚点 %s 不符：该条或此前的记录连同哈希被改写", e.Seq, a)}
				}
			}
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
		case want-1 > r.Head || prev != r.HeadHash:
			r.Problem = &Problem{Seq: r.Head, Reason: "链头与最后一条记录不符：日志或链头被篡改"}
		}
	}
	for _, a := range anchors {
		if r.Problem == nil && a.Seq > r.Head {
			r.Problem = &Problem{Seq: r.Head + 1, Reason: fmt.Sprintf("日志止于第 %d 条，但锚点 %s 记录了第 %d 条：末尾记录连同链头被删除",
				r.Head, a, a.Seq)}
		}
	}
	return r, nil
}
