package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// transferKind is one kind of data that hutong import / export move.
type transferKind struct {
	run     func(ctx context.Context, e *env, args []string) error
	summary string
}

// importKinds and exportKinds are the kinds of hutong import and hutong
// export. Another kind (records) is one line here.
var importKinds = map[string]transferKind{
	"catalog": {importCatalog, "catalog entries from XLSX, CSV or JSON Lines (drafts of one department)"},
	"records": {importRecords, "operations (add / change / cancel) for a published entry from JSON Lines or CSV, as one atomic batch"},
}

var exportKinds = map[string]transferKind{
	"catalog": {exportCatalog, "catalog entries as XLSX (sheets 目录 and 信息项), CSV or JSON Lines"},
}

func cmdImport(ctx context.Context, e *env, args []string) error {
	return transfer(ctx, e, "import", importKinds, args)
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	return transfer(ctx, e, "export", exportKinds, args)
}

func transfer(ctx context.Context, e *env, verb string, kinds map[string]transferKind, args []string) error {
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: hutong %s KIND [flags]\n\nKinds:\n", verb)
	for _, n := range names {
		fmt.Fprintf(&b, "  %-9s %s\n", n, kinds[n].summary)
	}
	fmt.Fprintf(&b, "\nRun 'hutong %s KIND -h' for its flags.\n", verb)
	kind, rest, err := subcommand(e, args, b.String())
	if err != nil {
		return err
	}
	k, ok := kinds[kind]
	if !ok {
		return fmt.Errorf("未知类型“%s”，可用的类型：%s（用法见 hutong %s -h）", kind, strings.Join(names, "、"), verb)
	}
	return k.run(ctx, e, rest)
}

const importCatalogUsage = `Usage: hutong import catalog -file F.xlsx|F.csv|F.jsonl -department D [flags]

Imports catalog entries as drafts of department D (id, credit code, name or short name):
the workbook of docs/catalog-workbook.md (sheets 目录 and 信息项), a CSV file
(UTF-8, UTF-8 with BOM or GB18030) or JSON Lines. Foreign files are read
through a column mapping: a saved one (-mapping), columns given with -map,
and known synonyms of header names. Values spelled in other ways are
normalised and every change is reported. All or nothing: when a row is bad,
every bad row is listed with its number and reason and nothing is imported,
unless -good-only.

The import creates and updates entries of department D only: a row whose
资源代码 is another department's entry is an error. Export D's own entries
(hutong export catalog -department D) to edit and import them back.

Flags:
`

// pairs is a repeatable KEY=VALUE flag.
type pairs map[string]string

func (p pairs) String() string { return "" }
func (p pairs) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return errors.New("应为 HEADER=FIELD 或 FIELD=VALUE")
	}
	p[strings.TrimSpace(k)] = strings.TrimSpace(v)
	return nil
}

func importCatalog(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import catalog", importCatalogUsage)
	dsn := dbFlag(fs, e)
	file := fs.String("file", "", "file to import (.xlsx, .csv, .jsonl)")
	format := fs.String("format", "", "xlsx, csv or jsonl (default: from the file name)")
	deptRef := fs.String("department", envOr(e, "HUTONG_DEPARTMENT", ""), "importing department: id, credit code, name or short name (env HUTONG_DEPARTMENT)")
	mappingName := fs.String("mapping", "", "use the department's saved column mapping `NAME`")
	saveMapping := fs.String("save-mapping", "", "save the columns as understood and the defaults as mapping `NAME` (also when rows are refused; not with -dry-run)")
	cols, defs := pairs{}, pairs{}
	fs.Var(cols, "map", "map a column: `HEADER=FIELD`, e.g. update_frequency=更新周期 (repeatable; FIELD empty ignores it)")
	fs.Var(defs, "default", "default for empty cells: `FIELD=VALUE`, e.g. 网络环境=政务外网 (repeatable)")
	goodOnly := fs.Bool("good-only", false, "import the rows without errors and list the others")
	submit := fs.Bool("submit", false, "submit the imported entries for review")
	dryRun := fs.Bool("dry-run", false, "check and report only; store nothing")
	anyProvider := fs.Bool("any-provider", false, "import rows whose 数源部门 is another or unknown department into -department anyway")
	verbose := fs.Bool("v", false, "list every normalised value by row")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := required(fs, "file", "department"); err != nil {
		return err
	}
	// -map and -default are checked as the API checks an inline mapping,
	// before the file is read or the department looked up.
	if err := (&catalogio.Mapping{Columns: cols}).Check(); err != nil {
		return mappingFlagError("-map", err)
	}
	if err := (&catalogio.Mapping{Defaults: defs}).Check(); err != nil {
		return mappingFlagError("-default", err)
	}
	in, err := openInput(*file, "-file")
	if err != nil {
		return err
	}
	defer in.Close()
	// Told as every surface of the import tells it (catalogio.Detect): by
	// -format, name and start. A pipe, which cannot be read at an offset,
	// gives no start: -format and the name tell.
	head := make([]byte, catalogio.SniffLen)
	n, _ := in.ReadAt(head, 0)
	f := catalogio.Detect(catalogio.Format(*format), *file, "", head[:n])
	if f == "" {
		return fmt.Errorf("无法判断 %s 的格式：请用 -format xlsx|csv|jsonl 指定", *file)
	}
	db, err := openDB(ctx, e, *dsn, sqldb.Options{Durable: true}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	dept, err := org.DepartmentByRef(ctx, db.Read(), *deptRef)
	if err != nil {
		return err
	}
	// The messages name the department by its label: its region too when
	// another department has its name.
	labels, err := org.DepartmentLabels(ctx, db.Read(), []int64{dept.ID})
	if err != nil {
		return err
	}
	dept.Name = labels[dept.ID]
	a := cliActor(e)
	a.DepartmentID = dept.ID
	by := catalog.Actor{Actor: a, Editor: true}

	m := &catalogio.Mapping{Columns: map[string]string{}, Defaults: map[string]string{}}
	if *mappingName != "" {
		saved, err := catalogio.MappingByName(ctx, db.Read(), dept.ID, *mappingName)
		if err != nil {
			return mappingNotFound(ctx, db, dept, err)
		}
		m = &saved
	}
	for k, v := range cols {
		m.Columns[k] = v
	}
	for k, v := range defs {
		m.Defaults[k] = v
	}
	if *mappingName != "" && (len(cols) > 0 || len(defs) > 0) {
		if err := m.Check(); err != nil {
			return mappingFlagError("-mapping", err)
		}
	}
	out, flush := progressWriter(e.Stderr)
	defer flush()
	// The file is read before the first progress line: say so there, not
	// after the last (the report's first line said it).
	readShown := false
	midLine := false // a progress line not ended, by a failure or Ctrl-C
	progress := func(done, total int) {
		midLine = done != total
		if !readShown && !*asJSON {
			readShown = true
			fmt.Fprintf(e.Stdout, "读取 %d 个数据资源（%s）\n", total, f)
		}
		fmt.Fprintf(out, "\r导入 %d/%d 行", done, total)
		if done == total {
			fmt.Fprintln(out)
		}
	}
	start := time.Now()
	rep, ierr := catalogio.Import(ctx, db, by, in, f, catalogio.Options{DepartmentID: dept.ID, Mapping: m,
		GoodOnly: *goodOnly, Submit: *submit, DryRun: *dryRun, AnyProvider: *anyProvider, Progress: progress, Now: server.Clock()})
	if midLine {
		fmt.Fprintln(out)
	}
	if ierr != nil && !catalogio.Rejected(ierr) {
		// The rows are stored in one transaction, and a mapping to save
		// is saved after them.
		return canceledAs(ctx, ierr, "导入已取消：所有行在一个事务中，未导入任何数据资源")
	}
	// The mapping is saved before the report is printed: a report that
	// cannot be (a full disk) leaves the work done all the same, and the
	// command says so (outputLost).
	var saved catalogio.Mapping
	var saveErr error
	if *saveMapping != "" && !*dryRun {
		saved = catalogio.MappingFrom(*saveMapping, rep.Columns, m.Defaults)
		saveErr = db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			_, err = catalogio.SaveMapping(ctx, tx, by, saved, server.Clock())
			return err
		})
	}
	if *asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		// A refused file's report failing is said as its failure
		// (errReported, below), not as the import's success.
		if err := enc.Encode(rep); err != nil && ierr == nil {
			return err
		}
	} else {
		printReport(e.Stdout, rep, dept, *verbose, readShown, time.Since(start))
	}
	switch {
	case *saveMapping != "" && *dryRun:
		// A dry run stores nothing, as its report says: not the mapping
		// either.
		fmt.Fprintf(e.Stdout, "未保存列映射“%s”：-dry-run 不保存任何数据，去掉 -dry-run 导入时才保存\n", *saveMapping)
	case saveErr != nil:
		return fmt.Errorf("保存列映射：%w", saveErr)
	case *saveMapping != "":
		// The mapping of a refused file is saved all the same: it says how
		// the columns are read, and the corrected file is imported with it.
		note := ""
		if ierr != nil {
			note = fmt.Sprintf("，但数据未导入：修正文件后可用 -mapping %s 再导入", shellQuote(saved.Name))
		}
		fmt.Fprintf(e.Stdout, "已保存列映射“%s”（%d 列，%d 个默认值）%s\n", saved.Name, len(saved.Columns), len(saved.Defaults), note)
	}
	if ierr != nil {
		return errReported
	}
	return nil
}

// mappingNotFound adds to a mapping_not_found error the mappings the
// department has and how to make one for it: a mapping is saved per
// department, and there is no copying one of another department's.
func mappingNotFound(ctx context.Context, db *sqldb.DB, dept org.Department, err error) error {
	e := errs.As(err)
	if e == nil || e.Code != "mapping_not_found" {
		return err
	}
	ms, _, lerr := catalogio.FindMappings(ctx, db.Read(), catalogio.MappingFilter{DepartmentID: dept.ID})
	if lerr != nil {
		return err
	}
	have := dept.Name + "还没有保存列映射"
	if len(ms) > 0 {
		names := make([]string, len(ms))
		for i, m := range ms {
			names[i] = m.Name
		}
		have = dept.Name + "的列映射有：" + strings.Join(names, "、")
	}
	return &errs.Error{Kind: e.Kind, Code: e.Code, Field: "-mapping", Err: e.Err, Message: e.Message + "。" + have +
		"。要为本部门建一个，导入时用 -map 和 -default 给出各列和默认值，并加 -save-mapping 名称（docs/catalog-workbook.md“Real data”有开放平台目录的映射）"}
}

// mappingFlagError is a mapping's refusal (errs, field columns or defaults)
// told as one of the flag that gave the mapping.
func mappingFlagError(flag string, err error) error {
	e := errs.As(err)
	if e == nil {
		return err
	}
	return &errs.Error{Kind: e.Kind, Code: e.Code, Field: flag, Message: e.Message, Err: e.Err}
}

// shownSkipped is how many rows skipped the import's summary lists
// without -v.
const shownSkipped = 10

var sourceLabels = map[string]string{"layout": "标准列", "mapping": "映射", "synonym": "同义词", "ignored": "忽略"}

// printReport prints the report of an import; readShown says that the
// line of the rows read was printed before the progress.
func printReport(w io.Writer, rep *catalogio.Report, dept org.Department, verbose, readShown bool, took time.Duration) {
	if readShown {
		fmt.Fprintf(w, "共 %d 个信息项\n", rep.ItemRows)
	} else {
		fmt.Fprintf(w, "读取 %d 个数据资源、%d 个信息项（%s）\n", rep.Rows, rep.ItemRows, rep.Format)
	}
	fmt.Fprintln(w, "\n列：")
	for _, c := range rep.Columns {
		sheet := ""
		if c.Sheet != "" {
			sheet = c.Sheet + " "
		}
		target := "—"
		if c.Field != "" {
			target = headerLabel(c.Field)
		}
		fmt.Fprintf(w, "  %s%s → %s（%s）\n", sheet, padRight(c.Header, 20), target, sourceLabels[c.Source])
	}
	if len(rep.Changes) > 0 {
		fmt.Fprintf(w, "\n规范化 %d 处：\n", len(rep.Changes))
		type key struct{ col, from, to, reason string }
		counts := map[key]int{}
		var order []key
		for _, c := range rep.Changes {
			k := key{c.Column, c.From, c.To, c.Reason}
			if counts[k] == 0 {
				order = append(order, k)
			}
			counts[k]++
		}
		sort.SliceStable(order, func(i, j int) bool { return counts[order[i]] > counts[order[j]] })
		for _, k := range order {
			fmt.Fprintf(w, "  %s：%s → %s（%s）%d 行\n", k.col, quoteEmpty(k.from), quoteEmpty(k.to), k.reason, counts[k])
		}
		if verbose {
			for _, c := range rep.Changes {
				fmt.Fprintf(w, "  %s 第 %d 行 %s：%s → %s\n", c.Sheet, c.Row, c.Column, quoteEmpty(c.From), quoteEmpty(c.To))
			}
		}
	}
	var unknown []string
	for _, p := range rep.Providers {
		if p.Match == "unknown" || p.Match == "ambiguous" {
			unknown = append(unknown, fmt.Sprintf("%s（%d 行）", p.Value, p.Rows))
		}
	}
	if len(rep.Providers) > 0 {
		fmt.Fprintf(w, "\n数源部门 %d 个，其中未匹配到平台部门 %d 个", len(rep.Providers), len(unknown))
		if len(unknown) > 0 {
			fmt.Fprintf(w, "：%s", strings.Join(unknown, "、"))
		}
		fmt.Fprintln(w)
	}
	if rep.SkippedCount > 0 {
		// The first few rows (-v: those the report lists), not each of
		// a 资源代码 filled down over 200,000 rows.
		listed := rep.SkippedRows
		if !verbose {
			listed = listed[:min(len(listed), shownSkipped)]
		}
		fmt.Fprintf(w, "\n跳过 %d 行（没有可导入的内容）：\n", rep.SkippedCount)
		for _, k := range listed {
			fmt.Fprintf(w, "  %s 第 %d 行：%s\n", k.Sheet, k.Row, k.Message)
		}
		if more := rep.SkippedCount - len(listed); more > 0 {
			fmt.Fprintf(w, "  另有 %d 行同样跳过，未逐行列出", more)
			if !verbose && len(rep.SkippedRows) > len(listed) {
				fmt.Fprintf(w, "（-v 列出前 %d 行）", len(rep.SkippedRows))
			}
			fmt.Fprintln(w)
		}
	}
	if !rep.OK() {
		fmt.Fprintf(w, "\n需要修正：%d 个数据资源", rep.RowsWithErrors)
		if rep.UnattachedItems > 0 {
			fmt.Fprintf(w, "、%d 个不知所属的信息项", rep.UnattachedItems)
		}
		fmt.Fprintf(w, "，共 %d 处问题\n", rep.Problems())
		// A column missing or empty in every row is one line, not one
		// per row, before the rows' own problems; its message names it.
		for _, e := range rep.ColumnErrors {
			fmt.Fprintf(w, "  整列：%s\n", e)
		}
		for _, e := range rep.Errors {
			fmt.Fprintf(w, "  %s\n", e)
		}
		if n := rep.ErrorCounts["code_of_other_department"]; n > 0 {
			fmt.Fprintf(w, "文件中有 %d 个其他部门的数据资源：导入只更新本部门的目录。请用 hutong export catalog -department %d 只导出本部门的目录，其导入原样读回\n",
				n, dept.ID)
		}
	}
	fmt.Fprintln(w)
	switch {
	case rep.Imported:
		fmt.Fprintf(w, "已导入到%s：新建 %d 个，更新 %d 个，未变 %d 个", dept.Name, rep.Created, rep.Updated, rep.Unchanged)
		if rep.Submitted > 0 {
			fmt.Fprintf(w, "，已提交审核 %d 个", rep.Submitted)
		}
		fmt.Fprintf(w, "（%s）\n", took.Round(time.Millisecond))
	case rep.DryRun && (rep.OK() || rep.GoodOnly && rep.GoodOnlyPossible()):
		fmt.Fprintf(w, "试导入：将新建 %d 个，更新 %d 个，未变 %d 个；未保存任何数据\n", rep.Created, rep.Updated, rep.Unchanged)
	default:
		what := fmt.Sprintf("%d 个数据资源有错误", rep.RowsWithErrors)
		if rep.RowsWithErrors == 0 { // the file itself: no row was read
			what = fmt.Sprintf("文件有 %d 处问题", len(rep.Errors))
		}
		fmt.Fprintf(w, "未导入任何数据：%s", what)
		switch {
		case !rep.GoodOnly:
		case rep.Broken():
			fmt.Fprint(w, "；文件未能完整读取，-good-only 不能只导入无误的行")
		case len(rep.ColumnErrors) > 0:
			fmt.Fprint(w, "；整列的问题使各行都有错误，-good-only 不能只导入无误的行")
		case rep.UnattachedItems > 0:
			fmt.Fprintf(w, "；%d 个信息项不知属于哪个数据资源，-good-only 会使数据资源缺少它们，不能只导入无误的行", rep.UnattachedItems)
		}
		fmt.Fprint(w, "。修正后重新导入")
		if good := rep.Created + rep.Updated + rep.Unchanged; good > 0 && rep.GoodOnlyPossible() {
			fmt.Fprintf(w, "，或用 -good-only 只导入无误的 %d 个", good)
		}
		fmt.Fprintln(w)
	}
}

func headerLabel(key string) string {
	for _, f := range catalogio.Fields() {
		if f.Key == key {
			return f.Header
		}
	}
	return key
}

func quoteEmpty(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}

const exportCatalogUsage = `Usage: hutong export catalog -o F.xlsx|F.csv|F.jsonl [-department D] [-status published]
       [-q TEXT] [-domain C] [-share-type T] [-share-method M] [-update-frequency F] [-security-level N]
       [-open-attribute A] [-subject-kind K] [-review-due] [-sort relevance|name|updated] [-force]

-file F is -o F, as import catalog names its file.

Exports catalog entries: the workbook of docs/catalog-workbook.md (sheets 目录
and 信息项, controlled values as Chinese labels), a CSV file with one row per
data item (UTF-8 with BOM), or JSON Lines. One department's export
(-department D) imports back into it unchanged (hutong import catalog
-department D). An import updates only the importing department's entries,
so an export of several departments' entries is refused there for the
others' rows.

-q and the filters narrow the export as the catalog list's search does
(GET /api/v1/catalog/export takes the same parameters): the file holds the
rows the list shows, in its order (-sort; default by name). Coded filters
take the codes of GET /api/v1/catalog/vocabulary.

An existing file is replaced only with -force. The export is written to a
new file beside it and put in place when complete, so that a failed or
interrupted export leaves no half file and the old one as it was.

Flags:
`

func exportCatalog(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export catalog", exportCatalogUsage)
	dsn := dbFlag(fs, e)
	out := fs.String("o", "", "output file (.xlsx, .csv, .jsonl; - for standard output with -format)")
	file := fs.String("file", "", "output file, as -o (import catalog's flag for its file)")
	format := fs.String("format", "", "xlsx, csv or jsonl (default: from the file name)")
	deptRef := fs.String("department", "", "only this department's entries (id, credit code, name or short name)")
	status := fs.String("status", "", "only these statuses, comma-separated: draft, submitted, rejected, published, retired (default all but retired)")
	text := fs.String("q", "", "only the entries the catalog search finds by this text")
	domain := fs.String("domain", "", "only this domain (code)")
	shareType := fs.String("share-type", "", "only this share type: unconditional, conditional or none")
	shareMethod := fs.String("share-method", "", "only entries shared by this method (code)")
	frequency := fs.String("update-frequency", "", "only this update frequency (code)")
	level := fs.Int("security-level", 0, "only this security level, 1 to 4")
	openAttr := fs.String("open-attribute", "", "only this open attribute (code)")
	subject := fs.String("subject-kind", "", "only this subject kind (code)")
	reviewDue := fs.Bool("review-due", false, "only published entries due for their yearly review")
	order := fs.String("sort", "", "order: relevance, name or updated (default name)")
	force := fs.Bool("force", false, "replace the output file if it exists")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	// The list's filters, checked as the API checks them (catalogQuery).
	filter := catalog.Query{Text: *text, Domain: *domain, ShareType: catalog.ShareType(*shareType),
		ShareMethod: catalog.ShareMethod(*shareMethod), UpdateFrequency: catalog.Frequency(*frequency),
		SecurityLevel: *level, OpenAttribute: catalog.OpenAttribute(*openAttr), SubjectKind: catalog.SubjectKind(*subject),
		ReviewDue: *reviewDue, Sort: catalog.Sort(*order), Now: time.Now()}
	if name, c, bad := filter.UnknownFilter(); bad {
		return fmt.Errorf("-%s 的取值“%s”无效，可选值见 GET /api/v1/catalog/vocabulary", strings.ReplaceAll(name, "_", "-"), c)
	}
	if *level < 0 || *level > 4 || given(fs, "security-level") && *level == 0 {
		return errors.New("-security-level 应为1至4级")
	}
	switch {
	case *out != "" && *file != "" && *out != *file:
		return errors.New("-o 与 -file 都是输出文件，只能给出其中一个")
	case *out == "":
		out = file
	}
	if *out == "" {
		return errors.New("必须指定 -o（或 -file）")
	}
	f := catalogio.Format(*format)
	if f == "" {
		f = catalogio.FormatOf(*out)
	}
	if f == "" {
		return fmt.Errorf("无法判断 %s 的格式：请用 -format xlsx|csv|jsonl 指定", *out)
	}
	if *out != "-" {
		if err := checkOutputDir(*out); err != nil {
			return err
		}
		if _, err := os.Stat(*out); err == nil && !*force {
			return fmt.Errorf("%s 已存在：加 -force 可替换它，或另选 -o", absPath(*out))
		}
	}
	db, err := openDB(ctx, e, *dsn, sqldb.Options{Durable: true}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	opt := catalogio.ExportOptions{Filter: filter}
	if *deptRef != "" {
		d, err := org.DepartmentByRef(ctx, db.Read(), *deptRef)
		if err != nil {
			return err
		}
		opt.DepartmentID = d.ID
	}
	for _, s := range strings.Split(*status, ",") {
		if s = strings.TrimSpace(s); s != "" {
			opt.Statuses = append(opt.Statuses, catalog.Status(s))
		}
	}
	// The command has the database: it sees every department's entries.
	by := catalog.Actor{Actor: cliActor(e), Operator: true}
	if *out == "-" {
		n, err := catalogio.Export(ctx, db, by, e.Stdout, f, opt)
		if err == nil {
			fmt.Fprintf(e.Stderr, "已导出 %d 个数据资源\n", n)
		}
		return localTempSpace(err)
	}
	var n int
	err = writeFileAtomic(*out, *force, func(w io.Writer) (err error) {
		n, err = catalogio.Export(ctx, db, by, w, f, opt)
		return localTempSpace(err)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "已导出 %d 个数据资源到 %s\n", n, *out)
	return nil
}

// localTempSpace is err, an export's failure, with a full temporary
// directory said as what it is for the command: catalogio says it as the
// server's (errs.TempSpaceMessage: retry later, ask the operator), but the
// command spools the export to this machine's temporary directory, which
// its user can free or point elsewhere.
func localTempSpace(err error) error {
	e := errs.As(err)
	if e == nil || e.Code != "temp_space_full" {
		return err
	}
	env := "TMPDIR"
	if runtime.GOOS == "windows" {
		env = "TMP"
	}
	return errs.Wrap(errs.Unavailable, e.Code, "临时目录 "+os.TempDir()+" 所在磁盘（或配额）已满，无法暂存导出数据：请腾出空间，或将 "+env+" 指向有空间的目录后重试", e.Err)
}
