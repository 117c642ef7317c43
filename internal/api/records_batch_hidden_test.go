package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchOfAnotherDepartmentAnsweredAsMissing: GET
// /records/batches/{id} answers another department's batch byte for byte
// as an id that names no batch, but for the id: 404 batch_not_found
// "批次 {id} 不存在". On both engines.
func TestBatchOfAnotherDepartmentAnsweredAsMissing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10) + "/batches"
		line := opLine("add", recordstest.CitizenID(42), beijing(rf.clock.Now().Add(-time.Hour)), map[string]string{"姓名": "张三"})
		r := rf.do(t, "POST", a, rf.gaKey, line+"\n", "Content-Type", "application/x-ndjson")
		if r.status != 201 {
			t.Fatalf("batch: %d %v", r.status, r.body)
		}
		id, err := strconv.ParseInt(jsonNumber(r.body["batch_id"]), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if r := rf.do(t, "GET", "/api/v1/records/batches/"+strconv.FormatInt(id, 10), rf.gaKey, ""); r.status != 200 {
			t.Fatalf("the department's own batch: %d %v", r.status, r.body)
		}
		missing := absentID(t, db, "record_batches", id)
		sameAsMissing(t, rf.fixture, "another department's batch", "GET", "/api/v1/records/batches/{id}", rf.mzKey, "", id, missing, 404,
			"batch_not_found", "批次 {id} 不存在")
	})
}
