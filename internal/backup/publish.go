package backup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"github.com/hutong-gov/hutong/internal/durable"
)

// link and rename are os.Link and os.Rename; tests replace them to fail as
// a file system without hard links does.
var (
	link   = os.Link
	rename = os.Rename
)

// publish gives the finished copy at tmp, in the folder of path, the name
// path, never overwriting a file there. It links the copy to path, which
// fails if path exists. File systems without hard links (FAT and exFAT
// drives, some SMB and FUSE mounts) refuse the link (EPERM, ENOTSUP,
// ENOSYS, EXDEV); there path is created empty with O_EXCL, which fails if
// it exists and so claims the name, and the copy is renamed over that
// empty file. A rename alone would overwrite a file that appeared after a
// check that path was free; creating the file and then copying the data
// into it would leave a half-written backup under the final name if the
// copy failed or the machine stopped meanwhile, and write the data twice.
// Renamed over the claim, path holds either nothing the user could take
// for a backup (an empty file, which -verify refuses) or the whole copy.
// Should the rename fail, the empty file is removed, if it is still the
// one created here. Link's own refusals are said in Chinese.
func publish(tmp, path string) error {
	err := link(tmp, path)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return exists(path)
	case !noHardLinks(err):
		return publishError(path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return exists(path)
	} else if err != nil {
		return publishError(path, err)
	}
	claim, err := f.Stat()
	f.Close()
	if err != nil {
		os.Remove(path)
		return publishError(path, err)
	}
	if err := rename(tmp, path); err != nil {
		if cur, serr := os.Lstat(path); serr == nil && os.SameFile(cur, claim) {
			os.Remove(path)
		}
		return publishError(path, err)
	}
	return nil
}

// noHardLinks reports whether err is a link's refusal on a file system
// that has no hard links: Linux answers EPERM on FAT and exFAT, other
// file systems ENOTSUP or ENOSYS, and some union and network mounts EXDEV.
func noHardLinks(err error) bool {
	return errors.Is(err, syscall.EPERM) || errors.Is(err, errors.ErrUnsupported) || errors.Is(err, syscall.EXDEV)
}

// publishError says in Chinese why the copy could not be given the name
// path: a full disk, an I/O error or a file too large as durable.WriteReason
// says them.
func publishError(path string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("无法将备份保存为 %s：没有权限", absPath(path))
	}
	return fmt.Errorf("无法将备份保存为 %s：%s", absPath(path), durable.WriteReason(err))
}
