package backup

var DumpCommand = dumpCommand
