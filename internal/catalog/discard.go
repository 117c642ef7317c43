package catalog

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// DiscardRevision drops the revision of a published entry being compiled —
// a draft, or one sent back from its review — and the entry goes back to
// exactly what it was before the revision was opened: the version in force
// stays, with its search postings, item keys and one-source role, none of
// which a revision touches until it is approved. What the revision kept for
// itself goes with it: its version row and the source conflicts detected
// when it was submitted. Who may edit the entry may discard its revision
// (an entry of another department that by may not see is not found, as for
// Update). An entry with no revision is refused (no_revision), as is one
// whose revision is under review (entry_submitted). The entry is locked
// first (lockEntry), as Update locks it, so that an edit under way is
// discarded with the rest. The audit row (catalog.revision.discard) names
// the discarded version, whose number is not given again: the next
// revision opened takes the one after it (lastVersion), so that a version
// number in the audit log names one content only.
func DiscardRevision(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, now time.Time) (Entry, error) {
	return DiscardRevisionIf(ctx, tx, by, id, nil, now)
}

// DiscardRevisionIf is DiscardRevision of the revision one of tags names
// (EditTag of the entry as Working reads it, as UpdateIf takes): when another
// edit saved since, or what was read was the version in force beside the
// revision, the discard is refused with concurrent_update rather than
// dropping what the caller never saw. Nil tags is DiscardRevision.
func DiscardRevisionIf(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, now time.Time) (Entry, error) {
	e, err := editable(ctx, tx, by, id, "只能放弃本部门数据资源的修订")
	if err != nil {
		return e, err
	}
	switch {
	case e.PublishedVersion == 0 || e.Status != Published || e.WorkingVersion == 0:
		return e, errs.E(errs.Conflict, "no_revision", "数据资源没有正在编制的修订，无需放弃（从未发布的草稿不再需要时请删除）")
	case e.WorkingStatus == Submitted:
		return e, errs.E(errs.Conflict, "entry_submitted", "数据资源的修订已提交审核，审核完成前不能放弃")
	}
	if err := checkTags(ctx, tx, e, tags, "该数据资源的修订稿已被他人修改，请刷新核对后再放弃"); err != nil {
		return e, err
	}
	for _, q := range []string{
		`DELETE FROM catalog_source_conflicts WHERE entry_id = $1 AND version = $2`,
		`DELETE FROM catalog_entry_versions WHERE entry_id = $1 AND version = $2`,
	} {
		if _, err := tx.ExecContext(ctx, q, id, e.WorkingVersion); err != nil {
			return e, fmt.Errorf("discard revision %d of catalog entry %d: %w", e.WorkingVersion, id, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET working_version = 0, revision_state = '', discarded_version = $2
		WHERE id = $1`, id, e.WorkingVersion); err != nil {
		return e, fmt.Errorf("discard revision of catalog entry %d: %w", id, err)
	}
	if err := record(ctx, tx, by, "catalog.revision.discard", e, now, "version", strconv.Itoa(e.WorkingVersion)); err != nil {
		return e, err
	}
	return Get(ctx, tx, by, id)
}
