// Package docs holds the contracts integrators rely on, as documents: the
// deployment guide, the authorisation policy, and the AsyncAPI description
// of the NATS subjects, which its test checks against the code's own
// payload types so that the document cannot drift from what is sent.
package docs

import _ "embed"

// AsyncAPI is the AsyncAPI 3 document of tongpei's NATS subjects.
//
//go:embed asyncapi.json
var AsyncAPI []byte
