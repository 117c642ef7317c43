package catalogio_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRowCheckedAsSaved: a changed row updating an entry is checked before
// it is stored as catalog.Update checks it (catalog.ValidateUpdate): the
// names it keeps from the version it edits, a licence's 次日 only from the
// version in force. Until 2026-12-05 the import checked it against the
// entry as catalog.Get reads it (ValidateEdit), so a dry run and an import
// answered otherwise than the save:
//
//   - a licence draft never published, stored with 次日更新 before
//     2026-12-05, whose export came back with its abstract changed and a
//     共享条件 where it is shared unconditionally, was refused for its
//     共享条件 alone: its 次日 passed, kept from the draft, which the save
//     refuses (timeliness_exceeds_rule), and the file mended was refused
//     again, for the 次日;
//   - a published entry whose revision holds a name stored before the name
//     check (U+200B), its revision coming back with its abstract changed,
//     was refused for that name (invalid_characters), which the save keeps,
//     instead of for the revision it would overwrite (revision_pending).
//
// A dry run and the import answer alike, on both engines.
func TestRowCheckedAsSaved(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		// line is the export's line of the entry named name, edited.
		line := func(statuses []catalog.Status, name string, edit func(map[string]any)) []byte {
			t.Helper()
			file := export(t, w, w.gaj, catalogio.JSONL, catalogio.ExportOptions{Statuses: statuses})
			for _, l := range strings.Split(strings.TrimSpace(string(file)), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatal(err)
				}
				if m["name"] != name {
					continue
				}
				edit(m)
				out, err := json.Marshal(m)
				if err != nil {
					t.Fatal(err)
				}
				return append(out, '\n')
			}
			t.Fatalf("no line of %s in the export:\n%s", name, file)
			return nil
		}
		// refusals imports data, as a dry run and for real, and returns the
		// errors, field:code, which must be the same both times.
		refusals := func(what string, data []byte) []string {
			t.Helper()
			var got [2][]string
			for i, dry := range []bool{true, false} {
				rep, err := importFile(w, w.gaj, data, catalogio.JSONL, catalogio.Options{DryRun: dry})
				if !catalogio.Rejected(err) {
					t.Fatalf("%s (dry run %v): %v, want import_rejected", what, dry, err)
				}
				for _, e := range rep.Errors {
					got[i] = append(got[i], e.Field+":"+e.Code)
				}
			}
			if strings.Join(got[0], " ") != strings.Join(got[1], " ") {
				t.Errorf("%s: the dry run found %v, the import %v", what, got[0], got[1])
			}
			return got[1]
		}

		// A licence draft never published, stored with 次日更新.
		lic := resources()[0]
		lic.Name, lic.Timeliness = "枪支持有许可证信息", "实时推送"
		draft := create(t, w, w.gaj, lic)
		sqldbtest.StaleNextDay(t, db, draft.ID)
		edited := line([]catalog.Status{catalog.Draft}, lic.Name, func(m map[string]any) {
			m["abstract"] = "辖区枪支持有许可证的核发和注销记录"
			m["share_conditions"] = "仅用于治安管理"
		})
		if got := refusals("draft", edited); strings.Join(got, " ") != "share_conditions:unexpected_share_conditions timeliness:timeliness_exceeds_rule" {
			t.Errorf("draft with 次日更新 and 共享条件: errors %v, want 共享条件 and 时效要求", got)
		}
		mended := line([]catalog.Status{catalog.Draft}, lic.Name, func(m map[string]any) {
			m["abstract"] = "辖区枪支持有许可证的核发和注销记录"
		})
		if got := refusals("draft mended", mended); strings.Join(got, " ") != "timeliness:timeliness_exceeds_rule" {
			t.Errorf("draft with 次日更新: errors %v, want 时效要求", got)
		}

		// A published entry whose revision holds a name stored before the
		// name check.
		pub := resources()[0]
		pub.Name = "殡葬服务记录信息"
		rev := pub
		rev.Abstract = "修订稿的摘要：殡葬服务的火化和安葬记录"
		e := publishRevised(t, w, pub, rev)
		const oldName = "殡葬服务\u200b记录信息"
		sqldbtest.Exec(t, db, `UPDATE catalog_entry_versions SET data = REPLACE(data, '殡葬服务记录信息', $2) WHERE entry_id = $1 AND version = 2`,
			e.ID, oldName)
		revised := line([]catalog.Status{catalog.Draft}, oldName, func(m map[string]any) {
			m["abstract"] = "修订稿的摘要：殡葬服务的火化、安葬和迁葬记录"
		})
		if got := refusals("revision", revised); strings.Join(got, " ") != "code:revision_pending" {
			t.Errorf("revision of a published entry, its name kept: errors %v, want revision_pending alone", got)
		}
		// The save keeps the revision's name.
		var r catalog.Resource
		if err := json.Unmarshal(revised, &r); err != nil {
			t.Fatal(err)
		}
		saved := errors.New("saved")
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := catalog.Update(ctx, tx, w.gaj, e.ID, r, t0); err != nil {
				return err
			}
			return saved
		})
		if !errors.Is(err, saved) {
			t.Errorf("the save of the revision's row: %v, want it saved", err)
		}
	})
}
