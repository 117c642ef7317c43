package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/web"
)

// TestMaximalEntryFormSaved: the edit form of an entry at every limit of
// the catalog (catalogtest.Maximal: 500 data items with descriptions of
// 2,000 characters, every text, name and count at its limit), its texts
// of a character outside the Basic Multilingual Plane, twelve bytes
// urlencoded, posted as a browser sends it with one change, is saved,
// where its 12 MiB were refused 413 (提交内容过大) over the 1 MiB of a
// form and net/http's own 10 MiB. Both engines.
func TestMaximalEntryFormSaved(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		police.login("police.admin")
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test",
			DepartmentID: f.depts["公安分局"].ID}, Editor: true}
		var e catalog.Entry
		err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
			e, err = catalog.Create(context.Background(), tx, by, by.DepartmentID, catalogtest.Maximal(catalogtest.Astral), f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/catalog/%d", e.ID)
		r := police.get(path + "/edit")
		wantStatus(t, "edit form", r, http.StatusOK)
		sent := browserSubmit(t, r.Body)
		sent.Set("timeliness", "时"+strings.TrimPrefix(sent.Get("timeliness"), "文"))
		if n := len(sent.Encode()); n <= 10<<20 || n > web.MaxEntryFormBody {
			t.Fatalf("the maximal entry's form is %d bytes: not between net/http's 10 MiB and MaxEntryFormBody", n)
		}
		postOK(t, police, path+"/edit", sent, path+"?msg=saved")
		after, err := catalog.Working(context.Background(), db.Read(), by, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(after.Timeliness, "时") || len(after.Items) != catalog.MaxItems ||
			len(after.ServiceItems) != catalog.MaxServiceItems || len(after.RelatedCodes) != catalog.MaxRelatedCodes {
			t.Errorf("saved: timeliness %.10q, %d items, %d service items, %d related codes", after.Timeliness,
				len(after.Items), len(after.ServiceItems), len(after.RelatedCodes))
		}
	})
}
