package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

const catalogUsage = `Usage: hutong catalog VERB [flags]

Verbs:
  check   list the published entries whose version in force breaks a rule of the
          catalog made since it was published (a 时效要求 beyond the timeliness
          rule, a generic name …), each with its department and the codes of the
          rules it breaks; their yearly review cannot confirm them unchanged
          until they are edited. Exits 0 whether or not it lists any.
`

func cmdCatalog(ctx context.Context, e *env, args []string) error {
	verb, rest, err := verbOf(e, "catalog", args, catalogUsage, "check")
	if err != nil {
		return err
	}
	fs := newFlags(e, "catalog "+verb, catalogUsage+"\nFlags:\n")
	dsn := dbFlag(fs, e)
	if err := parse(e, fs, rest); err != nil {
		return err
	}
	if err := requireDB(*dsn); err != nil {
		return err
	}
	db, err := openDB(ctx, e, *dsn, sqldb.Options{Durable: true}, false)
	if err != nil {
		return err
	}
	defer db.Close()
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
