package audit

// AppendAll and InsertRows expose appendAll's chunking to the tests.
var AppendAll = appendAll

const InsertRows = insertRows
