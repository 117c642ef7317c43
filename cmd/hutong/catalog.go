package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

const catalogUsage = `Usage: hutong catalog VERB [flags]

Verbs:
  check   list the published entries whose version in force breaks a rule of the
          catalog made since it was published (a 时效要求 beyond the timeliness
          rule, a generic name …), each with its department and the codes of the
          rules it breaks; their yearly review cannot confirm them unchanged
          until they are edited. Exits 0 whether or not it lists any.
  transfer -from A -to B [-entries ID,ID…]
          move department A's catalog entries to department B (机构改革; each
          an id, credit code, name or short name, as -department), every
          entry of A or those -entries names, all or none, as the operator's
          POST /api/v1/catalog/transfers does (docs/catalog-transfer.md); lists
          the entries moved. A refusal (an entry under review, B using a name…)
          moves nothing.
`

func cmdCatalog(ctx context.Context, e *env, args []string) error {
	verb, rest, fs, err := verbFlags(e, "catalog", args, catalogUsage)
	if err != nil {
		return err
	}
	dsn := dbFlag(fs, e)
	var t catalog.Transfer
	var from, to, entries string
	if verb == "transfer" {
		fs.StringVar(&from, "from", "", "the department whose entries move: id, credit code, name or short name")
		fs.StringVar(&to, "to", "", "the department that receives them: id, credit code, name or short name")
		fs.StringVar(&entries, "entries", "", "the ids of the entries to move, comma-separated (default every entry of -from)")
	}
	if err := parse(e, fs, rest); err != nil {
		return err
	}
	if verb == "transfer" {
		if err := required(fs, "from", "to"); err != nil {
			return err
		}
	}
	for _, v := range strings.Split(entries, ",") {
		if v = strings.TrimSpace(v); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				return fmt.Errorf("-entries：数据资源编号无效：%s", v)
			}
			t.EntryIDs = append(t.EntryIDs, id)
		}
	}
	if err := requireDB(*dsn); err != nil {
		return err
	}
	db, err := openDB(ctx, e, *dsn, sqldb.Options{Durable: true}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if verb == "transfer" {
		if t.FromDepartmentID, t.ToDepartmentID, err = transferDepartments(ctx, db, from, to); err != nil {
			return err
		}
		return catalogTransfer(ctx, e, db, t)
	}
	found, err := catalog.ListNonconforming(ctx, db.Read())
	if err != nil {
		return err
	}
	if len(found) == 0 {
		fmt.Fprintln(e.Stdout, "已发布的数据资源均符合现行目录规则")
		return nil
	}
	tw := newTable(e.Stdout)
	fmt.Fprintln(tw, "资源代码\t名称\t部门\t版本\t不符合的规则")
	for _, n := range found {
		codes := make([]string, len(n.Errors))
		for i, c := range n.Errors {
			codes[i] = c.Field + ":" + c.Code
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", n.Code, n.Name, n.DepartmentID, n.Version, strings.Join(codes, " "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "共 %d 项已发布的数据资源不符合现行目录规则，须由其部门修改后提交审核\n", len(found))
	return nil
}

// transferDepartments resolves transfer's -from and -to as every
// -department is (org.DepartmentByRef).
func transferDepartments(ctx context.Context, db *sqldb.DB, from, to string) (fromID, toID int64, err error) {
	f, err := org.DepartmentByRef(ctx, db.Read(), from)
	if err != nil {
		return 0, 0, err
	}
	d, err := org.DepartmentByRef(ctx, db.Read(), to)
	return f.ID, d.ID, err
}

// catalogTransfer moves the entries t names (catalog.TransferEntries) as
// the operator, and lists them. The report names the two departments by
// their labels (org.DepartmentLabels), read in the transfer's transaction,
// as the console's does: two namesakes of two regions read alike by name
// alone.
func catalogTransfer(ctx context.Context, e *env, db *sqldb.DB, t catalog.Transfer) error {
	var res catalog.TransferResult
	var labels map[int64]string
	err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
		res, err = catalog.TransferEntries(ctx, tx, catalog.Actor{Actor: cliActor(e), Operator: true}, t, server.Clock())
		if err != nil {
			return err
		}
		labels, err = org.DepartmentLabels(ctx, tx, []int64{res.FromDepartmentID, res.ToDepartmentID})
		return err
	})
	if err != nil {
		return err
	}
	tw := newTable(e.Stdout)
	fmt.Fprintln(tw, "编号\t资源代码\t名称\t状态")
	for _, m := range res.Entries {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", m.ID, m.Code, m.Name, m.Status.Label())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "已将 %d 个数据资源从“%s”转移到“%s”\n", len(res.Entries), labels[res.FromDepartmentID], labels[res.ToDepartmentID])
	return nil
}
