// Package catalog keeps the government data resource catalog (政务数据资源目录):
// entries (数据资源) with their data items (信息项) and the metadata of the
// 2017 compilation guide, their lifecycle draft → submitted → published →
// retired with every version kept, the one-data-one-source rule (一数一源),
// Chinese full-text search with facets (a single Han character is found in
// names and abstracts only; data item names by two or more characters, see
// docs/catalog-search.md), the public catalog and the
// registration format that carries a catalog to another platform.
//
// A change a person or an app makes (Create, Update, Submit, Approve,
// Retire, TransferEntries, Import …) takes a *sqldb.Tx and records its
// audit row in it; parts of such a change (ReserveCode, DeferFacetCounts)
// leave the row to it. The rekeying the server runs at start and hutong
// migrate runs (RekeyNames, RekeyItems) takes a *sqldb.DB, writes in
// transactions of its own and records no audit row, and so do the
// generated catalogs of measurements (Generate, PublishGenerated). Reads
// take a sqldb.Querier.
package catalog

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/text"
)

// Status is the lifecycle state of an entry or of one of its versions.
type Status string

const (
	Draft      Status = "draft"      // being compiled by its department
	Submitted  Status = "submitted"  // waiting for the operator's review
	Rejected   Status = "rejected"   // sent back with a reason; editable like a draft
	Published  Status = "published"  // in force
	Superseded Status = "superseded" // a published version replaced by a newer one (versions only)
	Retired    Status = "retired"    // withdrawn from the catalog
)

var statuses = vocab{{"draft", "草稿"}, {"submitted", "待审核"}, {"rejected", "已退回"},
	{"published", "已发布"}, {"superseded", "已被新版本替代"}, {"retired", "已注销"}}

// Label is the Chinese name of the status.
func (s Status) Label() string { return statuses.label(string(s)) }

// OfEntry reports whether an entry can have status s (every status but
// superseded, which only versions have): what searches and exports filter
// by.
func (s Status) OfEntry() bool { return s != Superseded && statuses.has(string(s)) }

// Classification places an entry in the catalog tree: class (类), category
// (项, 2 digits), subcategory (目, 3 digits) and an optional detail (细目,
// 1–4 digits). The codes concatenated with the class digit form the
// classification code, the first part of the resource code.
type Classification struct {
	Class           Class  `json:"class"`
	CategoryCode    string `json:"category_code"`
	CategoryName    string `json:"category_name"`
	SubcategoryCode string `json:"subcategory_code"`
	SubcategoryName string `json:"subcategory_name"`
	DetailCode      string `json:"detail_code,omitempty"`
	DetailName      string `json:"detail_name,omitempty"`
}

// Code is the classification code (分类码), e.g. "301002" for 部门 / 01 / 002.
func (c Classification) Code() string {
	return classDigits[c.Class] + c.CategoryCode + c.SubcategoryCode + c.DetailCode
}

// Item is a data item (信息项) of an entry.
type Item struct {
	Name              string   `json:"name"`
	Type              DataType `json:"type"`
	Length            int      `json:"length,omitempty"`
	IdentifiesSubject bool     `json:"identifies_subject,omitempty"` // e.g. 公民身份号码, 统一社会信用代码; with no subject, a record key (统一受理号)
	Description       string   `json:"description,omitempty"`
	// Source points to the authoritative entry for this item when another
	// entry is the item's one source (一数一源). Set on reads; ignored on writes.
	Source *SourceRef `json:"authoritative_source,omitempty"`
}

// SourceRef names the authoritative source of a data item.
type SourceRef struct {
	EntryID        int64  `json:"entry_id"`
	Code           string `json:"code"`
	EntryName      string `json:"entry_name"`
	ItemName       string `json:"item_name"`
	DepartmentID   int64  `json:"department_id"`
	DepartmentName string `json:"department_name"`
}

// ServiceItem is a government service item (政务服务事项) that produces the data.
type ServiceItem struct {
	Code string `json:"code,omitempty"`
	Name string `json:"name"`
}

// Resource is the metadata a department compiles for one entry: what
// Create and Update take and what every version keeps.
type Resource struct {
	Name            string         `json:"name"`
	Abstract        string         `json:"abstract"`
	Classification  Classification `json:"classification"`
	Format          Format         `json:"format"`
	Items           []Item         `json:"items"`
	ShareType       ShareType      `json:"share_type"`
	ShareConditions string         `json:"share_conditions,omitempty"` // required when conditional
	LegalBasis      string         `json:"legal_basis,omitempty"`      // required when not shared, only then: 《…》第…条
	ShareMethods    ShareMethods   `json:"share_methods"`
	ShareScope      string         `json:"share_scope,omitempty"`
	OpenAttribute   OpenAttribute  `json:"open_attribute"`
	OpenConditions  string         `json:"open_conditions,omitempty"` // required when conditionally open
	UpdateFrequency Frequency      `json:"update_frequency"`
	FrequencyOther  string         `json:"update_frequency_other,omitempty"` // required when other, e.g. 每三年
	Timeliness      string         `json:"timeliness,omitempty"`             // 时效要求
	SecurityLevel   int            `json:"security_level"`                   // 1–4
	NetworkZone     NetworkZone    `json:"network_zone"`
	Domain          string         `json:"domain"`                 // code of Vocabulary("domain")
	DomainOther     string         `json:"domain_other,omitempty"` // required when domain is 99
	SubjectKind     SubjectKind    `json:"subject_kind"`
	ServiceItems    []ServiceItem  `json:"service_items,omitempty"`
	RelatedCodes    []string       `json:"related_codes,omitempty"`
}

// DomainLabel is the Chinese name of the domain, with the free text of 其他
// after it (其他（低空经济）), as the catalog's lists label it too
// (Summary.DomainLabel): the domain is 其他, which the lists' facet counts.
func (r *Resource) DomainLabel() string {
	return domainLabel(r.Domain, r.DomainOther)
}

func domainLabel(domain, other string) string {
	if domain == DomainOther && other != "" {
		return domains.label(domain) + "（" + other + "）"
	}
	return domains.label(domain)
}

// Entry is a catalog entry as stored: identity, lifecycle and the metadata
// of one version (the published one when there is one).
type Entry struct {
	ID             int64  `json:"id"`
	Code           string `json:"code"` // resource code: classification code "/" sequence
	DepartmentID   int64  `json:"department_id"`
	DepartmentName string `json:"department_name"`
	Status         Status `json:"status"`
	Version        int    `json:"version"` // the version shown
	Resource
	// PublishedVersion is the version in force, 0 before the first approval.
	PublishedVersion int `json:"published_version"`
	// WorkingVersion is a version being compiled or reviewed, 0 when none;
	// WorkingStatus is its state (draft, submitted or rejected).
	WorkingVersion int    `json:"working_version,omitempty"`
	WorkingStatus  Status `json:"working_status,omitempty"`
	RejectReason   string `json:"reject_reason,omitempty"`
	// RetireRequest is the department's last request to retire the
	// published entry (Retire), under review or sent back; nil when none,
	// and for whoever may not see the entry's revisions.
	RetireRequest *RetireRequest `json:"retire_request,omitempty"`
	// ReviewDue is set when the entry has not been reviewed for 12 months
	// and needs its yearly maintenance (seed 001 五(四)).
	ReviewDue   bool       `json:"review_due"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	ReviewedAt  *time.Time `json:"reviewed_at,omitempty"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
}

// ReviewDueFrom is when an entry last reviewed at reviewed falls due for
// its yearly maintenance (seed 001 五(四), 12 months): at the end of the
// same calendar date next year in Beijing time, so from 00:00 Beijing of
// the day after it, whatever the hour of the review. A review on 29
// February falls due at the end of 28 February next year, the last day
// of the twelfth month, never later than a year after it.
func ReviewDueFrom(reviewed time.Time) time.Time {
	loc := calendar.Location()
	y, m, d := reviewed.In(loc).Date()
	if m == time.February && d == 29 {
		d = 28
	}
	return time.Date(y+1, m, d+1, 0, 0, 0, 0, loc)
}

// ReviewCutoff is the instant before which a last review makes an entry
// due at now: last reviewed before it, the entry's ReviewDueFrom is at
// or before now. It is 00:00 Beijing of the day after the date a year
// before yesterday (Beijing), but for 28 February after a leap day (a
// review on 29 February falls due with one on 28 February) and 29
// February (the year before has none: the day after its 28th).
func ReviewCutoff(now time.Time) time.Time {
	loc := calendar.Location()
	y, m, d := now.In(loc).Date()
	y, m, d = time.Date(y, m, d-1, 0, 0, 0, 0, loc).Date() // yesterday, the last anniversary that has ended
	if m == time.February && (d == 29 || d == 28 && time.Date(y-1, 2, 29, 0, 0, 0, 0, loc).Day() == 29) {
		return time.Date(y-1, time.March, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(y-1, m, d+1, 0, 0, 0, 0, loc)
}

// Actor is who acts on the catalog and what they may do.
type Actor struct {
	audit.Actor
	// Editor may compile its own department's catalog (scope catalog.write).
	Editor bool
	// Operator is the platform operator (政务数据主管部门): reviews,
	// publishes and decides sources for every department, retires any
	// entry, defines the security levels and imports registrations.
	Operator bool
	// Reviewer is a reviewer (审核员) of the platform operator's
	// department: it reviews as the operator does — sees every
	// department's entries in every state, approves, rejects and decides
	// sources — and does nothing else the operator does.
	Reviewer bool
}

// Reviews reports whether a reviews the catalog: the operator or a
// reviewer of the operator's department.
func (a Actor) Reviews() bool { return a.Operator || a.Reviewer }

// mayRead reports whether a may see unpublished states of a department's
// entries: its own department's, and every department's if it reviews.
func (a Actor) mayRead(departmentID int64) bool {
	return a.Reviews() || (a.DepartmentID != 0 && a.DepartmentID == departmentID)
}

func (a Actor) mayEdit(departmentID int64) bool {
	return a.Editor && a.DepartmentID != 0 && a.DepartmentID == departmentID
}

// Normalized returns r as Create and Update store it: free text trimmed and
// its line breaks made LF (a browser's textarea sends CR LF, a CSV or
// workbook gives LF, and the same text must be stored the same), runs of
// white space in the names of the entry, its items and service
// items made one space, the names of the entry and its items in Unicode
// canonical composition (NFC: a compatibility ideograph such as U+F9D1 as
// its unified ideograph 六, a letter and its combining accent as the one
// letter), so that names that differ only so are one name to the
// duplicate checks and name_key, the 项名称 of a 基础信息资源 filled in from its
// code, data types in upper case, item sources dropped. r is left as it is.
func (r Resource) Normalized() Resource {
	r = r.clone()
	r.normalize()
	return r
}

// normalize trims the free-text fields of r, folds its class codes by
// width (text.FoldWidth: ０１ is 01) and its related codes as resource
// codes are (text.FoldCode: full width, zero-width spaces), puts its share
// methods in vocabulary order and drops read-only parts.
func (r *Resource) normalize() {
	trim := func(s string) string { return strings.TrimSpace(text.LineFeeds(s)) }
	r.Name, r.Abstract = norm.NFC.String(collapse(r.Name)), trim(r.Abstract)
	c := &r.Classification
	c.CategoryCode, c.CategoryName = PadCode(text.FoldWidth(c.CategoryCode), 2), trim(c.CategoryName)
	c.SubcategoryCode, c.SubcategoryName = PadCode(text.FoldWidth(c.SubcategoryCode), 3), trim(c.SubcategoryName)
	c.DetailCode, c.DetailName = trim(text.FoldWidth(c.DetailCode)), trim(c.DetailName)
	if c.Class == Basic && c.CategoryName == "" {
		c.CategoryName = basicCategories.label(c.CategoryCode)
	}
	for i := range r.Items {
		it := &r.Items[i]
		it.Name, it.Description, it.Source = norm.NFC.String(collapse(it.Name)), trim(it.Description), nil
		it.Type = DataType(strings.ToUpper(trim(string(it.Type))))
	}
	r.ShareConditions, r.LegalBasis, r.ShareScope = trim(r.ShareConditions), trim(r.LegalBasis), trim(r.ShareScope)
	r.OpenConditions, r.FrequencyOther, r.Timeliness = trim(r.OpenConditions), trim(r.FrequencyOther), trim(r.Timeliness)
	r.Domain, r.DomainOther = trim(r.Domain), trim(r.DomainOther)
	r.ShareMethods = sortedMethods(r.ShareMethods)
	for i := range r.ServiceItems {
		r.ServiceItems[i].Code, r.ServiceItems[i].Name = trim(r.ServiceItems[i].Code), collapse(r.ServiceItems[i].Name)
	}
	for i := range r.RelatedCodes {
		r.RelatedCodes[i] = text.FoldCode(r.RelatedCodes[i])
	}
}

// sortedMethods returns ms in vocabulary order (query, verify, batch, file),
// as the console's checkboxes post them, so that every write stores one
// order and an unchanged list compares equal. A code outside the vocabulary
// (refused by validation) keeps its place after them.
func sortedMethods(ms ShareMethods) ShareMethods {
	if ms == nil {
		return nil
	}
	ms = slices.Clone(ms)
	rank := func(m ShareMethod) int {
		if i := vocabIndex(shareMethods, string(m)); i >= 0 {
			return i
		}
		return len(shareMethods)
	}
	slices.SortStableFunc(ms, func(a, b ShareMethod) int { return rank(a) - rank(b) })
	return ms
}

// likeEscaper escapes the LIKE wildcards (and the escape character itself)
// of a text matched with LIKE … ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// PadCode trims a classification code and pads one of fewer ASCII digits
// than width with leading zeros (a 项代码 of 1 is 01, a 目代码 of 1 is 001), as
// a spreadsheet that read the code as a number shortened it. Anything else
// (a sign, full-width digits, letters) is left for validation to refuse.
func PadCode(s string, width int) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) >= width || strings.Trim(s, "0123456789") != "" {
		return s
	}
	return strings.Repeat("0", width-len(s)) + s
}

// collapse trims s and turns every run of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
