package backup

var DumpCommand = dumpCommand

// SetLinkRename replaces os.Link and os.Rename in Run until the test ends.
func SetLinkRename(t interface{ Cleanup(func()) }, l, r func(oldname, newname string) error) {
	oldLink, oldRename := link, rename
	link, rename = l, r
	t.Cleanup(func() { link, rename = oldLink, oldRename })
}

// SetSync replaces durable.SyncFile and durable.SyncDir in Run until the
// test ends.
func SetSync(t interface{ Cleanup(func()) }, file, dir func(string) error) {
	oldFile, oldDir := syncFile, syncDir
	syncFile, syncDir = file, dir
	t.Cleanup(func() { syncFile, syncDir = oldFile, oldDir })
}

var IntegrityCheck = integrityCheck

var (
	Running  = running
	ToolPath = toolPath
	Runnable = runnable
)
