package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

const importRecordsUsage = `Usage: hutong import records -entry CODE -file F.jsonl|F.csv [flags]

Pushes the operations of a file to a published catalog entry, on behalf of
the entry's provider department, as one batch: every line is validated and
checked against the records; when any line is rejected, every rejected line
is listed with its number and reason and nothing is applied. Lines accepted
with a warning (a company's credit code whose check character is wrong, as
real early codes' is) are listed too, marked （注意）. The file is streamed,
so its size is not limited by memory.

The format is told by the file's extension: .csv is CSV, .jsonl, .ndjson
or .json JSON Lines; an Excel workbook (.xlsx, .xls) is refused (save it as
CSV), as is any other extension.

JSON Lines: one object per line,
  {"op":"add","subject_id":"…","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张三"},"key":"…"}
CSV: a header op,subject_id,produced_at[,key] followed by data item names;
  produced_at, and data items of type T (date-time), as in JSON Lines or as
  Excel saves a date-time (2026/3/2 9:00, 2026/03/02 09:00:00), in Beijing
  time.

An operation is late (迟报) when it arrives after the deadline of its
entry's timeliness rule (时效规则, docs/records-push.md), not of its update
frequency: real time (实时, before the next working day after it was
produced), within 2 working days (产生后2个工作日内), or, as an exception the
operator approved, quarterly (by the 10th of the next quarter's first
month). The rule is the one the operator set for the entry, else the one its
catalog's 时效要求 states, else real time for licences and documents and 2
working days for other data; GET /api/v1/records/entries/{id}/rule shows
it. Working days are counted with the platform calendar: the built-in one
and the rules of -calendar FILE (env HUTONG_CALENDAR, or --calendar FILE
before the command), the file serve runs with, so that a batch imported is
judged as one pushed.

Flags:
`

// recordsFormat returns the reader of a file of operations by its
// extension: .csv is CSV, .jsonl, .ndjson and .json are JSON Lines. A
// workbook (.xlsx, .xls) and any other extension are refused, where the
// file was read as JSON Lines, an error on every line.
func recordsFormat(file string) (func(io.Reader) records.Source, error) {
	switch ext := strings.ToLower(filepath.Ext(file)); ext {
	case ".csv":
		return records.CSV, nil
	case ".jsonl", ".ndjson", ".json":
		return records.JSONLines, nil
	case ".xlsx", ".xls", ".xlsm", ".et":
		return nil, fmt.Errorf("文件 %s 是 Excel 工作簿（%s），不能直接导入：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”（扩展名 .csv）后导入（请检查 -file）", file, ext)
	default:
		return nil, fmt.Errorf("无法根据扩展名判断文件 %s 的格式：CSV 文件的扩展名应为 .csv，JSON Lines 文件的扩展名应为 .jsonl（或 .ndjson、.json），请改名后重新导入（请检查 -file）", file)
	}
}

// importAs tells the importer of a file whose body is not the format its
// extension names how to import it again (BatchResult.Advise):
// recordsFormat takes the format from the extension.
var importAs = map[string]string{
	"json_is_csv":      "CSV 文件请使用扩展名 .csv 导入（请检查 -file）",
	"csv_is_json":      "JSON Lines 文件请使用扩展名 .jsonl 导入（请检查 -file）",
	"json_spreadsheet": "再导入另存的 .csv 文件（请检查 -file）",
	"csv_spreadsheet":  "再导入另存的 .csv 文件（请检查 -file）",
}

func importRecords(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import records", importRecordsUsage)
	dsn := dbFlag(fs, e)
	code := fs.String("entry", "", "resource code (or id) of the catalog entry")
	file := fs.String("file", "", "file of operations: .jsonl / .ndjson / .json (JSON Lines) or .csv")
	key := fs.String("key", "", "idempotency key of the batch (the same file imported again with the key does nothing; another file with it is refused)")
	var calFile string
	calendarFlag(fs, e, &calFile)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := required(fs, "entry", "file"); err != nil {
		return err
	}
	cal, err := loadCalendar(calFile)
	if err != nil {
		return err
	}
	read, err := recordsFormat(*file)
	if err != nil {
		return err
	}
	if err := requireDB(*dsn); err != nil {
		return err
	}
	f, err := openInput(*file, "-file")
	if err != nil {
		return err
	}
	defer f.Close()
	digest, err := records.FileDigest(f)
	if err != nil {
		return inputError(*file, "-file", err)
	}
	db, err := openDB(ctx, e, *dsn, sqldb.Options{Durable: true}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	entry, err := findEntry(ctx, db, *code)
	if err != nil {
		return err
	}
	start := time.Now()
	last := start
	out, flush := progressWriter(e.Stderr)
	defer flush()
	progress := func(lines int) {
		if now := time.Now(); now.Sub(last) >= time.Second {
			last = now
			fmt.Fprintf(out, "\r已检查 %d 行（%.0f 行/秒）…", lines, float64(lines)/now.Sub(start).Seconds())
		}
	}
	by := records.Pusher{Actor: cliActor(e), DepartmentID: entry.DepartmentID}
	// The batch is received now (its received_at); its records.batch
	// audit row is dated when it is written, once the file was read
	// whole, by the clock read then (audit.WithClock), as the API's is.
	received := server.Clock()
	ctx = audit.WithClock(ctx, received, server.Clock)
	res, err := records.IngestFile(ctx, db, by, entry.ID, f, read, received, records.Options{BatchKey: *key, KeyFlag: "-key", Digest: digest, Progress: progress,
		Calendar: cal})
	if last != start {
		fmt.Fprintln(out)
	}
	if err != nil {
		// A batch is applied in one transaction: stopped by Ctrl-C, it
		// imported nothing.
		return canceledAs(ctx, err, "导入已取消：整批在一个事务中，未导入任何数据")
	}
	res.Advise(importAs)
	took := time.Since(start)
	printLines(e.Stdout, "（注意）", res.Warnings)
	if res.WarningCount > len(res.Warnings) {
		fmt.Fprintf(e.Stdout, "……另有 %d 条注意事项\n", res.WarningCount-len(res.Warnings))
	}
	if res.RejectedCount > 0 {
		printLines(e.Stdout, "", res.Rejected)
		if res.RejectedCount > len(res.Rejected) {
			fmt.Fprintf(e.Stdout, "……另有 %d 处错误\n", res.RejectedCount-len(res.Rejected))
		}
		// RejectedCount counts errors, RejectedLines the lines holding
		// them: a CSV header has one per bad column, a line one per bad
		// field.
		fmt.Fprintf(e.Stdout, "共 %d 行，其中 %d 行有错误，发现 %d 处错误，整批未导入任何数据\n", res.Lines, res.RejectedLines, res.RejectedCount)
		return errReported
	}
	if res.Replayed {
		fmt.Fprintf(e.Stdout, "批次 %d（幂等键“%s”）此前已导入（%d 条操作），本次未重复导入\n", res.BatchID, *key, res.Applied)
		return nil
	}
	fmt.Fprintln(e.Stdout, batchSummary(res, took))
	return nil
}

// printLines prints the lines a batch rejected, or those it accepted with
// a warning (tag （注意）), one a line: "第 3 行：reason（field）".
func printLines(w io.Writer, tag string, ls []records.LineError) {
	for _, le := range ls {
		fmt.Fprintf(w, "第 %d 行%s：%s", le.Line, tag, le.Reason)
		if le.Field != "" {
			fmt.Fprintf(w, "（%s）", le.Field)
		}
		fmt.Fprintln(w)
	}
}

// batchSummary is the line that reports an applied batch. Its sequence
// numbers are those of the versions it added: a batch that added none
// (only duplicates, or changes to the values their records held, 未变化)
// has none, rather than "变更序号 0-0".
func batchSummary(res records.BatchResult, took time.Duration) string {
	seq := "无新版本"
	if res.Applied > 0 {
		seq = "变更序号 " + seqRange(res.FirstSeq, res.LastSeq)
	}
	warned := ""
	if res.WarningCount > 0 {
		warned = fmt.Sprintf("，注意事项 %d 条（见上）", res.WarningCount)
	}
	return fmt.Sprintf("批次 %d：已导入 %d 条操作，未变化 %d 条，跳过重复 %d 条，迟报 %d 条%s，%s，用时 %s（%.0f 条/秒）",
		res.BatchID, res.Applied, res.Unchanged, res.Duplicates, res.Late, warned, seq, took.Round(time.Millisecond),
		float64(res.Lines)/took.Seconds())
}

// seqRange prints the sequence numbers first to last: one number when
// they are the same.
func seqRange(first, last int64) string {
	if first == last {
		return strconv.FormatInt(first, 10)
	}
	return fmt.Sprintf("%d-%d", first, last)
}

// lastPush is the 最近推送 column of records stale, as the console's
// records page shows it: when the entry last received data; for one that
// never did, 尚未推送 and the first publication it is judged from; for a
// last receipt after now (stamped by a clock that was ahead, the entry
// judged stale as of now), that time marked as later than now.
func lastPush(x records.StaleEntry, now time.Time) string {
	switch {
	case x.LastReceivedAt == nil:
		return "尚未推送（首次发布于 " + beijingTime(x.Since) + "）"
	case x.LastReceivedAt.After(now):
		return beijingTime(*x.LastReceivedAt) + "（晚于当前时间，时钟可能曾超前）"
	}
	return beijingTime(*x.LastReceivedAt)
}

// entryID resolves a catalog entry given by resource code or id. An id
// that no entry has is refused as an unknown code is (数据资源 99999 不存在),
// rather than filtering lists down to nothing.
func entryID(ctx context.Context, db *sqldb.DB, ref string) (int64, error) {
	id, err := records.EntryByCode(ctx, db.Read(), ref)
	if err == nil {
		return id, nil
	}
	n, perr := strconv.ParseInt(ref, 10, 64)
	if perr != nil {
		return 0, err
	}
	if _, gerr := catalog.Get(ctx, db.Read(), catalog.Actor{Operator: true}, n); gerr != nil {
		if errs.Is(gerr, errs.NotFound) {
			return 0, err
		}
		return 0, gerr
	}
	return n, nil
}

// findEntry loads the published catalog entry given by resource code or id.
func findEntry(ctx context.Context, db *sqldb.DB, ref string) (*records.Entry, error) {
	id, err := entryID(ctx, db, ref)
	if err != nil {
		return nil, err
	}
	return records.LoadEntry(ctx, db.Read(), id)
}

const recordsUsage = `Usage: hutong records VERB [flags]

Verbs:
  batches      list applied batches, newest first: who pushed how many operations
               into which entry, and when [-entry CODE] [-department D] [-limit N]
               [-before N: the batches older than batch N, the next page]
  crosscheck   compare every pair of entries of different departments that carry
               the same facts (多源校核), subject by subject; report new differences
               [-calendar FILE]
  stale        list published entries that received nothing for longer than their
               update frequency allows [-entry CODE] [-department D] [-calendar FILE]
  quality      print quality scores per entry [-entry CODE] [-department D], or per
               department with -by department [-department D] [-calendar FILE], as
               percentages as the console shows them: one below 100% or above 0%
               that would round to it is shown to one decimal (99.5%, 0.1%), never
               as 100% or 0%

crosscheck (the deadline of a correction), stale and quality (lateness and
staleness) count working days with the platform calendar: the built-in one
and the rules of -calendar FILE (env HUTONG_CALENDAR, or --calendar FILE
before the command), the file serve runs with, so that they judge as the
server does; batches reads none.

A flag only other verbs read is refused (records stale -limit 5).
`

// recordsFlagVerbs are the verbs of records that read each flag but -db;
// recordsUsage names each flag under its verbs.
var recordsFlagVerbs = map[string][]string{"by": {"quality"}, "entry": {"batches", "stale", "quality"},
	"department": {"batches", "stale", "quality"}, "limit": {"batches"}, "before": {"batches"},
	"calendar": {"crosscheck", "stale", "quality"}}

func cmdRecords(ctx context.Context, e *env, args []string) error {
	verb, rest, fs, err := verbFlags(e, "records", args, recordsUsage)
	if err != nil {
		return err
	}
	dsn := dbFlag(fs, e)
	by := fs.String("by", "entry", "quality: entry or department")
	entryRef := fs.String("entry", "", "batches, stale, quality: only this catalog entry, by resource code or id")
	dept := fs.String("department", "", "batches, stale, quality: only this department's entries, by id, credit code, name or short name")
	limit := fs.Int("limit", 20, "batches: how many to list (at most 1000)")
	before := fs.Int64("before", 0, "batches: list batches older than this batch id (the next page)")
	var calFile string
	calendarFlag(fs, e, &calFile)
	if err := parse(e, fs, rest); err != nil {
		return err
	}
	if err = onlyFor(fs, verb, recordsFlagVerbs); err != nil {
		return err
	}
	if !slices.Contains(recordsFlagVerbs["calendar"], verb) {
		// batches counts no working days: it ignores HUTONG_CALENDAR
		// (and --calendar before the command) as a command ignores the
		// globals it does not read, rather than fail on its file.
		calFile = ""
	}
	cal, err := loadCalendar(calFile)
	if err != nil {
		return err
	}
	if *before < 0 {
		return errors.New("-before 应为批次号（上一页末尾“更早的批次：加 -before N”中的 N）")
	}
	if *by != "entry" && *by != "department" {
		return fmt.Errorf("-by “%s”：应为 entry 或 department", *by)
	}
	if *by == "department" && *entryRef != "" {
		return errors.New("-entry 只用于 -by entry：按部门统计时请用 -department")
	}
	if err := requireDB(*dsn); err != nil {
		return err
	}
	db, err := openDB(ctx, e, *dsn, sqldb.Options{Durable: true}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	now := server.Clock()
	tw := newTable(e.Stdout)
	defer tw.Flush()
	switch verb {
	case "batches":
		return printBatches(ctx, e, db, *entryRef, *dept, *limit, *before)
	case "crosscheck":
		start := time.Now()
		res, err := records.Sweep(ctx, db, cal, cliActor(e), now)
		if err != nil {
			return canceledAs(ctx, err, sweepCanceled(res))
		}
		fmt.Fprintf(e.Stdout, "比对 %d 对数据资源、%d 个数据主体，新发现差异 %d 处，已消除 %d 处，因不再比对关闭 %d 处，用时 %s\n",
			res.Pairs, res.Compared, res.Found, res.Resolved, res.Closed, time.Since(start).Round(time.Millisecond))
	case "stale":
		deptID, err := departmentFilter(ctx, db, *dept)
		if err != nil {
			return err
		}
		var s []records.StaleEntry
		if *entryRef != "" {
			id, err := entryID(ctx, db, *entryRef)
			if err != nil {
				return err
			}
			s, err = records.StaleOf(ctx, db.Read(), cal, []int64{id}, now)
			if err != nil {
				return err
			}
			s = slices.DeleteFunc(s, func(x records.StaleEntry) bool { return deptID != 0 && x.DepartmentID != deptID })
		} else if s, err = records.Stale(ctx, db.Read(), cal, deptID, now); err != nil {
			return err
		}
		names, err := org.DepartmentNames(ctx, db.Read())
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, "ID\t资源代码\t资源名称\t部门\t更新周期\t最近推送"+beijingLabel)
		for _, x := range s {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", x.EntryID, x.Code, x.Name, names[x.DepartmentID],
				frequencyLabel(x.UpdateFrequency, x.FrequencyOther), lastPush(x, now))
		}
		fmt.Fprintf(tw, "%d 个数据资源停更\n", len(s))
	case "quality":
		deptID, err := departmentFilter(ctx, db, *dept)
		if err != nil {
			return err
		}
		var qs []records.Quality
		if *by == "department" {
			qs, err = records.DepartmentQuality(ctx, db.Read(), cal, deptID, now)
		} else {
			var id int64
			if *entryRef != "" {
				if id, err = entryID(ctx, db, *entryRef); err != nil {
					return err
				}
			}
			qs, err = records.EntryQuality(ctx, db.Read(), cal, id, deptID, now)
		}
		if err != nil {
			return err
		}
		names, err := org.DepartmentNames(ctx, db.Read())
		if err != nil {
			return err
		}
		if *by == "department" {
			fmt.Fprintln(tw, "部门ID\t部门名称\t已发布\t已推送\t记录数\t推送操作\t迟报\t待处理差异\t待更正\t完整性\t有效性\t及时性\t新鲜度\t一致性\t覆盖率")
		} else {
			fmt.Fprintln(tw, "资源代码\t资源名称\t部门\t记录数\t推送操作\t迟报\t待处理差异\t待更正\t完整性\t有效性\t及时性\t新鲜度\t一致性")
		}
		for _, q := range qs {
			dept := names[q.DepartmentID]
			if *by == "department" {
				fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t", q.DepartmentID, dept, q.PublishedEntries, q.PublishedEntries-q.EntriesWithoutData)
			} else {
				fmt.Fprintf(tw, "%s\t%s\t%s\t", q.EntryCode, q.EntryName, dept)
			}
			fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s", q.LiveRecords, q.Ops, q.LateOps,
				q.OpenDiscrepancies, q.AwaitingCorrection, scorePercent(q.Completeness), scorePercent(q.Validity),
				scorePercent(q.Timeliness), freshness(q), scorePercent(q.Consistency))
			if *by == "department" {
				fmt.Fprintf(tw, "\t%s", scorePercent(q.Coverage))
			}
			fmt.Fprintln(tw)
		}
	}
	return nil
}

// frequencyLabel is an update frequency as the stale list shows it: 其他
// with its 具体更新周期, by which it was judged.
func frequencyLabel(frequency, other string) string {
	l := catalog.Frequency(frequency).Label()
	if frequency == string(catalog.FrequencyOther) && other != "" {
		l += "（" + other + "）"
	}
	return l
}

// freshness is the freshness score, or 不适用 when no entry's staleness is
// judged (every update frequency is 其他 with a text that states no period,
// such as 不定期): 100% would say they are all fresh.
func freshness(q records.Quality) string {
	if q.ScheduledEntries == 0 {
		return "不适用"
	}
	return scorePercent(q.Freshness)
}

// scorePercent is a quality score as records.Percent, the console's
// percentage, gives it: 99.5%, never 100% for a score below 1.
func scorePercent(f float64) string {
	return strconv.FormatFloat(records.Percent(f), 'f', -1, 64) + "%"
}

// printBatches lists applied batches newest first, at most limit of them
// before the batch before (0 for the newest), read listPageSize at a time,
// with a hint for the next page when older batches follow (not when the
// last page is exactly full).
func printBatches(ctx context.Context, e *env, db *sqldb.DB, entryRef, dept string, limit int, before int64) error {
	if limit < 1 || limit > 1000 {
		return errors.New("-limit 应在 1 到 1000 之间")
	}
	var f records.BatchFilter
	var err error
	if entryRef != "" {
		if f.EntryID, err = entryID(ctx, db, entryRef); err != nil {
			return err
		}
	}
	if f.DepartmentID, err = departmentFilter(ctx, db, dept); err != nil {
		return err
	}
	depts, err := org.DepartmentNames(ctx, db.Read())
	if err != nil {
		return err
	}
	var n int
	var last int64 // the oldest batch printed
	var older bool // batches older than the last printed exist
	pushers := map[string]string{}
	err = printTable(e, "批次\t接收时间"+beijingLabel+"\t数据资源\t数源部门\t推送方\t已导入\t未变化\t重复\t迟报\t变更序号", "没有批次", func(tw io.Writer) error {
		return eachPage(func(after int64, size int) ([]records.BatchInfo, int64, error) {
			f.BeforeID, f.Limit = cmp.Or(after, before), min(size, limit-n)
			bs, next, err := records.Batches(ctx, db.Read(), f)
			if err == nil {
				err = namePushers(ctx, db.Read(), bs, pushers)
			}
			if err != nil || n+len(bs) == limit {
				// The store tells with the cursor whether older batches
				// follow the last one listed.
				older = err == nil && next != 0
				return bs, 0, err
			}
			return bs, next, nil
		}, func(b records.BatchInfo) {
			seq := "-"
			if b.Applied > 0 {
				seq = seqRange(b.FirstSeq, b.LastSeq)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n", b.BatchID,
				beijingTime(b.ReceivedAt), b.EntryCode, depts[b.DepartmentID], pusherCell(b.Actor, pushers),
				b.Applied, b.Unchanged, b.Duplicates, b.Late, seq)
			n, last = n+1, b.BatchID
		})
	})
	if err != nil {
		return err
	}
	if older {
		fmt.Fprintf(e.Stdout, "更早的批次：加 -before %d\n", last)
	}
	return nil
}

// namePushers adds to names the names of the pushers of bs
// (org.ActorNames: an app's, an account's, the demo data's).
func namePushers(ctx context.Context, q sqldb.Querier, bs []records.BatchInfo, names map[string]string) error {
	actors := make([]string, len(bs))
	for i, b := range bs {
		actors[i] = b.Actor
	}
	found, err := org.ActorNames(ctx, q, actors)
	maps.Copy(names, found)
	return err
}

// pusherCell is a batch's pusher (kind:id) as the audit log's actor
// column shows an actor (actorCell): the label of its kind, then its name
// (系统 演示数据, 应用 人口信息推送系统, 系统 命令行导入), or its id when it has
// none.
func pusherCell(actor string, names map[string]string) string {
	kind, id, _ := strings.Cut(actor, ":")
	return actorCell(audit.Actor{Kind: kind, Name: cmp.Or(names[actor], id)})
}

// sweepCanceled says what a cross-check stopped by Ctrl-C kept: it commits
// page by page, each page with its audit row, so the differences it found,
// resolved and closed before stay recorded and audited; the summary row of
// a complete run is not written; run again, it compares every pair from
// the start.
func sweepCanceled(res records.SweepResult) string {
	if res.Pairs == 0 {
		return "多源校核已取消：尚未比对任何数据资源"
	}
	closed := ""
	if res.Closed > 0 {
		closed = fmt.Sprintf("、因不再比对关闭 %d 处", res.Closed)
	}
	return fmt.Sprintf("多源校核已取消：已比对 %d 对数据资源中的 %d 个数据主体，新发现差异 %d 处、消除 %d 处%s，"+
		"均已保存并记入审计日志（未写本次比对的汇总记录）；再次运行 hutong records crosscheck 会从头比对",
		res.Pairs, res.Compared, res.Found, res.Resolved, closed)
}
