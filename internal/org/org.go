// Package org keeps the organisations that use Hutong: administrative
// regions (GB/T 2260), departments, staff accounts with their roles and
// sessions, and API apps with their keys. Every change is audited in the
// same transaction.
package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// Longest names, in characters.
const (
	MaxRegionName  = 50
	MaxDeptName    = 100
	MaxShortName   = 50
	MaxDisplayName = 50
	MaxAppName     = 100
	MaxDescription = 1000
)

// checkText refuses a name or description that both databases would not
// store alike (PostgreSQL refuses NUL), that holds control characters
// (tabs and line breaks too, unless lines) or format characters
// (text.HasFormat: zero-width, BOM, bidi controls, with which a name shown
// in the console, the CLI and the audit log looks blank or reads
// reversed), or that is longer than max characters; label names the field
// in the message, as the catalog's do. A name on one line (not lines) is
// checked by text.NameProblem besides: no line or paragraph separator
// (U+2028), nothing only blank or invisible (U+3164 alone), and no
// invisible character anywhere (a variation selector U+FE0F or U+E0100, a
// Hangul filler), with which two departments showing the same name were
// stored apart.
func checkText(field, label, s string, max int, lines bool) error {
	if !lines {
		if p := text.NameProblem(s); p != "" {
			return errs.Field(field, "invalid_characters", label+p+"，请修改后再保存")
		}
	}
	switch {
	case !text.Plain(s, lines) || text.HasFormat(s):
		return errs.Field(field, "invalid_characters", label+"含有控制字符、不可见的格式字符（如零宽空格、BOM、文字方向控制符）或无效的字符编码，请删除后再保存")
	case utf8.RuneCountInString(s) > max:
		return errs.Field(field, "too_long", fmt.Sprintf("%s不能超过 %d 个字", label, max))
	}
	return nil
}

// Level is an administrative level of a region and of a platform.
type Level string

const (
	Province Level = "province"
	City     Level = "city"
	District Level = "district"
	Town     Level = "town"
)

var levelLabels = map[Level]string{Province: "省级", City: "市级", District: "县区级", Town: "乡镇（街道）"}

// Label is the Chinese name of the level.
func (l Level) Label() string { return levelLabels[l] }

// Region is an administrative division with its GB/T 2260 code.
type Region struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Level      Level  `json:"level"`
	ParentCode string `json:"parent_code,omitempty"`
}

// parentLevels are the levels a region of each level may sit under: the
// level above, and where GB/T 2260 skips one, the level above that — the
// districts of a municipality (北京市东城区 110101 under 110000) and the
// county-level cities a province administers (湖北省仙桃市 429004) sit
// under a province; the towns of a city without districts (东莞市 441900)
// under a city. A province sits under nothing.
var parentLevels = map[Level][]Level{City: {Province}, District: {City, Province}, Town: {District, City}}

// prefixLen is how many leading digits of a region's code its children's
// codes share (GB/T 2260): a province's two, a city's four, a district's
// six; a town's nine digits begin with its district's (or city's) six.
func prefixLen(parent, child Level) int {
	if child == Town {
		return 6
	}
	return map[Level]int{Province: 2, City: 4}[parent]
}

// MaxRegionCodeInput bounds a region code as typed or imported, in bytes,
// once trimmed of white space (padding, as fixed-width exports add, does
// not count): one longer is refused (ReadRegionCode) before it is folded,
// as folding takes memory in proportion to it (U+FDFA folds into eighteen
// characters). A code is nine digits at most; 64 bytes leave room for
// full-width digits (three bytes each) and invisible characters among
// them.
const MaxRegionCodeInput = 64

// maxShownRegionCode is how many characters of a refused region code,
// folded, its message repeats.
const maxShownRegionCode = 20

// ReadRegionCode is a region code as typed or imported (s: the API, the
// console, the CLI, a registration's provider), trimmed of white space and
// folded (text.FoldCode: full-width digits as ASCII, invisible characters
// left out), or why it is none, 400 invalid_region_code on field, before
// it is looked up: one over MaxRegionCodeInput bytes once trimmed, before
// it is folded, its length alone told (padding counts on no path); an
// empty one (不能为空: callers for whom a code is optional test for a
// blank one first); one that holds only invisible characters, which the
// message shows (text.Shown: [U+200B]); one that is not six ASCII digits,
// or nine (a town's), which the message repeats as read (text.Shown, cut
// to maxShownRegionCode characters), naming the first character that is
// no digit. Each message begins with what, the code's label (行政区划代码,
// 上级行政区划代码, 数源部门“…”的行政区划代码), and says what a code is.
func ReadRegionCode(field, what, s string) (string, error) {
	const form = "应为6位数字（乡镇为9位）"
	refuse := func(msg string) (string, error) {
		return "", errs.Field(field, "invalid_region_code", what+msg)
	}
	s = strings.TrimSpace(s)
	if len(s) > MaxRegionCodeInput {
		return refuse(fmt.Sprintf("过长（%d字节）：%s", len(s), form))
	}
	if s == "" {
		return refuse("不能为空：" + form)
	}
	code := text.FoldCode(s)
	if code == "" {
		return refuse("“" + text.Shown(s, maxShownRegionCode) + "”只含不可见的字符：" + form)
	}
	shown := "“" + text.Shown(code, maxShownRegionCode) + "”"
	for i, c := range []rune(code) {
		if c < '0' || c > '9' {
			return refuse(fmt.Sprintf("%s的第%d个字符“%s”不是数字：%s", shown, i+1, text.Shown(string(c), 1), form))
		}
	}
	if len(code) != 6 && len(code) != 9 {
		return refuse(fmt.Sprintf("%s为%d位：%s", shown, len(code), form))
	}
	return code, nil
}

// validate checks r, its codes read first (ReadRegionCode); a parent code
// of white space alone is none.
func (r *Region) validate() error {
	var err error
	if r.Code, err = ReadRegionCode("code", "行政区划代码", r.Code); err != nil {
		return err
	}
	if len(r.Code) == 9 && r.Level != Town {
		return errs.Field("code", "invalid_region_code", "行政区划代码“"+r.Code+"”为9位：只有乡镇的代码为9位，其他行政区划的应为6位数字")
	}
	if strings.TrimSpace(r.ParentCode) == "" {
		r.ParentCode = ""
	} else if r.ParentCode, err = ReadRegionCode("parent_code", "上级行政区划代码", r.ParentCode); err != nil {
		return err
	}
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" {
		return errs.Field("name", "name_required", "行政区划名称不能为空")
	}
	if err := checkText("name", "行政区划名称", r.Name, MaxRegionName, false); err != nil {
		return err
	}
	if _, ok := levelLabels[r.Level]; !ok {
		return errs.Field("level", "invalid_level", "层级应为 province、city、district 或 town")
	}
	if err := r.checkCodeLevel(); err != nil {
		return err
	}
	if r.Level != Province && r.ParentCode == "" {
		return errs.Field("parent_code", "parent_required", "非省级行政区划必须指定上级")
	}
	if r.Level == Province && r.ParentCode != "" {
		return errs.Field("parent_code", "invalid_parent_level", "省级行政区划没有上级，请不要指定上级行政区划")
	}
	return nil
}

// checkCodeLevel refuses a code whose form is not its level's (GB/T 2260):
// a province's ends in 0000, a city's in 00 (not 0000), a district's not
// in 00, and a town's nine digits are its district's (or city's) six and
// three more, not 000.
func (r *Region) checkCodeLevel() error {
	c := r.Code
	var msg string
	switch r.Level {
	case Province:
		if c[2:] != "0000" || c[:2] == "00" {
			msg = "省级行政区划代码应为两位省级代码加 0000（如广东省 440000）"
		}
	case City:
		if c[4:] != "00" || c[2:4] == "00" {
			msg = "市级行政区划代码应为四位代码加 00，且第三、四位不为 00（如佛山市 440600）"
		}
	case District:
		if c[4:] == "00" {
			msg = "县区级行政区划代码的后两位不能为 00（如南海区 440605）"
		}
	case Town:
		if len(c) != 9 || c[6:] == "000" || c[2:6] == "0000" {
			msg = "乡镇（街道）代码应为9位：所属县区（或不设区的市）的6位代码加3位序号（如桂城街道 440605011）"
		}
	}
	if msg != "" {
		return errs.Field("code", "region_code_level", "行政区划代码 "+c+" 与层级“"+r.Level.Label()+"”不符："+msg)
	}
	return nil
}

// checkParent refuses a parent of a level r may not sit under
// (parentLevels), or whose code r's does not begin with (prefixLen).
func (r *Region) checkParent(parent Region) error {
	allowed := parentLevels[r.Level]
	if !slices.Contains(allowed, parent.Level) {
		labels := make([]string, len(allowed))
		for i, l := range allowed {
			labels[i] = l.Label()
		}
		return errs.Field("parent_code", "invalid_parent_level", fmt.Sprintf("%s行政区划的上级应为%s，%s（%s）是%s",
			r.Level.Label(), strings.Join(labels, "或"), parent.Name, parent.Code, parent.Level.Label()))
	}
	if n := prefixLen(parent.Level, r.Level); r.Code[:n] != parent.Code[:n] {
		return errs.Field("code", "region_code_parent", fmt.Sprintf("行政区划代码 %s 与上级%s（%s）不符：应以 %s 开头",
			r.Code, parent.Name, parent.Code, parent.Code[:n]))
	}
	return nil
}

// CreateRegion validates r, stores it and leaves r as stored (its codes
// folded, text.FoldCode, its name trimmed). Its code must be of its
// level's form and, but for a province, its parent must exist, be of a
// level it may sit under (parentLevels) and share its code's leading
// digits (prefixLen).
func CreateRegion(ctx context.Context, tx *sqldb.Tx, by audit.Actor, r *Region, now time.Time) error {
	if err := r.validate(); err != nil {
		return err
	}
	var parent any
	if r.ParentCode != "" {
		parent = r.ParentCode
		p, err := regionByCode(ctx, tx, r.ParentCode)
		if err != nil {
			return err
		}
		if err := r.checkParent(p); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO regions (code, name, level, parent_code) VALUES ($1, $2, $3, $4)`,
		r.Code, r.Name, string(r.Level), parent); err != nil {
		switch {
		case sqldb.IsUniqueViolationOf(err, keyRegionCode):
			return errs.E(errs.Conflict, "region_exists", "行政区划代码已存在："+r.Code)
		case sqldb.IsForeignKeyViolation(err):
			return errs.Field("parent_code", "unknown_region", "上级行政区划不存在："+r.ParentCode)
		}
		return fmt.Errorf("create region: %w", err)
	}
	return audit.Record(ctx, tx, audit.Event{Actor: by, Action: "region.create", ObjectType: "region",
		ObjectID: r.Code, Detail: audit.Detail("name", r.Name, "level", string(r.Level))}, now)
}

// regionByCode returns one region; one not found is the parent_code
// field's error (unknown_region), the only code CreateRegion reads.
func regionByCode(ctx context.Context, q sqldb.Querier, code string) (Region, error) {
	var r Region
	err := q.QueryRowContext(ctx, `SELECT code, name, level, COALESCE(parent_code, '') FROM regions WHERE code = $1`, code).
		Scan(&r.Code, &r.Name, &r.Level, &r.ParentCode)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.Field("parent_code", "unknown_region", "上级行政区划不存在："+code)
	}
	if err != nil {
		return r, fmt.Errorf("region %s: %w", code, err)
	}
	return r, nil
}

// RegionFilter selects a page of regions. The zero value selects them all.
type RegionFilter struct {
	After string // keyset cursor: regions with a greater code
	Limit int    // at most this many; 0 for all
}

// FindRegions returns the regions f selects, ordered by code, and the
// cursor of the next page: the last code, "" when no more follow.
func FindRegions(ctx context.Context, q sqldb.Querier, f RegionFilter) ([]Region, string, error) {
	rs, more, err := list(ctx, q, `SELECT code, name, level, COALESCE(parent_code, '') FROM regions
		WHERE code > $1 ORDER BY code`, []any{f.After}, f.Limit, func(sc scanner) (r Region, err error) {
		return r, sc.Scan(&r.Code, &r.Name, &r.Level, &r.ParentCode)
	})
	if err != nil || !more {
		return rs, "", wrap("list regions", err)
	}
	return rs, rs[len(rs)-1].Code, nil
}

// Regions lists all regions ordered by code.
func Regions(ctx context.Context, q sqldb.Querier) ([]Region, error) {
	rs, _, err := FindRegions(ctx, q, RegionFilter{})
	return rs, err
}

// Department is a government department using the platform.
type Department struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	ShortName  string `json:"short_name,omitempty"`
	USCC       string `json:"uscc"`
	RegionCode string `json:"region_code"`
	ParentID   int64  `json:"parent_id,omitempty"`
	IsOperator bool   `json:"is_operator"`
	// Disabled says the department was disabled (SetDepartmentDisabled):
	// it gets no new account or app and is offered as no one's department.
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
	// Warnings are what is wrong with the credit code but accepted
	// (codeWarnings: a wrong check character in an early code, an
	// organisation code inside it that fails its own check, a registration
	// authority other than 机构编制, region digits other than the
	// department's region's), in Chinese, on every read; nothing stores
	// them.
	Warnings []string `json:"warnings,omitempty"`
	// USCCInvalid says that the stored credit code fails the check a new
	// department's code must pass (usccInvalid): eighteen digits with a
	// wrong check character, taken with a warning before 2026-12. Records
	// refuse such a code as a subject. The code is kept as stored, for the
	// operator to check with the department; every read of a department
	// says it, nothing stores it.
	USCCInvalid bool `json:"uscc_invalid,omitempty"`
}

// usccInvalid reports whether CreateDepartment would refuse code, a
// department's stored credit code.
func usccInvalid(code string) bool {
	_, err := ident.USCC(code, ident.LegalEntityMode(code))
	return err != nil
}

// Check returns every problem of d's name, short name (both trimmed; a
// blank short name is none) and unified social credit code, in that
// order, each a field error: CreateDepartment refuses the first, a form
// shows them all. Its region and parent are CreateDepartment's to check.
func (d Department) Check() []*errs.Error {
	var out problems
	out.add(checkDepartmentName(d.Name))
	out.add(checkShortName(d.ShortName))
	out.add(checkUSCC(d.USCC))
	return out
}

// checkShortName refuses a department's short name, trimmed, that cannot be
// stored; a blank one is none.
func checkShortName(s string) error {
	return checkText("short_name", "部门简称", strings.TrimSpace(s), MaxShortName, false)
}

// errUSCCTaken and errNameTaken refuse a department's credit code or name
// (unique in its region) that another department has; usccHeld names the
// department holding the code, errUSCCTaken, for an insert or update
// refused by the unique key, does not know it.
func errUSCCTaken(code string) error {
	return &errs.Error{Kind: errs.Conflict, Code: "department_exists", Field: "uscc", Message: "统一社会信用代码 " + code + " 已是另一个部门的统一社会信用代码"}
}

// usccHeld refuses credit code code when a department other than except
// (0: any department) has it, naming that department by its label
// (DepartmentLabels), as another region's namesake may share its name;
// it returns nil when no other department has the code.
func usccHeld(ctx context.Context, tx *sqldb.Tx, code string, except int64) error {
	var holder int64
	switch err := tx.QueryRowContext(ctx, `SELECT id FROM departments WHERE uscc = $1 AND id <> $2`, code, except).Scan(&holder); {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return wrap("department of credit code "+code, err)
	}
	labels, err := DepartmentLabels(ctx, tx, []int64{holder})
	if err != nil {
		return err
	}
	return &errs.Error{Kind: errs.Conflict, Code: "department_exists", Field: "uscc", Message: "统一社会信用代码 " + code + " 已是部门“" + labels[holder] + "”的统一社会信用代码"}
}

func errNameTaken(name string) error {
	return &errs.Error{Kind: errs.Conflict, Code: "department_exists", Field: "name", Message: "本行政区划已有名为“" + name + "”的部门"}
}

// errNameConfusable refuses a department's name or short name (field) s
// whose key (text.NameKey) is that of another department's name or short
// name otherName (its kind, 名称 or 简称), which a person typing s to
// choose a department (DepartmentsNamed), or a catalog import naming a
// provider, could mean: the other department is named in the message,
// which says what the key folds (text.NameKey: white space, punctuation,
// brackets, full-width forms and, by text.Fold's NFKC, other writings of
// one character such as a compatibility ideograph, ℃ for °C or a
// superscript digit).
func errNameConfusable(field, s, other, kind, otherName string) error {
	label := "部门名称"
	if field == "short_name" {
		label = "部门简称"
	}
	msg := label + "“" + s + "”已是部门“" + other + "”的" + kind + "，按此查找部门时无法区分，请换一个"
	if s != otherName {
		msg = label + "“" + s + "”与部门“" + other + "”的" + kind + "“" + otherName +
			"”看起来相同（只差空格、标点、括号、全角半角或同一字符的不同写法），查找部门和导入目录时无法区分，请换一个"
	}
	return &errs.Error{Kind: errs.Conflict, Code: "department_name_confusable", Field: field, Message: msg}
}

// errShortNameTaken refuses a department's short name s that department
// other of the same region has: department_exists, as a name of the
// region another department has is refused (errNameTaken), since short
// names too are unique within a region; department_name_confusable is for
// a name or short name that only looks like another's, or that is another
// department's name where a short name is meant, or the other way round.
func errShortNameTaken(s, other string) error {
	return &errs.Error{Kind: errs.Conflict, Code: "department_exists", Field: "short_name",
		Message: "部门简称“" + s + "”已是本行政区划部门“" + other + "”的简称，请换一个（其他行政区划的部门可以有相同的简称）"}
}

// checkNamesFree refuses a name (when name is not "") or a short name (when
// short is not "") of department id, of region, that another department's
// name or short name folds to (text.NameKey: the same but for white space,
// punctuation, brackets, full-width forms, letter case and the writing of
// a character text.Fold's NFKC folds), as
// DepartmentsNamed and the catalog import's 数源部门 find a department by
// either (errNameConfusable): one would be taken for the other, or both be
// ambiguous where one was meant. A name that is exactly another
// department's name in another region is no conflict: names are unique
// within a region (keyDeptName), and a name of several is refused as
// ambiguous, naming them all. So is a short name that is exactly another
// department's short name in another region: every city has its 市司法局,
// DepartmentsNamed lists all of them as ambiguous, and the catalog import
// takes the importing department's own (matchProvider); in one region it
// is refused (errShortNameTaken, department_exists). Department id is already written in tx,
// and the check takes the lock of departments' names (lockNames) until tx
// ends, which every create or change of a department's names takes, so
// that on PostgreSQL one committed meanwhile is seen here (SQLite has one
// writer). The others are read by the keys stored with them
// (departmentsWithKeys, indexed): only the departments whose name or
// short name has the key of name or of short are read, not every
// department's names folded anew, which made creating n departments fold
// n² names (10,000 took over 100 s).
func checkNamesFree(ctx context.Context, tx *sqldb.Tx, id int64, region, name, short string) error {
	nameKey, shortKey := text.NameKey(name), text.NameKey(short)
	if nameKey == "" && shortKey == "" {
		return nil
	}
	if err := lockNames(ctx, tx); err != nil {
		return err
	}
	// Planned for the keys given and the departments there are: a
	// connection's generic plan, made while the table looked empty (the
	// first departments, or a transaction creating a thousand, as hutong
	// bench seeds them), read every department at every check for as long
	// as it was kept (10,000 took 81 s).
	if err := tx.CustomPlans(ctx); err != nil {
		return wrap("check department names", err)
	}
	others, err := departmentsWithKeys(ctx, tx, nameKey, shortKey)
	if err != nil {
		return wrap("check department names", err)
	}
	for _, o := range others {
		if o.ID == id {
			continue
		}
		otherKey, otherShortKey := text.NameKey(o.Name), text.NameKey(o.ShortName)
		switch {
		case nameKey != "" && nameKey == otherKey && name != o.Name:
			return errNameConfusable("name", name, o.Name, "名称", o.Name)
		case nameKey != "" && nameKey == otherShortKey:
			return errNameConfusable("name", name, o.Name, "简称", o.ShortName)
		case shortKey != "" && shortKey == otherKey:
			return errNameConfusable("short_name", short, o.Name, "名称", o.Name)
		case shortKey != "" && shortKey == otherShortKey && short != o.ShortName:
			return errNameConfusable("short_name", short, o.Name, "简称", o.ShortName)
		case shortKey != "" && short == o.ShortName && region == o.RegionCode:
			return errShortNameTaken(short, o.Name)
		}
	}
	return nil
}

// checkShortNameInRegion refuses the short name short (when not "") of
// department id, moved to region with it, that another department of
// region has (errShortNameTaken). Only that is checked: a short name
// stored before checkNamesFree keeps no move of its department from going
// in for a department it looks like. As checkNamesFree, it takes the lock
// of departments' names first.
func checkShortNameInRegion(ctx context.Context, tx *sqldb.Tx, id int64, region, short string) error {
	if short == "" {
		return nil
	}
	if err := lockNames(ctx, tx); err != nil {
		return err
	}
	var other string
	switch err := tx.QueryRowContext(ctx, `SELECT name FROM departments WHERE region_code = $1 AND short_name = $2 AND id <> $3
		ORDER BY id LIMIT 1`, region, short, id).Scan(&other); {
	case err == nil:
		return errShortNameTaken(short, other)
	case errors.Is(err, sql.ErrNoRows):
		return nil
	default:
		return wrap("check department names", err)
	}
}

// checkDepartmentName refuses a department's name, trimmed, that is empty
// or cannot be stored.
func checkDepartmentName(name string) error {
	if name = strings.TrimSpace(name); name == "" {
		return errs.Field("name", "name_required", "部门名称不能为空")
	}
	return checkText("name", "部门名称", name, MaxDeptName, false)
}

// CreateDepartment validates d, stores it and sets d.ID. The unified social
// credit code is checked as a record's subject is (ident.LegalEntityMode),
// so that the department can be one under its code: a wrong check digit
// is accepted (real early codes fail it) and reported in d.Warnings,
// except in eighteen digits, a citizen ID's shape; any other defect is
// refused. Its region must be given and known, and its parent, if any, a
// department (checkDepartmentRefs). Its name may not be another
// department's short name, nor its short name another's name or short name,
// but for a short name exactly another region's department's
// (checkNamesFree, 409 department_name_confusable; a short name another
// department of its region has, 409 department_exists).
func CreateDepartment(ctx context.Context, tx *sqldb.Tx, by audit.Actor, d *Department, now time.Time) error {
	if problems := d.Check(); len(problems) > 0 {
		return problems[0]
	}
	d.Name, d.ShortName = strings.TrimSpace(d.Name), strings.TrimSpace(d.ShortName)
	res, err := ident.USCC(d.USCC, ident.LegalEntityMode(d.USCC))
	if err != nil {
		return fieldErr("uscc", err)
	}
	d.USCC = res.Normalized
	if strings.TrimSpace(d.RegionCode) == "" {
		d.RegionCode = ""
	} else if d.RegionCode, err = ReadRegionCode("region_code", "行政区划代码", d.RegionCode); err != nil {
		return err
	}
	if d.ParentID != 0 {
		if err := lockHierarchy(ctx, tx); err != nil {
			return err
		}
	}
	if err := checkDepartmentRefs(ctx, tx, *d); err != nil {
		return err
	}
	d.Warnings = d.codeWarnings()
	if err := usccHeld(ctx, tx, d.USCC, 0); err != nil {
		return err
	}
	d.CreatedAt = now.UTC()
	var parent any
	if d.ParentID != 0 {
		parent = d.ParentID
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO departments (name, short_name, uscc, region_code, parent_id, is_operator, created_at,
		name_key, short_name_key, name_search, short_name_search) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		d.Name, d.ShortName, d.USCC, d.RegionCode, parent, d.IsOperator, d.CreatedAt, text.NameKey(d.Name), text.NameKey(d.ShortName),
		searchForm(d.Name), searchForm(d.ShortName)).Scan(&d.ID)
	if err != nil {
		switch {
		case sqldb.IsUniqueViolationOf(err, keyDeptUSCC):
			return errUSCCTaken(d.USCC)
		case sqldb.IsUniqueViolationOf(err, keyDeptName):
			return errNameTaken(d.Name)
		}
		return fmt.Errorf("create department: %w", err)
	}
	detail := []string{"name", d.Name, "uscc", d.USCC}
	if len(d.Warnings) > 0 {
		detail = append(detail, "uscc_warnings", strings.Join(d.Warnings, "；"))
	}
	if err := audit.Record(ctx, tx, audit.Event{Actor: by, Action: "department.create", ObjectType: "department",
		ObjectID: strconv.FormatInt(d.ID, 10), Detail: audit.Detail(detail...)}, now); err != nil {
		return err
	}
	return checkNamesFree(ctx, tx, d.ID, d.RegionCode, d.Name, d.ShortName)
}

// checkDepartmentRefs refuses a new department d whose region is not
// given (region_required) or not known (unknown_region; its code read by
// ReadRegionCode before), or whose parent,
// when it has one (ParentID not 0), is no department (unknown_department)
// or sits in a region that is not d's nor above it
// (parent_region_mismatch), each on its field. Neither regions nor departments are ever deleted, so
// what is found here is still there when d is stored.
func checkDepartmentRefs(ctx context.Context, q sqldb.Querier, d Department) error {
	if d.RegionCode == "" {
		return errs.Field("region_code", "region_required", "请选择行政区划")
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM regions WHERE code = $1`, d.RegionCode).Scan(&n); err != nil {
		return fmt.Errorf("create department: %w", err)
	}
	if n == 0 {
		return errs.Field("region_code", "unknown_region", "行政区划不存在："+d.RegionCode)
	}
	if d.ParentID == 0 {
		return nil
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE id = $1`, d.ParentID).Scan(&n); err != nil {
		return fmt.Errorf("create department: %w", err)
	}
	if n == 0 {
		return errs.Field("parent_id", "unknown_department", "上级部门不存在："+strconv.FormatInt(d.ParentID, 10))
	}
	return checkParentRegion(ctx, q, d.RegionCode, d.ParentID)
}

const departmentColumns = `id, name, short_name, uscc, region_code, COALESCE(parent_id, 0), is_operator, disabled, created_at`

func scanDepartment(sc interface{ Scan(...any) error }) (Department, error) {
	var d Department
	err := sc.Scan(&d.ID, &d.Name, &d.ShortName, &d.USCC, &d.RegionCode, &d.ParentID, &d.IsOperator, &d.Disabled, &d.CreatedAt)
	d.CreatedAt = d.CreatedAt.UTC()
	d.USCCInvalid = usccInvalid(d.USCC)
	d.Warnings = d.codeWarnings()
	return d, err
}

// DepartmentByID returns one department.
func DepartmentByID(ctx context.Context, q sqldb.Querier, id int64) (Department, error) {
	return departmentByID(ctx, q, id, "")
}

// departmentByID is DepartmentByID with the locking clause lock (FOR
// SHARE, FOR UPDATE: departmentLocked) after its SELECT, none when "".
func departmentByID(ctx context.Context, q sqldb.Querier, id int64, lock string) (Department, error) {
	query := `SELECT ` + departmentColumns + ` FROM departments WHERE id = $1`
	if lock != "" {
		query += ` ` + lock
	}
	d, err := scanDepartment(q.QueryRowContext(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, errs.E(errs.NotFound, "department_not_found", "部门不存在")
	}
	if err != nil {
		return d, fmt.Errorf("department %d: %w", id, err)
	}
	return d, nil
}

// DepartmentByRef returns the department ref names, trimmed: its id, else its
// credit code, name or short name as DepartmentByName reads them (a credit
// code may be all digits). The CLI's -department, the API's and the
// console's department filters take it.
func DepartmentByRef(ctx context.Context, q sqldb.Querier, ref string) (Department, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		d, err := DepartmentByID(ctx, q, id)
		if !errs.Is(err, errs.NotFound) {
			return d, err
		}
	}
	return DepartmentByName(ctx, q, ref)
}

// DepartmentByName returns the department a person names by its credit
// code, name or short name, as DepartmentsNamed reads them. Names and
// short names are unique only within a region (every city has its
// 市司法局): a name of several departments is refused
// (department_ambiguous) with their ids, regions and credit codes, never
// taken for the first of them.
func DepartmentByName(ctx context.Context, q sqldb.Querier, ref string) (Department, error) {
	const shown = 5
	ref = strings.TrimSpace(ref)
	// No department has a name PostgreSQL would refuse to compare.
	if !text.Storable(ref) {
		return Department{}, errs.E(errs.NotFound, "department_not_found", "部门不存在")
	}
	// One more than are shown, to know whether there are more.
	ls, err := DepartmentsNamed(ctx, q, ref, shown+1)
	if err != nil {
		return Department{}, err
	}
	switch len(ls) {
	case 0:
		return Department{}, errs.E(errs.NotFound, "department_not_found", "部门不存在："+ref)
	case 1:
		return ls[0].Department, nil
	}
	more := ""
	if len(ls) > shown {
		ls, more = ls[:shown], "等"
	}
	names := make([]string, len(ls))
	exact := true // DepartmentsNamed found them by ref exactly, not by names alike
	for i, l := range ls {
		short := ""
		if l.ShortName != "" && l.Name != ref {
			short = "简称“" + l.ShortName + "”，"
		}
		exact = exact && (l.Name == ref || l.ShortName == ref)
		names[i] = fmt.Sprintf("%s（%sID %d，%s，统一社会信用代码 %s）", l.Name, short, l.ID, l.Region.Name, l.USCC)
	}
	what := "名称或简称为“" + ref + "”的部门不止一个："
	if !exact {
		what = "没有名称或简称恰为“" + ref + "”的部门，名称或简称与之看起来相同（只差空格、标点、括号、全角半角或同一字符的不同写法）的部门不止一个："
	}
	return Department{}, errs.E(errs.Conflict, "department_ambiguous", what+
		strings.Join(names, "、")+more+"，请用部门 ID 或统一社会信用代码指明")
}

// MaxSearch is the longest name search of the organisation lists
// (departments, accounts, apps), in characters: longer than any name.
const MaxSearch = 100

// Search checks a name search of those lists, given as field, and returns
// it trimmed, as a filter's Q: text with control characters or invalid
// UTF-8 is refused (invalid_characters), and so is text longer than
// MaxSearch characters (query_too_long). The console and the CLI read
// their searches with it.
func Search(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if !text.Plain(s, false) {
		return "", errs.Field(field, "invalid_characters", "搜索词含有控制字符或无效的字符编码")
	}
	if utf8.RuneCountInString(s) > MaxSearch {
		return "", errs.Field(field, "query_too_long", "搜索词不能超过 "+strconv.Itoa(MaxSearch)+" 个字，请缩短后再搜索")
	}
	return s, nil
}

// DepartmentFilter selects departments, a page at a time. The zero value
// selects them all.
type DepartmentFilter struct {
	Q     string // part of the name or short name; ASCII letters in any case, full-width forms as half-width ones, invisible characters ignored, and as the name's key (text.NameKey: white space in either and the name's punctuation ignored, radicals as their ideographs) when it holds no punctuation, symbol or letter beyond ASCII with case (searchKey), else as typed with white space in either ignored and radicals as their ideographs (searchForm)
	After int64  // keyset cursor: departments with a greater id
	Limit int    // at most this many; 0 for all
}

// Where is f's condition on departments (columns prefixed with t, a table
// alias and a dot or "") and its arguments: $1 is After. Other stores
// select departments with it as FindDepartments does.
func (f DepartmentFilter) Where(t string) (string, []any) {
	cond := t + `id > $1`
	args := []any{f.After}
	// Characters that show nothing (a zero-width space or BOM pasted with
	// the search) are no part of it.
	q := text.DropIgnorable(f.Q)
	if q != "" {
		// The search in half-width and in full-width forms alike, so that
		// 测试局1 finds 测试局１ and the other way round (text.FoldWidth);
		// full-width letters in upper case as well, which foldASCII leaves
		// as they are.
		key, keyed := searchKey(q)
		// A search the keys cannot take is looked for as typed, in the
		// names' stored search forms (searchForm: white space left out,
		// full-width forms as half-width ones, ASCII letters in lower case,
		// radicals as their ideographs), so that 南海区 市场监督管理局（筹）
		// finds 南海区市场监督管理局（筹）, as 南海区 市场监督管理局 does by
		// the key, and the other way round. A department stored with no
		// forms (name_search empty, which a name's form never is: a server
		// of the release before migration 0056, serving beside a newer one
		// during a rolling upgrade, docs/postgresql.md, leaves the columns'
		// default until RekeyDepartments rewrites them at the next upkeep
		// pass) is looked for in its names read into that form in SQL
		// (searchFormSQL), as keysWhere takes the departments stored with
		// no keys: they are few, and the other rows never reach it.
		if s := searchForm(q); !keyed && s != "" {
			cond += ` AND (` + t + `name_search LIKE $2 ESCAPE '\' OR ` + t + `short_name_search LIKE $2 ESCAPE '\' OR (` +
				t + `name_search = '' AND (` + searchFormSQL(t+`name`) + ` LIKE $2 ESCAPE '\' OR ` +
				searchFormSQL(t+`short_name`) + ` LIKE $2 ESCAPE '\')))`
			return cond, append(args, containing(s))
		}
		// A search the keys take is looked for as typed (each pattern p in
		// the names with their ASCII letters in lower case, foldASCII) and
		// in the keys. A name is read through foldASCII's 26 replace() for
		// p only where it holds p with any character in place of each of
		// p's letters (anyLetter), which it does wherever it holds p in
		// either case: the same results, but the replace() spent only on
		// the few names that let through, not on every name for every
		// pattern (5,000 departments: ~1.1 s a search on SQLite, ~0.2 s on
		// PostgreSQL, BenchmarkDepartmentSearch). The names themselves,
		// not their stored search forms, which are not a name's while an
		// older server runs beside (RekeyDepartments) and which cannot
		// answer as the names do (NFKC: e and U+0301 in the key, İ:
		// keyLike). TestDepartmentSearchGuard compares the results with
		// the conditions unguarded.
		narrow := text.FoldWidth(q)
		name, short := foldASCII(t+`name`), foldASCII(t+`short_name`)
		cond += ` AND (`
		for i, p := range []string{narrow, text.WidenASCII(narrow), text.WidenASCII(strings.ToUpper(narrow))} {
			typed, guard := `$`+strconv.Itoa(len(args)+1), `$`+strconv.Itoa(len(args)+2)
			if i > 0 {
				cond += ` OR `
			}
			cond += `(` + t + `name LIKE ` + guard + ` ESCAPE '\' AND ` + name + ` LIKE ` + typed + ` ESCAPE '\') OR (` +
				t + `short_name LIKE ` + guard + ` ESCAPE '\' AND ` + short + ` LIKE ` + typed + ` ESCAPE '\')`
			args = append(args, containing(p), anyLetter(containing(p)))
		}
		// And in the stored keys, which NameKey folded as a person's naming
		// of a department is compared: 市 公安局 finds 佛山市公安局, ⻔户
		// (a radical copied out of a PDF) 门户, 新城管委会筹 新城管委会（筹）.
		if keyed {
			n := strconv.Itoa(len(args) + 1)
			cond += ` OR ` + keyLike(t+`name`, n, key) + ` OR ` + keyLike(t+`short_name`, n, key)
			args = append(args, containing(key))
		}
		cond += `)`
	}
	return cond, args
}

// searchKey is a department search q as the stored keys of names hold it
// (text.NameKey), for DepartmentFilter.Where to look for it there too, and
// whether it may: only when the key leaves nothing out of q, folded
// (text.Fold), but white space (text.KeyDropsBeyondSpace, NameKey's own
// test of what it leaves out). Not when q holds punctuation or a symbol,
// which the key would leave out, so that what is left would find more
// than q does: （筹） would find 统筹发展办公室, C++ every name with a c
// (such a q is found in the names as typed, its brackets in either width,
// white space left out of both: searchForm); nor when the key is empty (q
// is white space). Nor when q holds a letter
// beyond ASCII that has case (é, Ä, ß, ẞ, İ, ı): the keys hold every
// letter in lower case, and the search folds the case of ASCII letters
// alone, alike on both engines (TestSearchFoldsASCIIOnly): ärzte must not
// find ÄRZTE联络处 by its key ärzte联络处. A key without such letters
// holds a cased letter only where the name, folded, holds that ASCII
// letter in either case, or İ (keyLike).
func searchKey(q string) (string, bool) {
	cased := func(r rune) bool {
		return r > unicode.MaxASCII && (unicode.SimpleFold(r) != r || unicode.ToUpper(r) != r || unicode.ToLower(r) != r)
	}
	// Before the key's lower case, which makes İ i.
	if strings.ContainsFunc(text.Fold(q), cased) || text.KeyDropsBeyondSpace(q) {
		return "", false
	}
	key := text.NameKey(q)
	return key, key != ""
}

// searchForm is the form of a name or short name stored with it
// (name_search, short_name_search) and of a department search the keys
// cannot take (searchKey), compared in it by DepartmentFilter.Where: s
// with its white space left out, its full-width forms as half-width ones
// and the ideographic space as a space (text.NarrowRune), its ASCII
// letters in lower case and its radicals as their ideographs
// (text.Radical), every other character as it is: punctuation as typed in
// either width, letters beyond ASCII in the case written (STRAẞE局 does
// not find Straße 局, TestSearchFoldsASCIIOnly's rule), nothing else NFKC
// would fold (㈱ does not find (株)). A rune-by-rune map, so that a name
// holding a search holds it in this form too. Changing it changes what
// the stored forms must be: RekeyDepartments rewrites them.
func searchForm(s string) string {
	return strings.Map(func(r rune) rune {
		r = text.Radical(text.NarrowRune(r))
		switch {
		case unicode.IsSpace(r):
			return -1
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// searchFormSQL is the SQL expression of the text expression col in
// searchForm's form: a replace() of each character searchForm changes
// (searchFormChanges) by what it makes of it, so that the form of a name
// stored without its forms is the one RekeyDepartments will store.
func searchFormSQL(col string) string {
	changes := searchFormChanges()
	return strings.Repeat(`replace(`, len(changes)) + col + strings.Join(changes, ``)
}

// searchFormChanges are the arguments searchFormSQL gives replace() after
// the column, one for each character searchForm changes (white space, the
// full-width forms, ASCII capitals, radicals: all in the Basic
// Multilingual Plane, TestSearchFormSQL), each made its form at once,
// which searchForm changes no further, so that their order does not
// matter.
var searchFormChanges = sync.OnceValue(func() []string {
	var out []string
	lit := func(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
	for r := rune(0); r <= 0xffff; r++ {
		if s := string(r); utf8.ValidRune(r) && searchForm(s) != s {
			out = append(out, `, `+lit(s)+`, `+lit(searchForm(s))+`)`)
		}
	}
	return out
})

// keyLike is the condition that the key of the name column col (col_key)
// holds the pattern $n of a key (searchKey). A key holding i leaves out a
// name holding İ (U+0130, or I and the combining dot U+0307, which NFKC
// composes): its key holds i there, where the name holds no ASCII i. Of
// the two letters beyond ASCII whose lower case is ASCII, İ is the one
// Fold keeps; the other, the Kelvin sign K, Fold makes K, as it makes the
// compatibility letters ſ, Ⅰ and ª s, I and a and full-width letters
// ASCII ones, so that k线 finds K线 written with the Kelvin sign by its key
// as it finds ｋ线. replace() is case-sensitive on both engines, where
// SQLite's LIKE would leave out i and U+0307 too.
func keyLike(col, n, key string) string {
	cond := col + `_key LIKE $` + n + ` ESCAPE '\'`
	if strings.Contains(key, "i") {
		cond = "(" + cond + " AND replace(replace(" + col + ", '\u0130', ''), 'I\u0307', '') = " + col + ")"
	}
	return cond
}

// FindDepartments returns the departments f selects, ordered by id, and
// the cursor of the next page: the last id, 0 when no more follow.
func FindDepartments(ctx context.Context, q sqldb.Querier, f DepartmentFilter) ([]Department, int64, error) {
	where, args := f.Where("")
	ds, more, err := list(ctx, q, `SELECT `+departmentColumns+` FROM departments WHERE `+where+` ORDER BY id`,
		args, f.Limit, scanDepartment)
	if err != nil || !more {
		return ds, 0, wrap("list departments", err)
	}
	return ds, ds[len(ds)-1].ID, nil
}

// Departments lists all departments ordered by id.
func Departments(ctx context.Context, q sqldb.Querier) ([]Department, error) {
	ds, _, err := FindDepartments(ctx, q, DepartmentFilter{})
	return ds, err
}

// DepartmentNames maps every department's id to its name.
func DepartmentNames(ctx context.Context, q sqldb.Querier) (map[int64]string, error) {
	ds, err := Departments(ctx, q)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(ds))
	for _, d := range ds {
		m[d.ID] = d.Name
	}
	return m, nil
}

// fieldErr names the field on a user-facing error from another package.
func fieldErr(field string, err error) error {
	if e := errs.As(err); e != nil {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

// problems gathers a value's problems for its Check, in the order they
// are added.
type problems []*errs.Error

// add adds err when it is an *errs.Error; nil adds nothing.
func (p *problems) add(err error) {
	if e := errs.As(err); e != nil {
		*p = append(*p, e)
	}
}

// scanner is a row, or rows at one of theirs.
type scanner = interface{ Scan(...any) error }

// list runs query, ordered by the key of a page, and scans its rows. When
// limit is not 0 it reads at most limit rows, and one more to tell that
// more follow. The slice is never nil: an empty page is [] in JSON.
func list[T any](ctx context.Context, q sqldb.Querier, query string, args []any, limit int,
	scan func(scanner) (T, error)) ([]T, bool, error) {
	if limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(limit+1)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, false, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if limit > 0 && len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
}

// containing is the LIKE pattern, for foldASCII(column) LIKE pattern, of
// the values that contain s in any case of its ASCII letters: s with its
// ASCII letters in lower case and the LIKE characters (%, _ and the escape
// \) escaped, for ESCAPE '\'.
func containing(s string) string {
	lower := strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(lower) + "%"
}

// anyLetter is the LIKE pattern p (containing's: its ASCII letters in
// lower case) with the wildcard _ in place of each ASCII letter: a text
// that p matches in its ASCII letters' lower case (foldASCII), matches it
// as it is, on either engine (SQLite's LIKE folds ASCII case,
// PostgreSQL's does not).
func anyLetter(p string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return '_'
		}
		return r
	}, p)
}

// foldASCII is the SQL expression of the text column col with its ASCII
// letters in lower case and every other character as it is, alike on both
// engines: SQLite's lower() folds ASCII letters only, PostgreSQL's others
// as well (É, Ａ, ẞ), so that a search for école found ÉCOLE on
// PostgreSQL alone. SQLite has no translate(), hence one replace() a
// letter; the lists it serves (departments, accounts, apps) are small.
func foldASCII(col string) string {
	for c := 'A'; c <= 'Z'; c++ {
		col = `replace(` + col + `, '` + string(c) + `', '` + string(c+'a'-'A') + `')`
	}
	return col
}

// wrap prefixes err, when there is one, with what failed.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
