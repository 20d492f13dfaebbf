package bus

import (
	"context"
	"log/slog"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Subjects are what a carrier's NATS login may do; docs/nats-permissions.md
// gives the same rules as nats-server configuration for an external NATS.
//
// Carriers read their events with core NATS subscriptions on their own
// subjects, and publish their reports, acknowledged by JetStream, on their
// own carrier subjects. They get no JetStream API at all: consumer and
// stream requests ($JS.API.>) would let one carrier create a consumer on
// another's subjects, or read per-subject counts of the whole stream. Each
// carrier has its own inbox prefix (nats.CustomInboxPrefix), so replies to
// one carrier, and the county centre's own inboxes, stay invisible to the
// others.
type Subjects struct {
	Publish     []string `json:"publish"`
	Subscribe   []string `json:"subscribe"`
	InboxPrefix string   `json:"inbox_prefix"`
}

// CarrierSubjects are the subjects of carrier code.
func CarrierSubjects(code string) Subjects {
	return Subjects{
		Publish: []string{"tongpei.carrier." + code + ".>"},
		Subscribe: []string{
			"tongpei.parcel." + code + ".>",
			"tongpei.dispatch." + code + ".>",
			"_INBOX." + code + ".>",
		},
		InboxPrefix: "_INBOX." + code,
	}
}

// Permissions are Subjects as the server enforces them.
func (s Subjects) Permissions() *server.Permissions {
	return &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: append([]string(nil), s.Publish...)},
		Subscribe: &server.SubjectPermission{Allow: append([]string(nil), s.Subscribe...)},
	}
}

// Authenticator admits carriers to the embedded NATS with a login from
// CarrierCredentials and confines each to its own subjects. Pass it as
// Config.Auth; the process's own connection is admitted before it is asked.
type Authenticator struct {
	creds *CarrierCredentials
	log   *slog.Logger
}

// NewAuthenticator checks logins against creds.
func NewAuthenticator(creds *CarrierCredentials, log *slog.Logger) *Authenticator {
	if log == nil {
		log = slog.Default()
	}
	return &Authenticator{creds: creds, log: log}
}

// Check implements server.Authentication. It runs while the server reads
// the client's CONNECT, so the database lookup is bounded.
func (a *Authenticator) Check(c server.ClientAuthentication) bool {
	if c.Kind() != server.CLIENT {
		return false
	}
	o := c.GetOpts()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	ok, err := a.creds.Verify(ctx, o.Username, o.Password)
	if err != nil {
		a.log.Warn("NATS login refused: cannot check credentials", "user", o.Username, "err", err)
		return false
	}
	if !ok {
		return false
	}
	c.RegisterUser(&server.User{Username: o.Username, Permissions: CarrierSubjects(o.Username).Permissions()})
	return true
}

// DisconnectUser drops every connection of user to the embedded server and
// returns how many there were; with an external NATS it does nothing.
func (b *Bus) DisconnectUser(user string) int {
	if b.Server == nil {
		return 0
	}
	conns, err := b.Server.Connz(&server.ConnzOptions{User: user, Username: true, Limit: 1 << 16})
	if err != nil {
		return 0
	}
	n := 0
	for _, ci := range conns.Conns {
		if ci.AuthorizedUser == user && b.Server.DisconnectClientByID(ci.Cid) == nil {
			n++
		}
	}
	return n
}
