package web_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditDetailValuesInChinese: the audit page shows a refusal's reason
// code and a rotation's grace in Chinese, the code as written beside it;
// an unknown code and a reason typed by a reviewer stay as they are. On
// both engines.
func TestAuditDetailValuesInChinese(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		by := audit.Actor{Kind: audit.ActorSystem, ID: "checker", Name: "checker"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, ev := range []audit.Event{
				{Actor: by, Action: "auth.login", ObjectType: "user", ObjectID: "a", Outcome: audit.Denied, Detail: audit.Detail("reason", "bad_password")},
				{Actor: by, Action: "auth.login", ObjectType: "user", ObjectID: "b", Outcome: audit.Denied, Detail: audit.Detail("reason", "locked")},
				{Actor: by, Action: "user.update", ObjectType: "user", ObjectID: "c", Outcome: audit.Denied, Detail: audit.Detail("reason", "role_not_manageable")},
				{Actor: by, Action: "user.create", ObjectType: "user", ObjectID: "d", Outcome: audit.Denied, Detail: audit.Detail("reason", "some_new_code")},
				{Actor: by, Action: "catalog.reject", ObjectType: "catalog_entry", ObjectID: "1", Detail: audit.Detail("reason", "forbidden")},
				{Actor: by, Action: "app.key.rotate", ObjectType: "app", ObjectID: "4", Detail: audit.Detail("grace", "24h0m0s")},
				{Actor: by, Action: "app.key.rotate", ObjectType: "app", ObjectID: "5", Detail: audit.Detail("grace", "1h30m0s")},
				{Actor: by, Action: "app.key.rotate", ObjectType: "app", ObjectID: "6", Detail: audit.Detail("grace", "0s")},
			} {
				if err := audit.Record(ctx, tx, ev, f.clock.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.loggedIn(t, "auditor")
		r := c.get("/audit?action=auth.login&actor=checker")
		wantBody(t, "bad password", r, detailDD("密码错误", "bad_password"))
		wantBody(t, "locked", r, detailDD("账号已锁定（登录失败次数过多）", "locked"))
		r = c.get("/audit?action=user.update&actor=checker")
		wantAuditRows(t, "not manageable", r, 1, detailDD("无权管理该角色的账号", "role_not_manageable"))
		r = c.get("/audit?action=user.create&actor=checker")
		wantAuditRows(t, "unknown code", r, 1, detailDD("some_new_code", ""))
		r = c.get("/audit?action=catalog.reject&actor=checker")
		wantAuditRows(t, "typed reason", r, 1, detailDD("forbidden", ""))
		r = c.get("/audit?action=app.key.rotate&actor=checker")
		wantBody(t, "grace 24h", r, detailDD("24 小时", "24h0m0s"))
		wantBody(t, "grace 1h30m", r, detailDD("1 小时 30 分钟", "1h30m0s"))
		wantBody(t, "grace 0s", r, detailDD("立即", "0s"))
	})
}
