package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// The compile form posts data items as rows: each row carries a hidden
// "item" field with a key unique within the form, and its fields are named
// item_<field>_<key>. Rows keep the order of the "item" fields, so rows can
// be added (GET /catalog/item-row returns one) and removed in the browser
// without renumbering, and an unchecked 标识主体 box cannot shift the rows.
//
// The rows the server renders are keyed by their position (rowKey: r1,
// r2…; on an entry's form with a short hash of its edit_tag, r1t1a2b3c),
// so that the same page rendered again names its fields as before:
// going back to a form (Cache-Control: no-store fetches it again),
// Chromium puts what was typed back into the fields of the same names
// (internal/e2e TestFormAfterSessionEnded), which random keys made new on
// each render defeated. Rows added in the browser take random keys
// (newItemKey), which never look like a position's. Without JavaScript,
// 添加信息项 and 删除 post the form (add_item, remove_item=<key>), which is
// shown again with a row more or less and saves nothing (rowEdit).

// itemForm is one data item row of the form, as typed.
type itemForm struct {
	Key, Name, Type, Length, Description string
	Identifies                           bool
	// Focus puts the focus in the row's name: the row added, or the one
	// that took a removed row's place, without JavaScript.
	Focus bool
	// Errors are the row's refusals by the input that shows them: name,
	// type, length, identifies or desc (itemInputs).
	Errors map[string][]string
	Types  []selectOption // choices of the data type select
}

// entryForm is the compile form as typed, so that it can be shown again
// with its errors.
type entryForm struct {
	Name, Abstract                         string
	Class, CategoryCode, CategoryName      string
	SubcategoryCode, SubcategoryName       string
	DetailCode, DetailName                 string
	Format, SubjectKind                    string
	Items                                  []itemForm
	ShareType, ShareConditions, LegalBasis string
	ShareMethods                           []string
	ShareScope                             string
	OpenAttribute, OpenConditions          string
	UpdateFrequency, FrequencyOther        string
	Timeliness                             string
	SecurityLevel                          string
	NetworkZone, Domain, DomainOther       string
	ServiceItems, RelatedCodes             string // one per line
	// cut notes the rows and text of a posted form that it does not
	// show again (parseEntryForm), for the form to say so.
	cut []*errs.Error
}

type selectOption struct {
	Value, Label string
	Title        string // a longer description, shown as the option's tooltip
	Selected     bool
}

type catalogFormData struct {
	Form     entryForm
	Entry    *catalog.Entry // nil for a new entry
	Action   string
	Errors   map[string][]string // by form field
	Messages []refusal           // every error, for the summary
	// Choices of the coded fields.
	Classes, Formats, SubjectKinds, ShareTypes, OpenAttributes []selectOption
	Frequencies, Zones, Domains, Levels                        []selectOption
	Methods                                                    []selectOption
	BasicCategories                                            []catalog.Option
	LevelNotes                                                 []string // the configured descriptions of the security levels
	NewVersion                                                 bool     // editing opens a new version of a published entry
	// ClassFixed shows the classification codes read-only: the entry has
	// been published, and its code, registered, cannot change with them.
	ClassFixed bool
	// Tag names the metadata the edit started from (catalog.EditTag): the
	// form posts it back, and a save is refused when the entry has changed
	// since. A form shown again keeps the tag it was posted with.
	Tag string
	// FormID is the new entry form's form_id (createForms), kept when
	// the form is shown again.
	FormID string
}

// newItemKey is the key of a row added in the browser: hex digits, never
// a rowKey.
func newItemKey() string {
	b := make([]byte, 4)
	rand.Read(b) // never fails
	return hex.EncodeToString(b)
}

// rowKey is the key of the row the server renders at index i of a form
// whose edit_tag is tag: r1, r2… on the new entry form; on an entry's, the
// position followed by t and 6 hex digits of the tag's SHA-256 (r3t1a2b3c),
// so that a value the browser puts back by its field's name lands only
// on the version it was typed on: after the entry changed, the 3rd row
// may hold another item.
func rowKey(i int, tag string) string {
	k := "r" + strconv.Itoa(i+1)
	if tag == "" {
		return k
	}
	sum := sha256.Sum256([]byte(tag))
	return k + "t" + hex.EncodeToString(sum[:3])
}

// rowEdit reports whether a posted compile form is 添加信息项 or 删除 sent
// without JavaScript, to be shown again rather than saved.
func rowEdit(pf url.Values) bool {
	return pf.Has("add_item") || pf.Has("remove_item")
}

// itemKeyRE limits item row keys to what the form itself generates.
var itemKeyRE = regexp.MustCompile(`^[0-9a-zA-Z]{1,16}$`)

func options(field, cur string) []selectOption {
	var out []selectOption
	for _, o := range catalog.Vocabulary(field) {
		out = append(out, selectOption{Value: o.Code, Label: o.Label, Selected: o.Code == cur})
	}
	return out
}

// formFromResource fills the form from stored metadata.
func formFromResource(r catalog.Resource, tag string) entryForm {
	c := r.Classification
	f := entryForm{Name: r.Name, Abstract: r.Abstract, Class: string(c.Class), CategoryCode: c.CategoryCode,
		CategoryName: c.CategoryName, SubcategoryCode: c.SubcategoryCode, SubcategoryName: c.SubcategoryName,
		DetailCode: c.DetailCode, DetailName: c.DetailName, Format: string(r.Format), SubjectKind: string(r.SubjectKind),
		ShareType: string(r.ShareType), ShareConditions: r.ShareConditions, LegalBasis: r.LegalBasis,
		ShareScope: r.ShareScope, OpenAttribute: string(r.OpenAttribute), OpenConditions: r.OpenConditions,
		UpdateFrequency: string(r.UpdateFrequency), FrequencyOther: r.FrequencyOther, Timeliness: r.Timeliness,
		NetworkZone: string(r.NetworkZone), Domain: r.Domain, DomainOther: r.DomainOther,
		RelatedCodes: strings.Join(r.RelatedCodes, "\n")}
	if r.SecurityLevel != 0 {
		f.SecurityLevel = strconv.Itoa(r.SecurityLevel)
	}
	for _, m := range r.ShareMethods {
		f.ShareMethods = append(f.ShareMethods, string(m))
	}
	for _, it := range r.Items {
		l := ""
		if it.Length != 0 {
			l = strconv.Itoa(it.Length)
		}
		f.Items = append(f.Items, itemForm{Key: rowKey(len(f.Items), tag), Name: it.Name, Type: string(it.Type), Length: l,
			Description: it.Description, Identifies: it.IdentifiesSubject})
	}
	f.ServiceItems = catalog.FormatServiceItems(r.ServiceItems, "\n")
	return f
}

// newEntryForm is the blank form: two empty item rows and the usual
// defaults. The share type and the security level have none: they decide
// who may read the entry, and a clerk chooses them (请选择), the submit
// refusing the form without them, where a default let an entry be
// published as shared without conditions at level 2 unread.
func newEntryForm() entryForm {
	return entryForm{Class: string(catalog.Departmental), Format: "database", SubjectKind: string(catalog.Person),
		OpenAttribute: string(catalog.NotOpen), UpdateFrequency: "daily", NetworkZone: "egov_extranet",
		Items: []itemForm{{Key: rowKey(0, ""), Type: "C"}, {Key: rowKey(1, ""), Type: "C"}}}
}

// parseEntryForm reads the posted form. Numbers that do not parse are
// reported as errors of their fields. Its rows are keyed anew by their
// position and its edit_tag (rowKey). A form posted by 添加信息项 or 删除 (rowEdit) keeps its
// blank rows and gains a blank one, or loses the row remove_item names;
// its Resource is not to be saved.
func parseEntryForm(r *http.Request) (entryForm, catalog.Resource, []*errs.Error, error) {
	if err := r.ParseForm(); err != nil {
		return entryForm{}, catalog.Resource{}, nil, errs.Wrap(errs.Invalid, "bad_form", "表单格式错误", err)
	}
	pf := r.PostForm
	g := func(k string) string { return pf.Get(k) }
	f := entryForm{Name: g("name"), Abstract: g("abstract"), Class: g("class"), CategoryCode: g("category_code"),
		CategoryName: g("category_name"), SubcategoryCode: g("subcategory_code"), SubcategoryName: g("subcategory_name"),
		DetailCode: g("detail_code"), DetailName: g("detail_name"), Format: g("format"), SubjectKind: g("subject_kind"),
		ShareType: g("share_type"), ShareConditions: g("share_conditions"), LegalBasis: g("legal_basis"),
		ShareMethods: pf["share_methods"], ShareScope: g("share_scope"), OpenAttribute: g("open_attribute"),
		OpenConditions: g("open_conditions"), UpdateFrequency: g("update_frequency"), FrequencyOther: g("update_frequency_other"),
		Timeliness: g("timeliness"), SecurityLevel: g("security_level"), NetworkZone: g("network_zone"),
		Domain: g("domain"), DomainOther: g("domain_other"), ServiceItems: g("service_items"), RelatedCodes: g("related_codes")}
	f.CategoryCode, f.SubcategoryCode = catalog.PadCode(f.CategoryCode, 2), catalog.PadCode(f.SubcategoryCode, 3)
	for _, s := range []*string{&f.Abstract, &f.ShareConditions, &f.LegalBasis, &f.ShareScope, &f.OpenConditions, &f.Timeliness} {
		*s = text.LineFeeds(*s)
	}
	var bad []*errs.Error
	res := catalog.Resource{Name: f.Name, Abstract: f.Abstract, Format: catalog.Format(f.Format),
		Classification: catalog.Classification{Class: catalog.Class(f.Class), CategoryCode: f.CategoryCode,
			CategoryName: f.CategoryName, SubcategoryCode: f.SubcategoryCode, SubcategoryName: f.SubcategoryName,
			DetailCode: f.DetailCode, DetailName: f.DetailName},
		ShareType: catalog.ShareType(f.ShareType), ShareConditions: f.ShareConditions, LegalBasis: f.LegalBasis,
		ShareScope: f.ShareScope, OpenAttribute: catalog.OpenAttribute(f.OpenAttribute), OpenConditions: f.OpenConditions,
		UpdateFrequency: catalog.Frequency(f.UpdateFrequency), FrequencyOther: f.FrequencyOther, Timeliness: f.Timeliness,
		NetworkZone: catalog.NetworkZone(f.NetworkZone), Domain: f.Domain, DomainOther: f.DomainOther,
		SubjectKind: catalog.SubjectKind(f.SubjectKind)}
	for _, m := range f.ShareMethods {
		res.ShareMethods = append(res.ShareMethods, catalog.ShareMethod(m))
	}
	if s := strings.TrimSpace(f.SecurityLevel); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			bad = append(bad, errs.Field("security_level", "invalid_security_level", "安全级别应为1至4级"))
		}
		res.SecurityLevel = n
	}
	// Rows are read up to maxItemRows: a form over catalog.MaxItems is
	// refused as too_many_items, and shown again with those rows and a
	// note of how many others it leaves out (f.cut). A form of
	// MaxEntryFormBody may post 4,900 rows (net/url reads 10,000 fields at
	// most), which made into items and shown again cost 324 MiB.
	seen := map[string]bool{}
	left := 0
	edit, removed, removedAt := rowEdit(pf), pf.Get("remove_item"), -1
	tag := pf.Get("edit_tag")
	for _, key := range pf["item"] {
		if !itemKeyRE.MatchString(key) || seen[key] {
			continue
		}
		seen[key] = true
		if edit && key == removed {
			removedAt = len(f.Items)
			continue
		}
		name, length, desc := g("item_name_"+key), g("item_length_"+key), g("item_desc_"+key)
		identifies := g("item_identifies_"+key) == "yes"
		// A row left completely empty is not an item.
		if !edit && strings.TrimSpace(name) == "" && strings.TrimSpace(length) == "" && strings.TrimSpace(desc) == "" && !identifies {
			continue
		}
		if len(f.Items) == maxItemRows {
			left++
			continue
		}
		it := itemForm{Key: rowKey(len(f.Items), tag), Name: name, Type: g("item_type_" + key), Length: length,
			Description: text.LineFeeds(desc), Identifies: identifies}
		ri := catalog.Item{Name: it.Name, Type: catalog.DataType(it.Type), Description: it.Description, IdentifiesSubject: it.Identifies}
		if s := strings.TrimSpace(it.Length); s != "" {
			// Read as the import reads a file's 长度: １８, 18.0 and 18位
			// are 18.
			n, ok := catalogio.ParseLength(s)
			if !ok {
				bad = append(bad, errs.Field(fmt.Sprintf("items[%d].length", len(f.Items)), "invalid_length",
					fmt.Sprintf("信息项“%s”的长度应为整数", it.Name)))
				n = 0
			}
			ri.Length = n
		}
		f.Items = append(f.Items, it)
		res.Items = append(res.Items, ri)
	}
	switch {
	case pf.Has("add_item") && len(f.Items) < maxItemRows, removedAt >= 0 && len(f.Items) == 0:
		f.Items = append(f.Items, itemForm{Key: rowKey(len(f.Items), tag), Type: "C", Focus: true})
	case removedAt >= 0:
		f.Items[min(removedAt, len(f.Items)-1)].Focus = true
	}
	if left > 0 {
		f.cut = append(f.cut, errs.Field("items", "too_many_items",
			fmt.Sprintf("表单只保留了前 %d 个信息项，其后的 %d 个未显示", maxItemRows, left)))
	}
	// Service items and codes are read up to the one after their limits,
	// which is refused as too_many_items as a text of millions (a;a;a…) is,
	// without making the others. The texts are shown again as typed, up to
	// a length no one types (cutText).
	res.ServiceItems = catalog.FirstServiceItems(f.ServiceItems, catalog.MaxServiceItems+1)
	res.RelatedCodes = relatedCodes(f.RelatedCodes)
	var e *errs.Error
	if f.ServiceItems, e = cutText(f.ServiceItems, maxServiceText, "service_items", "关联政务服务事项"); e != nil {
		f.cut = append(f.cut, e)
	}
	if f.RelatedCodes, e = cutText(f.RelatedCodes, maxCodesText, "related_codes", "关联资源代码"); e != nil {
		f.cut = append(f.cut, e)
	}
	return f, res, bad, nil
}

// relatedCodes splits the form's 关联资源代码 at white space, commas,
// semicolons and 、, stopping after catalog.MaxRelatedCodes+1 codes: one
// more than the limit is refused as too_many_items as well as millions,
// which a form of MaxEntryFormBody may hold (1+1+1…).
func relatedCodes(s string) []string {
	sep := func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '，' || r == '、' || r == ';' || r == '；'
	}
	var codes []string
	for len(codes) <= catalog.MaxRelatedCodes {
		s = strings.TrimLeftFunc(s, sep)
		if s == "" {
			break
		}
		end := strings.IndexFunc(s, sep)
		if end < 0 {
			end = len(s)
		}
		codes, s = append(codes, s[:end]), s[end:]
	}
	return codes
}

// What the compile form shows again of a form over a limit, saying what it
// leaves out: data item rows up to a hundred over catalog.MaxItems (twice
// MaxItems rows of the 4,900 of 3 kB a form of MaxEntryFormBody holds
// allocate 111 MiB, 86 for these), and the texts of service items and
// related codes up to twice their limits' items of the longest (a service
// item's name with every character escaped).
const (
	maxItemRows    = catalog.MaxItems + 100
	maxServiceText = 2 * catalog.MaxServiceItems * (2*catalog.MaxServiceName + catalog.MaxServiceCode + 4)
	maxCodesText   = 2 * catalog.MaxRelatedCodes * (catalog.MaxRelatedCode + 2)
)

// cutText returns s when it is at most limit characters long. Longer, it
// returns its first limit characters, up to the last line feed among
// them, and a note for the form's field that says how many it leaves out.
func cutText(s string, limit int, field, label string) (string, *errs.Error) {
	n := 0
	for i := range s {
		if n < limit {
			n++
			continue
		}
		kept := s[:i]
		if j := strings.LastIndexByte(kept, '\n'); j >= 0 {
			kept = kept[:j+1]
		}
		return kept, errs.Field(field, "too_long", fmt.Sprintf("表单只保留了%s的前 %d 个字符，其后的 %d 个字符未显示",
			label, utf8.RuneCountInString(kept), utf8.RuneCountInString(s[len(kept):])))
	}
	return s, nil
}

// formChoices names the form's required choices and codes by their labels.
// catalog.ValidateEntry, shared with the API, reports them with messages
// that may cite the API's codes (自然人（person）, 代码01至22, query), which
// the form does not show, and reports an empty one as an invalid one.
var formChoices = map[string]struct {
	label string
	value func(entryForm) string
	// choice marks a select or checkboxes, whose invalid values can only be
	// posted from an outdated or altered page.
	choice bool
}{
	"classification.class":            {"资源分类（类）", func(f entryForm) string { return f.Class }, true},
	"classification.category_code":    {"“项”代码", func(f entryForm) string { return f.CategoryCode }, false},
	"classification.subcategory_code": {"“目”代码", func(f entryForm) string { return f.SubcategoryCode }, false},
	"format":                          {"信息资源格式", func(f entryForm) string { return f.Format }, true},
	"subject_kind":                    {"主体类型", func(f entryForm) string { return f.SubjectKind }, true},
	"share_type":                      {"共享类型", func(f entryForm) string { return f.ShareType }, true},
	"share_methods":                   {"共享方式", nil, true},
	"open_attribute":                  {"开放属性", func(f entryForm) string { return f.OpenAttribute }, true},
	"update_frequency":                {"更新周期", func(f entryForm) string { return f.UpdateFrequency }, true},
	"security_level":                  {"安全级别", func(f entryForm) string { return f.SecurityLevel }, true},
	"network_zone":                    {"网络环境", func(f entryForm) string { return f.NetworkZone }, true},
	"domain":                          {"所属领域", func(f entryForm) string { return f.Domain }, true},
}

// formMessage returns the message of e in the form's words: "不能为空" for a
// required field left empty, and for a choice the form offers, that the
// value posted is not one of them.
func formMessage(e *errs.Error, f entryForm) string {
	field := e.Field
	if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i]
	}
	c, ok := formChoices[field]
	if !ok || !strings.HasPrefix(e.Code, "invalid_") {
		return e.Message
	}
	switch {
	case c.value != nil && strings.TrimSpace(c.value(f)) == "":
		return c.label + "不能为空"
	case c.choice:
		return c.label + "不在可选范围内，请从列表中选择"
	}
	return e.Message
}

// itemInputs are the inputs of a data item row that show a refusal, by the
// item's field that catalog.ValidateEntry and ValidateUpdate name
// (items[2].length): the key of itemForm.Errors and the start of the
// input's id (item-length-<key>).
var itemInputs = map[string]string{
	"name": "name", "type": "type", "length": "length", "identifies_subject": "identifies", "description": "desc",
}

// addErrors files validation errors under the form field that shows them:
// items[2].length under the third row's length, share_methods[0] under share_methods,
// classification.class under class. It words them for the form
// (formMessage) and shows a message once per field.
func (d *catalogFormData) addErrors(list []*errs.Error) {
	if d.Errors == nil {
		d.Errors = map[string][]string{}
	}
	shown := map[[2]string]bool{}
	for _, e := range list {
		msg := formMessage(e, d.Form)
		if shown[[2]string{e.Field, msg}] {
			continue
		}
		shown[[2]string{e.Field, msg}] = true
		field := e.Field
		if strings.HasPrefix(field, "items[") {
			var i int
			if _, err := fmt.Sscanf(field, "items[%d]", &i); err == nil && i >= 0 && i < len(d.Form.Items) {
				it := &d.Form.Items[i]
				_, sub, _ := strings.Cut(field, "].")
				input, ok := itemInputs[sub]
				if !ok {
					input = "name" // the row as a whole
				}
				if it.Errors == nil {
					it.Errors = map[string][]string{}
				}
				it.Errors[input] = append(it.Errors[input], msg)
				d.Messages = append(d.Messages, refusal{Field: "item_" + input + "_" + it.Key, Text: msg, ID: "item-" + input + "-" + it.Key})
				continue
			}
		}
		field = strings.TrimPrefix(field, "classification.")
		if i := strings.IndexByte(field, '['); i >= 0 {
			field = field[:i]
		}
		if field == "" {
			field = "form"
		}
		d.Messages = append(d.Messages, refusal{Field: field, Text: msg})
		d.Errors[field] = append(d.Errors[field], msg)
	}
}

// renderForm shows the compile form with its choices.
func (w *Web) renderForm(rw http.ResponseWriter, r *http.Request, status int, d catalogFormData) error {
	f := d.Form
	if len(f.cut) > 0 {
		d.addErrors(f.cut)
	}
	if len(f.Items) == 0 {
		d.Form.Items = []itemForm{{Key: rowKey(0, d.Tag), Type: "C"}}
	}
	for i := range d.Form.Items {
		d.Form.Items[i].Types = options("data_type", d.Form.Items[i].Type)
	}
	d.Classes = options("class", f.Class)
	d.Formats = options("format", f.Format)
	d.SubjectKinds = options("subject_kind", f.SubjectKind)
	d.ShareTypes = options("share_type", f.ShareType)
	d.OpenAttributes = options("open_attribute", f.OpenAttribute)
	d.Frequencies = options("update_frequency", f.UpdateFrequency)
	d.Zones = options("network_zone", f.NetworkZone)
	d.Domains = options("domain", f.Domain)
	d.BasicCategories = catalog.Vocabulary("basic_category")
	for _, o := range catalog.Vocabulary("share_methods") {
		d.Methods = append(d.Methods, selectOption{Value: o.Code, Label: o.Label, Selected: slices.Contains(f.ShareMethods, o.Code)})
	}
	levels, err := catalog.SecurityLevels(r.Context(), w.cfg.DB.Read())
	if err != nil {
		return err
	}
	for _, l := range levels {
		label := l.Name
		if !strings.HasPrefix(label, strconv.Itoa(l.Level)) {
			label = fmt.Sprintf("%d级 %s", l.Level, l.Name)
		}
		d.Levels = append(d.Levels, selectOption{Value: strconv.Itoa(l.Level), Label: label, Title: l.Description,
			Selected: strconv.Itoa(l.Level) == f.SecurityLevel})
		d.LevelNotes = append(d.LevelNotes, label+"："+l.Description)
	}
	title := "编制数据资源"
	if d.Entry != nil {
		title = "编辑 " + d.Entry.Name
	}
	return w.render(rw, r, status, "catalog_form", title, d)
}

func (w *Web) newEntryPage(rw http.ResponseWriter, r *http.Request) error {
	return w.renderForm(rw, r, http.StatusOK, catalogFormData{Form: newEntryForm(), Action: "/catalog/new", FormID: newFormID()})
}

func (w *Web) createEntry(rw http.ResponseWriter, r *http.Request) error {
	f, res, bad, err := parseEntryForm(r)
	if err != nil {
		return err
	}
	by := catalogActor(auth.From(r.Context()))
	d := catalogFormData{Form: f, Action: "/catalog/new", FormID: readFormID(r.PostForm)}
	if rowEdit(r.PostForm) {
		return w.renderForm(rw, r, http.StatusOK, d)
	}
	if es := entryErrors(bad, res); len(es) > 0 {
		d.addErrors(es)
		return w.renderForm(rw, r, http.StatusUnprocessableEntity, d)
	}
	// The same form sent again leads to the entry its first submission
	// made, where its name would be refused as taken.
	made, finish, err := w.forms.claim(r.Context(), auth.From(r.Context()).User.ID, d.FormID, w.cfg.Now())
	if err != nil {
		return err
	}
	if made != nil {
		return redirect(rw, r, fmt.Sprintf("/catalog/%d?msg=repeated", made.ID))
	}
	// created is the entry once its transaction committed: e holds its ID
	// from the INSERT on, also when the audit row or the COMMIT then
	// failed, and a submission that made nothing is forgotten.
	var e, created catalog.Entry
	defer func() { finish(created.ID, created.Name) }()
	err = w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		e, err = catalog.Create(r.Context(), tx, by, by.DepartmentID, res, w.cfg.Now())
		return err
	})
	if err != nil {
		return w.formError(rw, r, d, err)
	}
	created = e
	return redirect(rw, r, fmt.Sprintf("/catalog/%d?msg=created", e.ID))
}

// entryErrors returns the form's errors: bad, of the fields that did not
// parse, then validation's of res. A field that did not parse is
// validated as empty (an item's length as 0, the security level as none):
// its own error says what is wrong, and validation's of it, which would
// say it is missing (字符型信息项“…”必须填写长度), are left out.
func entryErrors(bad []*errs.Error, res catalog.Resource) []*errs.Error {
	unread := make(map[string]bool, len(bad))
	for _, e := range bad {
		unread[e.Field] = true
	}
	es := bad
	for _, e := range catalog.ValidateEntry(res) {
		if !unread[e.Field] {
			es = append(es, e)
		}
	}
	return es
}

// formError shows a refused save on the form, or passes other errors on.
func (w *Web) formError(rw http.ResponseWriter, r *http.Request, d catalogFormData, err error) error {
	e := errs.As(err)
	if e == nil || (e.Kind != errs.Invalid && e.Kind != errs.Conflict) {
		return err
	}
	d.addErrors([]*errs.Error{e})
	status, _ := userError(err)
	if status == http.StatusBadRequest {
		status = http.StatusUnprocessableEntity
	}
	return w.renderForm(rw, r, status, d)
}

// editable loads, by q, the entry in the path for its compiler: the version
// being compiled, or the version in force when editing opens a new version.
func editable(r *http.Request, q sqldb.Querier) (catalog.Entry, error) {
	id, err := entryID(r)
	if err != nil {
		return catalog.Entry{}, err
	}
	by := catalogActor(auth.From(r.Context()))
	e, err := catalog.Working(r.Context(), q, by, id)
	if err != nil {
		return e, err
	}
	switch {
	case !mayCompile(by, e.DepartmentID):
		return e, errs.E(errs.Forbidden, "forbidden", "只能编辑本部门的数据资源")
	case e.Status == catalog.Retired:
		return e, errs.E(errs.Conflict, "entry_retired", "数据资源已注销，不能修改")
	case e.WorkingStatus == catalog.Submitted:
		return e, errs.E(errs.Conflict, "entry_submitted", "数据资源已提交审核，审核完成前不能修改")
	}
	return e, nil
}

// entryRead, when set (by the tests), is called by the edit form and the
// entry page between reading the entry and reading its tag.
var entryRead func()

func (w *Web) editEntryPage(rw http.ResponseWriter, r *http.Request) error {
	// The entry and its tag are read in one snapshot: read apart, an edit
	// of a draft (which keeps its version number) or a discarded revision
	// committed between them gave the form a tag of other content than it
	// shows, whose save overwrote that edit, or no tag at all.
	var e catalog.Entry
	var tag string
	err := w.cfg.DB.Snapshot(r.Context(), func(q sqldb.Querier) (err error) {
		if e, err = editable(r, q); err != nil {
			return err
		}
		if entryRead != nil {
			entryRead()
		}
		tag, err = catalog.EditTag(r.Context(), q, e)
		return err
	})
	if err != nil {
		return err
	}
	return w.renderForm(rw, r, http.StatusOK, catalogFormData{Form: formFromResource(e.Resource, tag), Entry: &e,
		Action: fmt.Sprintf("/catalog/%d/edit", e.ID), NewVersion: e.WorkingVersion == 0, Tag: tag,
		ClassFixed: e.PublishedVersion > 0})
}

func (w *Web) updateEntry(rw http.ResponseWriter, r *http.Request) error {
	e, err := editable(r, w.cfg.DB.Read())
	if err != nil {
		return err
	}
	f, res, bad, err := parseEntryForm(r)
	if err != nil {
		return err
	}
	d := catalogFormData{Form: f, Entry: &e, Action: fmt.Sprintf("/catalog/%d/edit", e.ID), NewVersion: e.WorkingVersion == 0,
		Tag: r.PostForm.Get("edit_tag"), ClassFixed: e.PublishedVersion > 0}
	if rowEdit(r.PostForm) {
		return w.renderForm(rw, r, http.StatusOK, d)
	}
	if es := entryErrors(bad, res); len(es) > 0 {
		d.addErrors(es)
		return w.renderForm(rw, r, http.StatusUnprocessableEntity, d)
	}
	tags := editTags(r)
	by := catalogActor(auth.From(r.Context()))
	// A form saved as it was shown changes nothing (catalog.UpdateIfChanged
	// stores no update, no audit row and opens no revision): the page says
	// 未作修改.
	var saved catalog.Entry
	var changed bool
	err = w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		saved, changed, err = catalog.UpdateIfChanged(r.Context(), tx, by, e.ID, tags, res, w.cfg.Now())
		return err
	})
	if err != nil {
		return w.formError(rw, r, d, err)
	}
	msg := "saved"
	if !changed {
		msg = "unchanged"
	}
	target := fmt.Sprintf("/catalog/%d?msg=%s", e.ID, msg)
	if saved.PublishedVersion != 0 && saved.WorkingVersion != 0 {
		target = fmt.Sprintf("/catalog/%d?view=working&msg=%s", e.ID, msg)
	}
	return redirect(rw, r, target)
}

// itemRowFragment returns one empty data item row for the compile form:
// htmx appends it to the items table. It is the form template's fragment,
// so it only answers htmx.
func (w *Web) itemRowFragment(rw http.ResponseWriter, r *http.Request) error {
	if r.Header.Get("HX-Request") != "true" {
		return redirect(rw, r, "/catalog/new")
	}
	return w.render(rw, r, http.StatusOK, "catalog_form", "信息项",
		itemForm{Key: newItemKey(), Type: "C", Types: options("data_type", "C")})
}
