package catalogio

// RewritePart is rewritePart for the package's external tests.
var RewritePart = rewritePart
