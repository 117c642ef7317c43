package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Delete removes an entry that was never published — a draft, or one sent
// back from its first review — with every row kept for it: its versions,
// search postings, item keys, source conflicts and any one-source or
// timeliness rule naming it. Who may edit it may delete it (an entry of
// another department that by may not see is not found, as for Update). An
// entry ever published is refused (entry_published: it is retired
// instead), as is one under review (entry_submitted). The resource code is
// not given out again: the code sequence stays where it is. The audit row
// (catalog.delete) keeps the code and name.
func Delete(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, now time.Time) error {
	return DeleteIf(ctx, tx, by, id, nil, now)
}

// DeleteIf is Delete of the draft one of tags names (EditTag of the entry as
// the caller read it, as UpdateIf takes): when another edit saved since, the
// deletion is refused with concurrent_update rather than deleting what the
// caller never saw. The tags are checked against the entry as locked and
// loaded for the deletion. Nil tags is Delete.
func DeleteIf(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, now time.Time) error {
	e, err := editable(ctx, tx, by, id, "只能删除本部门的数据资源草稿")
	if err != nil {
		return err
	}
	switch {
	case e.PublishedVersion != 0 || e.Status == Published || e.Status == Retired:
		return errs.E(errs.Conflict, "entry_published", "数据资源已发布过，不能删除；不再使用请注销")
	case e.Status == Submitted || e.WorkingStatus == Submitted:
		return errs.E(errs.Conflict, "entry_submitted", "数据资源已提交审核，审核完成前不能删除")
	}
	if err := checkTags(ctx, tx, e, tags, "该数据资源草稿已被他人修改，请刷新核对后再删除"); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM catalog_search_tokens WHERE entry_id = $1`,
		`DELETE FROM catalog_item_keys WHERE entry_id = $1`,
		`DELETE FROM catalog_review_item_keys WHERE entry_id = $1`,
		`DELETE FROM catalog_source_conflicts WHERE entry_id = $1`,
		`DELETE FROM catalog_authoritative_items WHERE entry_id = $1`,
		`DELETE FROM record_entry_rules WHERE entry_id = $1`,
		`DELETE FROM catalog_entry_versions WHERE entry_id = $1`,
		`DELETE FROM catalog_entries WHERE id = $1`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("delete catalog entry %d: %w", id, err)
		}
	}
	headChange(tx)
	return record(ctx, tx, by, "catalog.delete", e, now, "name", e.Name)
}
