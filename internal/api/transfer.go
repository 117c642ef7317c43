package api

import (
	"net/http"
	"strconv"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// transferRoutes: the operator's transfer of catalog entries from one
// department to another (docs/catalog-transfer.md). The handler, not the
// route's Allow, refuses a caller other than the operator, once it has
// read the body: the denied audit row names the department the entries
// were to leave.
func (a *API) transferRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/transfers", Scope: "catalog.write", Idempotent: true,
		Audit: &Audited{"catalog.transfer", "department"}, Recheck: checkRequest(transferToMake), Handler: a.transferEntries})
}

// transferEntries moves the entries named, or every entry of the
// department from_department_id, to the department to_department_id, all
// or none (catalog.TransferEntries): 200 with the report of the entries
// moved. Only the operator may (403 otherwise, before a body that does
// not parse is told).
func (a *API) transferEntries(w http.ResponseWriter, r *http.Request) error {
	t, err := transferToMake(r)
	if err != nil {
		return err
	}
	var res catalog.TransferResult
	err = a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		res, err = catalog.TransferEntries(r.Context(), tx, catalogActor(r), t, a.Now())
		return err
	})
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, res)
}

// transferToMake is the transfer r asks for, once the caller is found to
// be the operator (operatorOnly), refused before a body that does not
// parse is told: transferEntries' check, and its Recheck before a replay.
func transferToMake(r *http.Request) (catalog.Transfer, error) {
	var t catalog.Transfer
	derr := Decode(r, &t)
	if derr == nil && t.FromDepartmentID > 0 {
		aimAt(r, "department", strconv.FormatInt(t.FromDepartmentID, 10))
	}
	if err := operatorOnly("转移数据资源")(auth.From(r.Context())); err != nil {
		return t, err
	}
	return t, derr
}
