package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Generated catalogs: made-up published entries in bulk, for the search
// benchmark and hutong bench. Names are built as real ones are, a subject and
// an act ("食品经营许可" + "变更登记信息"), so that 1- and 2-character queries
// hit many entries and longer ones a few.
var (
	genSubjects = []string{"户籍人口", "居民身份证", "营业执照", "社会保险", "医疗保险", "不动产", "婚姻", "出生医学证明",
		"残疾人证", "中小学学籍", "纳税人", "食品经营许可", "建设工程", "律师执业", "住房公积金", "养老服务机构", "道路运输",
		"排污许可", "药品经营许可", "特种设备", "农村土地承包经营权", "林权", "渔业捕捞许可", "文物保护单位", "旅行社",
		"消防安全检查", "危险化学品经营", "机动车驾驶证", "出入境证件", "医师执业", "教师资格", "社会组织", "最低生活保障",
		"退役军人优待", "劳动用工", "职业技能等级", "公共租赁住房", "商品房预售", "水利工程", "气象灾害预警", "粮食收购",
		"烟草专卖零售", "宗教活动场所", "档案查阅", "公证", "法律援助", "计划生育", "预防接种", "献血", "殡葬服务"}
	genActs = []string{"登记信息", "变更登记", "注销登记", "许可信息", "核发信息", "备案信息", "年度报告", "审批结果",
		"认定信息", "缴费明细", "补贴发放", "统计数据", "档案信息", "监督检查记录", "行政处罚信息", "证明开具记录", "办件信息"}
	genItems = []string{"姓名", "公民身份号码", "统一社会信用代码", "企业名称", "法定代表人", "证件号码", "登记日期",
		"住所", "联系电话", "证照编号", "发证机关", "有效期至", "办理状态", "审批结果", "经办人", "金额", "所属区域", "备注",
		"户籍地址", "出生日期", "性别", "注册资本", "经营范围", "处罚决定书文号", "受理时间", "办结时间"}
)

// SampleQueries returns search texts that hit a generated catalog, by kind:
// "1char" and "2char" (the queries a trigram index cannot serve) and "long"
// (2–5 bigrams).
func SampleQueries() map[string][]string {
	return map[string][]string{
		"1char": {"证", "户", "税", "照", "婚", "房", "药"},
		"2char": {"户籍", "登记", "许可", "社保", "医疗", "婚姻", "学籍"},
		"long":  {"营业执照", "不动产登记", "出生医学证明", "残疾人证", "食品经营许可变更登记"},
	}
}

// GenerateResource returns a made-up entry with 5–10 data items and random
// coded attributes; one time in five, when names is not empty, it takes one
// of names instead of a generated name. It is not validated.
func GenerateResource(rng *rand.Rand, names []string) Resource {
	name := genSubjects[rng.IntN(len(genSubjects))] + genActs[rng.IntN(len(genActs))]
	if len(names) > 0 && rng.IntN(5) == 0 {
		name = names[rng.IntN(len(names))]
	}
	items := slices.Clone(genItems)
	rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	r := Resource{Name: name, Abstract: "本部门" + name + "，包括" + items[0] + "、" + items[1] + "等信息，供相关部门共享使用",
		Classification: Classification{Class: Departmental, CategoryCode: fmt.Sprintf("%02d", 1+rng.IntN(30)),
			CategoryName: "部门", SubcategoryCode: "001", SubcategoryName: "业务"},
		Format: "database", ShareType: []ShareType{Unconditional, Conditional}[rng.IntN(2)],
		ShareMethods:  []ShareMethod{ShareMethod(shareMethods[rng.IntN(4)].Code)},
		OpenAttribute: OpenAttribute(openAttributes[rng.IntN(3)].Code), UpdateFrequency: Frequency(frequencies[rng.IntN(6)].Code),
		SecurityLevel: 1 + rng.IntN(4), NetworkZone: "egov_extranet", Domain: domains[rng.IntN(22)].Code, SubjectKind: NoSubject}
	for _, it := range items[:5+rng.IntN(6)] {
		r.Items = append(r.Items, Item{Name: it, Type: "C", Length: 50})
	}
	return r
}

// PublishGenerated stores r as a published entry of departmentID with a new resource
// code and one published version, indexed for search, as Create and Approve
// would leave it, but without validation, review, one-data-one-source
// decisions or audit rows: it loads generated catalogs for measurements
// (hutong bench, benchmarks), never real ones. Generate stores the same rows
// in bulk.
func PublishGenerated(ctx context.Context, tx *sqldb.Tx, departmentID int64, r Resource, at time.Time) (int64, error) {
	code, err := nextCode(ctx, tx, r.Classification.Code())
	if err != nil {
		return 0, err
	}
	e, err := insertEntry(ctx, tx, code, departmentID, Published, r, at)
	if err != nil {
		return 0, err
	}
	if err := insertVersion(ctx, tx, e.ID, 1, Published, r, generatedBy, at); err != nil {
		return 0, err
	}
	// Not one of the columns the search triggers follow: the postings stay.
	_, err = tx.ExecContext(ctx, `UPDATE catalog_entries SET published_version = 1, working_version = 0,
		reviewed_at = $2, published_at = $2 WHERE id = $1`, e.ID, at.UTC())
	if err != nil {
		return 0, fmt.Errorf("publish generated entry: %w", err)
	}
	return e.ID, nil
}

// generatedBy is the author of generated versions.
var generatedBy = Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "generated", Name: "generated"}}

// chunkSize is how many entries Generate stores per transaction.
const chunkSize = 2000

// Generate adds n generated entries (GenerateResource with rng and names) to
// db, each of a random one of depts, updated a minute apart up to now, in
// transactions of chunkSize; progress, when set, gets the count after each.
// The rows are those PublishGenerated would write one entry after the
// other, written in bulk (publishChunk) while the next chunk is generated.
// It ends with db.Analyze (PostgreSQL's index-only scans of the postings
// need the visibility map that its VACUUM sets; in production autovacuum
// does it after bulk loads).
func Generate(ctx context.Context, db *sqldb.DB, depts []int64, n int, rng *rand.Rand, names []string, progress func(done int)) error {
	first := time.Now().Add(-time.Duration(n) * time.Minute)
	if err := generate(ctx, db, depts, n, rng, names, first, chunkSize, progress); err != nil {
		return fmt.Errorf("generate catalog: %w", err)
	}
	if err := db.Analyze(ctx); err != nil {
		return fmt.Errorf("generate catalog: %w", err)
	}
	return nil
}

// generate is Generate without the ANALYZE, the i-th entry updated at first
// plus i minutes, size entries a transaction.
func generate(ctx context.Context, db *sqldb.DB, depts []int64, n int, rng *rand.Rand, names []string,
	first time.Time, size int, progress func(done int)) error {
	ctx, cancel := context.WithCancel(ctx)
	chunks := make(chan *genChunk, 1)
	var genErr error // set before chunks is closed
	go func() {
		defer close(chunks)
		for done := 0; done < n; {
			es := make([]generated, min(size, n-done))
			for i := range es {
				r := GenerateResource(rng, names)
				es[i] = generated{departmentID: depts[rng.IntN(len(depts))], r: r,
					at: first.Add(time.Duration(done+i) * time.Minute)}
			}
			c, err := newChunk(db.Dialect, es)
			if err != nil {
				genErr = err
				return
			}
			select {
			case chunks <- c:
			case <-ctx.Done():
				genErr = ctx.Err()
				return
			}
			done += len(es)
		}
	}()
	defer func() {
		cancel()
		// Wait for the generator, which uses rng, to return.
		for range chunks {
		}
	}()
	done := 0
	for c := range chunks {
		err := db.TxRaw(ctx, func(tx *sqldb.Tx, raw func(func(any) error) error) error {
			_, err := publishChunk(ctx, tx, raw, c)
			return err
		})
		if err != nil {
			return err
		}
		done += c.n
		if progress != nil {
			progress(done)
		}
	}
	return genErr
}

// generated is an entry to publish: r, of departmentID, updated at at.
// A registration import gives its code and who publishes it (by, the
// author and reviewer of its version); a generated entry takes the next
// code of its classification and was never reviewed.
type generated struct {
	departmentID int64
	r            Resource
	at           time.Time
	code         string
	by           *Actor
}

// genChunk is entries to publish: the rows of each table (entryCols,
// versionCols, postingCols, itemKeyCols), each a run of values, with the
// entry ids, and the resource codes, left nil until known.
type genChunk struct {
	n                 int
	classes           []string // the classification code of each entry
	codes             []string // the code given for each entry, or ""
	entries, versions []any    // a row per entry
	posts, keys       []any
	postOf, keyOf     []int32 // the entry of each posting and item key
}

// newChunk returns the rows of es for d. The search postings are in the key
// order of catalog_search_tokens (token, then entry: ids follow the
// entries' order).
func newChunk(d sqldb.Dialect, es []generated) (*genChunk, error) {
	n := len(es)
	c := &genChunk{n: n, classes: make([]string, n), codes: make([]string, n),
		entries: make([]any, 0, n*len(entryCols)), versions: make([]any, 0, n*len(versionCols))}
	type posting struct{ entry, fields int32 }
	byToken := map[string][]posting{}
	postings := 0
	shared := make([][4]any, n) // attrs, department_id, updated_at and name_len of each entry's postings
	for i, e := range es {
		r := e.r
		c.classes[i], c.codes[i] = r.Classification.Code(), e.code
		var at any = e.at.UTC()
		if d == sqldb.SQLite {
			at = e.at.UTC().Format(sqldb.SQLiteTime) // what the driver would write, formatted once for all uses
		}
		data, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		js := any(string(data))
		nameKey := NameKey(r.Name)
		c.entries = append(c.entries, nil, nil, e.departmentID, string(Published), 1, 1, 0, r.Name, nameKey,
			r.Abstract, r.Domain, string(r.ShareType), methodBits(r.ShareMethods), string(r.UpdateFrequency),
			r.SecurityLevel, string(r.OpenAttribute), string(r.SubjectKind), js, at, at, at, at)
		author, reviewedAt, reviewer := generatedBy.Name, any(nil), ""
		if e.by != nil {
			author, reviewedAt, reviewer = e.by.Name, at, e.by.Name
		}
		c.versions = append(c.versions, nil, 1, string(Published), js, at, author, at, reviewedAt, reviewer)
		for _, k := range itemKeys(r) {
			c.keys = append(c.keys, string(r.SubjectKind), k.key, nil, k.name)
			c.keyOf = append(c.keyOf, int32(i))
		}
		shared[i] = [4]any{packAttrs(Published, r), e.departmentID, at, int64(utf8.RuneCountInString(nameKey))}
		for t, f := range tokenFields(r) {
			byToken[t] = append(byToken[t], posting{int32(i), int32(f)})
			postings++
		}
	}
	c.posts, c.postOf = make([]any, 0, postings*len(postingCols)), make([]int32, 0, postings)
	for _, t := range slices.Sorted(maps.Keys(byToken)) {
		tok := any(t)
		for _, p := range byToken[t] {
			sh := &shared[p.entry]
			c.posts = append(c.posts, tok, nil, int64(p.fields), sh[0], sh[1], sh[2], sh[3])
			c.postOf = append(c.postOf, p.entry)
		}
	}
	return c, nil
}

// publishChunk stores the entries of c, published, with a few statements
// for all, and returns their ids: the rows are those PublishGenerated, or
// for entries with a code and a publisher a registration import (Import),
// would write one entry after the other. Resource codes are the ones given
// or else taken per classification code in one step (chunkCodes), entry ids
// are the ones the rows would get one at a time, and the rows go in with
// COPY on PostgreSQL when raw is set (see sqldb.TxRaw), with multi-row
// INSERTs otherwise. The triggers on catalog_entries keep
// catalog_facet_counts, but for a load on a connection of its own (raw set)
// on PostgreSQL: there the trigger, which runs a PL/pgSQL function per row
// (most of the time of generated entries written with COPY), is disabled for
// the chunk's rows, which needs the table's owner and keeps other writers of
// catalog_entries waiting until the commit, and the chunk's counts are added
// in one statement instead. In a caller's transaction (a registration
// import) the trigger runs: about 0.1 s of 1.4 s for 1,200 entries.
func publishChunk(ctx context.Context, tx *sqldb.Tx, raw func(func(any) error) error, c *genChunk) ([]int64, error) {
	codes, err := chunkCodes(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	ids, err := nextEntryIDs(ctx, tx, c.n)
	if err != nil {
		return nil, err
	}
	boxed := make([]any, c.n)
	for i, id := range ids {
		boxed[i] = id
		c.entries[i*len(entryCols)], c.entries[i*len(entryCols)+1] = id, codes[i]
		c.versions[i*len(versionCols)] = id
	}
	for k, e := range c.postOf {
		c.posts[k*len(postingCols)+1] = boxed[e]
	}
	for k, e := range c.keyOf {
		c.keys[k*len(itemKeyCols)+2] = boxed[e]
	}
	bulkFacets := tx.Dialect == sqldb.Postgres && raw != nil
	if bulkFacets {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE catalog_entries DISABLE TRIGGER catalog_facet_count`); err != nil {
			return nil, fmt.Errorf("insert catalog entries: %w", err)
		}
	}
	if err := insertRows(ctx, tx, raw, "catalog_entries", entryCols, c.entries); err != nil {
		return nil, fmt.Errorf("insert catalog entries: %w", err)
	}
	if bulkFacets {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE catalog_entries ENABLE TRIGGER catalog_facet_count`); err != nil {
			return nil, fmt.Errorf("insert catalog entries: %w", err)
		}
		if _, err := tx.ExecContext(ctx, facetCountsSQL, ids); err != nil {
			return nil, fmt.Errorf("count facets of catalog entries: %w", err)
		}
	}
	if err := insertRows(ctx, tx, raw, "catalog_entry_versions", versionCols, c.versions); err != nil {
		return nil, fmt.Errorf("insert catalog versions: %w", err)
	}
	if err := insertRows(ctx, tx, raw, "catalog_search_tokens", postingCols, c.posts); err != nil {
		return nil, fmt.Errorf("insert search tokens: %w", err)
	}
	if err := insertRows(ctx, tx, raw, "catalog_item_keys", itemKeyCols, c.keys); err != nil {
		return nil, fmt.Errorf("index item keys: %w", err)
	}
	return ids, nil
}

// chunkCodes returns the resource codes of c's entries: the codes given,
// which the sequences of their classification codes skip past
// (reserveCodes), and for the others the next codes of their
// classification code (nextCodes).
func chunkCodes(ctx context.Context, tx *sqldb.Tx, c *genChunk) ([]string, error) {
	codes := slices.Clone(c.codes)
	var given, classes []string
	for i, code := range codes {
		if code != "" {
			given = append(given, code)
		} else {
			classes = append(classes, c.classes[i])
		}
	}
	if err := reserveCodes(ctx, tx, given); err != nil {
		return nil, err
	}
	next, err := nextCodes(ctx, tx, classes)
	if err != nil {
		return nil, err
	}
	for i := range codes {
		if codes[i] == "" {
			codes[i], next = next[0], next[1:]
		}
	}
	return codes, nil
}

// facetCountsSQL adds the entries whose ids are $1 to catalog_facet_counts
// as the trigger catalog_facet_count (migration 0031, which added the
// subject kind to 0005's) adds each inserted row.
const facetCountsSQL = `WITH g AS (SELECT * FROM catalog_entries WHERE id = ANY($1))
	INSERT INTO catalog_facet_counts (status, share_type, facet, value, n)
	SELECT status, share_type, facet, value, COUNT(*) FROM (
		SELECT status, share_type, 'department_id' AS facet, CAST(department_id AS TEXT) AS value FROM g
		UNION ALL SELECT status, share_type, 'domain', domain FROM g
		UNION ALL SELECT status, share_type, 'share_type', share_type FROM g
		UNION ALL SELECT status, share_type, 'update_frequency', update_frequency FROM g
		UNION ALL SELECT status, share_type, 'security_level', CAST(security_level AS TEXT) FROM g
		UNION ALL SELECT status, share_type, 'open_attribute', open_attribute FROM g
		UNION ALL SELECT status, share_type, 'subject_kind', subject_kind FROM g
		UNION ALL SELECT status, share_type, 'share_methods', 'query' FROM g WHERE share_methods & 1 <> 0
		UNION ALL SELECT status, share_type, 'share_methods', 'verify' FROM g WHERE share_methods & 2 <> 0
		UNION ALL SELECT status, share_type, 'share_methods', 'batch' FROM g WHERE share_methods & 4 <> 0
		UNION ALL SELECT status, share_type, 'share_methods', 'file' FROM g WHERE share_methods & 8 <> 0
	) f GROUP BY status, share_type, facet, value
	ON CONFLICT (status, share_type, facet, value) DO UPDATE SET n = catalog_facet_counts.n + excluded.n`

var (
	entryCols = []string{"id", "code", "department_id", "status", "version", "published_version", "working_version",
		"name", "name_key", "abstract", "domain", "share_type", "share_methods", "update_frequency", "security_level",
		"open_attribute", "subject_kind", "data", "created_at", "updated_at", "reviewed_at", "published_at"}
	versionCols = []string{"entry_id", "version", "state", "data", "created_at", "created_by", "updated_at",
		"reviewed_at", "reviewed_by"}
	postingCols = []string{"token", "entry_id", "fields", "attrs", "department_id", "updated_at", "name_len"}
	itemKeyCols = []string{"subject_kind", "item_key", "entry_id", "item_name"}
)

// nextCodes returns the resource codes of entries of the classification
// codes classes, in order, as nextCode would give them one at a time: one
// step of each classification code's sequence by its number of entries.
func nextCodes(ctx context.Context, tx *sqldb.Tx, classes []string) ([]string, error) {
	counts := map[string]int64{}
	for _, class := range classes {
		counts[class]++
	}
	next := map[string]int64{}
	for _, class := range slices.Sorted(maps.Keys(counts)) {
		last, ok := deferredSeq(tx, class)
		if ok {
			last += counts[class]
		} else {
			err := tx.QueryRowContext(ctx, `INSERT INTO catalog_code_sequences (class_code, last) VALUES ($1, $2)
				ON CONFLICT (class_code) DO UPDATE SET last = catalog_code_sequences.last + excluded.last RETURNING last`,
				class, counts[class]).Scan(&last)
			if err != nil {
				return nil, fmt.Errorf("next resource codes: %w", err)
			}
		}
		if last > maxSeq {
			return nil, errSequenceExhausted(class)
		}
		deferSeq(tx, class, last)
		next[class] = last - counts[class] + 1
	}
	codes := make([]string, len(classes))
	for i, class := range classes {
		codes[i] = fmt.Sprintf("%s/%0*d", class, seqDigits, next[class])
		next[class]++
	}
	return codes, nil
}

// nextEntryIDs returns the ids that n entries inserted one at a time would
// get: on SQLite those after the largest (the rowid rule; the transaction
// holds the write lock), on PostgreSQL the next values of the identity
// sequence.
func nextEntryIDs(ctx context.Context, tx *sqldb.Tx, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if tx.Dialect == sqldb.SQLite {
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM catalog_entries`).Scan(&last); err != nil {
			return nil, fmt.Errorf("next entry ids: %w", err)
		}
		for i := range n {
			ids = append(ids, last+1+int64(i))
		}
		return ids, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('catalog_entries', 'id'))
		FROM generate_series(1, $1)`, n)
	if err != nil {
		return nil, fmt.Errorf("next entry ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("next entry ids: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("next entry ids: %w", err)
	}
	slices.Sort(ids)
	return ids, nil
}

// insertRows writes the rows of vals, len(cols) values each, into table:
// with COPY on PostgreSQL when raw reaches the driver connection under tx,
// otherwise in multi-row INSERTs of as many rows as the engine binds
// parameters, the statement of that size prepared once.
func insertRows(ctx context.Context, tx *sqldb.Tx, raw func(func(any) error) error, table string, cols []string, vals []any) error {
	nc := len(cols)
	if len(vals) == 0 {
		return nil
	}
	if tx.Dialect == sqldb.Postgres && raw != nil {
		return raw(func(dc any) error {
			_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, cols,
				pgx.CopyFromSlice(len(vals)/nc, func(i int) ([]any, error) { return vals[i*nc : i*nc+nc], nil }))
			return err
		})
	}
	maxParams := 65535
	if tx.Dialect == sqldb.SQLite {
		maxParams = 32766
	}
	per := maxParams / nc
	prefix := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for len(vals) > 0 {
		n := min(per, len(vals)/nc)
		var err error
		switch {
		case n < per:
			_, err = tx.ExecContext(ctx, tx.Dialect.Values(prefix, nc, n), vals[:n*nc]...)
		case full == nil:
			if full, err = tx.PrepareContext(ctx, tx.Dialect.Values(prefix, nc, n)); err != nil {
				return err
			}
			fallthrough
		default:
			_, err = full.ExecContext(ctx, vals[:n*nc]...)
		}
		if err != nil {
			return err
		}
		vals = vals[n*nc:]
	}
	return nil
}
