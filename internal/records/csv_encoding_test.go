package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVReadAsGB18030Said: a UTF-8 file with a byte that is not UTF-8 is
// read as GB18030, and its header's Chinese names then name no item: the
// refusal says that the file was read as GB18030 and on which line its
// first byte that is not UTF-8 lies, not only the garbled name. A file
// that is GB18030 is read as before.
func TestCSVReadAsGB18030Said(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		csv := "op,subject_id,produced_at,姓名\nadd," + recordstest.CitizenID(1) + ",2026-03-02,张三\n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02,ghi\xff\xfe\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || res.Applied != 0 || res.RejectedCount == 0 {
			t.Fatalf("UTF-8 file with a bad byte: %+v %v, want refused", res, err)
		}
		le := res.Rejected[0]
		if le.Line != 1 || le.Code != "unknown_item" || !strings.Contains(le.Reason, "GB18030") || !strings.Contains(le.Reason, "第 3 行") {
			t.Errorf("refusal %+v, want unknown_item of line 1 saying the file was read as GB18030, not UTF-8 from line 3", le)
		}
		gbk := "op,subject_id,produced_at,\xd0\xd5\xc3\xfb,\xd1\xaa\xd0\xcd\nadd," + recordstest.CitizenID(3) + ",2026-03-02,\xd5\xc5\xc8\xfd,A\n" // 姓名, 血型, 张三
		res, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(gbk)), f.receivedAt, records.Options{})
		if err != nil || res.RejectedCount != 1 || res.Rejected[0].Field != "血型" || !strings.Contains(res.Rejected[0].Reason, "GB18030") {
			t.Errorf("GBK file with an unknown column: %+v %v, want 血型 refused, read as GB18030", res, err)
		}
		ok := "op,subject_id,produced_at,\xd0\xd5\xc3\xfb\nadd," + recordstest.CitizenID(3) + ",2026-03-02,\xd5\xc5\xc8\xfd\n"
		if res, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(ok)), f.receivedAt, records.Options{}); err != nil || res.Applied != 1 {
			t.Errorf("GBK file: %+v %v, want applied", res, err)
		}
		res, _ = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader("op,subject_id,produced_at,血型\nadd,"+
			recordstest.CitizenID(4)+",2026-03-02,A\n")), f.receivedAt, records.Options{})
		if res.RejectedCount != 1 || strings.Contains(res.Rejected[0].Reason, "GB18030") {
			t.Errorf("UTF-8 file with an unknown column: %+v, want refused without a word of GB18030", res)
		}
	})
}

// TestCSVReadAsGB18030Row: the note of a file read as GB18030 names the
// row of its first byte that is not UTF-8 as Excel numbers it, as the
// file's other errors name rows (TestCSVRowNumbers): a line break within
// a quoted cell above it (Alt+Enter), an escaped quote's too, starts no
// row. Until 2026-12-06 it said 文件第 4 行, the file's line, for row 3.
func TestCSVReadAsGB18030Row(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		csv := "op,subject_id,produced_at,姓名\nadd," + recordstest.CitizenID(1) + ",2026-03-02,\"张\"\"三\n（曾用名）\"\n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02,ghi\xff\xfe\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || res.RejectedCount == 0 {
			t.Fatalf("UTF-8 file with a bad byte: %+v %v, want refused", res, err)
		}
		if r := res.Rejected[0].Reason; !strings.Contains(r, "（第 3 行起不是有效的 UTF-8 编码，因此按 GB18030（GBK）编码读取") {
			t.Errorf("reason %q, want the note to name row 3, as Excel shows it", r)
		}
	})
}
