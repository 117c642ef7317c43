//go:build linux

package crashtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// departments creates departments (POST /api/v1/departments): the reply
// is replayed from the idempotency key's stored answer.
func departments() *workload {
	uscc := func(n int) string { return demo.USCC(region, 1000+n) }
	name := func(n int) string { return fmt.Sprintf("压测部门%05d", n) }
	id := func(reply []byte) int64 {
		var d struct{ ID int64 }
		json.Unmarshal(reply, &d)
		return d.ID
	}
	return &workload{
		name:  "departments",
		ctype: "application/json",
		req: func(n int) (string, string) {
			b, _ := json.Marshal(map[string]any{"name": name(n), "uscc": uscc(n), "region_code": region})
			return "/api/v1/departments", string(b)
		},
		ack: func(status int, reply []byte) bool { return status == http.StatusCreated && id(reply) > 0 },
		check: func(t *testing.T, ctx context.Context, q sqldb.Querier, ops []*op) {
			// Every department the load created, by credit code.
			stored := map[string]int64{}
			names := map[string]string{}
			rows, err := q.QueryContext(ctx, `SELECT id, uscc, name FROM departments WHERE name LIKE '压测部门%'`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int64
				var c, n string
				if err := rows.Scan(&id, &c, &n); err != nil {
					t.Fatal(err)
				}
				if _, dup := stored[c]; dup {
					t.Errorf("credit code %s stored twice", c)
				}
				stored[c], names[c] = id, n
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			rows.Close()

			known := map[string]bool{}
			byKey := map[string]*op{}
			for _, o := range ops {
				c := uscc(o.n)
				known[c], byKey[o.key] = true, o
				got, ok := stored[c]
				switch {
				case o.acked && !ok:
					t.Errorf("department %d was acknowledged (id %d) but is not stored", o.n, id(o.reply))
				case o.acked && got != id(o.reply):
					t.Errorf("department %d was acknowledged with id %d but is stored as %d", o.n, id(o.reply), got)
				case ok && names[c] != name(o.n):
					t.Errorf("department %d stored with name %q, want %q", o.n, names[c], name(o.n))
				}
			}
			for c, id := range stored {
				if !known[c] {
					// Sent, killed before any reply, and never retried:
					// impossible, as every unsettled request is retried in
					// the last run.
					t.Errorf("department %d (%s) stored but never settled", id, c)
				}
			}

			// Replayed responses name the stored row.
			rows, err = q.QueryContext(ctx, `SELECT key, status, body FROM idempotency_keys`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var k, body string
				var status int
				if err := rows.Scan(&k, &status, &body); err != nil {
					t.Fatal(err)
				}
				o := byKey[k]
				if o == nil || status == 0 {
					continue
				}
				if status != http.StatusCreated || id([]byte(body)) != stored[uscc(o.n)] {
					t.Errorf("idempotency key %s stores %d %s, but the department is %d", k, status, body, stored[uscc(o.n)])
				}
			}
			rows.Close()

			// No half-applied creation: each department has exactly one
			// creation audit row, and each creation audit row its department.
			var orphans, dangling int
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM departments d WHERE (SELECT count(*) FROM audit_log a
				WHERE a.action = 'department.create' AND a.object_id = CAST(d.id AS TEXT)) <> 1`).Scan(&orphans); err != nil {
				t.Fatal(err)
			}
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM audit_log a WHERE a.action = 'department.create'
				AND NOT EXISTS (SELECT 1 FROM departments d WHERE CAST(d.id AS TEXT) = a.object_id)`).Scan(&dangling); err != nil {
				t.Fatal(err)
			}
			if orphans != 0 || dangling != 0 {
				t.Errorf("%d departments without exactly one creation audit row, %d creation audit rows without department", orphans, dangling)
			}
			t.Logf("%d departments stored", len(stored))
		},
	}
}

// batchOps is the number of operations in most record batches of the
// load; one in ten has bigBatchOps, more than a chunk of ingestion on
// either engine (records: 500 rows per chunk on SQLite, 5,000 per COPY on
// PostgreSQL, each chunk under a savepoint), so that kills also land in
// batches of several chunks.
const (
	batchOps    = 20
	bigBatchOps = 6000
)

// batchSize is the number of operations of the n-th request's batch. The
// batches are the requests n ≡ 1 (mod 3), the second of three workloads;
// n ≡ 10 (mod 30) is one in ten of them.
func batchSize(n int) int {
	if n%30 == 10 {
		return bigBatchOps
	}
	return batchOps
}

// batchSubject is the subject of the i-th operation of the n-th
// request's batch: the small batches' below 1,000,000, the big ones'
// above (CitizenID takes up to 15,000,000: 1,900 big batches).
func batchSubject(n, i int) string {
	if batchSize(n) == bigBatchOps {
		return recordstest.CitizenID(1_000_000 + n/30*bigBatchOps + i)
	}
	return recordstest.CitizenID(n*batchOps + i)
}

// recordEntries creates the two record entries of the load, provided by
// department 1: one for batches, one for single operations.
func recordEntries(t *testing.T, dsn string) (batches, pushes int64) {
	db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	items := []records.Item{{Name: "姓名", Type: "C", Length: 20}}
	batches = recordstest.Entry(t, db, 1, recordstest.Spec{Code: "101001/000001", Name: "户籍人口信息", SubjectKind: "person", Items: items})
	pushes = recordstest.Entry(t, db, 1, recordstest.Spec{Code: "101001/000002", Name: "出生医学证明", SubjectKind: "person", Items: items})
	return batches, pushes
}

// batchReply is the part of a BatchResult the checks read.
type batchReply struct {
	BatchID    int64 `json:"batch_id"`
	Applied    int   `json:"applied"`
	Duplicates int   `json:"duplicates"`
	FirstSeq   int64 `json:"first_seq"`
	LastSeq    int64 `json:"last_seq"`
}

func parseBatch(reply []byte) batchReply {
	var b batchReply
	json.Unmarshal(reply, &b)
	return b
}

// recordBatches pushes batches of batchSize new records (POST …/batches)
// with a batch key: a retried batch is replayed, never applied twice.
func recordBatches(entry int64) *workload {
	subject := batchSubject
	return &workload{
		name:  "record-batches",
		ctype: "application/x-ndjson",
		req: func(n int) (string, string) {
			var b strings.Builder
			for i := range batchSize(n) {
				fmt.Fprintf(&b, `{"op":"add","subject_id":%q,"produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"批%d-%d"}}`+"\n",
					subject(n, i), n, i)
			}
			return fmt.Sprintf("/api/v1/records/entries/%d/batches", entry), b.String()
		},
		ack: func(status int, reply []byte) bool {
			// The batch's n is not in its reply: a batch applied must be
			// of one of the two sizes, and check compares it with its own.
			b := parseBatch(reply)
			return b.BatchID > 0 && (b.Applied == batchOps || b.Applied == bigBatchOps) && b.LastSeq-b.FirstSeq == int64(b.Applied)-1
		},
		check: func(t *testing.T, ctx context.Context, q sqldb.Querier, ops []*op) {
			versions := versionsOf(t, ctx, q, entry)
			want, big, bigCut := 0, 0, 0
			for _, o := range ops {
				size := batchSize(o.n)
				want += size
				if size == bigBatchOps {
					big++
					if o.attempts > 1 {
						bigCut++
					}
				}
				b := parseBatch(o.reply)
				if b.Applied != size {
					t.Errorf("batch %d of %d operations acknowledged with %d applied", o.n, size, b.Applied)
				}
				var key string
				var applied int
				if err := q.QueryRowContext(ctx, `SELECT batch_key, ops FROM record_batches WHERE id = $1`, b.BatchID).Scan(&key, &applied); err != nil {
					t.Errorf("batch %d acknowledged as %d: %v", o.n, b.BatchID, err)
					continue
				}
				if key != o.key || applied != size {
					t.Errorf("batch %d acknowledged as %d, stored with key %q and %d operations", o.n, b.BatchID, key, applied)
				}
				for i := range size {
					v, ok := versions[subject(o.n, i)]
					if want := fmt.Sprintf("批%d-%d", o.n, i); !ok || v.batch != b.BatchID || v.seq < b.FirstSeq || v.seq > b.LastSeq || v.name != want {
						t.Errorf("batch %d line %d: stored %+v (found %v), want batch %d seq %d–%d, 姓名 %s",
							o.n, i+1, v, ok, b.BatchID, b.FirstSeq, b.LastSeq, want)
					}
				}
			}
			if len(versions) != want {
				t.Errorf("%d records stored for %d batches of %d operations in all acknowledged", len(versions), len(ops), want)
			}
			checkBatches(t, ctx, q, entry)
			t.Logf("%d batches, %d records; %d batches of %d operations, %d of them sent more than once (an attempt cut off by a kill, or answered 5xx)",
				len(ops), len(versions), big, bigBatchOps, bigCut)
		},
	}
}

// recordPushes pushes single new records (POST …/ops), the
// Idempotency-Key being the operation's key: a retry is applied once and
// answered 200 as a repeat. The server group-commits them.
func recordPushes(entry int64) *workload {
	return &workload{
		name:  "record-pushes",
		ctype: "application/json",
		req: func(n int) (string, string) {
			return fmt.Sprintf("/api/v1/records/entries/%d/ops", entry),
				fmt.Sprintf(`{"op":"add","subject_id":%q,"produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"单%d"}}`,
					recordstest.CitizenID(n), n)
		},
		ack: func(status int, reply []byte) bool {
			b := parseBatch(reply)
			return b.BatchID > 0 && (status == http.StatusCreated && b.Applied == 1 && b.FirstSeq > 0 ||
				status == http.StatusOK && b.Duplicates == 1)
		},
		check: func(t *testing.T, ctx context.Context, q sqldb.Querier, ops []*op) {
			versions := versionsOf(t, ctx, q, entry)
			for _, o := range ops {
				v, ok := versions[recordstest.CitizenID(o.n)]
				b := parseBatch(o.reply)
				switch {
				case !ok || v.key != o.key || v.name != fmt.Sprintf("单%d", o.n):
					t.Errorf("push %d acknowledged (%s) but stored as %+v (found %v)", o.n, o.reply, v, ok)
				case b.Applied == 1 && (v.seq != b.FirstSeq || v.batch != b.BatchID):
					t.Errorf("push %d acknowledged as seq %d of batch %d, stored as %+v", o.n, b.FirstSeq, b.BatchID, v)
				}
			}
			if len(versions) != len(ops) {
				t.Errorf("%d records stored for %d pushes acknowledged", len(versions), len(ops))
			}
			var rounds int
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM record_batches WHERE entry_id = $1 AND ops > 0`, entry).Scan(&rounds); err != nil {
				t.Fatal(err)
			}
			checkBatches(t, ctx, q, entry)
			t.Logf("%d pushes in %d group commits", len(ops), rounds)
		},
	}
}

// version is a stored record version, as the checks compare it.
type version struct {
	seq, batch int64
	key, name  string
}

// versionsOf returns the entry's versions by subject, failing on a subject
// with more than one: the load only adds.
func versionsOf(t *testing.T, ctx context.Context, q sqldb.Querier, entry int64) map[string]version {
	rows, err := q.QueryContext(ctx, `SELECT subject_id, seq, batch_id, op_key, vals FROM record_versions WHERE entry_id = $1`, entry)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]version{}
	for rows.Next() {
		var s, vals string
		var v version
		if err := rows.Scan(&s, &v.seq, &v.batch, &v.key, &vals); err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		json.Unmarshal([]byte(vals), &m)
		v.name = m["姓名"]
		if prev, dup := out[s]; dup {
			t.Errorf("subject %s stored twice: %+v and %+v", s, prev, v)
		}
		out[s] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkBatches checks that no batch of the entry is half-applied: each
// holds as many versions as it says, in its sequence range, and has its
// audit row; the entry's counters agree with its versions, and its change
// feed has no gap.
func checkBatches(t *testing.T, ctx context.Context, q sqldb.Querier, entry int64) {
	var bad int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM record_batches b LEFT JOIN (SELECT batch_id, count(*) AS n,
		min(seq) AS lo, max(seq) AS hi FROM record_versions WHERE entry_id = $1 GROUP BY batch_id) v ON v.batch_id = b.id
		WHERE b.entry_id = $1 AND (b.ops <> COALESCE(v.n, 0) OR b.ops > 0 AND (v.lo <> b.first_seq OR v.hi <> b.last_seq))`,
		entry).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Errorf("%d batches of entry %d half-applied: their versions differ from their counts", bad, entry)
	}
	var batches, audited int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM record_batches WHERE entry_id = $1`, entry).Scan(&batches); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'records.batch' AND object_type = 'catalog_entry'
		AND object_id = $1`, fmt.Sprint(entry)).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if batches != audited {
		t.Errorf("entry %d: %d batches, %d batch audit rows", entry, batches, audited)
	}
	var ops, lastSeq, stored, maxSeq int64
	if err := q.QueryRowContext(ctx, `SELECT ops, last_seq FROM record_entry_stats WHERE entry_id = $1`, entry).Scan(&ops, &lastSeq); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*), COALESCE(max(seq), 0) FROM record_versions WHERE entry_id = $1`, entry).Scan(&stored, &maxSeq); err != nil {
		t.Fatal(err)
	}
	if ops != stored || lastSeq != maxSeq || maxSeq != stored {
		t.Errorf("entry %d: counters say %d operations up to seq %d; %d versions stored up to seq %d", entry, ops, lastSeq, stored, maxSeq)
	}
}
