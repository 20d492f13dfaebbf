package api

// CheckJSONForTest exposes checkJSON to the external tests.
func CheckJSONForTest(body []byte) error { return checkJSON(body, 0) }
