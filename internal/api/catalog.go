package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

func (a *API) catalogRoutes() {
	const read, write = "catalog.read", "catalog.write"
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/entries", Query: []string{"q", "domain", "share_type", "share_method", "update_frequency", "open_attribute", "subject_kind", "security_level", "department_id", "status", "review_due", "sort", "facets", "cursor", "limit"}, Scope: read, Handler: a.searchCatalog})
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/entries", Scope: write, Idempotent: true, MaxBody: MaxEntryBody,
		OwnDepartment: true, Recheck: checkRequest(entryToCreate), Handler: a.createEntry})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/entries/{id}", Query: []string{"view"}, Scope: read, Handler: a.getEntry})
	a.add(Route{Method: "PUT", Path: "/api/v1/catalog/entries/{id}", IfMatch: true, Scope: write, MaxBody: MaxEntryBody,
		Handler: a.updateEntry})
	a.add(Route{Method: "DELETE", Path: "/api/v1/catalog/entries/{id}", IfMatch: true, Scope: write, Handler: a.deleteEntry})
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/entries/{id}/submit", IfMatch: true, Scope: write, Handler: a.submitEntry})
	// Reviews hold no scope: a reviewer holds no catalog.write, and an app
	// reviews nothing; catalogReviewer says who may. A caller refused a
	// review leaves a denied row of the review's action on the entry.
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/entries/{id}/approve", IfMatch: true, Allow: catalogReviewer,
		Audit: &Audited{"catalog.approve", "catalog_entry"}, Handler: a.approveEntry})
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/entries/{id}/reject", IfMatch: true, Allow: catalogReviewer,
		Audit: &Audited{"catalog.reject", "catalog_entry"}, Handler: a.rejectEntry})
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/entries/{id}/retire", IfMatch: true, Scope: write, Handler: a.retireEntry})
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/entries/{id}/retire/approve", IfMatch: true, Allow: catalogReviewer,
		Audit: &Audited{"catalog.retire.approve", "catalog_entry"}, Handler: a.approveRetire})
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/entries/{id}/retire/reject", IfMatch: true, Allow: catalogReviewer,
		Audit: &Audited{"catalog.retire.reject", "catalog_entry"}, Handler: a.rejectRetire})
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/entries/{id}/retire/withdraw", IfMatch: true, Scope: write, Handler: a.withdrawRetire})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/retire-requests", Query: []string{"q", "domain", "share_type", "share_method", "update_frequency", "open_attribute", "subject_kind", "security_level", "department_id", "cursor", "limit"}, Scope: read, Handler: a.listRetireRequests})
	a.add(Route{Method: "DELETE", Path: "/api/v1/catalog/entries/{id}/revision", IfMatch: true, Scope: write, Handler: a.discardRevision})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/entries/{id}/versions", Scope: read, Handler: a.listVersions})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/entries/{id}/history", Scope: read, Handler: a.entryHistory})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/entries/{id}/versions/{version}", Scope: read, Handler: a.getVersion})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/entries/{id}/diff", Query: []string{"from", "to"}, Scope: read, Handler: a.diffVersions})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/entries/{id}/conflicts", Scope: read, Handler: a.listConflicts})
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/entries/{id}/conflicts/{conflict}/decision", Allow: catalogReviewer,
		Audit: &Audited{"catalog.source.decide", "catalog_entry"}, Handler: a.decideConflict})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/vocabulary", Scope: read, Handler: a.catalogVocabulary})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/security-levels", Scope: read, Handler: a.listSecurityLevels})
	a.add(Route{Method: "PUT", Path: "/api/v1/catalog/security-levels/{level}", IfMatch: true, Scope: write, Allow: operatorOnly("修改安全级别定义"),
		Handler: a.setSecurityLevel})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/registration", Query: []string{"department_id"}, Scope: read, Handler: a.exportRegistration})
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/registration", Scope: write, Idempotent: true,
		MaxBody: MaxRegistrationBody, Allow: operatorOnly("导入目录注册数据"), Handler: a.importRegistration})
	a.add(Route{Method: "GET", Path: "/api/v1/public/catalog", Query: []string{"q", "domain", "share_type", "share_method", "update_frequency", "open_attribute", "subject_kind", "department_id", "sort", "facets", "cursor", "limit"}, Public: true, Handler: a.publicCatalog})
	// A catalog code holds a slash (101001/000001): sent as it is, or escaped (%2F).
	a.add(Route{Method: "GET", Path: "/api/v1/public/catalog/{code...}", Public: true, Handler: a.publicEntry})
}

// catalogActor is the caller as the catalog sees it.
func catalogActor(r *http.Request) catalog.Actor {
	p := auth.From(r.Context())
	return catalog.Actor{Actor: p.Actor, Editor: p.Can("catalog.write"), Operator: p.HasRole(org.Operator),
		Reviewer: p.ReviewsCatalog()}
}

// catalogQuery reads a search from the query string, refusing a filter it
// does not know the value of rather than finding nothing, and a
// department_id that names no department (404 department_not_found,
// departmentFilter) once every other filter is read.
func (a *API) catalogQuery(r *http.Request) (catalog.Query, error) {
	v := r.URL.Query()
	q := catalog.Query{Text: v.Get("q"), Domain: v.Get("domain"), ShareType: catalog.ShareType(v.Get("share_type")),
		ShareMethod: catalog.ShareMethod(v.Get("share_method")), UpdateFrequency: catalog.Frequency(v.Get("update_frequency")),
		OpenAttribute: catalog.OpenAttribute(v.Get("open_attribute")), SubjectKind: catalog.SubjectKind(v.Get("subject_kind")),
		Sort: catalog.Sort(v.Get("sort")), Cursor: v.Get("cursor"), Facets: true}
	if name, c, bad := q.UnknownFilter(); bad {
		return catalog.Query{}, errs.Field(name, "invalid_filter",
			fmt.Sprintf("%s 的取值“%s”无效，可选值见 GET /api/v1/catalog/vocabulary", name, c))
	}
	var err error
	if q.ReviewDue, err = queryBool(r, "review_due"); err != nil {
		return q, err
	}
	if v.Get("facets") != "" {
		if q.Facets, err = queryBool(r, "facets"); err != nil {
			return q, err
		}
	}
	for _, s := range strings.Split(v.Get("status"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !catalog.Status(s).OfEntry() {
			return q, errs.Field("status", "invalid_status", fmt.Sprintf(
				"状态“%s”无效，应为 draft（草稿）、submitted（待审核）、rejected（已退回）、published（已发布）或 retired（已注销）", s))
		}
		q.Statuses = append(q.Statuses, catalog.Status(s))
	}
	var level, limit int64
	for name, dst := range map[string]*int64{"security_level": &level, "limit": &limit} {
		n, err := optInt(v.Get(name), name)
		if err != nil {
			return q, err
		}
		*dst = n
	}
	if level > 4 || v.Get("security_level") != "" && level == 0 {
		return q, errs.Field("security_level", "invalid_filter", "security_level 应为1至4级")
	}
	q.SecurityLevel, q.Limit = int(level), int(limit)
	q.DepartmentID, err = departmentFilter(r.Context(), a.DB.Read(), v)
	return q, err
}

func (a *API) searchCatalog(w http.ResponseWriter, r *http.Request) error {
	q, err := a.catalogQuery(r)
	if err != nil {
		return err
	}
	q.Now, q.Hints, q.DomainLabels = a.Now(), true, true
	page, err := catalog.Search(r.Context(), a.DB.Read(), catalogActor(r), q)
	if err != nil {
		return err
	}
	if !q.Facets {
		return JSON(w, http.StatusOK, uncountedPage{Page: page})
	}
	return JSON(w, http.StatusOK, page)
}

// uncountedPage and uncountedPublicPage serve a page searched with
// facets=false, whose total was not counted: their Total, always nil,
// hides the page's 0, so that no client reads it as "no hits".
type uncountedPage struct {
	catalog.Page
	Total *int `json:"total,omitempty"`
}

type uncountedPublicPage struct {
	catalog.PublicPage
	Total *int `json:"total,omitempty"`
}

// entryCreate is the body of POST …/entries: PUT's (entryPut), so that a
// client may POST an entry as GET answers it to create a similar one, the
// fields the server sets accepted and ignored, but department_id, the
// department the entry is created for (the caller's when absent or 0).
// Any other field is refused, all of them in one answer.
type entryCreate struct {
	entryPut
	DepartmentID int64 `json:"department_id"`
}

func (a *API) createEntry(w http.ResponseWriter, r *http.Request) error {
	req, err := entryToCreate(r)
	if err != nil {
		return err
	}
	by := catalogActor(r)
	e, err := a.entryTx(r, func(tx *sqldb.Tx) (catalog.Entry, error) {
		return catalog.Create(r.Context(), tx, by, req.DepartmentID, req.Resource, a.Now())
	})
	if err != nil {
		return err
	}
	return JSON(w, http.StatusCreated, e)
}

// entryToCreate is the entry r asks to create, in the caller's department
// unless it names another, once the caller is found to compile that
// department's catalog (catalog.Actor.MayCreate, which catalog.Create
// checks again): createEntry's check, and its Recheck before a replay.
func entryToCreate(r *http.Request) (entryCreate, error) {
	var req entryCreate
	if err := decodeListingUnknown(r, &req); err != nil {
		return req, err
	}
	by := catalogActor(r)
	if req.DepartmentID == 0 {
		req.DepartmentID = by.DepartmentID
	}
	return req, by.MayCreate(req.DepartmentID)
}

// entryTx runs one catalog action in a transaction. The entry's
// review_due is judged at the server's clock (catalog.ReviewDue).
func (a *API) entryTx(r *http.Request, fn func(tx *sqldb.Tx) (catalog.Entry, error)) (catalog.Entry, error) {
	var e catalog.Entry
	err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		e, err = fn(tx)
		return err
	})
	e.ReviewDue = catalog.ReviewDue(e, a.Now())
	return e, err
}

func (a *API) getEntry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	get := catalog.Get
	switch v := r.URL.Query().Get("view"); v {
	case "":
	case "working":
		get = catalog.Working
	default:
		return errs.Field("view", "invalid_view", "view 只能为 working（工作副本）："+v)
	}
	// The entry and its tag are read in one snapshot: read apart, an edit
	// of a draft (which keeps its version number) or a discarded revision
	// committed between them gave a tag of other content than the body, a
	// stale save that If-Match passed, or no tag at all.
	var e catalog.Entry
	err = a.DB.Snapshot(r.Context(), func(q sqldb.Querier) (err error) {
		if e, err = get(r.Context(), q, catalogActor(r), id); err != nil {
			return err
		}
		if entryRead != nil {
			entryRead()
		}
		return setETag(w, r, q, e)
	})
	if err != nil {
		return err
	}
	e.ReviewDue = catalog.ReviewDue(e, a.Now())
	return JSON(w, http.StatusOK, versionShown(e))
}

// entryRead, when set (by the tests), is called by getEntry between reading
// the entry and reading its tag.
var entryRead func()

// versionShown is e as the API answers it: status is the state of the
// version shown. catalog.Working shows a published entry's revision with
// the entry's status, which beside the revision's number and metadata read
// as if the revision were in force; here it is the revision's own state
// (draft, submitted or rejected), published_version still the version in
// force. Every other view already shows the version its status names.
func versionShown(e catalog.Entry) catalog.Entry {
	if e.WorkingVersion != 0 && e.Version == e.WorkingVersion {
		e.Status = e.WorkingStatus
	}
	return e
}

// setETag answers the tag of the metadata e shows (catalog.EditTag), for the
// client to send back in If-Match of a PUT, a submission or a review: the
// default view of a published entry under revision shows the version in
// force, and its tag is refused by them (they act on the revision, which
// view=working shows), so that what was read and sent back never
// overwrites, submits or approves a revision the client did not see.
func setETag(w http.ResponseWriter, r *http.Request, q sqldb.Querier, e catalog.Entry) error {
	tag, err := catalog.EditTag(r.Context(), q, e)
	if err != nil {
		return err
	}
	writeETag(w, tag)
	return nil
}

// writeETag answers tag as the strong entity tag that ifMatch reads back
// from If-Match.
func writeETag(w http.ResponseWriter, tag string) {
	w.Header().Set("ETag", entityTag(tag))
}

// entityTag is tag as a strong entity tag, quoted: the ETag header's
// value, and a body's etag field where an answer lists several.
func entityTag(tag string) string { return `"` + tag + `"` }

// ifMatchKey carries, in the context of a request to an IfMatch route,
// the entity tags of its If-Match header (parseIfMatch).
type ifMatchKey struct{}

// parseIfMatch reads the values of the If-Match header of a request to an
// IfMatch route (RFC 9110 §13.1.1), which the adapter keeps in its
// context for ifMatch: no tags without the header or with "*" (any
// object that exists), else the opaque tags of its strong entity tags. A
// header the server cannot use is refused 400 bad_if_match before the
// handler, where it was read as naming no tag and answered 409
// concurrent_update, as if the object had changed since it was read: a
// tag without its double quotes or holding a space or a quote, "*" among
// tags, a header with no tag, and a weak tag (W/"…"). If-Match compares
// tags strongly, so that a weak one would never match; the server sends
// none, and a client sending one is told so.
func parseIfMatch(values []string) ([]string, error) {
	if len(values) == 0 {
		return nil, nil
	}
	malformed := errs.Field("If-Match", "bad_if_match", "If-Match 无效：应为 *，或读取时 ETag 给出的标签原样"+
		"（带双引号，如 \"3f2a…\"；多个以逗号分隔），本次未做任何更改")
	var tags []string
	star := false
	rest := strings.Join(values, ",")
	for {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			break
		}
		switch {
		case rest[0] == '*' && !star && tags == nil:
			star, rest = true, rest[1:]
		case strings.HasPrefix(rest, "W/"):
			return nil, errs.Field("If-Match", "bad_if_match", "If-Match 含弱标签 W/\"…\"，此处不能使用："+
				"请原样发送读取时 ETag 给出的强标签（带双引号，不加 W/），本次未做任何更改")
		case rest[0] == '"' && !star:
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 || !etagChars(rest[1:1+end]) {
				return nil, malformed
			}
			tags, rest = append(tags, rest[1:1+end]), rest[2+end:]
		default:
			return nil, malformed
		}
		if rest = strings.TrimLeft(rest, " \t"); rest != "" && rest[0] != ',' {
			return nil, malformed
		}
	}
	if !star && tags == nil {
		return nil, malformed
	}
	return tags, nil
}

// etagChars reports whether s is made of etagc (RFC 9110 §8.8.3): any
// visible character but the double quote, or obs-text.
func etagChars(s string) bool {
	for i := range len(s) {
		if c := s[i]; c < 0x21 || c == 0x7f {
			return false
		}
	}
	return true
}

// ifMatch returns the tags of the request's If-Match header, which the
// adapter read (parseIfMatch), for catalog.UpdateIf, SubmitIf,
// ApproveIf, RejectIf, DeleteIf, DiscardRevisionIf, the retirement's
// RetireIf, ApproveRetireIf, RejectRetireIf and WithdrawRetireIf, and the
// other conditional changes: nil without the header or with "*". It
// panics on a route that does not set Route.IfMatch, whose malformed
// If-Match would not have been refused: a route reading the header must
// say so.
func ifMatch(r *http.Request) []string {
	tags, ok := r.Context().Value(ifMatchKey{}).([]string)
	if !ok {
		panic("api: " + r.Method + " " + r.URL.Path + " reads If-Match, but its Route does not set IfMatch")
	}
	return tags
}

// entryPut is the body of PUT …/entries/{id}: the metadata it saves and,
// accepted and ignored, the fields the server sets in the entry as GET
// answers it (readOnly in the OpenAPI document), so that a client may GET
// an entry, edit it and PUT it back. An item's authoritative_source, also
// set on reads, is ignored by catalog.Update. Any other field is refused.
type entryPut struct {
	catalog.Resource
	ID               json.RawMessage `json:"id"`
	Code             json.RawMessage `json:"code"`
	DepartmentID     json.RawMessage `json:"department_id"`
	DepartmentName   json.RawMessage `json:"department_name"`
	Status           json.RawMessage `json:"status"`
	Version          json.RawMessage `json:"version"`
	PublishedVersion json.RawMessage `json:"published_version"`
	WorkingVersion   json.RawMessage `json:"working_version"`
	WorkingStatus    json.RawMessage `json:"working_status"`
	RejectReason     json.RawMessage `json:"reject_reason"`
	ReviewDue        json.RawMessage `json:"review_due"`
	CreatedAt        json.RawMessage `json:"created_at"`
	UpdatedAt        json.RawMessage `json:"updated_at"`
	ReviewedAt       json.RawMessage `json:"reviewed_at"`
	PublishedAt      json.RawMessage `json:"published_at"`
	RetireRequest    json.RawMessage `json:"retire_request"`
}

// decodeListingUnknown is Decode that, refusing a body with unknown fields,
// names all of them in one unknown_field (未知字段：a、items[0].b), field the
// first, where Decode names the first only: a client learns in one answer
// every field it must drop. Of a body of more than errs.MaxKeyIssues
// unknown or repeated keys the others are counted, not named.
//
// A body that is one JSON object with a list longer than its limit
// (tooManyInEntry) is refused with validation's too_many_items before it
// is decoded, so before its unknown fields are listed and before anything
// else about its fields (a key repeated or in another case, a value of
// the wrong type, invalid text) is refused: an 8 MiB body of 2.8 million
// empty data items allocated 1.27 GiB decoding them. Followed by anything
// but white space, such an object is refused malformed_json, as Decode
// refuses it, and not decoded either. Any other body, malformed before
// its object ends or cut short, is decoded as it was read, with its read
// error, and refused as Decode refuses it.
func decodeListingUnknown(r *http.Request, v any) error {
	if err := checkJSON(r); err != nil {
		return err
	}
	body, rerr := io.ReadAll(r.Body)
	rest := io.Reader(errReader{io.EOF})
	if rerr != nil {
		rest = errReader{rerr}
	} else if err := tooManyInEntry(bytes.TrimPrefix(body, []byte("\ufeff"))); err != nil {
		return err
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(body), rest), r.Body}
	err := Decode(r, v)
	if e := errs.As(err); e == nil || e.Code != "unknown_field" {
		return err
	}
	if rerr != nil {
		return err
	}
	var names []string
	issues, more := errs.JSONKeys(bytes.TrimPrefix(body, []byte("\ufeff")), reflect.TypeOf(v))
	for _, k := range issues {
		if !k.Repeated {
			names = append(names, k.Path)
		}
	}
	if len(names) == 0 {
		return err
	}
	msg := "未知字段：" + strings.Join(names, "、")
	if more > 0 {
		msg += fmt.Sprintf("（另有 %d 个字段未知或重复，未逐一列出）", more)
	}
	return errs.Field(names[0], "unknown_field", msg)
}

// errReader is a reader that fails with its error.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// tooManyInEntry returns the too_many_items of the first of catalog.Lists
// that body, an entry's JSON object, holds with more elements than its
// limit, as validation refuses the entry decoded, and nil when it holds
// none or is not one JSON object. A list is matched under its key in any
// case encoding/json takes for it; its value is copied raw and its
// elements counted, up to one over its limit, not decoded. Such an object
// followed by more than white space is refused as Decode refuses it,
// malformed_json (notOneObject), without decoding it; a body malformed
// before its object ends is left to Decode.
func tooManyInEntry(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	over := len(catalog.Lists) // the first list over its limit, if below len
	var value json.RawMessage
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		key, _ := t.(string)
		if err := dec.Decode(&value); err != nil {
			return nil
		}
		i := slices.IndexFunc(catalog.Lists[:over], func(l catalog.List) bool { return strings.EqualFold(l.Key, key) })
		if i >= 0 && elementsOver(value, catalog.Lists[i].Max) {
			over = i
		}
	}
	if _, err := dec.Token(); err != nil || over == len(catalog.Lists) {
		return nil
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return notOneObject()
	}
	return catalog.Lists[over].TooMany()
}

// elementsOver reports whether value, valid JSON, is an array of more than
// limit elements, reading limit+1 of them at most.
func elementsOver(value json.RawMessage, limit int) bool {
	dec := json.NewDecoder(bytes.NewReader(value))
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return false
	}
	var skip json.RawMessage
	for n := 0; dec.More(); n++ {
		if n == limit {
			return true
		}
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

func (a *API) updateEntry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	// Who may not edit the entry is refused whatever it sends.
	if err := catalog.CheckUpdate(r.Context(), a.DB.Read(), catalogActor(r), id); err != nil {
		return err
	}
	var put entryPut
	if err := decodeListingUnknown(r, &put); err != nil {
		return err
	}
	var tag string
	var changed bool
	e, err := a.entryTx(r, func(tx *sqldb.Tx) (catalog.Entry, error) {
		var e catalog.Entry
		var err error
		e, changed, err = catalog.UpdateIfChanged(r.Context(), tx, catalogActor(r), id, ifMatch(r), put.Resource, a.Now())
		if err != nil {
			return e, err
		}
		tag, err = catalog.EditTag(r.Context(), tx, e)
		return e, err
	})
	if err != nil {
		return err
	}
	writeETag(w, tag)
	// A PUT of what the entry holds wrote nothing (no revision, no audit
	// row): the same answer, ETag unchanged, and this header says so.
	if !changed {
		w.Header().Set("Hutong-Unchanged", "true")
	}
	return JSON(w, http.StatusOK, versionShown(e))
}

// deleteEntry deletes an entry never published (catalog.Delete).
func (a *API) deleteEntry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		return catalog.DeleteIf(r.Context(), tx, catalogActor(r), id, ifMatch(r), a.Now())
	}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// lifecycle serves a lifecycle action without a request body.
func (a *API) lifecycle(w http.ResponseWriter, r *http.Request,
	fn func(tx *sqldb.Tx, by catalog.Actor, id int64) (catalog.Entry, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := a.entryTx(r, func(tx *sqldb.Tx) (catalog.Entry, error) { return fn(tx, catalogActor(r), id) })
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, e)
}

func (a *API) submitEntry(w http.ResponseWriter, r *http.Request) error {
	return a.lifecycle(w, r, func(tx *sqldb.Tx, by catalog.Actor, id int64) (catalog.Entry, error) {
		return catalog.SubmitIf(r.Context(), tx, by, id, ifMatch(r), a.Now())
	})
}

func (a *API) approveEntry(w http.ResponseWriter, r *http.Request) error {
	// Conflicts found again are stored on their own first, so that a refusal
	// for them leaves them listed (catalog.Recheck); Approve reports the
	// user's mistakes. An If-Match that does not name the submitted metadata
	// is refused by ApproveIf with nothing written: it is read first, and
	// the conflicts are not rechecked for it.
	if id, err := pathID(r, "id"); err == nil {
		err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
			return catalog.RecheckIf(r.Context(), tx, catalogActor(r), id, ifMatch(r), a.Now())
		})
		if err != nil && errs.As(err) == nil {
			return err
		}
	}
	return a.lifecycle(w, r, func(tx *sqldb.Tx, by catalog.Actor, id int64) (catalog.Entry, error) {
		return catalog.ApproveIf(r.Context(), tx, by, id, ifMatch(r), a.Now())
	})
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

func decodeReason(r *http.Request) (string, error) {
	var req reasonRequest
	if r.ContentLength == 0 {
		return "", nil
	}
	err := Decode(r, &req)
	return req.Reason, err
}

func (a *API) rejectEntry(w http.ResponseWriter, r *http.Request) error {
	reason, err := decodeReason(r)
	if err != nil {
		return err
	}
	return a.lifecycle(w, r, func(tx *sqldb.Tx, by catalog.Actor, id int64) (catalog.Entry, error) {
		return catalog.RejectIf(r.Context(), tx, by, id, ifMatch(r), reason, a.Now())
	})
}

// retireEntry retires the entry (the operator) or asks the operator's
// review to (its department, catalog.Retire): 200 with the entry retired,
// 202 with the entry still published and its retirement request pending.
// Who may neither is refused whatever it sends (catalog.CheckRetire).
func (a *API) retireEntry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := catalog.CheckRetire(r.Context(), a.DB.Read(), catalogActor(r), id); err != nil {
		return err
	}
	reason, err := decodeReason(r)
	if err != nil {
		return err
	}
	e, err := a.entryTx(r, func(tx *sqldb.Tx) (catalog.Entry, error) {
		return catalog.RetireIf(r.Context(), tx, catalogActor(r), id, ifMatch(r), reason, a.Now())
	})
	if err != nil {
		return err
	}
	if e.Status != catalog.Retired {
		return JSON(w, http.StatusAccepted, e)
	}
	return JSON(w, http.StatusOK, e)
}

// approveRetire approves the department's retirement request: the entry
// is retired (catalog.ApproveRetire).
func (a *API) approveRetire(w http.ResponseWriter, r *http.Request) error {
	return a.lifecycle(w, r, func(tx *sqldb.Tx, by catalog.Actor, id int64) (catalog.Entry, error) {
		return catalog.ApproveRetireIf(r.Context(), tx, by, id, ifMatch(r), a.Now())
	})
}

// rejectRetire sends the department's retirement request back with a
// reason; the entry stays published (catalog.RejectRetire).
func (a *API) rejectRetire(w http.ResponseWriter, r *http.Request) error {
	reason, err := decodeReason(r)
	if err != nil {
		return err
	}
	return a.lifecycle(w, r, func(tx *sqldb.Tx, by catalog.Actor, id int64) (catalog.Entry, error) {
		return catalog.RejectRetireIf(r.Context(), tx, by, id, ifMatch(r), reason, a.Now())
	})
}

// withdrawRetire withdraws the department's retirement request under
// review (catalog.WithdrawRetire).
func (a *API) withdrawRetire(w http.ResponseWriter, r *http.Request) error {
	return a.lifecycle(w, r, func(tx *sqldb.Tx, by catalog.Actor, id int64) (catalog.Entry, error) {
		return catalog.WithdrawRetireIf(r.Context(), tx, by, id, ifMatch(r), a.Now())
	})
}

// listRetireRequests lists a page of the retirement requests under
// review, filtered by their entries as the catalog's search filters them:
// every department's to the reviewers, the caller's department's to
// others.
func (a *API) listRetireRequests(w http.ResponseWriter, r *http.Request) error {
	q, err := a.catalogQuery(r)
	if err != nil {
		return err
	}
	page, err := catalog.RetireRequests(r.Context(), a.DB.Read(), catalogActor(r),
		catalog.RetireQuery{Filter: q, Cursor: q.Cursor, Limit: q.Limit})
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, page)
}

// discardRevision discards the revision of a published entry being
// compiled or sent back (catalog.DiscardRevision).
func (a *API) discardRevision(w http.ResponseWriter, r *http.Request) error {
	return a.lifecycle(w, r, func(tx *sqldb.Tx, by catalog.Actor, id int64) (catalog.Entry, error) {
		return catalog.DiscardRevisionIf(r.Context(), tx, by, id, ifMatch(r), a.Now())
	})
}

// entryItems serves, as {"items": […]}, what list reads of the entry in
// the path for the caller (catalogActor): its versions, its history or
// its conflicts. An entry the caller may not see is refused as list
// refuses it.
func entryItems[T any](a *API, w http.ResponseWriter, r *http.Request,
	list func(ctx context.Context, q sqldb.Querier, by catalog.Actor, id int64) ([]T, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := list(r.Context(), a.DB.Read(), catalogActor(r), id)
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, map[string]any{"items": items})
}

// listVersions lists the versions of an entry (catalog.Versions).
func (a *API) listVersions(w http.ResponseWriter, r *http.Request) error {
	return entryItems(a, w, r, catalog.Versions)
}

// entryHistory is the history of an entry (catalog.Reviews), oldest
// first, for its department and the reviewers: its versions' reviews, its
// transfers and its retirement requests with their outcomes.
func (a *API) entryHistory(w http.ResponseWriter, r *http.Request) error {
	return entryItems(a, w, r, catalog.Reviews)
}

func (a *API) getVersion(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := pathID(r, "version")
	if err != nil {
		return err
	}
	v, err := catalog.GetVersion(r.Context(), a.DB.Read(), catalogActor(r), id, int(n))
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, v)
}

// diffVersions compares versions from and to (default: the last two the
// caller may see).
func (a *API) diffVersions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	vs, err := catalog.Versions(r.Context(), a.DB.Read(), catalogActor(r), id)
	if err != nil {
		return err
	}
	from, to := 0, 0
	if len(vs) > 0 {
		to = vs[len(vs)-1].Version
	}
	if len(vs) > 1 {
		from = vs[len(vs)-2].Version
	}
	for name, dst := range map[string]*int{"from": &from, "to": &to} {
		n, err := optInt(r.URL.Query().Get(name), name)
		if err != nil {
			return err
		}
		if n != 0 {
			*dst = int(n)
		}
	}
	pick := func(n int) *catalog.Version {
		for i := range vs {
			if vs[i].Version == n {
				return &vs[i]
			}
		}
		return nil
	}
	va, vb := pick(from), pick(to)
	if va == nil || vb == nil {
		return errs.E(errs.NotFound, "version_not_found", "要比较的版本不存在（需要两个版本，用 from 和 to 指定）")
	}
	return JSON(w, http.StatusOK, map[string]any{"from": from, "to": to, "changes": catalog.Diff(va.Resource, vb.Resource)})
}

// listConflicts lists the source conflicts of an entry's version under
// review, or else of its version in force (catalog.Conflicts).
func (a *API) listConflicts(w http.ResponseWriter, r *http.Request) error {
	return entryItems(a, w, r, catalog.Conflicts)
}

// decisionRequest decides a conflict: the authoritative entry, or that the
// item is not the same data item as the candidates' (Distinct, 不是同一数据项):
// one of the two, AuthoritativeEntryID nil when not given.
type decisionRequest struct {
	AuthoritativeEntryID *int64 `json:"authoritative_entry_id"`
	Distinct             bool   `json:"distinct"`
}

func (a *API) decideConflict(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cid, err := pathID(r, "conflict")
	if err != nil {
		return err
	}
	var req decisionRequest
	if err := Decode(r, &req); err != nil {
		return err
	}
	var c catalog.Conflict
	err = a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		switch {
		case req.Distinct && req.AuthoritativeEntryID != nil:
			return errs.Field("authoritative_entry_id", "invalid_source", "裁定为不是同一数据项时不能再指定权威数源")
		case req.Distinct:
			c, err = catalog.DecideDistinct(r.Context(), tx, catalogActor(r), id, cid, a.Now())
			return err
		case req.AuthoritativeEntryID == nil:
			return errs.Field("authoritative_entry_id", "invalid_source",
				`请指定权威数源（authoritative_entry_id），或裁定为不是同一数据项（"distinct": true）`)
		}
		c, err = catalog.Decide(r.Context(), tx, catalogActor(r), id, cid, *req.AuthoritativeEntryID, a.Now())
		return err
	})
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, c)
}

func (a *API) catalogVocabulary(w http.ResponseWriter, r *http.Request) error {
	out := map[string][]catalog.Option{}
	for _, f := range []string{"class", "basic_category", "format", "data_type", "share_type", "share_methods",
		"open_attribute", "update_frequency", "network_zone", "domain", "subject_kind"} {
		out[f] = catalog.Vocabulary(f)
	}
	return JSON(w, http.StatusOK, out)
}

func (a *API) listSecurityLevels(w http.ResponseWriter, r *http.Request) error {
	ls, err := catalog.SecurityLevels(r.Context(), a.DB.Read())
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, map[string]any{"items": ls})
}

func (a *API) setSecurityLevel(w http.ResponseWriter, r *http.Request) error {
	// A level outside 1 to 4 names no level, as a malformed {id} names no
	// resource (pathID).
	level, err := strconv.Atoi(r.PathValue("level"))
	if err != nil || level < 1 || level > 4 {
		return errs.E(errs.NotFound, "not_found", "安全级别应为1至4级："+r.PathValue("level"))
	}
	var l catalog.SecurityLevel
	if err := Decode(r, &l); err != nil {
		return err
	}
	l.Level = level
	var changed bool
	err = a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		l, changed, err = catalog.SetSecurityLevelIfChanged(r.Context(), tx, catalogActor(r), l, ifMatch(r), a.Now())
		return err
	})
	if err != nil {
		return err
	}
	writeETag(w, l.Tag)
	// A PUT of the level as stored wrote nothing (updated_at kept, no audit
	// row), as a PUT of an entry's metadata: this header says so.
	if !changed {
		w.Header().Set("Hutong-Unchanged", "true")
	}
	return JSON(w, http.StatusOK, l)
}

func (a *API) exportRegistration(w http.ResponseWriter, r *http.Request) error {
	dept, err := departmentFilter(r.Context(), a.DB.Read(), r.URL.Query())
	if err != nil {
		return err
	}
	reg, err := catalog.Export(r.Context(), a.DB.Read(), dept, a.Now())
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, reg)
}

// MaxEntryBody bounds the JSON of one catalog entry (POST and PUT
// /api/v1/catalog/entries), so that any entry the catalog accepts, as GET
// answers it, can be sent back: the largest, every text, name and count at
// its limit (catalog.MaxItems data items with descriptions of
// catalog.MaxText characters, about 1.08 million characters in all), is
// 5.9 MiB with every character at its dearest in compact JSON (<, written
// \u003c, six bytes; a CJK character is three), where 1 MiB (MaxJSONBody)
// refused such an entry of CJK text, 3 MiB, and it could be changed only by
// a re-import (TestMaximalEntryPutBack).
const MaxEntryBody = 8 << 20

// MaxRegistrationBody bounds a registration document (目录注册): another
// platform's whole published catalog, about 1.2 KB an entry, so some
// 25,000 entries.
const MaxRegistrationBody = 32 << 20

// catalogReviewer is the Allow of the review routes (approve, reject,
// decide a source): the operator and the reviewers of its department
// (auth.Principal.ReviewsCatalog). Anyone else — a department's
// administrator, which holds catalog.write, another department's reviewer,
// an app — is told that rule, not a scope it lacks. The catalog checks it
// again.
func catalogReviewer(p *auth.Principal) error {
	if !p.ReviewsCatalog() {
		return catalog.NotReviewer()
	}
	return nil
}

// operatorOnly is the Allow of a route only the platform operator may use
// (what it does: 修改安全级别定义 …), narrower than the catalog.write
// its callers hold: a department's administrator, a reviewer or an app is
// refused with that rule, not with the scope, and before the body is read
// (a registration document's up to 32 MiB). The catalog checks it again.
func operatorOnly(what string) func(p *auth.Principal) error {
	return func(p *auth.Principal) error {
		if !p.HasRole(org.Operator) {
			return errs.E(errs.Forbidden, "forbidden", "只有平台管理员可以"+what)
		}
		return nil
	}
}

func (a *API) importRegistration(w http.ResponseWriter, r *http.Request) error {
	by := catalogActor(r)
	var reg catalog.Registration
	if err := Decode(r, &reg); err != nil {
		return err
	}
	var res catalog.ImportResult
	err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		res, err = catalog.Import(r.Context(), tx, by, reg, a.Now())
		return err
	})
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, res)
}

func (a *API) publicCatalog(w http.ResponseWriter, r *http.Request) error {
	q, err := a.catalogQuery(r)
	if err != nil {
		return err
	}
	q.Hints = true
	page, err := catalog.Public(r.Context(), a.DB.Read(), q)
	if err != nil {
		return err
	}
	if !q.Facets {
		return JSON(w, http.StatusOK, uncountedPublicPage{PublicPage: page})
	}
	return JSON(w, http.StatusOK, page)
}

func (a *API) publicEntry(w http.ResponseWriter, r *http.Request) error {
	e, err := catalog.PublicByCode(r.Context(), a.DB.Read(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, e)
}
