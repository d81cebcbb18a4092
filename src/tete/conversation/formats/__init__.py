"""One reader per transcript format; each takes decoded text and returns a Transcript."""
