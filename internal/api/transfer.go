package api

import (
	"net/http"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// transferRoutes: the operator's transfer of catalog entries from one
// department to another (docs/catalog-transfer.md).
func (a *API) transferRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/transfers", Scope: "catalog.write", Idempotent: true,
		Allow: operatorOnly("转移数据资源"), Audit: &Audited{"catalog.transfer", "department"}, Handler: a.transferEntries})
}

// transferEntries moves the entries named, or every entry of the
// department from_department_id, to the department to_department_id, all
// or none (catalog.TransferEntries): 200 with the report of the entries
// moved.
func (a *API) transferEntries(w http.ResponseWriter, r *http.Request) error {
	var t catalog.Transfer
	if err := Decode(r, &t); err != nil {
		return err
	}
	var res catalog.TransferResult
	err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		res, err = catalog.TransferEntries(r.Context(), tx, catalogActor(r), t, a.Now())
		return err
	})
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, res)
}
