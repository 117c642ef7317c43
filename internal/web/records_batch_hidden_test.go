package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestConsoleBatchOfAnotherDepartmentAnsweredAsMissing: the console's
// warnings of another department's batch (/records/batches?batch=) answer
// as for an id that names no batch (批次 {id} 不存在), as the API does.
// On both engines.
func TestConsoleBatchOfAnotherDepartmentAnsweredAsMissing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		market := f.depts["市场监管局"].ID
		entry := recordstest.Entry(t, db, market, recordstest.Spec{Code: "101001/000002", Name: "人员信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 50}}})
		res := pushNames(t, f, "市场监管局", entry, "张三", []string{recordstest.CitizenID(1)})
		sameAsMissing(t, f.loggedIn(t, "police.admin"), "another department's batch", "/records/batches?batch={id}",
			res.BatchID, absentID(t, db, "record_batches", res.BatchID), http.StatusNotFound, "批次 {id} 不存在")
	})
}
