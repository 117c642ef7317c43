package bench

// ReadRecord is readRecord, for the benchmarks of bench_test.
var ReadRecord = readRecord

// MemoryLine is memoryLine, for its wording.
var MemoryLine = memoryLine
