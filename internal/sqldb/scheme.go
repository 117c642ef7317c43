package sqldb

import (
	"errors"
	"regexp"
	"strings"
)

// urlScheme is the scheme of an address written as a URL, "word://", after
// any leading white space.
var urlScheme = regexp.MustCompile(`^(\s*)([A-Za-z][A-Za-z0-9+.\-]*)://`)

// CheckDSN refuses an address written as a URL whose scheme is not
// postgres:// or postgresql:// exactly as written: postgress://, pg://,
// mysql://, POSTGRES:// or " postgres://" with a leading space. Open
// would take it for a SQLite file path ("postgress:/u:…"), refused as a
// file that is not there with the advice to create it, which cannot work.
// The scheme is case-sensitive, as libpq and pgx read it: POSTGRES:// is
// not a PostgreSQL URL to either, so it is refused too, naming the
// lower-case form. The refusal names the scheme, never the rest of the
// address, which may hold a password.
func CheckDSN(dsn string) error {
	m := urlScheme.FindStringSubmatch(dsn)
	if m == nil {
		return nil
	}
	lead, scheme := m[1], m[2]
	if lead == "" && (scheme == "postgres" || scheme == "postgresql") {
		return nil
	}
	var why string
	switch low := strings.ToLower(scheme); {
	case lead != "" && (scheme == "postgres" || scheme == "postgresql"):
		why = "地址开头有空白，请去掉"
	case low == "postgres" || low == "postgresql":
		why = "协议名区分大小写（libpq 和 pgx 只认小写），请写作 " + low + "://"
	default:
		why = "不支持 " + scheme + "://"
	}
	return errors.New("数据库地址无效（" + why + "）：-db 或 HUTONG_DB 应为 SQLite 文件路径、" +
		"postgres://（或 postgresql://）URL，或 host=… dbname=… 形式的 libpq 关键字串")
}
