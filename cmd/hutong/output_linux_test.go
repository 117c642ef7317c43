package main

import "testing"

// TestProgressWriterTerminalOutput: progress to a command's standard
// output (output) on a terminal is rewritten in place, as it is to the
// terminal itself (hutong bench), not cut into lines as for a log.
func TestProgressWriterTerminalOutput(t *testing.T) {
	_, tty := openPTY(t)
	out := &output{w: tty}
	if w, _ := progressWriter(out); w != out {
		t.Errorf("progress to a terminal through the command's output went to %T", w)
	}
}
