// Package records keeps the data that providers push for the catalog
// entries they are the source of (数据归集): add / change / cancel operations
// validated against the entry's data items, the full history of every record
// (nothing is overwritten), timeliness in working days, the multi-source
// cross-check (多源校核), quality scores and an ordered change feed per entry.
//
// A change a person or an app makes (a batch, a discrepancy's feedback or
// resolution, a timeliness rule) records its audit row in the transaction
// that makes it; a batch (Ingest, given a *sqldb.DB) runs in one
// transaction of its own. The upkeep runs in many transactions of its own:
// Sweep commits page by page, each page that changes a discrepancy with
// its records.crosscheck row, and records one more, its summary, at the
// end of a complete run; the discrepancies it or RekeyItems closes are
// audited in the transaction that closes them; PruneUnchangedKeys,
// StoreCompleteness and RecomputeDueDates record no audit row.
//
// The package reads catalog entries from the catalog_entries table itself
// (LoadEntry: metadata as JSON in data), not through the catalog package's
// reads, but uses that package for what the two must agree on: item keys
// (catalog.ItemKey), statuses, time limits (catalog.ReadTimeLimit) and
// catalog.HeadChanges, which tells its entry cache when to forget.
package records

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Subject kinds of catalog entries.
const (
	Person      = "person"
	LegalEntity = "legal_entity"
	NoSubject   = "none"
)

// Item is a data item of an entry as records need it.
type Item struct {
	Name              string `json:"name"`
	Type              string `json:"type"` // C N Y D T L M G B I F
	Length            int    `json:"length,omitempty"`
	IdentifiesSubject bool   `json:"identifies_subject,omitempty"`
	key               string
}

// Entry is a published catalog entry as records need it.
type Entry struct {
	ID              int64
	Code            string
	Name            string
	DepartmentID    int64
	Version         int
	SubjectKind     string
	UpdateFrequency string
	Class           string
	CategoryCode    string
	Timeliness      string // 时效要求, free text of the catalog
	ShareType       string // unconditional, conditional, none (catalog.ShareType)
	PublishedAt     time.Time
	Items           []Item
	byName          map[string]int
}

// stored is the part of the catalog's Resource JSON that records read.
type stored struct {
	Name           string `json:"name"`
	Classification struct {
		Class        string `json:"class"`
		CategoryCode string `json:"category_code"`
	} `json:"classification"`
	Items           []Item `json:"items"`
	UpdateFrequency string `json:"update_frequency"`
	Timeliness      string `json:"timeliness"`
	SubjectKind     string `json:"subject_kind"`
}

// decode sets what e takes from its catalog entry's data (catalog_entries.data,
// the Resource JSON): its name, items, timeliness and classification.
func (e *Entry) decode(data string) error {
	var s stored
	if err := json.Unmarshal([]byte(data), &s); err != nil {
		return fmt.Errorf("entry %d: decode data: %w", e.ID, err)
	}
	e.Name, e.Items, e.Timeliness = s.Name, s.Items, s.Timeliness
	e.Class, e.CategoryCode = s.Classification.Class, s.Classification.CategoryCode
	return nil
}

// Fields lists, comma-separated in catalog order, the items that have a
// value in any of vals: what a read of them served, for its audit row.
func (e *Entry) Fields(vals []map[string]string) string {
	var out []string
	for _, it := range e.Items {
		for _, v := range vals {
			if _, ok := v[it.Name]; ok {
				out = append(out, it.Name)
				break
			}
		}
	}
	return strings.Join(out, ",")
}

// ItemIndex returns the index of the data item named name, or -1.
func (e *Entry) ItemIndex(name string) int {
	if i, ok := e.byName[name]; ok {
		return i
	}
	if i, ok := e.byName[catalog.ItemKey(name)]; ok {
		return i
	}
	return -1
}

func (e *Entry) index() {
	e.byName = make(map[string]int, 2*len(e.Items))
	for i := range e.Items {
		it := &e.Items[i]
		it.Type = strings.ToUpper(strings.TrimSpace(it.Type))
		it.key = catalog.ItemKey(it.Name)
		e.byName[it.Name] = i
		if _, dup := e.byName[it.key]; !dup {
			e.byName[it.key] = i
		}
	}
}

// LoadEntry reads a published catalog entry.
func LoadEntry(ctx context.Context, q sqldb.Querier, id int64) (*Entry, error) {
	var e Entry
	var status, data string
	var pub sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT id, code, department_id, status, version, subject_kind, update_frequency,
		share_type, data, published_at FROM catalog_entries WHERE id = $1`, id).Scan(&e.ID, &e.Code, &e.DepartmentID, &status,
		&e.Version, &e.SubjectKind, &e.UpdateFrequency, &e.ShareType, &data, &pub)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, entryNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("load entry %d: %w", id, err)
	}
	if status != "published" {
		return nil, unpublished{id: id, department: e.DepartmentID, code: e.Code, status: status}.refusal("不能归集数据")
	}
	if err := e.decode(data); err != nil {
		return nil, err
	}
	if pub.Valid {
		e.PublishedAt = pub.Time.UTC()
	}
	e.index()
	return &e, nil
}

// entryNotFound is the answer for entry id when there is no such entry,
// or none its caller may see (reword): 404 entry_not_found naming the id
// the caller gave, so that both read the same.
func entryNotFound(id int64) error {
	return errs.E(errs.NotFound, "entry_not_found", fmt.Sprintf("数据资源 %d 不存在", id))
}

// unpublished is the cause of LoadEntry's refusal of an entry not
// published: its id, department, code and catalog status, which ForPush,
// ForRead and ForRule word for their caller.
type unpublished struct {
	id, department int64
	code, status   string
}

func (u unpublished) Error() string { return "entry " + u.code + " is " + u.status }

// refusal is the refusal of doing (不能归集数据) with an entry not
// published: a retired entry's records are kept but take no more pushes,
// reads or rules (已注销), one never published has none (未发布). The code
// is entry_not_published.
func (u unpublished) refusal(doing string) error {
	state := "未发布"
	if u.status == string(catalog.Retired) {
		state = "已注销"
	}
	return &errs.Error{Kind: errs.Conflict, Code: "entry_not_published", Message: fmt.Sprintf("数据资源 %s %s，%s", u.code, state, doing), Err: u}
}

// ForPush answers err, LoadEntry's refusal of an entry not published, to
// by, who pushes to it: in a push's words (不能归集数据), or, when by may
// not see the entry in the catalog (catalog.Actor.Sees: another
// department's draft), as for an id that names no entry (entry_not_found),
// so that neither the entry nor its code shows. Any other err is returned
// as it is.
func ForPush(err error, by catalog.Actor) error { return reword(err, by, "不能归集数据") }

// ForRead is ForPush for a read of the entry's records (不能查询数据).
func ForRead(err error, by catalog.Actor) error { return reword(err, by, "不能查询数据") }

// ForRule is ForPush for setting the entry's timeliness rule
// (不能设置时效规则).
func ForRule(err error, by catalog.Actor) error { return reword(err, by, "不能设置时效规则") }

// ForRuleRead is ForPush for reading the entry's timeliness rule
// (不能查看时效规则).
func ForRuleRead(err error, by catalog.Actor) error {
	return reword(err, by, "不能查看时效规则")
}

func reword(err error, by catalog.Actor, doing string) error {
	var u unpublished
	if !errors.As(err, &u) {
		return err
	}
	if !by.Sees(catalog.Status(u.status), u.department) {
		return entryNotFound(u.id)
	}
	return u.refusal(doing)
}

// EntryCacheTTL is how long an EntryCache trusts an entry it read: the
// longest a change published by another process (the CLI, another server)
// takes to reach this one's reads.
const EntryCacheTTL = time.Second

// entryCacheMax bounds an EntryCache; when full it starts afresh.
const entryCacheMax = 4096

// EntryCache serves the published entries that reads of records need
// (their items, their share type, which decides who may read), reading each
// from the database at most once per EntryCacheTTL: a read of a record then
// makes one query instead of two. A change of an entry's head or status
// committed by this process (catalog.HeadChanges) makes every cache forget what
// it read before, so a request that starts once the change is answered sees
// it; one by another process is seen within EntryCacheTTL. Entries that
// cannot be read (unknown, not published) are not remembered. The entries
// it returns are shared: callers must not change them. The zero value is
// ready to use.
type EntryCache struct {
	mu      sync.Mutex
	changes uint64 // catalog.HeadChanges() when the entries were read
	entries map[int64]cachedEntry
}

type cachedEntry struct {
	e    *Entry
	read time.Time
}

// Load returns entry id as LoadEntry does, from the cache when it was read
// less than EntryCacheTTL before now.
func (c *EntryCache) Load(ctx context.Context, q sqldb.Querier, id int64, now time.Time) (*Entry, error) {
	// Read under the count loaded before: a change committed meanwhile moves
	// it on, and the entry read is then not kept.
	changes := catalog.HeadChanges()
	c.mu.Lock()
	ce, ok := c.entries[id]
	fresh := ok && c.changes == changes && !now.Before(ce.read) && now.Sub(ce.read) < EntryCacheTTL
	c.mu.Unlock()
	if fresh {
		return ce.e, nil
	}
	e, err := LoadEntry(ctx, q, id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if changes != catalog.HeadChanges() {
		return e, nil
	}
	if c.changes != changes || c.entries == nil || len(c.entries) >= entryCacheMax {
		c.changes, c.entries = changes, map[int64]cachedEntry{}
	}
	c.entries[id] = cachedEntry{e: e, read: now}
	return e, nil
}

// EntryByCode finds the id of an entry by its resource code.
func EntryByCode(ctx context.Context, q sqldb.Querier, code string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM catalog_entries WHERE code = $1`, strings.TrimSpace(code)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errs.E(errs.NotFound, "entry_not_found", "数据资源 "+code+" 不存在")
	}
	return id, err
}
