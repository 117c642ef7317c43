package records

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Spooled is a batch's body held until it has arrived whole — in memory
// up to spoolMemory, in a temporary file beyond — with its digest for
// Options.Digest. A batch is applied in one transaction, which on SQLite
// holds the one writer: read from the network, a slow or stalled sender
// would hold every other write, and every audited read, as long as it
// sends.
type Spooled struct {
	io.ReadSeeker
	Digest  string // SHA-256, hex
	Size    int64
	file    *os.File // nil when the body is in memory
	removed bool     // the file's name is already unlinked
}

// spoolMemory is the largest body kept in memory.
const spoolMemory = 1 << 20

// Spool reads r whole. The caller closes the Spooled, which removes its
// file, if any. A temporary file that cannot be created or written for
// want of space is the server's temporary condition (errs.TempSpace:
// 503 temp_space_full), not its internal error.
func Spool(r io.Reader) (*Spooled, error) {
	return spool(r, func() (*os.File, error) { return os.CreateTemp("", "hutong-batch-*") })
}

// spool is Spool with the temporary file from create.
func spool(r io.Reader, create func() (*os.File, error)) (*Spooled, error) {
	h := sha256.New()
	r = io.TeeReader(r, h)
	var head bytes.Buffer
	n, err := io.CopyN(&head, r, spoolMemory+1)
	if err != nil && err != io.EOF {
		return nil, err
	}
	s := &Spooled{Size: n}
	if n <= spoolMemory {
		s.ReadSeeker = bytes.NewReader(head.Bytes())
		s.Digest = hex.EncodeToString(h.Sum(nil))
		return s, nil
	}
	if s.file, err = create(); err != nil {
		return nil, errs.TempSpace(fmt.Errorf("spool batch: %w", err))
	}
	// Unlinked at once, so that a server killed meanwhile leaves nothing
	// behind; the open file stays readable until Close.
	if os.Remove(s.file.Name()) == nil {
		s.removed = true
	}
	s.ReadSeeker = s.file
	if _, err = head.WriteTo(s.file); err == nil {
		var rest int64
		rest, err = io.Copy(s.file, r)
		s.Size += rest
	}
	if err == nil {
		err = s.Rewind()
	}
	if err != nil {
		return nil, errs.TempSpace(errors.Join(err, s.Close()))
	}
	s.Digest = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// FileDigest is the digest (Spooled.Digest: SHA-256, hex) of a batch held
// in a file, read from its start, which it is left at: a batch the
// command line imports is known by the same digest as one the API
// receives, so that a key both use compares the same (Options.Digest).
func FileDigest(f io.ReadSeeker) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Rewind puts the body back at its start, to read the batch again.
func (s *Spooled) Rewind() error {
	_, err := s.Seek(0, io.SeekStart)
	return err
}

// Close closes and removes the temporary file, if any.
func (s *Spooled) Close() error {
	switch {
	case s.file == nil:
		return nil
	case s.removed:
		return s.file.Close()
	}
	return errors.Join(s.file.Close(), os.Remove(s.file.Name()))
}

// retries bounds how often a spooled batch is applied again after a
// deadlock.
const retries = 3

// pauseBeforeRetry waits a little before a write that PostgreSQL aborted
// for a deadlock is applied again. Run again at once, the write may take
// its first lock again before the transaction it deadlocked with, woken
// by the abort, takes that lock, and deadlock with it the same way: a
// loaded machine saw all three tries of a batch aborted so
// (TestWritesRetriedAfterDeadlock). A few milliseconds, jittered and
// longer each try, let that transaction go first.
func pauseBeforeRetry(ctx context.Context, try int) error {
	t := time.NewTimer(time.Duration(try) * (5*time.Millisecond + rand.N(20*time.Millisecond)))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// IngestSpooled applies a spooled batch as IngestFile does, with the
// body's digest.
func IngestSpooled(ctx context.Context, db *sqldb.DB, by Pusher, entryID int64, body *Spooled, read func(io.Reader) Source,
	now time.Time, opt Options) (BatchResult, error) {
	opt.Digest = body.Digest
	return IngestFile(ctx, db, by, entryID, body, read, now, opt)
}

// IngestFile applies a batch held whole — a spooled body, an uploaded or
// local file — as Ingest does, read by read (JSONLines or CSV). When
// PostgreSQL aborts the transaction for a deadlock with another writer (a
// peer's counters locked out of entry-id order, see holdPeersBelow; a
// cross-check's discrepancies), the batch is read again from its start
// and applied again (if body cannot seek, as a pipe, the deadlock is
// returned).
func IngestFile(ctx context.Context, db *sqldb.DB, by Pusher, entryID int64, body io.ReadSeeker, read func(io.Reader) Source,
	now time.Time, opt Options) (BatchResult, error) {
	for try := 1; ; try++ {
		res, err := Ingest(ctx, db, by, entryID, read(body), now, opt)
		if try == retries || !sqldb.IsRetryable(err) {
			return res, err
		}
		if _, serr := body.Seek(0, io.SeekStart); serr != nil { // a pipe: it cannot be read again
			return res, err
		}
		if perr := pauseBeforeRetry(ctx, try); perr != nil {
			return res, err
		}
	}
}
