package web

import (
	"net/http"
	"strconv"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

type securityLevelsData struct {
	Levels    []catalog.SecurityLevel
	Saved     int  // the level just saved, 0 for none
	Unchanged int  // the level just saved as stored, nothing written (catalog.SetSecurityLevelIfChanged); 0 for none
	Edit      bool // the caller edits the levels (the operator); others read them
	formErrors
	ErrorLevel int // the level whose form the errors are about
	// Stale is the definition of ErrorLevel as now stored when its save was
	// refused because another operator had saved it since the form was
	// opened (concurrent_update): shown beside what was typed, whose form
	// then carries its tag. stale asks renderSecurityLevels to fill it.
	Stale *catalog.SecurityLevel
	stale bool
}

// securityLevelsPage lists the four security levels (安全级别) to the staff
// who read them through GET /api/v1/catalog/security-levels (catalog.read),
// with a form for each for the platform operator, who alone edits them.
func (w *Web) securityLevelsPage(rw http.ResponseWriter, r *http.Request) error {
	saved, _ := strconv.Atoi(r.URL.Query().Get("saved"))
	unchanged, _ := strconv.Atoi(r.URL.Query().Get("unchanged"))
	return w.renderSecurityLevels(rw, r, http.StatusOK, securityLevelsData{Saved: saved, Unchanged: unchanged}, nil)
}

// renderSecurityLevels renders the page with the stored levels, the one of
// edited (when not nil) as the user typed it: with the tag its form was
// sent with (edited.Tag), so that a stale form refused for a field error
// stays conditional on the definition it was opened from, or, when the
// refusal was that stale form (d.stale), with the stored definition's tag.
func (w *Web) renderSecurityLevels(rw http.ResponseWriter, r *http.Request, status int, d securityLevelsData,
	edited *catalog.SecurityLevel) error {
	d.Edit = auth.From(r.Context()).HasRole(rolesOrg...)
	var err error
	if d.Levels, err = catalog.SecurityLevels(r.Context(), w.cfg.DB.Read()); err != nil {
		return err
	}
	for i := range d.Levels {
		if edited != nil && d.Levels[i].Level == edited.Level {
			if d.stale {
				stored := d.Levels[i]
				d.Stale = &stored
			} else {
				d.Levels[i].Tag = edited.Tag
			}
			d.Levels[i].Name, d.Levels[i].Description = edited.Name, edited.Description
		}
	}
	return w.render(rw, r, status, "catalog_security_levels", "安全级别定义", d)
}

// setSecurityLevel changes one level's name and description through
// catalog.SetSecurityLevel, as PUT /api/v1/catalog/security-levels/{level}:
// its checks (the operator only, a level of 1 to 4, a name and a
// description of plain text within their lengths) and its audit event,
// for the level of the form's level field. A refused input shows the form again, every problem at once
// (catalog.SecurityLevel.Check), each beside its field. The form's
// edit_tag makes the save conditional, as If-Match does the API's
// (catalog.SetSecurityLevelIf): a level another operator saved since the
// form was opened is not overwritten (concurrent_update), and the form
// shows it as now stored beside what was typed. A form saved as the level
// is stored writes nothing, and the page says 未作修改, as an entry's form
// does.
func (w *Web) setSecurityLevel(rw http.ResponseWriter, r *http.Request) error {
	level, err := strconv.Atoi(r.PostFormValue("level"))
	if err != nil || level < 1 || level > 4 {
		return errs.Field("level", "invalid_security_level", "安全级别应为1至4级")
	}
	l := catalog.SecurityLevel{Level: level, Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}
	var changed bool
	problems, err := w.writeForm(r, l.Check(), func(tx *sqldb.Tx) (err error) {
		_, changed, err = catalog.SetSecurityLevelIfChanged(r.Context(), tx, catalogActor(auth.From(r.Context())), l, editTags(r), w.cfg.Now())
		return err
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		d := securityLevelsData{ErrorLevel: level, stale: problems[0].Code == "concurrent_update"}
		d.add(problems, func(e *errs.Error) string { return e.Field })
		status, _ := userError(problems[0])
		l.Tag = r.PostFormValue("edit_tag")
		return w.renderSecurityLevels(rw, r, status, d, &l)
	}
	msg := "saved"
	if !changed {
		msg = "unchanged"
	}
	return redirect(rw, r, "/catalog/security-levels?"+msg+"="+strconv.Itoa(level)+"#level-"+strconv.Itoa(level))
}
