package catalogio_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// world is the test district, with the operator and the two departments these tests use.
type world struct {
	db           *sqldb.DB
	operator     catalog.Actor
	gaj, scj     catalog.Actor
	gajID, scjID int64
	gajName      string
}

func newWorld(t testing.TB, db *sqldb.DB) *world {
	d := catalogtest.NewDistrict(t, db, t0)
	return &world{db: db, operator: d.Operator, gaj: d.GAJ, scj: d.SCJ, gajID: d.GAJ.DepartmentID,
		scjID: d.SCJ.DepartmentID, gajName: d.GAJName}
}

// resources exercise every field of the layout.
func resources() []catalog.Resource {
	household := catalog.Resource{
		Name:     "户籍人口基本信息",
		Abstract: "辖区户籍人口的身份、户籍地址和变动情况，\n含迁入迁出",
		Classification: catalog.Classification{Class: catalog.Basic, CategoryCode: "01", CategoryName: "人口",
			SubcategoryCode: "001", SubcategoryName: "户籍信息"},
		Format: "database",
		Items: []catalog.Item{
			{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true, Description: "18位，末位可为X"},
			{Name: "姓名", Type: "C", Length: 50},
			{Name: "出生日期", Type: "D"},
			{Name: "户籍地址", Type: "C", Length: 200, Description: "省、市、区, 街道"},
		},
		ShareType: catalog.Unconditional, ShareMethods: []catalog.ShareMethod{"query", "verify"},
		ShareScope: "全区政务部门", OpenAttribute: catalog.NotOpen, UpdateFrequency: "realtime",
		SecurityLevel: 3, NetworkZone: "egov_extranet", Domain: "18", SubjectKind: catalog.Person,
		ServiceItems: []catalog.ServiceItem{{Code: "11440605MB2C001", Name: "户口迁移"}, {Name: "补领结婚证、离婚证"}},
		Timeliness:   "T+1",
	}
	licence := catalog.Resource{
		Name:     "营业执照登记信息",
		Abstract: "市场主体登记的营业执照信息",
		Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: "07", CategoryName: "市场监管",
			SubcategoryCode: "012", SubcategoryName: "登记注册", DetailCode: "3", DetailName: "个体工商户"},
		Format: "spreadsheet",
		Items: []catalog.Item{
			{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true},
			{Name: "注册资本", Type: "Y"},
			{Name: "成立日期", Type: "T"},
			{Name: "从业人数", Type: "I"},
		},
		ShareType: catalog.Conditional, ShareConditions: "仅用于行政审批，须经申请", ShareMethods: []catalog.ShareMethod{"batch", "file"},
		ShareScope: "市场监管、税务", OpenAttribute: catalog.OpenConditional, OpenConditions: "实名注册用户可下载",
		UpdateFrequency: catalog.FrequencyOther, FrequencyOther: "每半年", SecurityLevel: 2, NetworkZone: "internet",
		Domain: catalog.DomainOther, DomainOther: "营商环境", SubjectKind: catalog.LegalEntity,
		RelatedCodes: []string{"301001/000001", "105001/000002"},
	}
	secret := catalog.Resource{
		Name:     "在逃人员信息",
		Abstract: "公安机关上网追逃的在逃人员",
		Classification: catalog.Classification{Class: catalog.Thematic, CategoryCode: "02", CategoryName: "公共安全",
			SubcategoryCode: "003", SubcategoryName: "治安"},
		Format:    "service_api",
		Items:     []catalog.Item{{Name: "案件编号", Type: "C", Length: 30}, {Name: "立案时间", Type: "T"}, {Name: "金额", Type: "N", Length: 12}},
		ShareType: catalog.NotShared, LegalBasis: "《中华人民共和国人民警察法》第二十条",
		OpenAttribute: catalog.NotOpen, UpdateFrequency: "daily", SecurityLevel: 4, NetworkZone: "dept_private",
		Domain: "18", SubjectKind: catalog.NoSubject,
	}
	return []catalog.Resource{household, licence, secret}
}

// create stores r as a draft of by's department.
func create(t testing.TB, w *world, by catalog.Actor, r catalog.Resource) catalog.Entry {
	t.Helper()
	var e catalog.Entry
	err := w.db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
		e, err = catalog.Create(context.Background(), tx, by, by.DepartmentID, r, t0)
		return err
	})
	if err != nil {
		t.Fatalf("Create %s: %v", r.Name, err)
	}
	return e
}

// export writes the actor's view of the catalog.
func export(t testing.TB, w *world, by catalog.Actor, f catalogio.Format, opt catalogio.ExportOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := catalogio.Export(context.Background(), w.db, by, &buf, f, opt); err != nil {
		t.Fatalf("Export %s: %v", f, err)
	}
	return buf.Bytes()
}

// importFile imports data into by's department.
func importFile(w *world, by catalog.Actor, data []byte, f catalogio.Format, opt catalogio.Options) (*catalogio.Report, error) {
	opt.DepartmentID = by.DepartmentID
	if opt.Now.IsZero() {
		opt.Now = t0
	}
	return catalogio.Import(context.Background(), w.db, by, bytes.NewReader(data), f, opt)
}

// otherDB is a second fresh database of the same engine.
func otherDB(t *testing.T, db *sqldb.DB) *sqldb.DB {
	if db.Dialect == sqldb.Postgres {
		return sqldbtest.Postgres(t)
	}
	return sqldbtest.SQLite(t)
}

// resourcesOf returns the department's entries' metadata by name.
func resourcesOf(t testing.TB, w *world, by catalog.Actor) map[string]catalog.Resource {
	t.Helper()
	out := map[string]catalog.Resource{}
	page, err := catalog.Search(context.Background(), w.db.Read(), by, catalog.Query{DepartmentID: by.DepartmentID,
		Statuses: []catalog.Status{catalog.Draft, catalog.Submitted, catalog.Published}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range page.Items {
		e, err := catalog.Get(context.Background(), w.db.Read(), by, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range e.Items {
			e.Items[i].Source = nil
		}
		out[e.Name] = e.Resource
	}
	return out
}

func t0Context() context.Context { return context.Background() }
